/*
 * agg_funcs_ext.c — the aggregates after AGG_MAX: variance and stddev (as
 * PostgreSQL's numeric_accum/float8_accum), bool_and/bool_or/every, Trino's
 * approx_distinct (HyperLogLog), bit_and/bit_or/bit_xor, corr/covar/regr_*
 * (float8_regr_accum), string_agg/array_agg/json(b)_agg/json(b)_object_agg
 * (with ORDER BY of any number of keys), the percentile_cont/percentile_disc
 * and mode ordered-set aggregates and the hypothetical-set rank/dense_rank/
 * percent_rank/cume_dist. Each state fits the
 * 64 bytes of agg_funcs.c and is merged for two-phase aggregation and window
 * frames; it never points into batch memory (values are copied into the
 * aggregation arena).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/hll.h"
#include "exec/agg_funcs.h"
#include "exec/array.h"
#include "exec/functions_internal.h"
#include "exec/types_internal.h"
#include "formats/json/json.h"

/* numeric_accum: exact sums of x and x*x; float8_accum: Youngs-Cramer (N, Sx, Sxx) */
typedef struct var_state {
	union {
		struct {
			i128 sum, sumsq; /* numeric input: scale and 2 * scale */
			int64_t count;
		};
		struct {
			double n, sx, sxx; /* float input */
		};
	};
	int32_t scale;
	uint8_t has;
} var_state;

typedef struct bool_state {
	uint8_t has, val;
} bool_state;

/* HyperLogLog with 2^11 registers: standard error 1.04 / sqrt(2048) = 2.3% (Trino's default) */
typedef struct hll_state {
	uint8_t *regs; /* HLL_M registers in the aggregation arena, NULL before the first value */
} hll_state;

/* One kept value in vector layout (strings copied into the aggregation arena). */
typedef struct mval {
	union {
		uint8_t bytes[16];
		i128 align;
	} v;
	bool null;
} mval;

/* string_agg and the percentiles keep their input: (value, order key) pairs */
typedef struct item {
	union {
		uint8_t bytes[16];
		i128 align;
	} v, k;
	bool knull;
	bool vnull; /* array_agg keeps NULL values */
	mval *more; /* the ORDER BY keys after the first, at their x.more index; NULL when none */
} item;
typedef struct list_state {
	item *items;
	int64_t n, cap;
} list_state;

/* float8_regr_accum: N, Sx, Sxx, Sy, Syy, Sxy (Y is the first argument) */
typedef struct regr_state {
	double n, sx, sxx, sy, syy, sxy;
} regr_state;

typedef struct bit_state {
	int64_t val;
	uint8_t has;
} bit_state;

/* Hypothetical-set aggregates: rows before and peers of the hypothetical row;
 * dense_rank also keeps the rows before (their keys) to count distinct ones. */
typedef struct hyp_state {
	list_state before;
	int64_t total, nbefore, npeers;
} hyp_state;

_Static_assert(sizeof(var_state) <= 64 && sizeof(list_state) <= 64 && sizeof(regr_state) <= 64 &&
                   sizeof(hyp_state) <= 64,
               "agg state is 64 bytes");

static const struct {
	const char *name;
	agg_kind kind;
} ext_aggs[] = {
    {"stddev", AGG_STDDEV_SAMP},
    {"stddev_samp", AGG_STDDEV_SAMP},
    {"stddev_pop", AGG_STDDEV_POP},
    {"variance", AGG_VAR_SAMP},
    {"var_samp", AGG_VAR_SAMP},
    {"var_pop", AGG_VAR_POP},
    {"bool_and", AGG_BOOL_AND},
    {"bool_or", AGG_BOOL_OR},
    {"every", AGG_BOOL_AND},
    {"string_agg", AGG_STRING_AGG},
    {"approx_distinct", AGG_APPROX_DISTINCT},
    {"percentile_cont", AGG_PERCENTILE_CONT},
    {"percentile_disc", AGG_PERCENTILE_DISC},
    {"array_agg", AGG_ARRAY_AGG},
    {"bit_and", AGG_BIT_AND},
    {"bit_or", AGG_BIT_OR},
    {"bit_xor", AGG_BIT_XOR},
    {"corr", AGG_REGR},
    {"covar_pop", AGG_REGR},
    {"covar_samp", AGG_REGR},
    {"regr_count", AGG_REGR},
    {"regr_sxx", AGG_REGR},
    {"regr_syy", AGG_REGR},
    {"regr_sxy", AGG_REGR},
    {"regr_avgx", AGG_REGR},
    {"regr_avgy", AGG_REGR},
    {"regr_r2", AGG_REGR},
    {"regr_slope", AGG_REGR},
    {"regr_intercept", AGG_REGR},
    {"json_agg", AGG_JSON_AGG},
    {"jsonb_agg", AGG_JSON_AGG},
    {"json_object_agg", AGG_JSON_OBJECT_AGG},
    {"jsonb_object_agg", AGG_JSON_OBJECT_AGG},
    {"mode", AGG_MODE},
    {"rank", AGG_HYPOTHETICAL},
    {"dense_rank", AGG_HYPOTHETICAL},
    {"percent_rank", AGG_HYPOTHETICAL},
    {"cume_dist", AGG_HYPOTHETICAL},
};
#define N_EXT_AGGS (sizeof ext_aggs / sizeof ext_aggs[0])

bool agg_is_ext_name(const char *n)
{
	for (size_t i = 0; i < N_EXT_AGGS; i++)
		if (!strcmp(n, ext_aggs[i].name)) return true;
	return false;
}

static bool is_stat(agg_kind k) { return k >= AGG_VAR_SAMP && k <= AGG_STDDEV_POP; }

