SELECT n.name, generate_series(1, n.regionkey) AS g, unnest(ARRAY[n.nationkey, n.regionkey]) AS u FROM tpch.tiny.nation n;
SELECT orderstatus, count(*), generate_series(1, count(*)::int % 5) AS k FROM tpch.tiny.orders GROUP BY orderstatus;
SELECT unnest(ARRAY[returnflag, linestatus]) AS flag, count(*), sum(quantity) FROM tpch.tiny.lineitem GROUP BY 1;
SELECT custkey % 7 AS m, generate_series(1, (count(*) / 100)::int) AS g FROM tpch.tiny.customer GROUP BY 1 HAVING count(*) > 200;
SELECT DISTINCT generate_series(1, linenumber) AS g FROM tpch.tiny.lineitem;
SELECT r.name, s.g, s.k FROM tpch.tiny.region r CROSS JOIN LATERAL (SELECT generate_series(1, r.regionkey + 1) AS g, generate_subscripts(ARRAY['a', 'b'], 1) AS k) s;
SELECT count(*), sum(g), count(u), sum(u) FROM (SELECT generate_series(1, linenumber) AS g, unnest(ARRAY[orderkey, partkey, suppkey]) AS u FROM tpch.tiny.lineitem) s;
SELECT nationkey, rank() OVER (ORDER BY nationkey) AS r, generate_series(1, (rank() OVER (ORDER BY nationkey) % 3)::int) AS g FROM tpch.tiny.nation;
SELECT (information_schema._pg_expandarray(ARRAY[nationkey, regionkey])).x, (information_schema._pg_expandarray(ARRAY[nationkey, regionkey])).n FROM tpch.tiny.nation WHERE nationkey < 5;
