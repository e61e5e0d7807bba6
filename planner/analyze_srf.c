/*
 * analyze_srf.c — set-returning functions in FROM: generate_series over
 * integer, bigint, numeric, timestamp and timestamptz (dates resolve to
 * timestamptz, PostgreSQL's preferred type) as an LN_SERIES node. The
 * arguments naming earlier FROM items make it LATERAL (analyze_from.c); they are
 * typed PostgreSQL's way and the series' "next" expression (value + step)
 * is resolved here, so exec never switches on interval arithmetic itself.
 */
#include <string.h>

#include "planner/analyze_internal.h"

static bool is_untyped(ftype t) { return t.id == TYPE_UNKNOWN || t.id == TYPE_NULL; }

static void any_col_fn(int id, void *arg)
{
	(void)id;
	*(bool *)arg = true;
}

static ferr *no_such_function(int n, expr **args, int location)
{
	strbuf sb;
	sb_init(&sb);
	for (int i = 0; i < n; i++) {
		if (i) sb_puts(&sb, ", ");
		if (is_untyped(args[i]->type))
			sb_puts(&sb, "unknown");
		else
			ftype_format(args[i]->type, &sb);
	}
	ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function generate_series(%s) does not exist",
	                   sb.data ? sb.data : "");
	sb_free(&sb);
	ferr_hint(e, "No function matches the given name and argument types. You might need to add "
	             "explicit type casts.");
	return ferr_position(e, location + 1);
}

/* The series' element type from its arguments, or 42883. */
static ferr *series_type(int n, expr **args, int location, ftype *out)
{
	bool ts = false, tstz = false, date = false, num = false, i8 = false;
	int scale = 0;
	for (int i = 0; i < 2; i++) {
		ftype t = args[i]->type;
		switch (t.id) {
		case TYPE_TIMESTAMP: ts = true; break;
		case TYPE_TIMESTAMPTZ: tstz = true; break;
		case TYPE_DATE: date = true; break;
		case TYPE_NUMERIC: num = true; scale = t.scale > scale ? t.scale : scale; break;
		case TYPE_INT8: i8 = true; break;
		case TYPE_INT2: case TYPE_INT4: case TYPE_UNKNOWN: case TYPE_NULL: break;
		default: return no_such_function(n, args, location);
		}
	}
	if (ts || tstz || date) {
		if (num || i8 || n != 3) return no_such_function(n, args, location);
		ftype st = args[2]->type;
		if (!is_untyped(st) && st.id != TYPE_INTERVAL) return no_such_function(n, args, location);
		*out = ftype_make(tstz || !ts ? TYPE_TIMESTAMPTZ : TYPE_TIMESTAMP);
		return NULL;
	}
	if (n == 3) {
		ftype t = args[2]->type;
		if (t.id == TYPE_NUMERIC) num = true, scale = t.scale > scale ? t.scale : scale;
		else if (t.id == TYPE_INT8) i8 = true;
		else if (t.id != TYPE_INT2 && t.id != TYPE_INT4 && !is_untyped(t))
			return no_such_function(n, args, location);
	}
	*out = num ? ftype_numeric(0, scale) : ftype_make(i8 ? TYPE_INT8 : TYPE_INT4);
	return NULL;
}

ferr *an_series(bctx *b, const PgQuery__FuncCall *fc, lnode **out)
{
	actx *c = b->c;
	int loc = fc->location;
	int n = (int)fc->n_args;
	if (fc->agg_star || fc->agg_distinct || fc->over || fc->n_agg_order || fc->agg_filter)
		return an_unsupported("this form of generate_series", loc);
	expr *args[3];
	if (n < 2 || n > 3) {
		for (int i = 0; i < n && i < 3; i++) TRY(an_expr_node(b, fc->args[i], &args[i]));
		return no_such_function(n > 3 ? 3 : n, args, loc);
	}
	bool cols = false;
	for (int i = 0; i < n; i++) {
		TRY(an_expr_node(b, fc->args[i], &args[i]));
		an_expr_cols(args[i], any_col_fn, &cols);
	}
	ftype t;
	TRY(series_type(n, args, loc, &t));
	bool is_ts = t.id == TYPE_TIMESTAMP || t.id == TYPE_TIMESTAMPTZ;
	ftype step_t = is_ts ? ftype_make(TYPE_INTERVAL) : t;
	if (n == 2) {
		expr *one = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
		one->value.u.i = 1;
		args[2] = one;
	}
	for (int i = 0; i < 3; i++) TRY(an_coerce(c, args[i], i == 2 ? step_t : t, loc, &args[i]));
	lnode *s = an_node(c, LN_SERIES, 1);
	s->exprs = arena_zalloc(c->a, sizeof(expr *) * 4);
	memcpy(s->exprs, args, sizeof args);
	if (t.id != TYPE_INT4 && t.id != TYPE_INT8) {
		/* value + step over the operator's one-column batch (position 0) */
		expr *cur = an_expr(c, EXPR_COLUMN, t, 0);
		cur->column = 0;
		cur->name = "generate_series";
		expr *nx;
		TRY(an_make_op(c, "+", cur, args[2], loc, &nx));
		TRY(an_coerce(c, nx, t, loc, &s->exprs[3]));
	}
	s->cols[0] = an_col_new(c, "generate_series", t);
	s->est = 1000; /* PostgreSQL's guess for a function's rows */
	if (!is_ts && t.id != TYPE_NUMERIC && args[0]->kind == EXPR_CONST &&
	    args[1]->kind == EXPR_CONST && args[2]->kind == EXPR_CONST && !args[0]->value.isnull &&
	    !args[1]->value.isnull && !args[2]->value.isnull && args[2]->value.u.i != 0) {
		double rows = ((double)args[1]->value.u.i - (double)args[0]->value.u.i) /
		                  (double)args[2]->value.u.i + 1;
		s->est = rows > 0 ? rows : 0;
	}
	if (cols) s->est = 10; /* per row of the items it names (LATERAL: analyze_from.c) */
	*out = s;
	return NULL;
}
