-- Arrays: literals, text output, constructors, subscripts, ANY/ALL, functions, operators.
-- Runs unchanged on PostgreSQL 15, which wrote the expected output.
SELECT '{1,2,NULL}'::int[] AS a, ARRAY[1,2,3] AS b, '{a,"b c","",NULL,"\"q\"",null}'::text[] AS c;
SELECT '{ 1 , 2 }'::int[], '{" a ",b\,c,"\\"}'::text[], '{"NULL",NULL}'::text[], '{x\ }'::text[];
SELECT ARRAY['x', NULL, 'y z'], ARRAY[1.5, 2], ARRAY[]::int[], '{}'::text[], ARRAY[1, 2.5];
SELECT '{t,f}'::bool[], '{1.5e3,-0.25}'::float8[], '{2024-01-02,2000-02-29}'::date[], '{12:34:56}'::time[];
SELECT '{"2024-01-02 03:04:05"}'::timestamp[], '{1 day,"2 hours"}'::interval[], '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid[];
SELECT '{"{\"b\": 1, \"a\": [1, 2]}"}'::jsonb[], '{"\\x0102"}'::bytea[], '{ab,c}'::varchar(1)[], '{1.239}'::numeric(5,2)[];
SELECT '{1,2}'::int[]::text, '{1.5,2.25}'::numeric[]::int[], '{1,2}'::int[]::bigint[], ARRAY[1,2]::text[];
SELECT (ARRAY[10,20,30])[2], (ARRAY[10,20,30])[5], (ARRAY[10,20,30])[0], (ARRAY[10,20,30])[NULL::int];
SELECT (ARRAY[10,20,30])[2:3], (ARRAY[10,20,30])[:2], (ARRAY[10,20,30])[2:], (ARRAY[10,20,30])[3:2], ('{a,b}'::text[])[1];
SELECT 2 = ANY(ARRAY[1,2,3]), 5 = ANY('{1,2}'), 1 < ALL(ARRAY[2,3]), NULL::int = ANY('{}'::int[]), 3 = ANY(ARRAY[1,NULL]);
SELECT 1 = ANY(ARRAY[1,NULL]), 3 <> ALL(ARRAY[1,2]), 3 <> ALL(ARRAY[1,NULL]), 1 = ALL('{}'::int[]), NULL::int = ANY(ARRAY[1]);
SELECT 'b' = ANY('{a,b}'::text[]), 2.0 = ANY(ARRAY[1,2]), 2 >= ALL(ARRAY[1,2]), 1 = ANY(NULL::int[]);
SELECT array_length(ARRAY[1,2,3],1), array_length(ARRAY[1,2,3],2), array_length('{}'::int[],1), cardinality('{}'::int[]), cardinality(ARRAY['a','b']);
SELECT array_lower(ARRAY[1,2],1), array_upper(ARRAY[1,2],1), array_ndims(ARRAY[1,2]), array_ndims('{}'::int[]), array_dims(ARRAY[1,2]), array_dims('{}'::int[]);
SELECT array_to_string(ARRAY[1,NULL,3], ','), array_to_string(ARRAY[1,NULL,3], ',', '*'), array_to_string(ARRAY['a b','c'], '-');
SELECT string_to_array('a,b,,c', ','), string_to_array('a,b,,c', ',', ''), string_to_array('abc', NULL), string_to_array('', ','), string_to_array('a<>b', '<>');
SELECT ARRAY[1,2] || 3, 0 || ARRAY[1,2], ARRAY[1,2] || ARRAY[3], ARRAY[1] || '{2,3}', ARRAY['a'] || 'b'::text;
SELECT array_append(ARRAY[1,2], NULL), array_prepend(0, ARRAY[1]), array_cat(ARRAY[1], NULL), array_cat(NULL::int[], ARRAY[2]), array_append(NULL::int[], 1);
SELECT array_remove(ARRAY[1,2,1],1), array_remove(ARRAY[1,NULL,2], NULL), array_replace(ARRAY[1,2,1],1,9), array_replace(ARRAY[1,NULL],NULL,0);
SELECT array_positions(ARRAY[1,2,1],1), array_position(ARRAY['a','b'],'b'), array_position(ARRAY[1,2,1],1,2), array_position(ARRAY[1,2],5), array_position(ARRAY[1,NULL],NULL);
SELECT ARRAY[1,2] @> ARRAY[1], ARRAY[1,2] <@ ARRAY[1], ARRAY[1,2] && ARRAY[2,5], ARRAY[1,NULL] @> ARRAY[NULL::int], '{}'::int[] <@ ARRAY[1];
SELECT ARRAY[1,2] = ARRAY[1,2], ARRAY[1,2] <> ARRAY[1,2,3], ARRAY[1,2] < ARRAY[1,3], ARRAY[1,2] < ARRAY[1,2,0], ARRAY[1,NULL] > ARRAY[1,5], ARRAY[1,NULL] = ARRAY[1,NULL];
SELECT v, v[1] AS first FROM (VALUES (ARRAY[3,1]), (ARRAY[1,2,3]), ('{}'::int[]), (ARRAY[1,NULL]), (NULL), (ARRAY[1,2])) t(v) ORDER BY v;
SELECT v, count(*) FROM (VALUES (ARRAY['a','b']), (ARRAY['a']), (ARRAY['a','b']), (NULL)) t(v) GROUP BY v ORDER BY v;
SELECT DISTINCT v FROM (VALUES (ARRAY[1.0,2]), (ARRAY[1,2.00]), (ARRAY[2])) t(v) ORDER BY 1;
SELECT n FROM (VALUES (1, ARRAY[1,2]), (2, ARRAY[3]), (3, NULL)) t(n, a) WHERE 2 = ANY(a) OR a IS NULL ORDER BY n;
SELECT x::int[] FROM (VALUES ('{1,2}'), ('{}'), (NULL)) t(x);
-- array_agg and unnest
SELECT array_agg(x) FROM (VALUES (3), (NULL), (1)) t(x);
SELECT array_agg(x ORDER BY x), array_agg(x ORDER BY x DESC NULLS LAST), array_agg(DISTINCT x ORDER BY x) FROM (VALUES (3), (2), (1), (3)) t(x);
SELECT g, array_agg(s ORDER BY s), array_agg(s ORDER BY s DESC) FROM (VALUES (1, 'b'), (1, 'a'), (2, 'c')) t(g, s) GROUP BY g ORDER BY g;
SELECT array_agg(x) IS NULL AS empty FROM (VALUES (1)) t(x) WHERE x > 5;
SELECT * FROM unnest(ARRAY[1,2,NULL]);
SELECT * FROM unnest('{a,b}'::text[]) WITH ORDINALITY AS t(x, n);
SELECT * FROM unnest(ARRAY[1,2], ARRAY['a','b','c']) AS t(i, s);
SELECT x * 10 FROM unnest(ARRAY[1,2]) x ORDER BY 1 DESC;
SELECT count(*) FROM unnest('{}'::int[]);
SELECT array_agg(u ORDER BY u DESC) FROM unnest(ARRAY[2,3,1]) u;
-- ARRAY(subquery): array_agg in a scalar subquery, '{}' when it has no rows
SELECT ARRAY(SELECT x FROM (VALUES (3),(1),(2)) t(x) ORDER BY x) AS up, ARRAY(SELECT x FROM (VALUES (3),(1),(2)) t(x) ORDER BY x DESC) AS down;
SELECT ARRAY(SELECT x FROM (VALUES (3),(1),(2)) t(x) WHERE x > 5) AS empty, ARRAY(SELECT x FROM (VALUES (3)) t(x) WHERE x > 5) IS NULL AS isnull;
SELECT ARRAY(SELECT s AS y FROM (VALUES ('b'),('a'),(NULL)) t(s) ORDER BY y) AS by_alias, ARRAY(SELECT x FROM (VALUES (1),(2)) t(x) ORDER BY -x) AS by_expr;
SELECT g, ARRAY(SELECT x FROM (VALUES (1,10),(1,11),(2,20)) u(k,x) WHERE u.k = t.g ORDER BY x DESC) AS eq FROM (VALUES (1),(2),(3)) t(g) ORDER BY g;
SELECT g, ARRAY(SELECT x FROM (VALUES (1,10),(1,11),(2,20)) u(k,x) WHERE u.k > t.g ORDER BY x) AS gt FROM (VALUES (1),(2),(3)) t(g) ORDER BY g;
SELECT ARRAY(SELECT DISTINCT x FROM (VALUES (3),(1),(3)) t(x) ORDER BY x) AS d, ARRAY(SELECT x FROM (VALUES (3),(1),(2)) t(x) ORDER BY x LIMIT 2 OFFSET 1) AS l;
SELECT ARRAY(SELECT max(x) FROM (VALUES (3),(1)) t(x)) AS agg, cardinality(ARRAY(SELECT 1 UNION SELECT 2)) AS setop;
SELECT array_length(ARRAY(SELECT x FROM (VALUES (1),(2)) t(x) WHERE x > 1), 1) + 1 AS len;
-- array_agg FILTER and DISTINCT keep NULL values as elements
SELECT array_agg(x) FILTER (WHERE x > 1) AS f, array_agg(DISTINCT x) AS d, array_agg(DISTINCT x) FILTER (WHERE x IS NULL OR x < 2) AS df FROM (VALUES (1),(2),(NULL),(2),(NULL),(1)) t(x);
SELECT g, array_agg(DISTINCT x) FROM (VALUES (1, NULL::int), (1, NULL), (2, 3), (2, NULL), (2, 3)) t(g, x) GROUP BY g ORDER BY g;
SELECT array_agg(DISTINCT s ORDER BY s DESC) FROM (VALUES ('a'), (NULL), ('b'), ('a')) t(s);
-- unnest over columns in FROM (implicitly LATERAL) and in the select list
SELECT t.id, u.x FROM (VALUES (1, ARRAY[10,20]), (2, NULL), (3, '{}'::int[]), (4, ARRAY[40,NULL])) t(id, arr), unnest(t.arr) AS u(x) ORDER BY 1, 2;
SELECT t.id, u.* FROM (VALUES (1, ARRAY['a','b']), (2, ARRAY['c'])) t(id, arr) CROSS JOIN LATERAL unnest(t.arr) WITH ORDINALITY AS u(x, n) ORDER BY 1, 3;
SELECT id, x, y FROM (VALUES (1, ARRAY[1,2,3], ARRAY['a'])) t(id, a, b), unnest(a, b) AS u(x, y) ORDER BY x;
SELECT count(*), sum(x), count(DISTINCT x) FROM (SELECT ARRAY[n, n + 1, NULL] AS a FROM generate_series(1, 5000) g(n)) t, unnest(t.a) x;
SELECT s.k, count(*) FROM (VALUES (1, 'a b c'), (2, 'd')) s(k, txt), unnest(string_to_array(s.txt, ' ')) w GROUP BY s.k ORDER BY 1;
SELECT unnest(ARRAY[1,2,3]);
SELECT unnest(ARRAY[1,2]) AS a, unnest(ARRAY['x','y','z']) AS b;
SELECT id, unnest(arr) FROM (VALUES (1, ARRAY[10,20]), (2, NULL), (3, ARRAY[30])) t(id, arr) WHERE id < 3 ORDER BY 2 DESC;
SELECT id, unnest(arr)::text AS t FROM (VALUES (1, ARRAY[10,20])) t(id, arr) ORDER BY 2 DESC LIMIT 1;
-- errors: PostgreSQL's SQLSTATE and message
SELECT '{1,2'::int[];
SELECT '1,2'::int[];
SELECT '{1,2}x'::int[];
SELECT '{1,,2}'::int[];
SELECT '{1,a}'::int[];
SELECT '{"a"b}'::text[];
SELECT '{a,}'::text[];
SELECT ARRAY[]::int[] = ARRAY[1] AS ok, ARRAY[1, 'x'];
SELECT ARRAY[];
SELECT (1)[1];
SELECT 1 = ANY(1);
SELECT ARRAY(SELECT x, x FROM (VALUES (1)) t(x));
