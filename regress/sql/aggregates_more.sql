-- Aggregates with several ORDER BY keys, the json aggregates, bit_and/or/xor,
-- corr/covar/regr_*, mode, percentile arrays, hypothetical-set aggregates and
-- FILTER over windows. Expected output is PostgreSQL 15's
-- (regress/gen-expected.sh --postgres): VALUES and generate_series only.
SET extra_float_digits = 0;
-- several ORDER BY keys, ASC/DESC/NULLS FIRST/LAST
SELECT string_agg(x::text, ',' ORDER BY x % 3, x DESC) FROM generate_series(1, 10) x;
SELECT array_agg(x ORDER BY a DESC, b) FROM (VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'a'), (4, NULL, 'c'), (5, 2, NULL)) t(x, a, b);
SELECT array_agg(x ORDER BY a DESC NULLS LAST, b DESC NULLS FIRST) FROM (VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'a'), (4, NULL, 'c'), (5, 2, NULL)) t(x, a, b);
SELECT array_agg(x ORDER BY a, b, x DESC) FROM (VALUES (1, 1, 1), (2, 1, 1), (3, 0, 2), (4, 0, 1)) t(x, a, b);
SELECT array_agg(DISTINCT x ORDER BY x DESC, x) FROM (VALUES (3), (1), (3), (NULL), (2)) t(x);
-- grouped, many groups, and empty input
SELECT g, string_agg(x::text, '-' ORDER BY x % 2, x DESC) FROM generate_series(1, 12) x, (VALUES (0), (1)) v(g) WHERE x % 2 = g OR x < 5 GROUP BY g ORDER BY g;
SELECT count(*), sum(length(s)) FROM (SELECT g % 500 AS k, string_agg(g::text, ',' ORDER BY g % 7, g DESC) AS s FROM generate_series(1, 20000) g GROUP BY 1) q;
SELECT k, string_agg(g::text, ',' ORDER BY g % 7, g DESC) FROM (SELECT g, g % 500 AS k FROM generate_series(1, 20000) g) q WHERE k IN (3, 499) GROUP BY k ORDER BY k;
SELECT array_agg(x ORDER BY x, x), string_agg(x::text, ',' ORDER BY x DESC, x) FROM generate_series(1, 3) x WHERE x > 5;
-- json_agg and jsonb_agg: json keeps its text and separators, jsonb normalises
SELECT json_agg(x), jsonb_agg(x) FROM generate_series(1, 4) x;
SELECT json_agg(x ORDER BY x DESC), jsonb_agg(x ORDER BY y, x DESC) FROM (VALUES (1, 'b'), (2, 'a'), (3, 'a')) t(x, y);
SELECT json_agg(s), jsonb_agg(s) FROM (VALUES ('a"b'), (NULL), (E'tab\there'), ('x\y')) t(s);
SELECT json_agg(j), jsonb_agg(j) FROM (VALUES ('{"b":1, "a":  [1,2]}'::json), ('3')) t(j);
SELECT json_agg(v), jsonb_agg(v) FROM (VALUES (1.50::numeric, true), (NULL, false)) t(v, b);
SELECT json_agg(b), jsonb_agg(f) FROM (VALUES (true, 1.5::float8), (false, 'NaN'::float8)) t(b, f);
SELECT json_agg(a), jsonb_agg(a) FROM (VALUES (ARRAY[1, 2]), (ARRAY[3]), (NULL)) t(a);
SELECT json_agg(d), jsonb_agg(ts) FROM (VALUES ('2024-02-29'::date, '2024-01-02 03:04:05.5'::timestamp)) t(d, ts);
SELECT json_agg(x) IS NULL, jsonb_agg(x) IS NULL FROM generate_series(1, 3) x WHERE x > 3;
SELECT g, json_agg(x ORDER BY x DESC) FROM generate_series(1, 6) x, (VALUES (0), (1)) v(g) WHERE x % 2 = g GROUP BY g ORDER BY g;
-- json_object_agg and jsonb_object_agg (jsonb: sorted keys, the last duplicate wins)
SELECT json_object_agg(k, v), jsonb_object_agg(k, v) FROM (VALUES ('b', 1), ('a', NULL), ('bb', 3)) t(k, v);
SELECT json_object_agg(k, v ORDER BY v DESC), jsonb_object_agg(k, v ORDER BY v) FROM (VALUES ('x', 1), ('y', 2), ('x', 3)) t(k, v);
SELECT json_object_agg(k, v) FROM (VALUES (1, 'one'), (2, 'two')) t(k, v);
SELECT json_object_agg(k, v) IS NULL FROM (VALUES ('a', 1)) t(k, v) WHERE v > 1;
SELECT json_object_agg(k, v) FROM (VALUES ('a', 1), (NULL, 2)) t(k, v);
-- bit_and, bit_or, bit_xor over each integer type, NULLs skipped
SELECT bit_and(x), bit_or(x), bit_xor(x) FROM (VALUES (12), (10), (NULL), (6)) t(x);
SELECT bit_and(x::int2), bit_or(x::int2), bit_xor(x::int8), bit_and(x::int8) - 9223372036854775807 FROM (VALUES (5), (7)) t(x);
SELECT bit_and(x), bit_or(x), bit_xor(x) FROM (VALUES (1)) t(x) WHERE x > 1;
SELECT g, bit_xor(x), bit_or(x) FROM generate_series(1, 100) x, (VALUES (0), (1), (2)) v(g) WHERE x % 3 = g GROUP BY g ORDER BY g;
SELECT every(x > 0), bool_and(x > 1), bool_or(x > 2) FROM (VALUES (1), (2), (NULL)) t(x);
-- corr, covar and regr_* (float8, Youngs-Cramer)
SELECT corr(y, x), covar_pop(y, x), covar_samp(y, x), regr_count(y, x), regr_slope(y, x), regr_intercept(y, x)
FROM (VALUES (1, 2.0), (2, 4.1), (3, 5.9), (4, 8.2), (NULL, 1), (5, NULL)) t(x, y);
SELECT regr_r2(y, x), regr_avgx(y, x), regr_avgy(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x)
FROM (VALUES (1, 2.0), (2, 4.1), (3, 5.9), (4, 8.2)) t(x, y);
SELECT corr(y, x), regr_slope(y, x), regr_r2(y, x), covar_samp(y, x), regr_count(y, x) FROM (VALUES (1, 5), (1, 6)) t(x, y);
SELECT corr(y, x), covar_pop(y, x), regr_count(y, x), regr_sxx(y, x) FROM (VALUES (1, 1)) t(x, y) WHERE x > 1;
SELECT regr_r2(y, x), corr(y, x) FROM (VALUES (1, 5), (2, 5), (3, 5)) t(x, y);
SELECT g, round(corr(x, x * x)::numeric, 10), round(regr_slope(x * 2 + g, x)::numeric, 10), regr_count(x, x) FROM generate_series(1, 1000) x, (VALUES (0), (1)) v(g) GROUP BY g ORDER BY g;
-- mode, percentile arrays
SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (3), (1), (3), (2), (1), (NULL), (NULL), (NULL)) t(x);
SELECT mode() WITHIN GROUP (ORDER BY x DESC) FROM (VALUES (3), (1), (3), (2), (1)) t(x);
SELECT mode() WITHIN GROUP (ORDER BY s) FROM (VALUES ('b'), ('a'), ('b')) t(s);
SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x) WHERE x > 1;
SELECT g, mode() WITHIN GROUP (ORDER BY x % 4) FROM generate_series(1, 30) x, (VALUES (0), (1)) v(g) WHERE x % 2 = g GROUP BY g ORDER BY g;
SELECT percentile_cont(ARRAY[0.25, 0.5, 1, NULL]) WITHIN GROUP (ORDER BY x), percentile_disc(ARRAY[0, 0.3, 0.75]) WITHIN GROUP (ORDER BY x)
FROM (VALUES (10), (20), (30), (40), (NULL)) t(x);
SELECT percentile_disc(ARRAY[0.5]) WITHIN GROUP (ORDER BY s), percentile_cont(ARRAY[0.1]) WITHIN GROUP (ORDER BY x) FROM (VALUES ('a', 1.5), ('c', 2.5), ('b', 4.5)) t(s, x);
SELECT percentile_cont(ARRAY[0.5]) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x) WHERE x > 1;
-- hypothetical-set aggregates
SELECT rank(3) WITHIN GROUP (ORDER BY x), dense_rank(3) WITHIN GROUP (ORDER BY x), percent_rank(3) WITHIN GROUP (ORDER BY x), cume_dist(3) WITHIN GROUP (ORDER BY x)
FROM (VALUES (1), (2), (2), (3), (3), (5), (NULL)) t(x);
SELECT rank(3) WITHIN GROUP (ORDER BY x DESC), dense_rank(3) WITHIN GROUP (ORDER BY x DESC NULLS LAST), cume_dist(3) WITHIN GROUP (ORDER BY x DESC)
FROM (VALUES (1), (2), (2), (3), (3), (5), (NULL)) t(x);
SELECT rank(2, 'b') WITHIN GROUP (ORDER BY x, y), dense_rank(2, 'b') WITHIN GROUP (ORDER BY x, y DESC), cume_dist(2, 'b') WITHIN GROUP (ORDER BY x, y)
FROM (VALUES (1, 'z'), (2, 'a'), (2, 'b'), (2, 'c'), (3, 'a')) t(x, y);
SELECT rank(1) WITHIN GROUP (ORDER BY x), dense_rank(1) WITHIN GROUP (ORDER BY x), percent_rank(1) WITHIN GROUP (ORDER BY x), cume_dist(1) WITHIN GROUP (ORDER BY x) FROM (VALUES (1)) t(x) WHERE x > 1;
SELECT rank(2.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3)) t(x);
SELECT g, rank(10) WITHIN GROUP (ORDER BY x), dense_rank(10) WITHIN GROUP (ORDER BY x / 4) FROM generate_series(1, 40) x, (VALUES (0), (1)) v(g) WHERE x % 2 = g GROUP BY g ORDER BY g;
-- FILTER in window aggregates
SELECT x, count(*) FILTER (WHERE x % 2 = 0) OVER (ORDER BY x), sum(x) FILTER (WHERE x > 2) OVER (), count(x) FILTER (WHERE x <> 3) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)
FROM generate_series(1, 6) x ORDER BY x;
SELECT x, bit_or(x) FILTER (WHERE x > 1) OVER (ORDER BY x), max(x) FILTER (WHERE x <> 4) OVER () FROM generate_series(1, 4) x ORDER BY x;
-- errors
SELECT mode() WITHIN GROUP (ORDER BY x, x) FROM (VALUES (1)) t(x);
SELECT array_agg(DISTINCT x ORDER BY x, y) FROM (VALUES (1, 2)) t(x, y);
SELECT rank(1) FROM (VALUES (1)) t(x);
SELECT bit_and(x) FROM (VALUES (1.5::float8)) t(x);
