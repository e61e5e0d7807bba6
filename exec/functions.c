/*
 * functions.c — the function library: resolution of operators and functions
 * by name and argument types (PostgreSQL's implicit-cast rules for Ferry's
 * types) and their vectorized implementations. It must never evaluate a
 * NULL row's garbage value in a way that can fail, nor call a function
 * pointer per value: each op/type pair runs its own loop.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "exec/functions_internal.h"
#include "exec/array_funcs.h"
#include "exec/functions_catalog.h"
#include "exec/functions_datetime.h"

#ifndef SQLSTATE_SUBSTRING_ERROR
/* PostgreSQL's substring_error; belongs in common/sqlstate.h */
#define SQLSTATE_SUBSTRING_ERROR "22011"
#endif

/* ---------------------------------------------------------------- resolution */

static int num_rank(type_id t)
{
	switch (t) {
	case TYPE_INT2: return 1;
	case TYPE_INT4: return 2;
	case TYPE_INT8: return 3;
	case TYPE_NUMERIC: return 4;
	case TYPE_FLOAT4: return 5;
	case TYPE_FLOAT8: return 6;
	default: return 0;
	}
}

static bool is_text(type_id t)
{
	return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR || t == TYPE_UNKNOWN;
}

static bool is_untyped(type_id t) { return t == TYPE_UNKNOWN || t == TYPE_NULL; }

static int dt_rank(type_id t)
{
	return t == TYPE_DATE ? 1 : t == TYPE_TIMESTAMP ? 2 : t == TYPE_TIMESTAMPTZ ? 3 : 0;
}

/* The numeric type an integer becomes when mixed with numeric. */
static ftype as_numeric(ftype t)
{
	switch (t.id) {
	case TYPE_INT2: return ftype_numeric(5, 0);
	case TYPE_INT4: return ftype_numeric(10, 0);
	case TYPE_INT8: return ftype_numeric(19, 0);
	default: return t;
	}
}

static int int_digits(ftype t)
{
	return t.precision > 0 ? t.precision - t.scale : NUMERIC_MAX_PRECISION - t.scale;
}

static ftype numeric_result(ftype a, ftype b, int scale, int intdig)
{
	if (numeric_has_value_scale(a) || numeric_has_value_scale(b)) return ftype_numeric_value_scale();
	if (a.precision == 0 || b.precision == 0) return ftype_numeric(0, scale);
	int p = intdig + scale;
	if (p > NUMERIC_MAX_PRECISION) p = NUMERIC_MAX_PRECISION;
	if (p < 1) p = 1;
	if (scale > p) return ftype_numeric(0, scale);
	return ftype_numeric(p, scale);
}

static ferr *no_function(const char *name, int nargs, const ftype *args)
{
	strbuf sb = STRBUF_INIT;
	bool op = !isalpha((unsigned char)name[0]);
	if (op && nargs == 2) {
		sb_printf(&sb, "operator does not exist: ");
		ftype_format(args[0], &sb);
		sb_printf(&sb, " %s ", name);
		ftype_format(args[1], &sb);
	} else if (op) {
		sb_printf(&sb, "operator does not exist: %s ", name);
		ftype_format(args[0], &sb);
	} else {
		sb_printf(&sb, "function %s(", name);
		for (int i = 0; i < nargs; i++) {
			if (i) sb_puts(&sb, ", ");
			ftype_format(args[i], &sb);
		}
		sb_puts(&sb, ") does not exist");
	}
	ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "%s", sb.data);
	sb_free(&sb);
	return ferr_hint(e, "No %s matches the given name and argument types. You might need to add "
	                    "explicit type casts.", op ? "operator" : "function");
}

static void match_set(func_match *m, func_op op, type_id dom, ftype result, int nargs, const ftype *argt)
{
	memset(m, 0, sizeof *m);
	m->func = FUNC_ID(op, dom);
	m->result = result;
	for (int i = 0; i < nargs && i < 8; i++) m->arg_types[i] = argt[i];
}

/* Common type for comparison or arithmetic of two numeric-category types. */
static ftype numeric_common(ftype a, ftype b)
{
	int ra = num_rank(a.id), rb = num_rank(b.id);
	if (ra >= 5 || rb >= 5) return ftype_make(ra == 5 && rb == 5 ? TYPE_FLOAT4 : TYPE_FLOAT8);
	if (ra == 4 || rb == 4) {
		ftype na = as_numeric(a), nb = as_numeric(b);
		int s = na.scale > nb.scale ? na.scale : nb.scale;
		int id = int_digits(na) > int_digits(nb) ? int_digits(na) : int_digits(nb);
		return numeric_result(na, nb, s, id);
	}
	return ftype_make(ra > rb ? a.id : b.id);
}

static ferr *lookup_operator(const char *name, int nargs, ftype *t, func_match *out)
{
	static const struct {
		const char *sym;
		func_op op;
	} cmp_ops[] = {{"=", FOP_EQ}, {"<>", FOP_NE}, {"!=", FOP_NE}, {"<", FOP_LT},
	               {"<=", FOP_LE}, {">", FOP_GT}, {">=", FOP_GE}};
	if (nargs == 1) {
		if (strcmp(name, "-") == 0) {
			if (num_rank(t[0].id)) {
				match_set(out, FOP_NEG, t[0].id, t[0], 1, t);
				return NULL;
			}
			if (t[0].id == TYPE_INTERVAL) {
				match_set(out, FOP_IV_NEG, TYPE_INTERVAL, t[0], 1, t);
				return NULL;
			}
		}
		if (strcmp(name, "+") == 0 && num_rank(t[0].id)) {
			match_set(out, FOP_ABS, TYPE_NULL, t[0], 1, t); /* identity marker below */
			out->func = FUNC_ID(FOP_ADD, TYPE_NULL);
			return NULL;
		}
		return no_function(name, nargs, t);
	}
	if (nargs != 2) return no_function(name, nargs, t);
	/* an untyped literal takes the other side's type, as in PostgreSQL */
	if (is_untyped(t[0].id) && !is_untyped(t[1].id)) t[0] = t[1];
	if (is_untyped(t[1].id) && !is_untyped(t[0].id)) t[1] = t[0];
	if (is_untyped(t[0].id) && is_untyped(t[1].id)) t[0] = t[1] = ftype_make(TYPE_TEXT);
	type_id a = t[0].id, b = t[1].id;

	for (size_t i = 0; i < sizeof cmp_ops / sizeof cmp_ops[0]; i++) {
		if (strcmp(name, cmp_ops[i].sym) != 0) continue;
		ftype c;
		if (num_rank(a) && num_rank(b)) c = numeric_common(t[0], t[1]);
		else if (is_text(a) && is_text(b)) c = ftype_make(a == TYPE_BPCHAR && b == TYPE_BPCHAR ? TYPE_BPCHAR : TYPE_TEXT);
		else if (dt_rank(a) && dt_rank(b)) c = ftype_make(dt_rank(a) > dt_rank(b) ? a : b);
		else if (a == b && a != TYPE_JSON) c = t[0];
		else return no_function(name, nargs, t);
		if (c.id == TYPE_BPCHAR) c.length = -1;
		ftype args[2] = {c, c};
		match_set(out, cmp_ops[i].op, c.id, ftype_make(TYPE_BOOL), 2, args);
		return NULL;
	}
	if (strcmp(name, "||") == 0) {
		if (is_text(a) || is_text(b)) {
			ftype args[2] = {ftype_make(TYPE_TEXT), ftype_make(TYPE_TEXT)};
			match_set(out, FOP_CONCAT_OP, TYPE_TEXT, ftype_make(TYPE_TEXT), 2, args);
			return NULL;
		}
		return no_function(name, nargs, t);
	}
	if (strcmp(name, "^") == 0 && num_rank(a) && num_rank(b) && a != TYPE_NUMERIC && b != TYPE_NUMERIC) {
		/* integers and floats resolve to dpow (double precision), as in PostgreSQL */
		ftype f8 = ftype_make(TYPE_FLOAT8), args[2] = {f8, f8};
		match_set(out, FOP_POW, TYPE_FLOAT8, f8, 2, args);
		return NULL;
	}
	func_op bit = !strcmp(name, "&") ? FOP_BIT_AND : !strcmp(name, "|") ? FOP_BIT_OR
	            : !strcmp(name, "#") ? FOP_BIT_XOR : FOP_NONE;
	if (bit != FOP_NONE) {
		/* int2and, int4or, int8xor...: the wider integer type of the two */
		if (!num_rank(a) || num_rank(a) > 3 || !num_rank(b) || num_rank(b) > 3)
			return no_function(name, nargs, t);
		ftype c = ftype_make(num_rank(a) > num_rank(b) ? a : b), args[2] = {c, c};
		match_set(out, bit, c.id, c, 2, args);
		return NULL;
	}
	func_op op = !strcmp(name, "+") ? FOP_ADD : !strcmp(name, "-") ? FOP_SUB : !strcmp(name, "*") ? FOP_MUL
	           : !strcmp(name, "/") ? FOP_DIV : !strcmp(name, "%") ? FOP_MOD : FOP_NONE;
	if (op == FOP_NONE) return no_function(name, nargs, t);
	if (num_rank(a) && num_rank(b)) {
		ftype c = numeric_common(t[0], t[1]);
		if (op == FOP_MOD && (c.id == TYPE_FLOAT4 || c.id == TYPE_FLOAT8)) return no_function(name, nargs, t);
		ftype args[2] = {c, c}, res = c;
		if (c.id == TYPE_NUMERIC) {
			/* arguments keep their own scale; the result follows numeric.c */
			ftype na = as_numeric(t[0]), nb = as_numeric(t[1]);
			args[0] = na;
			args[1] = nb;
			int s1 = na.scale, s2 = nb.scale, smax = s1 > s2 ? s1 : s2;
			int i1 = int_digits(na), i2 = int_digits(nb), imax = i1 > i2 ? i1 : i2;
			switch (op) {
			case FOP_ADD: case FOP_SUB: res = numeric_result(na, nb, smax, imax + 1); break;
			case FOP_MUL: res = numeric_result(na, nb, s1 + s2, i1 + i2); break;
			case FOP_DIV:
				/* select_div_scale depends on the values: each quotient
				 * carries its own scale */
				res = ftype_numeric_value_scale();
				break;
			default: res = numeric_result(na, nb, smax, imax); break;
			}
			if (res.scale > NUMERIC_MAX_PRECISION) res.scale = NUMERIC_MAX_PRECISION;
		}
		match_set(out, op, c.id, res, 2, args);
		return NULL;
	}
	ftype i4 = ftype_make(TYPE_INT4), dt = ftype_make(TYPE_DATE), iv = ftype_make(TYPE_INTERVAL);
	ftype ts = ftype_make(TYPE_TIMESTAMP);
	if (a == TYPE_DATE && (b == TYPE_INT4 || b == TYPE_INT2) && (op == FOP_ADD || op == FOP_SUB)) {
		ftype args[2] = {dt, i4};
		match_set(out, op == FOP_ADD ? FOP_DATE_ADD_INT : FOP_DATE_SUB_INT, TYPE_DATE, dt, 2, args);
		return NULL;
	}
	if ((a == TYPE_INT4 || a == TYPE_INT2) && b == TYPE_DATE && op == FOP_ADD) {
		ftype args[2] = {i4, dt};
		match_set(out, FOP_INT_ADD_DATE, TYPE_DATE, dt, 2, args);
		return NULL;
	}
	if (a == TYPE_DATE && b == TYPE_DATE && op == FOP_SUB) {
		ftype args[2] = {dt, dt};
		match_set(out, FOP_DATE_SUB_DATE, TYPE_DATE, i4, 2, args);
		return NULL;
	}
	if (dt_rank(a) && b == TYPE_INTERVAL && (op == FOP_ADD || op == FOP_SUB)) {
		ftype base = a == TYPE_TIMESTAMPTZ ? t[0] : ts;
		ftype args[2] = {base, iv};
		match_set(out, op == FOP_ADD ? FOP_TS_ADD_IV : FOP_TS_SUB_IV, base.id, base, 2, args);
		return NULL;
	}
	if (a == TYPE_INTERVAL && dt_rank(b) && op == FOP_ADD) {
		ftype base = b == TYPE_TIMESTAMPTZ ? t[1] : ts;
		ftype args[2] = {iv, base};
		match_set(out, FOP_IV_ADD_TS, base.id, base, 2, args);
		return NULL;
	}
	if (dt_rank(a) >= 2 && dt_rank(b) >= 2 && op == FOP_SUB) {
		ftype c = ftype_make(dt_rank(a) > dt_rank(b) ? a : b);
		ftype args[2] = {c, c};
		match_set(out, FOP_TS_SUB_TS, c.id, iv, 2, args);
		return NULL;
	}
	ftype tm = ftype_make(TYPE_TIME);
	if (((a == TYPE_DATE && b == TYPE_TIME) || (a == TYPE_TIME && b == TYPE_DATE)) && op == FOP_ADD) {
		ftype args[2] = {t[0], t[1]};
		match_set(out, FOP_DATE_ADD_TIME, a, ts, 2, args);
		return NULL;
	}
	if (a == TYPE_TIME && b == TYPE_INTERVAL && (op == FOP_ADD || op == FOP_SUB)) {
		ftype args[2] = {tm, iv};
		match_set(out, op == FOP_ADD ? FOP_TIME_ADD_IV : FOP_TIME_SUB_IV, TYPE_TIME, tm, 2, args);
		return NULL;
	}
	if (a == TYPE_INTERVAL && b == TYPE_TIME && op == FOP_ADD) {
		ftype args[2] = {iv, tm};
		match_set(out, FOP_TIME_ADD_IV, TYPE_INTERVAL, tm, 2, args);
		return NULL;
	}
	if (a == TYPE_TIME && b == TYPE_TIME && op == FOP_SUB) {
		ftype args[2] = {tm, tm};
		match_set(out, FOP_TIME_SUB_TIME, TYPE_TIME, iv, 2, args);
		return NULL;
	}
	if (a == TYPE_INTERVAL && num_rank(b) && (op == FOP_MUL || op == FOP_DIV)) {
		ftype args[2] = {iv, ftype_make(TYPE_FLOAT8)};
		match_set(out, op == FOP_MUL ? FOP_IV_MUL : FOP_IV_DIV, TYPE_INTERVAL, iv, 2, args);
		return NULL;
	}
	if (num_rank(a) && b == TYPE_INTERVAL && op == FOP_MUL) {
		ftype args[2] = {ftype_make(TYPE_FLOAT8), iv};
		match_set(out, FOP_IV_MUL, TYPE_FLOAT8, iv, 2, args);
		return NULL;
	}
	if (a == TYPE_INTERVAL && b == TYPE_INTERVAL && (op == FOP_ADD || op == FOP_SUB)) {
		ftype args[2] = {iv, iv};
		match_set(out, op == FOP_ADD ? FOP_IV_ADD : FOP_IV_SUB, TYPE_INTERVAL, iv, 2, args);
		return NULL;
	}
	return no_function(name, nargs, t);
}

