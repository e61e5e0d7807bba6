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
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
	FDT_CLOCK_TIMESTAMP,
	FDT_TIMEOFDAY,
	FDT_TIMEZONE,    /* timezone(text, x): dom is x's type, TIMESTAMP or TIMESTAMPTZ */
	FDT_TIMEZONE_IV, /* timezone(interval, x) */
	FDT_AGE,         /* dom TIMESTAMP or TIMESTAMPTZ */
	FDT_DATE_BIN,    /* dom TIMESTAMP or TIMESTAMPTZ */
	FDT_MAKE_INTERVAL,
	FDT_OVERLAPS, /* dom TIMESTAMP or TIMESTAMPTZ; not strict */
	FDT_TIMETZ_ADD_IV, /* timetz + interval (dom TIMETZ), interval + timetz (dom INTERVAL) */
	FDT_TIMETZ_SUB_IV,
	FDT__END,
};

static const char *const names[] = {
	"to_char", "to_char", "to_char", "to_char", "to_date", "to_timestamp", "to_timestamp",
	"to_number", "justify_days", "justify_hours", "justify_interval", "isfinite", "make_date",
	"make_time", "make_timestamp", "clock_timestamp", "timeofday", "timezone", "timezone", "age", "date_bin", "make_interval", "overlaps",
	"+", "-",
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
	if (!strcmp(n, "clock_timestamp") && nargs == 0) {
		set(out, FDT_CLOCK_TIMESTAMP, TYPE_TIMESTAMPTZ, tstz, 0, t);
		return true;
	}
	if (!strcmp(n, "timeofday") && nargs == 0) {
		set(out, FDT_TIMEOFDAY, TYPE_TEXT, tx, 0, t);
		return true;
	}
	/* x AT TIME ZONE z is timezone(z, x); an unknown or date x is a
	 * timestamptz, PostgreSQL's preferred type of the category */
	if (!strcmp(n, "timezone") && nargs == 2 && (textual(a0) || a0 == TYPE_INTERVAL)) {
		type_id a1 = t[1].id;
		int op = a0 == TYPE_INTERVAL ? FDT_TIMEZONE_IV : FDT_TIMEZONE;
		ftype argt[2] = {a0 == TYPE_INTERVAL ? iv : tx, a1 == TYPE_TIMESTAMP ? ts : tstz};
		if (a1 == TYPE_TIMETZ) {
			argt[1] = t[1];
			set(out, op, TYPE_TIMETZ, t[1], 2, argt);
		} else if (a1 == TYPE_TIMESTAMP)
			set(out, op, TYPE_TIMESTAMP, tstz, 2, argt);
		else if (a1 == TYPE_TIMESTAMPTZ || a1 == TYPE_DATE || a1 == TYPE_UNKNOWN)
			set(out, op, TYPE_TIMESTAMPTZ, ts, 2, argt);
		else
			return false;
		return true;
	}
	/* timetz ± interval: the time wraps around midnight, the zone stays */
	if ((!strcmp(n, "+") || !strcmp(n, "-")) && nargs == 2 &&
	    ((a0 == TYPE_TIMETZ && t[1].id == TYPE_INTERVAL) || (n[0] == '+' && a0 == TYPE_INTERVAL && t[1].id == TYPE_TIMETZ))) {
		set(out, n[0] == '+' ? FDT_TIMETZ_ADD_IV : FDT_TIMETZ_SUB_IV, a0, ftype_make(TYPE_TIMETZ), 2, t);
		return true;
	}
	/* the planner gives all seven, defaults filled in */
	if (!strcmp(n, "make_interval") && nargs == 7) {
		for (int i = 0; i < 7; i++)
			if (!numberish(t[i].id)) return false;
		ftype argt[7] = {i4, i4, i4, i4, i4, i4, f8};
		set(out, FDT_MAKE_INTERVAL, TYPE_INT4, iv, 7, argt);
		return true;
	}
	/* age(a, b), date_bin(stride, x, origin) and (a, b) OVERLAPS (c, d)
	 * (the planner made ends of intervals): timestamptz when one is (or
	 * unknown), else timestamp (dates widen) */
	bool ovl = !strcmp(n, "overlaps") && nargs == 4;
	if ((!strcmp(n, "age") && nargs == 2) || (!strcmp(n, "date_bin") && nargs == 3) || ovl) {
		int k0 = nargs == 3 ? 1 : 0;
		if (k0 && t[0].id != TYPE_INTERVAL && !textual(t[0].id)) return false;
		bool tz = false;
		for (int k = k0; k < nargs; k++) {
			type_id x = t[k].id;
			if (x == TYPE_TIMESTAMPTZ || x == TYPE_UNKNOWN) tz = true;
			else if (x != TYPE_TIMESTAMP && x != TYPE_DATE) return false;
		}
		ftype argt[5] = {iv, tz ? tstz : ts, tz ? tstz : ts, tz ? tstz : ts, tz ? tstz : ts};
		if (ovl)
			set(out, FDT_OVERLAPS, tz ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP, ftype_make(TYPE_BOOL), 4, argt + 1);
		else if (k0)
			set(out, FDT_DATE_BIN, tz ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP, argt[1], 3, argt);
		else
			set(out, FDT_AGE, tz ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP, iv, 2, argt + 1);
		return true;
	}
	return false;
}

