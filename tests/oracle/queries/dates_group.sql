SELECT extract(year FROM orderdate) AS y, orderpriority, count(*), min(orderdate), max(orderdate)
FROM tpch.tiny.orders GROUP BY 1, 2
