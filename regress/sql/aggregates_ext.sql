-- Aggregates beyond count/sum/avg/min/max: variance and standard deviation,
-- bool_and/bool_or/every, string_agg (with ORDER BY), percentile_cont/disc.
-- Expected output is PostgreSQL 15's (regress/gen-expected.sh --postgres).
-- variance family over integers: numeric with PostgreSQL's result scale
SELECT variance(x), var_samp(x), var_pop(x), stddev(x), stddev_samp(x), stddev_pop(x)
FROM (VALUES (1), (2), (3), (4), (10)) t(x);
SELECT var_samp(x::int2), var_pop(x::int8), stddev_samp(x::int8) FROM (VALUES (7), (11), (13)) t(x);
-- numeric input keeps its scale through the squares
SELECT var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x)
FROM (VALUES (1.25), (2.50), (4.75), (9.00)) t(x);
SELECT var_samp(x::numeric(10,3)), stddev_pop(x::numeric(10,3)) FROM (VALUES (1), (2), (4)) t(x);
-- one row: sample forms are NULL, population forms 0; no rows: all NULL
SELECT var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x) FROM (VALUES (5)) t(x);
SELECT var_samp(x), var_pop(x) FROM (VALUES (5), (5), (5)) t(x);
SELECT variance(x), stddev(x) FROM (VALUES (1)) t(x) WHERE x > 1;
-- float input: double precision
SELECT var_samp(x), var_pop(x), stddev_samp(x), stddev_pop(x)
FROM (VALUES (1.5::float8), (2.5), (3.5), (4.5)) t(x);
SELECT var_pop(x::real), stddev_pop(x::real) FROM (VALUES (2), (4), (4), (4), (5), (5), (7), (9)) t(x);
SELECT var_samp(x) FROM (VALUES ('NaN'::float8), (1)) t(x);
-- grouped, with NULLs skipped, DISTINCT and FILTER
SELECT g, var_samp(x), stddev_pop(x), count(x)
FROM (VALUES (1, 10), (1, 20), (1, NULL), (2, 3), (2, 3), (2, 9), (3, NULL)) t(g, x)
GROUP BY g ORDER BY g;
SELECT var_pop(DISTINCT x), stddev_samp(x) FILTER (WHERE x > 1) FROM (VALUES (1), (2), (2), (3)) t(x);
-- a large series (several batches)
SELECT var_samp(g), stddev_pop(g) FROM generate_series(1, 10000) g;
-- as window aggregates
SELECT x, var_samp(x) OVER (ORDER BY x), stddev_pop(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)
FROM (VALUES (1), (3), (6), (10)) t(x) ORDER BY x;
SELECT var_samp('a'::text);
SELECT stddev(true);
-- bool_and, bool_or, every
SELECT bool_and(b), bool_or(b), every(b) FROM (VALUES (true), (false), (NULL::bool)) t(b);
SELECT bool_and(b), bool_or(b), every(b) FROM (VALUES (true), (true)) t(b);
SELECT bool_and(b), bool_or(b) FROM (VALUES (false), (NULL::bool)) t(b);
SELECT bool_and(b), bool_or(b) FROM (VALUES (NULL::bool)) t(b);
SELECT g, bool_and(x > 2), bool_or(x > 5), every(x < 10)
FROM (VALUES (1, 1), (1, 6), (2, 3), (2, 4)) t(g, x) GROUP BY g ORDER BY g;
SELECT x, bool_or(x > 2) OVER (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x) ORDER BY x;
SELECT bool_and(1);
-- string_agg
SELECT string_agg(s, ',' ORDER BY s) FROM (VALUES ('b'), ('a'), (NULL), ('c')) t(s);
SELECT string_agg(s, ', ' ORDER BY s DESC) FROM (VALUES ('b'), ('a'), ('c')) t(s);
SELECT string_agg(s, '' ORDER BY k) FROM (VALUES ('x', 3), ('y', 1), ('z', 2)) t(s, k);
SELECT string_agg(s, '-' ORDER BY k NULLS FIRST) FROM (VALUES ('x', 3), ('y', NULL), ('z', 2)) t(s, k);
SELECT string_agg(s, '-' ORDER BY k DESC NULLS LAST) FROM (VALUES ('x', 3), ('y', NULL), ('z', 2)) t(s, k);
SELECT string_agg(DISTINCT s, '/' ORDER BY s) FROM (VALUES ('b'), ('a'), ('b'), ('a')) t(s);
SELECT string_agg(s, NULL ORDER BY s) FROM (VALUES ('b'), ('a')) t(s);
SELECT string_agg(s, ',') FROM (VALUES ('only')) t(s);
SELECT string_agg(s, ',') IS NULL FROM (VALUES (NULL::text)) t(s);
SELECT g, string_agg(s, ';' ORDER BY s) FILTER (WHERE s <> 'skip')
FROM (VALUES (1, 'q'), (1, 'p'), (1, 'skip'), (2, 'r')) t(g, s) GROUP BY g ORDER BY g;
SELECT string_agg(g::text, ',' ORDER BY g DESC) FROM generate_series(1, 12) g;
SELECT length(string_agg(g::text, '' ORDER BY g)) FROM generate_series(1, 5000) g;
SELECT string_agg(1, ',');
SELECT string_agg(DISTINCT s, ',' ORDER BY k) FROM (VALUES ('a', 1)) t(s, k);
-- percentile_cont / percentile_disc
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.5) WITHIN GROUP (ORDER BY x)
FROM (VALUES (1), (2), (3), (4)) t(x);
SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY x), percentile_cont(0) WITHIN GROUP (ORDER BY x),
       percentile_cont(1) WITHIN GROUP (ORDER BY x), percentile_disc(0) WITHIN GROUP (ORDER BY x),
       percentile_disc(1) WITHIN GROUP (ORDER BY x)
FROM (VALUES (10), (20), (40), (80), (NULL)) t(x);
SELECT percentile_cont(0.3) WITHIN GROUP (ORDER BY x DESC), percentile_disc(0.3) WITHIN GROUP (ORDER BY x DESC)
FROM (VALUES (1.5), (2.5), (9.5)) t(x);
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY s) FROM (VALUES ('pear'), ('apple'), ('fig')) t(s);
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY d) FROM (VALUES (date '2024-03-01'), (date '2023-01-05')) t(d);
SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
FROM (VALUES (1, 1.0), (1, 3.0), (2, 5.0)) t(g, x) GROUP BY g ORDER BY g;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x) WHERE x > 1;
SELECT percentile_cont(NULL) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x);
SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY g), percentile_disc(0.9) WITHIN GROUP (ORDER BY g)
FROM generate_series(1, 1001) g;
-- (PostgreSQL checks the fraction when it finalizes, Ferry when it plans: the
-- positions differ, so only the SQLSTATE and the message are shown)
\set VERBOSITY sqlstate
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_MESSAGE
SELECT percentile_disc(-0.1) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_MESSAGE
\set VERBOSITY default
SELECT percentile_cont(0.5) FROM (VALUES (1)) t(x);
SELECT sum(x) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x);
