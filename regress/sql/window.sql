-- window: window functions and DISTINCT ON over literal data (expected output is
-- PostgreSQL 15's own). Each query orders its output completely.
-- ranking, peers and NULLs in the ORDER BY key
SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x, id) AS rn,
       rank() OVER (PARTITION BY g ORDER BY x) AS rk,
       dense_rank() OVER (PARTITION BY g ORDER BY x) AS drk,
       percent_rank() OVER (PARTITION BY g ORDER BY x) AS pr,
       cume_dist() OVER (PARTITION BY g ORDER BY x) AS cd,
       ntile(3) OVER (PARTITION BY g ORDER BY x, id) AS nt
FROM (VALUES (1, 'a', 10), (2, 'a', 20), (3, 'a', 20), (4, 'a', NULL), (5, 'b', 5),
             (6, 'b', 5), (7, 'b', 7), (8, NULL, 1)) t(id, g, x)
ORDER BY g, id;
-- lag / lead with offsets (also negative and NULL) and defaults
SELECT id, lag(x) OVER w AS lag1, lag(x, 2) OVER w AS lag2, lead(x) OVER w AS lead1,
       lead(x, 2, -1) OVER w AS lead2d, lag(x, -1) OVER w AS lagneg,
       lag(x, NULL::int) OVER w AS lagnull, lead(x::numeric(10,1), 1, 0.5) OVER w AS leadnum
FROM (VALUES (1, 10), (2, NULL), (3, 30), (4, 40), (5, 50)) t(id, x)
WINDOW w AS (ORDER BY id)
ORDER BY id;
-- first_value / last_value / nth_value under the default frame and explicit frames
SELECT id, first_value(x) OVER w AS fv, last_value(x) OVER w AS lv, nth_value(x, 2) OVER w AS nv2,
       last_value(x) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lvall,
       nth_value(x, 3) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS nv3,
       first_value(x) OVER (ORDER BY id ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING) AS fvf