bool agg_ext_lookup(const char *n, int nargs, const ftype *args, agg_kind *kind, ftype *result)
{
	agg_kind k = AGG_COUNT;
	for (size_t i = 0; i < N_EXT_AGGS; i++)
		if (!strcmp(n, ext_aggs[i].name)) k = ext_aggs[i].kind;
	bool two = k == AGG_STRING_AGG || k == AGG_REGR || k == AGG_JSON_OBJECT_AGG;
	if (nargs != (two ? 2 : 1) && !(k == AGG_HYPOTHETICAL && nargs == 2)) return false;
	type_id a = args[0].id;
	*kind = k;
	switch (k) {
	case AGG_BIT_AND: case AGG_BIT_OR: case AGG_BIT_XOR:
		*result = args[0];
		return a == TYPE_INT2 || a == TYPE_INT4 || (a == TYPE_INT8 && !ftype_reg_kind(args[0]));
	case AGG_REGR:
		*result = ftype_make(strcmp(n, "regr_count") ? TYPE_FLOAT8 : TYPE_INT8);
		return a == TYPE_FLOAT8 && args[1].id == TYPE_FLOAT8;
	case AGG_JSON_AGG: case AGG_JSON_OBJECT_AGG:
		*result = ftype_make(n[4] == 'b' ? TYPE_JSONB : TYPE_JSON);
		return a != TYPE_NULL;
	case AGG_MODE:
		/* any type with an order (json has none) */
		*result = a == TYPE_UNKNOWN ? ftype_make(TYPE_TEXT) : args[0];
		return a != TYPE_NULL && a != TYPE_JSON;
	case AGG_HYPOTHETICAL:
		*result = ftype_make(n[0] == 'p' || n[0] == 'c' ? TYPE_FLOAT8 : TYPE_INT8);
		return a != TYPE_JSON;
	case AGG_VAR_SAMP: case AGG_VAR_POP: case AGG_STDDEV_SAMP: case AGG_STDDEV_POP:
		if (a == TYPE_INT2 || a == TYPE_INT4 || a == TYPE_INT8 || a == TYPE_NUMERIC)
			*result = ftype_numeric_value_scale();
		else if (a == TYPE_FLOAT4 || a == TYPE_FLOAT8)
			*result = ftype_make(TYPE_FLOAT8);
		else
			return false;
		return true;
	case AGG_BOOL_AND: case AGG_BOOL_OR:
		*result = ftype_make(TYPE_BOOL);
		return a == TYPE_BOOL;
	case AGG_APPROX_DISTINCT:
		*result = ftype_make(TYPE_INT8);
		return a != TYPE_NULL;
	case AGG_STRING_AGG: {
		type_id d = args[1].id;
		bool dtext = d == TYPE_TEXT || d == TYPE_VARCHAR || d == TYPE_BPCHAR || d == TYPE_UNKNOWN ||
		             d == TYPE_NULL;
		if ((a == TYPE_TEXT || a == TYPE_VARCHAR || a == TYPE_BPCHAR) && dtext) {
			*result = ftype_make(TYPE_TEXT);
			return true;
		}
		if (a == TYPE_BYTEA && (d == TYPE_BYTEA || d == TYPE_UNKNOWN || d == TYPE_NULL)) {
			*result = ftype_make(TYPE_BYTEA);
			return true;
		}
		return false;
	}
	case AGG_PERCENTILE_CONT:
		*result = ftype_make(TYPE_FLOAT8);
		return a == TYPE_FLOAT8;
	case AGG_ARRAY_AGG:
		/* arrays of arrays would be multidimensional */
		if (!array_elem_supported(a)) return false;
		*result = ftype_array(args[0]);
		return true;
	case AGG_PERCENTILE_DISC:
		*result = a == TYPE_UNKNOWN ? ftype_make(TYPE_TEXT) : args[0];
		return a != TYPE_NULL && a != TYPE_JSON;
	default: return false;
	}
}

static ferr *numeric_range(void)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
}

static bool is_str(ftype t)
{
	switch (t.id) {
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_BYTEA: case TYPE_JSONB:
	case TYPE_UNKNOWN: case TYPE_ARRAY: return true;
	default: return false;
	}
}

/* ---------------------------------------------------------------- variance */

/* Bring s to scale sc (never lower): sum by the difference, sumsq by twice it. */
static ferr *var_rescale(var_state *s, int sc)
{
	if (sc <= s->scale) return NULL;
	if (!num_rescale(s->sum, s->scale, sc, &s->sum) ||
	    !num_rescale(s->sumsq, 2 * s->scale, 2 * sc, &s->sumsq))
		return numeric_range();
	s->scale = sc;
	return NULL;
}

static ferr *var_add_num(var_state *s, i128 v, int sc)
{
	if (!s->has) s->scale = sc;
	TRY(var_rescale(s, sc));
	if (sc < s->scale && !num_rescale(v, sc, s->scale, &v)) return numeric_range();
	i128 sq;
	if (__builtin_mul_overflow(v, v, &sq) || __builtin_add_overflow(s->sum, v, &s->sum) ||
	    __builtin_add_overflow(s->sumsq, sq, &s->sumsq))
		return numeric_range();
	s->count++;
	s->has = 1;
	return NULL;
}

/* float8_accum */
static ferr *var_add_float(var_state *s, double x)
{
	double n = s->n + 1.0, sx = s->sx + x, sxx = s->sxx;
	if (s->n > 0.0) {
		double tmp = x * n - sx;
		sxx += tmp * tmp / (n * s->n);
		if (isinf(sx) || isinf(sxx)) {
			if (!isinf(s->sx) && !isinf(x))
				return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
			sxx = NAN;
		}
	} else if (isnan(x) || isinf(x)) {
		sxx = NAN;
	}
	s->n = n;
	s->sx = sx;
	s->sxx = sxx;
	s->has = 1;
	return NULL;
}

/* float8_combine */
static ferr *var_merge_float(var_state *d, const var_state *s)
{
	if (s->n == 0.0) return NULL;
	if (d->n == 0.0) {
		d->n = s->n;
		d->sx = s->sx;
		d->sxx = s->sxx;
	} else {
		double n = d->n + s->n, tmp = d->sx / d->n - s->sx / s->n;
		double sxx = d->sxx + s->sxx + d->n * s->n * tmp * tmp / n;
		if (isinf(sxx) && !isinf(d->sxx) && !isinf(s->sxx))
			return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
		d->sx += s->sx;
		d->sxx = sxx;
		d->n = n;
	}
	d->has = 1;
	return NULL;
}

