-- The hive catalog end to end on the local disk (a fresh warehouse per run):
-- schemas, CREATE TABLE AS from another catalog, partitioned tables with
-- pruning, INSERT, DELETE as a rewrite, a join with other catalogs, and
-- DROP. Expected output written from Ferry and checked by hand against the
-- same queries on tpch.tiny.
CREATE SCHEMA hive.sales;
CREATE TABLE hive.sales.orders AS
  SELECT orderkey, custkey, orderstatus, totalprice, orderdate FROM tpch.tiny.orders;
SELECT count(*), sum(totalprice), min(orderdate), max(orderdate) FROM hive.sales.orders;
SELECT count(*), sum(totalprice), min(orderdate), max(orderdate) FROM tpch.tiny.orders;
SELECT orderstatus, count(*) FROM hive.sales.orders WHERE orderdate >= DATE '1998-01-01' GROUP BY 1 ORDER BY 1;
-- per-value numeric results (avg, division) are stored at the column's scale
CREATE TABLE hive.sales.avgs AS SELECT orderstatus, avg(totalprice) AS a FROM tpch.tiny.orders GROUP BY 1;
SELECT orderstatus, a FROM hive.sales.avgs ORDER BY 1;
-- partitioned: partition keys come last
CREATE TABLE hive.sales.by_status (orderkey bigint, totalprice numeric(12,2), orderstatus varchar)
  WITH (format = 'PARQUET', partitioned_by = ARRAY['orderstatus']);
INSERT INTO hive.sales.by_status SELECT orderkey, totalprice, orderstatus FROM tpch.tiny.orders;
SELECT orderstatus, count(*), sum(totalprice) FROM hive.sales.by_status GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM hive.sales.by_status WHERE orderstatus = 'P';
CREATE TABLE hive.sales.bad (a int, b int) WITH (partitioned_by = ARRAY['a']);
CREATE TABLE hive.sales.bad (a int) WITH (colour = 'red');
-- DELETE rewrites the table
DELETE FROM hive.sales.orders WHERE orderstatus = 'F';
SELECT orderstatus, count(*) FROM hive.sales.orders GROUP BY 1 ORDER BY 1;
-- a join across hive, memory and tpch
CREATE TABLE memory.public.st (s varchar, label varchar);
INSERT INTO memory.public.st VALUES ('O', 'open'), ('P', 'pending');
SELECT st.label, count(*) FROM hive.sales.orders o JOIN memory.public.st st ON o.orderstatus = st.s
  JOIN tpch.tiny.customer c ON c.custkey = o.custkey WHERE c.mktsegment = 'BUILDING' GROUP BY 1 ORDER BY 1;
DROP TABLE memory.public.st;
SHOW TABLES FROM hive.sales;
DROP SCHEMA hive.sales;
DROP TABLE hive.sales.orders;
DROP TABLE hive.sales.avgs;
DROP TABLE hive.sales.by_status;
DROP SCHEMA hive.sales;
SHOW SCHEMAS FROM hive;
