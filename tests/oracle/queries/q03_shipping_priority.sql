-- TPC-H Q3 shape: three-way join, group by, top 10 by revenue.
SELECT l.orderkey, round(CAST(sum(l.extendedprice * (1 - l.discount)) AS numeric), 2) AS revenue,
       o.orderdate, o.shippriority
FROM tpch.tiny.customer c
JOIN tpch.tiny.orders o ON c.custkey = o.custkey
JOIN tpch.tiny.lineitem l ON l.orderkey = o.orderkey
WHERE c.mktsegment = 'BUILDING' AND o.orderdate < DATE '1995-03-15' AND l.shipdate > DATE '1995-03-15'
GROUP BY l.orderkey, o.orderdate, o.shippriority
ORDER BY revenue DESC, o.orderdate, l.orderkey
LIMIT 10