FROM (VALUES (1, 'p'), (2, 'q'), (3, 'r'), (4, 's'), (5, 't')) t(id, x)
WINDOW w AS (ORDER BY id)
ORDER BY id;
-- aggregates: whole partition, running (with peers), ROWS sliding, RANGE offsets
SELECT id, x, sum(x) OVER () AS total, count(*) OVER (PARTITION BY x > 2) AS cnt,
       sum(x) OVER (ORDER BY x) AS run_sum, round(avg(x) OVER (ORDER BY x), 4) AS run_avg,
       min(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mn3,
       max(x) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS mxprev,
       sum(x) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS sumnext,
       count(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near,
       sum(x) OVER (ORDER BY x DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS descsum
FROM (VALUES (1, 3), (2, 1), (3, 4), (4, 1), (5, 5), (6, NULL), (7, 2)) t(id, x)
ORDER BY id;
-- RANGE offsets on numeric, date and timestamp keys; NULL keys are peers of each other
SELECT d, sum(v) OVER (ORDER BY d RANGE BETWEEN interval '2 days' PRECEDING AND CURRENT ROW) AS s2d,
       count(*) OVER (ORDER BY d RANGE BETWEEN CURRENT ROW AND interval '1 day' FOLLOWING) AS c1d
FROM (VALUES (date '2024-01-01', 1), (date '2024-01-02', 2), (date '2024-01-04', 4),
             (date '2024-01-04', 8), (NULL, 16)) t(d, v)
ORDER BY d, v;
SELECT ts, count(*) OVER (ORDER BY ts RANGE BETWEEN interval '90 minutes' PRECEDING AND interval '1 hour' FOLLOWING) AS c
FROM (VALUES (timestamp '2024-01-01 10:00'), (timestamp '2024-01-01 11:00'),
             (timestamp '2024-01-01 11:30'), (timestamp '2024-01-01 14:00')) t(ts)
ORDER BY ts;
SELECT p, sum(p) OVER (ORDER BY p RANGE BETWEEN 0.5 PRECEDING AND 0.25 FOLLOWING) AS s
FROM (VALUES (1.00), (1.25), (1.50), (2.00), (3.10)) t(p)
ORDER BY p;
-- GROUPS frames
SELECT x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS g1,
       count(*) OVER (ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS g2
FROM (VALUES (1), (1), (2), (3), (3), (3), (5)) t(x)
ORDER BY x;
-- named windows, refinement of a named window, several windows in one SELECT
SELECT g, x, sum(x) OVER w AS s, row_number() OVER (w ORDER BY x DESC) AS rn,
       count(*) OVER w2 AS c
FROM (VALUES ('a', 1), ('a', 2), ('b', 3), ('b', 4), ('b', 5)) t(g, x)
WINDOW w AS (PARTITION BY g), w2 AS (w ORDER BY x)
ORDER BY g, x;
-- window functions over aggregates, and in ORDER BY
SELECT g, sum(x) AS s, sum(sum(x)) OVER () AS total, rank() OVER (ORDER BY sum(x) DESC) AS r
FROM (VALUES ('a', 1), ('a', 2), ('b', 10), ('c', 4), ('c', 4)) t(g, x)
GROUP BY g
ORDER BY rank() OVER (ORDER BY sum(x) DESC), g;
-- an expression over window results; a window over an empty input
SELECT x, x - lag(x) OVER (ORDER BY x) AS delta, 100.0 * x / sum(x) OVER () AS pct
FROM (VALUES (2), (5), (9)) t(x)
ORDER BY x;
SELECT row_number() OVER () FROM (VALUES (1)) t(x) WHERE x > 1;
-- text values through min/max/first_value
SELECT g, min(s) OVER (PARTITION BY g ORDER BY s ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS mn,
       max(s) OVER (PARTITION BY g) AS mx
FROM (VALUES (1, 'pear'), (1, 'apple'), (1, 'fig'), (2, 'kiwi')) t(g, s)
ORDER BY g, s;
-- DISTINCT ON
SELECT DISTINCT ON (g) g, x, id
FROM (VALUES (1, 'a', 3), (2, 'a', 1), (3, 'b', 7), (4, 'b', 2), (5, NULL, 0)) t(id, g, x)
ORDER BY g, x;
SELECT DISTINCT ON (g) g, x
FROM (VALUES ('a', 3), ('a', 1), ('b', 7)) t(g, x)
ORDER BY g, x DESC;
SELECT DISTINCT ON (x % 2, g) g, x
FROM (VALUES ('a', 3), ('a', 1), ('b', 7), ('a', 2)) t(g, x)
ORDER BY g, x % 2, x;
SELECT DISTINCT ON (1) g, x
FROM (VALUES ('a', 3), ('a', 1), ('b', 7)) t(g, x)
ORDER BY 1, 2
LIMIT 1;
-- errors
SELECT x FROM (VALUES (1)) t(x) WHERE row_number() OVER () > 0;
\echo :LAST_ERROR_SQLSTATE
SELECT x FROM (VALUES (1)) t(x) GROUP BY row_number() OVER ();
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM (VALUES (1)) t(x) HAVING rank() OVER () > 0;
\echo :LAST_ERROR_SQLSTATE
SELECT sum(row_number() OVER ()) OVER () FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(row_number() OVER ()) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT row_number() OVER w FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT count(DISTINCT x) OVER () FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN CURRENT ROW AND NULL FOLLOWING) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN -1 PRECEDING AND CURRENT ROW) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x, x + 1 RANGE 1 PRECEDING) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x RANGE BETWEEN 1.5::numeric PRECEDING AND CURRENT ROW) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(x) OVER (ORDER BY x ROWS x PRECEDING) FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT ntile(0) OVER () FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT nth_value(x, 0) OVER () FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT upper('a') OVER () FROM (VALUES (1)) t(x);
\echo :LAST_ERROR_SQLSTATE
SELECT row_number() OVER (w PARTITION BY x) FROM (VALUES (1)) t(x) WINDOW w AS (ORDER BY x);
\echo :LAST_ERROR_SQLSTATE
SELECT DISTINCT ON (g) g, x FROM (VALUES ('a', 1)) t(g, x) ORDER BY x, g;
\echo :LAST_ERROR_SQLSTATE
SELECT 'still here' AS ok;
