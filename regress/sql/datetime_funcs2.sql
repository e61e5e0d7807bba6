-- now(), current_timestamp and friends (facts that hold whatever the clock
-- says), and AT TIME ZONE / timezone() with zone names, abbreviations,
-- POSIX offsets and intervals.
SET TimeZone = 'America/New_York';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT now() = current_timestamp AS same, now() = transaction_timestamp() AS t2;
SELECT statement_timestamp() >= now() AS st, clock_timestamp() >= now() AS ck;
SELECT current_date = localtimestamp::date AS d,
       current_date = (now() AT TIME ZONE 'America/New_York')::date AS d2,
       localtimestamp = now() AT TIME ZONE 'America/New_York' AS lts;
SELECT extract(microseconds FROM current_timestamp(0))::numeric % 1000000 = 0 AS r0,
       extract(microseconds FROM localtimestamp(2))::numeric % 10000 = 0 AS r2,
       localtime(0) = localtimestamp(0)::time AS lt;
SELECT length(timeofday()) > 20 AS tod;
-- clock_timestamp() is read at each call, never folded into the plan
SELECT count(DISTINCT clock_timestamp()) > 1 AS moves FROM generate_series(1, 50000);
BEGIN;
SELECT now() AS n1 \gset
SELECT now() = :'n1'::timestamptz AS same_in_txn,
       current_timestamp = :'n1'::timestamptz AS cur_in_txn,
       statement_timestamp() >= :'n1'::timestamptz AS stmt_later;
COMMIT;
SELECT now() > :'n1'::timestamptz AS new_txn;
-- AT TIME ZONE: timestamp -> timestamptz and timestamptz -> timestamp
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE 'UTC' AS a,
       timestamptz '2020-07-01 12:00+00' AT TIME ZONE 'America/Los_Angeles' AS b,
       timestamptz '2020-01-01 12:00+00' AT TIME ZONE 'america/los_angeles' AS c;
SELECT timestamp '2020-03-08 02:30' AT TIME ZONE 'America/New_York' AS gap,
       timezone('Europe/Paris', timestamp '2021-10-31 02:30') AS overlap;
SELECT timestamptz '2020-07-01 12:00+00' AT TIME ZONE 'EST' AS est,
       timestamptz '2020-07-01 12:00+00' AT TIME ZONE 'pdt' AS pdt,
       timestamptz '2020-07-01 12:00+00' AT TIME ZONE '+05:30' AS posix_west,
       timestamptz '2020-07-01 12:00+00' AT TIME ZONE '-8' AS posix_east;
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE INTERVAL '-08:00' AS iv1,
       timestamptz '2020-07-01 12:00+00' AT TIME ZONE INTERVAL '05:30' AS iv2;
SELECT timezone('MSK', timestamptz '2020-07-01 12:00+00') AS msk,
       timezone('EST5EDT', timestamptz '2020-07-01 12:00+00') AS est5edt;
SELECT '2020-07-01 12:00' AT TIME ZONE 'UTC' AS untyped,
       date '2020-07-01' AT TIME ZONE 'Asia/Kolkata' AS from_date;
SELECT timestamp 'infinity' AT TIME ZONE 'UTC' AS inf,
       NULL::timestamp AT TIME ZONE 'UTC' AS n1,
       timestamp '2020-01-01' AT TIME ZONE NULL AS n2;
SELECT x AT TIME ZONE z AS local
FROM (VALUES (timestamptz '2021-06-01 00:00+00', 'Asia/Tokyo'),
             (timestamptz '2021-12-01 00:00+00', 'Australia/Sydney'),
             (timestamptz '2021-06-01 00:00+00', 'Australia/Sydney')) v(x, z)
ORDER BY 1;
-- unknown zones and intervals with calendar parts
SELECT timestamptz '2020-07-01 12:00+00' AT TIME ZONE 'Mars/Olympus';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE '';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE '+99';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE INTERVAL '1 day 2 hours';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE INTERVAL '1 mon';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE '+168';
SELECT timestamp '2020-07-01 12:00' AT TIME ZONE 'Europe/../etc/passwd';
-- age(a, b), age(x) = age(current_date, x), date_bin
SELECT age(timestamp '2001-04-10', timestamp '1957-06-13') AS a1,
       age(timestamp '1957-06-13', timestamp '2001-04-10') AS a2,
       age(timestamp '2020-03-01 00:00', timestamp '2020-01-31 12:30:15.5') AS a3,
       age(timestamp '2020-01-31 12:30:15.5', timestamp '2020-03-01') AS a4;
SELECT age(timestamptz '2020-11-01 12:00-05', timestamptz '2020-10-31 12:00-04') AS dst,
       age(date '2020-02-29', date '2019-02-28') AS dates,
       age('2021-01-01', timestamptz '2020-01-01 00:00+00') AS untyped;
