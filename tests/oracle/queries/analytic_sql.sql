SELECT custkey FROM tpch.tiny.orders WHERE orderstatus = 'F' INTERSECT SELECT custkey FROM tpch.tiny.orders WHERE orderstatus = 'O';
SELECT nationkey FROM tpch.tiny.customer EXCEPT ALL SELECT nationkey FROM tpch.tiny.supplier;
SELECT orderstatus, orderpriority, count(*), sum(totalprice), grouping(orderstatus, orderpriority) FROM tpch.tiny.orders GROUP BY ROLLUP (orderstatus, orderpriority);
SELECT returnflag, linestatus, count(*), sum(quantity) FROM tpch.tiny.lineitem GROUP BY CUBE (returnflag, linestatus);
SELECT orderstatus, count(*) FILTER (WHERE totalprice > 200000), sum(totalprice) FILTER (WHERE orderpriority = '1-URGENT') FROM tpch.tiny.orders GROUP BY orderstatus;
SELECT n.name, g FROM tpch.tiny.nation n, generate_series(1, 3) g WHERE n.nationkey < 4;
