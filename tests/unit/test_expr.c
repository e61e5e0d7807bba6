/*
 * test_expr.c — the evaluator and function library: arithmetic results and
 * their errors (overflow, division by zero), numeric scales, three-valued
 * logic, CASE laziness, LIKE, IN, BETWEEN, COALESCE, NULLIF, casts,
 * string/date functions and the aggregate state functions. Expected strings
 * come from PostgreSQL 15.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/agg_funcs.h"
#include "exec/expr.h"

static arena *A;
static batch *B; /* columns: a int4 [1, 2, NULL, 2147483647, 0], s text, n numeric(10,2), d date */
static char res[512];
static const char *TZ = "UTC"; /* session time zone for run() */

static expr *node(expr_kind k, ftype t, int nargs, ...)
{
	expr *e = arena_zalloc(A, sizeof *e);
	e->kind = k;
	e->type = t;
	e->nargs = nargs;
	e->args = arena_zalloc(A, sizeof(expr *) * (size_t)(nargs ? nargs : 1));
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++) e->args[i] = va_arg(ap, expr *);
	va_end(ap);
	return e;
}

static expr *col(int i) { expr *e = node(EXPR_COLUMN, B->cols[i].type, 0); e->column = i; return e; }

static expr *lit(ftype t, const char *text)
{
	expr *e = node(EXPR_CONST, t, 0);
	if (!text) {
		e->value.isnull = true;
		return e;
	}
	union { uint8_t b[32]; __int128 al; } v;
	ferr *err = value_in_text(t, text, strlen(text), A, v.b);
	assert_null(err);
	switch (t.id) {
	case TYPE_INT4: case TYPE_DATE: e->value.u.i = *(int32_t *)v.b; break;
	case TYPE_INT8: e->value.u.i = *(int64_t *)v.b; break;
	case TYPE_BOOL: e->value.u.b = v.b[0]; break;
	case TYPE_FLOAT8: e->value.u.f = *(double *)v.b; break;
	case TYPE_NUMERIC:
		if (numeric_is_wide(t)) memcpy(&e->value.u.n, v.b, 16);
		else e->value.u.i = *(int64_t *)v.b;
		break;
	case TYPE_INTERVAL: e->value.u.iv = *(finterval *)v.b; break;
	default: e->value.u.s = *(fstring *)v.b; break;
	}
	return e;
}

static expr *i4(const char *s) { return lit(ftype_make(TYPE_INT4), s); }
static expr *tx(const char *s) { return lit(ftype_make(TYPE_TEXT), s); }
static expr *num(int p, int s, const char *v) { return lit(ftype_numeric(p, s), v); }

static expr *cast_to(expr *x, ftype t)
{
	if (ftype_equal(x->type, t)) return x;
	return node(EXPR_CAST, t, 1, x);
}

/* What the planner does: resolve, then cast arguments to what was asked. */
static expr *fn(const char *name, int nargs, ...)
{
	expr *args[8];
	ftype types[8];
	const fvalue *consts[8];
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++) {
		args[i] = va_arg(ap, expr *);
		types[i] = args[i]->type;
		consts[i] = args[i]->kind == EXPR_CONST ? &args[i]->value : NULL;
	}
	va_end(ap);
	func_match m;
	ferr *err = func_lookup_ex(name, nargs, types, consts, &m);
	if (err) fail_msg("lookup %s: %s", name, err->message);
	expr *e = node(EXPR_FUNC, m.result, 0);
	e->nargs = nargs;
	e->args = arena_zalloc(A, sizeof(expr *) * (size_t)nargs);
	for (int i = 0; i < nargs; i++) e->args[i] = cast_to(args[i], m.arg_types[i]);
	e->func = m.func;
	e->name = name;
	return e;
}

/* Evaluate e over B and render live rows as "v1,v2,NULL,..." or "ERR state msg". */
static const char *run(const expr *e)
{
	expr_ctx ctx = {0};
	fmt_settings fs;
	fmt_settings_default(&fs);
	fs.timezone = TZ;
	ctx.fmt = &fs;
	vector out;
	ferr *err = expr_eval(e, &ctx, B, A, &out);
	if (err) {
		snprintf(res, sizeof res, "ERR %s %s", err->sqlstate, err->message);
		ferr_free(err);
		return res;
	}
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < B->count; i++) {
		int r = batch_row(B, i);
		if (i) sb_putc(&sb, ',');
		if (vector_is_null(&out, r)) sb_puts(&sb, "NULL");
		else value_out_text(out.type, vector_at(&out, r), &fs, &sb);
	}
	snprintf(res, sizeof res, "%s", sb.data ? sb.data : "");
	sb_free(&sb);
	return res;
}

