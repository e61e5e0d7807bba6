--
-- Set-returning functions in the FROM of a correlated subquery whose
-- arguments name columns of the outer query (psql's \d footers): they run
-- over the distinct outer values, and the subquery is decorrelated as over
-- an equality with them. generate_series, unnest (WITH ORDINALITY), scalar
-- aggregates and non-aggregates, ORDER BY ... LIMIT, ARRAY(subquery),
-- EXISTS / IN, LATERAL, NULL and empty inputs. Data comes from VALUES so
-- that the expected output is PostgreSQL's own.
--
-- generate_series over outer columns: sum, count(*) (0 for no rows), NULL bounds
WITH t(id, lo, hi) AS (VALUES (1, 1, 3), (2, 5, 4), (3, NULL, 2), (4, 2, 2), (5, 1, 3))
SELECT id, (SELECT sum(s) FROM generate_series(t.lo, t.hi) s) AS total,
       (SELECT count(*) FROM generate_series(t.lo, t.hi) s) AS n,
       (SELECT max(s) FROM generate_series(t.lo, t.hi, 2) s) AS top
FROM t ORDER BY id;
-- arguments computed from the outer row: a NULL column can still give a series
WITH t(id, x) AS (VALUES (1, 2), (2, NULL), (3, 0))
SELECT id, (SELECT count(*) FROM generate_series(1, coalesce(t.x, 3)) s) AS n,
       (SELECT sum(s) FROM generate_series(1, coalesce(t.x, 3)) s) AS total,
       (SELECT count(*) FROM unnest(coalesce(ARRAY[t.x], ARRAY[7, 8])) u) AS elems
FROM t ORDER BY id;
-- a step from the outer row, and a series joined to a relation of the subquery
WITH t(id, step) AS (VALUES (1, 1), (2, 2), (3, 5)),
     names(num, name) AS (VALUES (1, 'one'), (2, 'two'), (3, 'three'), (5, 'five'))
SELECT id, (SELECT string_agg(name, ',' ORDER BY num) FROM generate_series(1, 5, t.step) s, names
            WHERE names.num = s) AS picked
FROM t ORDER BY id;
-- psql's publication columns: subscripts of an outer array by the series value
WITH pr(id, attrs) AS (VALUES (1, ARRAY[2, 1]), (2, NULL), (3, ARRAY[3]), (4, ARRAY[]::int[])),
     att(num, name) AS (VALUES (1, 'a'), (2, 'b'), (3, 'c'))
SELECT id, (SELECT string_agg(name, ', ' ORDER BY name)
            FROM generate_series(1, array_upper(pr.attrs, 1)) s, att
            WHERE num = attrs[s]) AS cols
FROM pr ORDER BY id;
-- unnest of an outer array column: aggregates, NULL and empty arrays, NULL elements
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id, (SELECT max(x) FROM unnest(t.a) x) AS m, (SELECT count(*) FROM unnest(t.a) x) AS n,
       (SELECT count(x) FROM unnest(t.a) x) AS nonnull
FROM t ORDER BY id;
-- a non-aggregate scalar subquery: one row, none (NULL), or an error for several
WITH t(id, a) AS (VALUES (1, ARRAY[7]), (2, ARRAY[]::int[]), (3, NULL))
SELECT id, (SELECT x * 10 FROM unnest(t.a) x) AS v FROM t ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[7, 8]))
SELECT id, (SELECT x FROM unnest(t.a) x) AS v FROM t;
-- WITH ORDINALITY and ORDER BY ... LIMIT / OFFSET per outer row
WITH t(id, a) AS (VALUES (1, ARRAY[10, 20, 30]), (2, NULL), (3, ARRAY[7]), (4, ARRAY[]::int[]))
SELECT id,
       (SELECT x FROM unnest(t.a) WITH ORDINALITY AS u(x, n) ORDER BY n DESC LIMIT 1) AS last,
       (SELECT n FROM unnest(t.a) WITH ORDINALITY AS u(x, n) WHERE x > 15 ORDER BY n LIMIT 1) AS first_big,
       (SELECT x FROM unnest(t.a) WITH ORDINALITY AS u(x, n) ORDER BY n LIMIT 1 OFFSET 1) AS second
FROM t ORDER BY id;
WITH t(id) AS (VALUES (1), (2), (3), (4))
SELECT id, (SELECT s FROM generate_series(1, t.id) s ORDER BY s % 2, s DESC LIMIT 1) AS g FROM t ORDER BY id;
-- ORDER BY ... LIMIT in a correlated scalar subquery over a relation
WITH t(id) AS (VALUES (1), (2), (3)), u(k, v) AS (VALUES (1, 5), (1, 6), (2, 7), (2, NULL))
SELECT id, (SELECT v FROM u WHERE u.k = t.id ORDER BY v DESC NULLS LAST LIMIT 1) AS top,
       (SELECT v FROM u WHERE u.k = t.id ORDER BY v NULLS FIRST LIMIT 1) AS low