/* Extract/date_part fields, with the numeric scale extract() gives. */
static const struct {
	const char *name;
	int scale;
	bool time_only; /* not valid for date */
} dt_fields[] = {
	{"century", 0, false}, {"day", 0, false},        {"decade", 0, false},    {"dow", 0, false},
	{"doy", 0, false},     {"epoch", 6, false},      {"hour", 0, true},       {"isodow", 0, false},
	{"isoyear", 0, false}, {"microseconds", 0, true}, {"millennium", 0, false}, {"milliseconds", 3, true},
	{"minute", 0, true},   {"month", 0, false},      {"quarter", 0, false},   {"second", 6, true},
	{"week", 0, false},    {"year", 0, false},
	{"julian", 0, false},  {"timezone", 0, true},    {"timezone_hour", 0, true}, {"timezone_minute", 0, true},
};

static int dt_field_index(const char *s, size_t len)
{
	char buf[32];
	if (len >= sizeof buf) return -1;
	for (size_t i = 0; i < len; i++) buf[i] = (char)tolower((unsigned char)s[i]);
	buf[len] = 0;
	/* PostgreSQL's abbreviations and plurals */
	static const struct { const char *alias, *name; } aliases[] = {
		{"years", "year"}, {"y", "year"}, {"yr", "year"}, {"yrs", "year"}, {"months", "month"},
		{"mon", "month"}, {"mons", "month"}, {"days", "day"}, {"d", "day"}, {"hours", "hour"},
		{"h", "hour"}, {"hr", "hour"}, {"hrs", "hour"}, {"minutes", "minute"}, {"min", "minute"},
		{"mins", "minute"}, {"m", "minute"}, {"seconds", "second"}, {"sec", "second"}, {"secs", "second"},
		{"s", "second"}, {"weeks", "week"}, {"w", "week"}, {"ms", "milliseconds"},
		{"millisecond", "milliseconds"}, {"us", "microseconds"}, {"microsecond", "microseconds"},
		{"qtr", "quarter"}, {"decades", "decade"}, {"centuries", "century"}, {"c", "century"},
		{"millennia", "millennium"}, {"mil", "millennium"},
	};
	const char *name = buf;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(buf, aliases[i].alias)) name = aliases[i].name;
	for (size_t i = 0; i < sizeof dt_fields / sizeof dt_fields[0]; i++)
		if (!strcmp(name, dt_fields[i].name)) return (int)i;
	return -1;
}

ferr *func_lookup_ex(const char *name, int nargs, const ftype *args, const fvalue *const *consts,
                     func_match *out);

ferr *func_lookup(const char *name, int nargs, const ftype *args, func_match *out)
{
	return func_lookup_ex(name, nargs, args, NULL, out);
}