static void setup_batch(void)
{
	ftype types[4] = {ftype_make(TYPE_INT4), ftype_make(TYPE_TEXT), ftype_numeric(10, 2), ftype_make(TYPE_DATE)};
	B = batch_create(A, 4, types, 8);
	B->count = 5;
	static const int32_t a[] = {1, 2, 0, 2147483647, 0};
	static const char *s[] = {"abc", "a%c", NULL, "ABC", "héllo"};
	static const int64_t n[] = {150, -1005, 0, 99999999, 1};
	for (int r = 0; r < 5; r++) {
		((int32_t *)B->cols[0].data)[r] = a[r];
		if (s[r]) vector_set_string(&B->cols[1], A, r, s[r], (uint32_t)strlen(s[r]));
		else vector_set_null(&B->cols[1], A, r, 8);
		((int64_t *)B->cols[2].data)[r] = n[r];
		((int32_t *)B->cols[3].data)[r] = date_from_ymd(2024, 1, 31) + r;
	}
	vector_set_null(&B->cols[0], A, 2, 8);
}

static void test_arithmetic(void **state)
{
	assert_string_equal(run(fn("+", 2, col(0), i4("1"))), "ERR 22003 integer out of range");
	assert_string_equal(run(fn("*", 2, col(0), i4("2"))), "ERR 22003 integer out of range");
	assert_string_equal(run(fn("-", 2, col(0), i4("1"))), "0,1,NULL,2147483646,-1");
	assert_string_equal(run(fn("/", 2, i4("10"), col(0))), "ERR 22012 division by zero");
	assert_string_equal(run(fn("%", 2, i4("-7"), i4("3"))), "-1,-1,-1,-1,-1");
	/* bigint: int4 + int8 promotes */
	assert_string_equal(run(fn("+", 2, col(0), lit(ftype_make(TYPE_INT8), "1"))), "2,3,NULL,2147483648,1");
	assert_string_equal(run(fn("/", 2, lit(ftype_make(TYPE_INT8), "-9223372036854775808"), i4("-1"))),
	                    "ERR 22003 bigint out of range");
	/* int vs float -> float8 */
	assert_string_equal(run(fn("/", 2, col(0), lit(ftype_make(TYPE_FLOAT8), "4"))), "0.25,0.5,NULL,536870911.75,0");
	assert_string_equal(run(fn("/", 2, lit(ftype_make(TYPE_FLOAT8), "4"), col(0))), "ERR 22012 division by zero");
	assert_string_equal(run(fn("/", 2, i4("1"), lit(ftype_make(TYPE_FLOAT8), "3"))),
	                    "0.3333333333333333,0.3333333333333333,0.3333333333333333,0.3333333333333333,0.3333333333333333");
	assert_string_equal(run(fn("-", 1, col(0))), "-1,-2,NULL,-2147483647,0");
}

static void test_numeric_scales(void **state)
{
	expr *e = fn("*", 2, num(3, 2, "1.10"), num(4, 3, "2.005"));
	assert_int_equal(e->type.scale, 5);
	assert_string_equal(run(e), "2.20550,2.20550,2.20550,2.20550,2.20550");
	assert_string_equal(run(fn("+", 2, num(2, 1, "1.1"), num(4, 3, "2.005"))), "3.105,3.105,3.105,3.105,3.105");
	assert_string_equal(run(fn("%", 2, num(2, 1, "7.5"), i4("2"))), "1.5,1.5,1.5,1.5,1.5");
	assert_string_equal(run(fn("/", 2, num(3, 1, "10.0"), i4("3"))),
	                    "3.3333333333333333,3.3333333333333333,3.3333333333333333,3.3333333333333333,3.3333333333333333");
	assert_string_equal(run(fn("/", 2, num(3, 1, "10.0"), num(2, 1, "0.0"))), "ERR 22012 division by zero");
	/* constant operands give PostgreSQL's value-dependent division scale */
	assert_string_equal(run(fn("/", 2, num(2, 1, "1.0"), i4("3"))),
	                    "0.33333333333333333333,0.33333333333333333333,0.33333333333333333333,0.33333333333333333333,0.33333333333333333333");
	assert_string_equal(run(fn("/", 2, num(4, 1, "100.0"), i4("7"))),
	                    "14.2857142857142857,14.2857142857142857,14.2857142857142857,14.2857142857142857,14.2857142857142857");
	assert_string_equal(run(fn("/", 2, num(10, 4, "0.6071"), num(20, 6, "-3238442.557063"))),
	                    "-0.000000187466656981740498,-0.000000187466656981740498,-0.000000187466656981740498,-0.000000187466656981740498,-0.000000187466656981740498");
	/* column numeric(10,2) + int */
	assert_string_equal(run(fn("+", 2, col(2), i4("1"))), "2.50,-9.05,1.00,1000000.99,1.01");
	/* round(x, 2) with the constant fixing the scale */
	assert_string_equal(run(fn("round", 2, num(4, 3, "2.345"), i4("2"))), "2.35,2.35,2.35,2.35,2.35");
	assert_string_equal(run(fn("round", 1, num(2, 1, "-2.5"))), "-3,-3,-3,-3,-3");
	assert_string_equal(run(fn("floor", 1, num(2, 1, "-1.5"))), "-2,-2,-2,-2,-2");
	assert_string_equal(run(fn("ceil", 1, num(2, 1, "-1.5"))), "-1,-1,-1,-1,-1");
	/* numeric compared with int: implicit cast to numeric */
	assert_string_equal(run(fn(">", 2, col(2), i4("1"))), "t,f,f,t,f");
}

