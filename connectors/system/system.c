/*
 * system.c — the system connector: small tables describing the node
 * itself. Every table is materialized when a scan opens (they are tiny) as
 * text values converted through the type table, so the output is exactly
 * what the type's text input would accept.
 */
#include "connectors/system/system.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"

typedef struct sys_table_def {
	const char *schema;
	const char *table;
	int ncols;
	const char *colnames[8];
	type_id coltypes[8];
	system_provider builtin; /* NULL: provider registered by the gateway */
} sys_table_def;

static ferr *catalogs_rows(arena *a, system_rows *out);

static sys_table_def tables[] = {
	{"metadata", "catalogs", 3, {"catalog_name", "connector_id", "connector_name"},
	 {TYPE_VARCHAR, TYPE_VARCHAR, TYPE_VARCHAR}, catalogs_rows},
	{"runtime", "nodes", 5, {"node_id", "http_uri", "node_version", "coordinator", "state"},
	 {TYPE_VARCHAR, TYPE_VARCHAR, TYPE_VARCHAR, TYPE_BOOL, TYPE_VARCHAR}, NULL},
	{"runtime", "queries", 7,
	 {"query_id", "state", "user", "source", "query", "created", "end"},
	 {TYPE_VARCHAR, TYPE_VARCHAR, TYPE_VARCHAR, TYPE_VARCHAR, TYPE_VARCHAR, TYPE_TIMESTAMPTZ,
	  TYPE_TIMESTAMPTZ},
	 NULL},
};
#define NTABLES ((int)(sizeof tables / sizeof tables[0]))

static system_provider providers[NTABLES];
static pthread_mutex_t provider_lock = PTHREAD_MUTEX_INITIALIZER;

void system_set_provider(const char *table, system_provider fn)
{
	pthread_mutex_lock(&provider_lock);
	for (int i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].schema, "runtime") == 0 && strcmp(tables[i].table, table) == 0)
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

typedef struct sys_handle {
	conn_table base;
	int index; /* into tables[] */
} sys_handle;

static ferr *sys_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	const char **out = arena_alloc(a, sizeof(char *) * 3);
	out[0] = "information_schema";
	out[1] = "metadata";
	out[2] = "runtime";
	/* information_schema is provided by the catalog emulation layer later;
	 * list only schemas that have tables here. */
	*names = out + 1;
	*n = 2;
	return NULL;
}

static ferr *sys_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                             const char ***names)
{
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
		if (strcmp(tables[i].schema, schema) || strcmp(tables[i].table, table)) continue;
		sys_handle *h = arena_zalloc(a, sizeof(sys_handle));
		h->index = i;
		h->base.schema = tables[i].schema;
		h->base.table = tables[i].table;
		h->base.ncols = tables[i].ncols;
		h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)tables[i].ncols);
		for (int j = 0; j < tables[i].ncols; j++) {
			h->base.cols[j].name = tables[i].colnames[j];
			h->base.cols[j].type = ftype_make(tables[i].coltypes[j]);
			if (tables[i].coltypes[j] == TYPE_VARCHAR) h->base.cols[j].type.length = -1;
			h->base.cols[j].nullable = true;
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

typedef struct sys_source {
	conn_page_source base;
	const sys_handle *h;
	int ncols;
	const int *cols;
	bool done;
} sys_source;

static ferr *sys_next(conn_page_source *src, arena *a, batch **out)
{
	sys_source *s = (sys_source *)src;
	*out = NULL;
	if (s->done) return NULL;
	s->done = true;
	const sys_table_def *def = &tables[s->h->index];
	system_provider fn = def->builtin;
	if (!fn) {
		pthread_mutex_lock(&provider_lock);
		fn = providers[s->h->index];
		pthread_mutex_unlock(&provider_lock);
	}
	system_rows rows = {0, def->ncols, NULL};
	if (fn) TRY(fn(a, &rows));
	ftype types[8];
	for (int j = 0; j < s->ncols; j++) types[j] = s->h->base.cols[s->cols[j]].type;
	int cap = rows.nrows > 0 ? rows.nrows : 1;
	batch *b = batch_create(a, s->ncols, types, cap);
	for (int r = 0; r < rows.nrows; r++) {
		for (int j = 0; j < s->ncols; j++) {
			vector *v = &b->cols[j];
			const char *text = rows.values[r * def->ncols + s->cols[j]];
			if (!text) {
				vector_set_null(v, a, r, cap);
				continue;
			}
			TRY(value_in_text(v->type, text, strlen(text), a, vector_at(v, r)));
		}
	}
	b->count = rows.nrows;
	*out = b;
	return NULL;
}

static void sys_close(conn_page_source *src) {}
static int64_t sys_bytes(conn_page_source *src) { return 0; }

static const conn_page_source_ops sys_source_ops = {sys_next, sys_close, sys_bytes};

static ferr *sys_open(conn_catalog *c, const conn_table *t, const conn_split *split, int ncols,
                      const int *cols, arena *a, conn_page_source **out)
{
	if (ncols > 8) return ferr_new(SQLSTATE_INTERNAL_ERROR, "too many columns");
	sys_source *s = arena_zalloc(a, sizeof(sys_source));
	s->base.ops = &sys_source_ops;
	s->h = (const sys_handle *)t;
	s->ncols = ncols;
	s->cols = cols;
	*out = &s->base;
	return NULL;
}

static void sys_explain(conn_catalog *c, const conn_table *t, strbuf *out)
{
	sb_printf(out, "system:%s:%s", t->schema, t->table);
}

static json_t *sys_table_json(conn_catalog *c, const conn_table *t)
{
	return json_pack("{s:s,s:s}", "schema", t->schema, "table", t->table);
}

static json_t *sys_split_json(conn_catalog *c, const conn_split *s) { return json_object(); }

static void sys_destroy(conn_catalog *c) { free(c); }

static const conn_catalog_ops sys_ops = {
	.list_schemas = sys_list_schemas,
	.list_tables = sys_list_tables,
	.get_table = sys_get_table,
	.get_statistics = sys_get_statistics,
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
