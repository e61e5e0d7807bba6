/*
 * system.c — the system connector: tables describing the node itself and
 * the metadata of every catalog (Trino's system.jdbc.*), the latter being
 * what SHOW CATALOGS/SCHEMAS/TABLES/COLUMNS and DESCRIBE are rewritten to.
 *
 * Every value is produced as text and converted through the type table, so
 * the output is exactly what the type's text input accepts. The jdbc tables
 * are listed lazily by a cursor (catalog -> schema -> table -> columns) that
 * does a bounded number of metadata calls per batch, so a scan over many
 * large catalogs still returns promptly and can be cancelled. It must never
 * hold a catalog reference beyond the page source's close.
 */
#include "connectors/system/system.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/catalogs.h"

#define SYS_MAX_COLS 24
/* Metadata calls (list_schemas, list_tables, get_table) per batch at most. */
#define SYS_STEPS_PER_BATCH 32

/* java.sql.Types codes, as Trino's system.jdbc.columns.data_type reports them. */
#define JDBC_BOOLEAN 16
#define JDBC_SMALLINT 5
#define JDBC_INTEGER 4
#define JDBC_BIGINT (-5)
#define JDBC_REAL 7
#define JDBC_DOUBLE 8
#define JDBC_DECIMAL 3
#define JDBC_CHAR 1
#define JDBC_VARCHAR 12
#define JDBC_VARBINARY (-3)
#define JDBC_DATE 91
#define JDBC_TIME 92
#define JDBC_TIMESTAMP 93
#define JDBC_TIMESTAMP_WITH_TIMEZONE 2014
#define JDBC_JAVA_OBJECT 2000
/* java.sql.DatabaseMetaData.columnNullableUnknown */
#define JDBC_COLUMN_NULLABLE_UNKNOWN 2
/* Trino's VarcharType.UNBOUNDED_LENGTH (Integer.MAX_VALUE) */
#define JDBC_UNBOUNDED_LENGTH 2147483647L
/* A numeric JDBC field that is NULL for the type. */
#define SYS_NONE LONG_MIN
/* Ferry's time and timestamp types keep microseconds. */
#define FERRY_TIME_PRECISION 6

typedef struct sys_col {
	const char *name;
	type_id type; /* TYPE_VARCHAR means unbounded varchar */
} sys_col;

/* What a jdbc table lists: one row per catalog, schema, table or column. */
typedef enum sys_level {
	SYS_PROVIDER = 0, /* rows from a system_provider */
	SYS_CATALOGS = 1,
	SYS_SCHEMAS = 2,
	SYS_TABLES = 3,
	SYS_COLUMNS = 4,
} sys_level;

/* Index of a name column in key[] of sys_table_def and pin[] of sys_handle. */
enum { KEY_CATALOG, KEY_SCHEMA, KEY_TABLE, NKEYS };

typedef struct sys_table_def {
	const char *schema;
	const char *table;
	int ncols;
	sys_col cols[SYS_MAX_COLS];
	sys_level level;
	system_provider builtin; /* SYS_PROVIDER: NULL = registered by the gateway */
	int key[NKEYS];          /* column holding the catalog/schema/table name, -1 none */
} sys_table_def;

static ferr *catalogs_rows(arena *a, system_rows *out);

#define V TYPE_VARCHAR
#define I8 TYPE_INT8

