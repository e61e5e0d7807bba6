/*
 * hive_write.c — DDL and writes of the hive connector: schemas and tables
 * in the file metastore, and INSERT / CREATE TABLE AS as Parquet files.
 *
 * Each page sink writes its own files (one per partition it sees) with
 * names unique to the statement and sink. A file's bytes go out as they
 * are written (S3 multipart parts, a local temp file) and are all stored,
 * still hidden, when its sink finishes (fs_writer_prepare); the step that
 * makes a file visible (completing the upload, copying the staging
 * object, renaming the temp file) is held back until finish_write, which
 * does it for every file of the statement in one loop of short calls and
 * only then writes the table's metadata (CREATE TABLE AS).
 * abort_write discards every held-back file, so an aborted statement
 * leaves nothing a reader lists.
 */
#include <pthread.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "connectors/hive/hive_internal.h"
#include "formats/parquet/parquet.h"

#define HIVE_MAX_PARTITIONS_PER_WRITER 100
#define HIVE_ROW_GROUP_BYTES (64u << 20)

/* ---- schemas ---- */

static char *prop_text(const char *v, arena *a);

/*
 * WITH (location = '...'): managed tables of the schema go under it (kept
 * in the schema's parameters, as Trino's file metastore has no field).
 */
ferr *hive_create_schema(conn_catalog *cat, const char *schema, int nprops, const char **prop_names,
                         const char **prop_values)
{
	hive_catalog *c = (hive_catalog *)cat;
	TRY(hive_check_name("schema", schema));
	arena *a = arena_create(NULL, "hive ddl");
	json_t *params = json_object();
	ferr *e = NULL;
	for (int i = 0; i < nprops && !e; i++) {
		const char *v = prop_text(prop_values[i] ? prop_values[i] : "", a);
		if (strcmp(prop_names[i], "location") != 0)
			e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "catalog '%s': schema property '%s' does not exist",
			             cat->name, prop_names[i]);
		else if (fs_location_scheme(v) == FS_SCHEME_UNKNOWN)
			e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			             "hive connector: schema location '%s' is not an s3:// location or an absolute path", v);
		else
			json_object_set_new(params, "location", json_string(v));
	}
	bool exists = false;
	if (!e) e = hive_ms_schema_exists(c, schema, &exists);
	if (!e && exists)
		e = ferr_new(SQLSTATE_DUPLICATE_SCHEMA, "catalog '%s': schema \"%s\" already exists", cat->name, schema);
	json_t *doc = json_pack("{s:s,s:s,s:s,s:o}", "writerVersion", HIVE_WRITER_VERSION, "ownerName", "ferry",
	                        "ownerType", "USER", "parameters", params);
	if (!e) e = hive_write_json(c, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_schema_dir(c, schema, a)), doc);
	json_decref(doc);
	arena_destroy(a);
	return e;
}

/* Every file under prefix (collected first: deleting while listing is not portable). */
typedef struct loc_list {
	int n, cap;
	char **locs;
} loc_list;

static ferr *collect_loc(void *ctx, const fs_entry *e)
{
	loc_list *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->locs = xrealloc(l->locs, sizeof *l->locs * (size_t)l->cap);
	}
	l->locs[l->n++] = strdup(e->location);
	return NULL;
}

static void loc_list_free(loc_list *l)
{
	for (int i = 0; i < l->n; i++) free(l->locs[i]);
	free(l->locs);
	memset(l, 0, sizeof *l);
}

static ferr *delete_all(hive_catalog *c, const char *dir)
{
	loc_list l = {0};
	char *prefix = NULL;
	if (asprintf(&prefix, "%s/", dir) < 0) abort();
	ferr *e = fs_list(c->fs, prefix, collect_loc, &l);
	free(prefix);
	for (int i = 0; i < l.n && !e; i++) e = fs_delete(c->fs, l.locs[i]);
	loc_list_free(&l);
	return e;
}

ferr *hive_drop_schema(conn_catalog *cat, const char *schema, bool cascade)
{
	hive_catalog *c = (hive_catalog *)cat;
	TRY(hive_ms_require_schema(c, schema));
	arena *a = arena_create(NULL, "hive ddl");
	int n;
	const char **tables;
	ferr *e = hive_ms_list(c, hive_schema_dir(c, schema, a), a, &n, &tables);
	if (!e && n > 0 && !cascade)
		e = ferr_hint(ferr_new(SQLSTATE_DEPENDENT_OBJECTS_STILL_EXIST,
		                       "cannot drop schema \"%s\" because it contains %d table%s", schema, n,
		                       n == 1 ? "" : "s"),
		              "Use DROP ... CASCADE to drop the tables too.");
	for (int i = 0; i < n && !e; i++) {
		hive_table *t;
		e = hive_ms_get_table(c, schema, tables[i], a, &t);
		if (!e && t) e = hive_drop_table(cat, &t->base);
	}
	/* the schema's own file first: from then on the schema is gone */
	if (!e) e = fs_delete(c->fs, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_schema_dir(c, schema, a)));
	if (!e) e = delete_all(c, hive_schema_dir(c, schema, a));
	arena_destroy(a);
	return e;
}