SELECT age(current_date::timestamp) = interval '0' AS today, age(timestamp '2000-01-01') = age(current_date, timestamp '2000-01-01') AS one_arg;
SELECT date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01') AS b1,
       date_bin('15 minutes', timestamp '2020-02-11 15:44:17', timestamp '2001-01-01 00:02:30') AS b2,
       date_bin('5 min', timestamp '2020-01-01 00:05', timestamp '2020-01-01 00:10') AS future_exact,
       date_bin('5 min', timestamp '2020-01-01 00:06', timestamp '2020-01-01 00:10') AS future;
SELECT date_bin('1 day 2 hours', timestamptz '2020-07-01 12:34+00', timestamptz '2020-01-01 00:00+00') AS tz,
       date_bin('1 hour', timestamp 'infinity', timestamp '2020-01-01') AS inf;
SELECT date_bin('1 mon', timestamp '2020-01-01', timestamp '2020-01-01');
SELECT date_bin('0', timestamp '2020-01-01', timestamp '2020-01-01');
SELECT date_bin('-1 hour', timestamp '2020-01-01', timestamp '2020-01-01');
SELECT date_bin('1 hour', timestamp '2020-01-01', timestamp 'infinity');
SELECT age(timestamptz '2000-01-01') > interval '1 year' AS older;
-- make_interval by position and by name (NamedArgExpr), defaults 0
SET IntervalStyle = 'postgres';
SELECT make_interval(1, 2, 3, 4, 5, 6, 7.5) AS all7, make_interval(days => 10) AS named,
       make_interval(hours => -1, secs => 1.0000005) AS mixed, make_interval(2, days => 3) AS pos_named,
       make_interval() AS none;
SELECT make_interval(days => NULL) AS nul;
SELECT make_interval(foo => 1);
SELECT make_interval(1, years => 2);
SELECT make_interval(days => 10, days => 2);
SELECT make_interval(secs => 'nan');
-- (a, b) OVERLAPS (c, d), NULL ends as PostgreSQL decides them
SELECT (date '2020-01-01', date '2020-02-01') OVERLAPS (date '2020-01-15', date '2020-03-01') AS o1,
       (date '2020-01-01', date '2020-02-01') OVERLAPS (date '2020-02-01', date '2020-03-01') AS touching,
       (date '2020-02-01', date '2020-01-01') OVERLAPS (date '2020-01-15', date '2020-01-16') AS swapped,
       (timestamp '2020-01-01', interval '1 day') OVERLAPS (timestamp '2020-01-01 12:00', interval '1 hour') AS iv,
       (timestamptz '2020-01-01 00:00+00', timestamptz '2020-01-01 01:00+00') OVERLAPS (timestamptz '2020-01-01 00:30+00', interval '-1 hour') AS tz;
SELECT a, b, c, d, (a, b) OVERLAPS (c, d) AS o
FROM (VALUES (timestamp '2020-01-02', NULL::timestamp, timestamp '2020-01-01', timestamp '2020-01-03'),
             (timestamp '2020-01-02', NULL, timestamp '2020-01-01', NULL),
             (timestamp '2020-01-05', NULL, timestamp '2020-01-01', timestamp '2020-01-03'),
             (NULL, timestamp '2020-01-02', timestamp '2020-01-01', timestamp '2020-01-03'),
             (NULL, NULL, timestamp '2020-01-01', timestamp '2020-01-03'),
             (timestamp '2020-01-01', NULL, timestamp '2020-01-01', timestamp '2020-01-03'),
             (timestamp '2020-01-01', timestamp '2020-01-09', timestamp '2020-01-01', timestamp '2020-01-03'),
             (timestamp '2020-01-01', timestamp '2020-01-02', timestamp '2020-01-05', NULL),
             (timestamp '2020-01-01', NULL, timestamp '2020-01-05', timestamp '2020-01-06')) v(a, b, c, d)
ORDER BY a NULLS FIRST, b NULLS FIRST, c, d NULLS FIRST;
-- date_trunc(field, timestamptz, zone)
SET TimeZone = 'UTC';
SELECT date_trunc('day', timestamptz '2001-02-16 20:38:40+00', 'Australia/Sydney') AS syd,
       date_trunc('hour', timestamptz '2001-02-16 20:38:40+00', 'Asia/Kolkata') AS ist_hour,
       date_trunc('month', timestamptz '2020-11-15 12:00+00', 'America/New_York') AS ny_month,
       date_trunc('day', timestamptz '2020-03-08 12:00+00', 'America/New_York') AS dst_day,
       date_trunc('day', timestamp '2020-03-08 12:00', 'EST') AS from_ts;
SELECT date_trunc('day', timestamptz '2020-03-08 12:00+00', 'Mars/Olympus');
SELECT date_trunc('day', NULL::timestamptz, 'UTC') AS n1, date_trunc('day', now(), NULL) AS n2;
