/*
 * memory.c — the `memory` connector: schemas, tables and views held in this
 * process, for scratch work and tests (Trino's memory connector).
 *
 * Table data is an immutable, reference-counted version (mem_data): a list
 * of chunks, each an arena of compacted batches. A write builds new chunks
 * privately and its commit publishes a new version under the catalog lock,
 * so readers never see half a statement. Scans pin the version they were
 * split on; a scan that starts after a newer version was published fails
 * with 40001 instead of mixing versions. Nothing here may block on I/O.
 */
#include "connectors/memory/memory.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Below this many rows, chunks are merged at commit (many one-row INSERTs). */
#define SMALL_CHUNK_ROWS 1024
#define MAX_SMALL_CHUNKS 16

typedef struct mem_chunk {
	atomic_int refs;
	arena *a;
	int nbatches, cap;
	batch **batches;
	int64_t rows;
} mem_chunk;

typedef struct mem_data {
	atomic_int refs;
	uint64_t version;
	int nchunks;
	mem_chunk **chunks;
	int64_t rows;
	int64_t bytes;
} mem_data;

typedef struct mem_table {
	uint64_t id;
	char *name;
	int ncols;
	conn_column *cols; /* names/comments in a */
	arena *a;          /* the definition */
	int npk;           /* primary key columns, enforced at commit (23505) */
	int *pk;
	mem_data *data;
	/* a view instead of a table when view_sql != NULL */
	char *view_sql, *view_catalog, *view_schema;
	struct mem_table *next;
} mem_table;

typedef struct mem_schema {
	char *name;
	mem_table *tables;
	struct mem_schema *next;
} mem_schema;

typedef struct mem_catalog {
	conn_catalog base;
	pthread_mutex_t mu;
	mem_schema *schemas;
	uint64_t next_id, next_version;
	int64_t max_bytes, used_bytes;
} mem_catalog;

typedef struct mem_handle {
	conn_table base;
	uint64_t id;
} mem_handle;

typedef struct mem_split {
	conn_split base;
	uint64_t id, version;
	int lo, hi; /* chunks [lo, hi) */
} mem_split;

typedef struct mem_write {
	conn_write base;
	mem_catalog *mc;
	arena *a;
	conn_write_mode mode;
	uint64_t id;            /* target table; 0 for CREATE TABLE AS */
	uint64_t base_version;  /* REPLACE: the version the statement read */
	conn_table_def *def;    /* CREATE TABLE AS */
	pthread_mutex_t mu;
	int nchunks, cap;
	mem_chunk **chunks; /* finished sinks' data */
	int64_t bytes;
} mem_write;

typedef struct mem_sink {
	conn_page_sink base;
	mem_write *w;
	mem_chunk *chunk;
	batch *cur;
	ftype *types;
	int ncols;
} mem_sink;

typedef struct mem_source {
	conn_page_source base;
	mem_data *data;
	int chunk, hi, batch;
	int ncols;
	int *cols;
	int64_t bytes;
} mem_source;

/* ---- chunks and versions ---- */

static mem_chunk *chunk_new(void)
{
	mem_chunk *ch = xcalloc(1, sizeof *ch);
	atomic_init(&ch->refs, 1);
	ch->a = arena_create(NULL, "memory connector chunk");
	return ch;
}

static void chunk_add(mem_chunk *ch, batch *b)
{
	if (ch->nbatches == ch->cap) {
		ch->cap = ch->cap ? ch->cap * 2 : 8;
		ch->batches = xrealloc(ch->batches, sizeof(batch *) * (size_t)ch->cap);
	}
	ch->batches[ch->nbatches++] = b;
	ch->rows += b->count;
}

static void chunk_unref(mem_chunk *ch)
{
	if (!ch || atomic_fetch_sub(&ch->refs, 1) != 1) return;
	arena_destroy(ch->a);
	free(ch->batches);
	free(ch);
}

static int64_t chunk_bytes(const mem_chunk *ch) { return (int64_t)arena_total_bytes(ch->a); }

static mem_data *data_new(uint64_t version, int nchunks)
{
	mem_data *d = xcalloc(1, sizeof *d);
	atomic_init(&d->refs, 1);
	d->version = version;
	d->chunks = xcalloc((size_t)(nchunks > 0 ? nchunks : 1), sizeof(mem_chunk *));
	return d;
}

