/*
 * hive_analyze.c — ANALYZE of a hive table (Trino's `ANALYZE t [WITH
 * (partitions = ARRAY[ARRAY['v1', 'v2'], ...])]`): read every data file
 * (of the partitions named), compute numRows and the columnStatistics of
 * hive_stats.c, and store them in the table's document (unpartitioned) or
 * in each partition's (partitioned), replacing what was there.
 * Never writes data files; a failure before the documents are written
 * leaves the statistics as they were.
 */
#include <string.h>
#include <strings.h>

#include "connectors/hive/hive_internal.h"

/* ---- the partitions property ---- */

static void skip_blank(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r') (*p)++;
}

static bool eat_keyword(const char **p, const char *kw)
{
	skip_blank(p);
	size_t n = strlen(kw);
	if (strncasecmp(*p, kw, n) != 0) return false;
	*p += n;
	return true;
}

/* 'text' (quotes doubled inside) or NULL; *out NULL for NULL. */
static bool parse_value(const char **p, arena *a, const char **out)
{
	skip_blank(p);
	if (eat_keyword(p, "null")) {
		*out = NULL;
		return true;
	}
	if (**p != '\'') return false;
	strbuf sb = STRBUF_INIT;
	for ((*p)++;; (*p)++) {
		if (!**p) {
			sb_free(&sb);
			return false;
		}
		if (**p == '\'') {
			if ((*p)[1] != '\'') break;
			(*p)++;
		}
		sb_putc(&sb, **p);
	}
	(*p)++;
	*out = arena_strndup(a, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return true;
}

/* ARRAY[ARRAY['2025', '09'], ...]: each inner array must have exactly npart values. */
static ferr *parse_partitions(const char *v, int npart, arena *a, int *n, const char ***vals)
{
	const char *p = v;
	ferr *bad = ferr_hint(ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
	                               "invalid value for analyze property 'partitions': %s", v),
	                      "Use ARRAY[ARRAY['value of the first key', ...], ...].");
	int cap = 8, k = 0;
	const char **all = arena_alloc(a, sizeof *all * (size_t)cap * (size_t)(npart ? npart : 1));
	if (!eat_keyword(&p, "array") || (skip_blank(&p), *p++ != '[')) return bad;
	skip_blank(&p);
	bool empty = *p == ']';
	while (!empty) {
		if (!eat_keyword(&p, "array") || (skip_blank(&p), *p++ != '[')) return bad;
		if (k == cap) {
			all = arena_realloc(a, all, sizeof *all * (size_t)cap * (size_t)npart,
			                    sizeof *all * (size_t)cap * 2 * (size_t)npart);
			cap *= 2;
		}
		int m = 0;
		for (;;) {
			const char *val;
			if (!parse_value(&p, a, &val)) return bad;
			if (m < npart) all[k * npart + m] = val;
			m++;
			skip_blank(&p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p++ != ']') return bad;
			break;
		}
		if (m != npart) {
			ferr_free(bad);
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			                "partition value count does not match partition column count: %d values for %d "
			                "partition columns",
			                m, npart);
		}
		k++;
		skip_blank(&p);
		if (*p == ',') {
			p++;
			continue;
		}
		break;
	}
	skip_blank(&p);
	if (*p++ != ']') return bad;
	skip_blank(&p);
	if (*p) return bad;
	ferr_free(bad);
	*n = k;
	*vals = all;
	return NULL;
}

