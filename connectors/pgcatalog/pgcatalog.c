/*
 * pgcatalog.c — the catalog emulation connector: pg_catalog.* and
 * information_schema.* of one catalog, generated from that catalog's
 * metadata (list_schemas, list_tables, get_table, get_view) when a scan
 * opens, plus the OID registry that keeps every object's OID stable.
 *
 * Values are produced as text and converted through the type table, as the
 * system connector does. A scan pinned to one relation (pg_attribute's
 * attrelid = X, information_schema.columns' table_name = 'x', ...) asks the
 * source about that relation only. It must never hold a catalog reference
 * beyond the scan that took it.
 */
#include "connectors/pgcatalog/pgcatalog.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "connectors/catalogs.h"
#include "connectors/pgcatalog/typeio.h"
#include "exec/array.h"

/* information_schema.routines has 82 columns */
#define PGC_MAX_COLS 84
/* The one role Ferry reports, owner of everything (PostgreSQL's bootstrap superuser). */
#define PGC_ROLE_NAME "ferry"
/* PostgreSQL's encoding id of UTF8 (pg_wchar.h PG_UTF8). */
#define PGC_ENCODING_UTF8 6
/* PostgreSQL's "C" collation (pg_collation.dat), name's typcollation. */
#define PGC_OID_C_COLLATION 950
/* PostgreSQL's invalid_name, not in common/sqlstate.h (only regclass input raises it). */
#define PGC_SQLSTATE_INVALID_NAME "42602"

/* ---- OID registry ---- */

typedef struct reg_entry {
	uint32_t oid;
	char kind;
	char *key; /* class, catalog, schema, name joined by \x1f */
	char *catalog, *schema, *name;
} reg_entry;

static reg_entry *reg;   /* entries, in order handed out */
static int nreg, capreg;
static int *by_oid, *by_key; /* open addressing: index + 1, 0 = empty */
static int capidx;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void reg_index(int i)
{
	int m = capidx - 1;
	int p = (int)(reg[i].oid * 2654435761u) & m;
	while (by_oid[p]) p = (p + 1) & m;
	by_oid[p] = i + 1;
	p = (int)fnv1a(reg[i].key) & m;
	while (by_key[p]) p = (p + 1) & m;
	by_key[p] = i + 1;
}

static int reg_find_oid(uint32_t oid)
{
	if (!capidx) return -1;
	int m = capidx - 1;
	for (int p = (int)(oid * 2654435761u) & m; by_oid[p]; p = (p + 1) & m)
		if (reg[by_oid[p] - 1].oid == oid) return by_oid[p] - 1;
	return -1;
}

static int reg_find_key(const char *key)
{
	if (!capidx) return -1;
	int m = capidx - 1;
	for (int p = (int)fnv1a(key) & m; by_key[p]; p = (p + 1) & m)
		if (strcmp(reg[by_key[p] - 1].key, key) == 0) return by_key[p] - 1;
	return -1;
}

static void reg_grow(void)
{
	if (nreg + 1 <= capidx / 2 && nreg < capreg) return;
	if (nreg == capreg) {
		capreg = capreg ? capreg * 2 : 256;
		reg = xrealloc(reg, sizeof(reg_entry) * (size_t)capreg);
	}
	if (nreg + 1 > capidx / 2) {
		free(by_oid);
		free(by_key);
		capidx = capidx ? capidx * 2 : 1024;
		by_oid = xcalloc((size_t)capidx, sizeof(int));
		by_key = xcalloc((size_t)capidx, sizeof(int));
		for (int i = 0; i < nreg; i++) reg_index(i);
	}
}

static uint32_t well_known_schema_oid(const char *schema)
{
	if (strcmp(schema, "pg_catalog") == 0) return PGC_OID_PG_CATALOG;
	if (strcmp(schema, "information_schema") == 0) return PGC_OID_INFORMATION_SCHEMA;
	if (strcmp(schema, "public") == 0) return PGC_OID_PUBLIC;
	return 0;
}

uint32_t pgcatalog_oid(char kind, const char *catalog, const char *schema, const char *name)
{
	if (kind == 'n') {
		uint32_t w = well_known_schema_oid(name);
		if (w) return w;
	}
	char cls = kind == 'v' || kind == 'i' ? 'r' : kind;
	char *key;
	if (asprintf(&key, "%c\x1f%s\x1f%s\x1f%s", cls, catalog, schema ? schema : "", name) < 0)
		return 0;
	pthread_mutex_lock(&reg_lock);
	int i = reg_find_key(key);
	if (i >= 0) {
		if (kind == 'v' || kind == 'i') reg[i].kind = kind; /* a relation may turn out a view */
		uint32_t oid = reg[i].oid;
		pthread_mutex_unlock(&reg_lock);
		free(key);
		return oid;
	}
	reg_grow();
	const uint32_t span = PGC_OID_LAST - PGC_OID_FIRST + 1;
	uint32_t oid = PGC_OID_FIRST + fnv1a(key) % span;
	while (reg_find_oid(oid) >= 0) oid = oid == PGC_OID_LAST ? PGC_OID_FIRST : oid + 1;
	reg_entry *e = &reg[nreg];
	e->oid = oid;
	e->kind = kind;
	e->key = key;
	e->catalog = xstrdup(catalog);
	e->schema = schema ? xstrdup(schema) : NULL;
	e->name = xstrdup(name);
	reg_index(nreg++);
	pthread_mutex_unlock(&reg_lock);
	return oid;
}

bool pgcatalog_lookup_oid(uint32_t oid, arena *a, pgcat_object *out)
{
	pthread_mutex_lock(&reg_lock);
	int i = reg_find_oid(oid);
	if (i >= 0) {
		out->kind = reg[i].kind;
		out->catalog = arena_strdup(a, reg[i].catalog);
		out->schema = reg[i].schema ? arena_strdup(a, reg[i].schema) : NULL;
		out->name = arena_strdup(a, reg[i].name);
	}
	pthread_mutex_unlock(&reg_lock);
	if (i >= 0) return true;
	/* well-known schemas are not in the table */
	const char *ns = oid == PGC_OID_PG_CATALOG           ? "pg_catalog"
	                 : oid == PGC_OID_INFORMATION_SCHEMA ? "information_schema"
	                 : oid == PGC_OID_PUBLIC             ? "public"
	                                                     : NULL;
	if (!ns) return false;
	*out = (pgcat_object){'n', "", NULL, ns};
	return true;
}

/* ---- types (pg_type) ---- */

typedef struct pgcat_type {
	uint32_t oid;
	const char *typname;
	int typlen;
	bool byval;
	char category;
	uint32_t array; /* its array type, 0 none */
	const char *alias; /* SQL spelling that ftype_from_name or casts accept, or NULL */
} pgcat_type;

static const pgcat_type types[] = {
    {OID_BOOL, "bool", 1, true, 'B', 1000, "boolean"},
    {OID_BYTEA, "bytea", -1, false, 'U', 1001, NULL},
    {OID_CHAR, "char", 1, true, 'Z', 1002, NULL},
    {OID_NAME, "name", 64, false, 'S', 1003, NULL},
    {OID_INT8, "int8", 8, true, 'N', 1016, "bigint"},
    {OID_INT2, "int2", 2, true, 'N', 1005, "smallint"},
    {OID_INT4, "int4", 4, true, 'N', 1007, "integer"},
    {24, "regproc", 4, true, 'N', 1008, NULL},
    {OID_TEXT, "text", -1, false, 'S', 1009, NULL},
    {OID_OID, "oid", 4, true, 'N', 1028, NULL},
    {OID_JSON, "json", -1, false, 'U', 199, NULL},
    {OID_FLOAT4, "float4", 4, true, 'N', 1021, "real"},
    {OID_FLOAT8, "float8", 8, true, 'N', 1022, "double precision"},
    {OID_UNKNOWN, "unknown", -2, false, 'X', 0, NULL},
    {OID_BPCHAR, "bpchar", -1, false, 'S', 1014, "character"},
    {OID_VARCHAR, "varchar", -1, false, 'S', 1015, "character varying"},
    {OID_DATE, "date", 4, true, 'D', 1182, NULL},
    {OID_TIME, "time", 8, true, 'D', 1183, "time without time zone"},
    {OID_TIMESTAMP, "timestamp", 8, true, 'D', 1115, "timestamp without time zone"},
    {OID_TIMESTAMPTZ, "timestamptz", 8, true, 'D', 1185, "timestamp with time zone"},
    {OID_TIMETZ, "timetz", 12, false, 'D', OID_TIMETZ_ARRAY, "time with time zone"},
    {OID_INTERVAL, "interval", 16, false, 'T', 1187, NULL},
    {OID_NUMERIC, "numeric", -1, false, 'N', 1231, "decimal"},
    {2205, "regclass", 4, true, 'N', 2210, NULL},
    {2206, "regtype", 4, true, 'N', 2211, NULL},
    {4089, "regnamespace", 4, true, 'N', 4090, NULL},
    {OID_REGPROCEDURE, "regprocedure", 4, true, 'N', 2207, NULL},
    {OID_REGROLE, "regrole", 4, true, 'N', 4097, NULL},
    {OID_UUID, "uuid", 16, false, 'U', 2951, NULL},
    {OID_JSONB, "jsonb", -1, false, 'U', 3807, NULL},
    /* pseudo-types (category P) that the type I/O functions of pg_proc take and
     * return; no column or cast has them (pgcatalog_type_oid skips them) */
    {2275, "cstring", -2, false, 'P', 1263, NULL},
    {2277, "anyarray", -1, false, 'P', 0, NULL},
    {2281, "internal", 8, true, 'P', 0, NULL},
};
#define NTYPES ((int)(sizeof types / sizeof types[0]))

/* The OID of the type called name (or its alias), pseudo-types too when pseudo. */
static uint32_t type_oid_of(const char *name, bool pseudo)
{
	for (int i = 0; i < NTYPES; i++)
		if ((pseudo || types[i].category != 'P') &&
		    (strcmp(types[i].typname, name) == 0 ||
		     (types[i].alias && strcmp(types[i].alias, name) == 0)))
			return types[i].oid;
	return 0;
}

uint32_t pgcatalog_type_oid(const char *name)
{
	return type_oid_of(name, false);
}

uint32_t pgcatalog_array_elem(uint32_t oid)
{
	for (int i = 0; i < NTYPES; i++)
		if (types[i].array == oid) return types[i].oid;
	return 0;
}

const char *pgcatalog_type_name(uint32_t oid)
{
	for (int i = 0; i < NTYPES; i++) {
		if (types[i].oid == oid) return types[i].typname;
		if (types[i].array == oid) return NULL; /* arrays are named by the caller */
	}
	return NULL;
}

/* ---- functions listed in pg_proc and information_schema.routines ---- */

typedef struct pgcat_func {
	const char *name;
	uint32_t rettype;
	const char *argtypes; /* pg_proc.proargtypes: OIDs separated by spaces */
} pgcat_func;

static const pgcat_func funcs[] = {
    {"abs", OID_INT8, "20"},
    {"btrim", OID_TEXT, "25"},
    {"concat", OID_TEXT, "25 25"},
    {"current_database", OID_NAME, ""},
    {"current_schema", OID_NAME, ""},
    {"date_part", OID_FLOAT8, "25 1114"},
    {"date_trunc", OID_TIMESTAMP, "25 1114"},
    {"format_type", OID_TEXT, "26 23"},
    {"left", OID_TEXT, "25 23"},
    {"length", OID_INT4, "25"},
    {"lower", OID_TEXT, "25"},
    {"lpad", OID_TEXT, "25 23 25"},
    {"ltrim", OID_TEXT, "25"},
    {"pg_backend_pid", OID_INT4, ""},
    {"pg_get_userbyid", OID_NAME, "26"},
    {"pg_size_pretty", OID_TEXT, "20"},
    {"pg_table_is_visible", OID_BOOL, "26"},
    {"quote_ident", OID_TEXT, "25"},
    {"replace", OID_TEXT, "25 25 25"},
    {"round", OID_NUMERIC, "1700 23"},
    {"rtrim", OID_TEXT, "25"},
    {"split_part", OID_TEXT, "25 25 23"},
    {"sqrt", OID_FLOAT8, "701"},
    {"strpos", OID_INT4, "25 25"},
    {"substr", OID_TEXT, "25 23 23"},
    {"upper", OID_TEXT, "25"},
    {"version", OID_TEXT, ""},
};
#define NFUNCS ((int)(sizeof funcs / sizeof funcs[0]))

/* ---- table definitions ---- */

#define B TYPE_BOOL
#define I2 TYPE_INT2
#define I4 TYPE_INT4
#define I8 TYPE_INT8
#define F4 TYPE_FLOAT4
#define V TYPE_VARCHAR
#define TZ TYPE_TIMESTAMPTZ
#define T TYPE_TEXT
/*
 * Array columns: int2vector and oidvector are int2[] and oid[] (bigint[])
 * here, lower bound 1 (see the README); name[], "char"[] and aclitem[] are
 * text[] (Ferry has none of those types as array elements).
 */
#define AR(e) TYPE_ARRAY, e
#define A_I2 AR(TYPE_INT2)
#define A_OID AR(TYPE_INT8)
#define A_T AR(TYPE_TEXT)
/* regproc: a function's OID, printed as its name ('-' for 0) */
#define RP TYPE_INT8, TYPE_NULL, FTYPE_REG_PROC
/* information_schema's domains, as PostgreSQL sends them (their base types):
 * sql_identifier is name, yes_or_no varchar(3), cardinal_number integer,
 * character_data varchar, time_stamp timestamptz */
#define N TYPE_TEXT, TYPE_NULL, 0, FTYPE_TEXT_NAME
#define YN TYPE_VARCHAR, TYPE_NULL, 0, 3

typedef enum pgcat_gen {
	G_NAMESPACE,
	G_CLASS,
	G_ATTRIBUTE,
	G_TYPE,
	G_ATTRDEF,
	G_CONSTRAINT,
	G_INDEX,
	G_DESCRIPTION,
	G_DATABASE,
	G_ROLES,
	G_USER,
	G_AM,
	G_PROC,
	G_TABLESPACE,
	G_ENUM,
	G_COLLATION,
	G_INHERITS,
	G_MATVIEWS,
	G_VIEWS,
	G_TABLES,
	G_ACTIVITY,
	G_SETTINGS,
	G_LANGUAGE,
	G_IS_SCHEMATA,
	G_IS_TABLES,
	G_IS_COLUMNS,
	G_IS_VIEWS,
	G_IS_TABLE_CONSTRAINTS,
	G_IS_KEY_COLUMN_USAGE,
	G_IS_REFERENTIAL_CONSTRAINTS,
	G_IS_ROUTINES,
	G_IS_CONSTRAINT_COLUMN_USAGE,
	G_EMPTY, /* objects Ferry has none of: no rows */
} pgcat_gen;

typedef struct pgcat_col {
	const char *name;
	type_id type;
	type_id elem; /* the element type when type is TYPE_ARRAY (AR below) */
	int reg;      /* FTYPE_REG_* of a reg* column (RP below), else 0 */
	int length;   /* varchar(length), or FTYPE_TEXT_NAME on text (name); 0 none */
} pgcat_col;

typedef struct pgcat_tdef {
	const char *schema;
	const char *table;
	pgcat_gen gen;
	/* A column naming one relation (by OID, or schema + table name columns)
	 * whose equality narrows the listing to that relation; -1 none. */
	int rel_oid_col, schema_col, table_col;
	pgcat_col cols[PGC_MAX_COLS];
} pgcat_tdef;

#define PGC "pg_catalog"
#define ISC "information_schema"

