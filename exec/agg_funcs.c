/*
 * agg_funcs.c — count/sum/avg/min/max as state init, vector update, merge
 * and finalize (see agg_funcs.h). Result types follow agg_lookup (PostgreSQL's
 * rules); NULL inputs are skipped. It must never keep pointers into batch
 * memory: min/max strings are copied into the aggregation arena.
 */
#include <string.h>

#include "exec/agg_funcs.h"
#include "exec/functions_internal.h"

/* One layout for every aggregate keeps the operator's memory simple. */
typedef struct agg_state {
	i128 sum;       /* integer and numeric sums (scaled by scale) */
	double fsum;    /* float sums */
	int64_t count;  /* rows counted, or rows summed for avg */
	int32_t scale;  /* numeric scale of sum (avg/sum over numeric) */
	uint8_t has;    /* min/max/sum saw a value */
	uint8_t pad[3];
	union {
		uint8_t bytes[16];
		i128 align;
	} v; /* min/max value in vector layout (fstring points into the agg arena) */
} agg_state;

size_t agg_state_size(const agg_call *c)
{
	(void)c;
	return sizeof(agg_state);
}

void agg_init(const agg_call *c, void *state)
{
	(void)c;
	memset(state, 0, sizeof(agg_state));
}

static ferr *bigint_range(void) { return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range"); }
static ferr *numeric_range(void) { return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format"); }

/* string payloads need copying; a wide numeric is also 16 bytes but is a value */
static bool is_str(ftype t)
{
	switch (t.id) {
	case TYPE_TEXT: case TYPE_VARCHAR: case TYPE_BPCHAR: case TYPE_BYTEA: case TYPE_JSON:
	case TYPE_JSONB: case TYPE_UNKNOWN: case TYPE_ARRAY: return true;
	default: return false;
	}
}

static void keep_value(agg_state *s, ftype t, const void *v, arena *a)
{
	size_t w = ftype_width(t);
	memcpy(s->v.bytes, v, w);
	if (is_str(t)) {
		fstring *f = (fstring *)s->v.bytes;
		/* copy so the state outlives the batch */
		f->ptr = arena_strndup(a, f->ptr, f->len);
	}
	s->has = 1;
}

/* Add v (scale sc) to a numeric sum, keeping the larger scale: values of a
 * per-value-scale type each bring their own. */
static ferr *sum_add(agg_state *s, i128 v, int sc)
{
	if (!s->has) s->scale = sc;
	if (sc > s->scale) {
		if (!num_rescale(s->sum, s->scale, sc, &s->sum)) return numeric_range();
		s->scale = sc;
	} else if (sc < s->scale && !num_rescale(v, sc, s->scale, &v)) {
		return numeric_range();
	}
	if (__builtin_add_overflow(s->sum, v, &s->sum)) return numeric_range();
	return NULL;
}

#define LOOP_NONNULL(r) \
	for (int i_ = 0; i_ < b->count; i_++) \
		for (int r = batch_row(b, i_), once_ = 1; once_; once_ = 0) \
			if (!vector_is_null(arg, r))
#define ARG(T, r) (((const T *)arg->data)[arg->is_const ? 0 : (r)])
#define ST(i) ((agg_state *)states[i])

ferr *agg_update(const agg_call *c, void **states, const vector *arg, const batch *b, arena *a)
{
	if (c->kind > AGG_MAX) return arg ? agg_ext_update(c, states, arg, b, a) : NULL;
	if (c->kind == AGG_COUNT_STAR || !arg) {
		if (c->kind == AGG_COUNT_STAR || c->kind == AGG_COUNT)
			for (int i = 0; i < b->count; i++) ST(i)->count++;
		return NULL;
	}
	ftype t = arg->type;
	switch (c->kind) {
	case AGG_COUNT:
		LOOP_NONNULL(r) ST(i_)->count++;
		return NULL;
	case AGG_SUM: case AGG_AVG:
		switch (t.id) {
		case TYPE_INT2: LOOP_NONNULL(r) { ST(i_)->sum += ARG(int16_t, r); ST(i_)->count++; ST(i_)->has = 1; } break;
		case TYPE_INT4: LOOP_NONNULL(r) { ST(i_)->sum += ARG(int32_t, r); ST(i_)->count++; ST(i_)->has = 1; } break;
		case TYPE_INT8: LOOP_NONNULL(r) { ST(i_)->sum += ARG(int64_t, r); ST(i_)->count++; ST(i_)->has = 1; } break;
		case TYPE_NUMERIC:
			LOOP_NONNULL(r)
			{
				agg_state *s = ST(i_);
				int sc;
				i128 v = num_load_ds(t, vector_at(arg, r), &sc);
				TRY(sum_add(s, v, sc));
				s->count++;
				s->has = 1;
			}
			break;
		case TYPE_FLOAT4:
			if (c->kind == AGG_SUM) {
				/* float4 sums accumulate in float4, as PostgreSQL's float4pl */
				LOOP_NONNULL(r) { ST(i_)->fsum = (float)((float)ST(i_)->fsum + ARG(float, r)); ST(i_)->count++; ST(i_)->has = 1; }
			} else
				LOOP_NONNULL(r) { ST(i_)->fsum += ARG(float, r); ST(i_)->count++; ST(i_)->has = 1; }
			break;
		case TYPE_FLOAT8: LOOP_NONNULL(r) { ST(i_)->fsum += ARG(double, r); ST(i_)->count++; ST(i_)->has = 1; } break;
		case TYPE_INTERVAL:
			LOOP_NONNULL(r)
			{
				agg_state *s = ST(i_);
				finterval acc = {0, 0, 0}, x = ARG(finterval, r);
				if (s->has) memcpy(&acc, s->v.bytes, sizeof acc);
				acc.micros += x.micros;
				acc.days += x.days;
				acc.months += x.months;
				memcpy(s->v.bytes, &acc, sizeof acc);
				s->count++;
				s->has = 1;
			}
			break;
		default:
			return ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function %s(%s) does not exist", c->kind == AGG_SUM ? "sum" : "avg",
			                type_info_of(t.id)->name);
		}
		/* sum(int2/int4) is bigint: check the running sum stays in range */
		if (c->kind == AGG_SUM && c->result.id == TYPE_INT8)
			for (int i = 0; i < b->count; i++)
				if (ST(i)->sum > INT64_MAX || ST(i)->sum < INT64_MIN) return bigint_range();
		return NULL;
	case AGG_MIN: case AGG_MAX: {
		int want = c->kind == AGG_MIN ? -1 : 1;
		switch (t.id) {
		case TYPE_INT4: case TYPE_DATE:
			LOOP_NONNULL(r)
			{
				agg_state *s = ST(i_);
				int32_t x = ARG(int32_t, r), cur;
				memcpy(&cur, s->v.bytes, 4);
				if (!s->has || (want < 0 ? x < cur : x > cur)) {
					memcpy(s->v.bytes, &x, 4);
					s->has = 1;
				}
			}
			return NULL;
		case TYPE_INT8: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: case TYPE_TIME:
			LOOP_NONNULL(r)
			{
				agg_state *s = ST(i_);
				int64_t x = ARG(int64_t, r), cur;
				memcpy(&cur, s->v.bytes, 8);
				if (!s->has || (want < 0 ? x < cur : x > cur)) {
					memcpy(s->v.bytes, &x, 8);
					s->has = 1;
				}
			}
			return NULL;
		default:
			LOOP_NONNULL(r)
			{
				agg_state *s = ST(i_);
				const void *x = vector_at(arg, r);
				if (!s->has || value_compare(t, x, s->v.bytes) * want > 0) keep_value(s, t, x, a);
			}
			return NULL;
		}
	}
	default: break;
	}
	return NULL;
}

ferr *agg_merge(const agg_call *c, void *dst, const void *src, arena *a)
{
	agg_state *d = dst;
	const agg_state *s = src;
	ftype t = c->result;
	if (c->kind > AGG_MAX) return agg_ext_merge(c, dst, src, a);
	switch (c->kind) {
	case AGG_COUNT_STAR: case AGG_COUNT: d->count += s->count; return NULL;
	case AGG_SUM: case AGG_AVG:
		if (!s->has) return NULL;
		if (t.id == TYPE_INTERVAL) {
			finterval x, y;
			memcpy(&x, d->v.bytes, sizeof x);
			memcpy(&y, s->v.bytes, sizeof y);
			if (!d->has) memset(&x, 0, sizeof x);
			x.micros += y.micros;
			x.days += y.days;
			x.months += y.months;
			memcpy(d->v.bytes, &x, sizeof x);
		} else {
			TRY(sum_add(d, s->sum, s->scale));
		}
		if (c->kind == AGG_SUM && t.id == TYPE_INT8 && (d->sum > INT64_MAX || d->sum < INT64_MIN)) return bigint_range();
		d->fsum += s->fsum;
		d->count += s->count;
		d->has = 1;
		return NULL;
	case AGG_MIN: case AGG_MAX:
		if (!s->has) return NULL;
		if (!d->has || value_compare(t, s->v.bytes, d->v.bytes) * (c->kind == AGG_MIN ? -1 : 1) > 0)
			keep_value(d, t, s->v.bytes, a);
		return NULL;
	default: break;
	}
	return NULL;
}

void agg_finalize(const agg_call *c, const void *state, vector *out, int row, arena *a)
{
	const agg_state *s = state;
	ftype t = c->result;
	void *dst = (char *)out->data + (size_t)row * ftype_width(t);
	if (c->kind > AGG_MAX) {
		agg_ext_finalize(c, state, out, row, a);
		return;
	}
	if (c->kind == AGG_COUNT || c->kind == AGG_COUNT_STAR) {
		*(int64_t *)dst = s->count;
		return;
	}
	if (!s->has) {
		vec_set_null(out, a, row, row + 1 > BATCH_CAPACITY ? row + 1 : BATCH_CAPACITY);
		return;
	}
	switch (c->kind) {
	case AGG_SUM:
		if (t.id == TYPE_INT8) *(int64_t *)dst = (int64_t)s->sum;
		else if (t.id == TYPE_FLOAT8) *(double *)dst = s->fsum;
		else if (t.id == TYPE_FLOAT4) *(float *)dst = (float)s->fsum;
		else if (t.id == TYPE_INTERVAL) memcpy(dst, s->v.bytes, sizeof(finterval));
		else if (numeric_has_value_scale(t)) {
			ferr *e = num_store_ds(t, s->sum, s->scale, dst);
			if (e) {
				ferr_free(e);
				vec_set_null(out, a, row, BATCH_CAPACITY);
			}
		} else {
			i128 v = s->sum;
			num_rescale(v, s->scale, t.scale, &v);
			if (numeric_is_wide(t)) memcpy(dst, &v, sizeof v);
			else *(int64_t *)dst = (int64_t)v;
		}
		return;
	case AGG_AVG:
		if (t.id == TYPE_FLOAT8) {
			*(double *)dst = s->fsum / (double)s->count;
		} else {
			/* numeric_avg: sum / count at select_div_scale, as numeric_div */
			i128 v = 0;
			int vs = 0;
			ferr *e = num_div_ds(s->sum, s->scale, s->count, 0, &v, &vs);
			if (!e) e = num_store_ds(t, v, vs, dst);
			if (e) {
				ferr_free(e);
				vec_set_null(out, a, row, BATCH_CAPACITY); /* beyond 36 digits: cannot represent */
			}
		}
		return;
	case AGG_MIN: case AGG_MAX: memcpy(dst, s->v.bytes, ftype_width(t)); return;
	default: return;
	}
}
