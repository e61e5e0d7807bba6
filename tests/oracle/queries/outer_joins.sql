SELECT r.name, n.name FROM tpch.tiny.region r RIGHT JOIN tpch.tiny.nation n ON n.regionkey = r.regionkey AND r.regionkey < 2;
SELECT a.x, b.y FROM (VALUES (1), (2), (NULL)) a(x) FULL JOIN (VALUES (2), (3), (NULL)) b(y) ON a.x = b.y;
SELECT count(*) FROM tpch.tiny.nation n, tpch.tiny.region r;
SELECT s.name, n.name FROM tpch.tiny.supplier s JOIN tpch.tiny.nation n ON s.nationkey = n.nationkey AND s.acctbal > n.nationkey * 300;
