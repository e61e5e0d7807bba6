-- LEFT JOIN keeps customers without orders (every third custkey has none in TPC-H).
SELECT c.nationkey, count(o.orderkey) AS orders, count(*) AS rows, count(DISTINCT c.custkey) AS customers
FROM tpch.tiny.customer c LEFT JOIN tpch.tiny.orders o ON o.custkey = c.custkey
GROUP BY c.nationkey