static void test_three_valued_logic(void **state)
{
	ftype bt = ftype_make(TYPE_BOOL);
	expr *gt1 = fn(">", 2, col(0), i4("1")); /* f,t,NULL,t,f */
	expr *nul = lit(bt, NULL);
	assert_string_equal(run(gt1), "f,t,NULL,t,f");
	assert_string_equal(run(node(EXPR_AND, bt, 2, gt1, nul)), "f,NULL,NULL,NULL,f");
	assert_string_equal(run(node(EXPR_OR, bt, 2, gt1, nul)), "NULL,t,NULL,t,NULL");
	assert_string_equal(run(node(EXPR_NOT, bt, 1, gt1)), "t,f,NULL,f,t");
	expr *isn = node(EXPR_IS_NULL, bt, 1, col(0));
	assert_string_equal(run(isn), "f,f,t,f,f");
	isn->negate = true;
	assert_string_equal(run(isn), "t,t,f,t,t");
	/* AND short-circuits: rows already false never evaluate 1/a */
	expr *nz = fn("<>", 2, col(0), i4("0"));
	expr *div = fn(">", 2, fn("/", 2, i4("10"), col(0)), i4("1"));
	assert_string_equal(run(node(EXPR_AND, bt, 2, nz, div)), "t,t,NULL,f,f");
}

static void test_case_and_friends(void **state)
{
	ftype it = ftype_make(TYPE_INT4), bt = ftype_make(TYPE_BOOL);
	/* CASE WHEN a = 0 THEN -1 ELSE 10 / a END: the division never sees 0 */
	expr *c = node(EXPR_CASE, it, 3, fn("=", 2, col(0), i4("0")), i4("-1"), fn("/", 2, i4("10"), col(0)));
	c->has_else = true;
	assert_string_equal(run(c), "10,5,NULL,0,-1");
	expr *c2 = node(EXPR_CASE, it, 2, fn(">", 2, col(0), i4("1")), i4("7"));
	assert_string_equal(run(c2), "NULL,7,NULL,7,NULL");
	assert_string_equal(run(node(EXPR_COALESCE, it, 2, col(0), i4("42"))), "1,2,42,2147483647,0");
	/* COALESCE is lazy too: 1/0 is not evaluated where a is not null */
	expr *co = node(EXPR_COALESCE, it, 2, fn("+", 2, col(0), i4("0")), fn("/", 2, i4("1"), i4("0")));
	assert_string_equal(run(co), "ERR 22012 division by zero");
	assert_string_equal(run(node(EXPR_NULLIF, it, 2, col(0), i4("2"))), "1,NULL,NULL,2147483647,0");
	expr *bw = node(EXPR_BETWEEN, bt, 3, col(0), i4("1"), i4("2"));
	assert_string_equal(run(bw), "t,t,NULL,f,f");
	bw->negate = true;
	assert_string_equal(run(bw), "f,f,NULL,t,t");
	expr *in = node(EXPR_IN, bt, 3, col(0), i4("2"), i4(NULL));
	assert_string_equal(run(in), "NULL,t,NULL,NULL,NULL");
	expr *in2 = node(EXPR_IN, bt, 3, col(0), i4("2"), i4("0"));
	in2->negate = true;
	assert_string_equal(run(in2), "t,f,NULL,t,f");
	/* long constant list: hash set */
	expr *in3 = node(EXPR_IN, bt, 11, col(0), i4("10"), i4("11"), i4("12"), i4("13"), i4("14"), i4("15"),
	                 i4("16"), i4("17"), i4("0"), lit(ftype_make(TYPE_INT8), "2147483647"));
	assert_string_equal(run(in3), "f,f,NULL,t,t");
}

