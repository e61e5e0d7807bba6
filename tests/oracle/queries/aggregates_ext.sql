SELECT orderstatus, var_samp(totalprice), stddev_pop(totalprice), var_pop(shippriority), stddev_samp(custkey) FROM tpch.tiny.orders GROUP BY orderstatus;
SELECT returnflag, round(stddev_samp(discount::float8)::numeric, 8), round(var_pop(tax::float8)::numeric, 8) FROM tpch.tiny.lineitem GROUP BY returnflag;
SELECT regionkey, string_agg(name, ',' ORDER BY name), bool_and(nationkey < 20), bool_or(nationkey = 0) FROM tpch.tiny.nation GROUP BY regionkey;
SELECT orderpriority, percentile_disc(0.5) WITHIN GROUP (ORDER BY totalprice), percentile_cont(0.25) WITHIN GROUP (ORDER BY custkey) FROM tpch.tiny.orders GROUP BY orderpriority;
SELECT linestatus, percentile_disc(0.9) WITHIN GROUP (ORDER BY shipdate DESC), every(quantity > 0) FROM tpch.tiny.lineitem GROUP BY linestatus;
