-- basic: connection, tpch.tiny scans, catalog navigation statements.
SELECT 1;
SELECT * FROM tpch.tiny.customer ORDER BY custkey LIMIT 10;
SHOW CATALOGS;
SHOW SCHEMAS FROM tpch;
SHOW TABLES FROM tpch.tiny;
DESCRIBE tpch.tiny.nation;
SELECT count(*) FROM tpch.tiny.customer;
SELECT count(*) FROM tpch.tiny.lineitem;
SELECT count(*) FROM tpch.tiny.nation;
SELECT count(*) FROM tpch.tiny.orders;
SELECT count(*) FROM tpch.tiny.part;
SELECT count(*) FROM tpch.tiny.partsupp;
SELECT count(*) FROM tpch.tiny.region;
SELECT count(*) FROM tpch.tiny.supplier;
-- the standard-naming catalog shows the same rows under TPC-H column names
SELECT n_nationkey, n_name FROM tpch_std.tiny.nation ORDER BY n_nationkey LIMIT 3;