/*
 * Square root of m / 10^sc at scale sc, as numeric's sqrt_var: one more digit
 * by long-hand square root over the decimal digits, then rounded half up.
 */
static i128 num_sqrt(i128 m, int sc)
{
	char digits[200];
	int nd = 0;
	char tmp[64];
	int nt = 0;
	for (unsigned __int128 u = (unsigned __int128)m; u; u /= 10) tmp[nt++] = (char)(u % 10);
	/* m * 10^(sc + 2) has its root at scale sc + 1 */
	if ((nt + sc + 2) % 2) digits[nd++] = 0;
	while (nt) digits[nd++] = tmp[--nt];
	for (int i = 0; i < sc + 2 && nd < (int)sizeof digits; i++) digits[nd++] = 0;
	unsigned __int128 rem = 0, root = 0;
	for (int i = 0; i + 1 < nd; i += 2) {
		rem = rem * 100 + (unsigned)(digits[i] * 10 + digits[i + 1]);
		int d = 0;
		while ((root * 20 + (unsigned)d + 1) * (unsigned)(d + 1) <= rem) d++;
		rem -= (root * 20 + (unsigned)d) * (unsigned)d;
		root = root * 10 + (unsigned)d;
	}
	return (i128)((root + 5) / 10);
}

static void var_finalize(const agg_call *c, const var_state *s, vector *out, int row, arena *a)
{
	bool samp = c->kind == AGG_VAR_SAMP || c->kind == AGG_STDDEV_SAMP;
	bool root = c->kind == AGG_STDDEV_SAMP || c->kind == AGG_STDDEV_POP;
	void *dst = (char *)out->data + (size_t)row * ftype_width(c->result);
	if (c->result.id == TYPE_FLOAT8) {
		/* float8_var_samp & co.: Sxx / (N - 1) or Sxx / N */
		if (s->n < (samp ? 2.0 : 1.0)) {
			vec_set_null(out, a, row, BATCH_CAPACITY);
			return;
		}
		double v = s->sxx / (samp ? s->n - 1.0 : s->n);
		*(double *)dst = root ? sqrt(v) : v;
		return;
	}
	/* numeric_stddev_internal: (N * sumX2 - sumX^2) / (N * (N - 1)) at select_div_scale */
	if (s->count < (samp ? 2 : 1)) {
		vec_set_null(out, a, row, BATCH_CAPACITY);
		return;
	}
	i128 n = s->count, num, sq, v = 0;
	int vs = 0;
	ferr *e = NULL;
	if (__builtin_mul_overflow(n, s->sumsq, &num) || __builtin_mul_overflow(s->sum, s->sum, &sq) ||
	    __builtin_sub_overflow(num, sq, &num))
		e = numeric_range();
	else if (num <= 0)
		e = num_store_ds(c->result, 0, 0, dst); /* roundoff can only give 0 here, as PostgreSQL */
	else {
		e = num_div_ds(num, 2 * s->scale, n * (samp ? n - 1 : n), 0, &v, &vs);
		if (!e && root) v = num_sqrt(v, vs);
		if (!e) e = num_store_ds(c->result, v, vs, dst);
	}
	if (e) {
		ferr_free(e);
		vec_set_null(out, a, row, BATCH_CAPACITY); /* beyond 36 digits: cannot represent */
	}
}

/* ---------------------------------------------------------------- HyperLogLog */

static void hll_add(hll_state *s, uint64_t h, arena *a)
{
	if (!s->regs) s->regs = arena_zalloc(a, HLL_M);
	hll_put(s->regs, h);
}

/* ---------------------------------------------------------------- collected values */

static void copy_value(ftype t, void *dst, const void *src, arena *a)
{
	memcpy(dst, src, ftype_width(t));
	if (is_str(t)) {
		fstring *f = dst;
		f->ptr = arena_strndup(a, f->ptr, f->len);
	}
}