/* ---- tables ---- */

/* A property value as text: 'quoted' or bare. */
static char *prop_text(const char *v, arena *a)
{
	while (*v == ' ') v++;
	size_t n = strlen(v);
	while (n && v[n - 1] == ' ') n--;
	if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
		char *out = arena_alloc(a, n);
		size_t k = 0;
		for (size_t i = 1; i + 1 < n; i++) {
			out[k++] = v[i];
			if (v[i] == '\'' && v[i + 1] == '\'') i++;
		}
		out[k] = 0;
		return out;
	}
	return arena_strndup(a, v, n);
}

/*
 * partitioned_by = ARRAY['a', 'b'] (or a bare 'a'): the names in order.
 * Returns the count, or -1 when the text is not such a list.
 */
static int parse_name_list(const char *v, arena *a, const char ***out)
{
	const char *p = v;
	while (*p == ' ') p++;
	bool array = strncasecmp(p, "array", 5) == 0;
	if (array) {
		p += 5;
		while (*p == ' ') p++;
		if (*p++ != '[') return -1;
	}
	int n = 0, cap = 8;
	const char **names = arena_alloc(a, sizeof *names * (size_t)cap);
	for (;;) {
		while (*p == ' ' || *p == '\n' || *p == '\t') p++;
		if (array && *p == ']' && n == 0) {
			p++;
			break;
		}
		if (*p != '\'') return -1;
		strbuf sb = STRBUF_INIT;
		for (p++;; p++) {
			if (!*p) {
				sb_free(&sb);
				return -1;
			}
			if (*p == '\'') {
				if (p[1] != '\'') break;
				p++;
			}
			sb_putc(&sb, *p);
		}
		p++;
		if (n == cap) names = arena_realloc(a, names, sizeof *names * (size_t)cap, sizeof *names * (size_t)cap * 2), cap *= 2;
		names[n++] = arena_strdup(a, sb.data ? sb.data : "");
		sb_free(&sb);
		while (*p == ' ' || *p == '\n' || *p == '\t') p++;
		if (!array) break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != ']') return -1;
		break;
	}
	while (*p == ' ') p++;
	if (*p) return -1;
	*out = names;
	return n;
}

/* The table a definition describes (not yet written anywhere). */
static ferr *table_from_def(hive_catalog *c, const conn_table_def *def, arena *a, hive_table **out)
{
	TRY(hive_check_name("schema", def->schema));
	TRY(hive_check_name("table", def->table));
	const char *format = "PARQUET", *location = NULL;
	const char **parts = NULL;
	int nparts = 0;
	hive_text_opts text;
	hive_text_opts_default(&text);
	unsigned seen = 0;
	for (int i = 0; i < def->nprops; i++) {
		const char *k = def->prop_names[i], *v = def->prop_values[i] ? def->prop_values[i] : "";
		bool handled;
		TRY(hive_text_table_property(k, prop_text(v, a), &text, a, &handled, &seen));
		if (handled) continue;
		if (strcmp(k, "format") == 0) {
			format = prop_text(v, a);
			if (hive_format_of(format) == HIVE_FMT_OTHER)
				return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
				                "hive connector: format '%s' is not supported (PARQUET, CSV, TEXTFILE or JSON)",
				                format);
			for (char *p = (char *)format; *p; p++) *p = (char)toupper((unsigned char)*p);
		} else if (strcmp(k, "external_location") == 0) {
			location = prop_text(v, a);
			if (fs_location_scheme(location) == FS_SCHEME_UNKNOWN)
				return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
				                "hive connector: external_location '%s' is not an s3:// location or an "
				                "absolute path",
				                location);
		} else if (strcmp(k, "partitioned_by") == 0) {
			nparts = parse_name_list(v, a, &parts);
			if (nparts < 0)
				return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
				                "hive connector: partitioned_by must be an array of column names, as "
				                "ARRAY['a', 'b'], not %s",
				                v);
		} else {
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			                "catalog '%s': table property '%s' does not exist", c->base.name, k);
		}
	}
	if (nparts >= def->ncols)
		return ferr_new(SQLSTATE_INVALID_TABLE_DEFINITION, "hive table %s.%s: a table cannot have only partition columns",
		                def->schema, def->table);
	int ndata = def->ncols - nparts;
	/* as Trino: partition columns are the last ones, in the property's order */
	for (int i = 0; i < nparts; i++)
		if (strcasecmp(def->cols[ndata + i].name, parts[i]) != 0) {
			strbuf sb = STRBUF_INIT;
			for (int j = 0; j < nparts; j++) sb_printf(&sb, "%s%s", j ? ", " : "", parts[j]);
			ferr *e = ferr_new(SQLSTATE_INVALID_TABLE_DEFINITION,
			                   "hive table %s.%s: partition keys must be the last columns in the table and in "
			                   "the same order as the table property: [%s]",
			                   def->schema, def->table, sb.data);
			sb_free(&sb);
			return e;
		}
	const char **types = arena_alloc(a, sizeof *types * (size_t)(def->ncols ? def->ncols : 1));
	for (int i = 0; i < def->ncols; i++) {
		TRY(hive_check_name("column", def->cols[i].name));
		for (int j = 0; j < i; j++)
			if (strcasecmp(def->cols[i].name, def->cols[j].name) == 0)
				return ferr_new(SQLSTATE_INVALID_TABLE_DEFINITION, "hive table %s.%s: column \"%s\" specified more than once",
				                def->schema, def->table, def->cols[i].name);
		TRY(hive_type_name(def->cols[i].name, def->cols[i].type, a, &types[i]));
		ftype t = def->cols[i].type;
		if (i >= ndata && (t.id == TYPE_JSON || t.id == TYPE_BYTEA))
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "hive table %s.%s: partition column \"%s\" cannot be %s",
			                def->schema, def->table, def->cols[i].name, types[i]);
	}
	bool external = location != NULL;
	if (!location) {
		json_t *sdoc;
		TRY(hive_read_json(c, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_schema_dir(c, def->schema, a)), &sdoc));
		const char *base = json_string_value(json_object_get(json_object_get(sdoc, "parameters"), "location"));
		size_t blen = base ? strlen(base) : 0;
		while (blen > 1 && base[blen - 1] == '/') blen--;
		location = base ? arena_sprintf(a, "%.*s/%s", (int)blen, base, def->table)
		                : hive_table_dir(c, def->schema, def->table, a);
		json_decref(sdoc);
	}
	hive_table *t = hive_table_new(a, def->schema, def->table, ndata, nparts, def->cols, types, location, external,
	                               format);
	t->text = text;
	TRY(hive_text_check_table(t, seen));
	*out = t;
	return NULL;
}

