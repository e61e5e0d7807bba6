/*
 * pgcatalog.h — PostgreSQL's pg_catalog and information_schema, emulated
 * for every catalog from the catalogs' own metadata, so that psql, pgjdbc
 * and BI tools can browse Ferry as they browse PostgreSQL. Also the OID
 * registry that gives every schema and relation a stable OID, which the
 * catalog functions (exec/functions_catalog.c) resolve back to names.
 * This module never includes planner or gateway headers.
 */
#ifndef FERRY_PGCATALOG_H
#define FERRY_PGCATALOG_H

#include "connectors/spi.h"
#include "connectors/system/system.h"

/* Well-known OIDs, as in PostgreSQL 15. */
#define PGC_OID_PG_CATALOG 11
#define PGC_OID_PUBLIC 2200
#define PGC_OID_INFORMATION_SCHEMA 13000
#define PGC_OID_SUPERUSER 10
#define PGC_OID_HEAP_AM 2
#define PGC_OID_BTREE_AM 403
#define PGC_OID_DEFAULT_TABLESPACE 1663
/* OIDs Ferry hands out are in [PGC_OID_FIRST, PGC_OID_LAST]. */
#define PGC_OID_FIRST 16384u
#define PGC_OID_LAST 0x7fffffffu

/*
 * Registers the text output and input of the reg* types (regclass prints
 * the relation's name, 'x'::regclass looks x up, ...) with exec/types.c.
 * Called once at start; idempotent.
 */
void pgcatalog_init(void);

/*
 * pg_get_constraintdef / pg_get_indexdef of a primary key's constraint or
 * index OID: "PRIMARY KEY (a, b)", "CREATE UNIQUE INDEX t_pkey ON s.t USING
 * btree (a, b)", or with column > 0 that key column's name; of a foreign
 * key's constraint "FOREIGN KEY (a) REFERENCES t(b) ON DELETE CASCADE", the
 * referenced table qualified when fs's search_path (reg_*) does not find it.
 * false: no such constraint or index (the caller returns NULL, as
 * PostgreSQL does).
 */
bool pgcatalog_key_def(uint32_t oid, int column, const fmt_settings *fs, arena *a,
                       const char **out);

/* True for "pg_catalog" and "information_schema". */
bool pgcatalog_is_schema(const char *schema);

/*
 * The emulated schemas of catalog name: a conn_catalog that is not in the
 * catalog registry (catalogs_release ignores it) and lives until
 * pgcatalog_shutdown. Its tables describe catalog name (and every catalog,
 * for pg_database). Never NULL.
 */
conn_catalog *pgcatalog_for(const char *catalog);
void pgcatalog_shutdown(void);

/* What an OID names. kind: 'n' schema, 'r' table, 'v' view, 'i' index, 'c' constraint,
 * 'd' database, 'p' function. */
typedef struct pgcat_object {
	char kind;
	const char *catalog;
	const char *schema; /* NULL for 'n' and 'd' */
	const char *name;
} pgcat_object;

/*
 * The OID of an object: a hash of its names into the reserved range, probed
 * past collisions, remembered for the life of the process (so it is stable
 * for the life of the object). kind as in pgcat_object; 'r' and 'v' share one
 * name space (a relation). Well-known schemas get PostgreSQL's OIDs.
 */
uint32_t pgcatalog_oid(char kind, const char *catalog, const char *schema, const char *name);
/* false when no OID has been handed out for oid. Strings copied into a. */
bool pgcatalog_lookup_oid(uint32_t oid, arena *a, pgcat_object *out);

/*
 * 'name'::regclass: a relation name (schema-qualified or not, quoted or
 * not) resolved in catalog as PostgreSQL does: pg_catalog first, then the
 * schemas of search_path ("$user" is user). 42P01 when there is none.
 */
ferr *pgcatalog_regclass(const char *catalog, const char *search_path, const char *user,
                         const char *text, uint32_t *oid);
/* The schemas of a search_path value, in order ("$user" replaced, quotes removed). */
int pgcatalog_search_path(const char *search_path, const char *user, arena *a,
                          const char ***schemas);
/*
 * True when an OID was handed out for relation catalog.schema.name (every
 * relation a pg_class scan listed), or it is an emulated one. No source I/O.
 */
bool pgcatalog_has_relation(const char *catalog, const char *schema, const char *name);
/*
 * current_schemas(implicit): the schemas of search_path that exist, with
 * pg_catalog first when implicit and the path does not name it.
 */
ferr *pgcatalog_current_schemas(const char *catalog, const char *search_path, const char *user,
                                bool implicit, arena *a, int *n, const char ***out);
/* current_schema(): the first schema of search_path that exists; NULL none. */
ferr *pgcatalog_current_schema(const char *catalog, const char *search_path, const char *user,
                               arena *a, const char **out);
/* Result and argument types of a pg_proc row ("integer", "text, integer"). */
bool pgcatalog_proc_signature(uint32_t oid, arena *a, const char **result, const char **args);
/* 'name'::regnamespace: the OID of a schema of catalog; 3F000 when there is none. */
ferr *pgcatalog_regnamespace(const char *catalog, const char *text, uint32_t *oid);
/* PostgreSQL's type OID of a type name ("int4", "integer", "regclass"); 0 unknown. */
uint32_t pgcatalog_type_oid(const char *name);
/* The element type of an array type OID (1007 -> 23), 0 when oid is no array type. */
uint32_t pgcatalog_array_elem(uint32_t oid);
/* typname of a type OID (pg_type.typname), or NULL. */
const char *pgcatalog_type_name(uint32_t oid);

/*
 * Sessions for pg_stat_activity: the gateway registers a provider whose
 * rows have the columns datname, pid, usename, application_name, state,
 * query, backend_start, query_start (timestamps as timestamptz text).
 */
void pgcatalog_set_activity_provider(system_provider fn);

/*
 * pg_settings and current_setting(): the gateway registers a provider that
 * gives one session's settings (SHOW ALL's rows) with the columns name,
 * setting (as SHOW prints it), boot_val, reset_val, short_desc. An unknown
 * session (0, or one that has ended) gets the defaults. Called from any
 * thread.
 */
typedef ferr *(*pgcatalog_settings_provider)(int32_t session, arena *a, system_rows *out);
void pgcatalog_set_settings_provider(pgcatalog_settings_provider fn);
/*
 * The session whose statements this thread plans (the gateway's thread per
 * connection): a pg_settings scan planned here lists that session's
 * settings wherever it runs. 0: none.
 */
void pgcatalog_set_thread_session(int32_t session);
/* current_setting(name): the value SHOW name prints in session; 42704 for an unknown name,
 * or *out = NULL then when missing_ok. */
ferr *pgcatalog_setting(int32_t session, const char *name, bool missing_ok, arena *a,
                        const char **out);

#endif
