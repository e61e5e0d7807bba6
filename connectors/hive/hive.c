/*
 * hive.c — the "hive" connector: Parquet tables described by Trino's file
 * metastore (metastore.c), on S3 or a local disk (storage/fs.h). A table
 * is the data files under its location, partition values come from
 * "key=value" directory names; splits are files (large files: runs of row
 * groups); filters prune partitions exactly and row groups by statistics.
 * Writes and DDL live in hive_write.c. Catalogs keep no mutable state, so
 * any number of threads may use one.
 */
#include "connectors/hive/hive.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/hll.h"
#include "connectors/hive/hive_internal.h"
#include "formats/parquet/parquet.h"

#define HIVE_DEFAULT_MAX_SPLIT_SIZE (64LL << 20)
#define HIVE_STATS_MAX_FOOTERS 64
/* partition documents read for one estimate (Trino's hive.partition-statistics-sample-size is
 * 100 too); more partitions: no partition statistics, as planning would wait on that many GETs */
#define HIVE_STATS_MAX_PARTITIONS 100

/* ---- metadata ---- */

static ferr *hive_list_schemas(conn_catalog *cat, arena *a, int *n, const char ***names)
{
	hive_catalog *c = (hive_catalog *)cat;
	return hive_ms_list(c, c->dir, a, n, names);
}

static ferr *hive_list_tables(conn_catalog *cat, const char *schema, arena *a, int *n, const char ***names)
{
	hive_catalog *c = (hive_catalog *)cat;
	TRY(hive_ms_require_schema(c, schema));
	return hive_ms_list(c, hive_schema_dir(c, schema, a), a, n, names);
}

static ferr *hive_get_table(conn_catalog *cat, const char *schema, const char *table, arena *a, conn_table **out)
{
	hive_table *t;
	TRY(hive_ms_get_table((hive_catalog *)cat, schema, table, a, &t));
	*out = t ? &t->base : NULL;
	return NULL;
}

/* ---- files and partitions ---- */

/* Whether a value (in the column's type) is allowed by a column domain. */
static bool domain_contains(ftype t, const fvalue *v, const conn_column_domain *d)
{
	if (v->isnull) return d->null_allowed;
	if (d->all) return true;
	const void *p = fvalue_ptr(t, v);
	for (int i = 0; i < d->nranges; i++) {
		const conn_range *r = &d->ranges[i];
		if (!r->low_unbounded) {
			int cmp = value_compare(t, p, fvalue_ptr(t, &r->low));
			if (cmp < 0 || (cmp == 0 && !r->low_inclusive)) continue;
		}
		if (!r->high_unbounded) {
			int cmp = value_compare(t, p, fvalue_ptr(t, &r->high));
			if (cmp > 0 || (cmp == 0 && !r->high_inclusive)) continue;
		}
		return true;
	}
	return false;
}

typedef struct hive_file {
	const char *path;
	uint64_t size;
	fvalue *part_values;
} hive_file;

typedef struct scan_ctx {
	hive_catalog *c;
	const hive_table *t;
	arena *a;
	int n, cap;
	hive_file *files;
} scan_ctx;

/*
 * Partition values of a file from the first npart directories of its path
 * relative to the table; false when the file is not in a partition
 * directory of this table (Hive ignores such files).
 */
static ferr *file_partition(scan_ctx *s, const char *rel, fvalue *vals, bool *ok)
{
	const hive_table *t = s->t;
	*ok = false;
	const char *seg = rel;
	for (int i = 0; i < t->npart; i++) {
		const char *slash = strchr(seg, '/'), *eq = memchr(seg, '=', slash ? (size_t)(slash - seg) : 0);
		if (!slash || !eq) return NULL;
		const conn_column *col = &t->base.cols[t->ndata + i];
		char *key = hive_unescape_path(seg, (size_t)(eq - seg), s->a);
		if (strcasecmp(key, col->name) != 0) return NULL;
		char *val = hive_unescape_path(eq + 1, (size_t)(slash - eq - 1), s->a);
		memset(&vals[i], 0, sizeof vals[i]);
		if (strcmp(val, HIVE_DEFAULT_PARTITION) == 0) {
			vals[i].isnull = true;
		} else {
			ferr *e = value_in_text(col->type, val, strlen(val), s->a, (void *)fvalue_ptr(col->type, &vals[i]));
			if (e) {
				ferr_free(e);
				return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION,
				                "hive table %s.%s: invalid value '%s' for partition key %s (%s) in '%.*s'",
				                t->base.schema, t->base.table, val, col->name, t->hive_types[t->ndata + i],
				                (int)(slash - rel), rel);
			}
		}
		seg = slash + 1;
	}
	*ok = true;
	return NULL;
}

