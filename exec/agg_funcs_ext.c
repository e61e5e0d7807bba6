/*
 * agg_funcs_ext.c — the aggregates after AGG_MAX: variance and stddev (as
 * PostgreSQL's numeric_accum/float8_accum), bool_and/bool_or/every, Trino's
 * approx_distinct (HyperLogLog), string_agg (with ORDER BY) and the
 * percentile_cont/percentile_disc ordered-set aggregates. Each state fits the
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

/* string_agg and the percentiles keep their input: (value, order key) pairs */
typedef struct item {
	union {
		uint8_t bytes[16];
		i128 align;
	} v, k;
	bool knull;
	bool vnull; /* array_agg keeps NULL values */
} item;
typedef struct list_state {
	item *items;
	int64_t n, cap;
} list_state;

_Static_assert(sizeof(var_state) <= 64 && sizeof(list_state) <= 64, "agg state is 64 bytes");

static const char *const ext_names[] = {"stddev",     "stddev_samp",     "stddev_pop",
                                        "variance",   "var_samp",        "var_pop",
                                        "bool_and",   "bool_or",         "every",
                                        "string_agg", "approx_distinct", "percentile_cont",
                                        "percentile_disc", "array_agg"};
static const agg_kind ext_kinds[] = {AGG_STDDEV_SAMP,     AGG_STDDEV_SAMP, AGG_STDDEV_POP,
                                     AGG_VAR_SAMP,        AGG_VAR_SAMP,    AGG_VAR_POP,
                                     AGG_BOOL_AND,        AGG_BOOL_OR,     AGG_BOOL_AND,
                                     AGG_STRING_AGG,      AGG_APPROX_DISTINCT, AGG_PERCENTILE_CONT,
                                     AGG_PERCENTILE_DISC, AGG_ARRAY_AGG};

bool agg_is_ext_name(const char *n)
{
	for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++)
		if (!strcmp(n, ext_names[i])) return true;
	return false;
}

static bool is_stat(agg_kind k) { return k >= AGG_VAR_SAMP && k <= AGG_STDDEV_POP; }

