-- psql_catalog: psql's backslash commands and catalog queries on the catalog
-- emulation (pg_catalog, information_schema) of tpch. There is no PostgreSQL
-- database with these schemas, so the expected output was checked by eye against
-- what psql 15 prints for a PostgreSQL database with the same schemas, tables and
-- columns (created with the same names and types); it differs only where Ferry
-- differs by design: the owner is the role "ferry", collation C.UTF-8, no access
-- privileges, and there are no TOAST, index or sequence relations.
\l
\dn
-- the default search_path ("$user", public) names no schema of tpch: nothing visible
\dt
SET search_path = tiny;
\dt
\dt sf1.*
\dt nat*
\dv
\df
\dT
SELECT n.nspname, count(*) AS tables
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
GROUP BY 1 ORDER BY 1;
SELECT c.relname, c.relkind, c.relnatts, pg_catalog.pg_get_userbyid(c.relowner) AS owner
FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'tiny')
ORDER BY 1;
-- psql's \d: the relation, then its columns with a correlated subquery per column
SELECT c.relname, n.nspname FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(nation)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 1;
SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = 'nation'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;
SELECT table_name, column_name, ordinal_position, data_type, udt_name,
       character_maximum_length, numeric_precision, numeric_scale, is_nullable
FROM information_schema.columns
WHERE table_schema = 'tiny' AND table_name = 'orders' ORDER BY ordinal_position;
SELECT table_catalog, table_schema, table_name, table_type
FROM information_schema.tables WHERE table_schema = 'sf1' ORDER BY table_name;
SELECT catalog_name, schema_name FROM information_schema.schemata ORDER BY 2;
-- every catalog has the emulation, reachable by three-part names
SELECT count(*) FROM tpch_std.information_schema.tables WHERE table_schema = 'tiny';
SELECT count(*) FROM system.pg_catalog.pg_namespace;
SELECT datname FROM pg_database ORDER BY 1;
SELECT typname, typlen, typcategory, format_type(oid, NULL) FROM pg_type
WHERE typname IN ('int4', 'varchar', 'numeric', '_int8', 'timestamptz') ORDER BY 1;
SELECT current_database(), current_schema, current_schema() AS fn, (current_schemas(true))[2] AS second;
SELECT 'nation'::regclass = 'tiny.nation'::regclass AS same, 'nation'::regclass = 'sf1.nation'::regclass AS other;
-- OIDs are stable: the same relation has the same OID in every query
SELECT (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'region' AND n.nspname = 'tiny') = 'region'::regclass AS stable;
-- a correlated scalar subquery with several rows for a key is 21000, as in PostgreSQL
SELECT r.name, (SELECT n.name FROM nation n WHERE n.regionkey = r.regionkey) FROM region r;
\echo :LAST_ERROR_SQLSTATE
SELECT r.name, (SELECT n.name FROM nation n WHERE n.regionkey = r.regionkey AND n.nationkey < 2) AS first_nation
FROM region r ORDER BY 1;
SELECT 'no_schema.nation'::regclass;
\echo :LAST_ERROR_SQLSTATE
SELECT 'a.b.c.d'::regclass;
\echo :LAST_ERROR_SQLSTATE
SELECT 'tiny'::regnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'tiny') AS ns;
SELECT 'no_schema'::regnamespace;
\echo :LAST_ERROR_SQLSTATE
-- what DBeaver asks on connect
SELECT current_schema(), session_user;
SELECT n.nspname, d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d
  ON d.objoid = n.oid AND d.objsubid = 0 AND d.classoid = 'pg_namespace'::regclass
ORDER BY nspname;
SELECT c.relname, c.relkind, d.description, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS partition_expr
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass
WHERE c.relnamespace = 'tiny'::regnamespace AND c.relkind NOT IN ('i', 'I', 'c')
ORDER BY 1;
SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid();