static const pgcat_tdef tdefs[] = {
    {PGC, "pg_namespace", G_NAMESPACE, -1, -1, -1,
     {{"oid", I8}, {"nspname", N}, {"nspowner", I8}, {"nspacl", A_T}}},
    {PGC, "pg_class", G_CLASS, 0, -1, -1,
     {{"oid", I8},           {"relname", N},         {"relnamespace", I8},
      {"reltype", I8},       {"reloftype", I8},      {"relowner", I8},
      {"relam", I8},         {"relfilenode", I8},    {"reltablespace", I8},
      {"relpages", I4},      {"reltuples", F4},      {"relallvisible", I4},
      {"reltoastrelid", I8}, {"relhasindex", B},     {"relisshared", B},
      {"relpersistence", V}, {"relkind", V},         {"relnatts", I2},
      {"relchecks", I2},     {"relhasrules", B},     {"relhastriggers", B},
      {"relhassubclass", B}, {"relrowsecurity", B},  {"relforcerowsecurity", B},
      {"relispopulated", B}, {"relreplident", V},    {"relispartition", B},
      {"relrewrite", I8},    {"relfrozenxid", I8},   {"relminmxid", I8},
      {"relacl", A_T},       {"reloptions", A_T},      {"relpartbound", V}}},
    {PGC, "pg_attribute", G_ATTRIBUTE, 0, -1, -1,
     {{"attrelid", I8},      {"attname", N},       {"atttypid", I8},
      {"attstattarget", I4}, {"attlen", I2},       {"attnum", I2},
      {"attndims", I4},      {"attcacheoff", I4},  {"atttypmod", I4},
      {"attbyval", B},       {"attalign", V},      {"attstorage", V},
      {"attcompression", V}, {"attnotnull", B},    {"atthasdef", B},
      {"atthasmissing", B},  {"attidentity", V},   {"attgenerated", V},
      {"attisdropped", B},   {"attislocal", B},    {"attinhcount", I4},
      {"attcollation", I8},  {"attacl", A_T},      {"attoptions", A_T},
      {"attfdwoptions", A_T},  {"attmissingval", V}}},
    {PGC, "pg_type", G_TYPE, -1, -1, -1,
     {{"oid", I8},           {"typname", N},      {"typnamespace", I8}, {"typowner", I8},
      {"typlen", I2},        {"typbyval", B},     {"typtype", V},       {"typcategory", V},
      {"typispreferred", B}, {"typisdefined", B}, {"typdelim", V},      {"typrelid", I8},
      {"typsubscript", RP},  {"typelem", I8},     {"typarray", I8},     {"typinput", RP},
      {"typoutput", RP},     {"typreceive", RP},  {"typsend", RP},      {"typmodin", RP},
      {"typmodout", RP},     {"typanalyze", RP},  {"typalign", V},      {"typstorage", V},
      {"typnotnull", B},     {"typbasetype", I8}, {"typtypmod", I4},    {"typndims", I4},
      {"typcollation", I8},  {"typdefaultbin", V}, {"typdefault", V},   {"typacl", A_T}}},
    {PGC, "pg_attrdef", G_ATTRDEF, 1, -1, -1,
     {{"oid", I8}, {"adrelid", I8}, {"adnum", I2}, {"adbin", V}}},
    {PGC, "pg_constraint", G_CONSTRAINT, 7, -1, -1,
     {{"oid", I8},          {"conname", N},        {"connamespace", I8}, {"contype", V},
      {"condeferrable", B}, {"condeferred", B},    {"convalidated", B},  {"conrelid", I8},
      {"contypid", I8},     {"conindid", I8},      {"conparentid", I8},  {"confrelid", I8},
      {"confupdtype", V},   {"confdeltype", V},    {"confmatchtype", V}, {"conislocal", B},
      {"coninhcount", I4},  {"connoinherit", B},   {"conkey", A_I2},      {"confkey", A_I2},
      {"conpfeqop", A_OID}, {"conppeqop", A_OID},  {"conffeqop", A_OID}, {"confdelsetcols", A_I2},
      {"conexclop", A_OID}, {"conbin", V}}},
    {PGC, "pg_index", G_INDEX, 1, -1, -1,
     {{"indexrelid", I8},    {"indrelid", I8},      {"indnatts", I2},    {"indnkeyatts", I2},
      {"indisunique", B},    {"indnullsnotdistinct", B}, {"indisprimary", B},   {"indisexclusion", B}, {"indimmediate", B},
      {"indisclustered", B}, {"indisvalid", B},     {"indcheckxmin", B}, {"indisready", B},
      {"indislive", B},      {"indisreplident", B}, {"indkey", A_I2},     {"indcollation", A_OID}, {"indclass", A_OID},
      {"indoption", A_I2},   {"indexprs", V},
      {"indpred", V}}},
    {PGC, "pg_description", G_DESCRIPTION, 0, -1, -1,
     {{"objoid", I8}, {"classoid", I8}, {"objsubid", I4}, {"description", V}}},
    {PGC, "pg_database", G_DATABASE, -1, -1, -1,
     {{"oid", I8},            {"datname", N},        {"datdba", I8},         {"encoding", I4},
      {"datlocprovider", V},  {"datistemplate", B},  {"datallowconn", B},    {"datconnlimit", I4},
      {"datfrozenxid", I8},   {"datminmxid", I8},    {"dattablespace", I8},  {"datcollate", V},
      {"datctype", V},        {"daticulocale", V},   {"datcollversion", V},  {"datacl", A_T}}},
    {PGC, "pg_roles", G_ROLES, -1, -1, -1,
     {{"rolname", N},       {"rolsuper", B},       {"rolinherit", B},      {"rolcreaterole", B},
      {"rolcreatedb", B},   {"rolcanlogin", B},    {"rolreplication", B},  {"rolconnlimit", I4},
      {"rolpassword", V},   {"rolvaliduntil", TZ}, {"rolbypassrls", B},    {"rolconfig", A_T},
      {"oid", I8}}},
    {PGC, "pg_user", G_USER, -1, -1, -1,
     {{"usename", N}, {"usesysid", I8}, {"usecreatedb", B}, {"usesuper", B}, {"userepl", B},
      {"usebypassrls", B}, {"passwd", V}, {"valuntil", TZ}, {"useconfig", A_T}}},
    {PGC, "pg_am", G_AM, -1, -1, -1, {{"oid", I8}, {"amname", V}, {"amhandler", V}, {"amtype", V}}},
    {PGC, "pg_proc", G_PROC, -1, -1, -1,
     {{"oid", I8},          {"proname", N},       {"pronamespace", I8},   {"proowner", I8},
      {"prolang", I8},      {"procost", F4},      {"prorows", F4},        {"provariadic", I8},
      {"prosupport", RP},   {"prokind", V},       {"prosecdef", B},       {"proleakproof", B},
      {"proisstrict", B},   {"proretset", B},     {"provolatile", V},     {"proparallel", V},
      {"pronargs", I2},     {"pronargdefaults", I2}, {"prorettype", I8},  {"proargtypes", A_OID},
      {"proallargtypes", A_OID}, {"proargmodes", A_T}, {"proargnames", A_T},
      {"proargdefaults", V}, {"protrftypes", A_OID}, {"prosrc", V},
      {"probin", V},        {"prosqlbody", V},    {"proconfig", A_T},   {"proacl", A_T}}},
    {PGC, "pg_tablespace", G_TABLESPACE, -1, -1, -1,
     {{"oid", I8}, {"spcname", N}, {"spcowner", I8}, {"spcacl", A_T}, {"spcoptions", A_T}}},
    {PGC, "pg_enum", G_ENUM, -1, -1, -1,
     {{"oid", I8}, {"enumtypid", I8}, {"enumsortorder", F4}, {"enumlabel", N}}},
    {PGC, "pg_collation", G_COLLATION, -1, -1, -1,
     {{"oid", I8},         {"collname", N},       {"collnamespace", I8},   {"collowner", I8},
      {"collprovider", V}, {"collisdeterministic", B}, {"collencoding", I4}, {"collcollate", V},
      {"collctype", V},    {"colliculocale", V},  {"collversion", V}}},
    {PGC, "pg_inherits", G_INHERITS, -1, -1, -1,
     {{"inhrelid", I8}, {"inhparent", I8}, {"inhseqno", I4}, {"inhdetachpending", B}}},
    /* what psql's \d, \d+ and \du read about objects Ferry has none of */
    {PGC, "pg_policy", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"polname", V}, {"polrelid", I8}, {"polcmd", V}, {"polpermissive", B},
      {"polroles", A_OID}, {"polqual", V}, {"polwithcheck", V}}},
    {PGC, "pg_trigger", G_EMPTY, -1, -1, -1,
     {{"oid", I8},           {"tgrelid", I8},       {"tgparentid", I8},    {"tgname", V},
      {"tgfoid", I8},        {"tgtype", I2},        {"tgenabled", V},      {"tgisinternal", B},
      {"tgconstrrelid", I8}, {"tgconstrindid", I8}, {"tgconstraint", I8},  {"tgdeferrable", B},
      {"tginitdeferred", B}, {"tgnargs", I2},       {"tgattr", A_I2},      {"tgargs", V},         {"tgqual", V},
      {"tgoldtable", V},     {"tgnewtable", V}}},
    {PGC, "pg_rewrite", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"rulename", V}, {"ev_class", I8}, {"ev_type", V}, {"ev_enabled", V},
      {"is_instead", B}, {"ev_qual", V}, {"ev_action", V}}},
    {PGC, "pg_statistic_ext", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"stxrelid", I8}, {"stxname", V}, {"stxnamespace", I8}, {"stxowner", I8},
      {"stxstattarget", I4}, {"stxkeys", A_I2}, {"stxkind", A_T}, {"stxexprs", V}}},
    {PGC, "pg_publication", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"pubname", V}, {"pubowner", I8}, {"puballtables", B}, {"pubinsert", B},
      {"pubupdate", B}, {"pubdelete", B}, {"pubtruncate", B}, {"pubviaroot", B}}},
    {PGC, "pg_publication_rel", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"prpubid", I8}, {"prrelid", I8}, {"prqual", V}, {"prattrs", A_I2}}},
    {PGC, "pg_publication_namespace", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"pnpubid", I8}, {"pnnspid", I8}}},
    {PGC, "pg_partitioned_table", G_EMPTY, -1, -1, -1,
     {{"partrelid", I8}, {"partstrat", V}, {"partnatts", I2}, {"partdefid", I8},
      {"partattrs", A_I2}, {"partclass", A_OID}, {"partcollation", A_OID}, {"partexprs", V}}},
    {PGC, "pg_foreign_table", G_EMPTY, -1, -1, -1, {{"ftrelid", I8}, {"ftserver", I8}, {"ftoptions", A_T}}},
    {PGC, "pg_foreign_server", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"srvname", V}, {"srvowner", I8}, {"srvfdw", I8}, {"srvtype", V},
      {"srvversion", V}, {"srvacl", A_T}, {"srvoptions", A_T}}},
    {PGC, "pg_sequence", G_EMPTY, -1, -1, -1,
     {{"seqrelid", I8}, {"seqtypid", I8}, {"seqstart", I8}, {"seqincrement", I8},
      {"seqmax", I8}, {"seqmin", I8}, {"seqcache", I8}, {"seqcycle", B}}},
    {PGC, "pg_opclass", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"opcmethod", I8}, {"opcname", N}, {"opcnamespace", I8}, {"opcowner", I8},
      {"opcfamily", I8}, {"opcintype", I8}, {"opcdefault", B}, {"opckeytype", I8}}},
    /* Ferry speaks UTF8 only (no conversions) and has no foreign-data wrappers */
    {PGC, "pg_conversion", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"conname", N}, {"connamespace", I8}, {"conowner", I8},
      {"conforencoding", I4}, {"contoencoding", I4}, {"conproc", V}, {"condefault", B}}},
    {PGC, "pg_foreign_data_wrapper", G_EMPTY, -1, -1, -1,
     {{"oid", I8}, {"fdwname", N}, {"fdwowner", I8}, {"fdwhandler", I8}, {"fdwvalidator", I8},
      {"fdwacl", A_T}, {"fdwoptions", A_T}}},
    {PGC, "pg_language", G_LANGUAGE, -1, -1, -1,
     {{"oid", I8}, {"lanname", N}, {"lanowner", I8}, {"lanispl", B}, {"lanpltrusted", B},
      {"lanplcallfoid", I8}, {"laninline", I8}, {"lanvalidator", I8}, {"lanacl", A_T}}},
    {PGC, "pg_auth_members", G_EMPTY, -1, -1, -1,
     {{"roleid", I8}, {"member", I8}, {"grantor", I8}, {"admin_option", B}}},
    /* DBeaver's column and table queries: no dependencies (no sequences, no
     * extensions) and no row-level security policies */
    {PGC, "pg_depend", G_EMPTY, -1, -1, -1,
     {{"classid", I8}, {"objid", I8}, {"objsubid", I4}, {"refclassid", I8}, {"refobjid", I8},
      {"refobjsubid", I4}, {"deptype", V}}},
    {PGC, "pg_policies", G_EMPTY, -1, -1, -1,
     {{"schemaname", N}, {"tablename", N}, {"policyname", N}, {"permissive", T}, {"roles", A_T},
      {"cmd", T}, {"qual", T}, {"with_check", T}}},
    {PGC, "pg_matviews", G_MATVIEWS, -1, 0, 1,
     {{"schemaname", N}, {"matviewname", N}, {"matviewowner", N}, {"tablespace", N},
      {"hasindexes", B}, {"ispopulated", B}, {"definition", V}}},
    {PGC, "pg_views", G_VIEWS, -1, 0, 1,
     {{"schemaname", N}, {"viewname", N}, {"viewowner", N}, {"definition", V}}},
    {PGC, "pg_tables", G_TABLES, -1, 0, 1,
     {{"schemaname", N}, {"tablename", N}, {"tableowner", N}, {"tablespace", N},
      {"hasindexes", B}, {"hasrules", B}, {"hastriggers", B}, {"rowsecurity", B}}},
    {PGC, "pg_stat_activity", G_ACTIVITY, -1, -1, -1,
     {{"datid", I8},          {"datname", N},         {"pid", I4},
      {"leader_pid", I4},     {"usesysid", I8},       {"usename", N},
      {"application_name", V}, {"client_addr", V},    {"client_hostname", V},
      {"client_port", I4},    {"backend_start", TZ},  {"xact_start", TZ},
      {"query_start", TZ},    {"state_change", TZ},   {"wait_event_type", V},
      {"wait_event", V},      {"state", V},           {"backend_xid", I8},
      {"backend_xmin", I8},   {"query_id", I8},       {"query", V},
      {"backend_type", V}}},
    {PGC, "pg_settings", G_SETTINGS, -1, -1, -1,
     {{"name", T},        {"setting", T},       {"unit", T},       {"category", T},
      {"short_desc", T},  {"extra_desc", T},    {"context", T},    {"vartype", T},
      {"source", T},      {"min_val", T},       {"max_val", T},    {"enumvals", A_T},
      {"boot_val", T},
      {"reset_val", T},   {"sourcefile", T},    {"sourceline", I4}, {"pending_restart", B}}},
    {ISC, "schemata", G_IS_SCHEMATA, -1, 1, -1,
     {{"catalog_name", N}, {"schema_name", N}, {"schema_owner", N},
      {"default_character_set_catalog", N}, {"default_character_set_schema", N},
      {"default_character_set_name", N}, {"sql_path", V}}},
    {ISC, "tables", G_IS_TABLES, -1, 1, 2,
     {{"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"table_type", V},
      {"self_referencing_column_name", N}, {"reference_generation", V},
      {"user_defined_type_catalog", N}, {"user_defined_type_schema", N},
      {"user_defined_type_name", N}, {"is_insertable_into", YN}, {"is_typed", YN},
      {"commit_action", V}}},
    {ISC, "columns", G_IS_COLUMNS, -1, 1, 2,
     {{"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"column_name", N},
      {"ordinal_position", I4}, {"column_default", V}, {"is_nullable", YN}, {"data_type", V},
      {"character_maximum_length", I4}, {"character_octet_length", I4},
      {"numeric_precision", I4}, {"numeric_precision_radix", I4}, {"numeric_scale", I4},
      {"datetime_precision", I4}, {"interval_type", V}, {"interval_precision", I4},
      {"character_set_catalog", N}, {"character_set_schema", N}, {"character_set_name", N},
      {"collation_catalog", N}, {"collation_schema", N}, {"collation_name", N},
      {"domain_catalog", N}, {"domain_schema", N}, {"domain_name", N}, {"udt_catalog", N},
      {"udt_schema", N}, {"udt_name", N}, {"scope_catalog", N}, {"scope_schema", N},
      {"scope_name", N}, {"maximum_cardinality", I4}, {"dtd_identifier", N},
      {"is_self_referencing", YN}, {"is_identity", YN}, {"identity_generation", V},
      {"identity_start", V}, {"identity_increment", V}, {"identity_maximum", V},
      {"identity_minimum", V}, {"identity_cycle", YN}, {"is_generated", V},
      {"generation_expression", V}, {"is_updatable", YN}}},
    {ISC, "views", G_IS_VIEWS, -1, 1, 2,
     {{"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"view_definition", V},
      {"check_option", V}, {"is_updatable", YN}, {"is_insertable_into", YN},
      {"is_trigger_updatable", YN}, {"is_trigger_deletable", YN},
      {"is_trigger_insertable_into", YN}}},
    {ISC, "table_constraints", G_IS_TABLE_CONSTRAINTS, -1, 4, 5,
     {{"constraint_catalog", N}, {"constraint_schema", N}, {"constraint_name", N},
      {"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"constraint_type", V},
      {"is_deferrable", YN}, {"initially_deferred", YN}, {"enforced", YN},
      {"nulls_distinct", YN}}},
    {ISC, "key_column_usage", G_IS_KEY_COLUMN_USAGE, -1, 4, 5,
     {{"constraint_catalog", N}, {"constraint_schema", N}, {"constraint_name", N},
      {"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"column_name", N},
      {"ordinal_position", I4}, {"position_in_unique_constraint", I4}}},
    {ISC, "referential_constraints", G_IS_REFERENTIAL_CONSTRAINTS, -1, -1, -1,
     {{"constraint_catalog", N}, {"constraint_schema", N}, {"constraint_name", N},
      {"unique_constraint_catalog", N}, {"unique_constraint_schema", N},
      {"unique_constraint_name", N}, {"match_option", V}, {"update_rule", V},
      {"delete_rule", V}}},
    /* not narrowed by table: a foreign key's rows name the table it references */
    {ISC, "constraint_column_usage", G_IS_CONSTRAINT_COLUMN_USAGE, -1, -1, -1,
     {{"table_catalog", N}, {"table_schema", N}, {"table_name", N}, {"column_name", N},
      {"constraint_catalog", N}, {"constraint_schema", N}, {"constraint_name", N}}},
    {ISC, "routines", G_IS_ROUTINES, -1, -1, -1,
     {{"specific_catalog", N}, {"specific_schema", N}, {"specific_name", N},
      {"routine_catalog", N}, {"routine_schema", N}, {"routine_name", N}, {"routine_type", V},
      {"module_catalog", N}, {"module_schema", N}, {"module_name", N}, {"udt_catalog", N},
      {"udt_schema", N}, {"udt_name", N}, {"data_type", V}, {"character_maximum_length", I4},
      {"character_octet_length", I4}, {"character_set_catalog", N}, {"character_set_schema", N},
      {"character_set_name", N}, {"collation_catalog", N}, {"collation_schema", N},
      {"collation_name", N}, {"numeric_precision", I4}, {"numeric_precision_radix", I4},
      {"numeric_scale", I4}, {"datetime_precision", I4}, {"interval_type", V},
      {"interval_precision", I4}, {"type_udt_catalog", N}, {"type_udt_schema", N},
      {"type_udt_name", N}, {"scope_catalog", N}, {"scope_schema", N}, {"scope_name", N},
      {"maximum_cardinality", I4}, {"dtd_identifier", N}, {"routine_body", V},
      {"routine_definition", V}, {"external_name", V}, {"external_language", V},
      {"parameter_style", V}, {"is_deterministic", YN}, {"sql_data_access", V},
      {"is_null_call", YN}, {"sql_path", V}, {"schema_level_routine", YN},
      {"max_dynamic_result_sets", I4}, {"is_user_defined_cast", YN},
      {"is_implicitly_invocable", YN}, {"security_type", V}, {"to_sql_specific_catalog", N},
      {"to_sql_specific_schema", N}, {"to_sql_specific_name", N}, {"as_locator", YN},
      {"created", TZ}, {"last_altered", TZ}, {"new_savepoint_level", YN},
      {"is_udt_dependent", YN}, {"result_cast_from_data_type", V},
      {"result_cast_as_locator", YN}, {"result_cast_char_max_length", I4},
      {"result_cast_char_octet_length", I4}, {"result_cast_char_set_catalog", N},
      {"result_cast_char_set_schema", N}, {"result_cast_char_set_name", N},
      {"result_cast_collation_catalog", N}, {"result_cast_collation_schema", N},
      {"result_cast_collation_name", N}, {"result_cast_numeric_precision", I4},
      {"result_cast_numeric_precision_radix", I4}, {"result_cast_numeric_scale", I4},
      {"result_cast_datetime_precision", I4}, {"result_cast_interval_type", V},
      {"result_cast_interval_precision", I4}, {"result_cast_type_udt_catalog", N},
      {"result_cast_type_udt_schema", N}, {"result_cast_type_udt_name", N},
      {"result_cast_scope_catalog", N}, {"result_cast_scope_schema", N},
      {"result_cast_scope_name", N}, {"result_cast_maximum_cardinality", I4},
      {"result_cast_dtd_identifier", N}}},
};
#define NTDEFS ((int)(sizeof tdefs / sizeof tdefs[0]))

#undef B
#undef I2
#undef I4
#undef I8
#undef F4
#undef V
#undef TZ
#undef T
#undef N
#undef YN

static int tdef_ncols(const pgcat_tdef *d)
{
	int n = 0;
	while (n < PGC_MAX_COLS && d->cols[n].name) n++;
	return n;
}

static int tdef_col(const pgcat_tdef *d, const char *name)
{
	for (int i = 0; i < PGC_MAX_COLS && d->cols[i].name; i++)
		if (strcmp(d->cols[i].name, name) == 0) return i;
	return -1;
}

static const pgcat_tdef *tdef_find(const char *schema, const char *table)
{
	for (int i = 0; i < NTDEFS; i++)
		if (strcmp(tdefs[i].schema, schema) == 0 && strcmp(tdefs[i].table, table) == 0)
			return &tdefs[i];
	return NULL;
}

bool pgcatalog_is_schema(const char *schema)
{
	return strcmp(schema, PGC) == 0 || strcmp(schema, ISC) == 0;
}

static system_provider activity_provider;
static pthread_mutex_t provider_lock = PTHREAD_MUTEX_INITIALIZER;

void pgcatalog_set_activity_provider(system_provider fn)
{
	pthread_mutex_lock(&provider_lock);
	activity_provider = fn;
	pthread_mutex_unlock(&provider_lock);
}

static pgcatalog_settings_provider settings_provider;
static _Thread_local int32_t thread_session;

void pgcatalog_set_settings_provider(pgcatalog_settings_provider fn)
{
	pthread_mutex_lock(&provider_lock);
	settings_provider = fn;
	pthread_mutex_unlock(&provider_lock);
}

void pgcatalog_set_thread_session(int32_t session)
{
	thread_session = session;
}

/* ---- the connector ---- */

typedef struct pgcat_catalog {
	conn_catalog base;
	char *target; /* the catalog described */
	struct pgcat_catalog *next;
} pgcat_catalog;

typedef struct pgcat_handle {
	conn_table base;
	const pgcat_tdef *def;
	bool empty;           /* contradictory pins: no rows */
	int64_t pin_oid;      /* -1: none */
	const char *pin_schema, *pin_table;
	int32_t session;      /* pg_settings: whose settings (pgcatalog_set_thread_session) */
} pgcat_handle;

static ferr *pgcat_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	const char **v = arena_alloc(a, sizeof(char *) * 2);
	v[0] = PGC;
	v[1] = ISC;
	*names = v;
	*n = 2;
	return NULL;
}

static ferr *pgcat_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                             const char ***names)
{
	const char **v = arena_alloc(a, sizeof(char *) * NTDEFS);
	int k = 0;
	for (int i = 0; i < NTDEFS; i++)
		if (strcmp(tdefs[i].schema, schema) == 0) v[k++] = tdefs[i].table;
	*names = v;
	*n = k;
	return NULL;
}

static conn_table *tdef_table(const pgcat_tdef *d, arena *a)
{
	pgcat_handle *h = arena_zalloc(a, sizeof *h);
	h->def = d;
	h->pin_oid = -1;
	h->base.schema = d->schema;
	h->base.table = d->table;
	h->base.ncols = tdef_ncols(d);
	h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)h->base.ncols);
	for (int i = 0; i < h->base.ncols; i++) {
		h->base.cols[i].name = d->cols[i].name;
		h->base.cols[i].type =
		    d->cols[i].type == TYPE_VARCHAR
		        ? ftype_varchar(d->cols[i].length ? d->cols[i].length : -1)
		    : d->cols[i].length == FTYPE_TEXT_NAME ? ftype_name()
		    : d->cols[i].type == TYPE_ARRAY
		        ? ftype_array(d->cols[i].elem == TYPE_INT8 ? ftype_reg(FTYPE_REG_OID)
		                                                   : ftype_make(d->cols[i].elem))
		    : d->cols[i].reg ? ftype_reg(d->cols[i].reg)
		                     : ftype_make(d->cols[i].type);
	}
	return &h->base;
}

