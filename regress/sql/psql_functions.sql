-- psql_functions: catalog and session functions that psql, pgjdbc and BI tools call,
-- where PostgreSQL gives the same answer for any database (the expected output is
-- PostgreSQL 15's own: regress/gen-expected.sh --postgres psql_functions).
SELECT format_type(23, NULL) AS int4, format_type(1043, 29) AS varchar25,
       format_type(1700, 786438) AS numeric12_2, format_type(1042, 29) AS char25,
       format_type(1184, -1) AS tstz, format_type(16, NULL) AS bool;
SELECT pg_encoding_to_char(6) AS utf8, pg_encoding_to_char(0) AS ascii;
SELECT pg_size_pretty(0::bigint) AS zero, pg_size_pretty(10239::bigint) AS b,
       pg_size_pretty(10240::bigint) AS kb, pg_size_pretty(123456789::bigint) AS mb,
       pg_size_pretty(1234567890123::bigint) AS tb, pg_size_pretty(-10485760::bigint) AS neg;
SELECT 'pg_toast' ~ '^pg_' AS m1, 'public' !~ '^pg_' AS m2, 'ABC' ~* '^a' AS m3,
       'ABC' !~* '^a' AS m4, 'nation' OPERATOR(pg_catalog.~) '^(nation)$' AS m5;
SELECT 'x' ~ '(';
\echo :LAST_ERROR_SQLSTATE
SELECT 'nation' COLLATE pg_catalog.default = 'nation' AS same,
       'a' COLLATE "C" < 'b' AS c_order;
SELECT 'a' COLLATE "no_such_collation";
\echo :LAST_ERROR_SQLSTATE
SELECT quote_ident('nation') AS plain, quote_ident('Nation') AS upper,
       quote_ident('a"b') AS quote, quote_ident('select') AS keyword, quote_ident('_x1') AS us;
SELECT current_user = session_user AS same_user, current_user = user AS same_user2,
       current_database() = current_catalog AS same_db, pg_backend_pid() > 0 AS pid,
       pg_is_in_recovery() AS recovery, txid_current() > 0 AS txid;
SELECT has_schema_privilege('pg_catalog', 'USAGE') AS usage,
       has_database_privilege(current_database(), 'CONNECT') AS connect;
SELECT has_schema_privilege('pg_catalog', 'FLY');
\echo :LAST_ERROR_SQLSTATE
SELECT 'pg_class'::regclass = 'pg_catalog.pg_class'::regclass AS same_rel,
       'int4'::regtype = 'integer'::regtype AS same_type, 'int4'::regtype::bigint AS int4_oid,
       'pg_catalog.text'::regtype::bigint AS text_oid;
SELECT 'no_such_relation'::regclass;
\echo :LAST_ERROR_SQLSTATE
SELECT 'no_such_type'::regtype;
\echo :LAST_ERROR_SQLSTATE
SELECT pg_table_is_visible('pg_class'::regclass) AS pg_class_visible,
       pg_type_is_visible('int4'::regtype) AS int4_visible;
SELECT version() LIKE 'PostgreSQL 15%' AS v15;
SELECT (pg_catalog.current_schemas(true))[1] AS first;
