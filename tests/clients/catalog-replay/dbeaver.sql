-- via: pgjdbc
-- DBeaver's PostgreSQL plugin (plugins/org.jkiss.dbeaver.ext.postgresql) on connect and on
-- opening the database node, each statement as its code builds the text with the default
-- connection settings (no object filters, "show non-default databases" off), the one
-- bind parameter (the database name) put in as the literal it is:
-- PostgreDataSource.java at commit 005a1a1cb6e67fd5a92794ba7045ada7410f3365:
-- determineDefaultObjects, DatabaseCache, initializeContextState; PostgreDatabase.java at
-- commit c994ba8f165c1f75288f6cfeefb9095b5cb04914: SchemaCache, RoleCache,
-- AccessMethodCache, EncodingCache, LanguageCache, ForeignDataWrapperCache,
-- ForeignServerCache, TablespaceCache, setSearchPath (schema public).
-- next
SELECT current_database(), current_schema(),session_user
-- next
SHOW search_path
-- next
SELECT db.oid,db.*
FROM pg_catalog.pg_database db WHERE NOT datistemplate AND datallowconn
AND db.datname='memory'
-- next
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid
 ORDER BY nspname
-- next
SELECT current_schema()
-- next
SELECT a.oid,a.* FROM pg_catalog.pg_roles a 
ORDER BY a.oid
-- next
SELECT am.oid,am.* FROM pg_catalog.pg_am am 
ORDER BY am.oid
-- next
SELECT c.contoencoding as encid,pg_catalog.pg_encoding_to_char(c.contoencoding) as encname
FROM pg_catalog.pg_conversion c
GROUP BY c.contoencoding
ORDER BY 2
-- next
SELECT l.oid,l.* FROM pg_catalog.pg_language l 
ORDER BY l.oid
-- next
SELECT l.oid,l.*,p.pronamespace as handler_schema_id 
FROM pg_catalog.pg_foreign_data_wrapper l
LEFT OUTER JOIN pg_catalog.pg_proc p ON p.oid=l.fdwhandler 
ORDER BY l.fdwname
-- next
SELECT l.oid,l.* FROM pg_catalog.pg_foreign_server l
ORDER BY l.srvname
-- next
SELECT t.oid,t.* FROM pg_catalog.pg_tablespace t 
ORDER BY t.oid
-- next
SET search_path = "$user",public