static const sys_table_def tables[] = {
    {"jdbc", "catalogs", 1, {{"table_cat", V}}, SYS_CATALOGS, NULL, {0, -1, -1}},
    {"jdbc",
     "schemas",
     2,
     {{"table_schem", V}, {"table_catalog", V}},
     SYS_SCHEMAS,
     NULL,
     {1, 0, -1}},
    {"jdbc",
     "tables",
     10,
     {{"table_cat", V},
      {"table_schem", V},
      {"table_name", V},
      {"table_type", V},
      {"remarks", V},
      {"type_cat", V},
      {"type_schem", V},
      {"type_name", V},
      {"self_referencing_col_name", V},
      {"ref_generation", V}},
     SYS_TABLES,
     NULL,
     {0, 1, 2}},
    {"jdbc",
     "columns",
     24,
     {{"table_cat", V},          {"table_schem", V},       {"table_name", V},
      {"column_name", V},        {"data_type", I8},        {"type_name", V},
      {"column_size", I8},       {"buffer_length", I8},    {"decimal_digits", I8},
      {"num_prec_radix", I8},    {"nullable", I8},         {"remarks", V},
      {"column_def", V},         {"sql_data_type", I8},    {"sql_datetime_sub", I8},
      {"char_octet_length", I8}, {"ordinal_position", I8}, {"is_nullable", V},
      {"scope_catalog", V},      {"scope_schema", V},      {"scope_table", V},
      {"source_data_type", I8},  {"is_autoincrement", V},  {"is_generatedcolumn", V}},
     SYS_COLUMNS,
     NULL,
     {0, 1, 2}},
    {"metadata",
     "catalogs",
     3,
     {{"catalog_name", V}, {"connector_id", V}, {"connector_name", V}},
     SYS_PROVIDER,
     catalogs_rows,
     {-1, -1, -1}},
    {"runtime",
     "nodes",
     5,
     {{"node_id", V},
      {"http_uri", V},
      {"node_version", V},
      {"coordinator", TYPE_BOOL},
      {"state", V}},
     SYS_PROVIDER,
     NULL,
     {-1, -1, -1}},
    {"runtime",
     "queries",
     7,
     {{"query_id", V},
      {"state", V},
      {"user", V},
      {"source", V},
      {"query", V},
      {"created", TYPE_TIMESTAMPTZ},
      {"end", TYPE_TIMESTAMPTZ}},
     SYS_PROVIDER,
     NULL,
     {-1, -1, -1}},
};
#define NTABLES ((int)(sizeof tables / sizeof tables[0]))

#undef V
#undef I8

/* Schemas in the order list_schemas reports them. */
static const char *const sys_schemas[] = {"jdbc", "metadata", "runtime"};
#define NSCHEMAS ((int)(sizeof sys_schemas / sizeof sys_schemas[0]))

static system_provider providers[NTABLES];
static pthread_mutex_t provider_lock = PTHREAD_MUTEX_INITIALIZER;

void system_set_provider(const char *table, system_provider fn)
{
	pthread_mutex_lock(&provider_lock);
	for (int i = 0; i < NTABLES; i++)
		if (tables[i].level == SYS_PROVIDER && !tables[i].builtin &&
		    strcmp(tables[i].schema, "runtime") == 0 && strcmp(tables[i].table, table) == 0)
			providers[i] = fn;
	pthread_mutex_unlock(&provider_lock);
}

static ferr *catalogs_rows(arena *a, system_rows *out)
{
	const char **names;
	int n = catalogs_list(a, &names);
	out->nrows = n;
	out->ncols = 3;
	out->values = arena_alloc(a, sizeof(char *) * (size_t)(n * 3 + 1));
	for (int i = 0; i < n; i++) {
		const char *cn = catalogs_connector(names[i], a);
		out->values[i * 3 + 0] = names[i];
		out->values[i * 3 + 1] = names[i];
		out->values[i * 3 + 2] = cn ? cn : "";
	}
	return NULL;
}

/* ---- JDBC descriptions of Ferry types (Trino's ColumnJdbcTable rules) ---- */

