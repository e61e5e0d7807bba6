SELECT count(*) FROM tpch.tiny.nation n JOIN (SELECT x FROM (VALUES (1), (2)) v(x)) s ON n.regionkey = s.x;
SELECT count(*) FROM tpch.tiny.nation n JOIN (SELECT g FROM generate_series(0, 4) g) s ON n.regionkey = s.g;
SELECT n.name, s.h FROM tpch.tiny.nation n JOIN (SELECT g, g * 2 AS h FROM generate_series(0, 4) g) s ON n.regionkey = s.g;
SELECT s.k, count(*) FROM tpch.tiny.nation n JOIN (SELECT g + 1 AS k FROM generate_series(0, 4) g) s ON n.regionkey = s.k GROUP BY s.k;
SELECT o.orderstatus, count(*) FROM tpch.tiny.orders o LEFT JOIN (SELECT x::int4 AS x FROM (VALUES (1), (3), (5)) v(x)) s ON o.custkey = s.x GROUP BY o.orderstatus;
