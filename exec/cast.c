/*
 * cast.c — conversions between Ferry's types with PostgreSQL's semantics:
 * range errors (22003), invalid text (22P02), numeric rounding half away
 * from zero, date/time shifts through the session time zone. It must never
 * produce a value PostgreSQL would reject; unknown pairs are 42846.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "exec/array_funcs.h"
#include "exec/functions_internal.h"

void vec_set_null(vector *v, arena *a, int row, int capacity)
{
	if (!v->validity) {
		size_t words = ((size_t)capacity + 63) / 64;
		v->validity = arena_alloc(a, words * sizeof(uint64_t));
		memset(v->validity, 0xff, words * sizeof(uint64_t));
	}
	v->validity[row >> 6] &= ~(UINT64_C(1) << (row & 63));
}

static bool is_int(type_id t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }
static bool is_string(type_id t)
{
	return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN ||
	       t == TYPE_JSON || t == TYPE_JSONB;
}

static int64_t load_int(type_id t, const void *v)
{
	switch (t) {
	case TYPE_INT2: return *(const int16_t *)v;
	case TYPE_INT4: return *(const int32_t *)v;
	default: return *(const int64_t *)v;
	}
}

static ferr *int_range(type_id t)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range",
	                t == TYPE_INT2 ? "smallint" : t == TYPE_INT4 ? "integer" : "bigint");
}

static ferr *store_int(type_id t, i128 x, void *dst)
{
	switch (t) {
	case TYPE_INT2:
		if (x < INT16_MIN || x > INT16_MAX) return int_range(t);
		*(int16_t *)dst = (int16_t)x;
		return NULL;
	case TYPE_INT4:
		if (x < INT32_MIN || x > INT32_MAX) return int_range(t);
		*(int32_t *)dst = (int32_t)x;
		return NULL;
	default:
		if (x < INT64_MIN || x > INT64_MAX) return int_range(t);
		*(int64_t *)dst = (int64_t)x;
		return NULL;
	}
}

static double load_float(type_id t, const void *v)
{
	return t == TYPE_FLOAT4 ? *(const float *)v : *(const double *)v;
}

static long session_offset_local(const expr_ctx *ctx, int64_t local)
{
	return ctx && ctx->fmt ? tz_offset_for_local(ctx->fmt, local) : 0;
}

static long session_offset_utc(const expr_ctx *ctx, int64_t utc)
{
	return ctx && ctx->fmt ? tz_offset_at_utc(ctx->fmt, utc) : 0;
}

static ferr *no_cast(ftype from, ftype to)
{
	return ferr_new(SQLSTATE_CANNOT_COERCE, "cannot cast type %s to %s", type_err_name(from),
	                type_err_name(to));
}

ferr *cast_value(ftype from, const void *src, ftype to, const expr_ctx *ctx, arena *a, void *dst)
{
	type_id f = from.id, t = to.id;
	if (f == TYPE_ARRAY && t == TYPE_ARRAY) return array_cast_value(from, src, to, ctx, a, dst);
	if (t == TYPE_ARRAY && is_string(f)) return array_cast_from_text(src, to, ctx, a, dst);
	if (f == t && t != TYPE_NUMERIC && t != TYPE_VARCHAR && t != TYPE_BPCHAR) {
		memcpy(dst, src, ftype_width(to));
		return NULL;
	}
	/* to strings: the output function, then length rules */
	if (t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN) {
		fstring *out = dst;
		if (is_string(f) || f == TYPE_BYTEA) {
			*out = *(const fstring *)src;
		} else {
			strbuf sb = STRBUF_INIT;
			if (f == TYPE_BOOL)
				sb_puts(&sb, *(const uint8_t *)src ? "true" : "false");
			else
				value_out_text(from, src, ctx ? ctx->fmt : NULL, &sb);
			out->ptr = arena_strndup(a, sb.data ? sb.data : "", sb.len);
			out->len = (uint32_t)sb.len;
			sb_free(&sb);
		}
		if (f == TYPE_BPCHAR && t != TYPE_BPCHAR) {
			/* char(n) loses its padding when it becomes text */
			while (out->len && out->ptr[out->len - 1] == ' ') out->len--;
		}
		if ((t == TYPE_VARCHAR || t == TYPE_BPCHAR) && to.length >= 0) {
			/* an explicit cast truncates silently (SQL standard) */
			if (out->len > (uint32_t)to.length) out->len = (uint32_t)to.length;
			if (t == TYPE_BPCHAR && out->len < (uint32_t)to.length) {
				char *p = arena_alloc(a, (size_t)to.length);
				memcpy(p, out->ptr, out->len);
				memset(p + out->len, ' ', (size_t)to.length - out->len);
				out->ptr = p;
				out->len = (uint32_t)to.length;
			}
		}
		return NULL;
	}
	/* from strings: the input function */
	if (is_string(f)) {
		const fstring *s = src;
		if (t == TYPE_TIMESTAMPTZ) {
			/* a timestamptz without a zone is in the session's zone */
			int64_t ts;
			bool zone_given;
			TRY(timestamp_in_zone_order(to, s->ptr, s->len,
			                            ctx && ctx->fmt ? ctx->fmt->dateorder : DATEORDER_MDY, &ts,
			                            &zone_given));
			if (!zone_given && ts != TS_NOBEGIN && ts != TS_NOEND)
				ts -= (int64_t)session_offset_local(ctx, ts) * USECS_PER_SEC;
			*(int64_t *)dst = ts;
			return NULL;
		}
		return value_in_text_fs(to, s->ptr, s->len, a, dst, ctx ? ctx->fmt : NULL);
	}
	if (is_int(f) && is_int(t)) return store_int(t, load_int(f, src), dst);
	if (is_int(f) && (t == TYPE_FLOAT4 || t == TYPE_FLOAT8)) {
		if (t == TYPE_FLOAT4) *(float *)dst = (float)load_int(f, src);
		else *(double *)dst = (double)load_int(f, src);
		return NULL;
	}
	if ((f == TYPE_FLOAT4 || f == TYPE_FLOAT8) && is_int(t)) {
		double d = rint(load_float(f, src));
		if (isnan(d) || d < -9.3e18 || d > 9.3e18) return int_range(t);
		if (t == TYPE_INT8 && (d >= 9223372036854775808.0 || d < -9223372036854775808.0)) return int_range(t);
		return store_int(t, (i128)d, dst);
	}
	if (f == TYPE_FLOAT4 && t == TYPE_FLOAT8) {
		*(double *)dst = *(const float *)src;
		return NULL;
	}
	if (f == TYPE_FLOAT8 && t == TYPE_FLOAT4) {
		double d = *(const double *)src;
		float r = (float)d;
		if (isinf(r) && !isinf(d)) return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
		if (r == 0 && d != 0) return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
		*(float *)dst = r;
		return NULL;
	}
	if (is_int(f) && t == TYPE_NUMERIC) return num_store_ds(to, load_int(f, src), 0, dst);
	if (f == TYPE_NUMERIC && t == TYPE_NUMERIC) {
		/* one rounding, from the value's own scale to the target's */
		int sc;
		i128 v = num_load_ds(from, src, &sc);
		return num_store_ds(to, v, sc, dst);
	}
	int fs;
	if (f == TYPE_NUMERIC && is_int(t)) {
		i128 r, v = num_load_ds(from, src, &fs);
		num_rescale(v, fs, 0, &r);
		return store_int(t, r, dst);
	}
	if (f == TYPE_NUMERIC && (t == TYPE_FLOAT4 || t == TYPE_FLOAT8)) {
		/* via text, like PostgreSQL, so the result is correctly rounded */
		strbuf sb = STRBUF_INIT;
		i128 v = num_load_ds(from, src, &fs);
		num_to_text(v, fs, &sb);
		ferr *e = value_in_text(to, sb.data, sb.len, a, dst);
		sb_free(&sb);
		return e;
	}
	if ((f == TYPE_FLOAT4 || f == TYPE_FLOAT8) && t == TYPE_NUMERIC) {
		double d = load_float(f, src);
		if (isnan(d)) return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert NaN to numeric");
		if (isinf(d)) return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot convert infinity to numeric");
		char buf[64];
		/* float8 -> numeric goes through DBL_DIG (15) digits; float4 through 6 */
		snprintf(buf, sizeof buf, "%.*g", f == TYPE_FLOAT4 ? 6 : 15, d);
		return value_in_text(to, buf, strlen(buf), a, dst);
	}
	if (f == TYPE_BOOL && t == TYPE_INT4) {
		*(int32_t *)dst = *(const uint8_t *)src;
		return NULL;
	}
	if (f == TYPE_INT4 && t == TYPE_BOOL) {
		*(uint8_t *)dst = *(const int32_t *)src != 0;
		return NULL;
	}
	if (f == TYPE_DATE && (t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ)) {
		int32_t d = *(const int32_t *)src;
		if (d != DATE_NOBEGIN && d != DATE_NOEND && d > date_from_ymd(294276, 12, 31))
			return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date out of range for timestamp");
		int64_t ts = d == DATE_NOBEGIN ? TS_NOBEGIN : d == DATE_NOEND ? TS_NOEND : (int64_t)d * USECS_PER_DAY;
		if (t == TYPE_TIMESTAMPTZ && ts != TS_NOBEGIN && ts != TS_NOEND)
			ts -= (int64_t)session_offset_local(ctx, ts) * USECS_PER_SEC;
		*(int64_t *)dst = ts;
		return NULL;
	}
	if ((f == TYPE_TIMESTAMP || f == TYPE_TIMESTAMPTZ) && (t == TYPE_DATE || t == TYPE_TIME)) {
		int64_t ts = *(const int64_t *)src;
		if (ts == TS_NOBEGIN || ts == TS_NOEND) {
			if (t == TYPE_TIME) return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
			*(int32_t *)dst = ts == TS_NOBEGIN ? DATE_NOBEGIN : DATE_NOEND;
			return NULL;
		}
		if (f == TYPE_TIMESTAMPTZ) ts += (int64_t)session_offset_utc(ctx, ts) * USECS_PER_SEC;
		int32_t days;
		int64_t tod;
		ts_split(ts, &days, &tod);
		if (t == TYPE_DATE) *(int32_t *)dst = days;
		else *(int64_t *)dst = tod;
		return NULL;
	}
	if (f == TYPE_TIMESTAMP && t == TYPE_TIMESTAMPTZ) {
		int64_t ts = *(const int64_t *)src;
		if (ts != TS_NOBEGIN && ts != TS_NOEND) ts -= (int64_t)session_offset_local(ctx, ts) * USECS_PER_SEC;
		*(int64_t *)dst = ts;
		return NULL;
	}
	if (f == TYPE_TIMESTAMPTZ && t == TYPE_TIMESTAMP) {
		int64_t ts = *(const int64_t *)src;
		if (ts != TS_NOBEGIN && ts != TS_NOEND) ts += (int64_t)session_offset_utc(ctx, ts) * USECS_PER_SEC;
		*(int64_t *)dst = ts;
		return NULL;
	}
	if (f == TYPE_TIMETZ && t == TYPE_TIME) {
		*(int64_t *)dst = ((const ftimetz *)src)->time;
		return NULL;
	}
	if ((f == TYPE_TIME || f == TYPE_TIMESTAMPTZ) && t == TYPE_TIMETZ) {
		/* a time takes the session zone's offset at that time today (time_timetz);
		 * a timestamptz its local time and offset (timestamptz_timetz) */
		ftimetz *o = dst;
		long off;
		if (f == TYPE_TIME) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			int64_t utc = ((int64_t)now.tv_sec - INT64_C(946684800)) * USECS_PER_SEC, tod;
			int32_t days;
			ts_split(utc + (int64_t)session_offset_utc(ctx, utc) * USECS_PER_SEC, &days, &tod);
			o->time = *(const int64_t *)src;
			off = session_offset_local(ctx, (int64_t)days * USECS_PER_DAY + o->time);
		} else {
			int64_t ts = *(const int64_t *)src, tod;
			if (ts == TS_NOBEGIN || ts == TS_NOEND) return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
			int32_t days;
			off = session_offset_utc(ctx, ts);
			ts_split(ts + (int64_t)off * USECS_PER_SEC, &days, &tod);
			o->time = tod;
		}
		o->zone = (int32_t)-off;
		o->pad = 0;
		return NULL;
	}
	if (f == TYPE_TIME && t == TYPE_INTERVAL) {
		finterval *iv = dst;
		iv->micros = *(const int64_t *)src;
		iv->days = iv->months = 0;
		return NULL;
	}
	if ((f == TYPE_JSON || f == TYPE_JSONB) && (t == TYPE_JSON || t == TYPE_JSONB)) {
		*(fstring *)dst = *(const fstring *)src;
		return NULL;
	}
	return no_cast(from, to);
}