static ferr *first_file(void *ctx, const fs_entry *e)
{
	*(bool *)ctx = true;
	(void)e;
	return ferr_new(SQLSTATE_SUCCESSFUL_COMPLETION, "stop");
}

/* The schema must exist, the table must not, nor data where a managed table would go. */
static ferr *check_new_table(hive_catalog *c, const hive_table *t, arena *a)
{
	TRY(hive_ms_require_schema(c, t->base.schema));
	json_t *doc;
	TRY(hive_read_json(c, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_table_dir(c, t->base.schema, t->base.table, a)),
	                   &doc));
	if (doc) {
		json_decref(doc);
		return ferr_new(SQLSTATE_DUPLICATE_TABLE, "relation \"%s.%s\" already exists", t->base.schema,
		                t->base.table);
	}
	if (t->external) return NULL;
	bool found = false;
	ferr *e = fs_list(c->fs, arena_sprintf(a, "%s/", t->location), first_file, &found);
	if (e && strcmp(e->sqlstate, SQLSTATE_SUCCESSFUL_COMPLETION) != 0) return e;
	ferr_free(e);
	if (found)
		return ferr_new(SQLSTATE_DUPLICATE_TABLE, "hive table %s.%s: target directory '%s' already exists and is not empty",
		                t->base.schema, t->base.table, t->location);
	return NULL;
}

static ferr *write_table_file(hive_catalog *c, const hive_table *t, arena *a)
{
	json_t *doc = hive_ms_table_json(t, hive_table_dir(c, t->base.schema, t->base.table, a));
	ferr *e = hive_write_json(
	    c, arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, hive_table_dir(c, t->base.schema, t->base.table, a)), doc);
	json_decref(doc);
	return e;
}

ferr *hive_create_table(conn_catalog *cat, const conn_table_def *def)
{
	hive_catalog *c = (hive_catalog *)cat;
	if (def->npk)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "catalog '%s': hive tables cannot enforce a PRIMARY KEY", cat->name);
	arena *a = arena_create(NULL, "hive ddl");
	hive_table *t = NULL;
	ferr *e = table_from_def(c, def, a, &t);
	if (!e) e = check_new_table(c, t, a);
	/* a new managed table is empty (its directory must be); external data are not counted */
	if (!e && !t->external) t->num_rows = 0;
	if (!e) e = write_table_file(c, t, a);
	arena_destroy(a);
	return e;
}

ferr *hive_drop_table(conn_catalog *cat, const conn_table *ct)
{
	hive_catalog *c = (hive_catalog *)cat;
	const hive_table *t = (const hive_table *)ct;
	arena *a = arena_create(NULL, "hive ddl");
	const char *dir = hive_table_dir(c, t->base.schema, t->base.table, a);
	const char *file = arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, dir);
	json_t *doc;
	ferr *e = hive_read_json(c, file, &doc);
	if (!e && !doc)
		e = ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s.%s\" does not exist", t->base.schema, t->base.table);
	json_decref(doc);
	/* the metadata first: from then on the table is gone, whatever happens to its files */
	if (!e) e = fs_delete(c->fs, file);
	if (!e && !t->external) e = delete_all(c, t->location);
	if (!e) e = delete_all(c, dir); /* partition metadata */
	arena_destroy(a);
	return e;
}

