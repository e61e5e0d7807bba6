-- queries: aggregates and joins on tpch.tiny. Expected output comes from Ferry and is
-- cross-checked against PostgreSQL by tests/oracle (same data, same queries).
SELECT returnflag, linestatus, sum(quantity) AS sum_qty, sum(extendedprice) AS sum_base_price,
       count(*) AS count_order
FROM tpch.tiny.lineitem
WHERE shipdate <= DATE '1998-09-02'
GROUP BY returnflag, linestatus
ORDER BY returnflag, linestatus;
SELECT n.name AS nation, r.name AS region
FROM tpch.tiny.nation n JOIN tpch.tiny.region r ON n.regionkey = r.regionkey
ORDER BY n.nationkey;
SELECT r.name, count(n.nationkey) AS nations
FROM tpch.tiny.region r LEFT JOIN tpch.tiny.nation n ON n.regionkey = r.regionkey AND n.name LIKE 'A%'
GROUP BY r.name
ORDER BY r.name;
SELECT mktsegment, count(*) AS customers, min(acctbal) AS min_bal, max(acctbal) AS max_bal
FROM tpch.tiny.customer
GROUP BY mktsegment
ORDER BY customers DESC, mktsegment;
SELECT x FROM (VALUES (2), (NULL), (1)) AS v(x) ORDER BY x NULLS FIRST;
SELECT x FROM (VALUES (2), (NULL), (1)) AS v(x) ORDER BY x DESC NULLS LAST;
SELECT x FROM (VALUES (2), (NULL), (1)) AS v(x) ORDER BY x;
