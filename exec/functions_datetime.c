/*
 * functions_datetime.c — the date/time function family beyond operators,
 * extract and date_trunc: to_char (timestamps, dates, intervals, numbers),
 * to_date, to_timestamp, to_number, justify_*, isfinite, make_date,
 * make_time and make_timestamp(tz). Plugged into the function library by
 * one hook in func_lookup_ex, func_eval and func_name (ops numbered from
 * FOP_DATETIME_FIRST). Templates go to datetime_fmt.c / number_fmt.c; this
 * file only moves values between vectors and those engines, and must give
 * NULL for NULL arguments before looking at a row's value.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "exec/datetime_fmt.h"
#include "exec/functions_datetime.h"
#include "exec/functions_internal.h"

enum {
	FDT_TO_CHAR_TS = FOP_DATETIME_FIRST, /* dom TIMESTAMP or TIMESTAMPTZ */
	FDT_TO_CHAR_IV,
	FDT_TO_CHAR_NUM, /* dom INT8 or NUMERIC */
	FDT_TO_CHAR_FLOAT,
	FDT_TO_DATE,
	FDT_TO_TIMESTAMP,
	FDT_TO_TIMESTAMP_EPOCH,
	FDT_TO_NUMBER,
	FDT_JUSTIFY_DAYS,
	FDT_JUSTIFY_HOURS,
	FDT_JUSTIFY_INTERVAL,
	FDT_ISFINITE, /* dom DATE, TIMESTAMP(TZ) or INTERVAL */
	FDT_MAKE_DATE,
	FDT_MAKE_TIME,
	FDT_MAKE_TIMESTAMP, /* dom TIMESTAMP or TIMESTAMPTZ */
	FDT__END,
};

static const char *const names[] = {
	"to_char", "to_char", "to_char", "to_char", "to_date", "to_timestamp", "to_timestamp",
	"to_number", "justify_days", "justify_hours", "justify_interval", "isfinite", "make_date",
	"make_time", "make_timestamp",
};

static bool textual(type_id t)
{
	return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN || t == TYPE_NULL;
}

static bool integral(type_id t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }

static bool numberish(type_id t)
{
	return integral(t) || t == TYPE_NUMERIC || t == TYPE_FLOAT4 || t == TYPE_FLOAT8 || t == TYPE_UNKNOWN;
}

static void set(func_match *m, int op, type_id dom, ftype result, int nargs, const ftype *argt)
{
	memset(m, 0, sizeof *m);
	m->func = FUNC_ID(op, dom);
	m->result = result;
	for (int i = 0; i < nargs && i < 8; i++) m->arg_types[i] = argt[i];
}