static void data_push(mem_data *d, mem_chunk *ch)
{
	atomic_fetch_add(&ch->refs, 1);
	d->chunks[d->nchunks++] = ch;
	d->rows += ch->rows;
	d->bytes += chunk_bytes(ch);
}

static void data_unref(mem_data *d)
{
	if (!d || atomic_fetch_sub(&d->refs, 1) != 1) return;
	for (int i = 0; i < d->nchunks; i++) chunk_unref(d->chunks[i]);
	free(d->chunks);
	free(d);
}

/* One chunk holding the rows of several small ones, in order. */
static mem_chunk *chunk_merge(mem_chunk **chs, int n, int ncols, const ftype *types)
{
	mem_chunk *m = chunk_new();
	batch *cur = NULL;
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < chs[i]->nbatches; j++) {
			const batch *src = chs[i]->batches[j];
			for (int first = 0; first < src->count;) {
				if (!cur || cur->count == cur->capacity) {
					cur = batch_create(m->a, ncols, types, BATCH_CAPACITY);
					chunk_add(m, cur);
				}
				int took = batch_append(cur, src, first);
				m->rows += took;
				first += took;
			}
		}
	}
	return m;
}

/* ---- lookup (catalog lock held) ---- */

static mem_schema *find_schema(mem_catalog *mc, const char *name)
{
	for (mem_schema *s = mc->schemas; s; s = s->next)
		if (strcmp(s->name, name) == 0) return s;
	return NULL;
}

static mem_table *find_table(mem_schema *s, const char *name)
{
	for (mem_table *t = s ? s->tables : NULL; t; t = t->next)
		if (strcmp(t->name, name) == 0) return t;
	return NULL;
}

static mem_table *find_by_id(mem_catalog *mc, uint64_t id, mem_schema **owner)
{
	for (mem_schema *s = mc->schemas; s; s = s->next)
		for (mem_table *t = s->tables; t; t = t->next)
			if (t->id == id) {
				if (owner) *owner = s;
				return t;
			}
	return NULL;
}

static mem_schema *schema_add(mem_catalog *mc, const char *name)
{
	mem_schema *s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	mem_schema **pp = &mc->schemas;
	while (*pp) pp = &(*pp)->next;
	*pp = s;
	return s;
}

static void table_free(mem_catalog *mc, mem_table *t)
{
	if (t->data) mc->used_bytes -= t->data->bytes;
	data_unref(t->data);
	arena_destroy(t->a);
	free(t->name);
	free(t->view_sql);
	free(t->view_catalog);
	free(t->view_schema);
	free(t);
}

static void table_unlink(mem_schema *s, mem_table *t)
{
	for (mem_table **pp = &s->tables; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			return;
		}
}

static mem_table *table_new(mem_catalog *mc, mem_schema *s, const char *name, int ncols,
                            const conn_column *cols)
{
	mem_table *t = xcalloc(1, sizeof *t);
	t->id = ++mc->next_id;
	t->name = xstrdup(name);
	t->a = arena_create(NULL, "memory table");
	t->ncols = ncols;
	t->cols = arena_zalloc(t->a, sizeof(conn_column) * (size_t)(ncols + 1));
	for (int i = 0; i < ncols; i++) {
		t->cols[i] = cols[i];
		t->cols[i].name = arena_strdup(t->a, cols[i].name);
		t->cols[i].comment = cols[i].comment ? arena_strdup(t->a, cols[i].comment) : NULL;
	}
	t->next = s->tables;
	s->tables = t;
	return t;
}

static ferr *check_columns(const conn_table_def *def)
{
	if (def->ncols == 0)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "memory connector tables need at least one column");
	for (int i = 0; i < def->ncols; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(def->cols[i].name, def->cols[j].name) == 0)
				return ferr_new(SQLSTATE_DUPLICATE_COLUMN,
				                "column \"%s\" specified more than once", def->cols[i].name);
	if (def->nprops > 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "memory connector tables take no property \"%s\"", def->prop_names[0]);
	return NULL;
}

/* 42P07 unless the name is free in s (tables and views share it). */
static ferr *name_free(mem_schema *s, const char *schema, const char *name)
{
	mem_table *t = find_table(s, name);
	if (!t) return NULL;
	return ferr_new(SQLSTATE_DUPLICATE_TABLE, "relation \"%s.%s\" already exists", schema, name);
}

static ferr *no_schema(const char *name)
{
	return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", name);
}

/* ---- metadata ---- */

