--
-- Analytic SQL: INTERSECT/EXCEPT [ALL], GROUPING SETS/ROLLUP/CUBE with
-- GROUPING(), aggregate FILTER and generate_series in FROM. Data comes from
-- VALUES and generate_series so that the expected output is PostgreSQL's own.
--
-- set operations: NULLs compare equal, INTERSECT binds tighter than UNION/EXCEPT
SELECT * FROM (VALUES (1), (2), (2), (NULL), (NULL), (3)) a(x)
INTERSECT SELECT * FROM (VALUES (2), (2), (NULL), (4)) b(y) ORDER BY 1;
SELECT * FROM (VALUES (1), (2), (2), (NULL), (NULL), (3)) a(x)
INTERSECT ALL SELECT * FROM (VALUES (2), (2), (NULL), (NULL), (NULL), (4)) b(y) ORDER BY 1;
SELECT * FROM (VALUES (1), (2), (2), (NULL), (NULL), (3)) a(x)
EXCEPT SELECT * FROM (VALUES (2), (4)) b(y) ORDER BY 1;
SELECT * FROM (VALUES (1), (2), (2), (2), (NULL), (NULL), (3)) a(x)
EXCEPT ALL SELECT * FROM (VALUES (2), (NULL), (4)) b(y) ORDER BY 1;
SELECT 1 UNION SELECT 2 INTERSECT SELECT 2 ORDER BY 1;
SELECT 1 EXCEPT SELECT 2 INTERSECT SELECT 1;
SELECT x, y FROM (VALUES (1, 'a'), (2, 'b'), (1, 'a')) t(x, y)
EXCEPT ALL SELECT 1, 'a' ORDER BY 1, 2;
-- column types resolve as for UNION
SELECT 1.5 INTERSECT SELECT 1.5;
SELECT i FROM generate_series(1, 10) i INTERSECT SELECT i::bigint * 2 FROM generate_series(1, 10) i ORDER BY 1;
SELECT count(*) FROM (SELECT i % 7 FROM generate_series(1, 5000) i
                      EXCEPT ALL SELECT i % 5 FROM generate_series(1, 3000) i) s;
\set VERBOSITY terse
SELECT 1 INTERSECT SELECT 'a'::text;
SELECT 1, 2 EXCEPT SELECT 1;
\set VERBOSITY default
-- aggregate FILTER
SELECT x, count(*) FILTER (WHERE x > 1) AS c, sum(y) FILTER (WHERE y < 10) AS s,
       count(DISTINCT y) FILTER (WHERE x IS NOT NULL) AS d, avg(y) FILTER (WHERE false) AS none
FROM (VALUES (1, 5), (2, 20), (2, 5), (3, NULL), (NULL, 7)) t(x, y) GROUP BY x ORDER BY 1;
SELECT count(*) FILTER (WHERE i % 3 = 0), max(i) FILTER (WHERE i < 50) FROM generate_series(1, 100) i;
SELECT count(*) FILTER (WHERE count(*) > 1) FROM (VALUES (1)) t(x);
-- grouping sets
SELECT x, y, sum(z), grouping(x), grouping(x, y), count(*)
FROM (VALUES (1, 'a', 10), (1, 'b', 20), (2, 'a', 30), (NULL, 'a', 1)) t(x, y, z)
GROUP BY ROLLUP (x, y) ORDER BY 1, 2, 4;
SELECT x, y, sum(z) FROM (VALUES (1, 'a', 10), (1, 'b', 20), (2, 'a', 30)) t(x, y, z)
GROUP BY CUBE (x, y) ORDER BY 1, 2;
SELECT x, y, sum(z) FROM (VALUES (1, 'a', 10), (1, 'b', 20), (2, 'a', 30)) t(x, y, z)
GROUP BY GROUPING SETS ((x), (y), (), (x)) ORDER BY 1, 2;
SELECT x, y, sum(z) FROM (VALUES (1, 'a', 10), (1, 'b', 20), (2, 'a', 30)) t(x, y, z)
GROUP BY DISTINCT GROUPING SETS ((x), (y), (), (x)) ORDER BY 1, 2;
SELECT x, y, z, count(*) FROM (VALUES (1, 'a', 10), (1, 'b', 20), (2, 'a', 30)) t(x, y, z)
GROUP BY GROUPING SETS ((x, y), (y, z)) ORDER BY 1, 2, 3;
SELECT x, sum(x) FROM (VALUES (1), (2)) t(x) GROUP BY ROLLUP (x) ORDER BY 1;
SELECT x, y, count(*) FROM (VALUES (1, 'a'), (1, 'b')) t(x, y) GROUP BY x, ROLLUP (y) ORDER BY 1, 2;
SELECT x + 1 AS k, count(*) FROM (VALUES (1), (2)) t(x) GROUP BY ROLLUP (x + 1)
HAVING count(*) > 0 ORDER BY k;
SELECT x, count(*) FROM (VALUES (1), (2)) t(x) GROUP BY GROUPING SETS ((x), ())
ORDER BY grouping(x), x;
SELECT i % 3 AS m, i % 2 AS p, count(*), sum(i) FROM generate_series(1, 3000) i
GROUP BY CUBE (i % 3, i % 2) ORDER BY 1, 2;
SELECT count(*) FROM (VALUES (1)) t(x) GROUP BY ();
SELECT grouping(y) FROM (VALUES (1, 'a')) t(x, y) GROUP BY x;
-- generate_series
SELECT * FROM generate_series(1, 5);
SELECT * FROM generate_series(1, 10, 3) AS g(i);
SELECT g FROM generate_series(5, 1, -2) g;
SELECT count(*), sum(i) FROM generate_series(1, 100000) g(i);
SELECT * FROM generate_series(1::bigint, 3);
SELECT * FROM generate_series(1.0, 2.0, 0.5);
SELECT * FROM generate_series(2147483645, 2147483647);
SELECT * FROM generate_series(3, 1);
SELECT * FROM generate_series(1, NULL);
SELECT * FROM generate_series('2020-01-31'::timestamp, '2020-06-01', '1 month');
SET timezone = 'UTC';
SELECT * FROM generate_series('2020-01-01'::date, '2020-01-04'::date, '1 day');
SELECT * FROM generate_series('2020-01-01 00:00'::timestamptz, '2020-01-01 03:00', interval '90 minutes');
RESET timezone;
SELECT a.i, b.j FROM generate_series(1, 2) a(i), generate_series(1, 3) b(j) WHERE a.i < b.j ORDER BY 1, 2;
\set VERBOSITY terse
SELECT * FROM generate_series(1, 3, 0);
SELECT * FROM generate_series(1, 2.5::float8);
\set VERBOSITY default