static ferr *pgcat_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                           conn_table **out)
{
	const pgcat_tdef *d = tdef_find(schema, table);
	*out = d ? tdef_table(d, a) : NULL;
	if (d && d->gen == G_SETTINGS) ((pgcat_handle *)*out)->session = thread_session;
	return NULL;
}

static ferr *pgcat_get_statistics(conn_catalog *c, const conn_table *t, arena *a,
                                conn_table_stats *out)
{
	memset(out, 0, sizeof *out);
	out->row_count = 100;
	return NULL;
}

/* One value pinned by a domain: a single inclusive point. */
static bool domain_point(const conn_column_domain *cd, const fvalue **v)
{
	if (cd->all || cd->null_allowed || cd->nranges != 1) return false;
	const conn_range *r = &cd->ranges[0];
	if (r->low_unbounded || r->high_unbounded || !r->low_inclusive || !r->high_inclusive ||
	    r->low.isnull)
		return false;
	*v = &r->low;
	return true;
}

/*
 * Equalities on a relation's OID or on its schema and table names narrow
 * the listing. The engine still evaluates the whole filter (remaining is
 * the domain given), so none of this has to be exact.
 */
static ferr *pgcat_apply_filter(conn_catalog *c, const conn_table *t, const conn_domain *d, arena *a,
                              conn_table **out, conn_domain **remaining)
{
	const pgcat_handle *h = (const pgcat_handle *)t;
	conn_domain *rest = arena_alloc(a, sizeof *rest);
	*rest = *d;
	*remaining = rest;
	*out = NULL;
	pgcat_handle nh = *h;
	bool changed = d->none && !h->empty;
	if (d->none) nh.empty = true;
	for (int i = 0; i < d->ncols; i++) {
		const fvalue *v;
		int col = d->cols[i].column;
		if (!domain_point(&d->cols[i], &v)) continue;
		if (col == h->def->rel_oid_col && nh.pin_oid < 0) {
			nh.pin_oid = v->u.i;
			changed = true;
		} else if (col == h->def->schema_col && !nh.pin_schema) {
			nh.pin_schema = arena_strndup(a, v->u.s.ptr, v->u.s.len);
			changed = true;
		} else if (col == h->def->table_col && !nh.pin_table) {
			nh.pin_table = arena_strndup(a, v->u.s.ptr, v->u.s.len);
			changed = true;
		}
	}
	if (!changed) return NULL;
	pgcat_handle *copy = arena_alloc(a, sizeof *copy);
	*copy = nh;
	*out = &copy->base;
	return NULL;
}

typedef struct pgcat_split {
	conn_split base;
} pgcat_split;

static ferr *pgcat_get_splits(conn_catalog *c, const conn_table *t, int desired, arena *a, int *n,
                            conn_split ***splits)
{
	pgcat_split *s = arena_zalloc(a, sizeof *s);
	s->base.estimated_rows = 100;
	s->base.description = "pgcatalog";
	*splits = arena_alloc(a, sizeof(conn_split *));
	(*splits)[0] = &s->base;
	*n = 1;
	return NULL;
}

/* ---- row generation ---- */

typedef struct gen {
	arena *a;
	const pgcat_catalog *pc;
	const pgcat_handle *h;
	const pgcat_tdef *def;
	int ncols;
	const char **vals; /* rows * ncols */
	int rows, cap;
} gen;

static const char **row_new(gen *g)
{
	if (g->rows == g->cap) {
		int ncap = g->cap ? g->cap * 2 : 64;
		g->vals = arena_realloc(g->a, g->vals, sizeof(char *) * (size_t)(g->cap * g->ncols),
		                        sizeof(char *) * (size_t)(ncap * g->ncols));
		g->cap = ncap;
	}
	const char **row = &g->vals[(size_t)g->rows * g->ncols];
	memset(row, 0, sizeof(char *) * (size_t)g->ncols);
	g->rows++;
	return row;
}

/* Set column name of row; names not in the table are a programming error caught by tests. */
static void set(gen *g, const char **row, const char *name, const char *v)
{
	int i = tdef_col(g->def, name);
	if (i >= 0) row[i] = v ? arena_strdup(g->a, v) : NULL;
}

static void setn(gen *g, const char **row, const char *name, long v)
{
	int i = tdef_col(g->def, name);
	if (i >= 0) row[i] = arena_sprintf(g->a, "%ld", v);
}

static void setb(gen *g, const char **row, const char *name, bool v)
{
	set(g, row, name, v ? "t" : "f");
}

/* Set every boolean column that is not set yet to false and every listed int to 0. */
static void fill_defaults(gen *g, const char **row)
{
	for (int i = 0; i < g->ncols; i++)
		if (!row[i] && g->def->cols[i].type == TYPE_BOOL) row[i] = "f";
}

/* A relation met while walking the described catalog. */
typedef struct rel {
	const char *schema, *name;
	char kind; /* pg_class.relkind: 'r', 'v', 'm' (materialized view), 'f', 'p' */
	uint32_t oid, nsoid;
	const conn_table *t; /* NULL unless the walk was asked for columns */
	const conn_view *view;
} rel;

typedef ferr *(*rel_fn)(gen *g, const rel *r);
static const char *pk_table_name(const char *pkname, arena *a);
static uint32_t col_type_oid(ftype t);
static const struct pgcat_type *type_by_oid(uint32_t oid);
static bool type_out(uint32_t oid, strbuf *out);

static uint32_t ns_oid(gen *g, const char *schema)
{
	return pgcatalog_oid('n', g->pc->target, NULL, schema);
}

static bool pin_ok(const char *pin, const char *v)
{
	return !pin || strcmp(pin, v) == 0;
}

/* Emulated relations of pg_catalog and information_schema themselves. */
static ferr *walk_emulated(gen *g, arena *tmp, bool cols, rel_fn fn)
{
	for (int i = 0; i < NTDEFS; i++) {
		const pgcat_tdef *d = &tdefs[i];
		if (!pin_ok(g->h->pin_schema, d->schema) || !pin_ok(g->h->pin_table, d->table)) continue;
		rel r = {d->schema, d->table, strcmp(d->schema, ISC) == 0 ? 'v' : 'r', 0, 0, NULL, NULL};
		r.oid = pgcatalog_oid(r.kind, g->pc->target, d->schema, d->table);
		if (g->h->pin_oid >= 0 && r.oid != g->h->pin_oid) continue;
		r.nsoid = ns_oid(g, d->schema);
		if (cols) r.t = tdef_table(d, tmp);
		TRY(fn(g, &r));
	}
	return NULL;
}

/*
 * The OID registry's kind of a relation: views and materialized views are
 * 'v' (they have a definition, pg_get_viewdef), the others 'r'.
 */
static char rel_reg_kind(char relkind)
{
	return relkind == 'v' || relkind == 'm' ? 'v' : 'r';
}

/* A view's definition: the connector's view, or what the source says of its relation. */
static const char *rel_view_sql(const rel *r)
{
	return r->view ? r->view->sql : r->t ? r->t->view_sql : NULL;
}

/* One relation of the source: its kind, and its columns when asked. */
static ferr *visit_source(gen *g, conn_catalog *cat, const char *schema, const char *name,
                          arena *tmp, bool cols, rel_fn fn)
{
	rel r = {schema, name, 'r', 0, 0, NULL, NULL};
	if (cat->ops->get_view) {
		conn_view *v = NULL;
		ferr *e = cat->ops->get_view(cat, schema, name, tmp, &v);
		if (e) ferr_free(e);
		if (v) r.kind = 'v', r.view = v;
	}
	if (cols) {
		conn_table *t = NULL;
		ferr *e = cat->ops->get_table(cat, schema, name, tmp, &t);
		if (e) {
			log_warn("pg_catalog: skipping %s.%s.%s: %s (SQLSTATE %s)", g->pc->target, schema,
			         name, e->message, e->sqlstate);
			ferr_free(e);
			return NULL;
		}
		if (!t && !r.view) return NULL;
		r.t = t;
		if (t && t->relkind && strchr("vmfp", t->relkind)) r.kind = t->relkind;
		if (!t && r.view) {
			conn_table *vt = arena_zalloc(tmp, sizeof *vt);
			vt->schema = schema;
			vt->table = name;
			vt->ncols = r.view->ncols;
			vt->cols = r.view->cols;
			r.t = vt;
		}
	}
	r.oid = pgcatalog_oid(rel_reg_kind(r.kind), g->pc->target, schema, name);
	r.nsoid = ns_oid(g, schema);
	return fn(g, &r);
}