static ferr *mem_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	int k = 0;
	for (mem_schema *s = mc->schemas; s; s = s->next) k++;
	const char **out = arena_zalloc(a, sizeof(char *) * (size_t)(k + 1));
	k = 0;
	for (mem_schema *s = mc->schemas; s; s = s->next) out[k++] = arena_strdup(a, s->name);
	pthread_mutex_unlock(&mc->mu);
	*n = k;
	*names = out;
	return NULL;
}

static ferr *mem_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                             const char ***names)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	mem_schema *s = find_schema(mc, schema);
	int k = 0;
	for (mem_table *t = s ? s->tables : NULL; t; t = t->next) k++;
	const char **out = arena_zalloc(a, sizeof(char *) * (size_t)(k + 1));
	/* oldest first: the list is kept newest first */
	int i = k;
	for (mem_table *t = s ? s->tables : NULL; t; t = t->next) out[--i] = arena_strdup(a, t->name);
	pthread_mutex_unlock(&mc->mu);
	*n = k;
	*names = out;
	return NULL;
}

static conn_table *handle_of(const mem_table *t, const char *schema, arena *a)
{
	mem_handle *h = arena_zalloc(a, sizeof *h);
	h->id = t->id;
	h->base.schema = arena_strdup(a, schema);
	h->base.table = arena_strdup(a, t->name);
	h->base.ncols = t->ncols;
	if (t->npk) {
		int *pk = arena_alloc(a, sizeof(int) * (size_t)t->npk);
		memcpy(pk, t->pk, sizeof(int) * (size_t)t->npk);
		h->base.npk = t->npk;
		h->base.pk = pk;
	}
	h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)(t->ncols + 1));
	for (int i = 0; i < t->ncols; i++) {
		h->base.cols[i] = t->cols[i];
		h->base.cols[i].name = arena_strdup(a, t->cols[i].name);
		if (t->cols[i].comment) h->base.cols[i].comment = arena_strdup(a, t->cols[i].comment);
	}
	return &h->base;
}

static ferr *mem_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                           conn_table **out)
{
	mem_catalog *mc = (mem_catalog *)c;
	*out = NULL;
	pthread_mutex_lock(&mc->mu);
	mem_table *t = find_table(find_schema(mc, schema), table);
	if (t && !t->view_sql) *out = handle_of(t, schema, a);
	pthread_mutex_unlock(&mc->mu);
	return NULL;
}

static ferr *mem_get_statistics(conn_catalog *c, const conn_table *t, arena *a,
                                conn_table_stats *out)
{
	mem_catalog *mc = (mem_catalog *)c;
	memset(out, 0, sizeof *out);
	out->row_count = -1;
	pthread_mutex_lock(&mc->mu);
	mem_table *mt = find_by_id(mc, ((const mem_handle *)t)->id, NULL);
	if (mt && mt->data) out->row_count = (double)mt->data->rows;
	else if (mt) out->row_count = 0;
	pthread_mutex_unlock(&mc->mu);
	return NULL;
}

static ferr *dropped(const conn_table *t)
{
	return ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s.%s\" does not exist", t->schema,
	                t->table);
}

/* ---- scans ---- */

static ferr *mem_get_splits(conn_catalog *c, const conn_table *t, int desired, arena *a, int *n,
                            conn_split ***splits)
{
	mem_catalog *mc = (mem_catalog *)c;
	const mem_handle *h = (const mem_handle *)t;
	pthread_mutex_lock(&mc->mu);
	mem_table *mt = find_by_id(mc, h->id, NULL);
	if (!mt) {
		pthread_mutex_unlock(&mc->mu);
		return dropped(t);
	}
	uint64_t version = mt->data ? mt->data->version : 0;
	int nchunks = mt->data ? mt->data->nchunks : 0;
	int64_t rows = mt->data ? mt->data->rows : 0;
	pthread_mutex_unlock(&mc->mu);
	if (desired < 1) desired = 1;
	int k = nchunks < desired ? nchunks : desired;
	conn_split **out = arena_zalloc(a, sizeof(conn_split *) * (size_t)(k + 1));
	for (int i = 0; i < k; i++) {
		mem_split *s = arena_zalloc(a, sizeof *s);
		s->id = h->id;
		s->version = version;
		s->lo = (int)((int64_t)nchunks * i / k);
		s->hi = (int)((int64_t)nchunks * (i + 1) / k);
		s->base.estimated_rows = rows / (k ? k : 1);
		s->base.description =
		    arena_sprintf(a, "memory %s.%s chunks %d-%d", t->schema, t->table, s->lo, s->hi - 1);
		out[i] = &s->base;
	}
	*n = k;
	*splits = out;
	return NULL;
}

