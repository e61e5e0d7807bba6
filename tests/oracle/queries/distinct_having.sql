SELECT DISTINCT orderstatus, orderpriority FROM tpch.tiny.orders;
SELECT custkey, count(*), sum(totalprice) FROM tpch.tiny.orders GROUP BY custkey HAVING count(*) > 25;