bool func_datetime_volatile(int func)
{
	int op = (int)FUNC_OP(func);
	return op == FDT_CLOCK_TIMESTAMP || op == FDT_TIMEOFDAY;
}

/* PostgreSQL's AdjustTimestampForTypmod / AdjustTimeForTypmod: half away from zero. */
static int64_t round_micros(int64_t v, int precision)
{
	if (precision < 0 || precision >= 6 || v == TS_NOBEGIN || v == TS_NOEND) return v;
	int64_t scale = 1;
	for (int i = precision; i < 6; i++) scale *= 10;
	return v >= 0 ? (v + scale / 2) / scale * scale : -((-v + scale / 2) / scale * scale);
}

int64_t func_datetime_value(int kind, int64_t utc, int precision, const fmt_settings *fs)
{
	int64_t local = utc + (int64_t)(fs ? tz_offset_at_utc(fs, utc) : 0) * USECS_PER_SEC;
	int32_t days;
	int64_t tod;
	switch (kind) {
	case FDT_VALUE_DATE:
		ts_split(local, &days, &tod);
		return days;
	case FDT_VALUE_TIMESTAMPTZ: return round_micros(utc, precision);
	case FDT_VALUE_TIMESTAMP: return round_micros(local, precision);
	default:
		ts_split(local, &days, &tod);
		return round_micros(tod, precision);
	}
}

ftimetz func_datetime_timetz(int64_t utc, int precision, const fmt_settings *fs)
{
	ftimetz v = {.time = func_datetime_value(FDT_VALUE_TIME, utc, precision, fs),
	             .zone = (int32_t)-(fs ? tz_offset_at_utc(fs, utc) : 0)};
	return v;
}

static int64_t clock_micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec - INT64_C(946684800)) * USECS_PER_SEC + ts.tv_nsec / 1000;
}

/* timeofday(): the clock as C's "%a %b %d %H:%M:%S.%06d %Y %Z" in the session zone. */
static void timeofday_text(const fmt_settings *fs, strbuf *sb)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t utc = clock_micros();
	const char *abbr = NULL;
	long off = fs ? tz_info_at_utc(fs, utc, &abbr) : 0;
	dtfmt_tm tm;
	dtfmt_tm_from_ts(utc + (int64_t)off * USECS_PER_SEC, &tm);
	sb_printf(sb, "%s %s %02lld %02lld:%02d:%02d.%06d %lld ", wd[tm.wday], mon[tm.mon - 1], (long long)tm.mday,
	          (long long)tm.hour, tm.min, tm.sec, tm.usec, (long long)tm.year);
	if (abbr && *abbr) {
		sb_printf(sb, "%s", abbr);
	} else {
		long a = off < 0 ? -off : off;
		sb_printf(sb, "%c%02ld", off < 0 ? '-' : '+', a / 3600);
		if (a % 3600) sb_printf(sb, ":%02ld", a / 60 % 60);
	}
}

/*
 * Time zone abbreviations PostgreSQL's "Default" set knows (seconds east),
 * looked up before zone names as timestamptz_zone does; a dynamic one
 * names the zone that gives its offset.
 */