/* ---- writes ---- */

/* A file written but held back: committed by finish_write. */
typedef struct held_file {
	struct hive_write *w;
	fs_writer *fw;
	char *location;
	struct held_file *next;
} held_file;

typedef struct hive_write {
	conn_write base;
	hive_catalog *c;
	arena *a; /* the handle's own; sinks never allocate from it */
	hive_table *t;
	bool create; /* CREATE TABLE AS: the metadata is written at commit */
	char prefix[64];
	pthread_mutex_t lock;
	held_file *held;       /* files of finished writers, newest first */
	int nparts, capparts;  /* partition names written ("k=v/...") */
	char **parts;
	hive_col_stats **part_stats; /* per partition name: ndata columns, merged from finished sinks */
	loc_list old;          /* REPLACE: the files to delete at commit */
	bool replace;
	atomic_llong rows;     /* rows appended by all sinks: numRows at commit */
	hive_col_stats *stats; /* unpartitioned tables: per data column, merged from finished sinks */
} hive_write;

static void write_prefix(char *buf, size_t size)
{
	uint32_t rnd = 0;
	if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd) rnd = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(buf, size, "%04d%02d%02d_%02d%02d%02d_%08x", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, rnd);
}

/* Empty statistics of t's data columns (NULL for a table without data columns). */
static hive_col_stats *stats_new(const hive_table *t)
{
	if (t->ndata == 0) return NULL;
	hive_col_stats *st = xcalloc((size_t)t->ndata, sizeof *st);
	for (int i = 0; i < t->ndata; i++) hive_col_stats_init(&st[i], t->base.cols[i].type);
	return st;
}

static void stats_free(hive_col_stats *st, int n)
{
	for (int i = 0; st && i < n; i++) hive_col_stats_free(&st[i]);
	free(st);
}

static hive_write *write_new(hive_catalog *c, arena *a, hive_table *t)
{
	hive_write *w = xcalloc(1, sizeof *w);
	w->c = c;
	w->a = a;
	w->t = t;
	w->base.table = &t->base;
	pthread_mutex_init(&w->lock, NULL);
	write_prefix(w->prefix, sizeof w->prefix);
	t->col_stats = NULL;
	if (t->npart == 0) w->stats = stats_new(t);
	return w;
}

static void write_free(hive_write *w)
{
	for (int i = 0; i < w->nparts; i++) {
		free(w->parts[i]);
		stats_free(w->part_stats[i], w->t->ndata);
	}
	free(w->parts);
	free(w->part_stats);
	loc_list_free(&w->old);
	stats_free(w->stats, w->t->ndata);
	pthread_mutex_destroy(&w->lock);
	arena_destroy(w->a);
	free(w);
}

ferr *hive_begin_create_table(conn_catalog *cat, const conn_table_def *def, conn_write **out)
{
	hive_catalog *c = (hive_catalog *)cat;
	arena *a = arena_create(NULL, "hive write");
	hive_table *t;
	ferr *e = table_from_def(c, def, a, &t);
	if (!e) e = check_new_table(c, t, a);
	if (e) {
		arena_destroy(a);
		return e;
	}
	hive_write *w = write_new(c, a, t);
	w->create = true;
	*out = &w->base;
	return NULL;
}

static ferr *collect_data_file(void *ctx, const char *path, uint64_t size, const char *rel)
{
	(void)size, (void)rel;
	fs_entry e = {.location = path};
	return collect_loc(ctx, &e);
}

ferr *hive_begin_insert(conn_catalog *cat, const conn_table *ct, conn_write_mode mode, conn_write **out)
{
	hive_catalog *c = (hive_catalog *)cat;
	const hive_table *src = (const hive_table *)ct;
	if (src->fmt == HIVE_FMT_OTHER)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "hive table %s.%s: cannot write storage format %s",
		                src->base.schema, src->base.table, src->format);
	TRY(hive_text_check_insert(src));
	arena *a = arena_create(NULL, "hive write");
	hive_table *t = arena_alloc(a, sizeof *t);
	*t = *src; /* the caller's handle may not outlive the statement's planning */
	t->domain = NULL;
	t->base.schema = arena_strdup(a, src->base.schema);
	t->base.table = arena_strdup(a, src->base.table);
	t->location = arena_strdup(a, src->location);
	t->format = arena_strdup(a, src->format);
	t->text.null_format = arena_strdup(a, src->text.null_format);
	t->base.cols = arena_alloc(a, sizeof *t->base.cols * (size_t)src->base.ncols);
	t->hive_types = arena_alloc(a, sizeof *t->hive_types * (size_t)(src->ndata + src->npart + 1));
	for (int i = 0; i < src->base.ncols; i++) {
		t->base.cols[i] = src->base.cols[i];
		t->base.cols[i].name = arena_strdup(a, src->base.cols[i].name);
		t->base.cols[i].comment = NULL;
	}
	for (int i = 0; i < src->ndata + src->npart; i++) t->hive_types[i] = arena_strdup(a, src->hive_types[i]);
	hive_write *w = write_new(c, a, t);
	w->replace = mode == CONN_WRITE_REPLACE;
	if (mode == CONN_WRITE_REPLACE) {
		ferr *e = hive_list_data_files(c, t->location, collect_data_file, &w->old);
		if (e) {
			write_free(w);
			return e;
		}
	}
	*out = &w->base;
	return NULL;
}

