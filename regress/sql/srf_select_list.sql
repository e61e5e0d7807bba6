--
-- Set-returning functions in the select list (PostgreSQL 10's ProjectSet):
-- several in one list run in lockstep (the shorter padded with NULLs), they
-- run after aggregation, HAVING and window functions and before DISTINCT,
-- ORDER BY and LIMIT, below the aggregation when GROUP BY reads them;
-- nested calls run the inner one first. Composite results of
-- information_schema._pg_expandarray with field selection, as pgjdbc's
-- getPrimaryKeys and getIndexInfo use them. Data comes from VALUES,
-- generate_series and unnest so that the expected output is PostgreSQL's own.
--
SELECT generate_series(1, 3);
SELECT generate_series(1, 3) AS g, g2 FROM generate_series(5, 6) g2 ORDER BY g2, g;
-- lockstep: the longest sets the row count
SELECT generate_series(1, 3) AS a, generate_series(1, 5) AS b, unnest(ARRAY['x', 'y']) AS c;
SELECT generate_series(1, 2) + generate_series(1, 3) AS s;
SELECT unnest(ARRAY[10, 20]) AS u, generate_series(1, 3, 2) AS g;
-- other element types
SELECT generate_series(1.5, 3.5, 1.0) AS n, unnest(ARRAY[true, false, NULL]) AS b;
SELECT generate_series('2024-01-30'::timestamp, '2024-04-01', '1 month') AS ts;
-- over the rows of FROM, per row
WITH t(a) AS (VALUES (1), (2), (3))
SELECT a, generate_series(1, a) AS g FROM t ORDER BY a, g;
WITH t(a, arr) AS (VALUES (1, ARRAY[1, 2]), (2, ARRAY[3]), (3, NULL))
SELECT a, unnest(arr) AS e, generate_series(a, 2) AS g FROM t ORDER BY a, g, e;
-- generate_subscripts (arrays are one-dimensional here)
SELECT generate_subscripts(ARRAY[5, 6, 7], 1) AS s, generate_subscripts(ARRAY[5, 6, 7], 1, true) AS r;
SELECT generate_subscripts(ARRAY[5, 6, 7], 2) AS s;
WITH t(x, a) AS (VALUES (1, ARRAY['p', 'q']), (2, ARRAY[]::text[]))
SELECT x, generate_subscripts(a, 1) AS i, a[generate_subscripts(a, 1)] AS e FROM t ORDER BY 1, 2;
-- NULL and empty arguments give no rows
SELECT generate_series(1, NULL::int);
SELECT unnest(ARRAY[]::int[]);
SELECT generate_series(3, 1) AS g, unnest(NULL::text[]) AS u;
WITH t(a) AS (VALUES (1), (NULL), (2))
SELECT a, generate_series(1, a) AS g FROM t ORDER BY a, g;
-- after aggregation and HAVING
WITH t(x) AS (VALUES (1), (1), (1), (2), (3), (3))
SELECT x, generate_series(1, count(*)::int) AS k FROM t GROUP BY x ORDER BY x, k;
WITH t(x) AS (VALUES (1), (1), (1), (2), (3), (3))
SELECT x, generate_series(1, count(*)::int) AS k FROM t GROUP BY x HAVING count(*) > 1 ORDER BY x, k;
WITH t(x) AS (VALUES (1), (2), (3))
SELECT generate_series(min(x), max(x)) AS g, sum(x) AS total FROM t;
-- below the aggregation when GROUP BY reads them
WITH t(a) AS (VALUES (1), (2), (3))
SELECT unnest(ARRAY[1, 2]) AS u, count(*) FROM t GROUP BY 1 ORDER BY 1;
SELECT generate_series(1, 10) % 3 AS m, count(*) FROM (VALUES (0)) v GROUP BY 1 ORDER BY 1;
WITH t(a) AS (VALUES (1), (2))
SELECT count(*) AS n, sum(a) AS total FROM t GROUP BY generate_series(1, a) ORDER BY 1;
-- after window functions
WITH t(x) AS (VALUES (10), (20), (30))
SELECT x, row_number() OVER (ORDER BY x) AS rn, generate_series(1, row_number() OVER (ORDER BY x)::int) AS g
FROM t ORDER BY x, g;
-- before DISTINCT, ORDER BY and LIMIT
SELECT DISTINCT generate_series(1, 6) % 3 AS m ORDER BY m;
SELECT generate_series(1, 5) AS g ORDER BY g DESC;
SELECT generate_series(1, 5) AS g ORDER BY g DESC LIMIT 2;
SELECT generate_series(1, 3) AS g, unnest(ARRAY['c', 'a', 'b']) AS u ORDER BY u LIMIT 2 OFFSET 1;
SELECT 1 AS one ORDER BY generate_series(1, 3) DESC;
-- nested: the inner call first
SELECT generate_series(1, generate_series(1, 3)) AS g;
SELECT generate_series(generate_series(1, 2), 3) AS g, generate_series(5, 6) AS h;
-- identical calls are one
SELECT generate_series(1, 3) AS a, generate_series(1, 3) * 10 AS b;
-- in subqueries
SELECT s.g * 2 AS d FROM (SELECT generate_series(1, 4) AS g) s WHERE s.g > 2 ORDER BY d;
SELECT count(*) AS n, sum(g) AS total FROM (SELECT generate_series(1, 5000) AS g, unnest(ARRAY[1, 2]) AS u) s;
SELECT x FROM (VALUES (1), (2), (3)) v(x) WHERE x IN (SELECT generate_series(2, 5)) ORDER BY x;
SELECT (SELECT max(g) FROM (SELECT generate_series(1, 7) AS g) s) AS m;
-- in a LATERAL select list without FROM: per row of the items before it
WITH t(a, arr) AS (VALUES (1, ARRAY[5, 6]), (2, NULL))
SELECT t.a, s.* FROM t CROSS JOIN LATERAL (SELECT unnest(t.arr) AS e, generate_series(1, t.a + 1) AS g) s ORDER BY 1, 3;
-- information_schema._pg_expandarray: a row (x, n) per element
SELECT information_schema._pg_expandarray(ARRAY[5, 7]) AS k;
SELECT (information_schema._pg_expandarray(ARRAY[5, 7])).x, (information_schema._pg_expandarray(ARRAY[5, 7])).n;
SELECT (information_schema._pg_expandarray(ARRAY['a', 'b', NULL])).*;
SELECT * FROM information_schema._pg_expandarray(ARRAY[5, 7]);
SELECT e.n, e.x FROM information_schema._pg_expandarray(ARRAY[5, 7]) e ORDER BY e.n DESC;
WITH t(a, arr) AS (VALUES (1, ARRAY[30, 40]), (2, ARRAY[50]))
SELECT t.a, k.x, k.n FROM t, information_schema._pg_expandarray(t.arr) k ORDER BY 1, 3;
-- pgjdbc's getPrimaryKeys shape: the composite passed out of a subquery, a field compared outside
WITH ix(indkey) AS (VALUES (ARRAY[3, 1]::smallint[])), att(attnum, attname) AS (VALUES (1::smallint, 'a'), (2, 'b'), (3, 'c'))
SELECT result.column_name, result.key_seq
FROM (SELECT att.attname AS column_name, (information_schema._pg_expandarray(ix.indkey)).n AS key_seq,
             information_schema._pg_expandarray(ix.indkey) AS keys, att.attnum AS a_attnum
      FROM ix, att) result
WHERE result.a_attnum = (result.keys).x
ORDER BY result.key_seq;
-- integer bit operators (getIndexInfo's indoption & 1)
SELECT 5::smallint & 1::smallint AS a, 6 | 1 AS o, 6 # 3 AS x, 7::bigint & 2 AS b, NULL::int & 1 AS n;
-- where they are not allowed
SELECT 1 WHERE generate_series(1, 2) > 1;
SELECT 1 HAVING generate_series(1, 2) > 1;
SELECT * FROM (VALUES (1)) v(a) JOIN (VALUES (1)) w(b) ON generate_series(1, 2) = a;
SELECT CASE WHEN true THEN generate_series(1, 2) END;
SELECT coalesce(generate_series(1, 2), 0);
SELECT count(generate_series(1, 2));
SELECT count(*) FILTER (WHERE generate_series(1, 2) > 1);
SELECT generate_series(1, 3) LIMIT generate_series(1, 2);
SELECT (generate_series(1, 2)).x;
SELECT (information_schema._pg_expandarray(ARRAY[1])).foo;
SELECT unnest(1), generate_series(1, 2);
SELECT unnest(ARRAY[1], ARRAY[2]);
SELECT generate_subscripts(1, 1);
SELECT * FROM generate_series(1, generate_series(1, 2));
SELECT * FROM information_schema._pg_expandarray(ARRAY[5, 7]) e(a, b, c);
-- allowed: IS DISTINCT FROM, GREATEST and NULLIF are not CASE
SELECT generate_series(1, 2) IS DISTINCT FROM 1 AS d, greatest(generate_series(1, 2), 0) AS g, nullif(generate_series(1, 2), 1) AS n;