static const struct {
	const char *abbr;
	long off;
	const char *zone;
} zone_abbrevs[] = {
	{"acdt", 37800, NULL}, {"acst", 34200, NULL}, {"adt", -10800, NULL}, {"aedt", 39600, NULL},
	{"aest", 36000, NULL}, {"akdt", -28800, NULL}, {"akst", -32400, NULL}, {"ast", -14400, NULL},
	{"awst", 28800, NULL}, {"bst", 3600, NULL}, {"cat", 7200, NULL}, {"cdt", -18000, NULL},
	{"cest", 7200, NULL}, {"cet", 3600, NULL}, {"cst", -21600, NULL}, {"eat", 10800, NULL},
	{"edt", -14400, NULL}, {"eest", 10800, NULL}, {"eet", 7200, NULL}, {"est", -18000, NULL},
	{"gmt", 0, NULL}, {"hkt", 28800, NULL}, {"hst", -36000, NULL}, {"idt", 10800, NULL},
	{"ist", 7200, NULL}, {"jst", 32400, NULL}, {"kst", 32400, NULL}, {"mdt", -21600, NULL},
	{"mest", 7200, NULL}, {"met", 3600, NULL}, {"msk", 0, "Europe/Moscow"}, {"mst", -25200, NULL},
	{"ndt", -9000, NULL}, {"nst", -12600, NULL}, {"nzdt", 46800, NULL}, {"nzst", 43200, NULL},
	{"pdt", -25200, NULL}, {"pst", -28800, NULL}, {"sast", 7200, NULL}, {"sgt", 28800, NULL},
	{"uct", 0, NULL}, {"ut", 0, NULL}, {"utc", 0, NULL}, {"wat", 3600, NULL},
	{"west", 3600, NULL}, {"wet", 0, NULL}, {"z", 0, NULL}, {"zulu", 0, NULL},
};

/* A zone for AT TIME ZONE: a fixed offset (seconds east) or a zone to ask. */
typedef struct at_zone {
	bool fixed;
	long off;
	fmt_settings fs; /* fs.timezone = name when not fixed */
	char name[128];
} at_zone;

/* "+05:30", "-8", "3": a POSIX offset, hours WEST of UTC as pg_tzset reads it. */
static bool posix_fixed(const char *s, long *east)
{
	int sign = 1;
	if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
	long f[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		int nd = 0;
		while (isdigit((unsigned char)*s) && nd < (k ? 2 : 3)) f[k] = f[k] * 10 + (*s++ - '0'), nd++;
		if (!nd) return false;
		if (*s != ':' || k == 2) break;
		s++;
	}
	/* tzparse's range: up to a week less an hour */
	if (*s || f[0] > 167 || f[1] > 59 || f[2] > 59) return false;
	*east = -sign * (f[0] * 3600 + f[1] * 60 + f[2]);
	return true;
}

static ferr *zone_resolve(const char *s, size_t len, at_zone *z)
{
	memset(z, 0, sizeof *z);
	if (len >= sizeof z->name || memchr(s, 0, len))
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%.*s\" not recognized", (int)len, s);
	char buf[128];
	memcpy(buf, s, len);
	buf[len] = 0;
	for (size_t i = 0; i < sizeof zone_abbrevs / sizeof zone_abbrevs[0]; i++) {
		if (strcasecmp(buf, zone_abbrevs[i].abbr) != 0) continue;
		if (!zone_abbrevs[i].zone) {
			z->fixed = true;
			z->off = zone_abbrevs[i].off;
			return NULL;
		}
		snprintf(z->name, sizeof z->name, "%s", zone_abbrevs[i].zone);
		z->fs.timezone = z->name;
		return NULL;
	}
	if (buf[0] == '+' || buf[0] == '-' || isdigit((unsigned char)buf[0])) {
		if (posix_fixed(buf, &z->off)) {
			z->fixed = true;
			return NULL;
		}
	} else if (len && tz_session_canonical(buf, z->name, sizeof z->name)) {
		z->fs.timezone = z->name;
		return NULL;
	}
	return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "time zone \"%s\" not recognized", buf);
}

/* PostgreSQL's make_interval; sums past the fields' range are 22008
 * (PostgreSQL 15 checks only the seconds). */
static ferr *make_interval_of(const int32_t f[6], double secs, finterval *res)
{
	int64_t us, h, m;
	if (isinf(secs) || isnan(secs) || fabs(secs * 1e6) >= 9.2e18) goto range;
	us = (int64_t)rint(secs * 1e6);
	if (__builtin_mul_overflow(f[0], 12, &res->months) || __builtin_add_overflow(res->months, f[1], &res->months) ||
	    __builtin_mul_overflow(f[2], 7, &res->days) || __builtin_add_overflow(res->days, f[3], &res->days) ||
	    __builtin_mul_overflow((int64_t)f[4], 3600 * USECS_PER_SEC, &h) ||
	    __builtin_mul_overflow((int64_t)f[5], 60 * USECS_PER_SEC, &m) || __builtin_add_overflow(h, m, &h) ||
	    __builtin_add_overflow(h, us, &res->micros))
		goto range;
	return NULL;
range:
	return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
}