/* parquet_output over an fs_writer whose commit is held back. */
static ferr *held_write(void *ctx, const void *p, size_t len) { return fs_writer_write(((held_file *)ctx)->fw, p, len); }

static void held_abort(void *ctx);

/*
 * The writer's "commit": the bytes are stored (fs_writer_prepare: fsync,
 * last part, staging PUT), still hidden; only the publishing step waits
 * for finish_write. A failure releases the output, as commit must.
 */
static ferr *held_commit(void *ctx)
{
	held_file *h = ctx;
	hive_write *w = h->w;
	ferr *e = fs_writer_prepare(h->fw);
	if (e) {
		held_abort(h);
		return e;
	}
	pthread_mutex_lock(&w->lock);
	h->next = w->held;
	w->held = h;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void held_abort(void *ctx)
{
	held_file *h = ctx;
	fs_writer_abort(h->fw);
	free(h->location);
	free(h);
}

typedef struct part_writer {
	char *name; /* partition directory ("k=v/k2=v2"), "" unpartitioned */
	hive_col_stats *stats; /* the rows written to this partition, per data column */
	parquet_writer *pw; /* one of these two, by the table's format */
	hive_text_writer *tw;
} part_writer;

static bool part_open(const part_writer *p) { return p->pw || p->tw; }

static ferr *part_write(part_writer *p, const batch *b)
{
	return p->pw ? parquet_writer_write_batch(p->pw, b) : hive_text_writer_write_batch(p->tw, b);
}

/* Completes the file (held back until finish_write). */
static ferr *part_close(part_writer *p)
{
	ferr *e = p->pw ? parquet_writer_close(p->pw) : hive_text_writer_close(p->tw);
	p->pw = NULL;
	p->tw = NULL;
	return e;
}

static void part_abort(part_writer *p)
{
	if (p->pw) parquet_writer_abort(p->pw);
	if (p->tw) hive_text_writer_abort(p->tw);
	p->pw = NULL;
	p->tw = NULL;
}

typedef struct hive_sink {
	conn_page_sink base;
	hive_write *w;
	int id, nfiles;
	int nparts;
	part_writer parts[HIVE_MAX_PARTITIONS_PER_WRITER];
	fmt_settings fmt;
	strbuf key;
	int last; /* index of the partition of the previous row */
} hive_sink;

static ferr *open_part(hive_sink *s, const char *name, int *idx)
{
	hive_write *w = s->w;
	const hive_table *t = w->t;
	if (s->nparts == HIVE_MAX_PARTITIONS_PER_WRITER)
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                "hive table %s.%s: a writer cannot write more than %d partitions at once",
		                t->base.schema, t->base.table, HIVE_MAX_PARTITIONS_PER_WRITER);
	held_file *h = xcalloc(1, sizeof *h);
	h->w = w;
	if (asprintf(&h->location, "%s/%s%s%s_%d_%d", t->location, name, *name ? "/" : "", w->prefix, s->id,
	             s->nfiles++) < 0)
		abort();
	ferr *e = fs_writer_open(w->c->fs, h->location, &h->fw);
	if (e) {
		free(h->location);
		free(h);
		return e;
	}
	parquet_output out = {.name = h->location, .ctx = h, .write = held_write, .commit = held_commit,
	                      .abort = held_abort};
	part_writer *p = &s->parts[s->nparts];
	if (t->fmt != HIVE_FMT_PARQUET) {
		e = hive_text_writer_open(t, &out, &p->tw);
		if (e) {
			held_abort(h);
			return e;
		}
		p->name = strdup(name);
		p->stats = stats_new(t);
		*idx = s->nparts++;
		return NULL;
	}
	const char **names = xmalloc(sizeof *names * (size_t)(t->ndata ? t->ndata : 1));
	ftype *types = xmalloc(sizeof *types * (size_t)(t->ndata ? t->ndata : 1));
	for (int i = 0; i < t->ndata; i++) names[i] = t->base.cols[i].name, types[i] = t->base.cols[i].type;
	parquet_write_options opt = {.row_group_bytes = HIVE_ROW_GROUP_BYTES};
	e = parquet_writer_open(&out, names, types, t->ndata, &opt, &p->pw);
	free(names);
	free(types);
	if (e) return e; /* the output was aborted, which freed h */
	p->name = strdup(name);
	p->stats = stats_new(t);
	*idx = s->nparts++;
	return NULL;
}