static void test_like(void **state)
{
	ftype bt = ftype_make(TYPE_BOOL);
	expr *l = node(EXPR_LIKE, bt, 2, col(1), tx("a%"));
	assert_string_equal(run(l), "t,t,NULL,f,f");
	l = node(EXPR_LIKE, bt, 2, col(1), tx("_b_"));
	assert_string_equal(run(l), "t,f,NULL,f,f");
	l = node(EXPR_LIKE, bt, 2, col(1), tx("a\\%c"));
	assert_string_equal(run(l), "f,t,NULL,f,f");
	l = node(EXPR_LIKE, bt, 2, col(1), tx("a%"));
	l->case_insensitive = true;
	assert_string_equal(run(l), "t,t,NULL,t,f");
	l = node(EXPR_LIKE, bt, 2, col(1), tx("h_llo"));
	assert_string_equal(run(l), "f,f,NULL,f,t"); /* _ matches one UTF-8 character */
	l = node(EXPR_LIKE, bt, 2, col(1), tx("%%c"));
	l->negate = true;
	assert_string_equal(run(l), "f,f,NULL,t,t");
	l = node(EXPR_LIKE, bt, 3, col(1), tx("a#%c"), tx("#"));
	assert_string_equal(run(l), "f,t,NULL,f,f");
	l = node(EXPR_LIKE, bt, 3, col(1), tx("a"), tx("##"));
	assert_string_equal(run(l), "ERR 22025 invalid escape string");
	/* 'a' LIKE 'a\' is false in PostgreSQL: the escape is never reached */
	l = node(EXPR_LIKE, bt, 2, tx("a"), tx("a\\"));
	assert_string_equal(run(l), "f,f,f,f,f");
	l = node(EXPR_LIKE, bt, 2, tx("ab"), tx("a\\"));
	assert_string_equal(run(l), "ERR 22025 LIKE pattern must not end with escape character");
}