static long sys_jdbc_data_type(ftype t)
{
	switch (t.id) {
	case TYPE_BOOL:
		return JDBC_BOOLEAN;
	case TYPE_INT2:
		return JDBC_SMALLINT;
	case TYPE_INT4:
		return JDBC_INTEGER;
	case TYPE_INT8:
		return JDBC_BIGINT;
	case TYPE_FLOAT4:
		return JDBC_REAL;
	case TYPE_FLOAT8:
		return JDBC_DOUBLE;
	case TYPE_NUMERIC:
		return JDBC_DECIMAL;
	case TYPE_TEXT:
	case TYPE_VARCHAR:
		return JDBC_VARCHAR;
	case TYPE_BPCHAR:
		return JDBC_CHAR;
	case TYPE_BYTEA:
		return JDBC_VARBINARY;
	case TYPE_DATE:
		return JDBC_DATE;
	case TYPE_TIME:
		return JDBC_TIME;
	case TYPE_TIMESTAMP:
		return JDBC_TIMESTAMP;
	case TYPE_TIMESTAMPTZ:
		return JDBC_TIMESTAMP_WITH_TIMEZONE;
	default:
		return JDBC_JAVA_OBJECT; /* interval, uuid, json, jsonb */
	}
}

/* Characters of the longest value (digits for numbers, bits for floats); SYS_NONE = NULL. */
static long sys_column_size(ftype t)
{
	const int p = FERRY_TIME_PRECISION;
	switch (t.id) {
	case TYPE_INT2:
		return 5;
	case TYPE_INT4:
		return 10;
	case TYPE_INT8:
		return 19;
	case TYPE_FLOAT4:
		return 24;
	case TYPE_FLOAT8:
		return 53;
	case TYPE_NUMERIC:
		return t.precision > 0 ? t.precision : SYS_NONE;
	case TYPE_TEXT:
		return JDBC_UNBOUNDED_LENGTH;
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
		return t.length >= 0 ? t.length : JDBC_UNBOUNDED_LENGTH;
	case TYPE_BYTEA:
		return JDBC_UNBOUNDED_LENGTH;
	case TYPE_DATE:
		return 14; /* Trino's: sign and 5-digit year */
	case TYPE_TIME:
		return 8 + 1 + p; /* HH:MM:SS.ffffff */
	case TYPE_TIMESTAMP:
		return 1 + 5 + 15 + 1 + p;
	case TYPE_TIMESTAMPTZ:
		return 1 + 5 + 15 + 1 + p + 6; /* +HH:MM offset */
	default:
		return SYS_NONE;
	}
}

static long sys_decimal_digits(ftype t)
{
	switch (t.id) {
	case TYPE_NUMERIC:
		return t.scale;
	case TYPE_TIME:
	case TYPE_TIMESTAMP:
	case TYPE_TIMESTAMPTZ:
		return FERRY_TIME_PRECISION;
	default:
		return SYS_NONE;
	}
}

static long sys_num_prec_radix(ftype t)
{
	switch (t.id) {
	case TYPE_INT2:
	case TYPE_INT4:
	case TYPE_INT8:
	case TYPE_NUMERIC:
		return 10;
	case TYPE_FLOAT4:
	case TYPE_FLOAT8:
		return 2;
	default:
		return SYS_NONE;
	}
}

static long sys_char_octet_length(ftype t)
{
	switch (t.id) {
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_BYTEA:
		return sys_column_size(t);
	default:
		return SYS_NONE;
	}
}

/* ---- handles ---- */

typedef struct sys_handle {
	conn_table base;
	int index;              /* into tables[] */
	const char *pin[NKEYS]; /* names fixed by a pushed-down equality, NULL = any */
	bool empty;             /* a pushed-down filter no row passes */
} sys_handle;

static ferr *sys_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	const char **out = arena_alloc(a, sizeof(char *) * NSCHEMAS);
	for (int i = 0; i < NSCHEMAS; i++)
		out[i] = sys_schemas[i];
	*names = out;
	*n = NSCHEMAS;
	return NULL;
}

static ferr *sys_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                             const char ***names)
{
	bool known = false;
	for (int i = 0; i < NSCHEMAS; i++)
		known |= strcmp(sys_schemas[i], schema) == 0;
	if (!known)
		return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist",
		                schema);
	const char **out = arena_alloc(a, sizeof(char *) * NTABLES);
	int k = 0;
	for (int i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].schema, schema) == 0) out[k++] = tables[i].table;
	*n = k;
	*names = out;
	return NULL;
}