bool func_datetime_lookup(const char *n, int nargs, const ftype *t, func_match *out)
{
	ftype tx = ftype_make(TYPE_TEXT), f8 = ftype_make(TYPE_FLOAT8), i4 = ftype_make(TYPE_INT4);
	ftype ts = ftype_make(TYPE_TIMESTAMP), tstz = ftype_make(TYPE_TIMESTAMPTZ);
	ftype iv = ftype_make(TYPE_INTERVAL), dt = ftype_make(TYPE_DATE);
	type_id a0 = nargs ? t[0].id : TYPE_NULL;
	if (!strcmp(n, "to_char") && nargs == 2 && textual(t[1].id)) {
		ftype argt[2] = {t[0], tx};
		if (a0 == TYPE_DATE || a0 == TYPE_TIMESTAMP) {
			argt[0] = ts;
			set(out, FDT_TO_CHAR_TS, TYPE_TIMESTAMP, tx, 2, argt);
		} else if (a0 == TYPE_TIMESTAMPTZ) {
			set(out, FDT_TO_CHAR_TS, TYPE_TIMESTAMPTZ, tx, 2, argt);
		} else if (a0 == TYPE_INTERVAL) {
			set(out, FDT_TO_CHAR_IV, TYPE_INTERVAL, tx, 2, argt);
		} else if (integral(a0)) {
			argt[0] = ftype_make(TYPE_INT8);
			set(out, FDT_TO_CHAR_NUM, TYPE_INT8, tx, 2, argt);
		} else if (a0 == TYPE_NUMERIC) {
			set(out, FDT_TO_CHAR_NUM, TYPE_NUMERIC, tx, 2, argt);
		} else if (a0 == TYPE_FLOAT4 || a0 == TYPE_FLOAT8) {
			set(out, FDT_TO_CHAR_FLOAT, a0, tx, 2, argt);
		} else {
			return false;
		}
		return true;
	}
	if ((!strcmp(n, "to_date") || !strcmp(n, "to_timestamp") || !strcmp(n, "to_number")) && nargs == 2 &&
	    textual(a0) && textual(t[1].id)) {
		ftype argt[2] = {tx, tx};
		if (n[3] == 'd') set(out, FDT_TO_DATE, TYPE_TEXT, dt, 2, argt);
		else if (n[3] == 't') set(out, FDT_TO_TIMESTAMP, TYPE_TEXT, tstz, 2, argt);
		else set(out, FDT_TO_NUMBER, TYPE_TEXT, ftype_numeric_value_scale(), 2, argt);
		return true;
	}
	if (!strcmp(n, "to_timestamp") && nargs == 1 && numberish(a0)) {
		set(out, FDT_TO_TIMESTAMP_EPOCH, TYPE_FLOAT8, tstz, 1, &f8);
		return true;
	}
	if (!strncmp(n, "justify_", 8) && nargs == 1 && (a0 == TYPE_INTERVAL || a0 == TYPE_UNKNOWN)) {
		int op = !strcmp(n + 8, "days") ? FDT_JUSTIFY_DAYS : !strcmp(n + 8, "hours") ? FDT_JUSTIFY_HOURS
		       : !strcmp(n + 8, "interval") ? FDT_JUSTIFY_INTERVAL : 0;
		if (!op) return false;
		set(out, op, TYPE_INTERVAL, iv, 1, &iv);
		return true;
	}
	if (!strcmp(n, "isfinite") && nargs == 1 &&
	    (a0 == TYPE_DATE || a0 == TYPE_TIMESTAMP || a0 == TYPE_TIMESTAMPTZ || a0 == TYPE_INTERVAL)) {
		set(out, FDT_ISFINITE, a0, ftype_make(TYPE_BOOL), 1, t);
		return true;
	}
	if (!strcmp(n, "make_date") && nargs == 3 && numberish(a0) && numberish(t[1].id) && numberish(t[2].id)) {
		ftype argt[3] = {i4, i4, i4};
		set(out, FDT_MAKE_DATE, TYPE_INT4, dt, 3, argt);
		return true;
	}
	if (!strcmp(n, "make_time") && nargs == 3 && numberish(a0) && numberish(t[1].id) && numberish(t[2].id)) {
		ftype argt[3] = {i4, i4, f8};
		set(out, FDT_MAKE_TIME, TYPE_INT4, ftype_make(TYPE_TIME), 3, argt);
		return true;
	}
	if ((!strcmp(n, "make_timestamp") && nargs == 6) || (!strcmp(n, "make_timestamptz") && nargs == 6)) {
		for (int i = 0; i < 6; i++)
			if (!numberish(t[i].id)) return false;
		ftype argt[6] = {i4, i4, i4, i4, i4, f8};
		bool tz = !strcmp(n, "make_timestamptz");
		set(out, FDT_MAKE_TIMESTAMP, tz ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP, tz ? tstz : ts, 6, argt);
		return true;
	}
	return false;
}

const char *func_datetime_name(int func)
{
	int op = (int)FUNC_OP(func);
	if (op < FOP_DATETIME_FIRST || op >= FDT__END) return "?";
	return names[op - FOP_DATETIME_FIRST];
}

static ferr *set_text(vector *out, int r, arena *a, const strbuf *sb)
{
	char *p = arena_alloc(a, sb->len ? sb->len : 1);
	if (sb->len) memcpy(p, sb->data, sb->len);
	((fstring *)out->data)[r] = (fstring){(uint32_t)sb->len, p};
	return NULL;
}

static ferr *range(const char *what) { return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "%s out of range", what); }

