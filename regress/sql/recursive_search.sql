-- WITH RECURSIVE ... SEARCH DEPTH/BREADTH FIRST BY ... SET and CYCLE ... SET ... USING,
-- as PostgreSQL 15 rewrites them (the sequence and path columns print as records).
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 12)
  SEARCH DEPTH FIRST BY n SET seq
SELECT * FROM s ORDER BY seq DESC LIMIT 3;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 12)
  SEARCH BREADTH FIRST BY n SET seq
SELECT * FROM s ORDER BY seq;
-- a graph with two paths to 3 and a cycle back to 1
WITH RECURSIVE g(f, t, label) AS (
    VALUES (1, 2, 'a'), (2, 3, 'b'), (3, 4, 'c'), (1, 3, 'd'), (4, 1, 'e'), (10, 11, 'x y')),
  s(f, t, label) AS (
    SELECT * FROM g WHERE f = 1
    UNION ALL
    SELECT g.* FROM g, s WHERE g.f = s.t)
  SEARCH DEPTH FIRST BY f, t SET seq
  CYCLE f, t SET is_cycle USING path
SELECT * FROM s ORDER BY seq;
-- a tree, breadth first: the depth leads the sequence record
WITH RECURSIVE tree(parent, child) AS (VALUES (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (2, 7)),
  s(node, up) AS (SELECT 1, 0 UNION ALL SELECT child, parent FROM tree JOIN s ON tree.parent = s.node)
  SEARCH BREADTH FIRST BY up, node SET ord CYCLE node SET looped USING trail
SELECT ord, node, looped, trail FROM s ORDER BY ord;
-- text columns, a mark of another type, an alias for the recursive reference
WITH RECURSIVE g(f, t, label) AS (
    VALUES (1, 2, 'a'), (2, 3, 'b'), (3, 4, 'c'), (1, 3, 'd'), (4, 1, 'e')),
  s(f, t, label) AS (
    SELECT * FROM g WHERE f = 1
    UNION ALL
    SELECT g.* FROM g JOIN s AS prev ON g.f = prev.t)
  SEARCH DEPTH FIRST BY label SET seq
  CYCLE label SET is_cycle TO 'Y' DEFAULT 'N' USING path
SELECT * FROM s ORDER BY seq;
-- the cycle stops the recursion on its own; UNION (not ALL) too
WITH RECURSIVE g(f, t) AS (VALUES (1, 2), (2, 3), (3, 1), (3, 4)),
  s(n) AS (SELECT 1 UNION SELECT g.t FROM g, s WHERE g.f = s.n)
  CYCLE n SET c USING p
SELECT n, c, p FROM s ORDER BY p;
WITH RECURSIVE g(f, t, w) AS (VALUES (1, 2, 'x "q"'), (2, 1, 'y,z'), (2, 3, NULL)),
  s(f, t, w) AS (SELECT * FROM g WHERE f = 1 UNION ALL SELECT g.* FROM g, s WHERE g.f = s.t)
  CYCLE f, w SET c USING p
SELECT * FROM s ORDER BY p;
SELECT count(*) FROM (
  WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n % 5 + 1 FROM s)
    CYCLE n SET c USING p
  SELECT * FROM s) x;
-- errors
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  SEARCH DEPTH FIRST BY m SET seq
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  SEARCH DEPTH FIRST BY n, n SET seq
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  CYCLE n, n SET c USING p
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1)
  SEARCH DEPTH FIRST BY n SET seq
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  CYCLE x SET c USING p
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  CYCLE n SET c USING c
SELECT * FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  SEARCH DEPTH FIRST BY n SET seq
  CYCLE n SET seq USING p
SELECT * FROM s;
-- the DEPTH FIRST sequence is an array of records: a subscript is one record
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 4)
  SEARCH DEPTH FIRST BY n SET seq
SELECT n, seq[1] AS first, seq[n] AS last, seq[n + 1] AS beyond, seq[0] AS zero, seq[2:3] AS mid,
  seq[:2] AS head, seq[3:] AS tail FROM s ORDER BY seq;
WITH RECURSIVE g(f, t) AS (VALUES (1, 2), (2, 3), (1, 3)),
  s(f, t) AS (SELECT * FROM g WHERE f = 1 UNION ALL SELECT g.* FROM g, s WHERE g.f = s.t)
  SEARCH DEPTH FIRST BY f, t SET seq
SELECT seq, seq[2] AS second, seq[1] = seq[1] AS eq, seq[1] < seq[2] AS lt, seq[1:1] AS one FROM s ORDER BY seq;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3)
  SEARCH BREADTH FIRST BY n SET seq
SELECT seq[1] FROM s;
