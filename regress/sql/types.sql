-- types: literals of each core type, printed as PostgreSQL 15 prints them. The expected
-- output is produced by real PostgreSQL 15 (regress/gen-expected.sh --postgres types), not by hand.
-- pg_regress exports PGDATESTYLE=Postgres and PGINTERVALSTYLE=postgres_verbose; clients
-- mostly see the defaults, so test those.
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
SELECT true AS t, false AS f, NULL::boolean AS n;
SELECT 32767::smallint AS s, (-2147483648)::integer AS i, 9223372036854775807::bigint AS b;
SELECT 1.5::real AS r, 0.1::double precision AS d, 1e100::double precision AS big,
       'NaN'::double precision AS nan, '-Infinity'::float8 AS ninf;
SELECT 123.45::numeric(10,2) AS n1, -0.001::numeric AS n2, 12345678901234567890.123::numeric AS n3,
       1::numeric(10,3) AS n4;
SELECT 'hello'::text AS t, 'ab'::varchar(5) AS v, '' AS empty, 'quote''s' AS q;
SELECT '\x00ff41'::bytea AS b;
SELECT DATE '2024-02-29' AS d, DATE '1970-01-01' AS epoch;
SELECT TIME '13:45:30.5' AS t;
SELECT TIMESTAMP '2024-02-29 13:45:30.123456' AS ts, TIMESTAMP '1999-12-31 23:59:59' AS ts2;
SELECT INTERVAL '1 year 2 months 3 days 04:05:06' AS i1, INTERVAL '90 minutes' AS i2;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u;
SELECT '{"a": 1, "b": [true, null]}'::json AS j, '{"b": 2, "a": 1}'::jsonb AS jb;
SELECT 1 + 2 AS sum, 7 / 2 AS intdiv, 7 % 3 AS rem, 2.0 * 3 AS numprod;
SELECT 'abc' || 'def' AS cat, length('hello') AS len, upper('x') AS up;
SELECT CAST('42' AS integer) AS c1, CAST(3.7 AS integer) AS c2, CAST(10 AS text) AS c3;
SELECT NULL::integer IS NULL AS isnull, coalesce(NULL, 5) AS co, nullif(3, 3) AS nu;
RESET extra_float_digits;
RESET IntervalStyle;
RESET DateStyle;
-- pgjdbc sends dates with a zone; PostgreSQL's date input drops time and zone
SELECT date '1998-01-01 +00', '2024-01-02 10:00'::date;