/* PostgreSQL's interval_justify_*: whole days out of the time, whole months out of the days. */
static ferr *justify(int op, finterval x, finterval *res)
{
	if (op == FDT_JUSTIFY_HOURS || op == FDT_JUSTIFY_INTERVAL) {
		int64_t d = x.micros / USECS_PER_DAY;
		if (__builtin_add_overflow(x.days, d, &x.days)) return range("interval");
		x.micros -= d * USECS_PER_DAY;
	}
	if (op == FDT_JUSTIFY_DAYS || op == FDT_JUSTIFY_INTERVAL) {
		int32_t m = x.days / 30;
		if (__builtin_add_overflow(x.months, m, &x.months)) return range("interval");
		x.days -= m * 30;
	}
	if (op == FDT_JUSTIFY_INTERVAL) {
		/* make the signs of months, days and time agree */
		if (x.months > 0 && (x.days < 0 || (x.days == 0 && x.micros < 0))) {
			x.days += 30;
			x.months--;
		} else if (x.months < 0 && (x.days > 0 || (x.days == 0 && x.micros > 0))) {
			x.days -= 30;
			x.months++;
		}
	}
	if (op == FDT_JUSTIFY_INTERVAL || op == FDT_JUSTIFY_HOURS) {
		/* the days and the time agree in sign */
		if (x.days > 0 && x.micros < 0) {
			x.micros += USECS_PER_DAY;
			x.days--;
		} else if (x.days < 0 && x.micros > 0) {
			x.micros -= USECS_PER_DAY;
			x.days++;
		}
	}
	*res = x;
	return NULL;
}

/* Seconds as a double into whole micros, with PostgreSQL's range checks for make_*. */
static ferr *time_of(int h, int m, double sec, int64_t *tod)
{
	if (h < 0 || h > 24 || m < 0 || m > 59 || isnan(sec) || sec < 0 || sec > 60 ||
	    (h == 24 && (m > 0 || sec > 0)))
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "time field value out of range: %d:%02d:%02g", h, m, sec);
	*tod = ((int64_t)h * 3600 + m * 60) * USECS_PER_SEC + (int64_t)llrint(sec * 1e6);
	return NULL;
}

static ferr *date_of(int y, int m, int d, int32_t *days)
{
	if (y == 0)
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date field value out of range: %d-%02d-%02d", y, m, d);
	int yy = y < 0 ? y + 1 : y; /* negative years are BC */
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(yy, m) || yy < -4712 || yy > 5874897)
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date field value out of range: %d-%02d-%02d", y, m, d);
	*days = date_from_ymd(yy, m, d);
	return NULL;
}