ferr *func_lookup_ex(const char *name, int nargs, const ftype *args, const fvalue *const *consts,
                     func_match *out)
{
	if (nargs < 0 || nargs > 8) return no_function(name, nargs > 8 ? 8 : 0, args);
	ferr *cat_err;
	if (func_array_lookup(name, nargs, args, out, &cat_err)) return cat_err;
	if (func_catalog_lookup(name, nargs, args, out, &cat_err)) return cat_err;
	ftype t[8];
	for (int i = 0; i < nargs; i++) t[i] = args[i];
	if (!isalpha((unsigned char)name[0])) {
		if (func_text_lookup(name, nargs, t, out)) return NULL;
		if (func_datetime_lookup(name, nargs, t, out)) return NULL; /* timetz ± interval */
		return lookup_operator(name, nargs, t, out);
	}

	char lname[64];
	size_t nl = strlen(name);
	if (nl >= sizeof lname) return no_function(name, nargs, t);
	for (size_t i = 0; i <= nl; i++) lname[i] = (char)tolower((unsigned char)name[i]);
	/* pg_catalog-qualified names from the parser */
	const char *n = strncmp(lname, "pg_catalog.", 11) == 0 ? lname + 11 : lname;
	if (func_text_lookup(n, nargs, t, out)) return NULL;
	if (func_datetime_lookup(n, nargs, t, out)) return NULL;
	ftype tx = ftype_make(TYPE_TEXT), i4 = ftype_make(TYPE_INT4), f8 = ftype_make(TYPE_FLOAT8);
	for (int i = 0; i < nargs; i++)
		if (is_untyped(t[i].id)) t[i] = tx;
	type_id a0 = nargs ? t[0].id : TYPE_NULL;

	/* Math functions over double precision; numeric arguments have numeric variants in
	 * PostgreSQL that Ferry does not have yet, so those stay "does not exist". */
	if (((!strcmp(n, "power") || !strcmp(n, "pow")) && nargs == 2 && num_rank(a0) && num_rank(t[1].id) &&
	     a0 != TYPE_NUMERIC && t[1].id != TYPE_NUMERIC) ||
	    ((!strcmp(n, "sqrt") || !strcmp(n, "cbrt") || !strcmp(n, "exp") || !strcmp(n, "ln") ||
	      !strcmp(n, "log") || !strcmp(n, "log10")) &&
	     nargs == 1 && num_rank(a0) && a0 != TYPE_NUMERIC)) {
		func_op op = n[0] == 'p' ? FOP_POW : !strcmp(n, "sqrt") ? FOP_SQRT : !strcmp(n, "cbrt") ? FOP_CBRT
		           : !strcmp(n, "exp") ? FOP_EXP : !strcmp(n, "ln") ? FOP_LN : FOP_LOG10;
		ftype argt[2] = {f8, f8};
		match_set(out, op, TYPE_FLOAT8, f8, nargs, argt);
		return NULL;
	}
	if (!strcmp(n, "abs") && nargs == 1 && num_rank(a0)) {
		match_set(out, FOP_ABS, a0, t[0], 1, t);
		return NULL;
	}
	if ((!strcmp(n, "round") || !strcmp(n, "floor") || !strcmp(n, "ceil") || !strcmp(n, "ceiling") ||
	     !strcmp(n, "trunc")) && nargs == 1 && num_rank(a0)) {
		func_op op = n[0] == 'r' ? FOP_ROUND : n[0] == 'f' ? FOP_FLOOR : n[1] == 'e' ? FOP_CEIL : FOP_TRUNC;
		if (a0 == TYPE_NUMERIC) {
			ftype r = t[0].precision > 0 ? ftype_numeric(t[0].precision - t[0].scale + 1 > 38 ? 38 : t[0].precision - t[0].scale + 1, 0) : ftype_numeric(0, 0);
			match_set(out, op, TYPE_NUMERIC, r, 1, t);
		} else {
			/* integers resolve to the float8 variant, as in PostgreSQL */
			match_set(out, op, TYPE_FLOAT8, f8, 1, &f8);
		}
		return NULL;
	}
	if ((!strcmp(n, "round") || !strcmp(n, "trunc")) && nargs == 2 && num_rank(a0) && num_rank(t[1].id) &&
	    num_rank(t[1].id) <= 2) {
		ftype na = a0 == TYPE_NUMERIC ? t[0] : as_numeric(t[0]);
		if (num_rank(a0) >= 5) na = ftype_numeric(0, 15); /* float -> numeric */
		int s = na.scale;
		if (consts && consts[1] && !consts[1]->isnull) {
			int64_t want = consts[1]->u.i;
			s = want < 0 ? 0 : want > NUMERIC_MAX_PRECISION ? NUMERIC_MAX_PRECISION : (int)want;
		}
		int id = int_digits(na) + 1;
		ftype r = na.precision > 0 && id + s <= 38 ? ftype_numeric(id + s, s) : ftype_numeric(0, s);
		ftype argt[2] = {na, i4};
		match_set(out, n[0] == 'r' ? FOP_ROUND2 : FOP_TRUNC, TYPE_NUMERIC, r, 2, argt);
		return NULL;
	}
	if ((!strcmp(n, "length") || !strcmp(n, "char_length") || !strcmp(n, "character_length")) && nargs == 1 &&
	    (is_text(a0) || a0 == TYPE_BYTEA)) {
		ftype argt = a0 == TYPE_BYTEA ? t[0] : (a0 == TYPE_BPCHAR ? t[0] : tx);
		match_set(out, FOP_LENGTH, argt.id, i4, 1, &argt);
		return NULL;
	}
	if ((!strcmp(n, "upper") || !strcmp(n, "lower")) && nargs == 1 && is_text(a0)) {
		match_set(out, n[0] == 'u' ? FOP_UPPER : FOP_LOWER, TYPE_TEXT, tx, 1, &tx);
		return NULL;
	}
	if ((!strcmp(n, "substring") || !strcmp(n, "substr")) && (nargs == 2 || nargs == 3) && is_text(a0) &&
	    num_rank(t[1].id) && num_rank(t[1].id) <= 2 && (nargs == 2 || (num_rank(t[2].id) && num_rank(t[2].id) <= 2))) {
		ftype argt[3] = {tx, i4, i4};
		match_set(out, nargs == 2 ? FOP_SUBSTR2 : FOP_SUBSTR3, TYPE_TEXT, tx, nargs, argt);
		return NULL;
	}
	if ((!strcmp(n, "btrim") || !strcmp(n, "ltrim") || !strcmp(n, "rtrim") || !strcmp(n, "trim")) &&
	    (nargs == 1 || nargs == 2) && is_text(a0) && (nargs == 1 || is_text(t[1].id))) {
		func_op op = n[0] == 'l' ? FOP_LTRIM : n[0] == 'r' ? FOP_RTRIM : FOP_BTRIM;
		if (nargs == 2) op = (func_op)(op + (FOP_BTRIM2 - FOP_BTRIM));
		ftype argt[2] = {tx, tx};
		match_set(out, op, TYPE_TEXT, tx, nargs, argt);
		return NULL;
	}
	if ((!strcmp(n, "concat") && nargs >= 1) || (!strcmp(n, "concat_ws") && nargs >= 2 && is_text(a0))) {
		/* arguments keep their types: concat prints them with their output
		 * functions (true -> 't'), unlike a cast to text */
		ftype argt[8];
		for (int i = 0; i < nargs; i++) argt[i] = t[i];
		if (n[6] == '_') argt[0] = tx;
		match_set(out, n[6] == '_' ? FOP_CONCAT_WS : FOP_CONCAT, TYPE_TEXT, tx, nargs, argt);
		return NULL;
	}
	if (!strcmp(n, "replace") && nargs == 3 && is_text(a0) && is_text(t[1].id) && is_text(t[2].id)) {
		ftype argt[3] = {tx, tx, tx};
		match_set(out, FOP_REPLACE, TYPE_TEXT, tx, 3, argt);
		return NULL;
	}
	if ((!strcmp(n, "left") || !strcmp(n, "right")) && nargs == 2 && is_text(a0) && num_rank(t[1].id) &&
	    num_rank(t[1].id) <= 2) {
		ftype argt[2] = {tx, i4};
		match_set(out, n[0] == 'l' ? FOP_LEFT : FOP_RIGHT, TYPE_TEXT, tx, 2, argt);
		return NULL;
	}
	if ((!strcmp(n, "lpad") || !strcmp(n, "rpad")) && (nargs == 2 || nargs == 3) && is_text(a0) &&
	    num_rank(t[1].id) && num_rank(t[1].id) <= 2 && (nargs == 2 || is_text(t[2].id))) {
		ftype argt[3] = {tx, i4, tx};
		match_set(out, n[0] == 'l' ? FOP_LPAD : FOP_RPAD, TYPE_TEXT, tx, nargs, argt);
		return NULL;
	}
	if (!strcmp(n, "split_part") && nargs == 3 && is_text(a0) && is_text(t[1].id) && num_rank(t[2].id) &&
	    num_rank(t[2].id) <= 2) {
		ftype argt[3] = {tx, tx, i4};
		match_set(out, FOP_SPLIT_PART, TYPE_TEXT, tx, 3, argt);
		return NULL;
	}
	if ((!strcmp(n, "strpos") || !strcmp(n, "position")) && nargs == 2 && is_text(a0) && is_text(t[1].id)) {
		ftype argt[2] = {tx, tx};
		match_set(out, FOP_STRPOS, TYPE_TEXT, i4, 2, argt);
		return NULL;
	}
	if ((!strcmp(n, "date_part") || !strcmp(n, "extract")) && nargs == 2 && is_text(a0) &&
	    (dt_rank(t[1].id) || t[1].id == TYPE_TIME || t[1].id == TYPE_TIMETZ || t[1].id == TYPE_INTERVAL)) {
		bool ext = n[0] == 'e';
		int field = -1;
		if (consts && consts[0] && !consts[0]->isnull) {
			/* a unit the type has not is an error when the call runs, as in PostgreSQL */
			field = dt_field_index(consts[0]->u.s.ptr, consts[0]->u.s.len);
		}
		/* date_part(text, date) goes through timestamp; extract has a date variant */
		ftype base = t[1].id == TYPE_DATE && !ext ? ftype_make(TYPE_TIMESTAMP) : t[1];
		ftype argt[2] = {tx, base};
		int scale = field >= 0 ? dt_fields[field].scale : 6;
		if (base.id == TYPE_DATE) scale = 0;
		/* julian of a timestamp has the scale of numeric division, per value */
		bool per_value = field >= 0 && !strcmp(dt_fields[field].name, "julian") && base.id != TYPE_DATE;
		match_set(out, ext ? FOP_EXTRACT : FOP_DATE_PART, base.id,
		          ext ? (per_value ? ftype_numeric_value_scale() : ftype_numeric(0, scale)) : f8, 2, argt);
		return NULL;
	}
	if (!strcmp(n, "date_trunc") && nargs == 2 && is_text(a0) && dt_rank(t[1].id)) {
		ftype base = ftype_make(t[1].id == TYPE_TIMESTAMP ? TYPE_TIMESTAMP : TYPE_TIMESTAMPTZ);
		ftype argt[2] = {tx, base};
		match_set(out, FOP_DATE_TRUNC, base.id, base, 2, argt);
		return NULL;
	}
	return no_function(name, nargs, t);
}