static ferr *sys_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                           conn_table **out)
{
	*out = NULL;
	for (int i = 0; i < NTABLES; i++) {
		const sys_table_def *def = &tables[i];
		if (strcmp(def->schema, schema) || strcmp(def->table, table)) continue;
		sys_handle *h = arena_zalloc(a, sizeof(sys_handle));
		h->index = i;
		h->base.schema = def->schema;
		h->base.table = def->table;
		h->base.ncols = def->ncols;
		h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)def->ncols);
		for (int j = 0; j < def->ncols; j++) {
			conn_column *col = &h->base.cols[j];
			col->name = def->cols[j].name;
			col->type = def->cols[j].type == TYPE_VARCHAR
			                ? ftype_varchar(-1)
			                : ftype_make(def->cols[j].type);
			col->nullable = true;
		}
		*out = &h->base;
		return NULL;
	}
	return NULL;
}

static ferr *sys_get_statistics(conn_catalog *c, const conn_table *t, arena *a,
                                conn_table_stats *out)
{
	memset(out, 0, sizeof *out);
	out->row_count = 10;
	return NULL;
}

/* The single varchar value a column domain allows, if that is what it says. */
static bool sys_domain_single(const conn_column_domain *cd, arena *a, const char **out)
{
	if (cd->all || cd->null_allowed || cd->nranges != 1) return false;
	const conn_range *r = &cd->ranges[0];
	if (r->low_unbounded || r->high_unbounded || !r->low_inclusive || !r->high_inclusive)
		return false;
	if (r->low.isnull || r->high.isnull) return false;
	const fstring *lo = &r->low.u.s, *hi = &r->high.u.s;
	if (lo->len != hi->len || memcmp(lo->ptr, hi->ptr, lo->len) != 0) return false;
	if (memchr(lo->ptr, '\0', lo->len))
		return false; /* no name holds NUL: leave it to the engine */
	*out = arena_strndup(a, lo->ptr, lo->len);
	return true;
}

/*
 * Equalities on the catalog/schema/table name columns narrow the listing
 * (a pinned catalog is the only one asked; a pinned table skips
 * list_tables). The engine still evaluates the whole filter: remaining is
 * always the domain given, so nothing here has to be exact.
 */
static ferr *sys_apply_filter(conn_catalog *c, const conn_table *t, const conn_domain *d, arena *a,
                              conn_table **out, conn_domain **remaining)
{
	const sys_handle *h = (const sys_handle *)t;
	const sys_table_def *def = &tables[h->index];
	conn_domain *rest = arena_alloc(a, sizeof *rest);
	*rest = *d;
	*remaining = rest;
	*out = NULL;
	if (h->empty) return NULL;
	sys_handle nh = *h;
	bool changed = false;
	if (d->none) {
		nh.empty = true;
		changed = true;
	}
	for (int i = 0; i < d->ncols && !nh.empty; i++) {
		for (int k = 0; k < NKEYS; k++) {
			const char *v;
			if (def->key[k] < 0 || def->key[k] != d->cols[i].column) continue;
			if (!sys_domain_single(&d->cols[i], a, &v)) continue;
			if (!nh.pin[k]) {
				nh.pin[k] = v;
				changed = true;
			} else if (strcmp(nh.pin[k], v) != 0) {
				nh.empty = true; /* x = 'a' AND x = 'b' */
				changed = true;
			}
		}
	}
	if (!changed) return NULL;
	sys_handle *copy = arena_alloc(a, sizeof *copy);
	*copy = nh;
	*out = &copy->base;
	return NULL;
}

typedef struct sys_split {
	conn_split base;
} sys_split;

static ferr *sys_get_splits(conn_catalog *c, const conn_table *t, int desired, arena *a, int *n,
                            conn_split ***splits)
{
	sys_split *s = arena_zalloc(a, sizeof(sys_split));
	s->base.estimated_rows = 10;
	s->base.description = "system";
	*splits = arena_alloc(a, sizeof(conn_split *));
	(*splits)[0] = &s->base;
	*n = 1;
	return NULL;
}

