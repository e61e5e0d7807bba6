-- join_distribution_type: the same joins broadcast and hash-partitioned give
-- the same rows; EXPLAIN names the distribution. Counts were checked against
-- PostgreSQL on the same tpch.tiny rows (tests/oracle has the joins).
SET SESSION join_distribution_type = 'PARTITIONED';
SELECT count(*), sum(o.totalprice) FROM tpch.tiny.orders o JOIN tpch.tiny.customer c ON o.custkey = c.custkey;
SELECT count(*), count(c.custkey), count(o.orderkey) FROM tpch.tiny.customer c FULL JOIN tpch.tiny.orders o ON o.custkey = c.custkey;
SELECT count(*) FROM tpch.tiny.customer c LEFT JOIN tpch.tiny.orders o ON o.custkey = c.custkey WHERE o.orderkey IS NULL;
SELECT count(*) FROM tpch.tiny.orders o RIGHT JOIN tpch.tiny.customer c ON o.custkey = c.custkey;
SELECT count(*) FROM tpch.tiny.customer c WHERE EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey);
SELECT count(*) FROM tpch.tiny.customer c WHERE c.custkey NOT IN (SELECT custkey FROM tpch.tiny.orders);
-- EXISTS / NOT EXISTS with a residual: under PARTITIONED built on customer (RightSemiJoin,
-- RightAntiJoin), under BROADCAST on orders; the same rows.
SELECT count(*) FROM tpch.tiny.customer c WHERE NOT EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey AND o.orderdate > date '1995-01-01' + c.custkey::int);
SELECT count(*), sum(c.acctbal) FROM tpch.tiny.customer c WHERE EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey AND o.orderdate > date '1995-01-01' + c.custkey::int);
EXPLAIN SELECT count(*) FROM tpch.tiny.orders o JOIN tpch.tiny.customer c ON o.custkey = c.custkey;
SET SESSION join_distribution_type = 'BROADCAST';
SELECT count(*) FROM tpch.tiny.customer c WHERE NOT EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey AND o.orderdate > date '1995-01-01' + c.custkey::int);
SELECT count(*), sum(c.acctbal) FROM tpch.tiny.customer c WHERE EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey AND o.orderdate > date '1995-01-01' + c.custkey::int);
SELECT count(*), sum(o.totalprice) FROM tpch.tiny.orders o JOIN tpch.tiny.customer c ON o.custkey = c.custkey;
SELECT count(*) FROM tpch.tiny.orders o RIGHT JOIN tpch.tiny.customer c ON o.custkey = c.custkey;
SET SESSION join_distribution_type = DEFAULT;