static void test_casts_and_functions(void **state)
{
	ftype it = ftype_make(TYPE_INT4);
	assert_string_equal(run(cast_to(tx("12"), it)), "12,12,12,12,12");
	assert_string_equal(run(cast_to(tx("abc"), it)), "ERR 22P02 invalid input syntax for type integer: \"abc\"");
	assert_string_equal(run(cast_to(num(2, 1, "2.5"), it)), "3,3,3,3,3");
	assert_string_equal(run(cast_to(num(2, 1, "-2.5"), it)), "-3,-3,-3,-3,-3");
	assert_string_equal(run(cast_to(lit(ftype_make(TYPE_INT8), "3000000000"), it)), "ERR 22003 integer out of range");
	assert_string_equal(run(cast_to(num(4, 3, "1.005"), ftype_numeric(5, 2))), "1.01,1.01,1.01,1.01,1.01");
	assert_string_equal(run(cast_to(lit(ftype_make(TYPE_BOOL), "t"), ftype_make(TYPE_TEXT))), "true,true,true,true,true");
	assert_string_equal(run(fn("length", 1, col(1))), "3,3,NULL,3,5");
	assert_string_equal(run(fn("upper", 1, col(1))), "ABC,A%C,NULL,ABC,HéLLO");
	assert_string_equal(run(fn("substring", 3, tx("hello"), i4("2"), i4("3"))), "ell,ell,ell,ell,ell");
	assert_string_equal(run(fn("btrim", 1, tx("  x  "))), "x,x,x,x,x");
	assert_string_equal(run(fn("strpos", 2, tx("hello"), tx("l"))), "3,3,3,3,3");
	assert_string_equal(run(fn("replace", 3, tx("abcabc"), tx("b"), tx("XY"))),
	                    "aXYcaXYc,aXYcaXYc,aXYcaXYc,aXYcaXYc,aXYcaXYc");
	assert_string_equal(run(fn("concat", 3, tx("a"), col(0), tx("!"))), "a1!,a2!,a!,a2147483647!,a0!");
	assert_string_equal(run(fn("||", 2, col(1), tx("-"))), "abc-,a%c-,NULL,ABC-,héllo-");
	assert_string_equal(run(fn("abs", 1, fn("-", 1, col(0)))), "1,2,NULL,2147483647,0");
	/* dates */
	assert_string_equal(run(fn("+", 2, col(3), i4("1"))), "2024-02-01,2024-02-02,2024-02-03,2024-02-04,2024-02-05");
	assert_string_equal(run(fn("+", 2, col(3), lit(ftype_make(TYPE_INTERVAL), "1 mon"))),
	                    "2024-02-29 00:00:00,2024-03-01 00:00:00,2024-03-02 00:00:00,2024-03-03 00:00:00,2024-03-04 00:00:00");
	assert_string_equal(run(fn("-", 2, lit(ftype_make(TYPE_DATE), "2024-03-01"), col(3))), "30,29,28,27,26");
	assert_string_equal(run(fn("-", 2, lit(ftype_make(TYPE_TIMESTAMP), "2024-01-03 01:00"),
	                               lit(ftype_make(TYPE_TIMESTAMP), "2024-01-01"))),
	                    "2 days 01:00:00,2 days 01:00:00,2 days 01:00:00,2 days 01:00:00,2 days 01:00:00");
	assert_string_equal(run(fn("extract", 2, tx("year"), col(3))), "2024,2024,2024,2024,2024");
	assert_string_equal(run(fn("date_part", 2, tx("dow"), lit(ftype_make(TYPE_DATE), "2024-03-05"))), "2,2,2,2,2");
	assert_string_equal(run(fn("extract", 2, tx("epoch"), lit(ftype_make(TYPE_TIMESTAMP), "2024-01-01"))),
	                    "1704067200.000000,1704067200.000000,1704067200.000000,1704067200.000000,1704067200.000000");
	assert_string_equal(run(fn("date_trunc", 2, tx("month"), lit(ftype_make(TYPE_TIMESTAMP), "2024-03-05 10:11:12"))),
	                    "2024-03-01 00:00:00,2024-03-01 00:00:00,2024-03-01 00:00:00,2024-03-01 00:00:00,2024-03-01 00:00:00");
	/* more PostgreSQL 15 results */
	static const struct { const char *fn; const char *a, *b; const char *want; } cases[] = {
		{"round", "1249.5", "-2", "1200"}, {"round", "1250", "-2", "1300"}, {"round", "-1250.00", "-2", "-1300"},
		{"trunc", "1299.99", "-2", "1200"}, {"round", "1.5", "3", "1.500"}, {"trunc", "-2.789", "1", "-2.7"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *v = cases[i].a, *dot = strchr(v, '.');
		int sc = dot ? (int)strlen(dot + 1) : 0;
		const char *got = run(fn(cases[i].fn, 2, num(10, sc, v), i4(cases[i].b)));
		char want[128];
		snprintf(want, sizeof want, "%s,%s,%s,%s,%s", cases[i].want, cases[i].want, cases[i].want, cases[i].want, cases[i].want);
		assert_string_equal(got, want);
	}
	assert_string_equal(run(fn("substring", 3, tx("hello"), i4("-1"), i4("4"))), "he,he,he,he,he");
	assert_string_equal(run(fn("ltrim", 2, tx("xxhixx"), tx("x"))), "hixx,hixx,hixx,hixx,hixx");
	assert_string_equal(run(fn("rtrim", 2, tx("xxhixx"), tx("x"))), "xxhi,xxhi,xxhi,xxhi,xxhi");
	assert_string_equal(run(fn("strpos", 2, tx("héllo"), tx("l"))), "3,3,3,3,3");
	assert_string_equal(run(fn("date_trunc", 2, tx("week"), lit(ftype_make(TYPE_TIMESTAMP), "2024-03-07 10:00"))),
	                    "2024-03-04 00:00:00,2024-03-04 00:00:00,2024-03-04 00:00:00,2024-03-04 00:00:00,2024-03-04 00:00:00");
	static const struct { const char *field, *type, *value, *want; } ex[] = {
		{"century", "date", "2000-12-31", "20"}, {"millennium", "date", "2001-01-01", "3"},
		{"doy", "date", "2024-12-31", "366"}, {"week", "date", "2021-01-03", "53"},
		{"isoyear", "date", "2021-01-03", "2020"}, {"quarter", "date", "2024-05-01", "2"},
		{"epoch", "interval", "1 month", "2592000.000000"}, {"milliseconds", "time", "10:00:01.5", "1500.000"},
		{"julian", "date", "2024-03-01", "2460371"}, {"julian", "timestamp", "2024-03-01 12:00", "2460371.50000000000000000000"},
		{"julian", "timestamp", "2024-03-01", "2460371.0000000000000000000000000000"},
		{"isoyear", "date", "0001-01-05 BC", "-1"}, {"epoch", "time", "12:00:01.5", "43201.500000"},
		{"quarter", "interval", "-2 months", "1"}, {"century", "interval", "250 years", "2"},
	};
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		ftype t;
		assert_true(ftype_from_name(ex[i].type, &t));
		const char *got = run(fn("extract", 2, tx(ex[i].field), lit(t, ex[i].value)));
		char want[256];
		snprintf(want, sizeof want, "%s,%s,%s,%s,%s", ex[i].want, ex[i].want, ex[i].want, ex[i].want, ex[i].want);
		assert_string_equal(got, want);
	}
	/* a unit the type has not: 0A000; a unit nobody has: 22023 (both when the call runs) */
	static const struct { const char *field, *type, *value, *want; } bad[] = {
		{"timezone", "timestamp", "2024-01-01", "0A000 unit \"timezone\" not supported for type timestamp without time zone"},
		{"dow", "time", "10:00", "0A000 unit \"dow\" not supported for type time without time zone"},
		{"hour", "date", "2024-01-01", "0A000 unit \"hour\" not supported for type date"},
		{"fortnight", "date", "2024-01-01", "22023 unit \"fortnight\" not recognized for type date"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ftype t;
		assert_true(ftype_from_name(bad[i].type, &t));
		char want[256];
		snprintf(want, sizeof want, "ERR %s", bad[i].want);
		assert_string_equal(run(fn("extract", 2, tx(bad[i].field), lit(t, bad[i].value))), want);
	}
	assert_string_equal(run(fn("date_part", 2, tx("epoch"), lit(ftype_make(TYPE_INTERVAL), "1 day 1 hour"))),
	                    "90000,90000,90000,90000,90000");
	assert_string_equal(run(fn("date_part", 2, tx("second"), lit(ftype_make(TYPE_TIMESTAMP), "2024-01-01 00:00:01.25"))),
	                    "1.25,1.25,1.25,1.25,1.25");
	static const struct { const char *f; int n; const char *a; int b; const char *c; const char *want; } sf[] = {
		{"left", 2, "héllo", 2, NULL, "hé"}, {"left", 2, "hello", -2, NULL, "hel"},
		{"right", 2, "héllo", 2, NULL, "lo"}, {"right", 2, "hello", -2, NULL, "llo"},
		{"lpad", 3, "hi", 5, "xy", "xyxhi"}, {"lpad", 2, "hello", 3, NULL, "hel"},
		{"rpad", 2, "hi", 5, NULL, "hi   "}, {"rpad", 3, "hi", 6, "ab", "hiabab"}, {"lpad", 3, "hi", 5, "", "hi"},
	};
	for (size_t i = 0; i < sizeof sf / sizeof sf[0]; i++) {
		char num_s[16];
		snprintf(num_s, sizeof num_s, "%d", sf[i].b);
		expr *e = sf[i].n == 3 ? fn(sf[i].f, 3, tx(sf[i].a), i4(num_s), tx(sf[i].c)) : fn(sf[i].f, 2, tx(sf[i].a), i4(num_s));
		char want[128];
		snprintf(want, sizeof want, "%s,%s,%s,%s,%s", sf[i].want, sf[i].want, sf[i].want, sf[i].want, sf[i].want);
		assert_string_equal(run(e), want);
	}
	assert_string_equal(run(fn("split_part", 3, tx("a,b,,c"), tx(","), i4("2"))), "b,b,b,b,b");
	assert_string_equal(run(fn("concat", 3, tx("a"), lit(ftype_make(TYPE_BOOL), "t"), num(3, 2, "1.50"))),
	                    "at1.50,at1.50,at1.50,at1.50,at1.50");
	assert_string_equal(run(fn("||", 2, tx("a"), lit(ftype_make(TYPE_BOOL), "t"))), "atrue,atrue,atrue,atrue,atrue");
	assert_string_equal(run(fn("concat_ws", 4, tx("-"), tx("a"), tx(NULL), col(0))), "a-1,a-2,a,a-2147483647,a-0");
	assert_string_equal(run(fn("split_part", 3, tx("a,b,c"), tx(","), i4("5"))), ",,,,");
	assert_string_equal(run(fn("split_part", 3, tx("a,b,c"), tx(","), i4("-1"))), "c,c,c,c,c");
	assert_string_equal(run(fn("split_part", 3, tx("a,b"), tx(","), i4("0"))), "ERR 22023 field position must not be zero");
	ftype ivt = ftype_make(TYPE_INTERVAL);
	assert_string_equal(run(fn("*", 2, lit(ivt, "1 day 2 hours"), i4("3"))),
	                    "3 days 06:00:00,3 days 06:00:00,3 days 06:00:00,3 days 06:00:00,3 days 06:00:00");
	assert_string_equal(run(fn("*", 2, lit(ftype_make(TYPE_FLOAT8), "1.5"), lit(ivt, "1 mon"))),
	                    "1 mon 15 days,1 mon 15 days,1 mon 15 days,1 mon 15 days,1 mon 15 days");
	assert_string_equal(run(fn("/", 2, lit(ivt, "1 day"), i4("4"))), "06:00:00,06:00:00,06:00:00,06:00:00,06:00:00");
	assert_string_equal(run(fn("/", 2, lit(ivt, "1 day"), i4("0"))), "ERR 22012 division by zero");
	ftype tmt = ftype_make(TYPE_TIME);
	assert_string_equal(run(fn("+", 2, lit(ftype_make(TYPE_DATE), "2024-01-01"), lit(tmt, "10:30"))),
	                    "2024-01-01 10:30:00,2024-01-01 10:30:00,2024-01-01 10:30:00,2024-01-01 10:30:00,2024-01-01 10:30:00");
	assert_string_equal(run(fn("+", 2, lit(tmt, "23:00"), lit(ivt, "2 hours"))), "01:00:00,01:00:00,01:00:00,01:00:00,01:00:00");
	assert_string_equal(run(fn("-", 2, lit(tmt, "01:00"), lit(tmt, "23:00"))), "-22:00:00,-22:00:00,-22:00:00,-22:00:00,-22:00:00");
	func_match m;
	ftype args[2] = {ftype_make(TYPE_BOOL), ftype_make(TYPE_DATE)};
	ferr *e = func_lookup("+", 2, args, &m);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "42883");
	assert_string_equal(e->message, "operator does not exist: boolean + date");
	ferr_free(e);
}