static ferr *source_next(conn_page_source *src, arena *a, batch **out)
{
	mem_source *s = (mem_source *)src;
	*out = NULL;
	while (s->chunk < s->hi) {
		mem_chunk *ch = s->data->chunks[s->chunk];
		if (s->batch >= ch->nbatches) {
			s->chunk++;
			s->batch = 0;
			continue;
		}
		const batch *b = ch->batches[s->batch++];
		/* a view of the requested columns, deep-copied: the chunk may go once
		 * the source is closed, while the batch still travels */
		batch v = {.ncols = s->ncols, .count = b->count, .capacity = b->capacity};
		vector cols[s->ncols > 0 ? s->ncols : 1];
		for (int i = 0; i < s->ncols; i++) cols[i] = b->cols[s->cols[i]];
		v.cols = cols;
		if (s->ncols == 0) {
			*out = batch_create(a, 0, NULL, b->count);
			(*out)->count = b->count;
		} else {
			*out = batch_compact(a, &v);
		}
		s->bytes += (int64_t)arena_bytes(a);
		return NULL;
	}
	return NULL;
}

static void source_close(conn_page_source *src)
{
	mem_source *s = (mem_source *)src;
	data_unref(s->data);
	free(s->cols);
	free(s);
}

static int64_t source_bytes(conn_page_source *src) { return ((mem_source *)src)->bytes; }

static const conn_page_source_ops source_ops = {source_next, source_close, source_bytes};

static ferr *mem_open_page_source(conn_catalog *c, const conn_table *t, const conn_split *split,
                                  int ncols, const int *cols, arena *a, conn_page_source **out)
{
	mem_catalog *mc = (mem_catalog *)c;
	const mem_split *sp = (const mem_split *)split;
	pthread_mutex_lock(&mc->mu);
	mem_table *mt = find_by_id(mc, sp->id, NULL);
	mem_data *d = mt ? mt->data : NULL;
	uint64_t now = d ? d->version : 0;
	if (mt && now == sp->version && d) atomic_fetch_add(&d->refs, 1);
	pthread_mutex_unlock(&mc->mu);
	if (!mt) return dropped(t);
	if (now != sp->version)
		return ferr_new(SQLSTATE_SERIALIZATION_FAILURE,
		                "could not serialize access: table %s.%s was changed by a concurrent "
		                "statement during this scan",
		                t->schema, t->table);
	mem_source *s = xcalloc(1, sizeof *s);
	s->base.ops = &source_ops;
	s->data = d;
	s->chunk = d ? sp->lo : 0;
	s->hi = d ? sp->hi : 0;
	s->ncols = ncols;
	s->cols = xcalloc((size_t)(ncols > 0 ? ncols : 1), sizeof(int));
	memcpy(s->cols, cols, sizeof(int) * (size_t)ncols);
	*out = &s->base;
	return NULL;
}

/* ---- DDL ---- */

static ferr *mem_create_schema(conn_catalog *c, const char *schema, int nprops,
                               const char **prop_names, const char **prop_values)
{
	mem_catalog *mc = (mem_catalog *)c;
	if (nprops > 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "memory connector schemas take no property \"%s\"", prop_names[0]);
	pthread_mutex_lock(&mc->mu);
	ferr *e = NULL;
	if (find_schema(mc, schema))
		e = ferr_new(SQLSTATE_DUPLICATE_SCHEMA, "schema \"%s\" already exists", schema);
	else
		schema_add(mc, schema);
	pthread_mutex_unlock(&mc->mu);
	return e;
}

static ferr *mem_drop_schema(conn_catalog *c, const char *schema, bool cascade)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	ferr *e = NULL;
	mem_schema *s = find_schema(mc, schema);
	if (!s) {
		e = no_schema(schema);
	} else if (s->tables && !cascade) {
		e = ferr_new(SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
		             "cannot drop schema %s because other objects depend on it", schema);
		ferr_hint(e, "Use DROP ... CASCADE to drop the dependent objects too.");
	} else {
		while (s->tables) {
			mem_table *t = s->tables;
			s->tables = t->next;
			table_free(mc, t);
		}
		for (mem_schema **pp = &mc->schemas; *pp; pp = &(*pp)->next)
			if (*pp == s) {
				*pp = s->next;
				break;
			}
		free(s->name);
		free(s);
	}
	pthread_mutex_unlock(&mc->mu);
	return e;
}