/* ---- page source ---- */

/* Rows made but not yet returned, as text values (NULL = SQL NULL). */
typedef struct sys_pending {
	arena *a;
	const char **vals; /* rows * ncols, table column order */
	int rows, cap, off;
} sys_pending;

typedef struct sys_source {
	conn_page_source base;
	const sys_handle *h;
	const sys_table_def *def;
	int ncols;
	int *cols;
	arena *a; /* the source's own memory (open_page_source's arena) */
	sys_pending pend;
	bool done;
	/* listing cursor of the jdbc tables */
	bool started;
	const char **cats;
	int ncats, ci;
	conn_catalog *cat; /* acquired while its rows are being listed */
	const char *catname;
	arena *cat_arena; /* the current catalog's schema and table lists */
	const char **schemas;
	int nschemas, si;
	const char **tabs; /* tables of schemas[si]; NULL = not listed yet */
	int ntabs, ti;
	arena *tmp; /* one table's metadata, reset per table */
} sys_source;

static const char **sys_row(sys_source *s)
{
	sys_pending *p = &s->pend;
	int nc = s->def->ncols;
	if (p->rows == p->cap) {
		int ncap = p->cap ? p->cap * 2 : 64;
		p->vals = arena_realloc(p->a, p->vals, sizeof(char *) * (size_t)(p->cap * nc),
		                        sizeof(char *) * (size_t)(ncap * nc));
		p->cap = ncap;
	}
	const char **row = &p->vals[(size_t)p->rows * nc];
	memset(row, 0, sizeof(char *) * (size_t)nc);
	p->rows++;
	return row;
}

static const char *sys_str(sys_source *s, const char *v)
{
	return v ? arena_strdup(s->pend.a, v) : NULL;
}

static const char *sys_num(sys_source *s, long v)
{
	return v == SYS_NONE ? NULL : arena_sprintf(s->pend.a, "%ld", v);
}

/*
 * Before more rows are made, move the ones not yet returned to a fresh
 * arena so memory stays proportional to one batch, not to the listing.
 */
static void sys_pending_compact(sys_source *s)
{
	sys_pending *p = &s->pend;
	if (p->off == 0) return;
	sys_pending old = *p;
	int nc = s->def->ncols;
	p->a = arena_create(s->a, "system pending");
	p->vals = NULL;
	p->rows = p->cap = p->off = 0;
	for (int r = old.off; r < old.rows; r++) {
		const char **row = sys_row(s);
		for (int j = 0; j < nc; j++)
			row[j] = sys_str(s, old.vals[(size_t)r * nc + j]);
	}
	arena_destroy(old.a);
}

/*
 * A metadata call of a catalog failed. When the query named the object
 * (a pinned name) the answer would be wrong without it: fail. A catalog
 * met only while sweeping all of them is skipped with a warning, so one
 * source that is down does not hide every other catalog from a client's
 * metadata browser (the trade-off discussed in trinodb/trino#1173).
 */
static ferr *sys_skip_or_fail(sys_source *s, ferr *e, bool named, const char *what)
{
	if (named) return ferr_prefix(e, "%s", what);
	log_warn("system.%s.%s: skipping %s: %s (SQLSTATE %s)", s->def->schema, s->def->table, what,
	         e->message, e->sqlstate);
	ferr_free(e);
	return NULL;
}

static void sys_end_catalog(sys_source *s)
{
	if (s->cat) catalogs_release(s->cat);
	s->cat = NULL;
	if (s->cat_arena) arena_destroy(s->cat_arena);
	s->cat_arena = NULL;
	s->schemas = NULL;
	s->tabs = NULL;
}

/* Keep the names equal to pin (all when pin is NULL), in place. */
static int sys_filter_names(const char **names, int n, const char *pin)
{
	if (!pin) return n;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], pin) == 0) names[k++] = names[i];
	return k;
}