/*
 * Every relation of the described catalog (the emulated ones first), or the
 * one a pin names. cols: fetch each relation's columns (get_table).
 */
static ferr *walk_relations(gen *g, bool cols, rel_fn fn)
{
	const pgcat_handle *h = g->h;
	arena *tmp = arena_create(g->a, "pgcatalog walk");
	ferr *err = NULL;
	conn_catalog *cat = NULL;
	if (h->pin_oid >= 0) {
		pgcat_object o;
		if (!pgcatalog_lookup_oid((uint32_t)h->pin_oid, tmp, &o) ||
		    (o.kind != 'r' && o.kind != 'v' && o.kind != 'i') ||
		    strcmp(o.catalog, g->pc->target) != 0)
			goto out;
		if (o.kind == 'i') o.name = pk_table_name(o.name, tmp); /* the index's table */
		if (pgcatalog_is_schema(o.schema)) {
			err = walk_emulated(g, tmp, cols, fn);
			goto out;
		}
		cat = catalogs_acquire(g->pc->target);
		if (cat) err = visit_source(g, cat, o.schema, o.name, tmp, cols, fn);
		goto out;
	}
	err = walk_emulated(g, tmp, cols, fn);
	if (err) goto out;
	cat = catalogs_acquire(g->pc->target);
	if (!cat) goto out; /* dropped: only the emulated schemas remain */
	int ns = 0;
	const char **schemas = NULL;
	err = cat->ops->list_schemas(cat, tmp, &ns, &schemas);
	if (err) {
		err = ferr_prefix(err, "catalog \"%s\"", g->pc->target);
		goto out;
	}
	for (int i = 0; i < ns && !err; i++) {
		if (pgcatalog_is_schema(schemas[i]) || !pin_ok(h->pin_schema, schemas[i])) continue;
		int nt = 0;
		const char **tabs = NULL;
		const char *pinned = h->pin_table;
		if (pinned) {
			tabs = &pinned;
			nt = 1;
			if (!cols) {
				/* the table must exist to be listed */
				conn_table *t = NULL;
				ferr *e = cat->ops->get_table(cat, schemas[i], h->pin_table, tmp, &t);
				if (e) ferr_free(e);
				conn_view *v = NULL;
				if (!t && cat->ops->get_view) {
					e = cat->ops->get_view(cat, schemas[i], h->pin_table, tmp, &v);
					if (e) ferr_free(e);
				}
				if (!t && !v) nt = 0;
			}
		} else if (cat->ops->list_tables) {
			ferr *e = cat->ops->list_tables(cat, schemas[i], tmp, &nt, &tabs);
			if (e) {
				log_warn("pg_catalog: skipping schema %s.%s: %s (SQLSTATE %s)",
				         g->pc->target, schemas[i], e->message, e->sqlstate);
				ferr_free(e);
				nt = 0;
			}
		}
		for (int j = 0; j < nt && !err; j++)
			err = visit_source(g, cat, schemas[i], tabs[j], tmp, cols, fn);
	}
out:
	if (cat) catalogs_release(cat);
	arena_destroy(tmp);
	return err;
}

/* The schemas of the described catalog, the emulated ones first. */
static ferr *list_all_schemas(gen *g, arena *a, int *n, const char ***names)
{
	const char **v = NULL;
	int k = 0;
	conn_catalog *cat = catalogs_acquire(g->pc->target);
	int ns = 0;
	const char **src = NULL;
	if (cat) {
		ferr *e = cat->ops->list_schemas(cat, a, &ns, &src);
		catalogs_release(cat);
		if (e) return ferr_prefix(e, "catalog \"%s\"", g->pc->target);
	}
	v = arena_alloc(a, sizeof(char *) * (size_t)(ns + 2));
	v[k++] = PGC;
	v[k++] = ISC;
	for (int i = 0; i < ns; i++)
		if (!pgcatalog_is_schema(src[i])) v[k++] = src[i];
	*n = k;
	*names = v;
	return NULL;
}

/* ---- primary keys: a pg_constraint row, a pg_index row and an index relation each ---- */

/*
 * PostgreSQL names a primary key constraint and its index "<table>_pkey";
 * Ferry keeps that name in the OID registry and finds the table again by
 * taking the suffix off.
 */
static const char *pk_name(const char *table, arena *a)
{
	return arena_sprintf(a, "%s_pkey", table);
}

static const char *pk_table_name(const char *pkname, arena *a)
{
	size_t n = strlen(pkname);
	return n > 5 && strcmp(pkname + n - 5, "_pkey") == 0 ? arena_strndup(a, pkname, n - 5)
	                                                      : pkname;
}

/* attnum of column i (hidden columns are not numbered). */
static int attnum_of(const conn_table *t, int i)
{
	int n = 0;
	for (int j = 0; j <= i && j < t->ncols; j++) n += !t->cols[j].hidden;
	return n;
}

static bool in_pk(const conn_table *t, int i)
{
	for (int k = 0; k < t->npk; k++)
		if (t->pk[k] == i) return true;
	return false;
}

/* The key's attnums joined by sep ("1 2" as int2vector, "1,2" inside an array's braces). */
static const char *pk_attnums(const conn_table *t, const char *sep, arena *a)
{
	strbuf sb = STRBUF_INIT;
	for (int k = 0; k < t->npk; k++) sb_printf(&sb, "%s%d", k ? sep : "", attnum_of(t, t->pk[k]));
	const char *r = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return r;
}

static bool has_pk(const rel *r)
{
	return r->t && r->t->npk > 0 && (r->kind == 'r' || r->kind == 'p');
}

static uint32_t pk_index_oid(gen *g, const rel *r)
{
	return pgcatalog_oid('i', g->pc->target, r->schema, pk_name(r->name, g->a));
}

static void pk_names(gen *g, const char **row, const rel *r, const char *name)
{
	set(g, row, "constraint_catalog", g->pc->target);
	set(g, row, "constraint_schema", r->schema);
	set(g, row, "constraint_name", name);
	set(g, row, "table_catalog", g->pc->target);
	set(g, row, "table_schema", r->schema);
	set(g, row, "table_name", r->name);
}

/* A pg_constraint row of r with what every constraint Ferry shows has in common. */
static const char **constraint_row(gen *g, const rel *r, uint32_t oid, const char *name,
                                   const char *contype)
{
	const char **row = row_new(g);
	setn(g, row, "oid", oid);
	set(g, row, "conname", name);
	setn(g, row, "connamespace", r->nsoid);
	set(g, row, "contype", contype);
	setb(g, row, "convalidated", true);
	setn(g, row, "conrelid", r->oid);
	setn(g, row, "contypid", 0);
	setn(g, row, "conparentid", 0);
	setb(g, row, "conislocal", true);
	setn(g, row, "coninhcount", 0);
	setb(g, row, "connoinherit", true);
	return row;
}

/* An information_schema.table_constraints row (none is deferrable). */
static void table_constraint_row(gen *g, const rel *r, const char *name, const char *type)
{
	const char **row = row_new(g);
	pk_names(g, row, r, name);
	set(g, row, "constraint_type", type);
	set(g, row, "is_deferrable", "NO");
	set(g, row, "initially_deferred", "NO");
	set(g, row, "enforced", "YES");
}

static void pk_rows(gen *g, const rel *r)
{
	const char *name = pk_name(r->name, g->a);
	const char **row;
	switch (g->def->gen) {
	case G_CONSTRAINT:
		row = constraint_row(g, r, pgcatalog_oid('c', g->pc->target, r->schema, name), name, "p");
		setn(g, row, "conindid", pk_index_oid(g, r));
		setn(g, row, "confrelid", 0);
		set(g, row, "confupdtype", " ");
		set(g, row, "confdeltype", " ");
		set(g, row, "confmatchtype", " ");
		set(g, row, "conkey", arena_sprintf(g->a, "{%s}", pk_attnums(r->t, ",", g->a)));
		fill_defaults(g, row);
		break;
	case G_INDEX: {
		row = row_new(g);
		setn(g, row, "indexrelid", pk_index_oid(g, r));
		setn(g, row, "indrelid", r->oid);
		setn(g, row, "indnatts", r->t->npk);
		setn(g, row, "indnkeyatts", r->t->npk);
		const char *yes[] = {"indisunique", "indisprimary", "indimmediate",
		                     "indisvalid",  "indisready",   "indislive"};
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) setb(g, row, yes[i], true);
		set(g, row, "indkey", arena_sprintf(g->a, "{%s}", pk_attnums(r->t, ",", g->a)));
		/* per key column: the default collation for a collatable type, no
		 * operator class (pg_opclass has no rows), ascending */
		strbuf coll = STRBUF_INIT, cls = STRBUF_INIT, opt = STRBUF_INIT;
		for (int k = 0; k < r->t->npk; k++) {
			const pgcat_type *pt = type_by_oid(col_type_oid(r->t->cols[r->t->pk[k]].type));
			sb_printf(&coll, "%s%d", k ? "," : "{", pt && pt->category == 'S' ? 100 : 0);
			sb_puts(&cls, k ? ",0" : "{0");
			sb_puts(&opt, k ? ",0" : "{0");
		}
		set(g, row, "indcollation", arena_sprintf(g->a, "%s}", coll.data));
		set(g, row, "indclass", arena_sprintf(g->a, "%s}", cls.data));
		set(g, row, "indoption", arena_sprintf(g->a, "%s}", opt.data));
		sb_free(&coll);
		sb_free(&cls);
		sb_free(&opt);
		fill_defaults(g, row);
		break;
	}
	case G_IS_TABLE_CONSTRAINTS: table_constraint_row(g, r, name, "PRIMARY KEY"); break;
	case G_IS_KEY_COLUMN_USAGE:
	case G_IS_CONSTRAINT_COLUMN_USAGE: /* one row per key column */
		for (int k = 0; k < r->t->npk; k++) {
			row = row_new(g);
			pk_names(g, row, r, name);
			set(g, row, "column_name", r->t->cols[r->t->pk[k]].name);
			setn(g, row, "ordinal_position", k + 1);
		}
		break;
	default:
		break;
	}
}

/*
 * A foreign key's constraint OID is registered under "<table>\x1f<name>"
 * (constraint names are unique per table, not per schema), so that
 * pg_get_constraintdef finds the table again.
 */
static const char *fk_oid_name(const char *table, const char *name, arena *a)
{
	return arena_sprintf(a, "%s\x1f%s", table, name);
}

static uint32_t fk_oid(gen *g, const rel *r, const conn_foreign_key *fk)
{
	return pgcatalog_oid('c', g->pc->target, r->schema, fk_oid_name(r->name, fk->name, g->a));
}