/*
 * PostgreSQL's timestamp_age: subtract field by field (local fields for a
 * timestamptz), borrow downwards, a negative day borrowing the length of
 * the month of the later value; the result has the sign of a - b.
 */
static void age_of(int64_t x, int64_t y, const fmt_settings *tzfs, finterval *res)
{
	dtfmt_tm t1, t2;
	dtfmt_tm_from_ts(x + (int64_t)(tzfs ? tz_offset_at_utc(tzfs, x) : 0) * USECS_PER_SEC, &t1);
	dtfmt_tm_from_ts(y + (int64_t)(tzfs ? tz_offset_at_utc(tzfs, y) : 0) * USECS_PER_SEC, &t2);
	int64_t f[6] = {t1.usec - t2.usec, t1.sec - t2.sec, t1.min - t2.min, t1.hour - t2.hour,
	                t1.mday - t2.mday, t1.mon - t2.mon};
	int64_t year = t1.year - t2.year;
	bool neg = x < y;
	if (neg) {
		for (int i = 0; i < 6; i++) f[i] = -f[i];
		year = -year;
	}
	static const int64_t carry[] = {USECS_PER_SEC, 60, 60, 24};
	for (int i = 0; i < 4; i++)
		while (f[i] < 0) f[i] += carry[i], f[i + 1]--;
	const dtfmt_tm *m = neg ? &t1 : &t2;
	while (f[4] < 0) {
		f[4] += date_days_in_month((int)m->year, m->mon);
		f[5]--;
	}
	while (f[5] < 0) f[5] += 12, year--;
	if (neg) {
		for (int i = 0; i < 6; i++) f[i] = -f[i];
		year = -year;
	}
	res->months = (int32_t)(year * 12 + f[5]);
	res->days = (int32_t)f[4];
	res->micros = ((f[3] * 60 + f[2]) * 60 + f[1]) * USECS_PER_SEC + f[0];
}

/* PostgreSQL's timestamp_bin: the start of the stride-wide bin, counted
 * from origin, that holds x (rounded towards minus infinity). */
static ferr *date_bin_of(finterval stride, int64_t x, int64_t origin, int64_t *res)
{
	if (x == TS_NOBEGIN || x == TS_NOEND) {
		*res = x;
		return NULL;
	}
	if (origin == TS_NOBEGIN || origin == TS_NOEND)
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "origin out of range");
	if (stride.months)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "timestamps cannot be binned into intervals containing months or years");
	int64_t su, diff;
	if (__builtin_mul_overflow((int64_t)stride.days, USECS_PER_DAY, &su) ||
	    __builtin_add_overflow(su, stride.micros, &su))
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
	if (su <= 0) return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "stride must be greater than zero");
	if (__builtin_sub_overflow(x, origin, &diff))
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
	int64_t mod = diff % su;
	int64_t r = origin + (diff - mod);
	if (mod < 0 && __builtin_sub_overflow(r, su, &r))
		return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range");
	*res = r;
	return NULL;
}

/*
 * PostgreSQL's overlaps_timestamp: each period's ends in order, a NULL end
 * makes the answer NULL only where it would decide it. Returns 1, 0 or -1
 * for NULL.
 */
static int overlaps_of(int64_t v[4], const bool null[4])
{
	bool n[4] = {null[0], null[1], null[2], null[3]};
	for (int p = 0; p < 4; p += 2) {
		if (n[p]) {
			if (n[p + 1]) return -1;
			v[p] = v[p + 1];
			n[p + 1] = true;
		} else if (!n[p + 1] && v[p] > v[p + 1]) {
			int64_t t = v[p];
			v[p] = v[p + 1];
			v[p + 1] = t;
		}
	}
	if (v[0] != v[2]) {
		/* the later start must fall before the end of the other period */
		int late = v[0] > v[2] ? 0 : 2, early = 2 - late;
		if (n[early + 1]) return -1;
		if (v[late] < v[early + 1]) return 1;
		return n[late + 1] ? -1 : 0;
	}
	return n[1] || n[3] ? -1 : 1;
}

