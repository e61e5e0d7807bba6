--
-- LATERAL subqueries in FROM, decorrelated into joins (never run per row):
-- equality and other correlations, LEFT JOIN LATERAL ... ON, aggregates
-- (one row per outer row when ungrouped), ORDER BY ... LIMIT per outer row.
-- Data comes from VALUES and generate_series so that the expected output is
-- PostgreSQL's own.
--
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t, LATERAL (SELECT b FROM u WHERE u.k = t.a) s ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t CROSS JOIN LATERAL (SELECT b FROM u WHERE u.k = t.a AND u.b > 10) s ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3), (NULL)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t LEFT JOIN LATERAL (SELECT b FROM u WHERE u.k = t.a) s ON true ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t LEFT JOIN LATERAL (SELECT b FROM u WHERE u.k = t.a) s ON s.b > 10 ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t JOIN LATERAL (SELECT b FROM u WHERE u.k = t.a) s ON s.b > 10 ORDER BY 1, 2;
-- a non-equality correlation
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t, LATERAL (SELECT b FROM u WHERE u.k < t.a) s ORDER BY 1, 2;
-- aggregates: an ungrouped one gives one row per outer row (count 0, max NULL)
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.c, s.m FROM t, LATERAL (SELECT count(*) AS c, max(b) AS m FROM u WHERE u.k = t.a) s ORDER BY 1;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.c, s.total FROM t, LATERAL (SELECT count(b) AS c, sum(b) AS total FROM u WHERE u.k < t.a) s ORDER BY 1;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.c FROM t LEFT JOIN LATERAL (SELECT count(*) AS c FROM u WHERE u.k = t.a) s ON true ORDER BY 1;
-- grouped: no row for an outer row without matches, unless LEFT JOIN
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.big, s.c FROM t, LATERAL (SELECT b > 10 AS big, count(*) AS c FROM u WHERE u.k = t.a GROUP BY b > 10) s
ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.c FROM t LEFT JOIN LATERAL (SELECT k, count(*) AS c FROM u WHERE u.k = t.a GROUP BY k) s ON true
ORDER BY 1;
-- top-N per outer row
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t, LATERAL (SELECT b FROM u WHERE u.k = t.a ORDER BY b DESC LIMIT 2) s ORDER BY 1, 2;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b FROM t LEFT JOIN LATERAL (SELECT b FROM u WHERE u.k = t.a ORDER BY b LIMIT 1 OFFSET 1) s ON true
ORDER BY 1, 2;
SELECT g, s.x FROM generate_series(1, 4) g,
  LATERAL (SELECT h AS x FROM generate_series(1, 20) h WHERE h % 4 = g ORDER BY h DESC LIMIT 3) s ORDER BY 1, 2;
-- outer columns in the select list: a bare select list, or through the correlation
SELECT t.a, s.x, s.y FROM (VALUES (1), (2)) t(a), LATERAL (SELECT t.a * 2 AS x, 'k' AS y) s ORDER BY 1;
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.* FROM t, LATERAL (SELECT t.a AS ta, b, t.a + b AS tb FROM u WHERE u.k = t.a) s ORDER BY 1, 3;
SELECT t.a, s.x, r.y FROM (VALUES (1), (2)) t(a), LATERAL (SELECT t.a + 1 AS x) s, LATERAL (SELECT s.x * 10 AS y) r
ORDER BY 1;
-- uncorrelated LATERAL is a plain cross join
SELECT * FROM (VALUES (1), (2)) t(a), LATERAL (SELECT 5 AS x) s ORDER BY 1;
-- later items and WHERE still join above it
WITH t(a) AS (VALUES (1), (2), (3)), u(k, b) AS (VALUES (1, 10), (1, 11), (1, 12), (2, 20), (NULL, 30))
SELECT t.a, s.b, v.y FROM t, LATERAL (SELECT b FROM u WHERE u.k = t.a) s, (VALUES (10, 'x'), (20, 'y')) v(b, y)
WHERE v.b = s.b ORDER BY 1, 2;
-- functions in FROM naming earlier items are implicitly LATERAL
SELECT t.a, g FROM (VALUES (1), (2), (3), (NULL), (0)) t(a), generate_series(1, t.a) g ORDER BY 1, 2;
SELECT t.a, g FROM (VALUES (1), (3)) t(a), LATERAL generate_series(t.a, 10, t.a + 1) AS g ORDER BY 1, 2;
SELECT t.a, g.x FROM (VALUES (2), (4)) t(a) CROSS JOIN generate_series(t.a, t.a * 3, 2) g(x) ORDER BY 1, 2;
SELECT count(*), sum(g) FROM generate_series(1, 1000) n, generate_series(1, n) g;
SELECT n, count(*) FROM generate_series(1, 5) n, generate_series(1, n) g, generate_series(g, n) h GROUP BY n ORDER BY n;
SET TimeZone = 'UTC';
SELECT t.d, g FROM (VALUES ('2024-01-30'::date, 2)) t(d, n), generate_series(t.d, t.d + t.n, interval '1 day') g;
RESET TimeZone;
-- errors
\set VERBOSITY terse
SELECT * FROM (VALUES (1)) t(a), LATERAL (SELECT x FROM (VALUES (1)) u(x) WHERE u.x = t.b) s;
SELECT * FROM (VALUES (1)) t(a), LATERAL (SELECT x FROM (VALUES (1)) u(x) WHERE u.x = t.a) s, LATERAL (SELECT s.y) r;
SELECT a, g FROM (VALUES (1, 0)) t(a, s), generate_series(1, 3, t.s) g;