static item *list_push(list_state *s, arena *a)
{
	if (s->n == s->cap) {
		int64_t cap = s->cap ? s->cap * 2 : 8;
		s->items = arena_realloc(a, s->items, sizeof(item) * (size_t)s->cap, sizeof(item) * (size_t)cap);
		s->cap = cap;
	}
	item *it = &s->items[s->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* The type of the collected value: the percentile_cont argument is float8,
 * json(b)_agg and json(b)_object_agg keep their elements as json text. */
static ftype value_type(const agg_call *c)
{
	switch (c->kind) {
	case AGG_ARRAY_AGG: return ftype_array_elem(c->result);
	case AGG_JSON_AGG: case AGG_JSON_OBJECT_AGG: return ftype_make(TYPE_TEXT);
	case AGG_STRING_AGG: return c->result.id == TYPE_TEXT ? ftype_make(TYPE_TEXT) : c->result;
	default: return c->result.id == TYPE_ARRAY ? ftype_array_elem(c->result) : c->result;
	}
}

/* One ORDER BY key: NULLs where nulls_first says, DESC reverses the values only. */
static int key_cmp(ftype t, bool desc, bool nulls_first, bool an, const void *a, bool bn, const void *b)
{
	if (an || bn) {
		if (an && bn) return 0;
		return (an ? 1 : -1) * (nulls_first ? -1 : 1);
	}
	int r = value_compare(t, a, b);
	return desc ? -r : r;
}

/* Items in the call's ORDER BY order: the first key, then every further one. */
static int items_cmp(const agg_call *c, const item *a, const item *b)
{
	int r = key_cmp(c->x.order_type, c->x.order_desc, c->x.order_nulls_first, a->knull, a->k.bytes,
	                b->knull, b->k.bytes);
	for (int j = 0; !r && j < c->x.nmore; j++) {
		const agg_more *m = &c->x.more[j];
		if (m->is_key)
			r = key_cmp(m->type, m->desc, m->nulls_first, a->more[j].null, a->more[j].v.bytes,
			            b->more[j].null, b->more[j].v.bytes);
	}
	return r;
}

static int item_qsort_cmp(const void *x, const void *y, void *arg) { return items_cmp(arg, x, y); }

static bool has_more_keys(const agg_call *c)
{
	for (int j = 0; j < c->x.nmore; j++)
		if (c->x.more[j].is_key) return true;
	return false;
}

/* Sort a copy of the items by their keys (the state stays as it is: window frames share it). */
static item *sorted_items(const agg_call *c, const list_state *s, arena *a)
{
	item *v = arena_alloc(a, sizeof(item) * (size_t)(s->n + 1));
	if (s->n > 0) memcpy(v, s->items, sizeof(item) * (size_t)s->n); /* no items: NULL */
	if (c->x.has_order) qsort_r(v, (size_t)s->n, sizeof(item), item_qsort_cmp, (void *)c);
	return v;
}

/* Copy the further ORDER BY keys of row r into it (none when the call has only one). */
static void fill_more_keys(const agg_call *c, item *it, const batch *b, int r, arena *a)
{
	if (!has_more_keys(c)) return;
	it->more = arena_zalloc(a, sizeof(mval) * (size_t)c->x.nmore);
	for (int j = 0; j < c->x.nmore; j++) {
		const agg_more *m = &c->x.more[j];
		if (!m->is_key) continue;
		const vector *kv = &b->cols[m->col];
		it->more[j].null = vector_is_null(kv, r);
		if (!it->more[j].null) copy_value(m->type, it->more[j].v.bytes, vector_at(kv, r), a);
	}
}

static void copy_item(const agg_call *c, item *to, const item *from, ftype vt, arena *a)
{
	if (!from->vnull) copy_value(vt, to->v.bytes, from->v.bytes, a);
	to->vnull = from->vnull;
	to->knull = from->knull;
	if (!from->knull && c->x.has_order) copy_value(c->x.order_type, to->k.bytes, from->k.bytes, a);
	if (from->more) {
		to->more = arena_zalloc(a, sizeof(mval) * (size_t)c->x.nmore);
		for (int j = 0; j < c->x.nmore; j++) {
			to->more[j].null = from->more[j].null;
			if (c->x.more[j].is_key && !from->more[j].null)
				copy_value(c->x.more[j].type, to->more[j].v.bytes, from->more[j].v.bytes, a);
		}
	}
}

/* ---------------------------------------------------------------- json */

/* escape_json: a JSON string literal */
static void json_quote(strbuf *sb, const char *p, size_t n) { jsonl_write_string(p, n, sb); }

/*
 * datum_to_json: v (NULL for SQL NULL) of type t as json text. Numbers as
 * they print (NaN and infinities quoted), booleans, json as it is, arrays
 * as JSON arrays, dates and timestamps in ISO 8601 with a T, anything else
 * as the JSON string of its text output.
 */
static void json_of(ftype t, const void *v, const fmt_settings *fs, strbuf *sb)
{
	if (!v) {
		sb_puts(sb, "null");
		return;
	}
	switch (t.id) {
	case TYPE_BOOL: sb_puts(sb, *(const bool *)v ? "true" : "false"); return;
	case TYPE_JSON: case TYPE_JSONB: {
		const fstring *f = v;
		sb_append(sb, f->ptr, f->len);
		return;
	}
	case TYPE_ARRAY: {
		array_iter it;
		array_iter_init(&it, t, *(const fstring *)v);
		const void *e;
		sb_putc(sb, '[');
		for (bool first = true; array_iter_next(&it, &e); first = false) {
			if (!first) sb_putc(sb, ',');
			json_of(ftype_array_elem(t), e, fs, sb);
		}
		sb_putc(sb, ']');
		return;
	}
	default: break;
	}
	strbuf txt = STRBUF_INIT;
	value_out_text(t, v, fs, &txt);
	const char *p = txt.data ? txt.data : "";
	bool number = t.id == TYPE_INT2 || t.id == TYPE_INT4 || t.id == TYPE_INT8 ||
	              t.id == TYPE_NUMERIC || t.id == TYPE_FLOAT4 || t.id == TYPE_FLOAT8;
	if (number && ftype_reg_kind(t)) number = false;
	if (number && (strchr(p, 'N') || strchr(p, 'I') || strchr(p, 'n'))) number = false;
	if (number) {
		sb_append(sb, p, txt.len);
	} else {
		if (t.id == TYPE_TIMESTAMP || t.id == TYPE_TIMESTAMPTZ) {
			/* ISO 8601: a T between date and time, the zone as +hh:mm */
			char *sp = strchr(txt.data, ' ');
			if (sp) *sp = 'T';
			size_t n = txt.len;
			if (t.id == TYPE_TIMESTAMPTZ && n > 3 && (txt.data[n - 3] == '+' || txt.data[n - 3] == '-'))
				sb_puts(&txt, ":00");
			p = txt.data;
		}
		json_quote(sb, p, txt.len);
	}
	sb_free(&txt);
}

/* The json text of row r of v kept as an fstring in a. */
static fstring json_value(const vector *v, int r, arena *a)
{
	fmt_settings fs;
	memset(&fs, 0, sizeof fs);
	fmt_settings_default(&fs);
	strbuf sb = STRBUF_INIT;
	json_of(v->type, vector_is_null(v, r) ? NULL : vector_at(v, r), &fs, &sb);
	fstring out = {.ptr = arena_strndup(a, sb.data ? sb.data : "", sb.len), .len = (uint32_t)sb.len};
	sb_free(&sb);
	return out;
}

/* "key" : value for json(b)_object_agg; a NULL key is 22023 as in PostgreSQL. */
static ferr *json_pair(const vector *k, const vector *v, int r, arena *a, fstring *out)
{
	if (vector_is_null(k, r)) return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "field name must not be null");
	fmt_settings fs;
	memset(&fs, 0, sizeof fs);
	fmt_settings_default(&fs);
	strbuf key = STRBUF_INIT, sb = STRBUF_INIT;
	if (k->type.id == TYPE_JSON || k->type.id == TYPE_JSONB) {
		const fstring *f = vector_at(k, r);
		sb_append(&key, f->ptr, f->len);
	} else {
		value_out_text(k->type, vector_at(k, r), &fs, &key);
	}
	json_quote(&sb, key.data ? key.data : "", key.len);
	sb_puts(&sb, " : ");
	json_of(v->type, vector_is_null(v, r) ? NULL : vector_at(v, r), &fs, &sb);
	*out = (fstring){.ptr = arena_strndup(a, sb.data ? sb.data : "", sb.len), .len = (uint32_t)sb.len};
	sb_free(&key);
	sb_free(&sb);
	return NULL;
}

/*
 * json_agg: "[" elements ", " "]" (an array or composite element after the
 * first gets "\n " before it, as json_agg_transfn writes); json_object_agg:
 * "{ " pairs ", " " }". The jsonb forms are the same text read as jsonb,
 * which normalises it as PostgreSQL's jsonb output does.
 */
static void json_finalize(const agg_call *c, const item *v, int64_t n, void *dst, vector *out, int row,
                          arena *a)
{
	bool obj = c->kind == AGG_JSON_OBJECT_AGG;
	strbuf sb = STRBUF_INIT;
	sb_puts(&sb, obj ? "{ " : "[");
	for (int64_t i = 0; i < n; i++) {
		const fstring *f = (const fstring *)v[i].v.bytes;
		if (i) sb_puts(&sb, ", ");
		if (i && !obj && v[i].vnull) sb_puts(&sb, "\n ");
		sb_append(&sb, f->ptr, f->len);
	}
	sb_puts(&sb, obj ? " }" : "]");
	fstring res;
	ferr *e = json_in(c->result, sb.data, sb.len, a, &res);
	sb_free(&sb);
	if (e) {
		ferr_free(e);
		vec_set_null(out, a, row, BATCH_CAPACITY);
		return;
	}
	*(fstring *)dst = res;
}

/* ---------------------------------------------------------------- finalize of kept values */

/* percentile_disc_final / percentile_cont_final at one fraction over the sorted values */
static void percentile_at(const agg_call *c, const item *v, int64_t n, double pct, void *dst, arena *a)
{
	if (c->kind == AGG_PERCENTILE_DISC) {
		/* the first value whose position reaches pct */
		int64_t k = (int64_t)ceil(pct * (double)n);
		if (k < 1) k = 1;
		copy_value(value_type(c), dst, v[k - 1].v.bytes, a);
		return;
	}
	/* interpolate between the neighbours of pct * (n - 1) */
	double pos = pct * (double)(n - 1);
	int64_t lo = (int64_t)floor(pos), hi = (int64_t)ceil(pos);
	double x, y;
	memcpy(&x, v[lo].v.bytes, sizeof x);
	memcpy(&y, v[hi].v.bytes, sizeof y);
	*(double *)dst = lo == hi ? x : x + (pos - (double)lo) * (y - x);
}

static void list_finalize(const agg_call *c, const list_state *s, vector *out, int row, arena *a)
{
	bool percentile = c->kind == AGG_PERCENTILE_CONT || c->kind == AGG_PERCENTILE_DISC;
	if (s->n == 0 || (percentile && c->x.param.isnull)) {
		vec_set_null(out, a, row, BATCH_CAPACITY);
		return;
	}
	item *v = sorted_items(c, s, a);
	void *dst = (char *)out->data + (size_t)row * ftype_width(c->result);
	if (c->kind == AGG_ARRAY_AGG) {
		array_builder ab;
		array_builder_init(&ab, value_type(c), a);
		for (int64_t i = 0; i < s->n; i++) array_builder_add(&ab, v[i].vnull ? NULL : v[i].v.bytes);
		*(fstring *)dst = array_builder_finish(&ab);
		return;
	}
	if (c->kind == AGG_JSON_AGG || c->kind == AGG_JSON_OBJECT_AGG) {
		json_finalize(c, v, s->n, dst, out, row, a);
		return;
	}
	if (c->kind == AGG_MODE) {
		/* mode_final: the most frequent value, the first in sort order among ties */
		int64_t best = 0, best_n = 0;
		for (int64_t i = 0; i < s->n;) {
			int64_t j = i + 1;
			while (j < s->n && value_compare(c->result, v[j].v.bytes, v[i].v.bytes) == 0) j++;
			if (j - i > best_n) {
				best_n = j - i;
				best = i;
			}
			i = j;
		}
		copy_value(c->result, dst, v[best].v.bytes, a);
		return;
	}
	if (c->kind == AGG_STRING_AGG) {
		const fstring *d = c->x.param.isnull ? NULL : &c->x.param.u.s;
		size_t len = 0;
		for (int64_t i = 0; i < s->n; i++)
			len += ((fstring *)v[i].v.bytes)->len + (i && d ? d->len : 0);
		char *p = arena_alloc(a, len + 1), *q = p;
		for (int64_t i = 0; i < s->n; i++) {
			const fstring *f = (fstring *)v[i].v.bytes;
			if (i && d) {
				memcpy(q, d->ptr, d->len);
				q += d->len;
			}
			memcpy(q, f->ptr, f->len);
			q += f->len;
		}
		*q = 0;
		*(fstring *)dst = (fstring){.ptr = p, .len = (uint32_t)len};
		return;
	}
	if (c->result.id != TYPE_ARRAY) {
		percentile_at(c, v, s->n, c->x.param.u.f, dst, a);
		return;
	}
	/* percentile_*(ARRAY[...]): one result per fraction, NULL for a NULL fraction */
	ftype et = value_type(c);
	array_builder ab;
	array_builder_init(&ab, et, a);
	array_iter it;
	array_iter_init(&it, ftype_array(ftype_make(TYPE_FLOAT8)), c->x.param.u.s);
	const void *f;
	while (array_iter_next(&it, &f)) {
		if (!f) {
			array_builder_add(&ab, NULL);
			continue;
		}
		double pct;
		memcpy(&pct, f, sizeof pct);
		union {
			uint8_t bytes[16];
			i128 align;
		} res;
		percentile_at(c, v, s->n, pct, res.bytes, a);
		array_builder_add(&ab, res.bytes);
	}
	*(fstring *)dst = array_builder_finish(&ab);
}

/* ---------------------------------------------------------------- regression */

static ferr *float_overflow(void)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
}

