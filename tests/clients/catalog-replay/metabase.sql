-- via: pgjdbc
-- Metabase's own SQL for a PostgreSQL database (its sync also calls pgjdbc's
-- DatabaseMetaData getTables/getColumns/getPrimaryKeys/getImportedKeys: see pgjdbc.sql).
-- Taken from metabase/metabase src/metabase/driver/postgres.clj at commit
-- 370249b52907c64fb32de3739c1b2136abd9e960, each statement as that code builds the text:
-- db-default-timezone, sql-jdbc.execute/set-timezone-sql (with 'UTC'), enum-types
-- (describe-table), current-user-table-privileges (lines joined by "\n", as str/join does).
-- next
show timezone;
-- next
SET SESSION TIMEZONE TO 'UTC';
-- next
SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)
-- next
with table_privileges as (
 select
   NULL as role,
   t.schemaname as schema,
   t.objectname as table,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'update') as update,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'select') as select,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*
from table_privileges t