static ferr *mem_create_table(conn_catalog *c, const conn_table_def *def)
{
	mem_catalog *mc = (mem_catalog *)c;
	TRY(check_columns(def));
	pthread_mutex_lock(&mc->mu);
	mem_schema *s = find_schema(mc, def->schema);
	ferr *e = s ? name_free(s, def->schema, def->table) : no_schema(def->schema);
	if (!e) {
		mem_table *t = table_new(mc, s, def->table, def->ncols, def->cols);
		if (def->npk) {
			t->pk = arena_alloc(t->a, sizeof(int) * (size_t)def->npk);
			memcpy(t->pk, def->pk, sizeof(int) * (size_t)def->npk);
			t->npk = def->npk;
		}
	}
	pthread_mutex_unlock(&mc->mu);
	return e;
}

static ferr *mem_drop_table(conn_catalog *c, const conn_table *t)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	mem_schema *s = NULL;
	mem_table *mt = find_by_id(mc, ((const mem_handle *)t)->id, &s);
	if (mt) {
		table_unlink(s, mt);
		table_free(mc, mt);
	}
	pthread_mutex_unlock(&mc->mu);
	return mt ? NULL : dropped(t);
}

/* ---- views ---- */

static ferr *mem_get_view(conn_catalog *c, const char *schema, const char *name, arena *a,
                          conn_view **out)
{
	mem_catalog *mc = (mem_catalog *)c;
	*out = NULL;
	pthread_mutex_lock(&mc->mu);
	mem_table *t = find_table(find_schema(mc, schema), name);
	if (t && t->view_sql) {
		conn_view *v = arena_zalloc(a, sizeof *v);
		v->sql = arena_strdup(a, t->view_sql);
		v->catalog = t->view_catalog ? arena_strdup(a, t->view_catalog) : NULL;
		v->schema = t->view_schema ? arena_strdup(a, t->view_schema) : NULL;
		conn_table *h = handle_of(t, schema, a);
		v->ncols = h->ncols;
		v->cols = h->cols;
		*out = v;
	}
	pthread_mutex_unlock(&mc->mu);
	return NULL;
}

static ferr *mem_create_view(conn_catalog *c, const char *schema, const char *name,
                             const conn_view *v, bool or_replace)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	ferr *e = NULL;
	mem_schema *s = find_schema(mc, schema);
	mem_table *old = find_table(s, name);
	if (!s) {
		e = no_schema(schema);
	} else if (old && !(or_replace && old->view_sql)) {
		e = old->view_sql || !or_replace
		        ? ferr_new(SQLSTATE_DUPLICATE_TABLE, "relation \"%s.%s\" already exists", schema,
		                   name)
		        : ferr_new(SQLSTATE_WRONG_OBJECT_TYPE, "\"%s\" is not a view", name);
	} else {
		if (old) {
			table_unlink(s, old);
			table_free(mc, old);
		}
		mem_table *t = table_new(mc, s, name, v->ncols, v->cols);
		t->view_sql = xstrdup(v->sql);
		t->view_catalog = v->catalog ? xstrdup(v->catalog) : NULL;
		t->view_schema = v->schema ? xstrdup(v->schema) : NULL;
	}
	pthread_mutex_unlock(&mc->mu);
	return e;
}

static ferr *mem_drop_view(conn_catalog *c, const char *schema, const char *name)
{
	mem_catalog *mc = (mem_catalog *)c;
	pthread_mutex_lock(&mc->mu);
	mem_schema *s = find_schema(mc, schema);
	mem_table *t = find_table(s, name);
	ferr *e = NULL;
	if (!t || !t->view_sql)
		e = ferr_new(t ? SQLSTATE_WRONG_OBJECT_TYPE : SQLSTATE_UNDEFINED_TABLE,
		             t ? "\"%s\" is not a view" : "view \"%s\" does not exist", name);
	else {
		table_unlink(s, t);
		table_free(mc, t);
	}
	pthread_mutex_unlock(&mc->mu);
	return e;
}

/* ---- writes ---- */

static mem_write *write_new(mem_catalog *mc, conn_write_mode mode)
{
	arena *a = arena_create(NULL, "memory connector write");
	mem_write *w = arena_zalloc(a, sizeof *w);
	w->a = a;
	w->mc = mc;
	w->mode = mode;
	pthread_mutex_init(&w->mu, NULL);
	return w;
}