/* timezone(zone, x): a timestamp read in zone gives the instant; an instant
 * gives the wall clock in zone. */
static int64_t zone_apply(const at_zone *z, type_id dom, int64_t v)
{
	if (v == TS_NOBEGIN || v == TS_NOEND) return v;
	if (dom == TYPE_TIMESTAMP)
		return v - (int64_t)(z->fixed ? z->off : tz_offset_for_local(&z->fs, v)) * USECS_PER_SEC;
	return v + (int64_t)(z->fixed ? z->off : tz_offset_at_utc(&z->fs, v)) * USECS_PER_SEC;
}

static int64_t now_utc(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return ((int64_t)now.tv_sec - INT64_C(946684800)) * USECS_PER_SEC;
}

/* timetz AT TIME ZONE: the same instant in the zone east seconds east of UTC
 * (a named zone's offset now, as PostgreSQL's timetz_zone takes it). */
static ftimetz timetz_at(long east, ftimetz v)
{
	ftimetz o = {.time = (v.time + ((int64_t)v.zone + east) * USECS_PER_SEC) % USECS_PER_DAY, .zone = (int32_t)-east};
	if (o.time < 0) o.time += USECS_PER_DAY;
	return o;
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
	for (int k = 0; k < e->nargs && op != FDT_OVERLAPS; k++) {
		if (!args[k]->validity) continue;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (ISNULL(args[k], r)) vec_set_null(out, a, r, b->capacity);
		}
	}
	strbuf sb = STRBUF_INIT;
	ferr *err = NULL;
	const fmt_settings *fs = ctx ? ctx->fmt : NULL;
	at_zone zone;
	bool have_zone = false;
	size_t zone_len = 0;
	char zone_text[sizeof zone.name];
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
		case FDT_CLOCK_TIMESTAMP:
			((int64_t *)out->data)[r] = clock_micros();
			break;
		case FDT_TIMEOFDAY:
			timeofday_text(fs, &sb);
			set_text(out, r, a, &sb);
			break;
		case FDT_TIMEZONE: {
			fstring zn = AT(args[0], fstring, r);
			/* the zone is nearly always one constant: resolve it once */
			if (!have_zone || zn.len != zone_len || memcmp(zn.ptr, zone_text, zn.len) != 0) {
				if ((err = zone_resolve(zn.ptr, zn.len, &zone))) break;
				have_zone = true;
				zone_len = zn.len;
				memcpy(zone_text, zn.ptr, zn.len);
			}
			if (dom == TYPE_TIMETZ)
				((ftimetz *)out->data)[r] = timetz_at(zone.fixed ? zone.off : tz_offset_at_utc(&zone.fs, now_utc()),
				                                      AT(args[1], ftimetz, r));
			else
				((int64_t *)out->data)[r] = zone_apply(&zone, dom, AT(args[1], int64_t, r));
			break;
		}
		case FDT_TIMEZONE_IV: {
			finterval iv = AT(args[0], finterval, r);
			if (iv.months || iv.days) {
				value_out_text(args[0]->type, &iv, fs, &sb);
				err = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
				               "interval time zone \"%s\" must not include months or days", sb.data);
				break;
			}
			at_zone fz = {.fixed = true, .off = (long)(iv.micros / USECS_PER_SEC)};
			if (dom == TYPE_TIMETZ)
				((ftimetz *)out->data)[r] = timetz_at(fz.off, AT(args[1], ftimetz, r));
			else
				((int64_t *)out->data)[r] = zone_apply(&fz, dom, AT(args[1], int64_t, r));
			break;
		}
		case FDT_TIMETZ_ADD_IV: case FDT_TIMETZ_SUB_IV: {
			bool commuted = dom == TYPE_INTERVAL;
			ftimetz v = AT(args[commuted ? 1 : 0], ftimetz, r);
			int64_t m = AT(args[commuted ? 0 : 1], finterval, r).micros % USECS_PER_DAY;
			v.time = (v.time + (op == FDT_TIMETZ_SUB_IV ? -m : m)) % USECS_PER_DAY;
			if (v.time < 0) v.time += USECS_PER_DAY;
			((ftimetz *)out->data)[r] = v;
			break;
		}
		case FDT_OVERLAPS: {
			int64_t v[4];
			bool nl[4];
			for (int k = 0; k < 4; k++) {
				nl[k] = ISNULL(args[k], r);
				v[k] = nl[k] ? 0 : AT(args[k], int64_t, r);
			}
			int o = overlaps_of(v, nl);
			if (o < 0) vec_set_null(out, a, r, b->capacity);
			else ((bool *)out->data)[r] = o == 1;
			break;
		}
		case FDT_MAKE_INTERVAL: {
			int32_t f[6];
			for (int k = 0; k < 6; k++) f[k] = AT(args[k], int32_t, r);
			err = make_interval_of(f, AT(args[6], double, r), &((finterval *)out->data)[r]);
			break;
		}
		case FDT_AGE:
			age_of(AT(args[0], int64_t, r), AT(args[1], int64_t, r), dom == TYPE_TIMESTAMPTZ ? fs : NULL,
			       &((finterval *)out->data)[r]);
			break;
		case FDT_DATE_BIN:
			err = date_bin_of(AT(args[0], finterval, r), AT(args[1], int64_t, r), AT(args[2], int64_t, r),
			                  &((int64_t *)out->data)[r]);
			break;
		default:
			err = ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown date/time function %d", op);
		}
		if (err) goto done;
	}