static void sys_emit_columns(sys_source *s, const char *schema, const char *table,
                             const conn_table *t)
{
	strbuf sb = STRBUF_INIT;
	long ordinal = 1;
	for (int i = 0; i < t->ncols; i++) {
		const conn_column *col = &t->cols[i];
		if (col->hidden) continue;
		sb_reset(&sb);
		ftype_format(col->type, &sb);
		const char **row = sys_row(s);
		row[0] = sys_str(s, s->catname);
		row[1] = sys_str(s, schema);
		row[2] = sys_str(s, table);
		row[3] = sys_str(s, col->name);
		row[4] = sys_num(s, sys_jdbc_data_type(col->type));
		row[5] = sys_str(s, sb.data ? sb.data : "");
		row[6] = sys_num(s, sys_column_size(col->type));
		row[7] = sys_num(s, 0); /* buffer_length */
		row[8] = sys_num(s, sys_decimal_digits(col->type));
		row[9] = sys_num(s, sys_num_prec_radix(col->type));
		/* The SPI's nullable defaults to false whether or not a source knows:
		 * report "unknown" like Trino rather than a wrong NOT NULL. */
		row[10] = sys_num(s, JDBC_COLUMN_NULLABLE_UNKNOWN);
		row[11] = sys_str(s, col->comment);
		row[15] = sys_num(s, sys_char_octet_length(col->type));
		row[16] = sys_num(s, ordinal++);
		row[17] = sys_str(s, "");
	}
	sb_free(&sb);
}

/* One unit of listing work: at most one metadata call of a catalog. */
static ferr *sys_step(sys_source *s)
{
	const sys_handle *h = s->h;
	const sys_level level = s->def->level;
	const bool cat_named = h->pin[KEY_CATALOG] != NULL;

	if (!s->started) {
		s->started = true;
		s->ncats = catalogs_list(s->a, &s->cats);
		s->ncats = sys_filter_names(s->cats, s->ncats, h->pin[KEY_CATALOG]);
		return NULL;
	}
	if (!s->cat) {
		if (s->ci >= s->ncats) {
			s->done = true;
			return NULL;
		}
		s->catname = s->cats[s->ci++];
		if (level == SYS_CATALOGS) {
			sys_row(s)[0] = sys_str(s, s->catname);
			return NULL;
		}
		s->cat = catalogs_acquire(s->catname);
		if (!s->cat) return NULL; /* dropped since catalogs_list */
		s->cat_arena = arena_create(s->a, "system catalog");
		s->si = 0;
		ferr *e =
		    s->cat->ops->list_schemas(s->cat, s->cat_arena, &s->nschemas, &s->schemas);
		if (e) {
			sys_end_catalog(s);
			return sys_skip_or_fail(
			    s, e, cat_named,
			    arena_sprintf(s->a, "catalog \"%s\"", s->cats[s->ci - 1]));
		}
		s->nschemas = sys_filter_names(s->schemas, s->nschemas, h->pin[KEY_SCHEMA]);
		if (level == SYS_SCHEMAS) {
			for (int i = 0; i < s->nschemas; i++) {
				const char **row = sys_row(s);
				row[0] = sys_str(s, s->schemas[i]);
				row[1] = sys_str(s, s->catname);
			}
			sys_end_catalog(s);
		}
		return NULL;
	}
	if (!s->tabs) {
		if (s->si >= s->nschemas) {
			sys_end_catalog(s);
			return NULL;
		}
		const char *schema = s->schemas[s->si];
		s->ti = 0;
		if (level == SYS_COLUMNS && h->pin[KEY_TABLE]) {
			/* a named table: get_table answers alone */
			s->tabs = arena_alloc(s->cat_arena, sizeof(char *));
			s->tabs[0] = h->pin[KEY_TABLE];
			s->ntabs = 1;
			return NULL;
		}
		if (!s->cat->ops->list_tables) {
			s->si++;
			return NULL;
		}
		ferr *e =
		    s->cat->ops->list_tables(s->cat, schema, s->cat_arena, &s->ntabs, &s->tabs);
		if (e) {
			s->tabs = NULL;
			s->si++;
			return sys_skip_or_fail(
			    s, e, cat_named,
			    arena_sprintf(s->a, "schema \"%s.%s\"", s->catname, schema));
		}
		s->ntabs = sys_filter_names(s->tabs, s->ntabs, h->pin[KEY_TABLE]);
		if (level == SYS_TABLES) {
			for (int i = 0; i < s->ntabs; i++) {
				const char **row = sys_row(s);
				row[0] = sys_str(s, s->catname);
				row[1] = sys_str(s, schema);
				row[2] = sys_str(s, s->tabs[i]);
				row[3] = sys_str(s, "TABLE");
			}
			s->tabs = NULL;
			s->si++;
		}
		return NULL;
	}
	/* SYS_COLUMNS: one table's columns */
	if (s->ti >= s->ntabs) {
		s->tabs = NULL;
		s->si++;
		return NULL;
	}
	const char *schema = s->schemas[s->si];
	const char *table = s->tabs[s->ti++];
	conn_table *t = NULL;
	arena_reset(s->tmp);
	ferr *e = s->cat->ops->get_table(s->cat, schema, table, s->tmp, &t);
	if (e)
		return sys_skip_or_fail(
		    s, e, h->pin[KEY_TABLE] != NULL,
		    arena_sprintf(s->a, "table \"%s.%s.%s\"", s->catname, schema, table));
	if (t) sys_emit_columns(s, schema, table, t);
	return NULL;
}

