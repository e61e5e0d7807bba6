-- extract() and date_part() fields over every date/time type, as PostgreSQL 15
-- gives them (extract numeric, date_part double precision), and the errors for
-- fields a type has not.
SET TimeZone = 'America/New_York';
SET DateStyle = 'ISO, MDY';
-- date: extract has its own variant, date_part goes through timestamp
SELECT f, date_part(f, d) AS p
FROM (VALUES ('millennium'), ('century'), ('decade'), ('year'), ('isoyear'), ('quarter'),
             ('month'), ('week'), ('day'), ('doy'), ('dow'), ('isodow'), ('epoch'), ('julian')) f(f),
     (VALUES (date '2024-12-30'), (date '2021-01-03'), (date '0044-03-15 BC'), (date '0001-01-01 BC')) d(d)
ORDER BY d, f;
SELECT d, extract(millennium FROM d) AS milum, extract(century FROM d) AS century, extract(decade FROM d) AS decade, extract(year FROM d) AS year,
       extract(isoyear FROM d) AS isoyear, extract(quarter FROM d) AS quarter, extract(month FROM d) AS month, extract(week FROM d) AS week,
       extract(day FROM d) AS day, extract(doy FROM d) AS doy, extract(dow FROM d) AS dow, extract(isodow FROM d) AS isodow,
       extract(epoch FROM d) AS epoch, extract(julian FROM d) AS julian
FROM (VALUES (date '2024-12-30'), (date '2021-01-03'), (date '0044-03-15 BC'), (date '0001-01-01 BC')) d(d)
ORDER BY d;
-- timestamp
SELECT f, date_part(f, t) AS p
FROM (VALUES ('millennium'), ('century'), ('decade'), ('year'), ('isoyear'), ('quarter'),
             ('month'), ('week'), ('day'), ('doy'), ('dow'), ('isodow'), ('hour'), ('minute'),
             ('second'), ('milliseconds'), ('microseconds'), ('epoch'), ('julian')) f(f),
     (VALUES (timestamp '2024-12-30 13:45:12.345678'), (timestamp '2000-01-01 00:00'),
             (timestamp '2024-03-01 00:00:00.001'), (timestamp '1999-12-31 23:59:59.999999')) t(t)
ORDER BY t, f;
SELECT t, extract(millennium FROM t) AS milum, extract(century FROM t) AS century, extract(decade FROM t) AS decade, extract(year FROM t) AS year,
       extract(isoyear FROM t) AS isoyear, extract(quarter FROM t) AS quarter, extract(month FROM t) AS month, extract(week FROM t) AS week,
       extract(day FROM t) AS day, extract(doy FROM t) AS doy, extract(dow FROM t) AS dow, extract(isodow FROM t) AS isodow,
       extract(hour FROM t) AS hour, extract(minute FROM t) AS minute, extract(second FROM t) AS second, extract(milliseconds FROM t) AS milds,
       extract(microseconds FROM t) AS micds, extract(epoch FROM t) AS epoch, extract(julian FROM t) AS julian
FROM (VALUES (timestamp '2024-12-30 13:45:12.345678'), (timestamp '2000-01-01 00:00'),
      (timestamp '2024-03-01 00:00:00.001'), (timestamp '1999-12-31 23:59:59.999999')) t(t)
ORDER BY t;
-- timestamptz: local fields in the session's zone, epoch in UTC
SELECT f, date_part(f, t) AS p
FROM (VALUES ('year'), ('day'), ('hour'), ('minute'), ('epoch'), ('julian'), ('timezone'),
             ('timezone_hour'), ('timezone_minute')) f(f),
     (VALUES (timestamptz '2021-01-03 23:59:59.5+00'), (timestamptz '2024-07-01 12:00+00')) t(t)
ORDER BY t, f;
SELECT t, extract(year FROM t) AS year, extract(day FROM t) AS day, extract(hour FROM t) AS hour, extract(epoch FROM t) AS epoch,
       extract(julian FROM t) AS julian, extract(timezone FROM t) AS timezone, extract(timezone_hour FROM t) AS timur, extract(timezone_minute FROM t) AS timte
FROM (VALUES (timestamptz '2021-01-03 23:59:59.5+00'), (timestamptz '2024-07-01 12:00+00')) t(t)
ORDER BY t;
SET TimeZone = 'Asia/Kolkata';
SELECT extract(timezone FROM timestamptz '2024-01-01 00:00+00') AS tz,
       extract(timezone_hour FROM timestamptz '2024-01-01 00:00+00') AS tzh,
       extract(timezone_minute FROM timestamptz '2024-01-01 00:00+00') AS tzm;
SET TimeZone = 'America/St_Johns';
SELECT extract(timezone FROM timestamptz '2024-01-01 00:00+00') AS tz,
       extract(timezone_hour FROM timestamptz '2024-01-01 00:00+00') AS tzh,
       date_part('timezone_minute', timestamptz '2024-01-01 00:00+00') AS tzm,
       extract(julian FROM timestamptz '2024-01-01 00:00+00') AS j;
SET TimeZone = 'America/New_York';
-- time
SELECT f, date_part(f, t) AS p
FROM (VALUES ('hour'), ('minute'), ('second'), ('milliseconds'), ('microseconds'), ('epoch')) f(f),
     (VALUES (time '13:45:12.345678'), (time '00:00'), (time '24:00')) t(t)
ORDER BY t, f;
SELECT t, extract(hour FROM t) AS hour, extract(minute FROM t) AS minute, extract(second FROM t) AS second, extract(milliseconds FROM t) AS milds,
       extract(microseconds FROM t) AS micds, extract(epoch FROM t) AS epoch