FROM t ORDER BY id;
-- LIMIT 2 still checks that a scalar subquery gives at most one row
WITH t(id, a) AS (VALUES (1, ARRAY[3, 1, 2]))
SELECT id, (SELECT x FROM unnest(t.a) x ORDER BY x LIMIT 2) FROM t;
-- ARRAY(subquery) over an outer array: psql's reloptions || toast.* options
WITH t(id, a) AS (VALUES (1, ARRAY['x', 'y']), (2, NULL), (3, ARRAY['z']), (4, ARRAY[]::text[]))
SELECT id, array(SELECT 'toast.' || x FROM unnest(t.a) x) AS opts,
       array_to_string(ARRAY['fillfactor=70'] || array(SELECT 'toast.' || x FROM unnest(t.a) x), ', ') AS s
FROM t ORDER BY id;
WITH t(id, n) AS (VALUES (1, 3), (2, 0), (3, NULL))
SELECT id, ARRAY(SELECT s * s FROM generate_series(1, t.n) s ORDER BY s DESC) AS squares FROM t ORDER BY id;
-- EXISTS / NOT EXISTS / IN with such a function, in WHERE and as values
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id FROM t WHERE EXISTS (SELECT 1 FROM unnest(t.a) x WHERE x > 2) ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM unnest(t.a) x) ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id, EXISTS (SELECT 1 FROM unnest(t.a) x WHERE x > 2) OR id = 2 AS e,
       CASE WHEN EXISTS (SELECT FROM generate_series(1, array_length(t.a, 1)) s WHERE s > 2)
            THEN 'long' ELSE 'short' END AS len
FROM t ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id FROM t WHERE 2 IN (SELECT x FROM unnest(t.a) x) ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id, 5 IN (SELECT x FROM unnest(t.a) x) AS has5 FROM t ORDER BY id;
-- NOT IN: NULL when the array holds a NULL and no match
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id, 5 NOT IN (SELECT x FROM unnest(t.a) x) AS no5, 1 NOT IN (SELECT x FROM unnest(t.a) x) AS no1
FROM t ORDER BY id;
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[]::int[]), (3, NULL), (4, ARRAY[5, NULL]))
SELECT id FROM t WHERE 1 NOT IN (SELECT x FROM unnest(t.a) x) ORDER BY id;
-- outer columns in the subquery's WHERE as well as in the function
WITH t(id, a) AS (VALUES (1, ARRAY[1, 2, 3]), (2, ARRAY[4]))
SELECT id, (SELECT sum(x + y) FROM unnest(t.a) x, (VALUES (1), (2)) v(y) WHERE x > t.id) AS s
FROM t ORDER BY id;
-- a LATERAL subquery over the function
WITH t(id, a) AS (VALUES (1, ARRAY[4, 5]), (2, NULL), (3, ARRAY[6]))
SELECT t.id, s.x, s.n FROM t, LATERAL (SELECT x, n FROM unnest(t.a) WITH ORDINALITY AS u(x, n) WHERE x > 4) s
ORDER BY 1, 3;
-- several functions and outer rows sharing values
WITH t(id, a, n) AS (VALUES (1, ARRAY[1, 2], 2), (2, ARRAY[1, 2], 3), (3, ARRAY[9], 2))
SELECT id, (SELECT count(*) FROM unnest(t.a) x, generate_series(1, t.n) s WHERE x <= s) AS pairs
FROM t ORDER BY id;
-- pg_partition_ancestors: no relation is part of a partition tree here, so no rows
SELECT * FROM pg_catalog.pg_partition_ancestors('pg_class');
SELECT relid, depth FROM pg_partition_ancestors('pg_class') WITH ORDINALITY AS a(relid, depth);
SELECT count(*) FROM pg_catalog.pg_class c
WHERE c.oid IN (SELECT pg_catalog.pg_partition_ancestors('pg_class')
                UNION ALL VALUES ('pg_class'::pg_catalog.regclass));
SELECT c.relname,
       (SELECT a.relid FROM pg_catalog.pg_partition_ancestors(c.oid) WITH ORDINALITY AS a(relid, depth)
        ORDER BY a.depth LIMIT 1) IS NULL AS no_parent
FROM pg_catalog.pg_class c WHERE c.relname = 'pg_class';
SELECT * FROM pg_partition_ancestors('no_such_table');