static ferr *scan_file(void *ctx, const char *path, uint64_t size, const char *rel)
{
	scan_ctx *s = ctx;
	const hive_table *t = s->t;
	int depth = 0;
	for (const char *p = rel; (p = strchr(p, '/')); p++) depth++;
	if (depth != t->npart && !(depth > t->npart && s->c->recursive)) return NULL;
	fvalue *vals = t->npart ? arena_alloc(s->a, sizeof *vals * (size_t)t->npart) : NULL;
	bool ok;
	TRY(file_partition(s, rel, vals, &ok));
	if (!ok) return NULL;
	if (t->domain) {
		if (t->domain->none) return NULL;
		for (int i = 0; i < t->domain->ncols; i++) {
			const conn_column_domain *d = &t->domain->cols[i];
			int k = d->column - t->ndata;
			if (k >= 0 && k < t->npart && !domain_contains(t->base.cols[d->column].type, &vals[k], d))
				return NULL;
		}
	}
	if (s->n == s->cap) {
		int ncap = s->cap ? s->cap * 2 : 64;
		s->files = arena_realloc(s->a, s->files, sizeof *s->files * (size_t)s->cap, sizeof *s->files * (size_t)ncap);
		s->cap = ncap;
	}
	s->files[s->n++] = (hive_file){arena_strdup(s->a, path), size, vals};
	return NULL;
}

static ferr *check_format(const hive_table *t)
{
	if (t->fmt == HIVE_FMT_OTHER)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "hive table %s.%s: storage format %s is not supported (only PARQUET, CSV, TEXTFILE "
		                "and JSON)",
		                t->base.schema, t->base.table, t->format);
	return NULL;
}

/* The table's data files that the pushed partition domain leaves. */
static ferr *list_files(hive_catalog *c, const hive_table *t, arena *a, scan_ctx *s)
{
	*s = (scan_ctx){.c = c, .t = t, .a = a};
	TRY(check_format(t));
	if (t->domain && t->domain->none) return NULL;
	return hive_list_data_files(c, t->location, scan_file, s);
}

/* A Parquet file through fs.h: footer and row groups. Close with file_close. */
typedef struct open_file {
	fs_file *file;
	parquet_input in;
	parquet_file *pf;
} open_file;

static ferr *file_open(hive_catalog *c, const char *path, uint64_t size, arena *a, open_file *of)
{
	memset(of, 0, sizeof *of);
	TRY(fs_open_sized(c->fs, path, size, &of->file));
	of->in = (parquet_input){.name = fs_file_location(of->file), .size = size, .ctx = of->file,
	                         .read_at = fs_read_at_cb};
	ferr *e = parquet_open(&of->in, NULL, a, &of->pf);
	if (e) {
		fs_close(of->file);
		of->file = NULL;
	}
	return e;
}

static void file_close(open_file *of)
{
	if (of->file) fs_close(of->file);
	of->file = NULL;
}

size_t hive_partition_name_len(const hive_table *t, const char *path)
{
	size_t loc = strlen(t->location);
	if (t->npart == 0 || strncmp(path, t->location, loc) != 0 || path[loc] != '/') return 0;
	const char *rel = path + loc + 1, *p = rel;
	for (int i = 0; i < t->npart; i++) {
		const char *slash = strchr(p, '/');
		if (!slash) return 0;
		p = slash + 1;
	}
	return (size_t)(p - 1 - rel);
}

ferr *hive_list_partitions(hive_catalog *c, const hive_table *t, arena *a, int *n, hive_partition **out)
{
	scan_ctx s;
	TRY(list_files(c, t, a, &s));
	hive_partition *v = arena_alloc(a, sizeof *v * (size_t)(s.n ? s.n : 1));
	int k = 0;
	for (int i = 0; i < s.n; i++) {
		const char *path = s.files[i].path;
		size_t len = hive_partition_name_len(t, path);
		const char *name = path + strlen(t->location) + 1;
		bool seen = false;
		for (int j = k - 1; j >= 0 && !seen; j--) /* newest first: a partition's files come together */
			seen = strlen(v[j].name) == len && strncmp(v[j].name, name, len) == 0;
		if (seen || len == 0) continue;
		v[k++] = (hive_partition){arena_strndup(a, name, len), s.files[i].part_values};
	}
	*n = k;
	*out = v;
	return NULL;
}

/*
 * Statistics of a partitioned table from its partitions' documents: the
 * partitions that survive pruning, row counts summed, data columns merged
 * (hive_stats_json_merge_all; the NDV from the union of their sketches
 * when each has one), partition columns from the partition values. As in
 * Trino, partitions without numRows (written by another engine) count as
 * the average of those with it, whose column figures stand for all.
 * *done false (nothing set) when no partition has numRows.
 */
