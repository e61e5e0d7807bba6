SELECT custkey, name FROM tpch.tiny.customer
WHERE custkey IN (SELECT custkey FROM tpch.tiny.orders WHERE totalprice > 400000)