done:
	sb_free(&sb);
	return err;
}

/* The Julian day of local timestamp ts as extract gives it: the day number
 * plus the time of day over the day's microseconds at numeric division's
 * scale (select_div_scale), so 12:00 is .50000000000000000000. */
static ferr *julian_of(type_id dom, int64_t ts, __int128 *mant, int *scale, double *dbl)
{
	int32_t days;
	int64_t tod;
	ts_split(ts, &days, &tod);
	int64_t jd = (int64_t)days + 2451545; /* date2j(2000, 1, 1) */
	*dbl = (double)jd + (double)tod / 1e6 / 86400.0;
	if (dom == TYPE_DATE) {
		*mant = jd;
		*scale = 0;
		return NULL;
	}
	__int128 frac, p10 = 1;
	TRY(num_div_ds(tod, 0, USECS_PER_DAY, 0, &frac, scale));
	for (int i = 0; i < *scale; i++) p10 *= 10;
	*mant = (__int128)jd * p10 + frac;
	return NULL;
}

static ferr *field_unsupported(const char *name, type_id dom)
{
	return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type %s", name,
	                type_err_name(ftype_make(dom)));
}

/* Interval fields (interval_part_common): the months split into years and
 * months, the time into hours, minutes and seconds, all truncated toward zero. */
static ferr *interval_field(const char *n, const finterval *iv, __int128 *v)
{
	int64_t tm = iv->micros;
	int32_t years = iv->months / 12, months = iv->months % 12;
	int64_t f;
	if (!strcmp(n, "epoch")) {
		*v = (__int128)tm + ((__int128)years * 31557600 + (__int128)months * 2592000 +
		                     (__int128)iv->days * 86400) * 1000000;
		return NULL;
	}
	if (!strcmp(n, "second") || !strcmp(n, "milliseconds") || !strcmp(n, "microseconds")) {
		int mul = !strcmp(n, "second") ? 1 : !strcmp(n, "milliseconds") ? 1000 : 1000000;
		*v = (__int128)(tm % 60000000LL) * mul;
		return NULL;
	}
	if (!strcmp(n, "minute")) f = tm / 60000000LL % 60;
	else if (!strcmp(n, "hour")) f = tm / 3600000000LL;
	else if (!strcmp(n, "day")) f = iv->days;
	else if (!strcmp(n, "month")) f = months;
	else if (!strcmp(n, "quarter")) f = months / 3 + 1;
	else if (!strcmp(n, "year")) f = years;
	else if (!strcmp(n, "decade")) f = years / 10;
	else if (!strcmp(n, "century")) f = years / 100;
	else if (!strcmp(n, "millennium")) f = years / 1000;
	else return field_unsupported(n, TYPE_INTERVAL);
	*v = (__int128)f * 1000000;
	return NULL;
}

