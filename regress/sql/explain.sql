-- explain: the distributed plan of a scan, an aggregation and a join: fragments, their
-- exchanges, pushed filters and estimates from the connector's statistics.
EXPLAIN SELECT count(*) FROM tpch.tiny.lineitem;
EXPLAIN SELECT n.name, count(*) FROM tpch.tiny.nation n JOIN tpch.tiny.customer c ON c.nationkey = n.nationkey
WHERE c.acctbal > 0 GROUP BY n.name ORDER BY 2 DESC LIMIT 3;