static ferr *partition_statistics(hive_catalog *c, const hive_table *t, arena *a, conn_table_stats *out, bool *done)
{
	*done = false;
	int n;
	hive_partition *parts;
	TRY(hive_list_partitions(c, t, a, &n, &parts));
	if (n > HIVE_STATS_MAX_PARTITIONS) return NULL;
	double rows = 0, *prows = arena_alloc(a, sizeof *prows * (size_t)(n ? n : 1));
	int known = 0;
	json_t *acc = NULL;
	ferr *e = NULL;
	/* per data column: the union of the partitions' sketches while every one has its own */
	uint8_t **united = arena_zalloc(a, sizeof *united * (size_t)(t->ndata ? t->ndata : 1));
	uint8_t *regs = arena_alloc(a, HLL_M);
	for (int i = 0; i < t->ndata; i++) united[i] = arena_zalloc(a, HLL_M);
	for (int i = 0; i < n && !e; i++) {
		json_t *doc;
		e = hive_read_json(c,
		                   arena_sprintf(a, "%s/%s/" HIVE_SCHEMA_FILE,
		                                 hive_table_dir(c, t->base.schema, t->base.table, a), parts[i].name),
		                   &doc);
		if (e) break;
		const char *nr = json_string_value(json_object_get(json_object_get(doc, "parameters"), "numRows"));
		char *end = NULL;
		double r = nr ? strtod(nr, &end) : -1;
		prows[i] = -1;
		if (!nr || *end || r < 0) {
			json_decref(doc);
			continue;
		}
		json_t *cs = json_object_get(doc, "columnStatistics");
		json_t *next = !acc ? json_deep_copy(json_is_object(cs) ? cs : NULL)
		                    : hive_stats_json_merge_all(acc, rows, cs, r);
		json_decref(acc);
		acc = next;
		rows += r;
		prows[i] = r;
		known++;
		for (int k = 0; k < t->ndata; k++) {
			if (!united[k]) continue;
			if (hive_sketch_get(json_object_get(doc, "parameters"), t->base.cols[k].name, regs))
				hll_union(united[k], regs);
			else
				united[k] = NULL;
		}
		json_decref(doc);
	}
	if (e || known == 0) {
		json_decref(acc);
		return e;
	}
	*done = true;
	double all = rows;
	for (int i = 0; i < n; i++)
		if (prows[i] < 0) all += prows[i] = rows / known; /* the average of the known partitions */
	out->row_count = all;
	out->ncols = t->base.ncols;
	out->cols = arena_alloc(a, sizeof *out->cols * (size_t)out->ncols);
	for (int i = 0; i < t->base.ncols; i++) {
		conn_column_stats *cs = &out->cols[i];
		ftype type = t->base.cols[i].type;
		hive_col_stats_from_json(i < t->ndata && acc ? json_object_get(acc, t->base.cols[i].name) : NULL, type,
		                         rows, a, cs);
		if (i < t->ndata && united[i] && n > 0 && cs->distinct_count >= 0) {
			double est = (double)hll_estimate(united[i]);
			double values = cs->null_fraction >= 0 ? all * (1 - cs->null_fraction) : all;
			cs->distinct_count = est < values ? est : values;
		}
		if (i < t->ndata || i >= t->ndata + t->npart) continue;
		/* a partition key: its values are known exactly */
		int k = i - t->ndata, ndv = 0;
		double nulls = 0;
		for (int p = 0; p < n; p++) {
			const fvalue *v = &parts[p].values[k];
			if (v->isnull) {
				nulls += prows[p];
				continue;
			}
			bool dup = false;
			for (int q = 0; q < p && !dup; q++)
				dup = !parts[q].values[k].isnull &&
				      value_compare(type, fvalue_ptr(type, &parts[q].values[k]), fvalue_ptr(type, v)) == 0;
			ndv += !dup;
			if (!cs->has_range || value_compare(type, fvalue_ptr(type, v), fvalue_ptr(type, &cs->min)) < 0)
				cs->min = *v;
			if (!cs->has_range || value_compare(type, fvalue_ptr(type, v), fvalue_ptr(type, &cs->max)) > 0)
				cs->max = *v;
			cs->has_range = true;
		}
		cs->null_fraction = all > 0 ? nulls / all : 0;
		cs->distinct_count = ndv;
	}
	json_decref(acc);
	return NULL;
}

static void footer_columns(const hive_table *t, const parquet_file *pf, int *fcol);

/*
 * Rows and column figures (hive_footer_stats) from the footers of up to
 * HIVE_STATS_MAX_FOOTERS of the files that pass partition pruning; the
 * rows of the others are scaled by size. rows >= 0 (a recorded count) is
 * kept as the table's.
 */
static ferr *footer_statistics(hive_catalog *c, const hive_table *t, arena *a, double rows,
                               conn_table_stats *out)
{
	scan_ctx s;
	TRY(list_files(c, t, a, &s));
	double sampled_rows = 0, sampled_bytes = 0, all_bytes = 0;
	hive_footer_col *fc = arena_zalloc(a, sizeof *fc * (size_t)(t->ndata ? t->ndata : 1));
	int *fcol = arena_alloc(a, sizeof *fcol * (size_t)(t->ndata ? t->ndata : 1));
	bool complete = true;
	for (int i = 0; i < s.n; i++) {
		all_bytes += (double)s.files[i].size;
		if (s.files[i].size == 0) continue;
		if (i >= HIVE_STATS_MAX_FOOTERS) {
			complete = false;
			continue;
		}
		open_file of;
		arena *fa = arena_create(NULL, "hive stats");
		ferr *e = file_open(c, s.files[i].path, s.files[i].size, fa, &of);
		if (!e) {
			sampled_rows += (double)of.pf->num_rows;
			sampled_bytes += (double)s.files[i].size;
			footer_columns(t, of.pf, fcol);
			hive_footer_add(t, fc, of.pf, fcol);
			file_close(&of);
		}
		arena_destroy(fa);
		if (e) return e;
	}
	if (rows < 0) rows = sampled_bytes > 0 ? sampled_rows * all_bytes / sampled_bytes : 0;
	out->row_count = rows;
	out->ncols = t->base.ncols;
	out->cols = arena_alloc(a, sizeof *out->cols * (size_t)out->ncols);
	hive_footer_stats(t, fc, rows, complete, out->cols);
	return NULL;
}