static void write_free(mem_write *w)
{
	for (int i = 0; i < w->nchunks; i++) chunk_unref(w->chunks[i]);
	free(w->chunks);
	pthread_mutex_destroy(&w->mu);
	arena_destroy(w->a);
}

static ferr *mem_begin_create_table(conn_catalog *c, const conn_table_def *def, conn_write **out)
{
	mem_catalog *mc = (mem_catalog *)c;
	TRY(check_columns(def));
	pthread_mutex_lock(&mc->mu);
	mem_schema *s = find_schema(mc, def->schema);
	ferr *e = s ? name_free(s, def->schema, def->table) : no_schema(def->schema);
	pthread_mutex_unlock(&mc->mu);
	if (e) return e;
	mem_write *w = write_new(mc, CONN_WRITE_APPEND);
	conn_table_def *d = arena_zalloc(w->a, sizeof *d);
	*d = *def;
	d->schema = arena_strdup(w->a, def->schema);
	d->table = arena_strdup(w->a, def->table);
	mem_table tmp = {.name = (char *)d->table, .ncols = def->ncols, .cols = def->cols};
	w->def = d;
	w->base.table = handle_of(&tmp, d->schema, w->a);
	d->cols = w->base.table->cols;
	d->nprops = 0;
	*out = &w->base;
	return NULL;
}

static ferr *mem_begin_insert(conn_catalog *c, const conn_table *t, conn_write_mode mode,
                              conn_write **out)
{
	mem_catalog *mc = (mem_catalog *)c;
	const mem_handle *h = (const mem_handle *)t;
	pthread_mutex_lock(&mc->mu);
	mem_table *mt = find_by_id(mc, h->id, NULL);
	uint64_t version = mt && mt->data ? mt->data->version : 0;
	pthread_mutex_unlock(&mc->mu);
	if (!mt) return dropped(t);
	mem_write *w = write_new(mc, mode);
	w->id = h->id;
	w->base_version = version;
	mem_table tmp = {.name = (char *)t->table, .ncols = t->ncols, .cols = t->cols};
	w->base.table = handle_of(&tmp, t->schema, w->a);
	*out = &w->base;
	return NULL;
}

static ferr *over_limit(mem_catalog *mc)
{
	return ferr_new(SQLSTATE_OUT_OF_MEMORY,
	                "memory limit of catalog %s exceeded (memory.max-data-per-node = %lld bytes)",
	                mc->base.name, (long long)mc->max_bytes);
}

static ferr *sink_append(conn_page_sink *sk, const batch *b)
{
	mem_sink *s = (mem_sink *)sk;
	for (int first = 0; first < b->count;) {
		if (!s->cur || s->cur->count == s->cur->capacity) {
			s->cur = batch_create(s->chunk->a, s->ncols, s->types, BATCH_CAPACITY);
			chunk_add(s->chunk, s->cur);
		}
		int took = batch_append(s->cur, b, first);
		s->chunk->rows += took;
		first += took;
	}
	mem_catalog *mc = s->w->mc;
	pthread_mutex_lock(&mc->mu);
	bool over = mc->used_bytes + s->w->bytes + chunk_bytes(s->chunk) > mc->max_bytes;
	pthread_mutex_unlock(&mc->mu);
	return over ? over_limit(mc) : NULL;
}

static ferr *sink_finish(conn_page_sink *sk)
{
	mem_sink *s = (mem_sink *)sk;
	mem_write *w = s->w;
	pthread_mutex_lock(&w->mu);
	if (w->nchunks == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4;
		w->chunks = xrealloc(w->chunks, sizeof(mem_chunk *) * (size_t)w->cap);
	}
	w->chunks[w->nchunks++] = s->chunk;
	w->bytes += chunk_bytes(s->chunk);
	pthread_mutex_unlock(&w->mu);
	s->chunk = NULL; /* the write owns it now */
	return NULL;
}

static void sink_close(conn_page_sink *sk)
{
	mem_sink *s = (mem_sink *)sk;
	chunk_unref(s->chunk);
	free(s->types);
	free(s);
}

static const conn_page_sink_ops sink_ops = {sink_append, sink_finish, sink_close, sink_close};