/* PostgreSQL's referential action names (information_schema's rules, constraintdef). */
static const char *fk_action(char code)
{
	switch (code) {
	case 'r': return "RESTRICT";
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

/* confkey as text ("{1,2}"): the referenced columns' attnums; NULL when the referenced
 * table or one of its columns is gone. */
static const char *fk_ref_attnums(gen *g, const conn_foreign_key *fk)
{
	conn_catalog *cat = catalogs_acquire(g->pc->target);
	if (!cat) return NULL;
	conn_table *t = NULL;
	ferr *e = cat->ops->get_table(cat, fk->ref_schema, fk->ref_table, g->a, &t);
	catalogs_release(cat);
	if (e) ferr_free(e);
	if (!t) return NULL;
	strbuf sb = STRBUF_INIT;
	sb_putc(&sb, '{');
	bool ok = true;
	for (int k = 0; k < fk->ncols && ok; k++) {
		int col = -1;
		for (int i = 0; i < t->ncols && col < 0; i++)
			if (!t->cols[i].hidden && strcmp(t->cols[i].name, fk->ref_cols[k]) == 0) col = i;
		ok = col >= 0;
		if (ok) sb_printf(&sb, "%s%d", k ? "," : "", attnum_of(t, col));
	}
	sb_putc(&sb, '}');
	const char *v = ok ? arena_strndup(g->a, sb.data, sb.len) : NULL;
	sb_free(&sb);
	return v;
}

static void fk_constraint_row(gen *g, const rel *r, const conn_foreign_key *fk)
{
	const char **row = constraint_row(g, r, fk_oid(g, r, fk), fk->name, "f");
	setn(g, row, "conindid",
	     fk->ref_is_pk ? pgcatalog_oid('i', g->pc->target, fk->ref_schema,
	                                   pk_name(fk->ref_table, g->a))
	                   : 0);
	setn(g, row, "confrelid", pgcatalog_oid('r', g->pc->target, fk->ref_schema, fk->ref_table));
	char code[2] = {fk->on_update, 0};
	set(g, row, "confupdtype", code);
	code[0] = fk->on_delete;
	set(g, row, "confdeltype", code);
	code[0] = fk->match;
	set(g, row, "confmatchtype", code);
	strbuf sb = STRBUF_INIT;
	for (int k = 0; k < fk->ncols; k++) sb_printf(&sb, "%s%d", k ? "," : "", attnum_of(r->t, fk->cols[k]));
	set(g, row, "conkey", arena_sprintf(g->a, "{%s}", sb.data ? sb.data : ""));
	sb_free(&sb);
	set(g, row, "confkey", fk_ref_attnums(g, fk));
	fill_defaults(g, row);
}

/* The foreign keys of r in the scanned table (there are no index rows for them). */
static void fk_rows(gen *g, const rel *r)
{
	for (int i = 0; i < r->t->nfk; i++) {
		const conn_foreign_key *fk = &r->t->fk[i];
		const char **row;
		switch (g->def->gen) {
		case G_CONSTRAINT: fk_constraint_row(g, r, fk); break;
		case G_IS_TABLE_CONSTRAINTS: table_constraint_row(g, r, fk->name, "FOREIGN KEY"); break;
		case G_IS_KEY_COLUMN_USAGE:
			for (int k = 0; k < fk->ncols; k++) {
				row = row_new(g);
				pk_names(g, row, r, fk->name);
				set(g, row, "column_name", r->t->cols[fk->cols[k]].name);
				setn(g, row, "ordinal_position", k + 1);
				if (fk->ref_pos && fk->ref_pos[k] > 0)
					setn(g, row, "position_in_unique_constraint", fk->ref_pos[k]);
			}
			break;
		case G_IS_CONSTRAINT_COLUMN_USAGE: /* the columns the key references */
			for (int k = 0; k < fk->ncols; k++) {
				row = row_new(g);
				set(g, row, "table_catalog", g->pc->target);
				set(g, row, "table_schema", fk->ref_schema);
				set(g, row, "table_name", fk->ref_table);
				set(g, row, "column_name", fk->ref_cols[k]);
				set(g, row, "constraint_catalog", g->pc->target);
				set(g, row, "constraint_schema", r->schema);
				set(g, row, "constraint_name", fk->name);
			}
			break;
		case G_IS_REFERENTIAL_CONSTRAINTS:
			row = row_new(g);
			set(g, row, "constraint_catalog", g->pc->target);
			set(g, row, "constraint_schema", r->schema);
			set(g, row, "constraint_name", fk->name);
			if (fk->ref_is_pk) {
				set(g, row, "unique_constraint_catalog", g->pc->target);
				set(g, row, "unique_constraint_schema", fk->ref_schema);
				set(g, row, "unique_constraint_name", pk_name(fk->ref_table, g->a));
			}
			set(g, row, "match_option",
			    fk->match == 'f' ? "FULL" : fk->match == 'p' ? "PARTIAL" : "NONE");
			set(g, row, "update_rule", fk_action(fk->on_update));
			set(g, row, "delete_rule", fk_action(fk->on_delete));
			break;
		default: break;
		}
	}
}

/*
 * information_schema.table_constraints lists a table's NOT NULL columns as
 * CHECK constraints named "<schema oid>_<table oid>_<attnum>_not_null", as
 * PostgreSQL 15 does (a source's tables; not the emulated ones).
 */
static void not_null_rows(gen *g, const rel *r)
{
	if (!r->t || (r->kind != 'r' && r->kind != 'p') || pgcatalog_is_schema(r->schema)) return;
	int attnum = 0;
	for (int i = 0; i < r->t->ncols; i++) {
		if (r->t->cols[i].hidden) continue;
		attnum++;
		if (r->t->cols[i].nullable && !in_pk(r->t, i)) continue;
		const char *name = arena_sprintf(g->a, "%u_%u_%d_not_null", r->nsoid, r->oid, attnum);
		table_constraint_row(g, r, name, "CHECK");
	}
}

static ferr *constraint_rows(gen *g, const rel *r)
{
	if (has_pk(r)) pk_rows(g, r);
	if (r->t && (r->kind == 'r' || r->kind == 'p') && r->t->nfk > 0) fk_rows(g, r);
	if (g->def->gen == G_IS_TABLE_CONSTRAINTS) not_null_rows(g, r);
	return NULL;
}

/* The pg_class row of a primary key's index (relkind 'i', access method btree). */
static void index_class_row(gen *g, const rel *r)
{
	const char **row = row_new(g);
	uint32_t oid = pk_index_oid(g, r);
	setn(g, row, "oid", oid);
	set(g, row, "relname", pk_name(r->name, g->a));
	setn(g, row, "relnamespace", r->nsoid);
	const char *zero[] = {"reltype", "reloftype", "reltablespace", "relpages", "relallvisible",
	                      "reltoastrelid", "relchecks", "relrewrite", "relfrozenxid", "relminmxid"};
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) setn(g, row, zero[i], 0);
	setn(g, row, "relowner", PGC_OID_SUPERUSER);
	setn(g, row, "relam", PGC_OID_BTREE_AM);
	setn(g, row, "relfilenode", oid);
	set(g, row, "reltuples", "-1");
	set(g, row, "relpersistence", "p");
	set(g, row, "relkind", r->kind == 'p' ? "I" : "i"); /* a partitioned table's index */
	setn(g, row, "relnatts", r->t->npk);
	setb(g, row, "relispopulated", true);
	set(g, row, "relreplident", "n");
	fill_defaults(g, row);
}

/* PostgreSQL's type OID and typmod of a Ferry column type. */
static uint32_t col_type_oid(ftype t)
{
	return ftype_oid(t);
}

static const pgcat_type *type_by_oid(uint32_t oid)
{
	for (int i = 0; i < NTYPES; i++)
		if (types[i].oid == oid) return &types[i];
	return NULL;
}

static ferr *class_row(gen *g, const rel *r)
{
	const char **row = row_new(g);
	setn(g, row, "oid", r->oid);
	set(g, row, "relname", r->name);
	setn(g, row, "relnamespace", r->nsoid);
	setn(g, row, "reltype", 0);
	setn(g, row, "reloftype", 0);
	setn(g, row, "relowner", PGC_OID_SUPERUSER);
	bool stored = r->kind == 'r' || r->kind == 'm'; /* has storage: heap, a file node */
	setn(g, row, "relam", stored ? PGC_OID_HEAP_AM : 0);
	setn(g, row, "relfilenode", stored ? r->oid : 0);
	setn(g, row, "reltablespace", 0);
	setn(g, row, "relpages", 0);
	set(g, row, "reltuples", "-1");
	setn(g, row, "relallvisible", 0);
	setn(g, row, "reltoastrelid", 0);
	set(g, row, "relpersistence", "p");
	set(g, row, "relkind", arena_sprintf(g->a, "%c", r->kind));
	int natts = 0;
	if (r->t)
		for (int i = 0; i < r->t->ncols; i++) natts += !r->t->cols[i].hidden;
	setn(g, row, "relnatts", natts);
	setn(g, row, "relchecks", 0);
	setb(g, row, "relispopulated", true);
	set(g, row, "relreplident", r->kind == 'v' ? "n" : "d");
	setb(g, row, "relhasrules", r->kind == 'v' || r->kind == 'm'); /* their _RETURN rule */
	setn(g, row, "relrewrite", 0);
	setn(g, row, "relfrozenxid", 0);
	setn(g, row, "relminmxid", 0);
	setb(g, row, "relhasindex", has_pk(r));
	/* PostgreSQL's referential-integrity triggers sit on both ends of a foreign key: a table
	 * with one, or with a primary key another may reference (psql's \d then looks both up) */
	setb(g, row, "relhastriggers", r->kind == 'r' && r->t && (r->t->nfk > 0 || r->t->npk > 0));
	fill_defaults(g, row);
	if (has_pk(r)) index_class_row(g, r);
	return NULL;
}

/* Character length, numeric precision/scale of a column type, as information_schema. */
static void type_sizes(ftype t, long *charlen, long *prec, long *radix, long *scale, long *dtprec)
{
	*charlen = *prec = *radix = *scale = *dtprec = -1;
	switch (t.id) {
	case TYPE_INT2: *prec = 16, *radix = 2, *scale = 0; break;
	case TYPE_INT4: *prec = 32, *radix = 2, *scale = 0; break;
	case TYPE_INT8: *prec = 64, *radix = 2, *scale = 0; break;
	case TYPE_FLOAT4: *prec = 24, *radix = 2; break;
	case TYPE_FLOAT8: *prec = 53, *radix = 2; break;
	case TYPE_NUMERIC:
		*radix = 10;
		if (t.precision > 0) *prec = t.precision, *scale = t.scale;
		break;
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
		if (t.length >= 0) *charlen = t.length;
		break;
	case TYPE_DATE: *dtprec = 0; break;
	case TYPE_TIME:
	case TYPE_TIMETZ:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ:
	case TYPE_INTERVAL: *dtprec = 6; break;
	default: break;
	}
}

/* A column type's collation: the default for strings and their arrays, C for name. */
static long type_collation(uint32_t toid)
{
	uint32_t elem = pgcatalog_array_elem(toid);
	const pgcat_type *et = type_by_oid(elem ? elem : toid);
	return !et || et->category != 'S' ? 0 : et->oid == OID_NAME ? PGC_OID_C_COLLATION : 100;
}

static ferr *attribute_rows(gen *g, const rel *r)
{
	int attnum = 0;
	for (int i = 0; i < r->t->ncols; i++) {
		const conn_column *c = &r->t->cols[i];
		if (c->hidden) continue;
		uint32_t toid = col_type_oid(c->type);
		const pgcat_type *pt = type_by_oid(toid);
		const char **row = row_new(g);
		setn(g, row, "attrelid", r->oid);
		set(g, row, "attname", c->name);
		setn(g, row, "atttypid", toid);
		setn(g, row, "attstattarget", -1);
		setn(g, row, "attlen", pt ? pt->typlen : -1);
		setn(g, row, "attnum", ++attnum);
		setn(g, row, "attndims", c->type.id == TYPE_ARRAY); /* as declared: int[] is 1 */
		setn(g, row, "attcacheoff", -1);
		setn(g, row, "atttypmod", ftype_typmod(c->type));
		setb(g, row, "attbyval", pt && pt->byval);
		/* a column the source declares NOT NULL, or a key column */
		setb(g, row, "attnotnull", !c->nullable || in_pk(r->t, i));
		/* the type's typalign and typstorage (typeio.c), as PostgreSQL copies them */
		pgcat_typeio io = {0};
		pgcat_typeio_of(toid, pgcatalog_array_elem(toid), &io);
		set(g, row, "attalign", arena_sprintf(g->a, "%c", io.align ? io.align : 'i'));
		set(g, row, "attstorage", arena_sprintf(g->a, "%c", io.storage ? io.storage : 'p'));
		set(g, row, "attcompression", "");
		set(g, row, "attidentity", "");
		set(g, row, "attgenerated", "");
		setb(g, row, "attislocal", true);
		setn(g, row, "attinhcount", 0);
		setn(g, row, "attcollation", type_collation(toid));
		fill_defaults(g, row);
	}
	return NULL;
}

static ferr *description_rows(gen *g, const rel *r)
{
	uint32_t classoid = pgcatalog_oid('r', g->pc->target, PGC, "pg_class");
	int attnum = 0;
	for (int i = 0; i < r->t->ncols; i++) {
		const conn_column *c = &r->t->cols[i];
		if (c->hidden) continue;
		attnum++;
		if (!c->comment) continue;
		const char **row = row_new(g);
		setn(g, row, "objoid", r->oid);
		setn(g, row, "classoid", classoid);
		setn(g, row, "objsubid", attnum);
		set(g, row, "description", c->comment);
	}
	return NULL;
}

/* Whether pg_tables, pg_views, pg_matviews, information_schema.tables or .views lists
 * a relation of this kind (PostgreSQL's view definitions). */
static bool tables_lists(pgcat_gen gen, char kind)
{
	switch (gen) {
	case G_TABLES:
		return kind == 'r' || kind == 'p';
	case G_VIEWS:
	case G_IS_VIEWS:
		return kind == 'v';
	case G_MATVIEWS:
		return kind == 'm';
	default:
		return kind != 'm'; /* information_schema.tables and .columns */
	}
}

static ferr *tables_row(gen *g, const rel *r)
{
	if (!tables_lists(g->def->gen, r->kind)) return NULL;
	const char **row = row_new(g);
	const char *def = rel_view_sql(r);
	if (g->def->gen == G_TABLES || g->def->gen == G_VIEWS || g->def->gen == G_MATVIEWS) {
		set(g, row, "schemaname", r->schema);
		set(g, row, "tablename", r->name);
		set(g, row, "tableowner", PGC_ROLE_NAME);
		set(g, row, "viewname", r->name);
		set(g, row, "viewowner", PGC_ROLE_NAME);
		set(g, row, "matviewname", r->name);
		set(g, row, "matviewowner", PGC_ROLE_NAME);
		set(g, row, "definition", def);
		setb(g, row, "hasindexes", has_pk(r));
		setb(g, row, "ispopulated", true);
		fill_defaults(g, row);
		return NULL;
	}
	set(g, row, "table_catalog", g->pc->target);
	set(g, row, "table_schema", r->schema);
	set(g, row, "table_name", r->name);
	set(g, row, "table_type",
	    r->kind == 'v'   ? "VIEW"
	    : r->kind == 'f' ? "FOREIGN"
	                     : "BASE TABLE");
	set(g, row, "is_insertable_into", r->kind == 'r' || r->kind == 'p' ? "YES" : "NO");
	set(g, row, "is_typed", "NO");
	set(g, row, "view_definition", def);
	set(g, row, "check_option", "NONE");
	set(g, row, "is_updatable", "NO");
	set(g, row, "is_trigger_updatable", "NO");
	set(g, row, "is_trigger_deletable", "NO");
	set(g, row, "is_trigger_insertable_into", "NO");
	return NULL;
}

static void set_opt(gen *g, const char **row, const char *name, long v)
{
	if (v >= 0) setn(g, row, name, v);
}

static ferr *columns_rows(gen *g, const rel *r)
{
	if (!tables_lists(g->def->gen, r->kind)) return NULL;
	strbuf sb = STRBUF_INIT;
	int ordinal = 0;
	for (int i = 0; i < r->t->ncols; i++) {
		const conn_column *c = &r->t->cols[i];
		if (c->hidden) continue;
		const pgcat_type *pt = type_by_oid(col_type_oid(c->type));
		const char **row = row_new(g);
		set(g, row, "table_catalog", g->pc->target);
		set(g, row, "table_schema", r->schema);
		set(g, row, "table_name", r->name);
		set(g, row, "column_name", c->name);
		setn(g, row, "ordinal_position", ++ordinal);
		set(g, row, "is_nullable", c->nullable && !in_pk(r->t, i) ? "YES" : "NO");
		sb_reset(&sb);
		ftype bare = c->type;
		if (!ftype_is_name(bare)) bare.length = -1;
		bare.precision = bare.scale = 0;
		ftype_format(c->type.id == TYPE_NUMERIC ? ftype_make(TYPE_NUMERIC) : bare, &sb);
		set(g, row, "data_type",
		    c->type.id == TYPE_ARRAY ? "ARRAY"
		    : sb.data                ? sb.data
		                             : "");
		long charlen, prec, radix, scale, dtprec;
		type_sizes(c->type, &charlen, &prec, &radix, &scale, &dtprec);
		set_opt(g, row, "character_maximum_length", charlen);
		if (c->type.id == TYPE_TEXT || c->type.id == TYPE_VARCHAR || c->type.id == TYPE_BPCHAR)
			setn(g, row, "character_octet_length",
			     charlen >= 0 ? charlen * 4 : 1073741824L);
		set_opt(g, row, "numeric_precision", prec);
		set_opt(g, row, "numeric_precision_radix", radix);
		set_opt(g, row, "numeric_scale", scale);
		set_opt(g, row, "datetime_precision", dtprec);
		set(g, row, "udt_catalog", g->pc->target);
		set(g, row, "udt_schema", PGC);
		const pgcat_type *et = type_by_oid(pgcatalog_array_elem(col_type_oid(c->type)));
		set(g, row, "udt_name",
		    pt   ? pt->typname
		    : et ? arena_sprintf(g->a, "_%s", et->typname)
		         : "unknown");
		setn(g, row, "dtd_identifier", ordinal);
		set(g, row, "is_self_referencing", "NO");
		set(g, row, "is_identity", "NO");
		set(g, row, "identity_cycle", "NO");
		set(g, row, "is_generated", "NEVER");
		set(g, row, "is_updatable", r->kind == 'v' ? "NO" : "YES");
	}
	sb_free(&sb);
	return NULL;
}

static void type_rows(gen *g)
{
	for (int i = 0; i < NTYPES; i++) {
		const pgcat_type *t = &types[i];
		for (int arr = 0; arr < 2; arr++) {
			if (arr && !t->array) continue;
			const char **row = row_new(g);
			setn(g, row, "oid", arr ? t->array : t->oid);
			set(g, row, "typname", arr ? arena_sprintf(g->a, "_%s", t->typname) : t->typname);
			setn(g, row, "typnamespace", PGC_OID_PG_CATALOG);
			setn(g, row, "typowner", PGC_OID_SUPERUSER);
			setn(g, row, "typlen", arr ? -1 : t->typlen);
			setb(g, row, "typbyval", !arr && t->byval);
			set(g, row, "typtype",
			    !arr && (t->oid == OID_UNKNOWN || t->category == 'P') ? "p" : "b");
			set(g, row, "typcategory", arena_sprintf(g->a, "%c", arr ? 'A' : t->category));
			setb(g, row, "typispreferred",
			     !arr && (t->oid == OID_TEXT || t->oid == OID_FLOAT8 || t->oid == OID_BOOL ||
			              t->oid == OID_OID || t->oid == OID_TIMESTAMPTZ ||
			              t->oid == OID_INTERVAL));
			setb(g, row, "typisdefined", true);
			set(g, row, "typdelim", ",");
			setn(g, row, "typrelid", 0);
			/* name subscripts to its "char"s, as in PostgreSQL */
			setn(g, row, "typelem", arr ? t->oid : t->oid == OID_NAME ? OID_CHAR : 0);
			setn(g, row, "typarray", arr ? 0 : t->array);
			/* regproc columns: PostgreSQL's function OIDs (typeio.c), 0 for "-" */
			pgcat_typeio io = {0};
			pgcat_typeio_of(arr ? t->array : t->oid, arr ? t->oid : 0, &io);
			setn(g, row, "typinput", io.input);
			setn(g, row, "typoutput", io.output);
			setn(g, row, "typreceive", io.receive);
			setn(g, row, "typsend", io.send);
			setn(g, row, "typmodin", io.modin);
			setn(g, row, "typmodout", io.modout);
			setn(g, row, "typanalyze", io.analyze);
			setn(g, row, "typsubscript", io.subscript);
			set(g, row, "typalign", arena_sprintf(g->a, "%c", io.align ? io.align : 'i'));
			set(g, row, "typstorage", arena_sprintf(g->a, "%c", io.storage ? io.storage : 'p'));
			setn(g, row, "typbasetype", 0);
			setn(g, row, "typtypmod", -1);
			setn(g, row, "typndims", 0);
			/* default collation for strings (and their arrays), C for name */
			setn(g, row, "typcollation",
			     t->oid == OID_NAME ? PGC_OID_C_COLLATION : t->category == 'S' ? 100 : 0);
			fill_defaults(g, row);
		}
	}
}

static ferr *namespace_rows(gen *g)
{
	int n = 0;
	const char **names = NULL;
	TRY(list_all_schemas(g, g->a, &n, &names));
	for (int i = 0; i < n; i++) {
		if (!pin_ok(g->h->pin_schema, names[i])) continue;
		const char **row = row_new(g);
		uint32_t oid = ns_oid(g, names[i]);
		setn(g, row, "oid", oid);
		set(g, row, "nspname", names[i]);
		setn(g, row, "nspowner", PGC_OID_SUPERUSER);
		set(g, row, "catalog_name", g->pc->target);
		set(g, row, "schema_name", names[i]);
		set(g, row, "schema_owner", PGC_ROLE_NAME);
	}
	return NULL;
}

static void database_rows(gen *g)
{
	const char **names;
	int n = catalogs_list(g->a, &names);
	for (int i = 0; i < n; i++) {
		const char **row = row_new(g);
		setn(g, row, "oid", pgcatalog_oid('d', names[i], NULL, names[i]));
		set(g, row, "datname", names[i]);
		setn(g, row, "datdba", PGC_OID_SUPERUSER);
		setn(g, row, "encoding", PGC_ENCODING_UTF8);
		set(g, row, "datlocprovider", "c");
		setb(g, row, "datallowconn", true);
		setn(g, row, "datconnlimit", -1);
		setn(g, row, "datfrozenxid", 0);
		setn(g, row, "datminmxid", 1);
		setn(g, row, "dattablespace", PGC_OID_DEFAULT_TABLESPACE);
		set(g, row, "datcollate", "C.UTF-8");
		set(g, row, "datctype", "C.UTF-8");
		fill_defaults(g, row);
	}
}

static void role_rows(gen *g)
{
	const char **row = row_new(g);
	set(g, row, "rolname", PGC_ROLE_NAME);
	set(g, row, "usename", PGC_ROLE_NAME);
	setn(g, row, "oid", PGC_OID_SUPERUSER);
	setn(g, row, "usesysid", PGC_OID_SUPERUSER);
	const char *yes[] = {"rolsuper", "rolinherit", "rolcreaterole", "rolcreatedb", "rolcanlogin",
	                     "rolreplication", "rolbypassrls", "usecreatedb", "usesuper", "userepl",
	                     "usebypassrls"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) setb(g, row, yes[i], true);
	setn(g, row, "rolconnlimit", -1);
	set(g, row, "rolpassword", "********");
	set(g, row, "passwd", "********");
}

/* The OID of built-in function f (hashed from its signature, as Ferry's own objects). */
static uint32_t func_oid(const pgcat_func *f)
{
	char sig[128];
	snprintf(sig, sizeof sig, "%s(%s)", f->name, f->argtypes);
	return pgcatalog_oid('p', "", PGC, sig);
}

/* One pg_proc and information_schema.routines row (f: name, result and argument types). */
static void proc_row(gen *g, uint32_t oid, const pgcat_func *f, char volatility, bool strict)
{
	const char **row = row_new(g);
	int nargs = 0;
	for (const char *p = f->argtypes; *p; p++)
		if (p == f->argtypes || p[-1] == ' ') nargs++;
	const pgcat_type *rt = type_by_oid(f->rettype);
	setn(g, row, "oid", oid);
	set(g, row, "proname", f->name);
	setn(g, row, "pronamespace", PGC_OID_PG_CATALOG);
	setn(g, row, "proowner", PGC_OID_SUPERUSER);
	setn(g, row, "prolang", 12); /* internal */
	set(g, row, "procost", "1");
	set(g, row, "prorows", "0");
	setn(g, row, "provariadic", 0);
	setn(g, row, "prosupport", 0);
	set(g, row, "prokind", "f");
	setb(g, row, "proisstrict", strict);
	set(g, row, "provolatile", volatility == 's' ? "s" : "i");
	set(g, row, "proparallel", "s");
	setn(g, row, "pronargs", nargs);
	setn(g, row, "pronargdefaults", 0);
	setn(g, row, "prorettype", f->rettype);
	/* oidvector: the OIDs space-separated in the table, an array here */
	const char *args = arena_sprintf(g->a, "{%s}", f->argtypes);
	for (char *p = (char *)args; *p; p++)
		if (*p == ' ') *p = ',';
	set(g, row, "proargtypes", args);
	set(g, row, "prosrc", f->name);
	fill_defaults(g, row);
	/* information_schema.routines */
	const char *specific = arena_sprintf(g->a, "%s_%u", f->name, oid);
	set(g, row, "specific_catalog", g->pc->target);
	set(g, row, "specific_schema", PGC);
	set(g, row, "specific_name", specific);
	set(g, row, "routine_catalog", g->pc->target);
	set(g, row, "routine_schema", PGC);
	set(g, row, "routine_name", f->name);
	set(g, row, "routine_type", "FUNCTION");
	strbuf dt = STRBUF_INIT;
	if (!type_out(f->rettype, &dt)) sb_puts(&dt, "USER-DEFINED");
	set(g, row, "data_type", dt.data);
	sb_free(&dt);
	set(g, row, "type_udt_catalog", g->pc->target);
	set(g, row, "type_udt_schema", PGC);
	set(g, row, "type_udt_name", rt ? rt->typname : NULL);
	set(g, row, "dtd_identifier", "0");
	set(g, row, "routine_body", "EXTERNAL");
	set(g, row, "routine_definition", f->name);
	set(g, row, "external_language", "INTERNAL");
	set(g, row, "parameter_style", "GENERAL");
	set(g, row, "sql_data_access", "MODIFIES");
	set(g, row, "schema_level_routine", "YES");
	set(g, row, "max_dynamic_result_sets", "0");
	set(g, row, "as_locator", "NO");
	set(g, row, "is_udt_dependent", "NO");
	set(g, row, "is_deterministic", volatility == 's' ? "NO" : "YES");
	set(g, row, "is_null_call", strict ? "YES" : "NO");
	set(g, row, "security_type", "INVOKER");
}

static void proc_rows(gen *g)
{
	for (int i = 0; i < NFUNCS; i++)
		proc_row(g, func_oid(&funcs[i]), &funcs[i], 'i', true);
	/* the type I/O functions pg_type names, with PostgreSQL's OIDs */
	for (int i = 0; i < pgcat_niofuncs; i++) {
		const pgcat_iofunc *f = &pgcat_iofuncs[i];
		proc_row(g, f->oid, &(pgcat_func){f->name, f->rettype, f->argtypes}, f->volatility,
		         !f->not_strict);
	}
}

static void fixed_rows(gen *g)
{
	switch (g->def->gen) {
	case G_AM: {
		static const struct { int oid; const char *name, *handler, *type; } am[] = {
		    {2, "heap", "heap_tableam_handler", "t"},
		    {403, "btree", "bthandler", "i"},
		    {405, "hash", "hashhandler", "i"},
		};
		for (int i = 0; i < 3; i++) {
			const char **row = row_new(g);
			setn(g, row, "oid", am[i].oid);
			set(g, row, "amname", am[i].name);
			set(g, row, "amhandler", am[i].handler);
			set(g, row, "amtype", am[i].type);
		}
		break;
	}
	case G_TABLESPACE:
		for (int i = 0; i < 2; i++) {
			const char **row = row_new(g);
			setn(g, row, "oid", i ? 1664 : PGC_OID_DEFAULT_TABLESPACE);
			set(g, row, "spcname", i ? "pg_global" : "pg_default");
			setn(g, row, "spcowner", PGC_OID_SUPERUSER);
		}
		break;
	case G_COLLATION: {
		static const struct { int oid; const char *name, *provider; } co[] = {
		    {100, "default", "d"}, {950, "C", "c"}, {951, "POSIX", "c"}};
		for (int i = 0; i < 3; i++) {
			const char **row = row_new(g);
			setn(g, row, "oid", co[i].oid);
			set(g, row, "collname", co[i].name);
			setn(g, row, "collnamespace", PGC_OID_PG_CATALOG);
			setn(g, row, "collowner", PGC_OID_SUPERUSER);
			set(g, row, "collprovider", co[i].provider);
			setb(g, row, "collisdeterministic", true);
			setn(g, row, "collencoding", i ? -1 : PGC_ENCODING_UTF8);
			set(g, row, "collcollate", i ? co[i].name : NULL);
			set(g, row, "collctype", i ? co[i].name : NULL);
		}
		break;
	}
	case G_LANGUAGE: {
		/* PostgreSQL's built-in languages; pg_proc's functions are "internal" */
		static const struct { int oid; const char *name; bool trusted; int validator; } lang[] = {
		    {12, "internal", false, 2246}, {13, "c", false, 2247}, {14, "sql", true, 2248}};
		for (int i = 0; i < 3; i++) {
			const char **row = row_new(g);
			setn(g, row, "oid", lang[i].oid);
			set(g, row, "lanname", lang[i].name);
			setb(g, row, "lanpltrusted", lang[i].trusted);
			setn(g, row, "lanvalidator", lang[i].validator);
			/* no call handler or inline handler; owned by the superuser; not a PL */
			const char *zero[] = {"lanplcallfoid", "laninline"};
			for (size_t k = 0; k < 2; k++) setn(g, row, zero[k], 0);
			setn(g, row, "lanowner", PGC_OID_SUPERUSER);
			fill_defaults(g, row);
		}
		break;
	}
	default:
		break;
	}
}

static ferr *activity_rows(gen *g)
{
	pthread_mutex_lock(&provider_lock);
	system_provider fn = activity_provider;
	pthread_mutex_unlock(&provider_lock);
	if (!fn) return NULL;
	system_rows rows = {0, 8, NULL};
	TRY(fn(g->a, &rows));
	if (rows.ncols != 8)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "pg_stat_activity: provider gave %d columns",
		                rows.ncols);
	static const char *const cols[8] = {"datname", "pid",   "usename",       "application_name",
	                                    "state",   "query", "backend_start", "query_start"};
	for (int r = 0; r < rows.nrows; r++) {
		const char **row = row_new(g);
		for (int j = 0; j < 8; j++) set(g, row, cols[j], rows.values[r * 8 + j]);
		const char *db = rows.values[r * 8];
		if (db) setn(g, row, "datid", pgcatalog_oid('d', db, NULL, db));
		setn(g, row, "usesysid", PGC_OID_SUPERUSER);
		set(g, row, "state_change", rows.values[r * 8 + 7]);
		set(g, row, "backend_type", "client backend");
	}
	return NULL;
}

