-- IN lists and BETWEEN over char(n) and varchar(n) columns compare as "=" does:
-- the literals take the column's base type (bpchar, varchar) without its length, so
-- an over-long literal is compared whole and never cut to the column's length.
-- The same statements run on a memory table in Ferry and on a table of real
-- PostgreSQL 15, which wrote the expected output (regress/gen-expected.sh --postgres).
SELECT version() LIKE '%Ferry%' AS ferry \gset
\if :ferry
CREATE SCHEMA memory.cib;
\set t memory.cib.t
\else
CREATE SCHEMA cib;
\set t cib.t
\endif
CREATE TABLE :t (id int, ch char(5), v varchar(3));
INSERT INTO :t VALUES (1, 'ab1', 'abc'), (2, 'ab1  ', 'ab'), (3, 'ab', 'ab '),
  (4, '', ''), (5, NULL, NULL), (6, 'ab1xy', 'abx');
-- over-long literals: nothing matches ('ab1  x' is not 'ab1', 'abc  ' is not 'abc')
SELECT id FROM :t WHERE ch IN ('ab1  x') ORDER BY id;
SELECT id FROM :t WHERE ch IN ('ab1  x', 'ab1xyz') ORDER BY id;
SELECT id FROM :t WHERE ch = 'ab1  x' ORDER BY id;
SELECT id FROM :t WHERE v IN ('abc  ', 'abxz') ORDER BY id;
SELECT id FROM :t WHERE v = 'abc  ' ORDER BY id;
SELECT id FROM :t WHERE ch NOT IN ('ab1  x') ORDER BY id;
-- literals that fit: trailing blanks do not count for char(n), they do for varchar(n)
SELECT id FROM :t WHERE ch IN ('ab1', 'ab  ') ORDER BY id;
SELECT id FROM :t WHERE ch IN ('ab1       ') ORDER BY id;
SELECT id FROM :t WHERE v IN ('ab', 'ab ') ORDER BY id;
SELECT id FROM :t WHERE ch IN ('') ORDER BY id;
-- BETWEEN with an over-long bound
SELECT id FROM :t WHERE ch BETWEEN 'ab1' AND 'ab1  x' ORDER BY id;
SELECT id FROM :t WHERE ch BETWEEN 'ab1  x' AND 'ab1xy' ORDER BY id;
SELECT id FROM :t WHERE v BETWEEN 'ab' AND 'abcd' ORDER BY id;
SELECT id FROM :t WHERE v NOT BETWEEN 'abcd' AND 'abz' ORDER BY id;
SELECT id, ch IN ('ab1  x', 'ab1') AS hit, v BETWEEN 'abc ' AND 'abc  ' AS b FROM :t ORDER BY id;
DROP TABLE :t;
\if :ferry
DROP SCHEMA memory.cib;
\else
DROP SCHEMA cib;
\endif
