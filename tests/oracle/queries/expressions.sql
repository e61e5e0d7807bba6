SELECT custkey, CASE WHEN acctbal < 0 THEN 'debt' WHEN acctbal < 1000 THEN 'low' ELSE 'ok' END,
       coalesce(NULLIF(mktsegment, 'BUILDING'), '-'), acctbal * 2 - 1, acctbal BETWEEN 100 AND 200
FROM tpch.tiny.customer WHERE name LIKE '%00001%' OR phone LIKE '1_-%';
SELECT orderkey, orderdate + 30, extract(year FROM orderdate), substring(comment FROM 1 FOR 5),
       upper(orderpriority), length(clerk)
FROM tpch.tiny.orders WHERE orderkey < 200;
SELECT 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, abs(-3), round(2.567, 2), 1e3::int;
SELECT 2 ^ 10, power(2, 3), sqrt(2), cbrt(27), exp(1), ln(10), log(1000), 2.5::float8 ^ 2;