static ferr *mem_open_page_sink(conn_catalog *c, conn_write *cw, conn_page_sink **out)
{
	mem_write *w = (mem_write *)cw;
	mem_sink *s = xcalloc(1, sizeof *s);
	s->base.ops = &sink_ops;
	s->w = w;
	s->chunk = chunk_new();
	s->ncols = cw->table->ncols;
	s->types = xcalloc((size_t)(s->ncols + 1), sizeof(ftype));
	for (int i = 0; i < s->ncols; i++) s->types[i] = cw->table->cols[i].type;
	*out = &s->base;
	return NULL;
}

/* The version a commit publishes: (old chunks unless REPLACE) + new chunks, small ones merged. */
static mem_data *next_data(mem_catalog *mc, const mem_data *old, mem_write *w, int ncols,
                           const ftype *types)
{
	int nold = (old && w->mode == CONN_WRITE_APPEND) ? old->nchunks : 0;
	mem_chunk **all = xcalloc((size_t)(nold + w->nchunks + 1), sizeof(mem_chunk *));
	int n = 0;
	for (int i = 0; i < nold; i++) all[n++] = old->chunks[i];
	for (int i = 0; i < w->nchunks; i++)
		if (w->chunks[i]->rows > 0) all[n++] = w->chunks[i];
	int nsmall = 0;
	for (int i = 0; i < n; i++) nsmall += all[i]->rows < SMALL_CHUNK_ROWS;
	mem_data *d = data_new(++mc->next_version, n);
	mem_chunk *merged = NULL;
	if (nsmall > MAX_SMALL_CHUNKS) {
		mem_chunk **small = xcalloc((size_t)nsmall, sizeof(mem_chunk *));
		int k = 0;
		for (int i = 0; i < n; i++)
			if (all[i]->rows < SMALL_CHUNK_ROWS) small[k++] = all[i];
		merged = chunk_merge(small, k, ncols, types);
		free(small);
	}
	for (int i = 0; i < n; i++)
		if (!merged || all[i]->rows >= SMALL_CHUNK_ROWS) data_push(d, all[i]);
	if (merged) {
		data_push(d, merged);
		chunk_unref(merged);
	}
	free(all);
	return d;
}

/* The key of one row, as PostgreSQL prints it in a unique violation's detail. */
static void key_text(const mem_table *t, const batch *b, int r, strbuf *out)
{
	sb_puts(out, "Key (");
	for (int k = 0; k < t->npk; k++) sb_printf(out, "%s%s", k ? ", " : "", t->cols[t->pk[k]].name);
	sb_puts(out, ")=(");
	for (int k = 0; k < t->npk; k++) {
		const vector *v = &b->cols[t->pk[k]];
		if (k) sb_puts(out, ", ");
		value_out_text(v->type, vector_at(v, r), NULL, out);
	}
	sb_puts(out, ") already exists.");
}

typedef struct key_slot {
	const batch *b;
	int row;
	uint64_t h;
} key_slot;

/* 23505 when two rows of d share a primary key value (checked at commit). */
static ferr *check_primary_key(const mem_table *t, const mem_data *d)
{
	if (!t->npk || !d || d->rows < 2) return NULL;
	size_t cap = 16;
	while (cap < (size_t)d->rows * 2) cap <<= 1;
	key_slot *tab = xcalloc(cap, sizeof *tab);
	ferr *e = NULL;
	for (int c = 0; c < d->nchunks && !e; c++) {
		const mem_chunk *ch = d->chunks[c];
		for (int j = 0; j < ch->nbatches && !e; j++) {
			const batch *b = ch->batches[j];
			for (int r = 0; r < b->count && !e; r++) {
				uint64_t h = 0x9e3779b97f4a7c15ULL;
				for (int k = 0; k < t->npk; k++)
					h = (h ^ value_hash(b->cols[t->pk[k]].type, vector_at(&b->cols[t->pk[k]], r))) *
					    0x100000001b3ULL;
				size_t i = h & (cap - 1);
				for (; tab[i].b; i = (i + 1) & (cap - 1)) {
					if (tab[i].h != h) continue;
					bool same = true;
					for (int k = 0; k < t->npk && same; k++) {
						const vector *x = &tab[i].b->cols[t->pk[k]], *y = &b->cols[t->pk[k]];
						same = value_compare(x->type, vector_at(x, tab[i].row), vector_at(y, r)) == 0;
					}
					if (!same) continue;
					e = ferr_new(SQLSTATE_UNIQUE_VIOLATION,
					             "duplicate key value violates unique constraint \"%s_pkey\"", t->name);
					strbuf sb = STRBUF_INIT;
					key_text(t, b, r, &sb);
					ferr_detail(e, "%s", sb.data);
					sb_free(&sb);
					break;
				}
				tab[i] = (key_slot){b, r, h};
			}
		}
	}
	free(tab);
	return e;
}