/* float8_regr_accum with Y then X */
static ferr *regr_add(regr_state *s, double y, double x)
{
	double n = s->n + 1.0, sx = s->sx + x, sy = s->sy + y, sxx = s->sxx, syy = s->syy, sxy = s->sxy;
	if (s->n > 0.0) {
		double tx = x * n - sx, ty = y * n - sy, scale = 1.0 / (n * s->n);
		sxx += tx * tx * scale;
		syy += ty * ty * scale;
		sxy += tx * ty * scale;
		if (isinf(sx) || isinf(sxx) || isinf(sy) || isinf(syy) || isinf(sxy)) {
			if (((isinf(sx) || isinf(sxx)) && !isinf(s->sx) && !isinf(x)) ||
			    ((isinf(sy) || isinf(syy)) && !isinf(s->sy) && !isinf(y)) ||
			    (isinf(sxy) && !isinf(s->sx) && !isinf(x) && !isinf(s->sy) && !isinf(y)))
				return float_overflow();
			if (isinf(sxx)) sxx = NAN;
			if (isinf(syy)) syy = NAN;
			if (isinf(sxy)) sxy = NAN;
		}
	} else {
		if (isnan(x) || isinf(x)) sxx = sxy = NAN;
		if (isnan(y) || isinf(y)) syy = sxy = NAN;
	}
	*s = (regr_state){n, sx, sxx, sy, syy, sxy};
	return NULL;
}