/* ---- pg_settings ---- */

/* What pg_settings says of a setting beyond its value: PostgreSQL 15's own description. */
typedef struct pgcat_guc {
	const char *name, *category, *context, *vartype, *unit, *min, *max, *short_desc,
	    *extra_desc;
} pgcat_guc;

#define CC_LOCALE "Client Connection Defaults / Locale and Formatting"
#define CC_STATEMENT "Client Connection Defaults / Statement Behavior"
#define PRESET "Preset Options"

static const pgcat_guc gucs[] = {
    {"application_name", "Reporting and Logging / What to Log", "user", "string", NULL, NULL, NULL,
     "Sets the application name to be reported in statistics and logs.", NULL},
    {"bytea_output", CC_STATEMENT, "user", "enum", NULL, NULL, NULL, NULL, NULL},
    {"client_encoding", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"client_min_messages", CC_STATEMENT, "user", "enum", NULL, NULL, NULL, NULL,
     "Each level includes all the levels that follow it. The later the level, the fewer "
     "messages are sent."},
    {"DateStyle", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL,
     "Also controls interpretation of ambiguous date inputs."},
    {"default_transaction_isolation", CC_STATEMENT, "user", "enum", NULL, NULL, NULL, NULL, NULL},
    {"default_transaction_read_only", CC_STATEMENT, "user", "bool", NULL, NULL, NULL, NULL, NULL},
    {"extra_float_digits", CC_LOCALE, "user", "integer", NULL, "-15", "3", NULL,
     "This affects real, double precision, and geometric data types. A zero or negative "
     "parameter value is added to the standard number of digits (FLT_DIG or DBL_DIG as "
     "appropriate). Any value greater than zero selects precise output mode."},
    {"in_hot_standby", PRESET, "internal", "bool", NULL, NULL, NULL, NULL, NULL},
    {"integer_datetimes", PRESET, "internal", "bool", NULL, NULL, NULL, NULL, NULL},
    {"IntervalStyle", CC_LOCALE, "user", "enum", NULL, NULL, NULL, NULL, NULL},
    {"lc_collate", PRESET, "internal", "string", NULL, NULL, NULL, NULL, NULL},
    {"lc_ctype", PRESET, "internal", "string", NULL, NULL, NULL, NULL, NULL},
    {"lc_messages", CC_LOCALE, "superuser", "string", NULL, NULL, NULL, NULL, NULL},
    {"lc_monetary", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"lc_numeric", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"lc_time", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"max_identifier_length", PRESET, "internal", "integer", NULL, "63", "63", NULL, NULL},
    {"max_index_keys", PRESET, "internal", "integer", NULL, "32", "32", NULL, NULL},
    {"block_size", PRESET, "internal", "integer", NULL, "8192", "8192", NULL, NULL},
    {"search_path", CC_STATEMENT, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"server_encoding", PRESET, "internal", "string", NULL, NULL, NULL, NULL, NULL},
    {"server_version", PRESET, "internal", "string", NULL, NULL, NULL, NULL, NULL},
    {"server_version_num", PRESET, "internal", "integer", NULL, "150000", "150000", NULL, NULL},
    {"standard_conforming_strings", "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "user", "bool", NULL, NULL, NULL, NULL, NULL},
    {"statement_timeout", CC_STATEMENT, "user", "integer", "ms", "0", "2147483647",
     "Sets the maximum allowed duration of any statement.", "A value of 0 turns off the timeout."},
    {"TimeZone", CC_LOCALE, "user", "string", NULL, NULL, NULL, NULL, NULL},
    {"transaction_isolation", CC_STATEMENT, "user", "enum", NULL, NULL, NULL, NULL, NULL},
    {"transaction_read_only", CC_STATEMENT, "user", "bool", NULL, NULL, NULL, NULL, NULL},
};
#define NGUCS ((int)(sizeof gucs / sizeof gucs[0]))

#undef CC_LOCALE
#undef CC_STATEMENT
#undef PRESET

/* pg_settings.enumvals of the enum settings above, as PostgreSQL 15 lists them. */
static const char *guc_enumvals(const char *name)
{
	static const char *const v[][2] = {
	    {"bytea_output", "{escape,hex}"},
	    {"client_min_messages", "{debug5,debug4,debug3,debug2,debug1,log,notice,warning,error}"},
	    {"default_transaction_isolation",
	     "{serializable,\"repeatable read\",\"read committed\",\"read uncommitted\"}"},
	    {"IntervalStyle", "{postgres,postgres_verbose,sql_standard,iso_8601}"},
	    {"transaction_isolation",
	     "{serializable,\"repeatable read\",\"read committed\",\"read uncommitted\"}"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (strcasecmp(v[i][0], name) == 0) return v[i][1];
	return NULL;
}

/* PostgreSQL hides these from SHOW ALL and pg_settings (GUC_NO_SHOW_ALL). */
static bool guc_hidden(const char *name)
{
	return strcasecmp(name, "is_superuser") == 0 || strcasecmp(name, "session_authorization") == 0;
}

static const pgcat_guc *guc_find(const char *name)
{
	for (int i = 0; i < NGUCS; i++)
		if (strcasecmp(gucs[i].name, name) == 0) return &gucs[i];
	return NULL;
}

/*
 * A time setting as pg_settings shows it, a number in its unit ("5s" is
 * 5000 for a setting in ms): SHOW's value is a count and one of ms, s, min,
 * h, d (the gateway prints it so). Anything else is shown as it is.
 */
static const char *in_ms(const char *v, arena *a)
{
	static const struct {
		const char *unit;
		long long ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v) return v;
	if (!*end) return arena_sprintf(a, "%lld", n);
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].unit) == 0) return arena_sprintf(a, "%lld", n * units[i].ms);
	return v;
}

#define SETTINGS_COLS 5 /* name, setting, boot_val, reset_val, short_desc */

/*
 * PostgreSQL's compile-time constants that clients read as settings (pgjdbc reads
 * max_index_keys before getImportedKeys): name, value, description. Fixed for every session.
 */
static const char *const presets[][3] = {
    {"max_index_keys", "32", "Shows the maximum number of index keys."},
    {"block_size", "8192", "Shows the size of a disk block."},
};
#define NPRESETS ((int)(sizeof presets / sizeof presets[0]))

/* The session's settings from the provider, then the presets. */
static ferr *session_settings(int32_t session, arena *a, system_rows *rows)
{
	pthread_mutex_lock(&provider_lock);
	pgcatalog_settings_provider fn = settings_provider;
	pthread_mutex_unlock(&provider_lock);
	memset(rows, 0, sizeof *rows);
	if (fn) {
		TRY(fn(session, a, rows));
		if (rows->ncols != SETTINGS_COLS)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "pg_settings: provider gave %d columns",
			                rows->ncols);
	}
	const char **v = arena_alloc(a, sizeof(char *) * (size_t)((rows->nrows + NPRESETS) * SETTINGS_COLS));
	if (rows->nrows) memcpy(v, rows->values, sizeof(char *) * (size_t)(rows->nrows * SETTINGS_COLS));
	for (int i = 0; i < NPRESETS; i++) {
		const char **r = v + (rows->nrows + i) * SETTINGS_COLS;
		r[0] = presets[i][0];
		r[1] = r[2] = r[3] = presets[i][1];
		r[4] = presets[i][2];
	}
	rows->values = v;
	rows->nrows += NPRESETS;
	rows->ncols = SETTINGS_COLS;
	return NULL;
}