/* Expected values from PostgreSQL 15 with SET timezone = 'America/New_York'. */
static void test_session_time_zone(void **state)
{
	TZ = "America/New_York";
	ftype tz = ftype_make(TYPE_TIMESTAMPTZ), iv = ftype_make(TYPE_INTERVAL);
	/* text without a zone is read in the session zone; +1 day keeps the wall
	 * clock across the DST change, +24 hours does not */
	expr *ts = cast_to(tx("2024-03-09 12:00"), tz);
	const char *day = "2024-03-10 12:00:00-04,2024-03-10 12:00:00-04,2024-03-10 12:00:00-04,2024-03-10 12:00:00-04,2024-03-10 12:00:00-04";
	assert_string_equal(run(fn("+", 2, ts, lit(iv, "1 day"))), day);
	assert_string_equal(run(fn("+", 2, lit(iv, "1 day"), ts)), day);
	assert_string_equal(run(fn("+", 2, ts, lit(iv, "24 hours"))),
	                    "2024-03-10 13:00:00-04,2024-03-10 13:00:00-04,2024-03-10 13:00:00-04,2024-03-10 13:00:00-04,2024-03-10 13:00:00-04");
	assert_string_equal(run(fn("date_trunc", 2, tx("day"), cast_to(tx("2024-03-10 12:00"), tz))),
	                    "2024-03-10 00:00:00-05,2024-03-10 00:00:00-05,2024-03-10 00:00:00-05,2024-03-10 00:00:00-05,2024-03-10 00:00:00-05");
	assert_string_equal(run(fn("extract", 2, tx("hour"), cast_to(tx("2024-07-01 12:00+00"), tz))), "8,8,8,8,8");
	assert_string_equal(run(fn("extract", 2, tx("timezone_hour"), cast_to(tx("2024-07-01 12:00+00"), tz))), "-4,-4,-4,-4,-4");
	assert_string_equal(run(fn("date_part", 2, tx("timezone"), cast_to(tx("2024-01-01 12:00+00"), tz))),
	                    "-18000,-18000,-18000,-18000,-18000");
	assert_string_equal(run(cast_to(cast_to(tx("2024-01-01"), tz), ftype_make(TYPE_DATE))),
	                    "2024-01-01,2024-01-01,2024-01-01,2024-01-01,2024-01-01");
	TZ = "UTC";
	/* int + date commutes; char(n) compares without trailing blanks */
	assert_string_equal(run(fn("+", 2, i4("3"), lit(ftype_make(TYPE_DATE), "2024-01-01"))),
	                    "2024-01-04,2024-01-04,2024-01-04,2024-01-04,2024-01-04");
	ftype c4 = {TYPE_BPCHAR, 0, 0, 4}, c2 = {TYPE_BPCHAR, 0, 0, 2};
	assert_string_equal(run(fn("=", 2, lit(c4, "ab "), lit(c2, "ab"))), "t,t,t,t,t");
}