static ferr *hive_get_statistics(conn_catalog *cat, const conn_table *ct, arena *a, conn_table_stats *out)
{
	hive_catalog *c = (hive_catalog *)cat;
	const hive_table *t = (const hive_table *)ct;
	memset(out, 0, sizeof *out);
	out->row_count = -1;
	if (t->npart > 0 && !(t->domain && t->domain->none)) {
		bool done;
		TRY(partition_statistics(c, t, a, out, &done));
		if (done) return NULL;
	}
	double rows = -1;
	if (t->num_rows >= 0 && !t->domain) {
		out->row_count = rows = t->num_rows;
		if (t->col_stats) {
			out->ncols = t->base.ncols;
			out->cols = arena_alloc(a, sizeof *out->cols * (size_t)out->ncols);
			memcpy(out->cols, t->col_stats, sizeof *out->cols * (size_t)out->ncols);
			return NULL;
		}
	}
	/* The planner asks before it pushes filters: sampling footers of an
	 * unfiltered partitioned table would open files in partitions the query
	 * then prunes (on S3, GETs in every partition at planning). Unknown, as
	 * Trino's Hive connector says without metastore statistics. */
	if (t->npart > 0 && !t->domain) return NULL;
	if (t->fmt != HIVE_FMT_PARQUET) return NULL; /* text files have no footer to count rows from */
	/* Recorded statistics win; without them, the footers' */
	return footer_statistics(c, t, a, rows, out);
}

/* ---- pushdown ---- */

static ferr *hive_apply_filter(conn_catalog *cat, const conn_table *ct, const conn_domain *d, arena *a,
                               conn_table **out, conn_domain **remaining)
{
	(void)cat;
	const hive_table *t = (const hive_table *)ct;
	*out = NULL;
	*remaining = NULL;
	/* partition columns are enforced exactly (whole files pass or not); data
	 * columns only skip row groups, so the engine still filters them */
	conn_domain *rest = arena_zalloc(a, sizeof *rest);
	rest->cols = arena_alloc(a, sizeof *rest->cols * (size_t)(d->ncols ? d->ncols : 1));
	int useful = d->none;
	for (int i = 0; i < d->ncols; i++) {
		const conn_column_domain *cd = &d->cols[i];
		bool part = cd->column >= t->ndata && cd->column < t->ndata + t->npart;
		if (!part) rest->cols[rest->ncols++] = *cd;
		if (cd->column >= 0 && cd->column < t->ndata + t->npart) useful++;
	}
	if (!useful) {
		*remaining = (conn_domain *)d;
		return NULL;
	}
	hive_table *nt = arena_alloc(a, sizeof *nt);
	*nt = *t;
	/* AND with what was pushed before */
	conn_domain *all = arena_zalloc(a, sizeof *all);
	int before = t->domain ? t->domain->ncols : 0;
	all->none = d->none || (t->domain && t->domain->none);
	all->cols = arena_alloc(a, sizeof *all->cols * (size_t)(before + d->ncols + 1));
	for (int i = 0; i < before; i++) all->cols[all->ncols++] = t->domain->cols[i];
	for (int i = 0; i < d->ncols; i++) all->cols[all->ncols++] = d->cols[i];
	nt->domain = all;
	*out = &nt->base;
	if (rest->ncols) *remaining = rest;
	return NULL;
}

/* ---- splits ---- */

static hive_split *new_split(arena *a, const hive_table *t, const hive_file *f, int lo, int hi, int64_t rows)
{
	hive_split *s = arena_zalloc(a, sizeof *s);
	s->path = f->path;
	s->size = f->size;
	s->rg_lo = lo;
	s->rg_hi = hi;
	s->part_values = f->part_values;
	s->base.estimated_rows = rows;
	s->base.description = hi < 0 ? arena_sprintf(a, "hive %s.%s %s", t->base.schema, t->base.table, f->path)
	                             : arena_sprintf(a, "hive %s.%s %s row groups [%d, %d)", t->base.schema,
	                                             t->base.table, f->path, lo, hi);
	return s;
}