/* The partition directory of a row into s->key. */
static void row_key(hive_sink *s, const batch *b, int row)
{
	const hive_table *t = s->w->t;
	sb_reset(&s->key);
	for (int j = 0; j < t->npart; j++) {
		const conn_column *cc = &t->base.cols[t->ndata + j];
		const vector *v = &b->cols[t->ndata + j];
		if (j) sb_putc(&s->key, '/');
		hive_escape_path(&s->key, cc->name, strlen(cc->name));
		sb_putc(&s->key, '=');
		if (vector_is_null(v, row)) {
			sb_puts(&s->key, HIVE_DEFAULT_PARTITION);
			continue;
		}
		strbuf val = STRBUF_INIT;
		value_out_text(cc->type, vector_at(v, row), &s->fmt, &val);
		hive_escape_path(&s->key, val.data ? val.data : "", val.len);
		sb_free(&val);
	}
	sb_putc(&s->key, 0);
}

static ferr *find_part(hive_sink *s, const char *name, int *idx)
{
	if (s->last >= 0 && strcmp(s->parts[s->last].name, name) == 0) {
		*idx = s->last;
		return NULL;
	}
	for (int i = 0; i < s->nparts; i++)
		if (strcmp(s->parts[i].name, name) == 0) {
			*idx = s->last = i;
			return NULL;
		}
	TRY(open_part(s, name, idx));
	s->last = *idx;
	return NULL;
}

static void part_stats_add(part_writer *p, const hive_table *t, const vector *cols, const batch *view)
{
	for (int i = 0; p->stats && i < t->ndata; i++) hive_col_stats_add(&p->stats[i], &cols[i], view);
}

static ferr *sink_append(conn_page_sink *ps, const batch *b)
{
	hive_sink *s = (hive_sink *)ps;
	const hive_table *t = s->w->t;
	if (b->ncols != t->ndata + t->npart)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "hive table %s.%s: a batch of %d columns for %d", t->base.schema,
		                t->base.table, b->ncols, t->ndata + t->npart);
	if (b->count == 0) return NULL;
	atomic_fetch_add(&s->w->rows, (long long)b->count);
	/* the data columns, with string types labelled as the table has them
	 * (varchar(n), text and char share one layout) */
	vector cols[t->ndata ? t->ndata : 1];
	for (int i = 0; i < t->ndata; i++) {
		cols[i] = b->cols[i];
		if (hive_is_string(cols[i].type.id) && hive_is_string(t->base.cols[i].type.id)) cols[i].type = t->base.cols[i].type;
	}
	batch view = *b;
	view.ncols = t->ndata;
	view.cols = cols;
	int idx;
	if (t->npart == 0) {
		TRY(find_part(s, "", &idx));
		part_stats_add(&s->parts[idx], t, cols, &view);
		return part_write(&s->parts[idx], &view);
	}
	/* rows grouped by partition: one selection vector per partition seen in the batch */
	int *row_part = xmalloc(sizeof *row_part * (size_t)b->count);
	uint16_t *sel = xmalloc(sizeof *sel * (size_t)b->count);
	ferr *e = NULL;
	for (int i = 0; i < b->count && !e; i++) {
		row_key(s, b, batch_row(b, i));
		e = find_part(s, s->key.data, &row_part[i]);
	}
	for (int p = 0; p < s->nparts && !e; p++) {
		int n = 0;
		for (int i = 0; i < b->count; i++)
			if (row_part[i] == p) sel[n++] = (uint16_t)batch_row(b, i);
		if (n == 0) continue;
		view.sel = sel;
		view.count = n;
		part_stats_add(&s->parts[p], t, cols, &view);
		e = part_write(&s->parts[p], &view);
	}
	free(row_part);
	free(sel);
	return e;
}

static ferr *sink_finish(conn_page_sink *ps)
{
	hive_sink *s = (hive_sink *)ps;
	hive_write *w = s->w;
	ferr *e = NULL;
	for (int i = 0; i < s->nparts; i++) {
		part_writer *p = &s->parts[i];
		if (!part_open(p)) continue;
		if (e) part_abort(p);
		else e = part_close(p); /* holds the file back (held_commit) */
		if (e) continue;
		pthread_mutex_lock(&w->lock);
		hive_col_stats *into = w->stats;
		if (*p->name) {
			int j = 0;
			while (j < w->nparts && strcmp(w->parts[j], p->name) != 0) j++;
			if (j == w->nparts) {
				if (w->nparts == w->capparts) {
					w->capparts = w->capparts ? w->capparts * 2 : 16;
					w->parts = xrealloc(w->parts, sizeof *w->parts * (size_t)w->capparts);
					w->part_stats = xrealloc(w->part_stats, sizeof *w->part_stats * (size_t)w->capparts);
				}
				w->parts[w->nparts] = strdup(p->name);
				w->part_stats[w->nparts++] = stats_new(w->t);
			}
			into = w->part_stats[j];
		}
		for (int k = 0; into && p->stats && k < w->t->ndata; k++) hive_col_stats_merge(&into[k], &p->stats[k]);
		pthread_mutex_unlock(&w->lock);
	}
	return e;
}

