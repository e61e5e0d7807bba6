/*
 * test_datetime_funcs.c — AT TIME ZONE (timezone()), date_bin, age and the
 * values behind now()/current_date (exec/functions_datetime.c): results a
 * real PostgreSQL 15 printed, and hostile zone names and strides that must
 * give PostgreSQL's SQLSTATEs, never a crash, an overread or a file opened
 * outside the zoneinfo tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/expr.h"
#include "exec/functions_datetime.h"
#include "exec/types_internal.h"

static arena *A;
static char res[512];

static expr *node(expr_kind k, ftype t, int nargs)
{
	expr *e = arena_zalloc(A, sizeof *e);
	e->kind = k;
	e->type = t;
	e->nargs = nargs;
	e->args = arena_zalloc(A, sizeof(expr *) * (size_t)(nargs ? nargs : 1));
	return e;
}

/* A constant of type t from its text (NULL: SQL NULL). */
static expr *lit(type_id t, const char *text)
{
	expr *e = node(EXPR_CONST, ftype_make(t), 0);
	if (!text) {
		e->value.isnull = true;
		return e;
	}
	union {
		uint8_t b[32];
		__int128 al;
	} v;
	ferr *err = value_in_text(e->type, text, strlen(text), A, v.b);
	if (err) fail_msg("%s: %s", text, err->message);
	if (t == TYPE_INTERVAL)
		e->value.u.iv = *(finterval *)v.b;
	else if (t == TYPE_FLOAT8)
		e->value.u.f = *(double *)v.b;
	else if (t == TYPE_INT4)
		e->value.u.i = *(int32_t *)v.b;
	else if (t == TYPE_TEXT)
		e->value.u.s = *(fstring *)v.b;
	else
		e->value.u.i = *(int64_t *)v.b;
	return e;
}

/* A text constant of exactly len bytes (may hold NUL). */
static expr *bytes(const char *p, size_t len)
{
	expr *e = node(EXPR_CONST, ftype_make(TYPE_TEXT), 0);
	char *c = arena_alloc(A, len ? len : 1);
	memcpy(c, p, len);
	e->value.u.s.ptr = c;
	e->value.u.s.len = (uint32_t)len;
	return e;
}

/* Resolve name(args) as the planner does, evaluate it in session zone tz and
 * print the value, "NULL" or the SQLSTATE of the error. */
static const char *call(const char *tz, const char *name, int nargs, expr **args)
{
	ftype types[8];
	const fvalue *consts[8];
	for (int i = 0; i < nargs; i++) {
		types[i] = args[i]->type;
		consts[i] = &args[i]->value;
	}
	func_match m;
	ferr *err = func_lookup_ex(name, nargs, types, consts, &m);
	if (err) fail_msg("lookup %s: %s", name, err->message);
	expr *e = node(EXPR_FUNC, m.result, nargs);
	for (int i = 0; i < nargs; i++) {
		e->args[i] = args[i];
		if (!ftype_equal(args[i]->type, m.arg_types[i])) {
			e->args[i] = node(EXPR_CAST, m.arg_types[i], 1);
			e->args[i]->args[0] = args[i];
		}
	}
	e->func = m.func;
	e->name = name;
	fmt_settings fs;
	fmt_settings_default(&fs);
	fs.timezone = tz;
	fs.datestyle = DATESTYLE_ISO;
	expr_ctx ctx = {.fmt = &fs};
	fvalue v;
	err = expr_eval_const(e, &ctx, A, &v);
	if (err) {
		snprintf(res, sizeof res, "%s", err->sqlstate);
		ferr_free(err);
		return res;
	}
	if (v.isnull) return "NULL";
	strbuf sb = STRBUF_INIT;
	value_out_text(e->type, &v.u, &fs, &sb);
	snprintf(res, sizeof res, "%s", sb.data ? sb.data : "");
	sb_free(&sb);
	return res;
}

static const char *at_zone(const char *zone, type_id t, const char *ts)
{
	expr *args[2] = {zone ? lit(TYPE_TEXT, zone) : lit(TYPE_TEXT, NULL), lit(t, ts)};
	return call("UTC", "timezone", 2, args);
}