static ferr *hive_get_splits(conn_catalog *cat, const conn_table *ct, int desired, arena *a, int *n,
                             conn_split ***splits)
{
	hive_catalog *c = (hive_catalog *)cat;
	const hive_table *t = (const hive_table *)ct;
	scan_ctx s;
	TRY(list_files(c, t, a, &s));
	int cap = s.n + 16, k = 0;
	conn_split **v = arena_alloc(a, sizeof *v * (size_t)cap);
	for (int i = 0; i < s.n; i++) {
		const hive_file *f = &s.files[i];
		if (f->size == 0) continue; /* an empty file holds no rows (and is no Parquet file) */
		if (t->fmt != HIVE_FMT_PARQUET) {
			/* text: byte ranges of about max_split_size, cut where a split may start mid-line */
			uint64_t step = hive_text_splittable(t, f->path) ? (uint64_t)c->max_split_size : f->size;
			for (uint64_t at = 0; at < f->size; at += step) {
				if (k == cap) v = arena_realloc(a, v, sizeof *v * (size_t)cap, sizeof *v * (size_t)cap * 2), cap *= 2;
				hive_split *sp = new_split(a, t, f, 0, -1, -1);
				sp->start = at;
				sp->end = f->size - at > step ? at + step : 0;
				if (step < f->size)
					sp->base.description = arena_sprintf(a, "hive %s.%s %s bytes [%llu, %llu)", t->base.schema,
					                                     t->base.table, f->path, (unsigned long long)at,
					                                     (unsigned long long)(sp->end ? sp->end : f->size));
				v[k++] = &sp->base;
			}
			continue;
		}
		if ((int64_t)f->size <= c->max_split_size) {
			if (k == cap) v = arena_realloc(a, v, sizeof *v * (size_t)cap, sizeof *v * (size_t)cap * 2), cap *= 2;
			v[k++] = &new_split(a, t, f, 0, -1, -1)->base;
			continue;
		}
		/* a large file: runs of row groups of about max_split_size compressed bytes */
		open_file of;
		TRY(file_open(c, f->path, f->size, a, &of));
		int lo = 0;
		int64_t bytes = 0, rows = 0;
		for (int g = 0; g < of.pf->nrow_groups; g++) {
			bytes += of.pf->row_groups[g].compressed_size;
			rows += of.pf->row_groups[g].num_rows;
			if (bytes < c->max_split_size && g + 1 < of.pf->nrow_groups) continue;
			if (k == cap) v = arena_realloc(a, v, sizeof *v * (size_t)cap, sizeof *v * (size_t)cap * 2), cap *= 2;
			v[k++] = &new_split(a, t, f, lo, g + 1, rows)->base;
			lo = g + 1;
			bytes = rows = 0;
		}
		file_close(&of);
	}
	(void)desired;
	*n = k;
	*splits = v;
	return NULL;
}

/* ---- page source ---- */

typedef enum col_source {
	SRC_FILE,      /* a column of the file, as it is */
	SRC_RELABEL,   /* same layout and order, another type label (varchar/text, decimal precision) */
	SRC_INT_WIDEN, /* smallint/integer in the file, wider in the table */
	SRC_FLOAT_WIDEN,
	SRC_NUMERIC_WIDEN, /* decimal(p<=18,s) in the file, decimal(p>18,s) in the table */
	SRC_CONST,         /* partition value, $path, $file_size, or NULL for a column the file lacks */
} col_source;

typedef struct out_col {
	col_source src;
	ftype type;
	int file_pos; /* position in the reader's projection */
	fvalue value; /* SRC_CONST */
} out_col;

typedef struct hive_source {
	conn_page_source base;
	open_file of;
	parquet_reader *r;
	int ncols;
	out_col *cols;
	bool done;
} hive_source;

static bool is_int(type_id id) { return id == TYPE_INT2 || id == TYPE_INT4 || id == TYPE_INT8; }

/* How a file column of type from becomes a table column of type to; false: it cannot. */
static bool coercion(ftype from, ftype to, col_source *how)
{
	*how = SRC_FILE;
	if (ftype_equal(from, to)) return true;
	*how = SRC_RELABEL;
	if (from.id == to.id && from.id != TYPE_NUMERIC) return true;
	if (hive_is_string(from.id) && hive_is_string(to.id)) return true;
	if ((from.id == TYPE_TIMESTAMPTZ && to.id == TYPE_TIMESTAMP) || (from.id == TYPE_JSON && to.id == TYPE_TEXT))
		return true;
	if (from.id == TYPE_NUMERIC && to.id == TYPE_NUMERIC && from.scale == to.scale) {
		if (numeric_is_wide(from) == numeric_is_wide(to)) return true;
		*how = SRC_NUMERIC_WIDEN;
		return !numeric_is_wide(from);
	}
	*how = SRC_INT_WIDEN;
	if (is_int(from.id) && is_int(to.id)) return ftype_width(from) < ftype_width(to);
	*how = SRC_FLOAT_WIDEN;
	return from.id == TYPE_FLOAT4 && to.id == TYPE_FLOAT8;
}

static int64_t int_at(const vector *v, int row)
{
	const void *p = vector_at(v, row);
	switch (v->type.id) {
	case TYPE_INT2: return *(const int16_t *)p;
	case TYPE_INT4: return *(const int32_t *)p;
	default: return *(const int64_t *)p;
	}
}