static void test_filter_and_const(void **state)
{
	batch copy = *B;
	expr_ctx ctx = {0};
	assert_null(expr_filter(fn(">=", 2, col(0), i4("1")), &ctx, &copy, A));
	assert_int_equal(copy.count, 3);
	assert_int_equal(copy.sel[0], 0);
	assert_int_equal(copy.sel[1], 1);
	assert_int_equal(copy.sel[2], 3);
	/* a conjunction filters progressively: 10/a is never computed for a = 0 */
	batch c2 = *B;
	expr *conj = node(EXPR_AND, ftype_make(TYPE_BOOL), 2, fn("<>", 2, col(0), i4("0")),
	                  fn("=", 2, fn("/", 2, i4("10"), col(0)), i4("5")));
	assert_null(expr_filter(conj, &ctx, &c2, A));
	assert_int_equal(c2.count, 1);
	assert_int_equal(c2.sel[0], 1);
	fvalue v;
	assert_null(expr_eval_const(fn("*", 2, i4("6"), i4("7")), &ctx, A, &v));
	assert_false(v.isnull);
	assert_int_equal(v.u.i, 42);
	/* parameters */
	fvalue p = {.isnull = false};
	p.u.s.ptr = "41";
	p.u.s.len = 2;
	ftype pt = ftype_make(TYPE_TEXT);
	expr_ctx pc = {.params = &p, .nparams = 1, .param_types = &pt};
	expr *par = node(EXPR_PARAM, ftype_make(TYPE_INT4), 0);
	par->param = 1;
	assert_null(expr_eval_const(fn("+", 2, par, i4("1")), &pc, A, &v));
	assert_int_equal(v.u.i, 42);
	strbuf sb = STRBUF_INIT;
	expr *c = node(EXPR_CASE, ftype_make(TYPE_INT4), 3, fn("=", 2, col(0), i4("0")), i4("-1"), col(0));
	c->has_else = true;
	c->args[2]->name = "a";
	c->args[0]->args[0]->name = "a";
	expr_format(c, &sb);
	assert_string_equal(sb.data, "CASE WHEN (a = 0) THEN -1 ELSE a END");
	sb_free(&sb);
}