/* float8_regr_combine */
static ferr *regr_merge(regr_state *d, const regr_state *s)
{
	if (s->n == 0.0) return NULL;
	if (d->n == 0.0) {
		*d = *s;
		return NULL;
	}
	double n = d->n + s->n;
	double tx = d->sx / d->n - s->sx / s->n, ty = d->sy / d->n - s->sy / s->n;
	regr_state r = {n,
	                d->sx + s->sx,
	                d->sxx + s->sxx + d->n * s->n * tx * tx / n,
	                d->sy + s->sy,
	                d->syy + s->syy + d->n * s->n * ty * ty / n,
	                d->sxy + s->sxy + d->n * s->n * tx * ty / n};
	if ((isinf(r.sx) && !isinf(d->sx) && !isinf(s->sx)) || (isinf(r.sxx) && !isinf(d->sxx) && !isinf(s->sxx)) ||
	    (isinf(r.sy) && !isinf(d->sy) && !isinf(s->sy)) || (isinf(r.syy) && !isinf(d->syy) && !isinf(s->syy)) ||
	    (isinf(r.sxy) && !isinf(d->sxy) && !isinf(s->sxy)))
		return float_overflow();
	*d = r;
	return NULL;
}

/* The float8_regr_* and float8_corr/covar finals, chosen by the call's name. */
static void regr_finalize(const agg_call *c, const regr_state *s, vector *out, int row, arena *a)
{
	void *dst = (char *)out->data + (size_t)row * ftype_width(c->result);
	const char *n = c->name;
	if (!strcmp(n, "regr_count")) {
		*(int64_t *)dst = (int64_t)s->n;
		return;
	}
	double r = 0;
	bool null = s->n < 1.0;
	if (!strcmp(n, "regr_sxx")) r = s->sxx;
	else if (!strcmp(n, "regr_syy")) r = s->syy;
	else if (!strcmp(n, "regr_sxy")) r = s->sxy;
	else if (!strcmp(n, "regr_avgx")) r = s->sx / s->n;
	else if (!strcmp(n, "regr_avgy")) r = s->sy / s->n;
	else if (!strcmp(n, "covar_pop")) r = s->sxy / s->n;
	else if (!strcmp(n, "covar_samp")) {
		null = s->n < 2.0;
		r = s->sxy / (s->n - 1.0);
	} else if (!strcmp(n, "corr")) {
		null = null || s->sxx == 0 || s->syy == 0;
		r = s->sxy / sqrt(s->sxx * s->syy);
	} else if (!strcmp(n, "regr_r2")) {
		null = null || s->sxx == 0;
		r = s->syy == 0 ? 1.0 : s->sxy * s->sxy / (s->sxx * s->syy);
	} else if (!strcmp(n, "regr_slope")) {
		null = null || s->sxx == 0;
		r = s->sxy / s->sxx;
	} else { /* regr_intercept */
		null = null || s->sxx == 0;
		r = (s->sy - s->sx * s->sxy / s->sxx) / s->n;
	}
	if (null) vec_set_null(out, a, row, BATCH_CAPACITY);
	else *(double *)dst = r;
}

/* ---------------------------------------------------------------- hypothetical sets */

/*
 * Row r against the hypothetical row: the keys are arg then the is_key
 * entries of x.more, the direct arguments the entries after them. < 0 when
 * the row sorts before the hypothetical one, 0 for a peer.
 */
static int hyp_cmp(const agg_call *c, const vector *arg, const batch *b, int r)
{
	int nk = 1;
	for (int j = 0; j < c->x.nmore; j++) nk += c->x.more[j].is_key;
	for (int i = 0; i < nk; i++) {
		const vector *kv = i == 0 ? arg : &b->cols[c->x.more[i - 1].col];
		const vector *dv = &b->cols[c->x.more[nk - 1 + i].col];
		ftype t = i == 0 ? c->x.order_type : c->x.more[i - 1].type;
		bool desc = i == 0 ? c->x.order_desc : c->x.more[i - 1].desc;
		bool nf = i == 0 ? c->x.order_nulls_first : c->x.more[i - 1].nulls_first;
		bool kn = vector_is_null(kv, r), dn = vector_is_null(dv, r);
		int x = key_cmp(t, desc, nf, kn, kn ? NULL : vector_at(kv, r), dn, dn ? NULL : vector_at(dv, r));
		if (x) return x;
	}
	return 0;
}

