--
-- numeric display scale: avg() and division pick a scale per value, as
-- PostgreSQL's select_div_scale does; arithmetic on those values follows
-- numeric.c's rules per value
--
SELECT 1.0 / 3 AS a, 10.0 / 3 AS b, 100000.0 / 3 AS c, 1 / 3.00000 AS d, 0.0001 / 7 AS e;
SELECT 12345678901234567890.0 / 7 AS big, 1.5 / 1.5 AS one, -7.25 / 2 AS neg, 0 / 3.5 AS zero;
SELECT x, x / 7 AS q FROM (VALUES (1.00), (10.00), (12345.67), (0.05), (-3.10)) AS t(x) ORDER BY x;
SELECT avg(x) AS a_int, avg(x::bigint) AS a_big, avg(x::smallint) AS a_small FROM (VALUES (1), (2), (2)) AS t(x);
SELECT avg(x) FROM (VALUES (0.05), (0.06), (0.06)) AS t(x);
SELECT avg(x) FROM (VALUES (12345.5), (12345.6)) AS t(x);
SELECT avg(x) FROM (VALUES (100000000.5), (3.25)) AS t(x);
SELECT g, avg(x), avg(x) * 2 AS twice, avg(x) + 1 AS plus, -avg(x) AS neg, abs(avg(x)) AS abs
  FROM (VALUES (1, 1.5), (1, 2.25), (2, 0.001), (2, 0.002), (2, 0.002)) AS t(g, x) GROUP BY g ORDER BY g;
SELECT round(avg(x), 2) AS r2, round(avg(x)) AS r0, trunc(avg(x), 3) AS t3, avg(x)::numeric(10,3) AS c3,
       avg(x)::int AS i, avg(x)::float8 AS f
  FROM (VALUES (1), (2), (2)) AS t(x);
-- comparisons and grouping see values, not their scale
SELECT avg(x) = 2 AS eq, avg(x) > 1.6666 AS gt, avg(x) < '1.7' AS lt FROM (VALUES (1), (2), (2)) AS t(x);
SELECT q, count(*) FROM (SELECT x / 2 AS q FROM (VALUES (2.0), (2.00), (4.0)) AS t(x)) AS s GROUP BY q ORDER BY q;
SELECT sum(q) AS s, min(q) AS lo, max(q) AS hi FROM (SELECT 1.0 / x AS q FROM (VALUES (3), (7), (9)) AS t(x)) AS s;
SELECT (1.0 / 3) * 1.5 AS product, (1.0 / 3) * 3 AS back, (2.0 / 3) * 0.001 AS small, (10.0 / 3) - 1 AS diff, (1.0 / 3) / (1.0 / 7) AS quot;
SELECT avg(x) / avg(y) AS ratio FROM (VALUES (1.0, 3), (2.0, 4)) AS t(x, y);
SELECT 5 % (7.0 / 3) AS modulo;
SELECT sum(x / 3) AS s, avg(x / 3) AS a FROM (VALUES (1), (10), (100)) AS t(x);
SELECT x::numeric / 4 AS q FROM (VALUES (1), (2), (3)) AS t(x) ORDER BY 1;
SELECT avg(x) FROM (VALUES (1), (NULL), (3)) AS t(x);
SELECT avg(x) FROM (VALUES (NULL::int)) AS t(x);
-- errors
SELECT 1.0 / 0;
SELECT avg(x) / 0 FROM (VALUES (1), (2)) AS t(x);
