--
-- regular expressions and text functions
--
SELECT 'abc123' ~ '\d+' AS d, 'ABC' ~* 'b' AS ci, 'abc' !~ 'x' AS nm, 'ABC' !~* 'b' AS nci;
SELECT regexp_replace('foobarbaz', 'b..', 'X') AS first, regexp_replace('foobarbaz', 'b..', 'X', 'g') AS global,
       regexp_replace('Hello World', '(\w+) (\w+)', '\2 \1') AS swap, regexp_replace('abc', 'B', '[\&]', 'gi') AS amp;
SELECT regexp_replace('a1b22c333', '[0-9]+', '#', 'g') AS digits, regexp_replace('abc', 'x*', '-', 'g') AS empty;
SELECT regexp_like('Hello', '^h', 'i') AS li, regexp_like('Hello', '^h') AS l;
SELECT regexp_count('ababab', 'ab') AS c1, regexp_count('ababab', 'ab', 3) AS c2, regexp_count('aAaA', 'a', 1, 'i') AS c3;
SELECT regexp_substr('one two three', '\w+') AS s1, regexp_substr('one two three', '\w+', 1, 3) AS s3,
       regexp_substr('one two three', 't(\w)', 1, 2, '', 1) AS sub, regexp_substr('abc', 'x') IS NULL AS none;
SELECT substring('foobar' from 'o.b') AS m, substring('foobar' from 'o(.)b') AS g, substring('foobar' from 'x') IS NULL AS n;
SELECT x FROM (VALUES ('Brazil'), ('Canada'), ('France'), ('algeria')) AS t(x) WHERE x ~ '^[A-C]' ORDER BY x;
SELECT initcap('hello wORLD foo-bar x1y') AS ic, md5('abc') AS m, md5('') AS m0;
SELECT to_hex(255) AS h1, to_hex(-1) AS h2, to_hex(9223372036854775807::bigint) AS h3;
SELECT ascii('A') AS a, ascii('é') AS e, ascii('') AS z, chr(65) AS c, chr(233) AS c2;
SELECT repeat('ab', 3) AS r, repeat('x', 0) AS r0, repeat('x', -1) AS rn;
SELECT translate('12345', '143', 'ax') AS t, translate('héllo', 'é', 'e') AS t2;
SELECT starts_with('alphabet', 'alph') AS s1, starts_with('alphabet', 'beta') AS s2;
SELECT quote_ident('foo') AS q1, quote_ident('Foo bar') AS q2, quote_ident('a"b') AS q3,
       quote_literal('O''Reilly') AS l1, quote_literal('a\b') AS l2, quote_literal(42) AS l3;
SELECT format('Hello %s, %s', 'World', 1) AS f1, format('%I.%I', 'my schema', 'tbl') AS f2,
       format('%L and %L', 'it''s', NULL) AS f3, format('%s|%s', NULL, 'x') AS f4, format('%2$s %1$s', 'a', 'b') AS f5,
       format('100%%') AS f6;
-- errors
SELECT 'a' ~ '(';
SELECT regexp_replace('a', 'a', 'b', 'z');
SELECT regexp_count('a', 'a', 1, 'g');
SELECT chr(0);
SELECT chr(-1);
SELECT format('%s %s', 'a');
SELECT format('%x', 1);
SELECT format('%I', NULL);