static void hyp_finalize(const agg_call *c, const hyp_state *s, vector *out, int row, arena *a)
{
	void *dst = (char *)out->data + (size_t)row * ftype_width(c->result);
	const char *n = c->name;
	if (!strcmp(n, "rank")) *(int64_t *)dst = s->nbefore + 1;
	else if (!strcmp(n, "percent_rank"))
		*(double *)dst = s->total ? (double)s->nbefore / (double)s->total : 0.0;
	else if (!strcmp(n, "cume_dist"))
		*(double *)dst = (double)(s->nbefore + s->npeers + 1) / (double)(s->total + 1);
	else {
		/* dense_rank: distinct key tuples before the hypothetical row, plus one */
		item *v = sorted_items(c, &s->before, a);
		int64_t d = 0;
		for (int64_t i = 0; i < s->before.n; i++)
			if (i == 0 || items_cmp(c, &v[i - 1], &v[i]) != 0) d++;
		*(int64_t *)dst = d + 1;
	}
}

/* ---------------------------------------------------------------- update / merge / finalize */

#define LOOP_NONNULL(r)                                                                      \
	for (int i_ = 0; i_ < b->count; i_++)                                                    \
		for (int r = batch_row(b, i_), once_ = 1; once_; once_ = 0)                          \
			if (!vector_is_null(arg, r))
#define ARGV(T, r) (((const T *)arg->data)[arg->is_const ? 0 : (r)])

static bool is_list(agg_kind k)
{
	return k == AGG_STRING_AGG || k == AGG_PERCENTILE_CONT || k == AGG_PERCENTILE_DISC ||
	       k == AGG_ARRAY_AGG || k == AGG_JSON_AGG || k == AGG_JSON_OBJECT_AGG || k == AGG_MODE;
}

static int64_t bit_value(const vector *arg, int r)
{
	switch (arg->type.id) {
	case TYPE_INT2: return ARGV(int16_t, r);
	case TYPE_INT4: return ARGV(int32_t, r);
	default: return ARGV(int64_t, r);
	}
}

/* Fold the rows of b into list states: (value, keys) items. */
static ferr *list_update(const agg_call *c, void **states, const vector *arg, const batch *b, arena *a)
{
	const vector *key = NULL;
	if (c->x.has_order && c->x.order_col != c->arg) key = &b->cols[c->x.order_col];
	const vector *filter = c->x.has_filter ? &b->cols[c->x.filter_col] : NULL;
	ftype vt = value_type(c);
	/* array_agg keeps NULL values, json_agg makes them null, json_object_agg checks the key */
	bool keep_nulls = c->kind == AGG_ARRAY_AGG || c->kind == AGG_JSON_AGG || c->kind == AGG_JSON_OBJECT_AGG;
	bool json = c->kind == AGG_JSON_AGG || c->kind == AGG_JSON_OBJECT_AGG;
	for (int i_ = 0; i_ < b->count; i_++) {
		int r = batch_row(b, i_);
		if (filter && !agg_filter_passes(filter, r)) continue;
		bool vnull = vector_is_null(arg, r);
		if (vnull && !keep_nulls) continue;
		item *it = list_push(states[i_], a);
		if (c->kind == AGG_JSON_OBJECT_AGG) {
			TRY(json_pair(arg, &b->cols[c->x.more[0].col], r, a, (fstring *)it->v.bytes));
		} else if (c->kind == AGG_JSON_AGG) {
			*(fstring *)it->v.bytes = json_value(arg, r, a);
			/* json_agg_transfn puts "\n " before an array element after the first */
			it->vnull = !vnull && arg->type.id == TYPE_ARRAY && c->result.id == TYPE_JSON;
		} else {
			it->vnull = vnull;
			if (!vnull) copy_value(vt, it->v.bytes, vector_at(arg, r), a);
		}
		if (!key) {
			it->knull = vnull;
			if (!vnull && c->x.has_order) {
				if (json) copy_value(c->x.order_type, it->k.bytes, vector_at(arg, r), a);
				else it->k = it->v;
			}
		} else if (vector_is_null(key, r)) {
			it->knull = true;
		} else {
			copy_value(c->x.order_type, it->k.bytes, vector_at(key, r), a);
		}
		fill_more_keys(c, it, b, r, a);
	}
	return NULL;
}

