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
