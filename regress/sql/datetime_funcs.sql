-- to_char, to_date, to_timestamp, to_number, justify_*, isfinite, make_*:
-- PostgreSQL 15's results and errors (expected output from a real server).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
\set VERBOSITY terse
SELECT to_char(timestamp '2024-03-05 14:07:09.123456', 'YYYY-MM-DD HH24:MI:SS.US') AS iso,
       to_char(timestamp '2024-03-05 14:07:09.123456', 'FMDay, DD Month YYYY HH12:MI:SS AM') AS words,
       to_char(timestamp '2024-03-05 14:07:09.123456', 'Y,YYY YYY YY Y CC IYYY IW ID IDDD J Q WW W DDD D') AS fields;
SELECT to_char(date '2021-01-03', 'IYYY-IW-ID DDth ddth Dy dy DY RM rm "quoted" \"x') AS iso_week,
       to_char(date '0044-03-15', 'YYYY BC B.C. ad CC') AS bc_date,
       to_char(timestamp '2024-03-01 00:05:00.5', 'HH12 AM p.m. SSSS MS FF1 FF3 FMMonth TMDay|MONTH|mon') AS misc;
SET TimeZone = 'America/New_York';
SELECT to_char(timestamptz '2024-01-15 12:00:00+00', 'YYYY-MM-DD HH24:MI TZ tz TZH:TZM OF') AS winter,
       to_char(timestamptz '2024-07-15 12:00:00+00', 'YYYY-MM-DD HH24:MI TZ TZH:TZM OF') AS summer;
SET TimeZone = 'Asia/Kolkata';
SELECT to_char(timestamptz '2024-07-15 12:00:00+00', 'HH24:MI TZ OF FMOF TZH TZM') AS kolkata;
SET TimeZone = 'UTC';
SELECT to_char(interval '1 year 14 months 3 days 25:07:08.5', 'YYYY MM DD HH HH24 MI SS MS US RM DDD') AS iv,
       to_char(interval '-3 days -25:07:08', 'DD HH24 MI SS HH12') AS neg_iv;
SELECT to_char(interval '3 days', 'Day');
SELECT to_char(timestamp '2024-03-05', '') IS NULL AS empty_template;
SELECT to_char(x, '9999') AS a, to_char(x, 'FM9,999.00') AS b, to_char(x, 'S0000.0') AS c,
       to_char(x, '9999PR') AS d, to_char(x, '9.99EEEE') AS e, to_char(x, '99V99') AS f,
       to_char(x, 'FM9999TH') AS g, to_char(x, '999MI') AS h
FROM (VALUES (1234.5::numeric), (-12.345), (0), (0.05), (-0.5), (123456), (3)) v(x);
SELECT to_char(485, 'RN') AS rn, to_char(485, 'FMrn') AS rn_fm, to_char(12, '"Total: "99') AS lit,
       to_char(2.5::float8, '9') AS f8, to_char(-0.1::float8, '9.9') AS f8b, to_char(1e300::float8, '9.99EEEE') AS f8e,
       to_char(123456789012, '999,999,999,999') AS big;
SELECT to_char(12, '9.9.9');
SELECT to_char(12, 'S9S');
SELECT to_char(12, '99V9.9');
SELECT to_timestamp('2024-03-05 14:07:09.123', 'YYYY-MM-DD HH24:MI:SS.MS') AS ms,
       to_timestamp('2000    JUN', 'YYYY MON') AS spaces, to_timestamp('2000JUN', 'YYYY MON') AS nospace,
       to_timestamp('20240305', 'YYYYMMDD') AS packed, to_timestamp('10:30:15 PM 2024', 'HH12:MI:SS AM YYYY') AS pm,
       to_timestamp('2024-03-05 +05:30', 'YYYY-MM-DD TZH:TZM') AS tzh;
SELECT to_date('24-1-2', 'YY-MM-DD') AS yy, to_date('71', 'YY') AS yy71, to_date('2024 60', 'YYYY DDD') AS ddd,
       to_date('2024 10 3', 'IYYY IW ID') AS iso, to_date('2460000', 'J') AS j, to_date('44 BC', 'YYYY BC') AS bc,
       to_date('March 5, 2024', 'Month DD, YYYY') AS words, to_date('', '') AS empty;
SET TimeZone = 'America/New_York';
SELECT to_timestamp('2024-07-04 12:00', 'YYYY-MM-DD HH24:MI') AS summer_local,
       to_timestamp('2024-01-04 12:00', 'YYYY-MM-DD HH24:MI') AS winter_local;
SET TimeZone = 'UTC';
SELECT to_timestamp(1700000000.5) AS epoch, to_timestamp(-1.5) AS before_epoch, to_timestamp('infinity'::float8) AS inf;
SELECT to_timestamp('2000JUN', 'FXYYYY MON');
SELECT to_timestamp('13:00 pm', 'HH:MI am');
SELECT to_timestamp('2024-13-05', 'YYYY-MM-DD');
SELECT to_timestamp('2024-Foo-05', 'YYYY-Mon-DD');
SELECT to_timestamp('05 2024 03 2025', 'DD YYYY MM YYYY');
SELECT to_timestamp('x', 'YYYY');
SELECT to_timestamp('2024 EST', 'YYYY TZ');
SELECT to_date('2024-02-30', 'YYYY-MM-DD');
SELECT to_timestamp(1e20);
SELECT to_number('12,454.8-', '99G999D9S') AS a, to_number('-34,338,492', '99G999G999') AS b,
       to_number('<123>', '999PR') AS c, to_number('1234', '99') AS d, to_number('12.5', 'FM99.99') AS e,
       to_number('-.5', '9.9') AS f;
SELECT to_number('12', '9.99');
SELECT to_number('abc', '999');
SELECT justify_days(interval '35 days') AS jd, justify_hours(interval '27 hours') AS jh,
       justify_interval(interval '1 mon -1 hour') AS ji, justify_interval(interval '-1 mon 2 days 30 hours') AS ji2;
SELECT isfinite(date '2024-01-01') AS d, isfinite(timestamp 'infinity') AS ts, isfinite(interval '1 day') AS iv;
SELECT make_date(2024, 2, 29) AS d, make_date(-44, 3, 15) AS bc, make_time(8, 15, 23.5) AS t,
       make_timestamp(2024, 3, 5, 14, 7, 9.25) AS ts;
SET TimeZone = 'Europe/Berlin';
SELECT make_timestamptz(2024, 7, 1, 12, 0, 0) AS summer, make_timestamptz(2024, 1, 1, 12, 0, 0) AS winter;
SELECT make_date(2023, 2, 29);
SELECT make_time(25, 0, 0);
