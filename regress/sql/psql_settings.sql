-- psql_settings: pg_settings and current_setting() show the session's own
-- settings, as SET, SET LOCAL and RESET leave them. The expected output is
-- PostgreSQL 15's (regress/gen-expected.sh --postgres psql_settings): only
-- settings whose values Ferry and PostgreSQL share are shown.
SELECT name, setting, unit, category, context, vartype, source, min_val, max_val,
       sourcefile, sourceline, pending_restart
FROM pg_settings
WHERE name IN ('search_path', 'extra_float_digits', 'statement_timeout', 'bytea_output',
               'IntervalStyle', 'DateStyle', 'standard_conforming_strings',
               'server_encoding', 'max_identifier_length')
ORDER BY name;
SET search_path = public, pg_catalog;
SET statement_timeout = '5s';
SELECT name, setting, source FROM pg_settings WHERE name = 'search_path';
SELECT name, setting, unit, source FROM pg_settings WHERE name = 'statement_timeout';
SELECT current_setting('search_path') AS search_path,
       current_setting('statement_timeout') AS statement_timeout,
       current_setting('STATEMENT_TIMEOUT') AS any_case;
-- the setting column and current_setting agree for every setting without a unit
SELECT count(*) AS disagree FROM pg_settings
WHERE unit IS NULL AND setting IS DISTINCT FROM current_setting(name);
SELECT count(*) > 20 AS many FROM pg_settings;
-- hidden from pg_settings as in PostgreSQL, but current_setting reads them
SELECT count(*) FROM pg_settings WHERE name IN ('is_superuser', 'session_authorization');
SELECT current_setting('is_superuser') IN ('on', 'off') AS readable;
BEGIN;
SET LOCAL search_path = pg_catalog;
SELECT setting, source FROM pg_settings WHERE name = 'search_path';
ROLLBACK;
SELECT setting, source FROM pg_settings WHERE name = 'search_path';
RESET search_path;
RESET statement_timeout;
SELECT name, setting, source FROM pg_settings
WHERE name IN ('search_path', 'statement_timeout') ORDER BY name;
SELECT current_setting('search_path');
-- missing_ok
SELECT current_setting('no_such_setting', true) IS NULL AS missing;
SELECT current_setting('no_such_setting', false);
\echo :LAST_ERROR_SQLSTATE
SELECT current_setting('no_such_setting');
\echo :LAST_ERROR_SQLSTATE
SELECT current_setting(NULL) IS NULL AS null_name;
-- compile-time constants PostgreSQL shows as settings (pgjdbc reads max_index_keys)
SELECT name, setting, category, context, vartype, source, min_val, max_val
FROM pg_settings WHERE name IN ('max_index_keys', 'block_size') ORDER BY name;
SELECT current_setting('max_index_keys') AS max_index_keys;