FROM (VALUES (time '13:45:12.345678'), (time '00:00'), (time '24:00')) t(t)
ORDER BY t;
-- interval
SELECT f, date_part(f, i) AS p
FROM (VALUES ('millennium'), ('century'), ('decade'), ('year'), ('quarter'), ('month'), ('day'),
             ('hour'), ('minute'), ('second'), ('milliseconds'), ('microseconds'), ('epoch')) f(f),
     (VALUES (interval '1 year 14 months 3 days 25:59:12.345678'),
             (interval '-1 year -2 months -3 days -04:05:06.7'), (interval '2500 years')) i(i)
ORDER BY i, f;
SELECT i, extract(millennium FROM i) AS milum, extract(century FROM i) AS century, extract(decade FROM i) AS decade, extract(year FROM i) AS year,
       extract(quarter FROM i) AS quarter, extract(month FROM i) AS month, extract(day FROM i) AS day, extract(hour FROM i) AS hour,
       extract(minute FROM i) AS minute, extract(second FROM i) AS second, extract(milliseconds FROM i) AS milds, extract(microseconds FROM i) AS micds,
       extract(epoch FROM i) AS epoch
FROM (VALUES (interval '1 year 14 months 3 days 25:59:12.345678'),
      (interval '-1 year -2 months -3 days -04:05:06.7'), (interval '2500 years')) i(i)
ORDER BY i;
-- units a type has not (0A000), units nobody has (22023)
SELECT extract(hour FROM date '2024-01-01');
SELECT extract(timezone FROM date '2024-01-01');
SELECT extract(timezone FROM timestamp '2024-01-01');
SELECT date_part('timezone_hour', timestamp '2024-01-01');
SELECT extract(dow FROM time '12:00');
SELECT extract(julian FROM time '12:00');
SELECT extract(julian FROM interval '1 day');
SELECT extract(week FROM interval '1 day');
SELECT extract(timezone FROM interval '1 day');
SELECT extract(fortnight FROM timestamp '2024-01-01');
SELECT date_part('fortnight', interval '1 day');
-- time with time zone
SET TimeZone = 'Asia/Kolkata';
SELECT '12:00+02'::timetz AS a, '12:00:01.5-05:30'::timetz AS b, '23:59:59.999999+15:59'::timetz AS c,
       '00:00 Z'::timetz AS d, '12:00 UTC'::timetz AS e, '24:00-01'::timetz AS f, '12:00'::timetz AS session_zone;
SELECT '12:00'::time::timetz AS from_time, '12:00+02'::timetz::time AS to_time,
       timestamptz '2024-07-01 12:00+00'::timetz AS from_tstz, '13:00-01'::text::timetz AS from_text,
       '12:00+02'::timetz::text AS to_text, '12:00+02'::time with time zone AS spelled;
-- order is the UTC instant, then the zone (further west last)
SELECT t, t = '10:00+00'::timetz AS same_instant
FROM (VALUES ('12:00+02'::timetz), ('10:00+00'), ('09:00-01'), ('11:00+01'), ('12:01+02'), ('03:00-08')) v(t)
ORDER BY t;
SELECT count(DISTINCT t) AS n, max(t), min(t)
FROM (VALUES ('12:00+02'::timetz), ('10:00+00'), ('12:00+02'), ('09:00-01')) v(t);
SELECT '12:00+02'::timetz + interval '1 hour 30 minutes' AS plus, '12:00+02'::timetz - interval '13 hours' AS minus,
       interval '1 day 2 hours' + '23:00+02'::timetz AS wraps;
SELECT '12:00+02'::timetz AT TIME ZONE '+05:30' AS a, '12:00+02'::timetz AT TIME ZONE 'UTC' AS b,
       '23:00+00'::timetz AT TIME ZONE interval '-03:00' AS c, timezone('-02', '01:00+02'::timetz) AS d;
SELECT extract(hour FROM t) AS h, extract(minute FROM t) AS m, extract(second FROM t) AS s,
       extract(milliseconds FROM t) AS ms, extract(microseconds FROM t) AS us, extract(epoch FROM t) AS epoch,
       extract(timezone FROM t) AS tz, extract(timezone_hour FROM t) AS tzh, extract(timezone_minute FROM t) AS tzm,
       date_part('epoch', t) AS dp_epoch, date_part('timezone_minute', t) AS dp_tzm
FROM (VALUES ('12:34:56.5+05:30'::timetz), ('12:34:56.5-05:30'::timetz), ('00:00:01+00'::timetz)) v(t)
ORDER BY t;
SELECT ARRAY['12:00+02'::timetz, '13:00-03'] AS arr, '{12:00+02,13:00-03}'::timetz[] AS parsed;
-- current_time is fixed for the statement, in the session zone
SET TimeZone = '+03';
SELECT current_time = current_time AS stable, current_time(0) = current_time(0) AS stable0,
       extract(timezone FROM current_time) AS tz, date_part('hour', current_time) = date_part('hour', localtime) AS same_hour,
       localtime(2) = localtime(2) AS lt, localtimestamp(1) = localtimestamp(1) AS lts;
SELECT typname, typlen, typcategory, typarray FROM pg_type WHERE oid IN (1266, 1270) ORDER BY oid;
SET TimeZone = 'America/New_York';
SELECT extract(dow FROM '01:00+02'::timetz);
SELECT extract(julian FROM '01:00+02'::timetz);
SELECT x::timetz FROM (VALUES ('25:00+02')) v(x);
SELECT x::timetz FROM (VALUES ('12:00+16')) v(x);
SELECT x::timetz FROM (VALUES ('12:00 Foo/Bar')) v(x);
SELECT x::timetz FROM (VALUES ('12:00 America/New_York')) v(x);
SELECT x::timetz FROM (VALUES ('noon')) v(x);