static const char *const op_names[FOP__COUNT] = {
	[FOP_RE_MATCH] = "~", [FOP_RE_IMATCH] = "~*", [FOP_RE_NMATCH] = "!~", [FOP_RE_NIMATCH] = "!~*",
	[FOP_RE_REPLACE] = "regexp_replace", [FOP_RE_LIKE] = "regexp_like", [FOP_RE_COUNT] = "regexp_count",
	[FOP_RE_SUBSTR] = "regexp_substr", [FOP_RE_SUBSTRING] = "substring", [FOP_RE_INSTR] = "regexp_instr",
	[FOP_RE_MATCH_ARR] = "regexp_match", [FOP_RE_SPLIT_ARR] = "regexp_split_to_array",
	[FOP_RE_SPLIT_TBL] = "regexp_split_to_table",
	[FOP_RE_MATCHES_ALL] = "regexp_matches", [FOP_INITCAP] = "initcap",
	[FOP_MD5] = "md5", [FOP_TO_HEX] = "to_hex", [FOP_ASCII] = "ascii", [FOP_CHR] = "chr",
	[FOP_REPEAT] = "repeat", [FOP_TRANSLATE] = "translate", [FOP_STARTS_WITH] = "starts_with",
	[FOP_QUOTE_IDENT] = "quote_ident", [FOP_QUOTE_LITERAL] = "quote_literal", [FOP_FORMAT] = "format",
	[FOP_ROW_TEXT] = "__row_text",
	[FOP_ADD] = "+", [FOP_SUB] = "-", [FOP_MUL] = "*", [FOP_DIV] = "/", [FOP_MOD] = "%",
	[FOP_BIT_AND] = "&", [FOP_BIT_OR] = "|", [FOP_BIT_XOR] = "#",
	[FOP_NEG] = "-", [FOP_EQ] = "=", [FOP_NE] = "<>", [FOP_LT] = "<", [FOP_LE] = "<=",
	[FOP_GT] = ">", [FOP_GE] = ">=", [FOP_CONCAT_OP] = "||", [FOP_DATE_ADD_INT] = "+",
	[FOP_DATE_SUB_INT] = "-", [FOP_INT_ADD_DATE] = "+", [FOP_IV_ADD_TS] = "+", [FOP_DATE_SUB_DATE] = "-", [FOP_TS_ADD_IV] = "+", [FOP_TS_SUB_IV] = "-",
	[FOP_TS_SUB_TS] = "-", [FOP_IV_ADD] = "+", [FOP_IV_SUB] = "-", [FOP_IV_NEG] = "-", [FOP_IV_MUL] = "*", [FOP_DATE_ADD_TIME] = "+", [FOP_TIME_ADD_IV] = "+", [FOP_TIME_SUB_IV] = "-", [FOP_TIME_SUB_TIME] = "-", [FOP_IV_DIV] = "/",
	[FOP_ABS] = "abs", [FOP_ROUND] = "round", [FOP_ROUND2] = "round", [FOP_FLOOR] = "floor",
	[FOP_CEIL] = "ceil", [FOP_TRUNC] = "trunc", [FOP_LENGTH] = "length", [FOP_UPPER] = "upper",
	[FOP_LOWER] = "lower", [FOP_SUBSTR2] = "substr", [FOP_SUBSTR3] = "substr", [FOP_BTRIM] = "btrim",
	[FOP_LTRIM] = "ltrim", [FOP_RTRIM] = "rtrim", [FOP_BTRIM2] = "btrim", [FOP_LTRIM2] = "ltrim",
	[FOP_RTRIM2] = "rtrim", [FOP_CONCAT] = "concat", [FOP_CONCAT_WS] = "concat_ws", [FOP_REPLACE] = "replace", [FOP_STRPOS] = "strpos", [FOP_LEFT] = "left", [FOP_RIGHT] = "right", [FOP_LPAD] = "lpad",
	[FOP_RPAD] = "rpad", [FOP_SPLIT_PART] = "split_part",
	[FOP_DATE_PART] = "date_part", [FOP_EXTRACT] = "extract", [FOP_DATE_TRUNC] = "date_trunc",
	[FOP_POW] = "^", [FOP_SQRT] = "sqrt", [FOP_CBRT] = "cbrt", [FOP_EXP] = "exp", [FOP_LN] = "ln",
	[FOP_LOG10] = "log",
};

const char *func_name(int func)
{
	func_op op = FUNC_OP(func);
	if ((int)op >= FOP_DATETIME_FIRST) return func_datetime_name(func);
	if ((int)op >= FOP_CATALOG_FIRST) return func_catalog_name(func);
	if ((int)op >= FOP_ARRAY_FIRST) return func_array_name(func);
	if (op <= FOP_NONE || op >= FOP__COUNT || !op_names[op]) return "?";
	return op_names[op];
}

bool func_is_operator(int func)
{
	const char *n = func_name(func);
	return !isalpha((unsigned char)n[0]) && n[0] != '?';
}

/* ---------------------------------------------------------------- aggregates */

ferr *agg_lookup(const char *name, bool star, int nargs, const ftype *args, agg_kind *kind, ftype *result)
{
	char n[32];
	size_t l = strlen(name);
	if (l >= sizeof n) goto none;
	for (size_t i = 0; i <= l; i++) n[i] = (char)tolower((unsigned char)name[i]);
	if (!strcmp(n, "count")) {
		*kind = star ? AGG_COUNT_STAR : AGG_COUNT;
		*result = ftype_make(TYPE_INT8);
		if (star || nargs == 1) return NULL;
		goto none;
	}
	if (!star && agg_is_ext_name(n)) {
		if (agg_ext_lookup(n, nargs, args, kind, result)) return NULL;
		goto none;
	}
	if (star || nargs != 1) goto none;
	type_id a = args[0].id;
	if (!strcmp(n, "sum")) {
		*kind = AGG_SUM;
		if (a == TYPE_INT2 || a == TYPE_INT4) *result = ftype_make(TYPE_INT8);
		else if (a == TYPE_INT8) *result = ftype_numeric(NUMERIC_MAX_PRECISION, 0);
		else if (a == TYPE_NUMERIC && numeric_has_value_scale(args[0])) *result = args[0];
		else if (a == TYPE_NUMERIC) *result = ftype_numeric(NUMERIC_MAX_PRECISION, args[0].scale);
		else if (a == TYPE_FLOAT4) *result = ftype_make(TYPE_FLOAT4);
		else if (a == TYPE_FLOAT8) *result = ftype_make(TYPE_FLOAT8);
		else if (a == TYPE_INTERVAL) *result = args[0];
		else goto none;
		return NULL;
	}
	if (!strcmp(n, "avg")) {
		*kind = AGG_AVG;
		if (a == TYPE_INT2 || a == TYPE_INT4 || a == TYPE_INT8 || a == TYPE_NUMERIC) {
			/* sum / count at select_div_scale, which depends on the values */
			*result = ftype_numeric_value_scale();
		} else if (a == TYPE_FLOAT4 || a == TYPE_FLOAT8)
			*result = ftype_make(TYPE_FLOAT8);
		else
			goto none;
		return NULL;
	}
	if (!strcmp(n, "min") || !strcmp(n, "max")) {
		*kind = n[1] == 'i' ? AGG_MIN : AGG_MAX;
		if (a == TYPE_JSON || a == TYPE_NULL || a == TYPE_BOOL) goto none;
		*result = args[0];
		if (a == TYPE_UNKNOWN) *result = ftype_make(TYPE_TEXT);
		return NULL;
	}
none:
	return no_function(name, star ? 0 : nargs, args);
}

/* ---------------------------------------------------------------- evaluation */


static ferr *int_overflow(type_id t)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "%s out of range",
	                t == TYPE_INT2 ? "smallint" : t == TYPE_INT4 ? "integer" : "bigint");
}

static ferr *div_zero(void) { return ferr_new(SQLSTATE_DIVISION_BY_ZERO, "division by zero"); }

static ferr *float_overflow(void)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
}

static ferr *numeric_overflow(void)
{
	return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
}

#define INT_ARITH(T)                                                                   \
	do {                                                                               \
		T *o = out->data;                                                              \
		const vector *x = args[0], *y = args[1];                                       \
		switch (op) {                                                                  \
		case FOP_ADD:                                                                  \
			FOR_ROWS(r) if (__builtin_add_overflow(AT(x, T, r), AT(y, T, r), &o[r]))   \
				return int_overflow(dom);                                              \
			break;                                                                     \
		case FOP_SUB:                                                                  \
			FOR_ROWS(r) if (__builtin_sub_overflow(AT(x, T, r), AT(y, T, r), &o[r]))   \
				return int_overflow(dom);                                              \
			break;                                                                     \
		case FOP_MUL:                                                                  \
			FOR_ROWS(r) if (__builtin_mul_overflow(AT(x, T, r), AT(y, T, r), &o[r]))   \
				return int_overflow(dom);                                              \
			break;                                                                     \
		case FOP_DIV:                                                                  \
			FOR_ROWS(r)                                                                \
			{                                                                          \
				T p = AT(x, T, r), q = AT(y, T, r);                                    \
				if (q == 0) return div_zero();                                         \
				if (q == -1) {                                                         \
					if (__builtin_sub_overflow((T)0, p, &o[r])) return int_overflow(dom); \
				} else                                                                 \
					o[r] = (T)(p / q);                                                 \
			}                                                                          \
			break;                                                                     \
		case FOP_MOD:                                                                  \
			FOR_ROWS(r)                                                                \
			{                                                                          \
				T p = AT(x, T, r), q = AT(y, T, r);                                    \
				if (q == 0) return div_zero();                                         \
				o[r] = q == -1 ? 0 : (T)(p % q);                                       \
			}                                                                          \
			break;                                                                     \
		default: break;                                                                \
		}                                                                              \
	} while (0)

#define INT_BITS(T)                                                                    \
	do {                                                                               \
		T *o = out->data;                                                              \
		const vector *x = args[0], *y = args[1];                                       \
		if (op == FOP_BIT_AND) FOR_ROWS(r) o[r] = (T)(AT(x, T, r) & AT(y, T, r));      \
		if (op == FOP_BIT_OR) FOR_ROWS(r) o[r] = (T)(AT(x, T, r) | AT(y, T, r));       \
		if (op == FOP_BIT_XOR) FOR_ROWS(r) o[r] = (T)(AT(x, T, r) ^ AT(y, T, r));      \
	} while (0)

#define FLOAT_ARITH(T)                                                                 \
	do {                                                                               \
		T *o = out->data;                                                              \
		const vector *x = args[0], *y = args[1];                                       \
		FOR_ROWS(r)                                                                    \
		{                                                                              \
			T p = AT(x, T, r), q = AT(y, T, r), v;                                     \
			switch (op) {                                                              \
			case FOP_ADD: v = p + q; break;                                            \
			case FOP_SUB: v = p - q; break;                                            \
			case FOP_MUL: v = p * q; break;                                            \
			default:                                                                   \
				if (q == 0) return div_zero();                                         \
				v = p / q;                                                             \
				break;                                                                 \
			}                                                                          \
			if (isinf(v) && !isinf(p) && !isinf(q)) return float_overflow();           \
			o[r] = v;                                                                  \
		}                                                                              \
	} while (0)

/* round(a * 10^k / b), half away from zero, by long division so the
 * scaled dividend never has to fit in 128 bits. */
bool num_div_round(i128 a, i128 b, int k, i128 *out)
{
	if (b == 0) return false;
	bool neg = (a < 0) != (b < 0);
	unsigned __int128 ua = a < 0 ? (unsigned __int128)(-(a + 1)) + 1 : (unsigned __int128)a;
	unsigned __int128 ub = b < 0 ? (unsigned __int128)(-(b + 1)) + 1 : (unsigned __int128)b;
	unsigned __int128 q = ua / ub, r = ua % ub;
	unsigned __int128 lim = (unsigned __int128)num_pow10(38);
	for (int i = 0; i < k; i++) {
		if (q > lim / 10) return false;
		/* r < ub <= 2^127, so r * 10 may overflow only for huge divisors */
		if (r > (~(unsigned __int128)0) / 10) return false;
		r *= 10;
		q = q * 10 + r / ub;
		r %= ub;
	}
	if (r >= ub - r) q++; /* 2r >= ub without overflow */
	if (q >= lim) return false;
	*out = neg ? -(i128)q : (i128)q;
	return true;
}

