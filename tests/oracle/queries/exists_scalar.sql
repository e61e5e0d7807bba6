SELECT c.custkey FROM tpch.tiny.customer c
WHERE EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey AND o.totalprice > 350000);
SELECT count(*) FROM tpch.tiny.customer c
WHERE NOT EXISTS (SELECT 1 FROM tpch.tiny.orders o WHERE o.custkey = c.custkey);
SELECT name, acctbal FROM tpch.tiny.supplier WHERE acctbal > (SELECT avg(acctbal) + 4000 FROM tpch.tiny.supplier);
