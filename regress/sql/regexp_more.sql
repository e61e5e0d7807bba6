-- regexp_match, regexp_split_to_array, regexp_instr, and the set-returning
-- regexp_matches and regexp_split_to_table in FROM, as PostgreSQL 15.
SELECT regexp_match('foobarbequebaz', 'bar.*que');
SELECT regexp_match('foobarbequebaz', '(bar)(beque)');
SELECT regexp_match('foobarbequebaz', '(bar)|(zzz)');
SELECT regexp_match('foobarbequebaz', 'xyz') IS NULL AS no_match;
SELECT regexp_match('foobarbequebaz', 'BAR', 'i');
SELECT (regexp_match('foobarbequebaz', '(bar)(beque)'))[2] AS second;
SELECT regexp_match('a b,c', '(a) (b),(c)');
SELECT regexp_match(NULL, 'a') IS NULL AS null_in;
SELECT s, p, regexp_split_to_array(s, p) AS parts
FROM (VALUES (1, 'hello world', '\s+'), (2, 'hello', ''), (3, 'hello world', '\s*'), (4, ',a,,b,', ','),
             (5, '', ','), (6, 'abc', 'x'), (7, 'a"b c', ' ')) v(k, s, p)
ORDER BY k;
SELECT regexp_split_to_array('the quick brown fox', 'E', 'i');
SELECT array_length(regexp_split_to_array('a,b,c', ','), 1) AS n;
SELECT regexp_instr('ABCDEF', 'c(.)(..)', 1, 1, 0, 'i', 2);
SELECT regexp_instr('number of your street, town zip, FR', '[^,]+', 1, 2);
SELECT regexp_instr('abcabc', 'b') AS a, regexp_instr('abcabc', 'b', 3) AS b,
       regexp_instr('abcabc', 'b', 1, 2, 1) AS c, regexp_instr('abcabc', 'x') AS d;
SELECT regexp_instr('héllo wörld', 'ö') AS s, regexp_instr('héllo wörld', 'ö', 1, 1, 1) AS e;
SELECT regexp_instr('abc', '(b)', 1, 1, 0, '', 3) AS no_subexpr;
SELECT s, regexp_instr(s, '[0-9]+', 1, 2) AS second_number, regexp_match(s, '([a-z])([0-9]+)') AS m,
       regexp_split_to_array(s, '[0-9]+') AS parts
FROM (VALUES ('a1b22c333'), ('x'), ('9z')) v(s) ORDER BY s;
SELECT * FROM regexp_split_to_table('hello world  foo', '\s+');
SELECT * FROM regexp_split_to_table('a,b,,c', ',') AS x;
SELECT x.p FROM regexp_split_to_table('a,b,,c', ',') AS x(p);
SELECT * FROM regexp_split_to_table('a,b', ',') WITH ORDINALITY;
SELECT v.s, t FROM (VALUES ('a b'), ('c d e')) v(s), regexp_split_to_table(v.s, ' ') t ORDER BY 1, 2;
SELECT count(*) FROM regexp_split_to_table(repeat('a,', 1000), ',');
SELECT * FROM regexp_matches('foobarbequebaz', '(bar)(beque)');
SELECT * FROM regexp_matches('foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g');
SELECT m[1], m[2] FROM regexp_matches('foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g') AS m;
SELECT * FROM regexp_matches('abc', 'x');
SELECT * FROM regexp_matches('a,"b c"', '(,)(")', 'g');
SELECT * FROM regexp_matches('abc', '', 'g');
SELECT * FROM regexp_matches('ab', '(a)(x)?');
SELECT * FROM regexp_matches('a1b22', '([a-z])([0-9]+)', 'g') WITH ORDINALITY AS x(m, n);
SELECT v.k, r.m, r.m[2] AS digits
FROM (VALUES (1, 'a1b22c333'), (2, 'x'), (3, 'q9')) v(k, s), regexp_matches(v.s, '([a-z])([0-9]+)', 'g') AS r(m)
ORDER BY 1, 2;
SELECT v.k, m FROM (VALUES (1, 'a1b22c333'), (2, NULL)) v(k, s) CROSS JOIN LATERAL regexp_matches(v.s, '[0-9]+', 'g') m
ORDER BY 1, 2;
SELECT * FROM regexp_matches('abc', 'b') m WHERE m[1] = 'b';
-- errors
SELECT regexp_match('abc', 'b', 'g');
SELECT regexp_split_to_array('abc', 'b', 'g');
SELECT * FROM regexp_split_to_table('abc', 'b', 'g');
SELECT regexp_instr('abc', 'b', 0);
SELECT regexp_instr('abc', 'b', 1, 0);
SELECT regexp_instr('abc', 'b', 1, 1, 2);
SELECT regexp_instr('abc', 'b', 1, 1, 0, 'g');
SELECT * FROM regexp_matches('abc', '(b');
SELECT * FROM regexp_matches('abc', 'b', 'z');