/* A provider table: all its rows at once (they are few). */
static ferr *sys_step_provider(sys_source *s)
{
	const sys_table_def *def = s->def;
	system_provider fn = def->builtin;
	if (!fn) {
		pthread_mutex_lock(&provider_lock);
		fn = providers[s->h->index];
		pthread_mutex_unlock(&provider_lock);
	}
	s->done = true;
	if (!fn) return NULL;
	system_rows rows = {0, def->ncols, NULL};
	arena_reset(s->tmp);
	TRY(fn(s->tmp, &rows));
	if (rows.ncols != def->ncols)
		return ferr_new(SQLSTATE_INTERNAL_ERROR,
		                "system.%s.%s: provider returned %d columns, not %d", def->schema,
		                def->table, rows.ncols, def->ncols);
	for (int r = 0; r < rows.nrows; r++) {
		const char **row = sys_row(s);
		for (int j = 0; j < def->ncols; j++)
			row[j] = sys_str(s, rows.values[r * def->ncols + j]);
	}
	return NULL;
}

static ferr *sys_next(conn_page_source *src, arena *a, batch **out)
{
	sys_source *s = (sys_source *)src;
	*out = NULL;
	sys_pending *p = &s->pend;
	if (p->rows - p->off < BATCH_CAPACITY && !s->done) {
		sys_pending_compact(s);
		for (int budget = SYS_STEPS_PER_BATCH;
		     budget > 0 && !s->done && p->rows < BATCH_CAPACITY; budget--)
			TRY(s->def->level == SYS_PROVIDER ? sys_step_provider(s) : sys_step(s));
	}
	int n = p->rows - p->off;
	if (n > BATCH_CAPACITY) n = BATCH_CAPACITY;
	if (n == 0 && s->done) return NULL;

	ftype types[SYS_MAX_COLS];
	for (int j = 0; j < s->ncols; j++)
		types[j] = s->h->base.cols[s->cols[j]].type;
	int cap = n > 0 ? n : 1;
	batch *b = batch_create(a, s->ncols, types, cap);
	int nc = s->def->ncols;
	for (int r = 0; r < n; r++) {
		const char **row = &p->vals[(size_t)(p->off + r) * nc];
		for (int j = 0; j < s->ncols; j++) {
			vector *v = &b->cols[j];
			const char *text = row[s->cols[j]];
			if (!text) {
				vector_set_null(v, a, r, cap);
				continue;
			}
			TRY(value_in_text(v->type, text, strlen(text), a, vector_at(v, r)));
		}
	}
	b->count = n; /* 0 when the listing is still under way: the driver checks its quantum */
	p->off += n;
	*out = b;
	return NULL;
}