ferr *num_div_ds(i128 p, int s1, i128 q, int s2, i128 *v, int *scale)
{
	if (q == 0) return div_zero();
	for (int rs = num_div_scale(p, s1, q, s2);; rs--) {
		/* p/10^s1 / (q/10^s2) * 10^rs = p * 10^(rs - s1 + s2) / q */
		int k = rs - s1 + s2;
		bool ok;
		if (k >= 0) {
			ok = num_div_round(p, q, k, v);
		} else {
			i128 qq;
			/* a divisor past 38 digits leaves a quotient that rounds to 0 */
			ok = num_rescale(q, 0, -k, &qq) ? num_div_round(p, qq, 0, v) : (*v = 0, true);
		}
		if (ok && num_digits(*v) <= NUM_DS_MAX_DIGITS) {
			*scale = rs;
			return NULL;
		}
		if (rs <= 0) return numeric_overflow();
	}
}

/* a * b of two magnitudes as four 64-bit limbs, least significant first. */
static void mul_u256(unsigned __int128 a, unsigned __int128 b, uint64_t out[4])
{
	uint64_t x[2] = {(uint64_t)a, (uint64_t)(a >> 64)}, y[2] = {(uint64_t)b, (uint64_t)(b >> 64)};
	memset(out, 0, 4 * sizeof *out);
	for (int i = 0; i < 2; i++) {
		unsigned __int128 carry = 0;
		for (int j = 0; j < 2; j++) {
			unsigned __int128 t = (unsigned __int128)x[i] * y[j] + out[i + j] + carry;
			out[i + j] = (uint64_t)t;
			carry = t >> 64;
		}
		out[i + 2] = (uint64_t)carry;
	}
}

/* v /= 10 on four limbs; returns the remainder. */
static unsigned div10_u256(uint64_t v[4])
{
	unsigned __int128 r = 0;
	for (int i = 3; i >= 0; i--) {
		unsigned __int128 cur = r << 64 | v[i];
		v[i] = (uint64_t)(cur / 10);
		r = cur % 10;
	}
	return (unsigned)r;
}

/*
 * A product past 128 bits for a per-value-scale result: PostgreSQL keeps
 * every digit; we keep NUM_DS_MAX_DIGITS of them, rounding half away from
 * zero once (only the first dropped digit decides).
 */
static ferr *num_mul_wide(i128 p, int s1, i128 q, int s2, i128 *v, int *scale)
{
	bool neg = (p < 0) != (q < 0);
	unsigned __int128 up = p < 0 ? -(unsigned __int128)p : (unsigned __int128)p;
	unsigned __int128 uq = q < 0 ? -(unsigned __int128)q : (unsigned __int128)q;
	uint64_t w[4];
	mul_u256(up, uq, w);
	unsigned __int128 lim = (unsigned __int128)num_pow10(NUM_DS_MAX_DIGITS);
	int sc = s1 + s2;
	unsigned last = 0;
	while (w[3] || w[2] || ((unsigned __int128)w[1] << 64 | w[0]) >= lim) {
		last = div10_u256(w);
		sc--;
	}
	if (sc < 0) return numeric_overflow();
	unsigned __int128 m = ((unsigned __int128)w[1] << 64 | w[0]) + (last >= 5);
	*v = neg ? -(i128)m : (i128)m;
	*scale = sc;
	return NULL;
}

/*
 * + - * / % on numerics. Each value comes with its own scale (the type's,
 * or its own for per-value types) and the result scale is PostgreSQL's:
 * the larger scale for + - %, the sum for *, select_div_scale for /. The
 * result type then keeps that scale (per-value) or rounds to its own.
 */
static ferr *numeric_arith(func_op op, ftype rt, const vector *x, const vector *y, const batch *b, vector *out)
{
	int s1 = x->type.scale, s2 = y->type.scale, rs = rt.scale;
	size_t w = ftype_width(rt);
	/* narrow fast path: both narrow, result narrow, same scales for +/- */
	bool narrow = !numeric_is_wide(x->type) && !numeric_is_wide(y->type) && !numeric_is_wide(rt);
	if (narrow && (op == FOP_ADD || op == FOP_SUB) && s1 == s2 && s1 == rs) {
		int64_t *o = out->data;
		i128 lim = num_pow10(rt.precision);
		FOR_ROWS(r)
		{
			int64_t p = AT(x, int64_t, r), q = AT(y, int64_t, r), v;
			if (op == FOP_ADD ? __builtin_add_overflow(p, q, &v) : __builtin_sub_overflow(p, q, &v)) return numeric_overflow();
			if (v >= lim || v <= -lim) return num_store(rt, num_pow10(38), &o[r]);
			o[r] = v;
		}
		return NULL;
	}
	FOR_ROWS(r)
	{
		i128 p = num_load_ds(x->type, vector_at(x, r), &s1), q = num_load_ds(y->type, vector_at(y, r), &s2), v = 0;
		int smax = s1 > s2 ? s1 : s2, vs = smax;
		switch (op) {
		case FOP_ADD: case FOP_SUB: case FOP_MOD: {
			i128 pa, qa;
			if (!num_rescale(p, s1, smax, &pa) || !num_rescale(q, s2, smax, &qa)) return numeric_overflow();
			if (op == FOP_MOD) {
				if (qa == 0) return div_zero();
				v = pa % qa;
			} else if (op == FOP_ADD ? __builtin_add_overflow(pa, qa, &v) : __builtin_sub_overflow(pa, qa, &v)) {
				return numeric_overflow();
			}
			break;
		}
		case FOP_MUL:
			vs = s1 + s2;
			if (__builtin_mul_overflow(p, q, &v)) {
				if (!numeric_has_value_scale(rt)) return numeric_overflow();
				TRY(num_mul_wide(p, s1, q, s2, &v, &vs));
			}
			break;
		case FOP_DIV: TRY(num_div_ds(p, s1, q, s2, &v, &vs)); break;
		default: break;
		}
		TRY(num_store_ds(rt, v, vs, (char *)out->data + (size_t)r * w));
	}
	return NULL;
}

static int cmp_result(func_op op, int c)
{
	switch (op) {
	case FOP_EQ: return c == 0;
	case FOP_NE: return c != 0;
	case FOP_LT: return c < 0;
	case FOP_LE: return c <= 0;
	case FOP_GT: return c > 0;
	default: return c >= 0;
	}
}

#define CMP_LOOP(T)                                                                        \
	do {                                                                                   \
		const vector *x = args[0], *y = args[1];                                           \
		switch (op) {                                                                      \
		case FOP_EQ: FOR_ROWS(r) o[r] = AT(x, T, r) == AT(y, T, r); break;                \
		case FOP_NE: FOR_ROWS(r) o[r] = AT(x, T, r) != AT(y, T, r); break;                \
		case FOP_LT: FOR_ROWS(r) o[r] = AT(x, T, r) < AT(y, T, r); break;                 \
		case FOP_LE: FOR_ROWS(r) o[r] = AT(x, T, r) <= AT(y, T, r); break;                \
		case FOP_GT: FOR_ROWS(r) o[r] = AT(x, T, r) > AT(y, T, r); break;                 \
		default: FOR_ROWS(r) o[r] = AT(x, T, r) >= AT(y, T, r); break;                    \
		}                                                                                  \
	} while (0)

static ferr *compare(func_op op, type_id dom, vector *const *args, const batch *b, vector *out)
{
	uint8_t *o = out->data;
	ftype t = args[0]->type;
	switch (dom) {
	case TYPE_INT2: CMP_LOOP(int16_t); return NULL;
	case TYPE_INT4: case TYPE_DATE: CMP_LOOP(int32_t); return NULL;
	case TYPE_INT8: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ: CMP_LOOP(int64_t); return NULL;
	case TYPE_BOOL: CMP_LOOP(uint8_t); return NULL;
	case TYPE_NUMERIC:
		if (!numeric_is_wide(t) && !numeric_is_wide(args[1]->type)) {
			CMP_LOOP(int64_t);
			return NULL;
		}
		break;
	default: break;
	}
	/* floats (NaN ordering), strings, intervals, uuids */
	FOR_ROWS(r) o[r] = (uint8_t)cmp_result(op, value_compare(t, vector_at(args[0], r), vector_at(args[1], r)));
	return NULL;
}

/* ---- strings (UTF-8 aware where PostgreSQL counts characters) */

static int utf8_len(const char *p, uint32_t n)
{
	int c = 0;
	for (uint32_t i = 0; i < n; i++)
		if (((uint8_t)p[i] & 0xC0) != 0x80) c++;
	return c;
}

/* Byte offset of character index ci (0-based), clamped to n. */
static uint32_t utf8_offset(const char *p, uint32_t n, int64_t ci)
{
	uint32_t i = 0;
	if (ci <= 0) return 0;
	int64_t c = 0;
	for (; i < n; i++) {
		if (((uint8_t)p[i] & 0xC0) != 0x80) {
			if (c == ci) return i;
			c++;
		}
	}
	return n;
}

static fstring *str_out(vector *out, int r) { return &((fstring *)out->data)[r]; }

static char *str_buf(arena *a, size_t n) { return arena_alloc(a, n ? n : 1); }

static bool in_set(const fstring *set, char c)
{
	return memchr(set->ptr, c, set->len) != NULL;
}

/* ---- date/time helpers */

static ferr *date_range(void) { return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date out of range"); }
static ferr *ts_range(void) { return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "timestamp out of range"); }

static ferr *ts_add_interval(int64_t ts, const finterval *iv, int sign, int64_t *res)
{
	if (ts == TS_NOBEGIN || ts == TS_NOEND) {
		*res = ts;
		return NULL;
	}
	int32_t days;
	int64_t tod;
	ts_split(ts, &days, &tod);
	if (iv->months) {
		int y, m, d;
		date_to_ymd(days, &y, &m, &d);
		int64_t mm = (int64_t)y * 12 + (m - 1) + sign * (int64_t)iv->months;
		y = (int)(mm >= 0 ? mm / 12 : -((-mm + 11) / 12));
		m = (int)(mm - (int64_t)y * 12) + 1;
		if (y < -4713 || y > 294276) return ts_range();
		int dim = date_days_in_month(y, m);
		if (d > dim) d = dim; /* Jan 31 + 1 month = Feb 28/29, as in PostgreSQL */
		days = date_from_ymd(y, m, d);
	}
	int64_t r = (int64_t)days * USECS_PER_DAY + tod;
	if (__builtin_add_overflow(r, sign * (int64_t)iv->days * USECS_PER_DAY, &r) ||
	    __builtin_add_overflow(r, sign * iv->micros, &r))
		return ts_range();
	*res = r;
	return NULL;
}