/* Whether partition directory name (k=v/k2=v2) has the values of one of the requested lists. */
static bool partition_selected(const hive_table *t, const char *name, size_t len, int nsel, const char **sel,
                               arena *a)
{
	const char **vals = arena_alloc(a, sizeof *vals * (size_t)t->npart);
	const char *seg = name, *end = name + len;
	for (int i = 0; i < t->npart; i++) {
		const char *slash = memchr(seg, '/', (size_t)(end - seg));
		if (!slash) slash = end;
		const char *eq = memchr(seg, '=', (size_t)(slash - seg));
		if (!eq) return false;
		vals[i] = hive_unescape_path(eq + 1, (size_t)(slash - eq - 1), a);
		seg = slash + 1;
	}
	for (int k = 0; k < nsel; k++) {
		bool all = true;
		for (int i = 0; i < t->npart && all; i++) {
			const char *want = sel[k * t->npart + i];
			all = want ? strcmp(want, vals[i]) == 0 : strcmp(vals[i], HIVE_DEFAULT_PARTITION) == 0;
		}
		if (all) return true;
	}
	return false;
}

/* ---- scanning ---- */

typedef struct part_acc {
	const char *name; /* "" unpartitioned */
	hive_col_stats *stats;
	int64_t rows;
} part_acc;

typedef struct analysis {
	const hive_table *t;
	int n, cap;
	part_acc *parts;
} analysis;

static part_acc *part_for(analysis *an, const char *name, size_t len, arena *a)
{
	for (int i = an->n - 1; i >= 0; i--)
		if (strlen(an->parts[i].name) == len && strncmp(an->parts[i].name, name, len) == 0) return &an->parts[i];
	if (an->n == an->cap) {
		int ncap = an->cap ? an->cap * 2 : 16;
		an->parts = arena_realloc(a, an->parts, sizeof *an->parts * (size_t)an->cap, sizeof *an->parts * (size_t)ncap);
		an->cap = ncap;
	}
	part_acc *p = &an->parts[an->n++];
	p->name = arena_strndup(a, name, len);
	p->rows = 0;
	p->stats = xcalloc((size_t)an->t->ndata, sizeof *p->stats);
	for (int i = 0; i < an->t->ndata; i++) hive_col_stats_init(&p->stats[i], an->t->base.cols[i].type);
	return p;
}

static void analysis_free(analysis *an)
{
	for (int i = 0; i < an->n; i++) {
		for (int k = 0; k < an->t->ndata; k++) hive_col_stats_free(&an->parts[i].stats[k]);
		free(an->parts[i].stats);
	}
}

/* Every row of one split into p's statistics. */
static ferr *scan_split(hive_catalog *c, const hive_table *t, const conn_split *sp, const int *cols, part_acc *p)
{
	arena *sa = arena_create(NULL, "hive analyze split"), *ba = arena_create(NULL, "hive analyze batch");
	conn_page_source *src = NULL;
	ferr *e = c->base.ops->open_page_source(&c->base, &t->base, sp, t->ndata, cols, sa, &src);
	while (!e && src) {
		batch *b;
		arena_reset(ba);
		e = src->ops->next(src, ba, &b);
		if (e || !b) break;
		p->rows += b->count;
		for (int i = 0; i < t->ndata; i++) hive_col_stats_add(&p->stats[i], &b->cols[i], b);
	}
	if (src) src->ops->close(src);
	arena_destroy(ba);
	arena_destroy(sa);
	return e;
}

/* ---- storing ---- */

static void set_stats(json_t *doc, const hive_table *t, const part_acc *p)
{
	json_t *params = json_object_get(doc, "parameters");
	if (!json_is_object(params)) json_object_set_new(doc, "parameters", params = json_object());
	json_object_set_new(params, "numRows", json_sprintf("%lld", (long long)p->rows));
	json_object_set_new(doc, "columnStatistics", hive_stats_to_json(t, p->stats));
	hive_sketches_record(params, NULL, t, p->stats, false, -1);
}

