/*
 * nested.c — lists, structs and maps, presented as one json value per
 * top-level field (Ferry has no array or composite types yet). The leaves
 * of a nested field are read whole for the row group, then each row is
 * assembled from their definition and repetition levels (Dremel record
 * assembly) following the schema tree. Levels that do not fit the schema
 * give a corrupt-file error; the renderer never reads outside the leaves.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/parquet/parquet_internal.h"

/* Level entries one nested column chunk may hold (memory ~ 4 bytes + value each). */
#define PQ_MAX_NESTED_ENTRIES (16 << 20)

typedef struct nleaf {
	const pq_leaf *leaf;
	int64_t n;    /* level entries */
	uint16_t *defs, *reps;
	vector vals;  /* present values, dense */
	int64_t nvals;
	int64_t pos;  /* next entry */
	int64_t vpos; /* next value */
} nleaf;

struct pq_nested {
	const parquet_file *f;
	const parquet_column *col;
	const pq_node *node;
	int base; /* global index of the first leaf */
	int nleaves;
	nleaf *leaves;
	fmt_settings fs;
	ferr *err;
};

/* The schema node of top-level column col. */
static const pq_node *column_node(const parquet_file *f, int col) { return &f->in->root->children[col]; }

static ferr *read_leaf(pq_nested *nd, pq_column *c, nleaf *l, arena *a)
{
	l->leaf = c->leaf;
	int64_t cap = 4096;
	l->defs = arena_alloc(a, (size_t)cap * sizeof(uint16_t));
	l->reps = arena_alloc(a, (size_t)cap * sizeof(uint16_t));
	size_t w = ftype_width(c->leaf->type);
	int64_t vcap = cap + BATCH_CAPACITY;
	vector_init(&l->vals, a, c->leaf->type, (int)vcap);
	for (;;) {
		if (l->n + BATCH_CAPACITY > cap) {
			int64_t nc = cap * 2;
			if (nc > PQ_MAX_NESTED_ENTRIES + BATCH_CAPACITY)
				return pq_unsupported(nd->f, "nested column '%s' has more than %d values in one row group",
				                      nd->col->name, PQ_MAX_NESTED_ENTRIES);
			l->defs = arena_realloc(a, l->defs, (size_t)cap * sizeof(uint16_t), (size_t)nc * sizeof(uint16_t));
			l->reps = arena_realloc(a, l->reps, (size_t)cap * sizeof(uint16_t), (size_t)nc * sizeof(uint16_t));
			cap = nc;
		}
		if (l->nvals + BATCH_CAPACITY > vcap) {
			int64_t nc = vcap * 2;
			l->vals.data = arena_realloc(a, l->vals.data, (size_t)vcap * w, (size_t)nc * w);
			vcap = nc;
		}
		int got = 0;
		TRY(pq_column_read_entries(c, BATCH_CAPACITY, l->defs + l->n, l->reps + l->n, &l->vals, &l->nvals, a,
		                           &got));
		if (got == 0) break;
		l->n += got;
	}
	return NULL;
}

ferr *pq_nested_open(const parquet_file *f, int col, pq_column *leaves, int64_t num_rows, arena *a,
                     pq_nested **out)
{
	*out = NULL;
	pq_nested *nd = arena_zalloc(a, sizeof(*nd));
	nd->f = f;
	nd->col = &f->cols[col];
	nd->node = column_node(f, col);
	nd->base = nd->col->first_leaf;
	nd->nleaves = nd->col->nleaves;
	nd->leaves = arena_zalloc(a, (size_t)nd->nleaves * sizeof(nleaf));
	fmt_settings_default(&nd->fs);
	for (int i = 0; i < nd->nleaves; i++) {
		nleaf *l = &nd->leaves[i];
		TRY(read_leaf(nd, &leaves[i], l, a));
		/* Every row starts with repetition level 0: count them. */
		int64_t rows = 0;
		for (int64_t k = 0; k < l->n; k++) rows += l->reps[k] == 0;
		if (l->n > 0 && l->reps[0] != 0)
			return pq_corrupt(f, "column '%s': repetition levels do not start a row", l->leaf->path);
		if (rows != num_rows)
			return pq_corrupt(f, "column '%s' holds %lld rows, its row group %lld", l->leaf->path, (long long)rows,
			                  (long long)num_rows);
	}
	*out = nd;
	return NULL;
}