ferr *func_datetime_field(const char *n, type_id dom, int64_t ts, const finterval *iv, long tz_east,
                          __int128 *mant, int *scale, double *dbl)
{
	__int128 v = 0; /* at scale 6 unless julian says otherwise */
	*scale = 6;
	bool tz_field = !strncmp(n, "timezone", 8);
	if (dom == TYPE_INTERVAL) {
		TRY(interval_field(n, iv, &v));
		goto done;
	}
	if (tz_field && dom != TYPE_TIMESTAMPTZ && dom != TYPE_TIMETZ) return field_unsupported(n, dom);
	if (tz_field) {
		long f = !strcmp(n, "timezone") ? tz_east : !strcmp(n, "timezone_hour") ? tz_east / 3600 : tz_east / 60 % 60;
		v = (__int128)f * 1000000;
		goto done;
	}
	if (dom == TYPE_DATE && (!strcmp(n, "hour") || !strcmp(n, "minute") || !strcmp(n, "second") ||
	                         !strcmp(n, "milliseconds") || !strcmp(n, "microseconds")))
		return field_unsupported(n, dom);
	if (dom == TYPE_TIME || dom == TYPE_TIMETZ) {
		bool time_part = !strcmp(n, "epoch") || !strcmp(n, "hour") || !strcmp(n, "minute") ||
		                 !strcmp(n, "second") || !strcmp(n, "milliseconds") || !strcmp(n, "microseconds");
		if (!time_part) return field_unsupported(n, dom);
		/* no day to split off: 24:00:00 is hour 24 */
		int64_t sec = ts % 60000000LL;
		if (!strcmp(n, "epoch")) v = ts - (__int128)tz_east * 1000000; /* a timetz counts from UTC midnight */
		else if (!strcmp(n, "hour")) v = (__int128)(ts / 3600000000LL) * 1000000;
		else if (!strcmp(n, "minute")) v = (__int128)(ts / 60000000LL % 60) * 1000000;
		else if (!strcmp(n, "second")) v = sec;
		else if (!strcmp(n, "milliseconds")) v = (__int128)sec * 1000;
		else v = (__int128)sec * 1000000;
		goto done;
	}
	if (ts == TS_NOBEGIN || ts == TS_NOEND)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "infinite date/time values are not supported here");
	if (!strcmp(n, "epoch")) {
		/* DATE and TIMESTAMP count from their local midnight as if it were UTC */
		v = (__int128)ts + (__int128)946684800 * 1000000;
		goto done;
	}
	if (!strcmp(n, "julian")) return julian_of(dom, ts, mant, scale, dbl);
	int32_t days;
	int64_t tod;
	ts_split(ts, &days, &tod);
	int y, m, d;
	date_to_ymd(days, &y, &m, &d); /* y astronomical: 1 BC is 0 */
	int64_t sec = tod % 60000000LL;
	int dow = (int)(((days + 6) % 7 + 7) % 7); /* 2000-01-01 was a Saturday (6) */
	int isodow = dow == 0 ? 7 : dow;
	int32_t thu = days - isodow + 4; /* ISO week: its Thursday decides the year */
	int ty, tm_, td;
	date_to_ymd(thu, &ty, &tm_, &td);
	int64_t f;
	if (!strcmp(n, "second") || !strcmp(n, "microseconds")) {
		v = n[0] == 's' ? sec : (__int128)sec * 1000000;
		goto done;
	}
	if (!strcmp(n, "milliseconds")) {
		v = (__int128)sec * 1000;
		goto done;
	}
	if (!strcmp(n, "year")) f = y > 0 ? y : y - 1;
	else if (!strcmp(n, "month")) f = m;
	else if (!strcmp(n, "day")) f = d;
	else if (!strcmp(n, "hour")) f = tod / 3600000000LL;
	else if (!strcmp(n, "minute")) f = tod / 60000000LL % 60;
	else if (!strcmp(n, "dow")) f = dow;
	else if (!strcmp(n, "isodow")) f = isodow;
	else if (!strcmp(n, "doy")) f = days - date_from_ymd(y, 1, 1) + 1;
	else if (!strcmp(n, "week")) f = (thu - date_from_ymd(ty, 1, 1)) / 7 + 1;
	else if (!strcmp(n, "isoyear")) f = ty > 0 ? ty : ty - 1;
	else if (!strcmp(n, "quarter")) f = (m - 1) / 3 + 1;
	else if (!strcmp(n, "decade")) f = y >= 0 ? y / 10 : -((8 - (y - 1)) / 10);
	else if (!strcmp(n, "century")) f = y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
	else if (!strcmp(n, "millennium")) f = y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
	else return field_unsupported(n, dom);
	v = (__int128)f * 1000000;
done:
	*mant = v;
	*dbl = (double)v / 1e6;
	return NULL;
}
