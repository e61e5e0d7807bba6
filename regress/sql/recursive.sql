--
-- WITH RECURSIVE: the working-table iteration, UNION vs UNION ALL, several
-- items in one list, joins in the recursive term, column types and
-- PostgreSQL's errors for malformed recursion. Data comes from VALUES and
-- generate_series so that the expected output is PostgreSQL's own.
--
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t;
WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t WHERE n < 100) SELECT sum(n), count(*) FROM t;
-- UNION drops rows already produced, so a cycle ends
WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n % 5 + 1 FROM t) SELECT * FROM t ORDER BY n;
WITH RECURSIVE t(n, m) AS (SELECT 1, NULL::int UNION SELECT n, m FROM t) SELECT * FROM t;
-- several columns; an untyped literal becomes text
WITH RECURSIVE t(n, s) AS (SELECT 1, 'a' UNION ALL SELECT n + 1, s || 'b' FROM t WHERE n < 4) SELECT * FROM t;
WITH RECURSIVE fib(a, b) AS (SELECT 0::bigint, 1::bigint UNION ALL SELECT b, a + b FROM fib WHERE b < 100)
SELECT a FROM fib;
WITH RECURSIVE t(n) AS (SELECT 1.0 UNION ALL SELECT n + 0.25 FROM t WHERE n < 2) SELECT * FROM t;
-- names without a column list come from the non-recursive term
WITH RECURSIVE t AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM t WHERE x < 3) SELECT x FROM t;
-- the recursive item referenced twice in the main query
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 4)
SELECT a.n, b.n FROM t a JOIN t b ON a.n = b.n + 1 ORDER BY 1;
-- several items, some not recursive, forward references allowed under RECURSIVE
WITH RECURSIVE total AS (SELECT count(*) AS c, sum(n) AS s FROM down),
  down(n) AS (SELECT x FROM start UNION ALL SELECT n - 1 FROM down WHERE n > 0),
  start AS (SELECT 5 AS x)
SELECT * FROM total;
-- graph traversal: a join in the recursive term
WITH RECURSIVE edges(src, dst) AS (VALUES (1, 2), (1, 3), (2, 4), (3, 4), (4, 5), (5, 1), (6, 7)),
  reach(node, depth) AS (
    SELECT 1, 0
    UNION
    SELECT e.dst, r.depth + 1 FROM reach r JOIN edges e ON e.src = r.node WHERE r.depth < 6)
SELECT node, min(depth), count(*) FROM reach GROUP BY node ORDER BY node;
WITH RECURSIVE edges(src, dst) AS (VALUES (1, 2), (1, 3), (2, 4), (3, 4), (4, 5), (5, 1)),
  reach(node) AS (SELECT 1 UNION SELECT e.dst FROM edges e JOIN reach r ON e.src = r.node)
SELECT node FROM reach ORDER BY node;
-- a tree: paths from the root, with depth
WITH RECURSIVE tree(id, parent, name) AS (
    VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 2, 'a2'), (6, 5, 'a2x')),
  path(id, depth, p) AS (
    SELECT id, 0, name FROM tree WHERE parent IS NULL
    UNION ALL
    SELECT t.id, path.depth + 1, path.p || '/' || t.name FROM tree t JOIN path ON t.parent = path.id)
SELECT * FROM path ORDER BY p;
-- the preserved side of an outer join, a FROM subquery, DISTINCT in the recursive term
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL
  SELECT t.n + 1 FROM t LEFT JOIN generate_series(1, 2) g ON g = t.n WHERE t.n < 4) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM (SELECT * FROM t) s WHERE n < 3) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT DISTINCT n + 1 FROM t, generate_series(1, 3) WHERE n < 3)
SELECT n, count(*) FROM t GROUP BY n ORDER BY n;
-- a recursive term producing many rows per iteration
WITH RECURSIVE t(n, k) AS (SELECT 0, 1 UNION ALL SELECT n + 1, k * 2 + g FROM t, generate_series(0, 1) g WHERE n < 10)
SELECT n, count(*), count(DISTINCT k), max(k) FROM t GROUP BY n ORDER BY n;
-- a recursive item used in a subquery of the main query
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10)
SELECT g FROM generate_series(8, 12) g WHERE g IN (SELECT n FROM t) ORDER BY g;
-- an item of a RECURSIVE list that does not name itself is an ordinary one
WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT 2) SELECT * FROM t ORDER BY n;
-- errors
\set VERBOSITY terse
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1.5 FROM t WHERE n < 3) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT n FROM t) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 INTERSECT SELECT n FROM t) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT * FROM t UNION ALL SELECT 1) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT a.n FROM t a, t b) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT 2 WHERE 1 IN (SELECT n FROM t)) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT g FROM generate_series(1, 3) g LEFT JOIN t ON t.n = g) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT g FROM t FULL JOIN generate_series(1, 3) g ON t.n = g) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM t) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL (SELECT n FROM t INTERSECT ALL SELECT 1)) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL (SELECT 1 EXCEPT SELECT n FROM t)) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t ORDER BY 1) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t LIMIT 3) SELECT * FROM t;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n, n FROM t) SELECT * FROM t;
WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n FROM y), y(n) AS (SELECT 1 UNION ALL SELECT n FROM x)
SELECT * FROM x;
-- a runaway recursion is cancelled, and the session goes on
SET statement_timeout = '300ms';
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r;
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
\set VERBOSITY default
SELECT 1 AS still_working;