static void widen(const out_col *oc, const batch *fb, const vector *in, vector *out, arena *a)
{
	vector_init(out, a, oc->type, fb->capacity);
	out->validity = in->validity;
	out->is_const = in->is_const;
	int n = in->is_const ? 1 : fb->count;
	for (int i = 0; i < n; i++) {
		int row = in->is_const ? 0 : batch_row(fb, i);
		if (vector_is_null(in, row)) continue;
		void *dst = (char *)out->data + (size_t)row * ftype_width(oc->type);
		switch (oc->src) {
		case SRC_INT_WIDEN:
			if (oc->type.id == TYPE_INT8) *(int64_t *)dst = int_at(in, row);
			else *(int32_t *)dst = (int32_t)int_at(in, row);
			break;
		case SRC_FLOAT_WIDEN: *(double *)dst = *(const float *)vector_at(in, row); break;
		default: *(__int128 *)dst = *(const int64_t *)vector_at(in, row); break;
		}
	}
}

void hive_const_vector(vector *v, arena *a, ftype type, const fvalue *value)
{
	vector_init(v, a, type, 1);
	v->is_const = true;
	if (value->isnull) vector_set_null(v, a, 0, 1);
	else if (type_info_of(type.id)->byval || !hive_is_string(type.id))
		memcpy(v->data, fvalue_ptr(type, value), ftype_width(type));
	else vector_set_string(v, a, 0, value->u.s.ptr, value->u.s.len);
}

static ferr *hive_next(conn_page_source *src, arena *a, batch **out)
{
	hive_source *s = (hive_source *)src;
	*out = NULL;
	if (s->done || !s->r) return NULL;
	batch *fb;
	TRY(parquet_reader_next(s->r, a, &fb));
	if (!fb) {
		s->done = true;
		return NULL;
	}
	batch *b = arena_zalloc(a, sizeof *b);
	b->ncols = s->ncols;
	b->count = fb->count;
	b->capacity = fb->capacity;
	b->sel = fb->sel;
	b->arena = a;
	b->cols = arena_zalloc(a, sizeof *b->cols * (size_t)(s->ncols ? s->ncols : 1));
	for (int i = 0; i < s->ncols; i++) {
		const out_col *oc = &s->cols[i];
		vector *v = &b->cols[i];
		switch (oc->src) {
		case SRC_FILE: *v = fb->cols[oc->file_pos]; break;
		case SRC_RELABEL:
			*v = fb->cols[oc->file_pos];
			v->type = oc->type;
			break;
		case SRC_CONST: hive_const_vector(v, a, oc->type, &oc->value); break;
		default: widen(oc, fb, &fb->cols[oc->file_pos], v, a); break;
		}
	}
	*out = b;
	return NULL;
}

static void hive_close(conn_page_source *src)
{
	hive_source *s = (hive_source *)src;
	if (s->r) parquet_reader_close(s->r);
	s->r = NULL;
	file_close(&s->of);
}

static int64_t hive_bytes_read(conn_page_source *src)
{
	hive_source *s = (hive_source *)src;
	return s->r ? (int64_t)parquet_reader_bytes_read(s->r) : 0;
}

static const conn_page_source_ops hive_source_ops = {hive_next, hive_close, hive_bytes_read};

static int file_column(const parquet_file *pf, const char *name)
{
	for (int i = 0; i < pf->ncols; i++)
		if (strcasecmp(pf->cols[i].name, name) == 0) return i;
	return -1;
}

/* Per data column, its file column for footer statistics (HIVE_FOOTER_ABSENT,
 * HIVE_FOOTER_UNUSABLE). */
static void footer_columns(const hive_table *t, const parquet_file *pf, int *fcol)
{
	for (int i = 0; i < t->ndata; i++) {
		int fc = file_column(pf, t->base.cols[i].name);
		col_source how;
		if (fc < 0)
			fcol[i] = HIVE_FOOTER_ABSENT;
		else if (pf->cols[fc].nested || pf->cols[fc].unsupported ||
		         !coercion(pf->cols[fc].type, t->base.cols[i].type, &how))
			fcol[i] = HIVE_FOOTER_UNUSABLE;
		else
			fcol[i] = fc;
	}
}