static void test_aggregates(void **state)
{
	agg_kind k;
	ftype r;
	ftype n2 = ftype_numeric(10, 2);
	assert_null(agg_lookup("avg", false, 1, &n2, &k, &r));
	assert_int_equal(k, AGG_AVG);
	agg_call c = {.kind = k, .arg = 2, .result = r};
	void *st = arena_zalloc(A, agg_state_size(&c));
	agg_init(&c, st);
	/* avg over the numeric column of live rows: 1.50,-10.05,0.00,999999.99,0.01 */
	void *states[5] = {st, st, st, st, st};
	assert_null(agg_update(&c, states, &B->cols[2], B, A));
	vector out;
	vector_init(&out, A, r, BATCH_CAPACITY);
	agg_finalize(&c, st, &out, 0, A);
	strbuf sb = STRBUF_INIT;
	value_out_text(r, vector_at(&out, 0), NULL, &sb);
	/* PostgreSQL: sum 999991.45 / 5 has quotient weight 1, so 12 decimals */
	assert_string_equal(sb.data, "199998.290000000000");
	sb_reset(&sb);
	/* avg(1.00, 2.00) = 1.5000000000000000 as in PostgreSQL; via merge of two partials */
	ftype nt = ftype_numeric(3, 2);
	vector one;
	vector_init(&one, A, nt, 1);
	batch b1 = {.ncols = 1, .count = 1, .capacity = 1, .cols = &one, .arena = A};
	void *p1 = arena_zalloc(A, agg_state_size(&c)), *p2 = arena_zalloc(A, agg_state_size(&c));
	agg_init(&c, p1);
	agg_init(&c, p2);
	*(int64_t *)one.data = 100;
	assert_null(agg_update(&c, &p1, &one, &b1, A));
	*(int64_t *)one.data = 200;
	assert_null(agg_update(&c, &p2, &one, &b1, A));
	assert_null(agg_merge(&c, p1, p2, A));
	agg_finalize(&c, p1, &out, 1, A);
	value_out_text(r, vector_at(&out, 1), NULL, &sb);
	assert_string_equal(sb.data, "1.5000000000000000");
	sb_reset(&sb);
	/* sum(int4) is bigint; count(a) skips NULL; max(text) */
	ftype i4t = ftype_make(TYPE_INT4), txt = ftype_make(TYPE_TEXT);
	assert_null(agg_lookup("sum", false, 1, &i4t, &k, &r));
	assert_int_equal(r.id, TYPE_INT8);
	agg_call sum = {.kind = k, .arg = 0, .result = r};
	void *ss = arena_zalloc(A, agg_state_size(&sum));
	agg_init(&sum, ss);
	assert_null(agg_update(&sum, states[0] ? (void *[]){ss, ss, ss, ss, ss} : NULL, &B->cols[0], B, A));
	vector so;
	vector_init(&so, A, r, BATCH_CAPACITY);
	agg_finalize(&sum, ss, &so, 0, A);
	assert_int_equal(*(int64_t *)so.data, 2147483650LL);
	agg_call cnt = {.kind = AGG_COUNT, .arg = 0, .result = ftype_make(TYPE_INT8)};
	void *cs = arena_zalloc(A, agg_state_size(&cnt));
	agg_init(&cnt, cs);
	assert_null(agg_update(&cnt, (void *[]){cs, cs, cs, cs, cs}, &B->cols[0], B, A));
	agg_finalize(&cnt, cs, &so, 1, A);
	assert_int_equal(((int64_t *)so.data)[1], 4);
	assert_null(agg_lookup("max", false, 1, &txt, &k, &r));
	agg_call mx = {.kind = k, .arg = 1, .result = r};
	void *ms = arena_zalloc(A, agg_state_size(&mx));
	agg_init(&mx, ms);
	assert_null(agg_update(&mx, (void *[]){ms, ms, ms, ms, ms}, &B->cols[1], B, A));
	vector mo;
	vector_init(&mo, A, r, BATCH_CAPACITY);
	agg_finalize(&mx, ms, &mo, 0, A);
	value_out_text(r, vector_at(&mo, 0), NULL, &sb);
	assert_string_equal(sb.data, "héllo");
	/* an empty group: max is NULL, count is 0 */
	agg_init(&mx, ms);
	agg_finalize(&mx, ms, &mo, 1, A);
	assert_true(vector_is_null(&mo, 1));
	sb_free(&sb);
	ftype bt = ftype_make(TYPE_BOOL);
	ferr *e = agg_lookup("sum", false, 1, &bt, &k, &r);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "42883");
	ferr_free(e);
}

int main(void)
{
	A = arena_create(NULL, "test_expr");
	setup_batch();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arithmetic),        cmocka_unit_test(test_numeric_scales),
		cmocka_unit_test(test_three_valued_logic), cmocka_unit_test(test_case_and_friends),
		cmocka_unit_test(test_like),              cmocka_unit_test(test_casts_and_functions),
		cmocka_unit_test(test_filter_and_const),  cmocka_unit_test(test_aggregates),
		cmocka_unit_test(test_session_time_zone),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_destroy(A);
	return rc;
}