ferr *agg_ext_update(const agg_call *c, void **states, const vector *arg, const batch *b, arena *a)
{
	ftype t = arg->type;
	if (is_stat(c->kind)) {
		switch (t.id) {
		case TYPE_INT2: LOOP_NONNULL(r) TRY(var_add_num(states[i_], ARGV(int16_t, r), 0)); break;
		case TYPE_INT4: LOOP_NONNULL(r) TRY(var_add_num(states[i_], ARGV(int32_t, r), 0)); break;
		case TYPE_INT8: LOOP_NONNULL(r) TRY(var_add_num(states[i_], ARGV(int64_t, r), 0)); break;
		case TYPE_NUMERIC:
			LOOP_NONNULL(r)
			{
				int sc;
				i128 v = num_load_ds(t, vector_at(arg, r), &sc);
				TRY(var_add_num(states[i_], v, sc));
			}
			break;
		case TYPE_FLOAT4: LOOP_NONNULL(r) TRY(var_add_float(states[i_], ARGV(float, r))); break;
		case TYPE_FLOAT8: LOOP_NONNULL(r) TRY(var_add_float(states[i_], ARGV(double, r))); break;
		default: return ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function %s(%s) does not exist", c->name, type_info_of(t.id)->name);
		}
		return NULL;
	}
	if (is_list(c->kind)) return list_update(c, states, arg, b, a);
	switch (c->kind) {
	case AGG_BOOL_AND: case AGG_BOOL_OR:
		LOOP_NONNULL(r)
		{
			bool_state *s = states[i_];
			bool x = ARGV(bool, r);
			s->val = !s->has ? x : c->kind == AGG_BOOL_AND ? (s->val && x) : (s->val || x);
			s->has = 1;
		}
		return NULL;
	case AGG_BIT_AND: case AGG_BIT_OR: case AGG_BIT_XOR:
		LOOP_NONNULL(r)
		{
			bit_state *s = states[i_];
			int64_t x = bit_value(arg, r);
			s->val = !s->has ? x : c->kind == AGG_BIT_AND ? (s->val & x) : c->kind == AGG_BIT_OR ? (s->val | x) : (s->val ^ x);
			s->has = 1;
		}
		return NULL;
	case AGG_REGR: {
		/* rows where either argument is NULL are skipped */
		const vector *xv = &b->cols[c->x.more[0].col];
		LOOP_NONNULL(r)
		if (!vector_is_null(xv, r))
			TRY(regr_add(states[i_], ARGV(double, r), ((const double *)xv->data)[xv->is_const ? 0 : r]));
		return NULL;
	}
	case AGG_HYPOTHETICAL:
		for (int i_ = 0; i_ < b->count; i_++) {
			int r = batch_row(b, i_);
			hyp_state *s = states[i_];
			int x = hyp_cmp(c, arg, b, r);
			s->total++;
			if (x > 0) continue;
			if (x == 0) {
				s->npeers++;
				continue;
			}
			s->nbefore++;
			if (strcmp(c->name, "dense_rank") != 0) continue;
			item *it = list_push(&s->before, a);
			it->knull = vector_is_null(arg, r);
			if (!it->knull) copy_value(c->x.order_type, it->k.bytes, vector_at(arg, r), a);
			fill_more_keys(c, it, b, r, a);
		}
		return NULL;
	case AGG_APPROX_DISTINCT:
		LOOP_NONNULL(r) hll_add(states[i_], hll_mix(value_hash(t, vector_at(arg, r))), a);
		return NULL;
	default: return NULL;
	}
}

static void list_merge(const agg_call *c, list_state *d, const list_state *s, arena *a)
{
	ftype vt = value_type(c);
	for (int64_t i = 0; i < s->n; i++) copy_item(c, list_push(d, a), &s->items[i], vt, a);
}

ferr *agg_ext_merge(const agg_call *c, void *dst, const void *src, arena *a)
{
	if (is_stat(c->kind)) {
		var_state *d = dst;
		const var_state *s = src;
		if (!s->has) return NULL;
		if (c->result.id == TYPE_FLOAT8) return var_merge_float(d, s);
		var_state x = *s;
		if (!d->has) d->scale = x.scale;
		TRY(var_rescale(d, x.scale));
		TRY(var_rescale(&x, d->scale));
		if (__builtin_add_overflow(d->sum, x.sum, &d->sum) ||
		    __builtin_add_overflow(d->sumsq, x.sumsq, &d->sumsq))
			return numeric_range();
		d->count += x.count;
		d->has = 1;
		return NULL;
	}
	if (is_list(c->kind)) {
		list_merge(c, dst, src, a);
		return NULL;
	}
	switch (c->kind) {
	case AGG_BOOL_AND: case AGG_BOOL_OR: {
		bool_state *d = dst;
		const bool_state *s = src;
		if (!s->has) return NULL;
		d->val = !d->has ? s->val : c->kind == AGG_BOOL_AND ? (d->val && s->val) : (d->val || s->val);
		d->has = 1;
		return NULL;
	}
	case AGG_BIT_AND: case AGG_BIT_OR: case AGG_BIT_XOR: {
		bit_state *d = dst;
		const bit_state *s = src;
		if (!s->has) return NULL;
		d->val = !d->has ? s->val : c->kind == AGG_BIT_AND ? (d->val & s->val) : c->kind == AGG_BIT_OR ? (d->val | s->val) : (d->val ^ s->val);
		d->has = 1;
		return NULL;
	}
	case AGG_REGR: return regr_merge(dst, src);
	case AGG_HYPOTHETICAL: {
		hyp_state *d = dst;
		const hyp_state *s = src;
		d->total += s->total;
		d->nbefore += s->nbefore;
		d->npeers += s->npeers;
		list_merge(c, &d->before, &s->before, a);
		return NULL;
	}
	case AGG_APPROX_DISTINCT: {
		hll_state *d = dst;
		const hll_state *s = src;
		if (!s->regs) return NULL;
		if (!d->regs) d->regs = arena_zalloc(a, HLL_M);
		hll_union(d->regs, s->regs);
		return NULL;
	}
	default: return NULL;
	}
}

void agg_ext_finalize(const agg_call *c, const void *state, vector *out, int row, arena *a)
{
	void *dst = (char *)out->data + (size_t)row * ftype_width(c->result);
	if (is_stat(c->kind)) {
		var_finalize(c, state, out, row, a);
		return;
	}
	if (is_list(c->kind)) {
		list_finalize(c, state, out, row, a);
		return;
	}
	switch (c->kind) {
	case AGG_BOOL_AND: case AGG_BOOL_OR: {
		const bool_state *s = state;
		if (!s->has) vec_set_null(out, a, row, BATCH_CAPACITY);
		else *(bool *)dst = s->val;
		return;
	}
	case AGG_BIT_AND: case AGG_BIT_OR: case AGG_BIT_XOR: {
		const bit_state *s = state;
		if (!s->has) vec_set_null(out, a, row, BATCH_CAPACITY);
		else if (c->result.id == TYPE_INT2) *(int16_t *)dst = (int16_t)s->val;
		else if (c->result.id == TYPE_INT4) *(int32_t *)dst = (int32_t)s->val;
		else *(int64_t *)dst = s->val;
		return;
	}
	case AGG_REGR: regr_finalize(c, state, out, row, a); return;
	case AGG_HYPOTHETICAL: hyp_finalize(c, state, out, row, a); return;
	case AGG_APPROX_DISTINCT: {
		const hll_state *s = state;
		*(int64_t *)dst = s->regs ? hll_estimate(s->regs) : 0;
		return;
	}
	default: return;
	}
}