/* Row-group skipping ranges from the pushed domain (the hull of each column's ranges). */
static int skip_ranges(const hive_table *t, const parquet_file *pf, arena *a, parquet_col_range **out)
{
	const conn_domain *d = t->domain;
	if (!d) return 0;
	parquet_col_range *rs = arena_zalloc(a, sizeof *rs * (size_t)(d->ncols ? d->ncols : 1));
	int n = 0;
	for (int i = 0; i < d->ncols; i++) {
		const conn_column_domain *cd = &d->cols[i];
		if (cd->column < 0 || cd->column >= t->ndata) continue;
		ftype tt = t->base.cols[cd->column].type;
		int fc = file_column(pf, t->base.cols[cd->column].name);
		col_source how;
		if (fc < 0 || pf->cols[fc].nested || !coercion(pf->cols[fc].type, tt, &how) ||
		    (how != SRC_FILE && how != SRC_RELABEL))
			continue;
		parquet_col_range *r = &rs[n];
		r->col = fc;
		r->null_allowed = cd->null_allowed;
		if (cd->all) continue; /* only the NULL rule: "IS NOT NULL" is not used for skipping */
		if (cd->nranges == 0) {
			r->only_null = cd->null_allowed;
			if (!cd->null_allowed) r->has_lo = r->has_hi = false;
			n++;
			continue;
		}
		r->has_lo = r->has_hi = true;
		for (int j = 0; j < cd->nranges; j++) {
			const conn_range *cr = &cd->ranges[j];
			if (cr->low_unbounded) r->has_lo = false;
			else if (j == 0 || value_compare(tt, fvalue_ptr(tt, &cr->low), fvalue_ptr(tt, &r->lo)) < 0)
				r->lo = cr->low;
			if (cr->high_unbounded) r->has_hi = false;
			else if (j == 0 || value_compare(tt, fvalue_ptr(tt, &cr->high), fvalue_ptr(tt, &r->hi)) > 0)
				r->hi = cr->high;
		}
		n++;
	}
	*out = rs;
	return n;
}

bool hive_const_column(const hive_table *t, const hive_split *sp, int k, fvalue *out)
{
	memset(out, 0, sizeof *out);
	if (k < t->ndata) return false;
	if (k < t->ndata + t->npart) {
		*out = sp->part_values[k - t->ndata];
	} else if (k == t->ndata + t->npart) { /* hidden columns */
		out->u.s.ptr = sp->path;
		out->u.s.len = (uint32_t)strlen(sp->path);
	} else {
		out->u.i = (int64_t)sp->size;
	}
	return true;
}

static ferr *open_source(hive_catalog *c, const hive_table *t, const hive_split *sp, int ncols, const int *cols,
                         arena *a, hive_source *s)
{
	TRY(file_open(c, sp->path, sp->size, a, &s->of));
	const parquet_file *pf = s->of.pf;
	int *proj = arena_alloc(a, sizeof *proj * (size_t)(ncols ? ncols : 1));
	int nproj = 0;
	for (int i = 0; i < ncols; i++) {
		out_col *oc = &s->cols[i];
		int k = cols[i];
		if (k < 0 || k >= t->base.ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "hive table %s.%s: no column %d", t->base.schema,
			                t->base.table, k);
		const conn_column *cc = &t->base.cols[k];
		oc->type = cc->type;
		oc->src = SRC_CONST;
		if (hive_const_column(t, sp, k, &oc->value)) continue;
		int fc = file_column(pf, cc->name);
		if (fc < 0) { /* schema evolution: a column the file does not have reads as NULL */
			oc->value.isnull = true;
			continue;
		}
		if (pf->cols[fc].unsupported)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "hive table %s.%s: column %s in '%s': %s",
			                t->base.schema, t->base.table, cc->name, sp->path, pf->cols[fc].unsupported);
		if (!coercion(pf->cols[fc].type, cc->type, &oc->src)) {
			strbuf ft = STRBUF_INIT;
			ftype_format(pf->cols[fc].type, &ft);
			ferr *e = ferr_new(SQLSTATE_DATATYPE_MISMATCH,
			                   "hive table %s.%s: column %s is declared %s but file '%s' has %s (%s)",
			                   t->base.schema, t->base.table, cc->name, t->hive_types[k], sp->path, ft.data,
			                   pf->cols[fc].parquet_type ? pf->cols[fc].parquet_type : "?");
			sb_free(&ft);
			return e;
		}
		oc->file_pos = nproj;
		proj[nproj++] = fc;
	}
	parquet_col_range *ranges;
	int nranges = skip_ranges(t, pf, a, &ranges);
	int lo = sp->rg_lo, hi = sp->rg_hi < 0 || sp->rg_hi > pf->nrow_groups ? pf->nrow_groups : sp->rg_hi;
	int *groups = arena_alloc(a, sizeof *groups * (size_t)(hi > lo ? hi - lo : 1));
	int ngroups = 0;
	for (int g = lo; g < hi; g++)
		if (!nranges || !parquet_row_group_can_skip(pf, g, ranges, nranges)) groups[ngroups++] = g;
	if (ngroups == 0) return NULL;
	return parquet_reader_open_groups(pf, groups, ngroups, proj, nproj, a, &s->r);
}

static ferr *hive_open_page_source(conn_catalog *cat, const conn_table *ct, const conn_split *split, int ncols,
                                   const int *cols, arena *a, conn_page_source **out)
{
	hive_catalog *c = (hive_catalog *)cat;
	const hive_table *t = (const hive_table *)ct;
	*out = NULL;
	TRY(check_format(t));
	if (t->fmt != HIVE_FMT_PARQUET) return hive_text_open_source(c, t, (const hive_split *)split, ncols, cols, a, out);
	hive_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &hive_source_ops;
	s->ncols = ncols;
	s->cols = arena_zalloc(a, sizeof *s->cols * (size_t)(ncols ? ncols : 1));
	ferr *e = open_source(c, t, (const hive_split *)split, ncols, cols, a, s);
	if (e) {
		hive_close(&s->base);
		return e;
	}
	*out = &s->base;
	return NULL;
}

