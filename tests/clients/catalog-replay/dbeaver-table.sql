-- via: pgjdbc
-- DBeaver's PostgreSQL plugin (plugins/org.jkiss.dbeaver.ext.postgresql) when the user
-- expands the schema public and then a table in it, each statement as its code builds the
-- text for a PostgreSQL 15 server with the default connection settings (no object filters,
-- "read all data types" off), bind parameters put in as the literals they are (public's
-- OID 2200, the table's, its primary key's index and constraint OIDs as {{...}}), all at
-- dbeaver/dbeaver commit 2428359b748778a5a345432906ab3da69289c20c, files under
-- src/org/jkiss/dbeaver/ext/postgresql/model/:
-- PostgreDatabase.java cacheDataTypes (read on connect; the columns' types resolve against it);
-- PostgreSchema.java TableCache.prepareLookupStatement (the tables and views of the schema),
-- collectObjectStatistics (their sizes), TableCache.prepareChildrenStatement (a table's
-- columns), ConstraintCache (its constraints; for the foreign keys too), IndexCache (its
-- indexes); PostgreTable.java initSuperTables (inheritance, read with the foreign keys),
-- getReferences (schemas whose foreign keys reference the table, then that schema's
-- constraints), PolicyCache; PostgreTableReal.java TriggerCache, RuleCache,
-- readTableStatistics (the table's properties); the table's DDL is generated from what
-- these read plus PostgreTableConstraintBase.java and PostgreIndex.java
-- getObjectDefinitionText (pg_get_constraintdef, pg_get_indexdef).
-- next
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem 
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')
-- next
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=2200 AND c.relkind not in ('i','I','c')
-- next
select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,pg_catalog.pg_relation_size(c.oid) as rel_size
FROM pg_class c
WHERE c.relnamespace=2200
-- next
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid={{replay_t}}
ORDER BY a.attnum
-- next
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE c.conrelid={{replay_t}}
ORDER BY c.oid
-- next
SELECT i.*,c.relnamespace FROM pg_catalog.pg_inherits i,pg_catalog.pg_class c WHERE i.inhrelid={{replay_t}} AND c.oid=i.inhparent ORDER BY i.inhseqno
-- next
SELECT DISTINCT connamespace FROM pg_catalog.pg_constraint WHERE confrelid={{replay_t}}
-- next
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE t.relnamespace=2200
ORDER BY c.oid
-- next
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  i.indrelid={{replay_t}} ORDER BY c.relname
-- next
SELECT x.oid,x.*,p.pronamespace as func_schema_id,d.description
FROM pg_catalog.pg_trigger x
LEFT OUTER JOIN pg_catalog.pg_proc p ON p.oid=x.tgfoid 
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=x.oid AND d.objsubid=0 
WHERE x.tgrelid = {{replay_t}} AND NOT x.tgisinternal
-- next
SELECT r.oid,r.*, pg_get_ruledef(r.oid) AS definition
FROM pg_rewrite r
WHERE r.ev_class={{replay_t}} AND r.rulename <> '_RETURN'::name
-- next
select * from pg_catalog.pg_policies where schemaname='public' and tablename='replay_t'
-- next
select pg_catalog.pg_total_relation_size({{replay_t}}) as total_rel_size,pg_catalog.pg_relation_size({{replay_t}}) as rel_size
-- next
SELECT pg_catalog.pg_get_constraintdef({{replay_t_pkey_constraint}})
-- next
SELECT pg_catalog.pg_get_indexdef({{replay_t_pkey}})
