-- psql_regtypes: oid and the reg* types (regclass, regtype, regproc,
-- regprocedure, regnamespace, regrole). Only built-in objects appear, whose
-- names are the same in PostgreSQL and in Ferry's catalog emulation, so the
-- expected output is PostgreSQL 15's own (gen-expected.sh --postgres).
-- Ferry's OIDs of relations differ from PostgreSQL's: they are compared, never printed.
SELECT 'pg_class'::regclass, 'pg_catalog.pg_type'::regclass, '"pg_namespace"'::regclass;
SELECT 'pg_class'::regclass::text AS t, 'pg_class'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'pg_class') AS same;
SELECT c.oid::regclass, c.relname FROM pg_class c WHERE c.relname IN ('pg_class', 'pg_type', 'pg_attribute') ORDER BY 2;
SELECT relname FROM pg_class WHERE oid = 'pg_type'::regclass;
SELECT count(*) > 0 AS has_columns FROM pg_attribute WHERE attrelid = 'pg_catalog.pg_class'::regclass;
SELECT 'int4'::regtype, 'integer'::regtype, 'character varying'::regtype, 'varchar(10)'::regtype,
       'timestamp with time zone'::regtype, 'pg_catalog.text'::regtype, 'integer[]'::regtype,
       '"char"'::regtype, 'numeric'::regtype;
SELECT 'int4'::regtype::oid, 'text'::regtype::oid::integer AS text_oid, 23::regtype, 1043::oid::regtype, 1007::regtype;
SELECT 'pg_catalog'::regnamespace, 'information_schema'::regnamespace, 11::regnamespace;
SELECT 0::regclass, 0::regtype, '-'::regclass::oid, 4000000000::regclass, 4000000000::oid;
SELECT 25::oid = 'text'::regtype AS oid_eq_regtype, 'integer'::regtype = 23 AS regtype_eq_int;
SELECT 'version'::regproc, 'pg_backend_pid'::regproc::regprocedure;
-- errors, with PostgreSQL's SQLSTATEs
\set VERBOSITY terse
SELECT 'no_such_table'::regclass;
\echo :LAST_ERROR_SQLSTATE
SELECT 'no_such_type'::regtype;
\echo :LAST_ERROR_SQLSTATE
SELECT 'no_such_schema'::regnamespace;
\echo :LAST_ERROR_SQLSTATE
SELECT 'no_such_function'::regproc;
\echo :LAST_ERROR_SQLSTATE
SELECT 'no_such_role'::regrole;
\echo :LAST_ERROR_SQLSTATE
SELECT 'a.b.c.d'::regclass;
\echo :LAST_ERROR_SQLSTATE
SELECT '-1'::oid;
\echo :LAST_ERROR_SQLSTATE
SELECT 'x' || 'y'::regclass;
\echo :LAST_ERROR_SQLSTATE
