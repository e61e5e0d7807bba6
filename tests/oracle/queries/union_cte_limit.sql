WITH big AS (SELECT custkey, totalprice FROM tpch.tiny.orders WHERE totalprice > 300000)
SELECT custkey FROM big UNION SELECT custkey FROM tpch.tiny.customer WHERE nationkey = 3;
SELECT regionkey FROM tpch.tiny.nation UNION ALL SELECT regionkey FROM tpch.tiny.region;
SELECT orderkey, totalprice FROM tpch.tiny.orders ORDER BY totalprice DESC, orderkey LIMIT 7 OFFSET 3;
SELECT name FROM tpch.tiny.nation ORDER BY 1 DESC LIMIT 4;