/* ---- explain, JSON ---- */

static void hive_explain(conn_catalog *cat, const conn_table *ct, strbuf *out)
{
	(void)cat;
	const hive_table *t = (const hive_table *)ct;
	sb_printf(out, "hive %s.%s %s (%s%s)", t->base.schema, t->base.table, t->location, t->format,
	          t->external ? ", external" : "");
	if (t->domain) {
		sb_puts(out, t->domain->none ? " no rows" : " filter on");
		for (int i = 0; i < t->domain->ncols && !t->domain->none; i++) {
			int k = t->domain->cols[i].column;
			if (k >= 0 && k < t->base.ncols)
				sb_printf(out, "%s %s%s", i ? "," : "", t->base.cols[k].name,
				          k >= t->ndata && k < t->ndata + t->npart ? " (partitions)" : " (row groups)");
		}
	}
}

static json_t *hive_table_json(conn_catalog *cat, const conn_table *ct)
{
	(void)cat;
	const hive_table *t = (const hive_table *)ct;
	json_t *cols = json_array();
	for (int i = 0; i < t->ndata + t->npart; i++)
		json_array_append_new(cols, json_pack("{s:s,s:s,s:b}", "name", t->base.cols[i].name, "type",
		                                      t->hive_types[i], "partition", i >= t->ndata));
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:o}", "schema", t->base.schema, "table", t->base.table, "location",
	                 t->location, "format", t->format, "external", t->external, "columns", cols);
}

static json_t *hive_split_json(conn_catalog *cat, const conn_split *cs)
{
	(void)cat;
	const hive_split *s = (const hive_split *)cs;
	return json_pack("{s:s,s:I,s:i,s:i,s:I,s:I}", "path", s->path, "size", (json_int_t)s->size, "rg_lo", s->rg_lo,
	                 "rg_hi", s->rg_hi, "start", (json_int_t)s->start, "end", (json_int_t)s->end);
}

static void hive_destroy(conn_catalog *cat)
{
	hive_catalog *c = (hive_catalog *)cat;
	fs_destroy(c->fs);
	free(c->dir);
	free(c);
}

static const conn_catalog_ops hive_ops = {
	.list_schemas = hive_list_schemas,
	.list_tables = hive_list_tables,
	.get_table = hive_get_table,
	.get_statistics = hive_get_statistics,
	.apply_filter = hive_apply_filter,
	.get_splits = hive_get_splits,
	.open_page_source = hive_open_page_source,
	.create_schema = hive_create_schema,
	.drop_schema = hive_drop_schema,
	.create_table = hive_create_table,
	.drop_table = hive_drop_table,
	.begin_create_table = hive_begin_create_table,
	.begin_insert = hive_begin_insert,
	.open_page_sink = hive_open_page_sink,
	.finish_write = hive_finish_write,
	.abort_write = hive_abort_write,
	.explain = hive_explain,
	.table_to_json = hive_table_json,
	.split_to_json = hive_split_json,
	.destroy = hive_destroy,
	.analyze = hive_analyze,
};

/*
 * A catalog from its properties. Nothing is read here: a metastore that is
 * unreachable still loads, and its queries fail with the storage error.
 */
static ferr *hive_create(const char *name, const props *p, conn_catalog **out)
{
	const char *ms = props_get_default(p, "hive.metastore", "file");
	if (strcasecmp(ms, "file") != 0)
		return ferr_hint(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                          "catalog '%s': hive.metastore=%s is not supported", name, ms),
		                 "Use hive.metastore=file with hive.metastore.catalog.dir.");
	const char *dir = props_get(p, "hive.metastore.catalog.dir");
	if (!dir || !*dir)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "catalog '%s': hive.metastore.catalog.dir is required",
		                name);
	if (fs_location_scheme(dir) == FS_SCHEME_UNKNOWN)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "catalog '%s': hive.metastore.catalog.dir '%s' is not an s3:// location, an "
		                "absolute path or a file:/// location",
		                name, dir);
	int64_t split_size;
	bool recursive;
	TRY(props_get_bytes(p, "hive.max-split-size", HIVE_DEFAULT_MAX_SPLIT_SIZE, &split_size));
	if (split_size < (1 << 20))
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "catalog '%s': hive.max-split-size must be at least 1MB",
		                name);
	TRY(props_get_bool(p, "hive.recursive-directories", false, &recursive));
	fs *f;
	ferr *e = fs_create(p, &f);
	if (e) return ferr_prefix(e, "catalog '%s'", name);
	hive_catalog *c = xcalloc(1, sizeof *c);
	c->base.ops = &hive_ops;
	c->base.name = name;
	c->base.connector = "hive";
	c->fs = f;
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/') len--;
	c->dir = strndup(dir, len);
	c->max_split_size = split_size;
	c->recursive = recursive;
	*out = &c->base;
	return NULL;
}

const conn_factory hive_connector_factory = {"hive", hive_create};