static ferr *trunc_ts(const fstring *unit, int64_t ts, int64_t *res)
{
	if (ts == TS_NOBEGIN || ts == TS_NOEND) {
		*res = ts;
		return NULL;
	}
	int field = dt_field_index(unit->ptr, unit->len);
	if (field < 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "unit \"%.*s\" not recognized for type timestamp without time zone",
		                (int)unit->len, unit->ptr);
	const char *n = dt_fields[field].name;
	int32_t days;
	int64_t tod;
	ts_split(ts, &days, &tod);
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	if (!strcmp(n, "microseconds")) { *res = ts; return NULL; }
	if (!strcmp(n, "milliseconds")) tod -= tod % 1000;
	else if (!strcmp(n, "second")) tod -= tod % 1000000;
	else if (!strcmp(n, "minute")) tod -= tod % 60000000LL;
	else if (!strcmp(n, "hour")) tod -= tod % 3600000000LL;
	else {
		tod = 0;
		if (!strcmp(n, "day")) {
		} else if (!strcmp(n, "week")) {
			int isodow = (int)(((days + 6) % 7 + 7) % 7);
			if (isodow == 0) isodow = 7;
			days -= isodow - 1;
			*res = (int64_t)days * USECS_PER_DAY;
			return NULL;
		} else if (!strcmp(n, "month")) d = 1;
		else if (!strcmp(n, "quarter")) d = 1, m = (m - 1) / 3 * 3 + 1;
		else if (!strcmp(n, "year")) d = 1, m = 1;
		else if (!strcmp(n, "decade")) d = 1, m = 1, y = y > 0 ? y / 10 * 10 : -((8 - (y - 1)) / 10) * 10 + 1;
		else if (!strcmp(n, "century")) d = 1, m = 1, y = y > 0 ? (y - 1) / 100 * 100 + 1 : -((99 - (y - 1)) / 100) * 100 + 1;
		else if (!strcmp(n, "millennium")) d = 1, m = 1, y = y > 0 ? (y - 1) / 1000 * 1000 + 1 : -((999 - (y - 1)) / 1000) * 1000 + 1;
		else return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "unit \"%s\" not supported for type timestamp", n);
		days = date_from_ymd(y, m, d);
	}
	*res = (int64_t)days * USECS_PER_DAY + tod;
	return NULL;
}

static long sess_off_utc(const expr_ctx *ctx, int64_t ts)
{
	return ctx && ctx->fmt ? tz_offset_at_utc(ctx->fmt, ts) : 0;
}

static long sess_off_local(const expr_ctx *ctx, int64_t ts)
{
	return ctx && ctx->fmt ? tz_offset_for_local(ctx->fmt, ts) : 0;
}

static i128 round_scaled(i128 v, int from, int to, int mode /* 0 round, 1 floor, 2 ceil, 3 trunc */)
{
	if (to >= from) {
		i128 r;
		num_rescale(v, from, to, &r);
		return r;
	}
	i128 p = num_pow10(from - to), q = v / p, rem = v % p;
	switch (mode) {
	case 0: num_rescale(v, from, to, &q); break;
	case 1: if (rem < 0) q--; break;
	case 2: if (rem > 0) q++; break;
	default: break;
	}
	return q;
}