static ferr *mem_finish_write(conn_catalog *c, conn_write *cw)
{
	mem_catalog *mc = (mem_catalog *)c;
	mem_write *w = (mem_write *)cw;
	const conn_table *t = cw->table;
	ftype types[t->ncols > 0 ? t->ncols : 1];
	for (int i = 0; i < t->ncols; i++) types[i] = t->cols[i].type;
	ferr *e = NULL;
	pthread_mutex_lock(&mc->mu);
	mem_table *mt = NULL;
	if (w->def) {
		mem_schema *s = find_schema(mc, w->def->schema);
		e = s ? name_free(s, w->def->schema, w->def->table) : no_schema(w->def->schema);
		if (!e) mt = table_new(mc, s, w->def->table, t->ncols, t->cols);
	} else {
		mt = find_by_id(mc, w->id, NULL);
		if (!mt) e = dropped(t);
		else if (w->mode == CONN_WRITE_REPLACE && (mt->data ? mt->data->version : 0) != w->base_version)
			e = ferr_new(SQLSTATE_SERIALIZATION_FAILURE,
			             "could not serialize access: table %s.%s was changed by a concurrent "
			             "statement",
			             t->schema, t->table);
	}
	if (!e) {
		mem_data *d = next_data(mc, mt->data, w, t->ncols, types);
		int64_t delta = d->bytes - (mt->data ? mt->data->bytes : 0);
		if (delta > 0 && mc->used_bytes + delta > mc->max_bytes) e = over_limit(mc);
		else e = check_primary_key(mt, d);
		if (e) {
			data_unref(d);
			if (w->def) {
				mem_schema *s = find_schema(mc, w->def->schema);
				table_unlink(s, mt);
				table_free(mc, mt);
			}
		} else {
			mc->used_bytes += delta;
			data_unref(mt->data);
			mt->data = d;
		}
	}
	pthread_mutex_unlock(&mc->mu);
	write_free(w);
	return e;
}

static void mem_abort_write(conn_catalog *c, conn_write *cw) { write_free((mem_write *)cw); }

static void mem_destroy(conn_catalog *c)
{
	mem_catalog *mc = (mem_catalog *)c;
	while (mc->schemas) {
		mem_schema *s = mc->schemas;
		mc->schemas = s->next;
		while (s->tables) {
			mem_table *t = s->tables;
			s->tables = t->next;
			table_free(mc, t);
		}
		free(s->name);
		free(s);
	}
	pthread_mutex_destroy(&mc->mu);
	free((char *)mc->base.name);
	free(mc);
}

static const conn_catalog_ops mem_ops = {
    .list_schemas = mem_list_schemas,
    .list_tables = mem_list_tables,
    .get_table = mem_get_table,
    .get_statistics = mem_get_statistics,
    .get_splits = mem_get_splits,
    .open_page_source = mem_open_page_source,
    .create_schema = mem_create_schema,
    .drop_schema = mem_drop_schema,
    .create_table = mem_create_table,
    .drop_table = mem_drop_table,
    .begin_create_table = mem_begin_create_table,
    .begin_insert = mem_begin_insert,
    .open_page_sink = mem_open_page_sink,
    .finish_write = mem_finish_write,
    .abort_write = mem_abort_write,
    .get_view = mem_get_view,
    .create_view = mem_create_view,
    .drop_view = mem_drop_view,
    .destroy = mem_destroy,
};

static ferr *mem_create(const char *catalog_name, const props *p, conn_catalog **out)
{
	int64_t max_bytes;
	TRY(props_get_bytes(p, "memory.max-data-per-node", (int64_t)128 << 20, &max_bytes));
	mem_catalog *mc = xcalloc(1, sizeof *mc);
	mc->base.ops = &mem_ops;
	mc->base.name = xstrdup(catalog_name);
	mc->base.connector = "memory";
	mc->max_bytes = max_bytes;
	pthread_mutex_init(&mc->mu, NULL);
	/* Trino's memory catalog has "default"; PostgreSQL clients create in "public" */
	schema_add(mc, "default");
	schema_add(mc, "public");
	*out = &mc->base;
	return NULL;
}

const conn_factory memory_connector_factory = {"memory", mem_create};