/*
 * One row per setting of the scan's session. source follows PostgreSQL:
 * "session" for a value SET changed, "client" for one the connection's
 * startup packet set, "override" for the transaction's own settings, else
 * "default" (Ferry reads no configuration file for them).
 */
static ferr *settings_rows(gen *g)
{
	system_rows rows;
	TRY(session_settings(g->h->session, g->a, &rows));
	for (int r = 0; r < rows.nrows; r++) {
		const char **v = rows.values + r * SETTINGS_COLS;
		if (!v[0] || !v[1] || guc_hidden(v[0])) continue;
		const pgcat_guc *d = guc_find(v[0]);
		const char **row = row_new(g);
		bool ms = d && d->unit && strcmp(d->unit, "ms") == 0;
		set(g, row, "name", v[0]);
		set(g, row, "setting", ms ? in_ms(v[1], g->a) : v[1]);
		set(g, row, "boot_val", ms && v[2] ? in_ms(v[2], g->a) : v[2]);
		set(g, row, "reset_val", ms && v[3] ? in_ms(v[3], g->a) : v[3]);
		set(g, row, "unit", d ? d->unit : NULL);
		set(g, row, "category", d ? d->category : "Ferry Session Properties");
		set(g, row, "short_desc", d && d->short_desc ? d->short_desc : v[4]);
		set(g, row, "extra_desc", d ? d->extra_desc : NULL);
		set(g, row, "context", d ? d->context : "user");
		set(g, row, "vartype", d ? d->vartype : "string");
		set(g, row, "min_val", d ? d->min : NULL);
		set(g, row, "max_val", d ? d->max : NULL);
		set(g, row, "enumvals", d ? guc_enumvals(d->name) : NULL);
		const char *source = "default";
		if (d && strncmp(d->name, "transaction_", 12) == 0) source = "override";
		else if (v[3] && strcmp(v[1], v[3]) != 0) source = "session";
		else if (v[2] && v[3] && strcmp(v[2], v[3]) != 0) source = "client";
		set(g, row, "source", source);
		setb(g, row, "pending_restart", false);
	}
	return NULL;
}

ferr *pgcatalog_setting(int32_t session, const char *name, bool missing_ok, arena *a,
                        const char **out)
{
	*out = NULL;
	system_rows rows;
	TRY(session_settings(session, a, &rows));
	for (int r = 0; r < rows.nrows; r++) {
		const char **v = rows.values + r * SETTINGS_COLS;
		if (v[0] && strcasecmp(v[0], name) == 0) {
			*out = v[1];
			return NULL;
		}
	}
	if (missing_ok) return NULL;
	return ferr_new(SQLSTATE_UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name);
}

/* All rows of the scanned table into g. Tables of objects Ferry does not
 * have (constraints, indexes, defaults, enums, inheritance, materialized
 * views) have none. */
static ferr *generate(gen *g)
{
	if (g->h->empty) return NULL;
	switch (g->def->gen) {
	case G_NAMESPACE:
	case G_IS_SCHEMATA: return namespace_rows(g);
	case G_CLASS: return walk_relations(g, true, class_row);
	case G_ATTRIBUTE:
	case G_IS_COLUMNS: return walk_relations(g, true, g->def->gen == G_ATTRIBUTE ? attribute_rows : columns_rows);
	case G_DESCRIPTION: return walk_relations(g, true, description_rows);
	case G_CONSTRAINT:
	case G_INDEX:
	case G_IS_TABLE_CONSTRAINTS:
	case G_IS_KEY_COLUMN_USAGE:
	case G_IS_REFERENTIAL_CONSTRAINTS:
	case G_IS_CONSTRAINT_COLUMN_USAGE: return walk_relations(g, true, constraint_rows);
	case G_TABLES:
	case G_VIEWS:
	case G_MATVIEWS:
	case G_IS_TABLES:
	case G_IS_VIEWS: return walk_relations(g, true, tables_row);
	case G_TYPE: type_rows(g); return NULL;
	case G_DATABASE: database_rows(g); return NULL;
	case G_ROLES:
	case G_USER: role_rows(g); return NULL;
	case G_PROC:
	case G_IS_ROUTINES: proc_rows(g); return NULL;
	case G_ACTIVITY: return activity_rows(g);
	case G_SETTINGS: return settings_rows(g);
	default: fixed_rows(g); return NULL;
	}
}

/* ---- page source ---- */

typedef struct pgcat_source {
	conn_page_source base;
	gen g;
	bool generated;
	int off;
	int ncols;
	int *cols;
	const pgcat_handle *h;
} pgcat_source;

static ferr *pgcat_next(conn_page_source *src, arena *a, batch **out)
{
	pgcat_source *s = (pgcat_source *)src;
	*out = NULL;
	if (!s->generated) {
		s->generated = true;
		TRY(generate(&s->g));
	}
	int n = s->g.rows - s->off;
	if (n <= 0) return NULL;
	if (n > BATCH_CAPACITY) n = BATCH_CAPACITY;
	ftype types_[PGC_MAX_COLS];
	for (int j = 0; j < s->ncols; j++) types_[j] = s->h->base.cols[s->cols[j]].type;
	batch *b = batch_create(a, s->ncols, types_, n);
	for (int r = 0; r < n; r++) {
		const char **row = &s->g.vals[(size_t)(s->off + r) * s->g.ncols];
		for (int j = 0; j < s->ncols; j++) {
			vector *v = &b->cols[j];
			const char *text = row[s->cols[j]];
			if (!text) {
				vector_set_null(v, a, r, n);
				continue;
			}
			TRY(value_in_text(v->type, text, strlen(text), a, vector_at(v, r)));
		}
	}
	b->count = n;
	s->off += n;
	*out = b;
	return NULL;
}

static void pgcat_close(conn_page_source *src)
{
	pgcat_source *s = (pgcat_source *)src;
	s->g.rows = s->off = 0;
}

static int64_t pgcat_bytes(conn_page_source *src)
{
	return 0;
}

static const conn_page_source_ops pgcat_source_ops = {pgcat_next, pgcat_close, pgcat_bytes};

static ferr *pgcat_open(conn_catalog *c, const conn_table *t, const conn_split *split, int ncols,
                      const int *cols, arena *a, conn_page_source **out)
{
	const pgcat_handle *h = (const pgcat_handle *)t;
	if (ncols < 0 || ncols > PGC_MAX_COLS)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "pg_catalog scan of %d columns", ncols);
	for (int j = 0; j < ncols; j++)
		if (cols[j] < 0 || cols[j] >= t->ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "%s.%s has no column %d", t->schema,
			                t->table, cols[j]);
	pgcat_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &pgcat_source_ops;
	s->h = h;
	s->ncols = ncols;
	s->cols = arena_alloc(a, sizeof(int) * (size_t)(ncols + 1));
	if (ncols) memcpy(s->cols, cols, sizeof(int) * (size_t)ncols);
	s->g.a = a;
	s->g.pc = (const pgcat_catalog *)c;
	s->g.h = h;
	s->g.def = h->def;
	s->g.ncols = t->ncols;
	*out = &s->base;
	return NULL;
}

static void pgcat_explain(conn_catalog *c, const conn_table *t, strbuf *out)
{
	const pgcat_handle *h = (const pgcat_handle *)t;
	const pgcat_catalog *pc = (const pgcat_catalog *)c;
	sb_printf(out, "pgcatalog:%s:%s:%s", pc->target, t->schema, t->table);
	if (h->empty) sb_puts(out, " (no rows)");
	if (h->pin_oid >= 0) sb_printf(out, " oid=%lld", (long long)h->pin_oid);
	if (h->pin_schema) sb_printf(out, " schema=%s", h->pin_schema);
	if (h->pin_table) sb_printf(out, " table=%s", h->pin_table);
}

static json_t *pgcat_table_json(conn_catalog *c, const conn_table *t)
{
	const pgcat_handle *h = (const pgcat_handle *)t;
	json_t *j = json_pack("{s:s,s:s,s:s,s:b,s:I}", "catalog", ((const pgcat_catalog *)c)->target,
	                      "schema", t->schema, "table", t->table, "empty", (int)h->empty,
	                      "oid", (json_int_t)h->pin_oid);
	if (!j) return NULL;
	if (h->pin_schema) json_object_set_new(j, "schema_pin", json_string(h->pin_schema));
	if (h->pin_table) json_object_set_new(j, "table_pin", json_string(h->pin_table));
	if (h->session) json_object_set_new(j, "session", json_integer(h->session));
	return j;
}

static json_t *pgcat_split_json(conn_catalog *c, const conn_split *s)
{
	return json_object();
}

static const conn_catalog_ops pgcat_ops = {
    .list_schemas = pgcat_list_schemas,
    .list_tables = pgcat_list_tables,
    .get_table = pgcat_get_table,
    .get_statistics = pgcat_get_statistics,
    .apply_filter = pgcat_apply_filter,
    .get_splits = pgcat_get_splits,
    .open_page_source = pgcat_open,
    .explain = pgcat_explain,
    .table_to_json = pgcat_table_json,
    .split_to_json = pgcat_split_json,
};

static pgcat_catalog *instances;
static pthread_mutex_t inst_lock = PTHREAD_MUTEX_INITIALIZER;

conn_catalog *pgcatalog_for(const char *catalog)
{
	pthread_mutex_lock(&inst_lock);
	pgcat_catalog *p = instances;
	while (p && strcmp(p->target, catalog) != 0) p = p->next;
	if (!p) {
		p = xcalloc(1, sizeof *p);
		p->target = xstrdup(catalog);
		p->base.ops = &pgcat_ops;
		p->base.name = p->target;
		p->base.connector = "pgcatalog";
		p->next = instances;
		instances = p;
	}
	pthread_mutex_unlock(&inst_lock);
	return &p->base;
}

void pgcatalog_shutdown(void)
{
	pthread_mutex_lock(&inst_lock);
	while (instances) {
		pgcat_catalog *p = instances;
		instances = p->next;
		free(p->target);
		free(p);
	}
	pthread_mutex_unlock(&inst_lock);
	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < nreg; i++) {
		free(reg[i].key);
		free(reg[i].catalog);
		free(reg[i].schema);
		free(reg[i].name);
	}
	free(reg);
	free(by_oid);
	free(by_key);
	reg = NULL;
	by_oid = by_key = NULL;
	nreg = capreg = capidx = 0;
	pthread_mutex_unlock(&reg_lock);
}

/* ---- regclass input ---- */

/* Next identifier of a dotted name: quoted ("A""b") or folded to lower case. */
static const char *next_ident(const char **p, arena *a)
{
	const char *s = *p;
	strbuf sb = STRBUF_INIT;
	if (*s == '"') {
		for (s++; *s; s++) {
			if (*s == '"') {
				if (s[1] != '"') break;
				s++;
			}
			sb_append(&sb, s, 1);
		}
		if (*s != '"') {
			sb_free(&sb);
			return NULL;
		}
		s++;
	} else {
		for (; *s && *s != '.'; s++) {
			char ch = (char)tolower((unsigned char)*s);
			sb_append(&sb, &ch, 1);
		}
	}
	*p = s;
	const char *r = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return *r ? r : NULL;
}

/*
 * The OID registry's kind of relation schema.name ('r', 'v', or 'i' for the
 * index "<table>_pkey" of a table with a primary key, which shares the
 * relations' name space as in PostgreSQL), 0 when there is none.
 */
static char relation_exists(conn_catalog *cat, const char *schema, const char *name, arena *a)
{
	if (pgcatalog_is_schema(schema))
		return !tdef_find(schema, name) ? 0 : strcmp(schema, ISC) == 0 ? 'v' : 'r';
	if (!cat) return 0;
	conn_table *t = NULL;
	ferr *e = cat->ops->get_table(cat, schema, name, a, &t);
	if (e) ferr_free(e);
	if (t) return rel_reg_kind(t->relkind);
	conn_view *v = NULL;
	if (cat->ops->get_view) {
		e = cat->ops->get_view(cat, schema, name, a, &v);
		if (e) ferr_free(e);
	}
	if (v) return 'v';
	const char *table = pk_table_name(name, a);
	if (table == name) return 0;
	e = cat->ops->get_table(cat, schema, table, a, &t);
	if (e) ferr_free(e);
	return t && t->npk > 0 && rel_reg_kind(t->relkind) == 'r' ? 'i' : 0;
}

ferr *pgcatalog_regclass(const char *catalog, const char *search_path, const char *user,
                         const char *text, uint32_t *oid)
{
	arena *a = arena_create(NULL, "regclass");
	const char *parts[3];
	int n = 0;
	const char *p = text;
	while (isspace((unsigned char)*p)) p++;
	ferr *err = NULL;
	while (n < 3) {
		const char *id = next_ident(&p, a);
		if (!id) break;
		parts[n++] = id;
		if (*p != '.' || n == 3) break;
		p++;
	}
	while (isspace((unsigned char)*p)) p++;
	if (n == 3 && *p == '.') {
		err = ferr_new(SQLSTATE_SYNTAX_ERROR,
		               "improper relation name (too many dotted names): %s", text);
		goto out;
	}
	if (n == 0 || *p) {
		err = ferr_new(PGC_SQLSTATE_INVALID_NAME, "invalid name syntax");
		goto out;
	}
	/* catalog.schema.name: the catalog must be the current one, as in PostgreSQL */
	if (n == 3 && strcmp(parts[0], catalog) != 0) {
		err = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		               "cross-database references are not implemented: %s", text);
		goto out;
	}
	const char *name = parts[n - 1];
	conn_catalog *cat = catalogs_acquire(catalog);
	const char *found = NULL;
	char kind = 0;
	if (n >= 2) {
		if ((kind = relation_exists(cat, parts[n - 2], name, a))) found = parts[n - 2];
	} else if ((kind = relation_exists(cat, PGC, name, a))) {
		found = PGC;
	} else {
		const char **path;
		int np = pgcatalog_search_path(search_path, user, a, &path);
		for (int i = 0; i < np && !found; i++)
			if ((kind = relation_exists(cat, path[i], name, a))) found = path[i];
	}
	if (cat) catalogs_release(cat);
	if (!found) {
		err = ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", text);
		goto out;
	}
	*oid = pgcatalog_oid(kind, catalog, found, name);
out:
	arena_destroy(a);
	return err;
}

int pgcatalog_search_path(const char *search_path, const char *user, arena *a,
                          const char ***schemas)
{
	char *path = arena_strdup(a, search_path ? search_path : "\"$user\", public");
	int cap = 4, n = 0;
	const char **v = arena_alloc(a, sizeof(char *) * (size_t)cap);
	char *save = NULL;
	for (char *tok = strtok_r(path, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok)) tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1])) *--end = 0;
		if (*tok == '"' && end > tok + 1 && end[-1] == '"') tok++, end[-1] = 0;
		if (strcmp(tok, "$user") == 0) tok = arena_strdup(a, user ? user : "");
		if (!*tok) continue;
		if (n == cap) {
			v = arena_realloc(a, v, sizeof(char *) * (size_t)cap,
			                  sizeof(char *) * (size_t)cap * 2);
			cap *= 2;
		}
		v[n++] = tok;
	}
	*schemas = v;
	return n;
}

bool pgcatalog_has_relation(const char *catalog, const char *schema, const char *name)
{
	if (pgcatalog_is_schema(schema)) return tdef_find(schema, name) != NULL;
	char *key;
	if (asprintf(&key, "r\x1f%s\x1f%s\x1f%s", catalog, schema, name) < 0) return false;
	pthread_mutex_lock(&reg_lock);
	bool found = reg_find_key(key) >= 0;
	pthread_mutex_unlock(&reg_lock);
	free(key);
	return found;
}