bool agg_ext_lookup(const char *n, int nargs, const ftype *args, agg_kind *kind, ftype *result)
{
	agg_kind k = AGG_COUNT;
	for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++)
		if (!strcmp(n, ext_names[i])) k = ext_kinds[i];
	if (nargs != (k == AGG_STRING_AGG ? 2 : 1)) return false;
	type_id a = args[0].id;
	*kind = k;
	switch (k) {
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

/* the type of the collected value: the percentile_cont argument is float8 */
static ftype value_type(const agg_call *c)
{
	if (c->kind == AGG_ARRAY_AGG) return ftype_array_elem(c->result);
	return c->kind == AGG_STRING_AGG && c->result.id == TYPE_TEXT ? ftype_make(TYPE_TEXT) : c->result;
}

typedef struct sort_ctx {
	ftype t;
	bool desc, nulls_first;
} sort_ctx;

static int item_cmp(const void *x, const void *y, void *arg)
{
	const sort_ctx *sc = arg;
	const item *a = x, *b = y;
	if (a->knull || b->knull) {
		if (a->knull && b->knull) return 0;
		return (a->knull ? 1 : -1) * (sc->nulls_first ? -1 : 1);
	}
	int r = value_compare(sc->t, a->k.bytes, b->k.bytes);
	return sc->desc ? -r : r;
}

/* Sort a copy of the items by their key (the state stays as it is: window frames share it). */
static item *sorted_items(const agg_call *c, const list_state *s, arena *a)
{
	item *v = arena_alloc(a, sizeof(item) * (size_t)(s->n + 1));
	memcpy(v, s->items, sizeof(item) * (size_t)s->n);
	if (c->x.has_order) {
		sort_ctx sc = {c->x.order_type, c->x.order_desc, c->x.order_nulls_first};
		qsort_r(v, (size_t)s->n, sizeof(item), item_cmp, &sc);
	}
	return v;
}

static void list_finalize(const agg_call *c, const list_state *s, vector *out, int row, arena *a)
{
	if (s->n == 0 || (c->kind != AGG_STRING_AGG && c->kind != AGG_ARRAY_AGG && c->x.param.isnull)) {
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
	double pct = c->x.param.u.f;
	if (c->kind == AGG_PERCENTILE_DISC) {
		/* percentile_disc_final: the first value whose position reaches pct */
		int64_t k = (int64_t)ceil(pct * (double)s->n);
		if (k < 1) k = 1;
		copy_value(c->result, dst, v[k - 1].v.bytes, a);
		return;
	}
	/* percentile_cont_final: interpolate between the neighbours of pct * (n - 1) */
	double pos = pct * (double)(s->n - 1);
	int64_t lo = (int64_t)floor(pos), hi = (int64_t)ceil(pos);
	double x, y;
	memcpy(&x, v[lo].v.bytes, sizeof x);
	memcpy(&y, v[hi].v.bytes, sizeof y);
	*(double *)dst = lo == hi ? x : x + (pos - (double)lo) * (y - x);
}

/* ---------------------------------------------------------------- update / merge / finalize */

#define LOOP_NONNULL(r)                                                                      \
	for (int i_ = 0; i_ < b->count; i_++)                                                    \
		for (int r = batch_row(b, i_), once_ = 1; once_; once_ = 0)                          \
			if (!vector_is_null(arg, r))
#define ARGV(T, r) (((const T *)arg->data)[arg->is_const ? 0 : (r)])

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
	case AGG_APPROX_DISTINCT:
		LOOP_NONNULL(r) hll_add(states[i_], hll_mix(value_hash(t, vector_at(arg, r))), a);
		return NULL;
	case AGG_STRING_AGG: case AGG_PERCENTILE_CONT: case AGG_PERCENTILE_DISC: case AGG_ARRAY_AGG: {
		const vector *key = NULL;
		if (c->x.has_order && c->x.order_col != c->arg) key = &b->cols[c->x.order_col];
		const vector *filter = c->x.has_filter ? &b->cols[c->x.filter_col] : NULL;
		ftype vt = value_type(c);
		bool keep_nulls = c->kind == AGG_ARRAY_AGG;
		for (int i_ = 0; i_ < b->count; i_++) {
			int r = batch_row(b, i_);
			if (filter && !agg_filter_passes(filter, r)) continue;
			bool vnull = vector_is_null(arg, r);
			if (vnull && !keep_nulls) continue;
			item *it = list_push(states[i_], a);
			it->vnull = vnull;
			if (!vnull) copy_value(vt, it->v.bytes, vector_at(arg, r), a);
			if (!key) {
				it->knull = vnull;
				it->k = it->v;
			} else if (vector_is_null(key, r)) {
				it->knull = true;
			} else {
				copy_value(c->x.order_type, it->k.bytes, vector_at(key, r), a);
			}
		}
		return NULL;
	}
	default: return NULL;
	}
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
	switch (c->kind) {
	case AGG_BOOL_AND: case AGG_BOOL_OR: {
		bool_state *d = dst;
		const bool_state *s = src;
		if (!s->has) return NULL;
		d->val = !d->has ? s->val : c->kind == AGG_BOOL_AND ? (d->val && s->val) : (d->val || s->val);
		d->has = 1;
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
	case AGG_STRING_AGG: case AGG_PERCENTILE_CONT: case AGG_PERCENTILE_DISC: case AGG_ARRAY_AGG: {
		const list_state *s = src;
		ftype vt = value_type(c);
		for (int64_t i = 0; i < s->n; i++) {
			item *it = list_push(dst, a);
			const item *from = &s->items[i];
			if (!from->vnull) copy_value(vt, it->v.bytes, from->v.bytes, a);
			it->vnull = from->vnull;
			it->knull = from->knull;
			if (!from->knull && c->x.has_order) copy_value(c->x.order_type, it->k.bytes, from->k.bytes, a);
		}
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
	switch (c->kind) {
	case AGG_BOOL_AND: case AGG_BOOL_OR: {
		const bool_state *s = state;
		if (!s->has) vec_set_null(out, a, row, BATCH_CAPACITY);
		else *(bool *)dst = s->val;
		return;
	}
	case AGG_APPROX_DISTINCT: {
		const hll_state *s = state;
		*(int64_t *)dst = s->regs ? hll_estimate(s->regs) : 0;
		return;
	}
	case AGG_STRING_AGG: case AGG_PERCENTILE_CONT: case AGG_PERCENTILE_DISC: case AGG_ARRAY_AGG:
		list_finalize(c, state, out, row, a);
		return;
	default: return;
	}
}