static void test_at_time_zone(void **state)
{
	(void)state;
	const type_id TZ = TYPE_TIMESTAMPTZ, TS = TYPE_TIMESTAMP;
	assert_string_equal(at_zone("America/Los_Angeles", TZ, "2020-07-01 12:00+00"),
	                    "2020-07-01 05:00:00");
	assert_string_equal(at_zone("america/los_angeles", TZ, "2020-01-01 12:00+00"),
	                    "2020-01-01 04:00:00");
	assert_string_equal(at_zone("EST", TZ, "2020-07-01 12:00+00"), "2020-07-01 07:00:00");
	assert_string_equal(at_zone("PdT", TZ, "2020-07-01 12:00+00"), "2020-07-01 05:00:00");
	/* POSIX offsets are hours west */
	assert_string_equal(at_zone("+05:30", TZ, "2020-07-01 12:00+00"), "2020-07-01 06:30:00");
	assert_string_equal(at_zone("-8", TZ, "2020-07-01 12:00+00"), "2020-07-01 20:00:00");
	assert_string_equal(at_zone("EST5EDT", TZ, "2020-07-01 12:00+00"), "2020-07-01 08:00:00");
	/* a local time in the spring-forward gap, one in the fall-back overlap */
	assert_string_equal(at_zone("America/New_York", TS, "2020-03-08 02:30"),
	                    "2020-03-08 07:30:00+00");
	assert_string_equal(at_zone("Europe/Paris", TS, "2021-10-31 02:30"),
	                    "2021-10-31 01:30:00+00");
	assert_string_equal(at_zone("UTC", TS, "infinity"), "infinity");
	assert_string_equal(at_zone(NULL, TS, "2020-01-01"), "NULL");
	/* unknown and hostile names: 22023, nothing opened outside zoneinfo */
	const char *bad[] = {"Mars/Olympus",
	                     "",
	                     "+",
	                     "-",
	                     "+168",
	                     "1:60",
	                     "1:2:3:4",
	                     "../../etc/passwd",
	                     "/etc/passwd",
	                     "Europe/../../etc/passwd",
	                     "America/",
	                     " UTC",
	                     "UTC ",
	                     "5.5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_string_equal(at_zone(bad[i], TZ, "2020-07-01 12:00+00"), "22023");
	char longname[400];
	memset(longname, 'A', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	assert_string_equal(at_zone(longname, TZ, "2020-07-01 12:00+00"), "22023");
	expr *nul[2] = {bytes("UTC\0x", 5), lit(TZ, "2020-07-01 12:00+00")};
	assert_string_equal(call("UTC", "timezone", 2, nul), "22023");
	/* interval zones are hours east and may not hold months or days */
	expr *iv[2] = {lit(TYPE_INTERVAL, "-08:00"), lit(TS, "2020-07-01 12:00")};
	assert_string_equal(call("UTC", "timezone", 2, iv), "2020-07-01 20:00:00+00");
	expr *ivd[2] = {lit(TYPE_INTERVAL, "1 day"), lit(TS, "2020-07-01 12:00")};
	assert_string_equal(call("UTC", "timezone", 2, ivd), "22023");
}

static const char *bin(const char *stride, type_id t, const char *x, const char *origin)
{
	expr *args[3] = {lit(TYPE_INTERVAL, stride), lit(t, x), lit(t, origin)};
	return call("UTC", "date_bin", 3, args);
}

static void test_date_bin(void **state)
{
	(void)state;
	const type_id TS = TYPE_TIMESTAMP;
	assert_string_equal(bin("15 minutes", TS, "2020-02-11 15:44:17", "2001-01-01"),
	                    "2020-02-11 15:30:00");
	assert_string_equal(bin("5 min", TS, "2020-01-01 00:05", "2020-01-01 00:10"),
	                    "2020-01-01 00:05:00");
	assert_string_equal(bin("5 min", TS, "2020-01-01 00:06", "2020-01-01 00:10"),
	                    "2020-01-01 00:05:00");
	assert_string_equal(bin("1 hour", TS, "infinity", "2020-01-01"), "infinity");
	assert_string_equal(bin("1 mon", TS, "2020-01-01", "2020-01-01"), "0A000");
	assert_string_equal(bin("0", TS, "2020-01-01", "2020-01-01"), "22008");
	assert_string_equal(bin("-1 hour", TS, "2020-01-01", "2020-01-01"), "22008");
	assert_string_equal(bin("1 hour", TS, "2020-01-01", "-infinity"), "22008");
	/* strides and distances past 64 bits of microseconds are errors, not wraps */
	assert_string_equal(bin("2147483647 days", TS, "2020-01-01", "2000-01-01"), "22008");
	assert_string_equal(bin("1 microsecond", TS, "294276-12-31", "4713-01-01 BC"), "22008");
	assert_string_equal(bin("100000 days", TS, "4713-01-01 BC", "294276-12-31"), "22008");
}

static const char *age(const char *tz, type_id t, const char *a, const char *b)
{
	expr *args[2] = {lit(t, a), lit(t, b)};
	return call(tz, "age", 2, args);
}

static void test_age(void **state)
{
	(void)state;
	const type_id TS = TYPE_TIMESTAMP;
	assert_string_equal(age("UTC", TS, "2001-04-10", "1957-06-13"), "43 years 9 mons 27 days");
	assert_string_equal(age("UTC", TS, "1957-06-13", "2001-04-10"),
	                    "-43 years -9 mons -27 days");
	assert_string_equal(age("UTC", TS, "2020-03-01", "2020-01-31 12:30:15.5"),
	                    "1 mon 11:29:44.5");
	assert_string_equal(age("UTC", TS, "2020-01-31 12:30:15.5", "2020-03-01"),
	                    "-1 mons -11:29:44.5");
	/* timestamptz: local fields, so a DST day is one day */
	assert_string_equal(
	    age("America/New_York", TYPE_TIMESTAMPTZ, "2020-11-01 12:00-05", "2020-10-31 12:00-04"),
	    "1 day");
}

static void test_now_values(void **state)
{
	(void)state;
	fmt_settings fs;
	fmt_settings_default(&fs);
	fs.timezone = "America/New_York";
	/* 2020-07-01 03:30:00.123456 UTC is still June 30 in New York (EDT) */
	int64_t utc =
	    (int64_t)7487 * USECS_PER_DAY + (int64_t)(3 * 3600 + 30 * 60) * USECS_PER_SEC + 123456;
	assert_int_equal(func_datetime_value(FDT_VALUE_DATE, utc, -1, &fs), 7486);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, utc, -1, &fs), utc);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, utc, 0, &fs), utc - 123456);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, utc, 3, &fs), utc - 456);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, utc, 1, &fs), utc - 23456);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, utc, 9, &fs), utc);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMP, utc, -1, &fs),
	                 utc - 4 * 3600 * USECS_PER_SEC);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIME, utc, 0, &fs),
	                 (int64_t)(23 * 3600 + 30 * 60) * USECS_PER_SEC);
	/* in winter the same zone is five hours behind */
	fs.timezone = "America/New_York";
	int64_t jan = (int64_t)7305 * USECS_PER_DAY; /* 2020-01-01 00:00 UTC */
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMP, jan, -1, &fs),
	                 jan - 5 * 3600 * USECS_PER_SEC);
	/* half away from zero before 2000 too */
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, -1500000, 0, NULL), -2000000);
	assert_int_equal(func_datetime_value(FDT_VALUE_TIMESTAMPTZ, -1400000, 0, NULL), -1000000);
}