/* ------------------------------------------------------------- render */

static bool fail(pq_nested *nd, const char *what)
{
	if (!nd->err) nd->err = pq_corrupt(nd->f, "column '%s': %s", nd->col->name, what);
	return false;
}

static nleaf *first_leaf(pq_nested *nd, const pq_node *n) { return &nd->leaves[n->first_leaf - nd->base]; }

/* Definition level of the next entry of node's first leaf; -1 when exhausted. */
static int next_def(pq_nested *nd, const pq_node *n)
{
	nleaf *l = first_leaf(nd, n);
	return l->pos < l->n ? l->defs[l->pos] : -1;
}

/* Skip one absent instance of n: one entry in every leaf below it. */
static bool skip_instance(pq_nested *nd, const pq_node *n)
{
	for (int i = 0; i < n->nleaves; i++) {
		nleaf *l = &nd->leaves[n->first_leaf - nd->base + i];
		if (l->pos >= l->n) return fail(nd, "levels end inside a row");
		if (l->defs[l->pos] >= n->def) return fail(nd, "levels disagree between leaves");
		l->pos++;
	}
	return true;
}

static void json_string(strbuf *sb, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	sb_putc(sb, '"');
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\') continue;
		sb_append(sb, p + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			sb_puts(sb, u);
		}
		}
	}
	sb_append(sb, p + run, len - run);
	sb_putc(sb, '"');
}

static void json_value(pq_nested *nd, ftype t, const void *v, strbuf *sb)
{
	switch (t.id) {
	case TYPE_BOOL: sb_puts(sb, *(const uint8_t *)v ? "true" : "false"); return;
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8: case TYPE_NUMERIC:
		value_out_text(t, v, &nd->fs, sb);
		return;
	case TYPE_FLOAT4:
	case TYPE_FLOAT8: {
		double d = t.id == TYPE_FLOAT4 ? *(const float *)v : *(const double *)v;
		if (isfinite(d)) {
			value_out_text(t, v, &nd->fs, sb);
			return;
		}
		break;
	}
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_JSON: case TYPE_JSONB: {
		const fstring *s = v;
		json_string(sb, s->ptr, s->len);
		return;
	}
	default: break;
	}
	strbuf tmp = STRBUF_INIT;
	value_out_text(t, v, &nd->fs, &tmp);
	json_string(sb, tmp.data ? tmp.data : "", tmp.len);
	sb_free(&tmp);
}

static bool render_field(pq_nested *nd, const pq_node *n, strbuf *sb);
static bool render_body(pq_nested *nd, const pq_node *n, strbuf *sb);

static bool is_list(const pq_node *n)
{
	return (n->el->converted == CT_LIST || n->el->logical == LT_LIST) && n->nchildren == 1 &&
	       n->children[0].el->repetition == REP_REPEATED;
}

static bool is_map(const pq_node *n)
{
	if (!(n->el->converted == CT_MAP || n->el->converted == CT_MAP_KEY_VALUE || n->el->logical == LT_MAP))
		return false;
	if (n->nchildren != 1) return false;
	const pq_node *kv = &n->children[0];
	return kv->el->repetition == REP_REPEATED && kv->leaf < 0 && kv->nchildren >= 1 && kv->nchildren <= 2;
}

/* The element of a LIST's repeated child r (the backward-compatibility rules of the spec). */
static const pq_node *list_element(const pq_node *r)
{
	if (r->leaf >= 0 || r->nchildren != 1) return r;
	const char *name = r->el->name;
	size_t len = strlen(name);
	if (strcmp(name, "array") == 0 || (len > 6 && strcmp(name + len - 6, "_tuple") == 0)) return r;
	return &r->children[0];
}

/*
 * Instances of the repeated node r as a json array (or object for maps):
 * empty when the first entry is not defined down to r; further elements
 * follow while the next entry repeats at r's level.
 */