static void sink_free(hive_sink *s)
{
	for (int i = 0; i < s->nparts; i++) {
		part_abort(&s->parts[i]);
		free(s->parts[i].name);
		stats_free(s->parts[i].stats, s->w->t->ndata);
	}
	sb_free(&s->key);
	free(s);
}

static void sink_abort(conn_page_sink *ps) { sink_free((hive_sink *)ps); }
static void sink_close(conn_page_sink *ps) { sink_free((hive_sink *)ps); }

static const conn_page_sink_ops hive_sink_ops = {sink_append, sink_finish, sink_abort, sink_close};

ferr *hive_open_page_sink(conn_catalog *cat, conn_write *cw, conn_page_sink **out)
{
	hive_catalog *c = (hive_catalog *)cat;
	hive_sink *s = xcalloc(1, sizeof *s);
	s->base.ops = &hive_sink_ops;
	s->w = (hive_write *)cw;
	s->id = atomic_fetch_add(&c->next_sink, 1);
	s->last = -1;
	fmt_settings_default(&s->fmt);
	*out = &s->base;
	return NULL;
}

/* Drop held-back files, newest first. */
static void abort_held(held_file *h)
{
	while (h) {
		held_file *next = h->next;
		held_abort(h);
		h = next;
	}
}

/* columnStatistics of the rows this statement wrote (new reference), NULL if not collected */
static json_t *written_stats_json(const hive_write *w)
{
	return hive_stats_to_json(w->t, w->stats);
}

/*
 * columnStatistics after an INSERT that added `added` rows to `before`:
 * the new rows' when there were none before (or REPLACE), merged with
 * the recorded ones otherwise; a column without recorded statistics (rows
 * written by another engine) is left without. Sets doc's member.
 */
static void update_column_stats(const hive_write *w, json_t *doc, double before, double added)
{
	bool merge = !w->replace && before > 0;
	json_t *add = written_stats_json(w);
	if (!add) return;
	json_t *old = json_object_get(doc, "columnStatistics");
	if (merge) {
		json_t *merged = hive_stats_json_merge_all(old, before, add, added);
		json_decref(add);
		add = merged;
	}
	json_object_set_new(doc, "columnStatistics", add);
	hive_sketches_record(json_object_get(doc, "parameters"), add, w->t, w->stats, merge,
	                     (merge ? before : 0) + added);
}

/*
 * numRows after INSERT: the new count when the table's rows are all known
 * (REPLACE, or a count recorded before); left out otherwise. Rewrites the
 * table's document as read now, keeping what other writers put there.
 */
static ferr *update_num_rows(hive_catalog *c, hive_write *w)
{
	const char *loc =
	    arena_sprintf(w->a, "%s/" HIVE_SCHEMA_FILE, hive_table_dir(c, w->t->base.schema, w->t->base.table, w->a));
	json_t *doc;
	TRY(hive_read_json(c, loc, &doc));
	if (!doc) return NULL;
	json_t *params = json_object_get(doc, "parameters");
	const char *old = json_string_value(json_object_get(params, "numRows"));
	char *end = NULL;
	double before = old ? strtod(old, &end) : -1;
	bool known = w->replace || (old && end && !*end && before >= 0);
	ferr *e = NULL;
	if (known && json_is_object(params)) {
		double added = (double)atomic_load(&w->rows);
		double rows = (w->replace ? 0 : before) + added;
		json_object_set_new(params, "numRows", json_sprintf("%.0f", rows));
		update_column_stats(w, doc, w->replace ? 0 : before, added);
		e = hive_write_json(c, loc, doc);
	}
	json_decref(doc);
	return e;
}

typedef struct others_ctx {
	const loc_list *ours;
	bool found;
} others_ctx;

static ferr *other_file(void *ctx, const char *path, uint64_t size, const char *rel)
{
	others_ctx *o = ctx;
	(void)size, (void)rel;
	for (int i = 0; i < o->ours->n; i++)
		if (strcmp(o->ours->locs[i], path) == 0) return NULL;
	o->found = true;
	return NULL;
}

/*
 * The .trinoSchema of partition i after the write, with its numRows and
 * columnStatistics: the new rows' for a new partition (or REPLACE), the
 * merge with the recorded ones for a partition that has them; a
 * partition whose other rows have no statistics (written by another
 * engine) gets its document without them.
 */