static void sys_close(conn_page_source *src)
{
	sys_source *s = (sys_source *)src;
	sys_end_catalog(s);
	if (s->tmp) arena_destroy(s->tmp);
	s->tmp = NULL;
	if (s->pend.a) arena_destroy(s->pend.a);
	s->pend.a = NULL;
	s->done = true;
}

static int64_t sys_bytes(conn_page_source *src)
{
	return 0;
}

static const conn_page_source_ops sys_source_ops = {sys_next, sys_close, sys_bytes};

static ferr *sys_open(conn_catalog *c, const conn_table *t, const conn_split *split, int ncols,
                      const int *cols, arena *a, conn_page_source **out)
{
	const sys_handle *h = (const sys_handle *)t;
	const sys_table_def *def = &tables[h->index];
	if (ncols < 0 || ncols > SYS_MAX_COLS)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "system scan of %d columns", ncols);
	for (int j = 0; j < ncols; j++)
		if (cols[j] < 0 || cols[j] >= def->ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "system.%s.%s has no column %d",
			                def->schema, def->table, cols[j]);
	sys_source *s = arena_zalloc(a, sizeof(sys_source));
	s->base.ops = &sys_source_ops;
	s->h = h;
	s->def = def;
	s->ncols = ncols;
	s->cols = arena_alloc(a, sizeof(int) * (size_t)(ncols + 1));
	if (ncols) memcpy(s->cols, cols, sizeof(int) * (size_t)ncols);
	s->a = a;
	s->pend.a = arena_create(a, "system pending");
	s->tmp = arena_create(a, "system table");
	s->done = h->empty;
	*out = &s->base;
	return NULL;
}

static void sys_explain(conn_catalog *c, const conn_table *t, strbuf *out)
{
	const sys_handle *h = (const sys_handle *)t;
	static const char *const key_names[NKEYS] = {"catalog", "schema", "table"};
	sb_printf(out, "system:%s:%s", t->schema, t->table);
	if (h->empty) sb_puts(out, " (no rows)");
	for (int k = 0; k < NKEYS; k++)
		if (h->pin[k]) sb_printf(out, " %s=%s", key_names[k], h->pin[k]);
}

static json_t *sys_table_json(conn_catalog *c, const conn_table *t)
{
	const sys_handle *h = (const sys_handle *)t;
	json_t *j = json_pack("{s:s,s:s,s:b}", "schema", t->schema, "table", t->table, "empty",
	                      (int)h->empty);
	if (!j) return NULL;
	if (h->pin[KEY_CATALOG])
		json_object_set_new(j, "catalog_pin", json_string(h->pin[KEY_CATALOG]));
	if (h->pin[KEY_SCHEMA])
		json_object_set_new(j, "schema_pin", json_string(h->pin[KEY_SCHEMA]));
	if (h->pin[KEY_TABLE]) json_object_set_new(j, "table_pin", json_string(h->pin[KEY_TABLE]));
	return j;
}

static json_t *sys_split_json(conn_catalog *c, const conn_split *s)
{
	return json_object();
}

static void sys_destroy(conn_catalog *c)
{
	free(c);
}

static const conn_catalog_ops sys_ops = {
    .list_schemas = sys_list_schemas,
    .list_tables = sys_list_tables,
    .get_table = sys_get_table,
    .get_statistics = sys_get_statistics,
    .apply_filter = sys_apply_filter,
    .get_splits = sys_get_splits,
    .open_page_source = sys_open,
    .explain = sys_explain,
    .table_to_json = sys_table_json,
    .split_to_json = sys_split_json,
    .destroy = sys_destroy,
};

static ferr *sys_create(const char *name, const props *p, conn_catalog **out)
{
	conn_catalog *c = xcalloc(1, sizeof(conn_catalog));
	c->ops = &sys_ops;
	c->name = name;
	c->connector = "system";
	*out = c;
	return NULL;
}

const conn_factory system_connector_factory = {"system", sys_create};
