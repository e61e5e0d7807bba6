-- PostgreSQL-dialect details that Ferry must answer as PostgreSQL 15 does:
-- interval fields, recursive string columns, error positions and wording,
-- scalar subqueries, regular expression flags, SEARCH sequence subscripts.
-- interval hh:mm[:ss] fields: minutes above 59 are out of range, hours are not
SELECT interval '25:59', interval '1:00:60', interval '100:00';
SELECT interval '25:61';
\echo :LAST_ERROR_SQLSTATE
SELECT interval '1:60';
SELECT interval '1 25:61';
SELECT interval '-1:61:00';
-- the recursive term's text becomes the non-recursive term's varchar
WITH RECURSIVE t(x) AS (SELECT 'a'::varchar UNION ALL SELECT x || 'b' FROM t WHERE length(x) < 3)
SELECT x FROM t;
WITH RECURSIVE t(x) AS (SELECT 'a'::text UNION ALL SELECT x::varchar FROM t WHERE length(x) < 0)
SELECT x FROM t;
WITH RECURSIVE t(x) AS (SELECT 'a'::varchar(5) UNION ALL SELECT x FROM t WHERE length(x) < 0)
SELECT x FROM t;
WITH RECURSIVE t(x) AS (SELECT 'a'::varchar(5) UNION ALL SELECT x || 'b' FROM t WHERE length(x) < 3)
SELECT x FROM t;
\echo :LAST_ERROR_SQLSTATE
-- a bad literal is reported at the literal
SELECT 'x'::int;
\echo :LAST_ERROR_SQLSTATE
SELECT 1 + 'x'::int;
SELECT  ('x')::int;
SELECT cast('x' AS int);
SELECT int 'x';
-- type names in operator errors
SELECT 1 + now()::time;
SELECT 1 + now();
SELECT 1 + '2020-01-01'::timestamp;
SELECT 1 + interval '1 day';
SELECT date '2020-01-01' + time '10:00' + 1;
-- a scalar subquery with more than one row
SELECT (SELECT x FROM (VALUES (1), (2)) v(x));
\echo :LAST_ERROR_SQLSTATE
SELECT 1 WHERE 1 = (SELECT x FROM (VALUES (1), (2)) v(x));
SELECT (SELECT x FROM (VALUES (1), (2)) v(x) WHERE x > 1);
SELECT (SELECT x FROM (VALUES (1), (2)) v(x) ORDER BY x);
SELECT (SELECT x FROM (VALUES (1), (2)) v(x) ORDER BY x DESC LIMIT 1), (SELECT x FROM (VALUES (1), (2)) v(x) LIMIT 3 OFFSET 1);
SELECT (SELECT x > 1 FROM (VALUES (1), (2)) v(x) WHERE x > 1), (SELECT x FROM (VALUES (1)) v(x) WHERE x > 1);
SELECT (SELECT x > 1 FROM (VALUES (1), (2)) v(x));
-- regular expression flags and embedded options
SELECT regexp_replace('a b', 'a b', 'X', 'x'), regexp_replace('ab', 'a b', 'X', 'x');
SELECT regexp_replace('a b', E'a # comment\n \\ b', 'X', 'x');
SELECT regexp_match('ab', 'A B', 'xi'), regexp_match('ab', 'A B', 'xic'), regexp_match('a b', 'a b', 'xt');
SELECT regexp_match(E'a\nb', 'a.b', 's'), regexp_match(E'a\nb', 'a.b', 'p'), regexp_match(E'a\nb', 'a.b', 'n');
SELECT regexp_match(E'a\nb', 'a[^x]b', 'p'), regexp_match(E'x\nb', '^b', 'p'), regexp_match(E'x\nb', '^b', 'n');
SELECT regexp_match('a.b', 'a.b', 'q'), regexp_match('axb', 'a.b', 'q'), regexp_match('A.B(', 'a.b(', 'qi');
SELECT 'aB' ~ '(?i)ab', 'aB' ~ '(?x) a B', 'a.' ~ '***=a.', 'ab' ~ '***=a.', 'ab' ~ '***:a.';
SELECT regexp_count('a1 b2', '\d', 1, 'x'), regexp_like(E'A\nb', 'a.B', 'ip');
SELECT regexp_match('ab', 'a', 'z');
\echo :LAST_ERROR_SQLSTATE
SELECT regexp_replace('aaa', 'a', 'b', 'gz');
SELECT regexp_match('ab', 'a', 'g');