ferr *func_eval(const expr *e, const expr_ctx *ctx, vector *const *args, const batch *b, arena *a, vector *out)
{
	func_op op = FUNC_OP(e->func);
	if ((int)op >= FOP_DATETIME_FIRST) return func_datetime_eval(e, ctx, args, b, a, out);
	if ((int)op >= FOP_CATALOG_FIRST) return func_catalog_eval(e, args, b, a, out);
	if ((int)op >= FOP_ARRAY_FIRST) return func_array_eval(e, args, b, a, out);
	type_id dom = FUNC_DOM(e->func);
	int nargs = e->nargs;
	vector_init(out, a, e->type, b->capacity);
	out->validity = NULL;
	out->is_const = false;
	/* Strict: a NULL argument makes a NULL result (concat skips NULLs). */
	if (op != FOP_CONCAT && !func_text_nonstrict(op)) {
		for (int k = 0; k < (op == FOP_CONCAT_WS ? 1 : nargs); k++) {
			if (!args[k]->validity) continue;
			for (int i = 0; i < b->count; i++) {
				int r = batch_row(b, i);
				if (ISNULL(args[k], r)) vec_set_null(out, a, r, b->capacity);
			}
		}
	}
	switch (op) {
	case FOP_ADD: case FOP_SUB: case FOP_MUL: case FOP_DIV: case FOP_MOD:
		if (dom == TYPE_NULL) { /* unary plus */
			size_t w = ftype_width(e->type);
			FOR_ROWS(r) memcpy((char *)out->data + (size_t)r * w, vector_at(args[0], r), w);
			return NULL;
		}
		switch (dom) {
		case TYPE_INT2: INT_ARITH(int16_t); return NULL;
		case TYPE_INT4: INT_ARITH(int32_t); return NULL;
		case TYPE_INT8: INT_ARITH(int64_t); return NULL;
		case TYPE_FLOAT4: FLOAT_ARITH(float); return NULL;
		case TYPE_FLOAT8: FLOAT_ARITH(double); return NULL;
		case TYPE_NUMERIC: return numeric_arith(op, e->type, args[0], args[1], b, out);
		default: break;
		}
		break;
	case FOP_BIT_AND: case FOP_BIT_OR: case FOP_BIT_XOR:
		switch (dom) {
		case TYPE_INT2: INT_BITS(int16_t); return NULL;
		case TYPE_INT4: INT_BITS(int32_t); return NULL;
		case TYPE_INT8: INT_BITS(int64_t); return NULL;
		default: break;
		}
		break;
	case FOP_NEG: case FOP_ABS: {
		bool abs = op == FOP_ABS;
		switch (dom) {
		case TYPE_INT2: { int16_t *o = out->data; FOR_ROWS(r) { int16_t v = AT(args[0], int16_t, r); if (abs && v >= 0) { o[r] = v; continue; } if (__builtin_sub_overflow((int16_t)0, v, &o[r])) return int_overflow(dom); } return NULL; }
		case TYPE_INT4: { int32_t *o = out->data; FOR_ROWS(r) { int32_t v = AT(args[0], int32_t, r); if (abs && v >= 0) { o[r] = v; continue; } if (__builtin_sub_overflow(0, v, &o[r])) return int_overflow(dom); } return NULL; }
		case TYPE_INT8: { int64_t *o = out->data; FOR_ROWS(r) { int64_t v = AT(args[0], int64_t, r); if (abs && v >= 0) { o[r] = v; continue; } if (__builtin_sub_overflow((int64_t)0, v, &o[r])) return int_overflow(dom); } return NULL; }
		case TYPE_FLOAT4: { float *o = out->data; FOR_ROWS(r) o[r] = abs ? fabsf(AT(args[0], float, r)) : -AT(args[0], float, r); return NULL; }
		case TYPE_FLOAT8: { double *o = out->data; FOR_ROWS(r) o[r] = abs ? fabs(AT(args[0], double, r)) : -AT(args[0], double, r); return NULL; }
		case TYPE_NUMERIC: {
			size_t w = ftype_width(e->type);
			FOR_ROWS(r)
			{
				int sc;
				i128 v = num_load_ds(args[0]->type, vector_at(args[0], r), &sc);
				if (!abs || v < 0) v = -v;
				TRY(num_store_ds(e->type, v, sc, (char *)out->data + (size_t)r * w));
			}
			return NULL;
		}
		default: break;
		}
		break;
	}
	case FOP_EQ: case FOP_NE: case FOP_LT: case FOP_LE: case FOP_GT: case FOP_GE:
		return compare(op, dom, args, b, out);
	case FOP_CONCAT_OP: case FOP_CONCAT: case FOP_CONCAT_WS: {
		const fmt_settings *fs = ctx ? ctx->fmt : NULL;
		strbuf sb = STRBUF_INIT;
		int first = op == FOP_CONCAT_WS ? 1 : 0;
		FOR_ROWS(r)
		{
			sb_reset(&sb);
			bool any = false;
			for (int k = first; k < nargs; k++) {
				if (ISNULL(args[k], r)) continue;
				if (op == FOP_CONCAT_WS && any) {
					fstring sep = AT(args[0], fstring, r);
					sb_append(&sb, sep.ptr, sep.len);
				}
				any = true;
				ftype at = args[k]->type;
				if (at.id == TYPE_BPCHAR || at.id == TYPE_TEXT || at.id == TYPE_VARCHAR || at.id == TYPE_UNKNOWN ||
				    at.id == TYPE_JSON || at.id == TYPE_JSONB) {
					fstring v = AT(args[k], fstring, r);
					sb_append(&sb, v.ptr, v.len);
				} else {
					value_out_text(at, vector_at(args[k], r), fs, &sb);
				}
			}
			char *p = str_buf(a, sb.len);
			if (sb.len) memcpy(p, sb.data, sb.len);
			str_out(out, r)->ptr = p;
			str_out(out, r)->len = (uint32_t)sb.len;
		}
		sb_free(&sb);
		return NULL;
	}
	case FOP_DATE_ADD_INT: case FOP_DATE_SUB_INT: case FOP_INT_ADD_DATE: {
		int32_t *o = out->data;
		bool swapped = op == FOP_INT_ADD_DATE;
		const vector *dv = swapped ? args[1] : args[0], *iv = swapped ? args[0] : args[1];
		FOR_ROWS(r)
		{
			int32_t d = AT(dv, int32_t, r), n = AT(iv, int32_t, r), v;
			if (d == DATE_NOBEGIN || d == DATE_NOEND) { o[r] = d; continue; }
			if (op != FOP_DATE_SUB_INT ? __builtin_add_overflow(d, n, &v) : __builtin_sub_overflow(d, n, &v))
				return date_range();
			if (v < date_from_ymd(-4713, 11, 24) || v > date_from_ymd(5874897, 12, 31)) return date_range();
			o[r] = v;
		}
		return NULL;
	}
	case FOP_DATE_SUB_DATE: {
		int32_t *o = out->data;
		FOR_ROWS(r)
		{
			int32_t x = AT(args[0], int32_t, r), y = AT(args[1], int32_t, r);
			if (x == DATE_NOBEGIN || x == DATE_NOEND || y == DATE_NOBEGIN || y == DATE_NOEND)
				return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "cannot subtract infinite dates");
			o[r] = x - y;
		}
		return NULL;
	}
	case FOP_TS_ADD_IV: case FOP_TS_SUB_IV: case FOP_IV_ADD_TS: {
		int64_t *o = out->data;
		bool swapped = op == FOP_IV_ADD_TS;
		bool tz = dom == TYPE_TIMESTAMPTZ;
		const vector *tv = swapped ? args[1] : args[0], *ivv = swapped ? args[0] : args[1];
		int sign = op == FOP_TS_SUB_IV ? -1 : 1;
		FOR_ROWS(r)
		{
			int64_t ts = AT(tv, int64_t, r);
			finterval iv = AT(ivv, finterval, r);
			if (tz && (iv.months || iv.days) && ts != TS_NOBEGIN && ts != TS_NOEND) {
				/* months and days move the local calendar, as in PostgreSQL */
				int64_t local = ts + (int64_t)sess_off_utc(ctx, ts) * USECS_PER_SEC;
				finterval cal = {0, iv.days, iv.months};
				TRY(ts_add_interval(local, &cal, sign, &local));
				ts = local - (int64_t)sess_off_local(ctx, local) * USECS_PER_SEC;
				finterval rest = {iv.micros, 0, 0};
				TRY(ts_add_interval(ts, &rest, sign, &o[r]));
			} else {
				TRY(ts_add_interval(ts, &iv, sign, &o[r]));
			}
		}
		return NULL;
	}
	case FOP_TS_SUB_TS: {
		finterval *o = out->data;
		FOR_ROWS(r)
		{
			int64_t x = AT(args[0], int64_t, r), y = AT(args[1], int64_t, r), d;
			if (x == TS_NOBEGIN || x == TS_NOEND || y == TS_NOBEGIN || y == TS_NOEND || __builtin_sub_overflow(x, y, &d))
				return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
			/* justify_hours: whole days move to the day field */
			o[r].months = 0;
			o[r].days = (int32_t)(d / USECS_PER_DAY);
			o[r].micros = d % USECS_PER_DAY;
		}
		return NULL;
	}
	case FOP_IV_ADD: case FOP_IV_SUB: case FOP_IV_NEG: {
		finterval *o = out->data;
		FOR_ROWS(r)
		{
			finterval x = AT(args[0], finterval, r), y = {0, 0, 0}, v;
			int sign = op == FOP_IV_ADD ? 1 : -1;
			if (op == FOP_IV_NEG) { y = x; x = (finterval){0, 0, 0}; }
			else y = AT(args[1], finterval, r);
			if (__builtin_add_overflow(x.micros, sign * y.micros, &v.micros) ||
			    __builtin_add_overflow(x.days, sign * y.days, &v.days) ||
			    __builtin_add_overflow(x.months, sign * y.months, &v.months))
				return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
			o[r] = v;
		}
		return NULL;
	}
	case FOP_DATE_ADD_TIME: {
		int64_t *o = out->data;
		const vector *dv = dom == TYPE_DATE ? args[0] : args[1], *tv = dom == TYPE_DATE ? args[1] : args[0];
		FOR_ROWS(r)
		{
			int32_t d = AT(dv, int32_t, r);
			if (d == DATE_NOBEGIN || d == DATE_NOEND) o[r] = d == DATE_NOBEGIN ? TS_NOBEGIN : TS_NOEND;
			else o[r] = (int64_t)d * USECS_PER_DAY + AT(tv, int64_t, r);
		}
		return NULL;
	}
	case FOP_TIME_ADD_IV: case FOP_TIME_SUB_IV: {
		/* time wraps around midnight; days and months of the interval are ignored */
		int64_t *o = out->data;
		bool commuted = dom == TYPE_INTERVAL;
		const vector *tv = commuted ? args[1] : args[0], *ivv = commuted ? args[0] : args[1];
		FOR_ROWS(r)
		{
			int64_t m = AT(ivv, finterval, r).micros % USECS_PER_DAY;
			int64_t v = AT(tv, int64_t, r) + (op == FOP_TIME_SUB_IV ? -m : m);
			v %= USECS_PER_DAY;
			if (v < 0) v += USECS_PER_DAY;
			o[r] = v;
		}
		return NULL;
	}
	case FOP_TIME_SUB_TIME: {
		finterval *o = out->data;
		FOR_ROWS(r)
		{
			o[r].months = 0;
			o[r].days = 0;
			o[r].micros = AT(args[0], int64_t, r) - AT(args[1], int64_t, r);
		}
		return NULL;
	}
	case FOP_IV_MUL: case FOP_IV_DIV: {
		finterval *o = out->data;
		bool commuted = dom == TYPE_FLOAT8;
		const vector *ivv = commuted ? args[1] : args[0], *fv = commuted ? args[0] : args[1];
		FOR_ROWS(r)
		{
			finterval x = AT(ivv, finterval, r);
			double f = AT(fv, double, r);
			if (op == FOP_IV_DIV) {
				if (f == 0) return div_zero();
				f = 1.0 / f;
			}
			/* interval_mul: fractions of months spill into days (30 each),
			 * fractions of days into time */
			double m = x.months * f, d = x.days * f;
			if (isnan(m) || isnan(d) || m > INT32_MAX || m < INT32_MIN || d > INT32_MAX || d < INT32_MIN)
				return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
			int32_t rm = (int32_t)m;
			double mdays = (m - rm) * 30;
			int32_t rd = (int32_t)d;
			double secrem = (d - rd + mdays - (int32_t)mdays) * 86400.0;
			secrem = rint(secrem * 1e6) / 1e6;
			if (secrem >= 86400 || secrem <= -86400) {
				rd += (int32_t)(secrem / 86400);
				secrem -= (int32_t)(secrem / 86400) * 86400.0;
			}
			rd += (int32_t)mdays;
			double t = rint((double)x.micros * f + secrem * 1e6);
			if (isnan(t) || t > 9.2e18 || t < -9.2e18)
				return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "interval out of range");
			o[r].months = rm;
			o[r].days = rd;
			o[r].micros = (int64_t)t;
		}
		return NULL;
	}
	case FOP_POW: case FOP_SQRT: case FOP_CBRT: case FOP_EXP: case FOP_LN: case FOP_LOG10: {
		/* PostgreSQL's float.c: the same SQLSTATEs for the same domain errors */
		double *o = out->data;
		FOR_ROWS(r)
		{
			double x = AT(args[0], double, r), y = nargs == 2 ? AT(args[1], double, r) : 0, v;
			switch (op) {
			case FOP_POW:
				if (x == 0 && y < 0)
					return ferr_new("2201F", "zero raised to a negative power is undefined");
				if (x < 0 && floor(y) != y)
					return ferr_new("2201F", "a negative number raised to a non-integer power yields a complex result");
				v = pow(x, y);
				break;
			case FOP_SQRT:
				if (x < 0) return ferr_new("2201F", "cannot take square root of a negative number");
				v = sqrt(x);
				break;
			case FOP_CBRT: v = cbrt(x); break;
			case FOP_EXP: v = exp(x); break;
			default:
				if (x == 0) return ferr_new("2201E", "cannot take logarithm of zero");
				if (x < 0) return ferr_new("2201E", "cannot take logarithm of a negative number");
				v = op == FOP_LN ? log(x) : log10(x);
				break;
			}
			if (isinf(v) && !isinf(x) && !isinf(y))
				return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
			if (op == FOP_EXP && v == 0 && !isinf(x))
				return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
			o[r] = v;
		}
		return NULL;
	}
	case FOP_ROUND: case FOP_FLOOR: case FOP_CEIL: case FOP_TRUNC: case FOP_ROUND2: {
		int mode = op == FOP_ROUND || op == FOP_ROUND2 ? 0 : op == FOP_FLOOR ? 1 : op == FOP_CEIL ? 2 : 3;
		if (dom == TYPE_FLOAT8) {
			double *o = out->data;
			FOR_ROWS(r)
			{
				double v = AT(args[0], double, r);
				o[r] = mode == 0 ? rint(v) : mode == 1 ? floor(v) : mode == 2 ? ceil(v) : trunc(v);
			}
			return NULL;
		}
		size_t w = ftype_width(e->type);
		FOR_ROWS(r)
		{
			int from;
			i128 v = num_load_ds(args[0]->type, vector_at(args[0], r), &from);
			int to = 0;
			if (nargs == 2) {
				int32_t n = AT(args[1], int32_t, r);
				to = n > from ? from : n < -38 ? -38 : n;
			}
			/* round at 'to' digits, then express at the result type's scale */
			i128 q;
			if (to >= 0) {
				q = round_scaled(v, from, to, mode);
			} else {
				/* negative digits: round once at 10^-to, then scale back up */
				int shift = from - to;
				q = shift > 38 ? 0 : round_scaled(v, shift, 0, mode);
				if (!num_rescale(q, 0, -to, &q)) return numeric_overflow();
				to = 0;
			}
			TRY(num_store_ds(e->type, q, to, (char *)out->data + (size_t)r * w));
		}
		return NULL;
	}
	case FOP_LENGTH: {
		int32_t *o = out->data;
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			if (dom == TYPE_BYTEA) o[r] = (int32_t)s.len;
			else {
				/* char(n) length ignores trailing blanks */
				if (dom == TYPE_BPCHAR)
					while (s.len && s.ptr[s.len - 1] == ' ') s.len--;
				o[r] = utf8_len(s.ptr, s.len);
			}
		}
		return NULL;
	}
	case FOP_UPPER: case FOP_LOWER:
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			char *p = str_buf(a, s.len);
			/* ASCII case mapping: the C collation's rules */
			for (uint32_t k = 0; k < s.len; k++)
				p[k] = (char)(op == FOP_UPPER ? toupper((unsigned char)s.ptr[k]) : tolower((unsigned char)s.ptr[k]));
			str_out(out, r)->ptr = p;
			str_out(out, r)->len = s.len;
		}
		return NULL;
	case FOP_SUBSTR2: case FOP_SUBSTR3:
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			int64_t start = AT(args[1], int32_t, r), end;
			if (op == FOP_SUBSTR3) {
				int64_t len = AT(args[2], int32_t, r);
				if (len < 0) return ferr_new(SQLSTATE_SUBSTRING_ERROR, "negative substring length not allowed");
				end = start + len;
			} else
				end = INT64_MAX;
			if (start < 1) start = 1;
			uint32_t bo = utf8_offset(s.ptr, s.len, start - 1);
			uint32_t eo = end == INT64_MAX ? s.len : end <= start ? bo : utf8_offset(s.ptr, s.len, end - 1);
			if (eo < bo) eo = bo;
			str_out(out, r)->ptr = s.ptr + bo;
			str_out(out, r)->len = eo - bo;
		}
		return NULL;
	case FOP_BTRIM: case FOP_LTRIM: case FOP_RTRIM: case FOP_BTRIM2: case FOP_LTRIM2: case FOP_RTRIM2: {
		static const fstring space = {1, " "};
		bool left = op == FOP_BTRIM || op == FOP_LTRIM || op == FOP_BTRIM2 || op == FOP_LTRIM2;
		bool right = op == FOP_BTRIM || op == FOP_RTRIM || op == FOP_BTRIM2 || op == FOP_RTRIM2;
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			fstring set = nargs == 2 ? AT(args[1], fstring, r) : space;
			uint32_t lo = 0, hi = s.len;
			/* byte-wise set membership: exact for ASCII trim characters */
			if (left) while (lo < hi && in_set(&set, s.ptr[lo])) lo++;
			if (right) while (hi > lo && in_set(&set, s.ptr[hi - 1])) hi--;
			str_out(out, r)->ptr = s.ptr + lo;
			str_out(out, r)->len = hi - lo;
		}
		return NULL;
	}
	case FOP_REPLACE:
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r), from = AT(args[1], fstring, r), to = AT(args[2], fstring, r);
			if (from.len == 0 || s.len < from.len) {
				*str_out(out, r) = s;
				continue;
			}
			size_t cnt = 0;
			for (uint32_t k = 0; k + from.len <= s.len;)
				if (!memcmp(s.ptr + k, from.ptr, from.len)) cnt++, k += from.len; else k++;
			size_t n = s.len + cnt * to.len - cnt * from.len;
			char *p = str_buf(a, n), *q = p;
			for (uint32_t k = 0; k < s.len;) {
				if (k + from.len <= s.len && !memcmp(s.ptr + k, from.ptr, from.len)) {
					memcpy(q, to.ptr, to.len);
					q += to.len;
					k += from.len;
				} else
					*q++ = s.ptr[k++];
			}
			str_out(out, r)->ptr = p;
			str_out(out, r)->len = (uint32_t)n;
		}
		return NULL;
	case FOP_STRPOS: {
		int32_t *o = out->data;
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r), sub = AT(args[1], fstring, r);
			const char *hit = sub.len == 0 ? s.ptr : memmem(s.ptr, s.len, sub.ptr, sub.len);
			o[r] = !hit ? 0 : utf8_len(s.ptr, (uint32_t)(hit - s.ptr)) + 1;
		}
		return NULL;
	}
	case FOP_LEFT: case FOP_RIGHT:
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			int64_t n = AT(args[1], int32_t, r), chars = utf8_len(s.ptr, s.len);
			/* a negative n counts from the other end: all but |n| characters */
			int64_t keep = n >= 0 ? (n < chars ? n : chars) : (chars + n > 0 ? chars + n : 0);
			uint32_t off = op == FOP_LEFT ? 0 : utf8_offset(s.ptr, s.len, chars - keep);
			uint32_t end = op == FOP_LEFT ? utf8_offset(s.ptr, s.len, keep) : s.len;
			str_out(out, r)->ptr = s.ptr + off;
			str_out(out, r)->len = end - off;
		}
		return NULL;
	case FOP_LPAD: case FOP_RPAD: {
		static const fstring space = {1, " "};
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r);
			fstring fill = nargs == 3 ? AT(args[2], fstring, r) : space;
			int64_t want = AT(args[1], int32_t, r), chars = utf8_len(s.ptr, s.len);
			if (want < 0) want = 0;
			if (want <= chars || fill.len == 0) {
				/* truncate to want characters (no padding possible with an empty fill) */
				uint32_t end = utf8_offset(s.ptr, s.len, want < chars ? want : chars);
				str_out(out, r)->ptr = s.ptr;
				str_out(out, r)->len = end;
				continue;
			}
			if (want > 10485760) return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "requested length too large");
			int64_t padchars = want - chars;
			/* fill may be multi-byte: build the pad by cycling characters */
			strbuf pad = STRBUF_INIT;
			uint32_t fi = 0;
			for (int64_t k = 0; k < padchars; k++) {
				uint32_t nx = fi + 1;
				while (nx < fill.len && ((uint8_t)fill.ptr[nx] & 0xC0) == 0x80) nx++;
				sb_append(&pad, fill.ptr + fi, nx - fi);
				fi = nx >= fill.len ? 0 : nx;
			}
			size_t n = pad.len + s.len;
			char *p = str_buf(a, n);
			if (op == FOP_LPAD) {
				memcpy(p, pad.data, pad.len);
				if (s.len) memcpy(p + pad.len, s.ptr, s.len);
			} else {
				if (s.len) memcpy(p, s.ptr, s.len);
				memcpy(p + s.len, pad.data, pad.len);
			}
			sb_free(&pad);
			str_out(out, r)->ptr = p;
			str_out(out, r)->len = (uint32_t)n;
		}
		return NULL;
	}
	case FOP_SPLIT_PART:
		FOR_ROWS(r)
		{
			fstring s = AT(args[0], fstring, r), d = AT(args[1], fstring, r);
			int32_t field = AT(args[2], int32_t, r);
			if (field == 0) return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "field position must not be zero");
			/* split into fields; negative positions count from the end */
			int32_t nfields = 1;
			if (d.len) {
				for (uint32_t k = 0; k + d.len <= s.len;) {
					if (!memcmp(s.ptr + k, d.ptr, d.len)) {
						nfields++;
						k += d.len;
					} else {
						k++;
					}
				}
			}
			int32_t want = field > 0 ? field : nfields + field + 1;
			fstring res = {0, s.ptr};
			if (want >= 1 && want <= nfields) {
				if (!d.len) {
					res = s;
				} else {
					int32_t cur = 1;
					uint32_t begin = 0, k = 0;
					for (; k + d.len <= s.len;) {
						if (!memcmp(s.ptr + k, d.ptr, d.len)) {
							if (cur == want) break;
							cur++;
							k += d.len;
							begin = k;
						} else
							k++;
					}
					uint32_t end = cur == want && k + d.len <= s.len ? k : s.len;
					res.ptr = s.ptr + begin;
					res.len = end - begin;
				}
			}
			*str_out(out, r) = res;
		}
		return NULL;
	case FOP_DATE_PART: case FOP_EXTRACT: {
		size_t w = ftype_width(e->type);
		FOR_ROWS(r)
		{
			fstring unit = AT(args[0], fstring, r);
			int field = dt_field_index(unit.ptr, unit.len);
			if (field < 0)
				return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "unit \"%.*s\" not recognized for type %s",
				                (int)unit.len, unit.ptr, type_err_name(args[1]->type));
			int64_t ts = 0;
			finterval iv = {0, 0, 0};
			long tz_east = 0;
			if (dom == TYPE_DATE) {
				ts = (int64_t)AT(args[1], int32_t, r) * USECS_PER_DAY;
			} else if (dom == TYPE_INTERVAL) {
				iv = AT(args[1], finterval, r);
			} else if (dom == TYPE_TIMETZ) {
				ts = AT(args[1], ftimetz, r).time;
				tz_east = -(long)AT(args[1], ftimetz, r).zone;
			} else {
				ts = AT(args[1], int64_t, r);
				/* fields of a timestamptz are those of the session's local time */
				if (dom == TYPE_TIMESTAMPTZ && ts != TS_NOBEGIN && ts != TS_NOEND) {
					tz_east = sess_off_utc(ctx, ts);
					if (strcmp(dt_fields[field].name, "epoch") != 0) ts += (int64_t)tz_east * USECS_PER_SEC;
				}
			}
			i128 mant = 0;
			int scale = 6;
			double dbl = 0;
			TRY(func_datetime_field(dt_fields[field].name, dom, ts, &iv, tz_east, &mant, &scale, &dbl));
			if (op == FOP_DATE_PART) {
				((double *)out->data)[r] = dbl;
			} else if (numeric_has_value_scale(e->type)) {
				TRY(num_store_ds(e->type, mant, scale, (char *)out->data + (size_t)r * w));
			} else {
				i128 v;
				if (!num_rescale(mant, scale, e->type.scale, &v)) return numeric_overflow();
				TRY(num_store(e->type, v, (char *)out->data + (size_t)r * w));
			}
		}
		return NULL;
	}
	case FOP_DATE_TRUNC: {
		int64_t *o = out->data;
		FOR_ROWS(r)
		{
			fstring unit = AT(args[0], fstring, r);
			int64_t ts = AT(args[1], int64_t, r);
			if (dom == TYPE_TIMESTAMPTZ && ts != TS_NOBEGIN && ts != TS_NOEND) {
				/* truncate in local time, then back to UTC */
				int64_t local = ts + (int64_t)sess_off_utc(ctx, ts) * USECS_PER_SEC, t;
				TRY(trunc_ts(&unit, local, &t));
				o[r] = t - (int64_t)sess_off_local(ctx, t) * USECS_PER_SEC;
			} else {
				TRY(trunc_ts(&unit, ts, &o[r]));
			}
		}
		return NULL;
	}
	default:
		if (op >= FOP_RE_MATCH && op <= FOP_FORMAT) return func_text_eval(e, ctx, args, b, a, out);
		break;
	}
	return ferr_new(SQLSTATE_INTERNAL_ERROR, "function %s is not implemented for type %s", func_name(e->func),
	                type_err_name(ftype_make(dom)));
}