ferr *pgcatalog_current_schemas(const char *catalog, const char *search_path, const char *user,
                                bool implicit, arena *a, int *n, const char ***out)
{
	const char **path;
	int np = pgcatalog_search_path(search_path, user, a, &path);
	conn_catalog *cat = catalogs_acquire(catalog);
	int ns = 0;
	const char **names = NULL;
	if (cat) {
		ferr *e = cat->ops->list_schemas(cat, a, &ns, &names);
		catalogs_release(cat);
		if (e) return ferr_prefix(e, "catalog \"%s\"", catalog);
	}
	const char **v = arena_alloc(a, sizeof(char *) * (size_t)(np + 1));
	int k = 0;
	bool has_pgc = false;
	for (int i = 0; i < np; i++) has_pgc |= strcmp(path[i], PGC) == 0;
	if (implicit && !has_pgc) v[k++] = PGC; /* searched first unless the path places it */
	for (int i = 0; i < np; i++) {
		bool exists = pgcatalog_is_schema(path[i]);
		for (int j = 0; j < ns && !exists; j++) exists = strcmp(names[j], path[i]) == 0;
		if (exists) v[k++] = path[i];
	}
	*n = k;
	*out = v;
	return NULL;
}

ferr *pgcatalog_current_schema(const char *catalog, const char *search_path, const char *user,
                               arena *a, const char **out)
{
	int n;
	const char **v;
	TRY(pgcatalog_current_schemas(catalog, search_path, user, false, a, &n, &v));
	*out = n > 0 ? v[0] : NULL;
	return NULL;
}

/* "integer, text" for the OIDs in list (separated by spaces); regprocedure's
 * spelling "integer,text" when compact. */
static const char *type_list_sep(arena *a, const char *list, bool compact)
{
	strbuf sb = STRBUF_INIT;
	for (const char *p = list; *p;) {
		uint32_t oid = (uint32_t)strtoul(p, (char **)&p, 10);
		const pgcat_type *t = type_by_oid(oid);
		if (sb.len) sb_puts(&sb, compact ? "," : ", ");
		sb_puts(&sb, t && t->alias ? t->alias : t ? t->typname : "???");
		while (*p == ' ') p++;
	}
	const char *r = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return r;
}

static const char *type_list(arena *a, const char *list)
{
	return type_list_sep(a, list, false);
}

static bool func_by_oid(uint32_t oid, pgcat_func *out);

bool pgcatalog_proc_signature(uint32_t oid, arena *a, const char **result, const char **args)
{
	pgcat_func f;
	if (!func_by_oid(oid, &f)) return false;
	char ret[16];
	snprintf(ret, sizeof ret, "%u", f.rettype);
	*result = type_list(a, ret);
	*args = type_list(a, f.argtypes);
	return true;
}

ferr *pgcatalog_regnamespace(const char *catalog, const char *text, uint32_t *oid)
{
	arena *a = arena_create(NULL, "regnamespace");
	const char *p = text;
	while (isspace((unsigned char)*p)) p++;
	const char *name = next_ident(&p, a);
	while (isspace((unsigned char)*p)) p++;
	ferr *err = NULL;
	if (!name || *p) {
		err = ferr_new(PGC_SQLSTATE_INVALID_NAME, "invalid name syntax");
		goto out;
	}
	bool found = pgcatalog_is_schema(name);
	conn_catalog *cat = found ? NULL : catalogs_acquire(catalog);
	if (cat) {
		int n = 0;
		const char **names = NULL;
		err = cat->ops->list_schemas(cat, a, &n, &names);
		catalogs_release(cat);
		if (err) goto out;
		for (int i = 0; i < n && !found; i++) found = strcmp(names[i], name) == 0;
	}
	if (!found)
		err = ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", name);
	else
		*oid = pgcatalog_oid('n', catalog, NULL, name);
out:
	arena_destroy(a);
	return err;
}

/* ---- reg* text output and input (the hooks of exec/types.h) ---- */

/* name, double-quoted unless it is a plain lower-case identifier (quote_ident). */
static void put_ident(strbuf *out, const char *name)
{
	bool plain = *name && (islower((unsigned char)*name) || *name == '_');
	for (const char *p = name; *p && plain; p++)
		plain = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_';
	if (plain) {
		sb_puts(out, name);
		return;
	}
	sb_putc(out, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"') sb_putc(out, '"');
		sb_putc(out, *p);
	}
	sb_putc(out, '"');
}

/*
 * Is relation o found by its bare name? PostgreSQL's RelationIsVisible: its
 * schema is pg_catalog or on search_path, and no schema before it holds a
 * relation of that name (as far as the registry knows).
 */
static bool relation_visible(const pgcat_object *o, const fmt_settings *fs, arena *a)
{
	if (fs && fs->reg_catalog && strcmp(o->catalog, fs->reg_catalog) != 0) return false;
	if (strcmp(o->schema, PGC) == 0) return true;
	if (tdef_find(PGC, o->name)) return false;
	const char **path;
	int n = pgcatalog_search_path(fs ? fs->reg_search_path : NULL, fs ? fs->reg_user : NULL, a,
	                              &path);
	for (int i = 0; i < n; i++) {
		if (strcmp(path[i], o->schema) == 0) return true;
		if (pgcatalog_has_relation(o->catalog, path[i], o->name)) return false;
	}
	return false;
}

/* regtype output: format_type's spelling ("integer", "character varying", "integer[]"). */
static bool type_out(uint32_t oid, strbuf *out)
{
	uint32_t elem = pgcatalog_array_elem(oid);
	const pgcat_type *t = type_by_oid(elem ? elem : oid);
	if (!t) return false;
	if (t->oid == OID_CHAR) sb_puts(out, "\"char\"");
	else sb_puts(out, t->alias && t->oid != OID_NUMERIC ? t->alias : t->typname);
	if (elem) sb_puts(out, "[]");
	return true;
}

/* The built-in function with OID oid (of funcs or a type I/O function); false: none. */
static bool func_by_oid(uint32_t oid, pgcat_func *out)
{
	const pgcat_iofunc *io = pgcat_iofunc_by_oid(oid);
	if (io) {
		*out = (pgcat_func){io->name, io->rettype, io->argtypes};
		return true;
	}
	for (int i = 0; i < NFUNCS; i++) {
		if (func_oid(&funcs[i]) != oid) continue;
		*out = funcs[i];
		return true;
	}
	return false;
}

static bool reg_out(int kind, int64_t oid64, const fmt_settings *fs, strbuf *out)
{
	if (oid64 == 0) {
		sb_putc(out, '-'); /* InvalidOid, as PostgreSQL prints it */
		return true;
	}
	if (oid64 < 0 || oid64 > UINT32_MAX) return false;
	uint32_t oid = (uint32_t)oid64;
	arena *a = arena_create(NULL, "regout");
	pgcat_object o;
	bool ok = false;
	switch (kind) {
	case FTYPE_REG_CLASS:
		ok = pgcatalog_lookup_oid(oid, a, &o) && (o.kind == 'r' || o.kind == 'v' || o.kind == 'i');
		if (!ok) break;
		if (!relation_visible(&o, fs, a)) {
			if (fs && fs->reg_catalog && strcmp(o.catalog, fs->reg_catalog) != 0) {
				put_ident(out, o.catalog);
				sb_putc(out, '.');
			}
			put_ident(out, o.schema);
			sb_putc(out, '.');
		}
		put_ident(out, o.name);
		break;
	case FTYPE_REG_NAMESPACE:
		ok = pgcatalog_lookup_oid(oid, a, &o) && o.kind == 'n';
		if (ok) put_ident(out, o.name);
		break;
	case FTYPE_REG_TYPE: ok = type_out(oid, out); break;
	case FTYPE_REG_PROC:
	case FTYPE_REG_PROCEDURE: {
		pgcat_func f;
		ok = func_by_oid(oid, &f);
		if (!ok) break;
		sb_puts(out, f.name);
		if (kind == FTYPE_REG_PROCEDURE)
			sb_printf(out, "(%s)", type_list_sep(a, f.argtypes, true));
		break;
	}
	case FTYPE_REG_ROLE:
		ok = oid == PGC_OID_SUPERUSER;
		if (ok) sb_puts(out, PGC_ROLE_NAME);
		break;
	default: break;
	}
	arena_destroy(a);
	return ok;
}

/*
 * regtype input: a type name as SQL writes it, with an optional
 * pg_catalog. prefix, type modifier ("varchar(10)") and [] suffix.
 */
static ferr *type_in(const char *text, int64_t *oid)
{
	char buf[128];
	size_t n = 0;
	const char *p = text;
	if (strncasecmp(p, "pg_catalog.", 11) == 0) p += 11;
	bool quoted = *p == '"';
	for (p += quoted; *p && n + 1 < sizeof buf; p++) {
		if (quoted && *p == '"') {
			p++;
			break;
		}
		if (!quoted && *p == '(') { /* a type modifier: skip to its end */
			while (*p && *p != ')') p++;
			if (!*p) break;
			continue;
		}
		buf[n++] = quoted ? *p : (char)tolower((unsigned char)*p);
	}
	buf[n] = 0;
	bool array = false;
	while (n && buf[n - 1] == ' ') buf[--n] = 0;
	if (n >= 2 && strcmp(buf + n - 2, "[]") == 0) {
		array = true;
		buf[n -= 2] = 0;
		while (n && buf[n - 1] == ' ') buf[--n] = 0;
	}
	uint32_t o = type_oid_of(buf, true);
	ftype ft;
	if (!o && ftype_from_name(buf, &ft)) o = ftype_oid(ft);
	const pgcat_type *t = o ? type_by_oid(o) : NULL;
	if (!t || (array && !t->array) || (*p && !isspace((unsigned char)*p)))
		return ferr_new(SQLSTATE_UNDEFINED_OBJECT, "type \"%s\" does not exist", text);
	*oid = array ? t->array : t->oid;
	return NULL;
}

/* regproc / regprocedure input: "name" (one function of that name) or "name(types)". */
static ferr *proc_in(int kind, const char *text, int64_t *oid)
{
	arena *a = arena_create(NULL, "regproc");
	const char *paren = strchr(text, '(');
	const char *name = paren ? arena_strndup(a, text, (size_t)(paren - text)) : text;
	/* "f(integer, text)" and "f(integer,text)" alike: no blank after a comma */
	char *want = arena_strdup(a, text), *w = want;
	for (const char *p = text; *p; p++)
		if (*p != ' ' || (w > want && w[-1] != ',')) *w++ = *p;
	*w = 0;
	if (strncmp(name, "pg_catalog.", 11) == 0) name += 11;
	if (strncmp(want, "pg_catalog.", 11) == 0) want += 11;
	int found = 0;
	for (int i = 0; i < NFUNCS + pgcat_niofuncs; i++) {
		const pgcat_iofunc *io = i >= NFUNCS ? &pgcat_iofuncs[i - NFUNCS] : NULL;
		pgcat_func f = io ? (pgcat_func){io->name, io->rettype, io->argtypes} : funcs[i];
		if (strcmp(f.name, name) != 0) continue;
		if (paren) {
			const char *args =
			    arena_sprintf(a, "%s(%s)", name, type_list_sep(a, f.argtypes, true));
			if (strcmp(args, want) != 0) continue;
		}
		*oid = io ? io->oid : func_oid(&funcs[i]);
		found++;
	}
	arena_destroy(a);
	if (found > 1)
		return ferr_new(SQLSTATE_AMBIGUOUS_FUNCTION, "more than one function named \"%s\"", text);
	if (!found)
		return ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function \"%s\" does not exist", text);
	if (kind == FTYPE_REG_PROCEDURE && !paren)
		return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "expected a left parenthesis");
	return NULL;
}

static ferr *reg_in(int kind, const char *s, size_t len, const fmt_settings *fs, int64_t *oid)
{
	char *text = strndup(s, len);
	if (!text) return ferr_new(SQLSTATE_OUT_OF_MEMORY, "out of memory");
	const char *catalog = fs && fs->reg_catalog ? fs->reg_catalog : "";
	uint32_t o = 0;
	ferr *err = NULL;
	switch (kind) {
	case FTYPE_REG_CLASS:
		err = pgcatalog_regclass(catalog, fs ? fs->reg_search_path : NULL,
		                         fs ? fs->reg_user : NULL, text, &o);
		*oid = o;
		break;
	case FTYPE_REG_NAMESPACE:
		err = pgcatalog_regnamespace(catalog, text, &o);
		*oid = o;
		break;
	case FTYPE_REG_TYPE: err = type_in(text, oid); break;
	case FTYPE_REG_PROC:
	case FTYPE_REG_PROCEDURE: err = proc_in(kind, text, oid); break;
	case FTYPE_REG_ROLE:
		if (strcmp(text, PGC_ROLE_NAME) == 0 || (fs && fs->reg_user && strcmp(text, fs->reg_user) == 0))
			*oid = PGC_OID_SUPERUSER;
		else
			err = ferr_new(SQLSTATE_UNDEFINED_OBJECT, "role \"%s\" does not exist", text);
		break;
	default: err = ferr_new(SQLSTATE_INTERNAL_ERROR, "no input for OID kind %d", kind); break;
	}
	free(text);
	return err;
}

/* "FOREIGN KEY (a) REFERENCES s.t(b) MATCH FULL ON UPDATE ... ON DELETE ...", the
 * referenced table qualified unless search_path finds it by its bare name. */
static void fk_def(const conn_foreign_key *fk, const conn_table *t, const pgcat_object *o,
                   const fmt_settings *fs, arena *a, strbuf *sb)
{
	sb_puts(sb, "FOREIGN KEY (");
	for (int k = 0; k < fk->ncols; k++) {
		if (k) sb_puts(sb, ", ");
		put_ident(sb, t->cols[fk->cols[k]].name);
	}
	sb_puts(sb, ") REFERENCES ");
	pgcat_object ref = {'r', o->catalog, fk->ref_schema, fk->ref_table};
	if (!relation_visible(&ref, fs, a)) {
		put_ident(sb, fk->ref_schema);
		sb_putc(sb, '.');
	}
	put_ident(sb, fk->ref_table);
	sb_putc(sb, '(');
	for (int k = 0; k < fk->ncols; k++) {
		if (k) sb_puts(sb, ", ");
		put_ident(sb, fk->ref_cols[k]);
	}
	sb_putc(sb, ')');
	if (fk->match == 'f') sb_puts(sb, " MATCH FULL");
	else if (fk->match == 'p') sb_puts(sb, " MATCH PARTIAL");
	if (fk->on_update != 'a') sb_printf(sb, " ON UPDATE %s", fk_action(fk->on_update));
	if (fk->on_delete != 'a') sb_printf(sb, " ON DELETE %s", fk_action(fk->on_delete));
}

bool pgcatalog_key_def(uint32_t oid, int column, const fmt_settings *fs, arena *a,
                       const char **out)
{
	pgcat_object o;
	if (!pgcatalog_lookup_oid(oid, a, &o) || (o.kind != 'c' && o.kind != 'i') ||
	    pgcatalog_is_schema(o.schema))
		return false;
	const char *sep = o.kind == 'c' ? strchr(o.name, '\x1f') : NULL;
	const char *table = sep ? arena_strndup(a, o.name, (size_t)(sep - o.name))
	                        : pk_table_name(o.name, a);
	conn_catalog *cat = catalogs_acquire(o.catalog);
	if (!cat) return false;
	conn_table *t = NULL;
	ferr *e = cat->ops->get_table(cat, o.schema, table, a, &t);
	catalogs_release(cat);
	if (e) ferr_free(e);
	if (sep) { /* a foreign key */
		for (int i = 0; t && column == 0 && i < t->nfk; i++) {
			if (strcmp(t->fk[i].name, sep + 1) != 0) continue;
			strbuf sb = STRBUF_INIT;
			fk_def(&t->fk[i], t, &o, fs, a, &sb);
			*out = arena_strndup(a, sb.data, sb.len);
			sb_free(&sb);
			return true;
		}
		return false;
	}
	if (!t || t->npk == 0 || strcmp(pk_name(table, a), o.name) != 0) return false;
	if (column < 0 || column > t->npk) return false;
	strbuf sb = STRBUF_INIT;
	if (column > 0) {
		put_ident(&sb, t->cols[t->pk[column - 1]].name);
	} else {
		if (o.kind == 'c') {
			sb_puts(&sb, "PRIMARY KEY (");
		} else {
			sb_puts(&sb, "CREATE UNIQUE INDEX ");
			put_ident(&sb, o.name);
			sb_puts(&sb, " ON ");
			put_ident(&sb, o.schema);
			sb_putc(&sb, '.');
			put_ident(&sb, table);
			sb_puts(&sb, " USING btree (");
		}
		for (int k = 0; k < t->npk; k++) {
			if (k) sb_puts(&sb, ", ");
			put_ident(&sb, t->cols[t->pk[k]].name);
		}
		sb_putc(&sb, ')');
	}
	*out = arena_strndup(a, sb.data, sb.len);
	sb_free(&sb);
	return true;
}

void pgcatalog_init(void)
{
	type_set_reg_hooks(reg_out, reg_in);
}