#define IN_AT(v, T, r) (((const T *)(v)->data)[(v)->is_const ? 0 : (r)])

ferr *cast_vector(const vector *src, ftype to, const expr_ctx *ctx, const batch *b, arena *a, vector *out)
{
	vector_init(out, a, to, b->capacity);
	type_id f = src->type.id;
	/* the common widening casts get tight loops; the rest go value by value */
	if (is_int(f) && to.id == TYPE_INT8) {
		int64_t *o = out->data;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			o[r] = f == TYPE_INT2 ? IN_AT(src, int16_t, r) : f == TYPE_INT4 ? IN_AT(src, int32_t, r) : IN_AT(src, int64_t, r);
		}
	} else if (f == TYPE_INT2 && to.id == TYPE_INT4) {
		int32_t *o = out->data;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			o[r] = IN_AT(src, int16_t, r);
		}
	} else if (is_int(f) && to.id == TYPE_FLOAT8) {
		double *o = out->data;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			o[r] = (double)(f == TYPE_INT2 ? IN_AT(src, int16_t, r) : f == TYPE_INT4 ? IN_AT(src, int32_t, r) : IN_AT(src, int64_t, r));
		}
	} else {
		size_t w = ftype_width(to);
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (vector_is_null(src, r)) continue;
			TRY(cast_value(src->type, vector_at(src, r), to, ctx, a, (char *)out->data + (size_t)r * w));
		}
	}
	/* nulls stay null */
	if (src->validity) {
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (vector_is_null(src, r)) vec_set_null(out, a, r, b->capacity);
		}
	}
	return NULL;
}