ferr *func_datetime_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b, arena *a,
                         vector *out)
{
	int op = (int)FUNC_OP(e->func);
	type_id dom = FUNC_DOM(e->func);
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	for (int k = 0; k < e->nargs; k++) {
		if (!args[k]->validity) continue;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (ISNULL(args[k], r)) vec_set_null(out, a, r, b->capacity);
		}
	}
	strbuf sb = STRBUF_INIT;
	ferr *err = NULL;
	const fmt_settings *fs = ctx ? ctx->fmt : NULL;
	FOR_ROWS(r)
	{
		sb.len = 0;
		if (sb.data) sb.data[0] = 0;
		switch (op) {
		case FDT_TO_CHAR_TS: case FDT_TO_CHAR_IV: case FDT_TO_CHAR_NUM: case FDT_TO_CHAR_FLOAT: {
			fstring f = AT(args[1], fstring, r);
			/* an empty template gives NULL, as in PostgreSQL */
			if (f.len == 0) {
				vec_set_null(out, a, r, b->capacity);
				continue;
			}
			if (op == FDT_TO_CHAR_TS) {
				int64_t v = AT(args[0], int64_t, r);
				if (v == TS_NOBEGIN || v == TS_NOEND) {
					vec_set_null(out, a, r, b->capacity);
					continue;
				}
				dtfmt_tm tm;
				long off = 0;
				const char *abbr = NULL;
				if (dom == TYPE_TIMESTAMPTZ) off = fs ? tz_info_at_utc(fs, v, &abbr) : 0;
				dtfmt_tm_from_ts(v + (int64_t)off * USECS_PER_SEC, &tm);
				if (dom == TYPE_TIMESTAMPTZ) {
					tm.gmtoff = off;
					tm.tzn = abbr && *abbr ? abbr : NULL;
				}
				err = dtfmt_to_char(f.ptr, f.len, &tm, &sb);
			} else if (op == FDT_TO_CHAR_IV) {
				dtfmt_tm tm;
				dtfmt_tm_from_interval(&AT(args[0], finterval, r), &tm);
				err = dtfmt_to_char(f.ptr, f.len, &tm, &sb);
			} else if (op == FDT_TO_CHAR_NUM) {
				int scale = 0;
				i128 v;
				if (dom == TYPE_INT8) v = AT(args[0], int64_t, r);
				else v = num_load_ds(args[0]->type, (const char *)args[0]->data +
				                     (args[0]->is_const ? 0 : (size_t)r * ftype_width(args[0]->type)), &scale);
				err = dtfmt_num_to_char(f.ptr, f.len, v, scale, &sb);
			} else {
				double d = dom == TYPE_FLOAT4 ? (double)AT(args[0], float, r) : AT(args[0], double, r);
				err = dtfmt_float_to_char(f.ptr, f.len, d, &sb);
			}
			if (!err) set_text(out, r, a, &sb);
			break;
		}
		case FDT_TO_DATE: case FDT_TO_TIMESTAMP: {
			fstring s = AT(args[0], fstring, r), f = AT(args[1], fstring, r);
			dtfmt_parsed p;
			err = dtfmt_parse(s.ptr, s.len, f.ptr, f.len, op == FDT_TO_DATE, &p);
			if (err) break;
			if (op == FDT_TO_DATE) {
				int32_t days;
				int64_t tod;
				ts_split(p.local, &days, &tod);
				((int32_t *)out->data)[r] = days;
			} else {
				long off = p.has_tz ? p.tzoff : fs ? tz_offset_for_local(fs, p.local) : 0;
				((int64_t *)out->data)[r] = p.local - (int64_t)off * USECS_PER_SEC;
			}
			break;
		}
		case FDT_TO_TIMESTAMP_EPOCH: {
			double d = AT(args[0], double, r);
			int64_t *o = out->data;
			if (isnan(d)) {
				err = ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp cannot be NaN");
			} else if (isinf(d)) {
				o[r] = d > 0 ? TS_NOEND : TS_NOBEGIN;
			} else {
				/* PostgreSQL's range: 4714-11-24 BC to 294277 AD */
				double us = rint((d - 946684800.0) * 1e6);
				if (d < -210866803200.0 || d >= 9224318016000.0 || us >= 9.2e18 || us <= -9.2e18) {
					sb_printf(&sb, "%.15g", d);
					err = ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"%s\"", sb.data);
				} else {
					o[r] = (int64_t)us;
				}
			}
			break;
		}
		case FDT_TO_NUMBER: {
			fstring s = AT(args[0], fstring, r), f = AT(args[1], fstring, r);
			i128 v;
			int scale;
			err = dtfmt_to_number(s.ptr, s.len, f.ptr, f.len, &v, &scale);
			if (!err) err = num_store_ds(e->type, v, scale, (char *)out->data + (size_t)r * ftype_width(e->type));
			break;
		}
		case FDT_JUSTIFY_DAYS: case FDT_JUSTIFY_HOURS: case FDT_JUSTIFY_INTERVAL:
			err = justify(op, AT(args[0], finterval, r), &((finterval *)out->data)[r]);
			break;
		case FDT_ISFINITE: {
			bool fin;
			if (dom == TYPE_DATE) {
				int32_t v = AT(args[0], int32_t, r);
				fin = v != DATE_NOBEGIN && v != DATE_NOEND;
			} else if (dom == TYPE_INTERVAL) {
				fin = true;
			} else {
				int64_t v = AT(args[0], int64_t, r);
				fin = v != TS_NOBEGIN && v != TS_NOEND;
			}
			((bool *)out->data)[r] = fin;
			break;
		}
		case FDT_MAKE_DATE:
			err = date_of(AT(args[0], int32_t, r), AT(args[1], int32_t, r), AT(args[2], int32_t, r),
			              &((int32_t *)out->data)[r]);
			break;
		case FDT_MAKE_TIME:
			err = time_of(AT(args[0], int32_t, r), AT(args[1], int32_t, r), AT(args[2], double, r),
			              &((int64_t *)out->data)[r]);
			break;
		case FDT_MAKE_TIMESTAMP: {
			int32_t days;
			int64_t tod;
			err = date_of(AT(args[0], int32_t, r), AT(args[1], int32_t, r), AT(args[2], int32_t, r), &days);
			if (!err) err = time_of(AT(args[3], int32_t, r), AT(args[4], int32_t, r), AT(args[5], double, r), &tod);
			if (err) break;
			int64_t local = (int64_t)days * USECS_PER_DAY + tod;
			if (dom == TYPE_TIMESTAMPTZ && fs) local -= (int64_t)tz_offset_for_local(fs, local) * USECS_PER_SEC;
			((int64_t *)out->data)[r] = local;
			break;
		}
		default:
			err = ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown date/time function %d", op);
		}
		if (err) goto done;
	}
done:
	sb_free(&sb);
	return err;
}