static ferr *store(hive_catalog *c, const hive_table *t, const analysis *an, bool whole, int64_t total, arena *a)
{
	const char *dir = hive_table_dir(c, t->base.schema, t->base.table, a);
	const char *tloc = arena_sprintf(a, "%s/" HIVE_SCHEMA_FILE, dir);
	for (int i = 0; i < an->n && t->npart > 0; i++) {
		const part_acc *p = &an->parts[i];
		const char *loc = arena_sprintf(a, "%s/%s/" HIVE_SCHEMA_FILE, dir, p->name);
		json_t *doc;
		TRY(hive_read_json(c, loc, &doc));
		/* a partition written by another engine gets its document now */
		if (!doc) doc = hive_ms_partition_json(t, arena_sprintf(a, "%s/%s", t->location, p->name));
		set_stats(doc, t, p);
		ferr *e = hive_write_json(c, loc, doc);
		json_decref(doc);
		TRY(e);
	}
	if (!whole) return NULL;
	json_t *doc;
	TRY(hive_read_json(c, tloc, &doc));
	if (!doc)
		return ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s.%s\" does not exist", t->base.schema,
		                t->base.table);
	if (t->npart == 0) {
		part_acc none = {.name = "", .rows = 0};
		set_stats(doc, t, an->n ? &an->parts[0] : &none);
		if (!an->n) json_object_set_new(doc, "columnStatistics", json_object());
	} else {
		/* the table's count is every partition's; column figures live in the partitions */
		json_t *params = json_object_get(doc, "parameters");
		if (!json_is_object(params)) json_object_set_new(doc, "parameters", params = json_object());
		json_object_set_new(params, "numRows", json_sprintf("%lld", (long long)total));
	}
	ferr *e = hive_write_json(c, tloc, doc);
	json_decref(doc);
	return e;
}

ferr *hive_analyze(conn_catalog *cat, const conn_table *ct, int nprops, const char **prop_names,
                   const char **prop_values, int64_t *rows)
{
	hive_catalog *c = (hive_catalog *)cat;
	*rows = 0;
	arena *a = arena_create(NULL, "hive analyze");
	hive_table *t = arena_alloc(a, sizeof *t);
	*t = *(const hive_table *)ct;
	t->domain = NULL;
	int nsel = -1;
	const char **sel = NULL;
	ferr *e = NULL;
	for (int i = 0; i < nprops && !e; i++) {
		if (strcmp(prop_names[i], "partitions") != 0)
			e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "catalog '%s': analyze property '%s' does not exist",
			             cat->name, prop_names[i]);
		else if (t->npart == 0)
			e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			             "partition list provided but table %s.%s is not partitioned", t->base.schema,
			             t->base.table);
		else
			e = parse_partitions(prop_values[i] ? prop_values[i] : "", t->npart, a, &nsel, &sel);
	}
	if (e) {
		arena_destroy(a);
		return e;
	}
	if (t->fmt == HIVE_FMT_OTHER)
		e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "hive table %s.%s: cannot analyze storage format %s",
		             t->base.schema, t->base.table, t->format);
	int n = 0;
	conn_split **splits = NULL;
	if (!e) e = cat->ops->get_splits(cat, &t->base, 1, a, &n, &splits);
	int *cols = arena_alloc(a, sizeof *cols * (size_t)(t->ndata ? t->ndata : 1));
	for (int i = 0; i < t->ndata; i++) cols[i] = i;
	analysis an = {.t = t};
	if (!e && t->npart == 0) part_for(&an, "", 0, a); /* an empty table has its (empty) statistics too */
	int64_t total = 0;
	for (int i = 0; i < n && !e; i++) {
		const hive_split *sp = (const hive_split *)splits[i];
		size_t len = hive_partition_name_len(t, sp->path);
		const char *name = t->npart ? sp->path + strlen(t->location) + 1 : "";
		if (t->npart && (len == 0 || (nsel >= 0 && !partition_selected(t, name, len, nsel, sel, a)))) continue;
		part_acc *p = part_for(&an, name, len, a);
		int64_t before = p->rows;
		e = scan_split(c, t, &sp->base, cols, p);
		total += p->rows - before;
	}
	if (!e) e = store(c, t, &an, nsel < 0, total, a);
	if (!e) *rows = total;
	analysis_free(&an);
	arena_destroy(a);
	return e;
}