static ferr *write_partition_doc(hive_catalog *c, hive_write *w, int i, const loc_list *ours)
{
	const hive_table *t = w->t;
	const char *data = arena_sprintf(w->a, "%s/%s", t->location, w->parts[i]);
	const char *loc = arena_sprintf(w->a, "%s/%s/" HIVE_SCHEMA_FILE,
	                                hive_table_dir(c, t->base.schema, t->base.table, w->a), w->parts[i]);
	const hive_col_stats *st = w->part_stats[i];
	double added = st ? (double)(st[0].values + st[0].nulls) : -1;
	json_t *doc;
	TRY(hive_read_json(c, loc, &doc));
	bool known = st != NULL;
	double before = 0;
	if (doc && !w->replace) {
		const char *old = json_string_value(json_object_get(json_object_get(doc, "parameters"), "numRows"));
		char *end = NULL;
		before = old ? strtod(old, &end) : -1;
		known = known && old && end && !*end && before >= 0;
	} else if (!doc && !w->replace && !w->create && known) {
		/* rows of another engine in the directory: they are not counted */
		others_ctx o = {ours, false};
		TRY(hive_list_data_files(c, data, other_file, &o));
		known = !o.found;
	}
	if (!doc) doc = hive_ms_partition_json(t, data);
	json_t *params = json_object_get(doc, "parameters");
	if (!json_is_object(params)) json_object_set_new(doc, "parameters", params = json_object());
	if (known) {
		json_t *add = hive_stats_to_json(t, st), *old = json_object_get(doc, "columnStatistics");
		if (before > 0) {
			json_t *merged = hive_stats_json_merge_all(old, before, add, added);
			json_decref(add);
			add = merged;
		}
		json_object_set_new(params, "numRows", json_sprintf("%.0f", before + added));
		json_object_set_new(doc, "columnStatistics", add);
		hive_sketches_record(params, add, t, st, before > 0, before + added);
	} else {
		json_object_del(params, "numRows");
		json_object_set_new(doc, "columnStatistics", json_object());
	}
	ferr *e = hive_write_json(c, loc, doc);
	json_decref(doc);
	return e;
}

/*
 * REPLACE: a partition whose old files are gone and that got no new rows
 * loses its document, whose statistics describe rows that no longer
 * exist (a later INSERT there would add to them). Best effort: a
 * document left behind is only stale statistics of an empty partition.
 */
static void forget_emptied_partitions(hive_catalog *c, hive_write *w)
{
	const hive_table *t = w->t;
	const char *dir = hive_table_dir(c, t->base.schema, t->base.table, w->a);
	for (int i = 0; i < w->old.n && t->npart > 0; i++) {
		size_t len = hive_partition_name_len(t, w->old.locs[i]);
		const char *name = w->old.locs[i] + strlen(t->location) + 1;
		bool kept = len == 0;
		for (int j = 0; j < w->nparts && !kept; j++)
			kept = strlen(w->parts[j]) == len && strncmp(w->parts[j], name, len) == 0;
		for (int j = 0; j < i && !kept; j++) /* handled with an earlier file */
			kept = hive_partition_name_len(t, w->old.locs[j]) == len &&
			       strncmp(w->old.locs[j] + strlen(t->location) + 1, name, len) == 0;
		if (!kept)
			ferr_free(fs_delete(c->fs, arena_sprintf(w->a, "%s/%.*s/" HIVE_SCHEMA_FILE, dir, (int)len, name)));
	}
}

ferr *hive_finish_write(conn_catalog *cat, conn_write *cw)
{
	hive_catalog *c = (hive_catalog *)cat;
	hive_write *w = (hive_write *)cw;
	ferr *e = NULL;
	loc_list done = {0};
	/* make every file visible; on failure take back the ones already made visible */
	held_file *h = w->held;
	w->held = NULL;
	while (h && !e) {
		held_file *next = h->next;
		e = fs_writer_commit(h->fw);
		if (!e) {
			fs_entry fe = {.location = h->location};
			collect_loc(&done, &fe);
		}
		free(h->location);
		free(h);
		h = next;
	}
	abort_held(h);
	for (int i = 0; i < w->nparts && !e; i++) e = write_partition_doc(c, w, i, &done);
	if (!e && w->create) {
		w->t->num_rows = (double)atomic_load(&w->rows);
		w->t->stats_json = written_stats_json(w);
		w->t->stats_src = w->stats;
		e = write_table_file(c, w->t, w->a);
		json_decref(w->t->stats_json);
		w->t->stats_json = NULL;
		w->t->stats_src = NULL;
	}
	if (!e && !w->create) e = update_num_rows(c, w);
	if (e) {
		for (int i = 0; i < done.n; i++) ferr_free(fs_delete(c->fs, done.locs[i]));
	} else {
		/* REPLACE: the rows now visible are the new ones; the old files go */
		for (int i = 0; i < w->old.n && !e; i++) e = fs_delete(c->fs, w->old.locs[i]);
		if (e) e = ferr_prefix(e, "hive table %s.%s: new rows committed but old files remain", w->t->base.schema,
		                       w->t->base.table);
		if (!e) forget_emptied_partitions(c, w);
	}
	loc_list_free(&done);
	write_free(w);
	return e;
}

void hive_abort_write(conn_catalog *cat, conn_write *cw)
{
	(void)cat;
	hive_write *w = (hive_write *)cw;
	abort_held(w->held);
	w->held = NULL;
	write_free(w);
}