/* make_interval's sums that PostgreSQL 15 would wrap are 22008 here */
static void test_make_interval(void **state)
{
	(void)state;
	expr *ok[7] = {lit(TYPE_INT4, "1"),    lit(TYPE_INT4, "2"), lit(TYPE_INT4, "3"),
	               lit(TYPE_INT4, "4"),    lit(TYPE_INT4, "5"), lit(TYPE_INT4, "6"),
	               lit(TYPE_FLOAT8, "7.5")};
	assert_string_equal(call("UTC", "make_interval", 7, ok),
	                    "1 year 2 mons 25 days 05:06:07.5");
	const char *cases[][7] = {
	    {"178956971", "0", "0", "0", "0", "0", "0"},
	    {"0", "0", "306783379", "0", "0", "0", "0"},
	    {"0", "0", "0", "0", "2147483647", "2147483647", "2e12"},
	    {"0", "0", "0", "0", "0", "0", "nan"},
	    {"0", "0", "0", "0", "0", "0", "-infinity"},
	    {"0", "0", "0", "0", "0", "0", "1e300"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		expr *a[7];
		for (int k = 0; k < 7; k++)
			a[k] = lit(k == 6 ? TYPE_FLOAT8 : TYPE_INT4, cases[i][k]);
		assert_string_equal(call("UTC", "make_interval", 7, a), "22008");
	}
}

int main(void)
{
	A = arena_create(NULL, "test_datetime_funcs");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_at_time_zone),  cmocka_unit_test(test_date_bin),
	    cmocka_unit_test(test_age),           cmocka_unit_test(test_now_values),
	    cmocka_unit_test(test_make_interval),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_destroy(A);
	return rc;
}