static bool render_repeated(pq_nested *nd, const pq_node *r, const pq_node *elem, bool map, strbuf *sb)
{
	sb_putc(sb, map ? '{' : '[');
	int d = next_def(nd, r);
	if (d < 0) return fail(nd, "levels end inside a row");
	if (d < r->def) {
		if (!skip_instance(nd, r)) return false;
		sb_putc(sb, map ? '}' : ']');
		return true;
	}
	for (bool first = true;; first = false) {
		if (!first) sb_putc(sb, ',');
		if (map) {
			strbuf key = STRBUF_INIT;
			bool ok = render_field(nd, &r->children[0], &key);
			if (ok) {
				if (key.len > 0 && key.data[0] == '"') sb_append(sb, key.data, key.len);
				else json_string(sb, key.data ? key.data : "", key.len);
				sb_putc(sb, ':');
				if (r->nchildren == 2) ok = render_field(nd, &r->children[1], sb);
				else sb_puts(sb, "null");
			}
			sb_free(&key);
			if (!ok) return false;
		} else if (elem == r) {
			if (!render_body(nd, r, sb)) return false;
		} else if (!render_field(nd, elem, sb)) {
			return false;
		}
		nleaf *l = first_leaf(nd, r);
		if (l->pos >= l->n || l->reps[l->pos] != r->rep) break;
	}
	sb_putc(sb, map ? '}' : ']');
	return true;
}

/* A present instance of n (its own optional/repeated marker already satisfied). */
static bool render_body(pq_nested *nd, const pq_node *n, strbuf *sb)
{
	if (n->leaf >= 0) {
		nleaf *l = first_leaf(nd, n);
		if (l->pos >= l->n) return fail(nd, "levels end inside a row");
		if (l->defs[l->pos] != l->leaf->max_def) return fail(nd, "required value missing");
		if (l->vpos >= l->nvals) return fail(nd, "fewer values than levels");
		json_value(nd, l->leaf->type, vector_at(&l->vals, (int)l->vpos), sb);
		l->vpos++;
		l->pos++;
		return true;
	}
	if (is_list(n)) {
		const pq_node *r = &n->children[0];
		return render_repeated(nd, r, list_element(r), false, sb);
	}
	if (is_map(n)) return render_repeated(nd, &n->children[0], NULL, true, sb);
	sb_putc(sb, '{');
	for (int i = 0; i < n->nchildren; i++) {
		if (i) sb_putc(sb, ',');
		json_string(sb, n->children[i].el->name, strlen(n->children[i].el->name));
		sb_putc(sb, ':');
		if (!render_field(nd, &n->children[i], sb)) return false;
	}
	sb_putc(sb, '}');
	return true;
}

/* The value of a field: null, a repeated field's array, or its body. */
static bool render_field(pq_nested *nd, const pq_node *n, strbuf *sb)
{
	if (n->el->repetition == REP_REPEATED) return render_repeated(nd, n, n, false, sb);
	if (n->el->repetition == REP_OPTIONAL) {
		int d = next_def(nd, n);
		if (d < 0) return fail(nd, "levels end inside a row");
		if (d < n->def) {
			sb_puts(sb, "null");
			return skip_instance(nd, n);
		}
	}
	return render_body(nd, n, sb);
}

ferr *pq_nested_read(pq_nested *nd, vector *v, int n, int capacity, arena *a)
{
	const pq_node *top = nd->node;
	strbuf sb = STRBUF_INIT;
	for (int row = 0; row < n; row++) {
		int d = next_def(nd, top);
		if (d < 0) {
			sb_free(&sb);
			return pq_corrupt(nd->f, "column '%s': fewer rows than the row group", nd->col->name);
		}
		sb_reset(&sb);
		bool ok;
		if (top->el->repetition == REP_OPTIONAL && d < top->def) {
			ok = skip_instance(nd, top);
			vector_set_null(v, a, row, capacity);
			((fstring *)v->data)[row] = (fstring){0, ""};
		} else {
			ok = top->el->repetition == REP_REPEATED ? render_repeated(nd, top, top, false, &sb)
			                                         : render_body(nd, top, &sb);
			if (ok) vector_set_string(v, a, row, sb.data ? sb.data : "", (uint32_t)sb.len);
		}
		/* After a row every leaf must stand at the start of the next one. */
		for (int i = 0; ok && i < nd->nleaves; i++) {
			nleaf *l = &nd->leaves[i];
			if (l->pos < l->n && l->reps[l->pos] != 0) ok = fail(nd, "levels disagree between leaves");
		}
		if (!ok) {
			sb_free(&sb);
			ferr *e = nd->err;
			nd->err = NULL;
			return e ? e : pq_corrupt(nd->f, "column '%s': malformed nested data", nd->col->name);
		}
	}
	sb_free(&sb);
	return NULL;
}
