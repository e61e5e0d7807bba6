/*
 * analyze_srf.c — set-returning functions. In FROM: generate_series over
 * integer, bigint, numeric, timestamp and timestamptz (dates resolve to
 * timestamptz, PostgreSQL's preferred type) as an LN_SERIES node; the
 * arguments naming earlier FROM items make it LATERAL (analyze_from.c); they
 * are typed PostgreSQL's way and the series' "next" expression (value +
 * step) is resolved here, so exec never switches on interval arithmetic
 * itself. In the select list (PostgreSQL's ProjectSet): each distinct call a
 * column of an LN_PROJECT_SET per nesting level, run in lockstep after the
 * aggregation and windows (below the aggregation when GROUP BY reads it);
 * information_schema._pg_expandarray's composite rows with field selection.
 * Nothing here runs a function: exec/lateral_srf.c does.
 */
#include <string.h>

#include "exec/array.h"
#include "planner/analyze_internal.h"

static bool is_untyped(ftype t) { return t.id == TYPE_UNKNOWN || t.id == TYPE_NULL; }

static void any_col_fn(int id, void *arg)
{
	(void)id;
	*(bool *)arg = true;
}

/* 42883 as PostgreSQL words it ("function unnest(integer) does not exist"):
 * the function library knows no function of that name, so its lookup
 * reports the call with the argument types. */
static ferr *no_function(const char *name, int n, expr **args, int location)
{
	ftype t[8];
	for (int i = 0; i < n && i < 8; i++) t[i] = args[i]->type;
	func_match m;
	ferr *e = func_lookup(name, n < 8 ? n : 8, t, &m);
	if (!e) e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function %s does not exist", name);
	return ferr_position(e, location + 1);
}

static ferr *no_such_function(int n, expr **args, int location)
{
	return no_function("generate_series", n, args, location);
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
	expr *args[8];
	if (n < 2 || n > 3) {
		for (int i = 0; i < n && i < 8; i++) TRY(an_expr_node(b, fc->args[i], &args[i]));
		return no_such_function(n > 8 ? 8 : n, args, loc);
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
	memcpy(s->exprs, args, sizeof(expr *) * 3);
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

/* ---- set-returning functions in the select list (PostgreSQL's ProjectSet) ---- */

enum { SRF_SERIES, SRF_UNNEST, SRF_EXPANDARRAY, SRF_SUBSCRIPTS };

/* One distinct call: fn is a childless LN_SERIES or LN_UNNEST whose first
 * nargs exprs are its arguments over the query level's columns. */
typedef struct srf_call {
	int kind;
	int nargs;
	lnode *fn;
	int level;    /* 1 + the level of the deepest call its arguments read */
	bool pre_agg; /* a GROUP BY key reads it: it runs below the aggregation */
	expr *whole;  /* _pg_expandarray's row as a value, made when asked for */
	expr *fields[2]; /* its x and n; generate_subscripts' value in fields[0] */
} srf_call;

struct an_srfset {
	int n, cap;
	srf_call *calls;
	int seen; /* calls analyzed, repeats included (the CASE/COALESCE check) */
	int last_location;
};

static const char *const expand_fields[2] = {"x", "n"};

an_srfset *an_srfset_new(actx *c) { return arena_zalloc(c->a, sizeof(an_srfset)); }

static int srf_kind(const PgQuery__FuncCall *fc)
{
	const char *n = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	const char *schema = fc->n_funcname == 2 ? an_strval(fc->funcname[0]) : NULL;
	if (!n || fc->n_funcname > 2 || (fc->n_funcname == 2 && !schema)) return -1;
	if (!strcmp(n, "_pg_expandarray"))
		return schema && !strcmp(schema, "information_schema") ? SRF_EXPANDARRAY : -1;
	if (schema && strcmp(schema, "pg_catalog") != 0) return -1;
	if (!strcmp(n, "generate_series")) return SRF_SERIES;
	if (!strcmp(n, "unnest")) return SRF_UNNEST;
	if (!strcmp(n, "generate_subscripts")) return SRF_SUBSCRIPTS;
	return -1;
}

bool an_srf_is_call(const PgQuery__FuncCall *fc) { return !fc->over && srf_kind(fc) >= 0; }

static ferr *srf_misplaced(const char *msg, const char *clause, int location)
{
	ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, msg, clause);
	return ferr_position(e, location + 1);
}

static ferr *srf_hinted(ferr *e)
{
	return ferr_hint(e, "You might be able to move the set-returning function into a LATERAL FROM item.");
}

/* Where a set-returning function may stand: the select list, ORDER BY,
 * DISTINCT ON and GROUP BY of a level that collects them, and the select
 * list of LATERAL (SELECT ...) without FROM (analyze_lateral.c). */
static ferr *srf_placement(const bctx *b, int loc)
{
	if (b->in_agg)
		return srf_hinted(srf_misplaced("aggregate function calls cannot contain set-returning "
		                                "function calls%s", "", loc));
	if (b->in_win)
		return srf_hinted(srf_misplaced("window function calls cannot contain set-returning "
		                                "function calls%s", "", loc));
	const char *cl = b->clause ? b->clause : "this context";
	bool ok = b->srf && (!strcmp(cl, "SELECT") || !strcmp(cl, "ORDER BY") ||
	                     !strcmp(cl, "DISTINCT ON") || !strcmp(cl, "GROUP BY") || !strcmp(cl, "FROM"));
	if (!ok && !strcmp(cl, "FROM"))
		return srf_misplaced("set-returning functions must appear at top level of %s", cl, loc);
	if (!ok) return srf_misplaced("set-returning functions are not allowed in %s", cl, loc);
	return NULL;
}

/* unnest(a) and _pg_expandarray(a) (its elements with their 1-based ordinality). */
static ferr *array_fn(bctx *b, const PgQuery__FuncCall *fc, int kind, lnode **out)
{
	actx *c = b->c;
	int loc = fc->location, n = (int)fc->n_args;
	const char *name = kind == SRF_UNNEST ? "unnest" : "information_schema._pg_expandarray";
	expr *args[8];
	if (n > 8) return an_unsupported("functions with more than 8 arguments", loc);
	for (int i = 0; i < n; i++) TRY(an_expr_node(b, fc->args[i], &args[i]));
	if (n != 1 || args[0]->type.id != TYPE_ARRAY) return no_function(name, n, args, loc);
	bool ord = kind == SRF_EXPANDARRAY;
	lnode *u = an_node(c, LN_UNNEST, ord ? 2 : 1);
	u->exprs = arena_zalloc(c->a, sizeof(expr *) * 2);
	u->exprs[0] = args[0];
	u->unnest_nargs = 1;
	u->unnest_ordinality = ord;
	u->cols[0] = an_col_new(c, ord ? "x" : "unnest", ftype_array_elem(args[0]->type));
	if (ord) u->cols[1] = an_col_new(c, "n", ftype_make(TYPE_INT8));
	u->est = 10; /* PostgreSQL guesses 10 elements */
	*out = u;
	return NULL;
}

static expr *int_const(actx *c, int v)
{
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
	e->value.u.i = v;
	return e;
}

/*
 * generate_subscripts(a, dim [, reverse]): arrays are one-dimensional, so
 * the subscripts are the ordinality of unnest over the array when dim is 1
 * and reverse is known (the function is strict), counted down from
 * cardinality(a) when reverse is true; *value is that integer.
 */
static ferr *subscripts_fn(bctx *b, const PgQuery__FuncCall *fc, lnode **out, expr **value)
{
	actx *c = b->c;
	int loc = fc->location, n = (int)fc->n_args;
	expr *args[8];
	if (n > 8) return an_unsupported("functions with more than 8 arguments", loc);
	for (int i = 0; i < n; i++) TRY(an_expr_node(b, fc->args[i], &args[i]));
	if (n < 2 || n > 3 || args[0]->type.id != TYPE_ARRAY) return no_function("generate_subscripts", n, args, loc);
	TRY(an_coerce(c, args[1], ftype_make(TYPE_INT4), loc, &args[1]));
	expr *conds[2], *masked = an_expr(c, EXPR_CASE, args[0]->type, 2);
	TRY(an_make_op(c, "=", args[1], int_const(c, 1), loc, &conds[0]));
	if (n == 3) {
		TRY(an_coerce(c, args[2], ftype_make(TYPE_BOOL), loc, &args[2]));
		conds[1] = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
		conds[1]->negate = true;
		conds[1]->args[0] = args[2];
	}
	masked->args[0] = an_and(c, conds, n - 1);
	masked->args[1] = args[0];
	lnode *u = an_node(c, LN_UNNEST, 2);
	u->exprs = arena_zalloc(c->a, sizeof(expr *) * 2);
	u->exprs[0] = masked;
	u->unnest_nargs = 1;
	u->unnest_ordinality = true;
	u->cols[0] = an_col_new(c, "element", ftype_array_elem(args[0]->type));
	u->cols[1] = an_col_new(c, "generate_subscripts", ftype_make(TYPE_INT8));
	u->est = 10;
	expr *sub = an_col(c, u->cols[1]);
	if (n == 3) {
		/* reverse: cardinality(a) - n + 1 */
		expr *card, *back, *e = an_expr(c, EXPR_CASE, ftype_make(TYPE_INT8), 3);
		TRY(an_func(c, "cardinality", 1, args, loc, &card));
		TRY(an_make_op(c, "-", card, sub, loc, &back));
		TRY(an_make_op(c, "+", back, int_const(c, 1), loc, &e->args[1]));
		TRY(an_coerce(c, e->args[1], ftype_make(TYPE_INT8), loc, &e->args[1]));
		e->args[0] = args[2];
		e->args[2] = sub;
		e->has_else = true;
		sub = e;
	}
	*out = u;
	return an_coerce(c, sub, ftype_make(TYPE_INT4), loc, value);
}

typedef struct level_ctx {
	const an_srfset *s;
	int level;
} level_ctx;

static int call_of(const an_srfset *s, int id)
{
	for (int k = 0; k < s->n; k++)
		for (int i = 0; i < s->calls[k].fn->ncols; i++)
			if (s->calls[k].fn->cols[i] == id) return k;
	return -1;
}

static void level_fn(int id, void *arg)
{
	level_ctx *l = arg;
	int k = call_of(l->s, id);
	if (k >= 0 && l->s->calls[k].level >= l->level) l->level = l->s->calls[k].level + 1;
}

/* _pg_expandarray's row as one value: PostgreSQL prints a record "(x,n)". */
static ferr *expand_whole(actx *c, srf_call *k, expr **out)
{
	if (k->whole) {
		*out = k->whole;
		return NULL;
	}
	ftype text = ftype_make(TYPE_TEXT);
	expr *parts[5];
	for (int i = 0; i < 2; i++) {
		expr *v = an_expr(c, EXPR_COALESCE, text, 2);
		TRY(an_coerce(c, k->fields[i], text, -1, &v->args[0]));
		v->args[1] = an_expr(c, EXPR_CONST, text, 0);
		v->args[1]->value.u.s = (fstring){0, ""};
		parts[2 * i + 1] = v;
	}
	const char *lit[3] = {"(", ",", ")"};
	for (int i = 0; i < 3; i++) {
		parts[2 * i] = an_expr(c, EXPR_CONST, text, 0);
		parts[2 * i]->value.u.s = (fstring){1, lit[i]};
	}
	expr *e = parts[0];
	for (int i = 1; i < 5; i++) TRY(an_make_op(c, "||", e, parts[i], -1, &e));
	k->whole = e;
	*out = e;
	return NULL;
}

/* The value of call k (field selected when field is set). */
static ferr *call_value(actx *c, srf_call *k, const char *field, int field_loc, expr **out)
{
	if (k->kind != SRF_EXPANDARRAY) {
		expr *v = k->kind == SRF_SUBSCRIPTS ? k->fields[0] : an_col(c, k->fn->cols[0]);
		if (!field) {
			*out = v;
			return NULL;
		}
		strbuf sb = STRBUF_INIT;
		ftype_format(v->type, &sb);
		ferr *e = ferr_new(SQLSTATE_WRONG_OBJECT_TYPE,
		                   "column notation .%s applied to type %s, which is not a composite type",
		                   field, sb.data ? sb.data : "?");
		sb_free(&sb);
		return ferr_position(e, field_loc + 1);
	}
	if (!k->fields[0]) {
		k->fields[0] = an_col(c, k->fn->cols[0]);
		TRY(an_coerce(c, an_col(c, k->fn->cols[1]), ftype_make(TYPE_INT4), -1, &k->fields[1]));
	}
	if (!field) return expand_whole(c, k, out);
	for (int i = 0; i < 2; i++)
		if (!strcmp(field, expand_fields[i])) {
			*out = k->fields[i];
			return NULL;
		}
	return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
	                              "could not identify column \"%s\" in record data type", field),
	                     field_loc + 1);
}

/*
 * A set-returning function in the select list: analyzed once per distinct
 * call (a repeated call, such as pgjdbc's (_pg_expandarray(k)).n beside
 * _pg_expandarray(k), is the same instance, so its fields come from one
 * row), its value a column the LN_PROJECT_SET of an_srf_plan produces.
 */
ferr *an_srf_call(bctx *b, const PgQuery__FuncCall *fc, const char *field, int field_loc, expr **out)
{
	actx *c = b->c;
	int loc = fc->location;
	TRY(srf_placement(b, loc));
	if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter || fc->agg_within_group ||
	    fc->func_variadic)
		return an_unsupported("this form of a set-returning function call", loc);
	int kind = srf_kind(fc);
	lnode *fn;
	expr *subscript = NULL;
	if (kind == SRF_SERIES)
		TRY(an_series(b, fc, &fn));
	else if (kind == SRF_SUBSCRIPTS)
		TRY(subscripts_fn(b, fc, &fn, &subscript));
	else
		TRY(array_fn(b, fc, kind, &fn));
	int nargs = kind == SRF_SERIES ? 3 : 1;
	an_srfset *s = b->srf;
	s->seen++;
	s->last_location = loc;
	for (int k = 0; k < s->n; k++) {
		srf_call *o = &s->calls[k];
		bool same = o->kind == kind;
		for (int i = 0; same && i < nargs; i++) same = an_expr_equal(o->fn->exprs[i], fn->exprs[i]);
		if (same) return call_value(c, o, field, field_loc, out);
	}
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 8;
		s->calls = arena_realloc(c->a, s->calls, sizeof(srf_call) * (size_t)s->cap,
		                         sizeof(srf_call) * (size_t)cap);
		s->cap = cap;
	}
	level_ctx l = {s, 1};
	for (int i = 0; i < nargs; i++) an_expr_cols(fn->exprs[i], level_fn, &l);
	srf_call *k = &s->calls[s->n++];
	*k = (srf_call){.kind = kind, .nargs = nargs, .fn = fn, .level = l.level, .fields = {subscript}};
	return call_value(c, k, field, field_loc, out);
}

/* (f(args)).field, and (rel.col).field over a composite column of a FROM subquery. */
ferr *an_srf_field(bctx *b, const PgQuery__AIndirection *in, expr **out)
{
	actx *c = b->c;
	const char *field = an_strval(in->indirection[0]);
	int loc = an_node_location(in->arg);
	if (in->n_indirection != 1) return an_unsupported("field selection from composite values", loc);
	if (in->arg->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && an_srf_is_call(in->arg->func_call))
		return an_srf_call(b, in->arg->func_call, field, loc, out);
	expr *base;
	TRY(an_expr_node(b, in->arg, &base));
	const plan_colinfo *ci = base->kind == EXPR_COLUMN ? &c->q->colinfo[base->column] : NULL;
	if (!ci || !ci->nfields) return an_unsupported("field selection from composite values", loc);
	for (int i = 0; i < ci->nfields; i++)
		if (!strcmp(ci->field_names[i], field)) {
			*out = an_col(c, ci->field_ids[i]);
			return NULL;
		}
	return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
	                              "could not identify column \"%s\" in record data type", field),
	                     loc + 1);
}

/* The fields of a composite value of the select list (NULL names: not one). */
int an_srf_fields(bctx *b, const expr *e, expr ***fields, const char *const **names)
{
	actx *c = b->c;
	if (e->kind == EXPR_COLUMN && c->q->colinfo[e->column].nfields) {
		const plan_colinfo *ci = &c->q->colinfo[e->column];
		*fields = arena_zalloc(c->a, sizeof(expr *) * (size_t)ci->nfields);
		for (int i = 0; i < ci->nfields; i++) (*fields)[i] = an_col(c, ci->field_ids[i]);
		*names = ci->field_names;
		return ci->nfields;
	}
	for (int k = 0; b->srf && k < b->srf->n; k++)
		if (b->srf->calls[k].whole == e) {
			*fields = b->srf->calls[k].fields;
			*names = expand_fields;
			return 2;
		}
	return 0;
}

/* (f(args)).* and (rel.col).*: every field, in order. */
ferr *an_srf_star(bctx *b, const PgQuery__AIndirection *in, int *n, expr ***fields,
                  const char *const **names)
{
	int loc = an_node_location(in->arg);
	expr *whole;
	if (in->n_indirection != 1) return an_unsupported("field selection from composite values", loc);
	if (in->arg->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && an_srf_is_call(in->arg->func_call))
		TRY(an_srf_call(b, in->arg->func_call, NULL, loc, &whole));
	else
		TRY(an_expr_node(b, in->arg, &whole));
	*n = an_srf_fields(b, whole, fields, names);
	if (*n) return NULL;
	strbuf sb = STRBUF_INIT;
	ftype_format(whole->type, &sb);
	ferr *e = ferr_new(SQLSTATE_WRONG_OBJECT_TYPE,
	                   "column notation .* applied to type %s, which is not a composite type",
	                   sb.data ? sb.data : "?");
	sb_free(&sb);
	return ferr_position(e, loc + 1);
}

/* Output column id of a subquery's composite target: its fields are ids[0..n). */
void an_srf_composite(actx *c, int id, int n, const char *const *names, const int *ids)
{
	plan_colinfo *ci = &c->q->colinfo[id];
	ci->nfields = n;
	ci->field_names = names;
	ci->field_ids = ids;
}

int an_srf_seen(const bctx *b) { return b->srf ? b->srf->seen : 0; }

/* PostgreSQL refuses a set-returning function inside CASE and COALESCE (0A000). */
ferr *an_srf_none_since(const bctx *b, int seen, const char *construct)
{
	if (!b->srf || b->srf->seen == seen) return NULL;
	return srf_hinted(srf_misplaced("set-returning functions are not allowed in %s", construct,
	                                b->srf->last_location));
}

bool an_srf_is_out(const an_srfset *s, int id)
{
	if (!s) return false;
	int k = call_of(s, id);
	return k >= 0 && !s->calls[k].pre_agg;
}

static void mark_pre_agg(an_srfset *s, int k);

static void pre_agg_fn(int id, void *arg)
{
	an_srfset *s = arg;
	int k = call_of(s, id);
	if (k >= 0 && !s->calls[k].pre_agg) mark_pre_agg(s, k);
}

static void mark_pre_agg(an_srfset *s, int k)
{
	s->calls[k].pre_agg = true;
	for (int i = 0; i < s->calls[k].nargs; i++) an_expr_cols(s->calls[k].fn->exprs[i], pre_agg_fn, s);
}

/* GROUP BY keys that read a set-returning function: it runs below the aggregation. */
void an_srf_group(an_srfset *s, expr *const *groups, int n)
{
	for (int i = 0; s && i < n; i++) an_expr_cols(groups[i], pre_agg_fn, s);
}

/* Above GROUP BY the arguments read group keys and aggregate results. */
void an_srf_rewrite(an_srfset *s, expr *(*fn)(void *arg, expr *e), void *arg)
{
	for (int k = 0; s && k < s->n; k++)
		if (!s->calls[k].pre_agg)
			for (int i = 0; i < s->calls[k].nargs; i++) s->calls[k].fn->exprs[i] = fn(arg, s->calls[k].fn->exprs[i]);
}

typedef struct avail_ctx {
	const lnode *plan;
	const an_srfset *s;
	int level;
	bool missing;
} avail_ctx;

static void avail_fn(int id, void *arg)
{
	avail_ctx *a = arg;
	for (int i = 0; i < a->plan->ncols; i++)
		if (a->plan->cols[i] == id) return;
	a->missing = true;
}

/*
 * The calls of one phase (below the aggregation, or above it and the
 * windows) as LN_PROJECT_SET nodes over *plan, one per nesting level
 * (generate_series(1, generate_series(1, 3)) runs the inner call first), the
 * calls of a level in lockstep: PostgreSQL 10's ProjectSet.
 */
ferr *an_srf_plan(actx *c, an_srfset *s, bool pre_agg, int min_id, lnode **plan)
{
	int maxlevel = 0;
	for (int k = 0; s && k < s->n; k++)
		if (s->calls[k].pre_agg == pre_agg && s->calls[k].level > maxlevel) maxlevel = s->calls[k].level;
	for (int level = 1; level <= maxlevel; level++) {
		int nf = 0, nout = 0;
		lnode **fns = arena_zalloc(c->a, sizeof(lnode *) * (size_t)(s->n + 1));
		for (int k = 0; k < s->n; k++) {
			srf_call *call = &s->calls[k];
			if (call->pre_agg != pre_agg || call->level != level) continue;
			for (int i = 0; i < call->nargs; i++) {
				if (an_refs_below(call->fn->exprs[i], min_id))
					return an_unsupported("set-returning functions over columns of an outer query", -1);
				avail_ctx a = {*plan, s, level, false};
				an_expr_cols(call->fn->exprs[i], avail_fn, &a);
				if (a.missing)
					return ferr_new(SQLSTATE_GROUPING_ERROR,
					                "aggregate functions are not allowed in GROUP BY");
			}
			fns[nf++] = call->fn;
			nout += call->fn->ncols;
		}
		if (!nf) continue;
		lnode *child = *plan;
		lnode *p = an_node(c, LN_PROJECT_SET, child->ncols + nout);
		memcpy(p->cols, child->cols, sizeof(int) * (size_t)child->ncols);
		int at = child->ncols;
		double most = 1;
		for (int f = 0; f < nf; f++) {
			memcpy(p->cols + at, fns[f]->cols, sizeof(int) * (size_t)fns[f]->ncols);
			at += fns[f]->ncols;
			if (fns[f]->est > most) most = fns[f]->est;
		}
		p->nchildren = 1;
		p->children = arena_zalloc(c->a, sizeof(lnode *));
		p->children[0] = child;
		p->nsrfs = nf;
		p->srfs = fns;
		p->est = child->est >= 0 ? child->est * most : -1;
		*plan = p;
	}
	return NULL;
}

static bool srf_in(const pqnode *n, bool *general);

static bool srf_in_list(pqnode *const *l, size_t n, bool *general)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) any |= srf_in(l[i], general);
	return any;
}

/* Whether n holds a set-returning call; *general when one is not a plain unnest(x). */
static bool srf_in(const pqnode *n, bool *general)
{
	if (!n) return false;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *fc = n->func_call;
		bool here = an_srf_is_call(fc);
		if (here && (srf_kind(fc) != SRF_UNNEST || fc->n_args != 1)) *general = true;
		bool inner = srf_in_list(fc->args, fc->n_args, general);
		if (here && inner) *general = true;
		return here || inner;
	}
	case PG_QUERY__NODE__NODE_A_EXPR: {
		/* both sides: each may mark *general */
		bool l = srf_in(n->a_expr->lexpr, general);
		bool r = srf_in(n->a_expr->rexpr, general);
		return l || r;
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST: return srf_in(n->type_cast->arg, general);
	case PG_QUERY__NODE__NODE_A_INDIRECTION:
		*general |= srf_in(n->a_indirection->arg, general);
		return false;
	/* an_srf_select rewrites unnest(x) under operators, casts and calls only */
	case PG_QUERY__NODE__NODE_BOOL_EXPR:
		*general |= srf_in_list(n->bool_expr->args, n->bool_expr->n_args, general);
		return false;
	case PG_QUERY__NODE__NODE_NULL_TEST: *general |= srf_in(n->null_test->arg, general); return false;
	case PG_QUERY__NODE__NODE_COALESCE_EXPR:
		*general |= srf_in_list(n->coalesce_expr->args, n->coalesce_expr->n_args, general);
		return false;
	case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
		*general |= srf_in_list(n->min_max_expr->args, n->min_max_expr->n_args, general);
		return false;
	default: return false;
	}
}

/*
 * Whether a select list needs the general path: a set-returning call other
 * than unnest(x), unnest(x) nested in another or under an expression
 * an_srf_select does not rewrite. Plain unnest(x) lists keep the faster
 * rewrite into a multi-argument unnest in FROM (analyze_array.c).
 */
bool an_srf_general(const PgQuery__SelectStmt *st)
{
	bool general = false;
	for (size_t i = 0; i < st->n_target_list; i++) {
		const pqnode *t = st->target_list[i];
		if (t->node_case == PG_QUERY__NODE__NODE_RES_TARGET) srf_in(t->res_target->val, &general);
	}
	for (size_t i = 0; i < st->n_sort_clause; i++)
		if (st->sort_clause[i]->node_case == PG_QUERY__NODE__NODE_SORT_BY)
			general |= srf_in(st->sort_clause[i]->sort_by->node, &general);
	for (size_t i = 0; i < st->n_group_clause; i++) general |= srf_in(st->group_clause[i], &general);
	return general;
}

/* information_schema._pg_expandarray(a) as a FROM item of the level's list. */
bool an_srf_is_from_item(const pqnode *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_RANGE_FUNCTION) return false;
	const PgQuery__RangeFunction *rf = n->range_function;
	if (rf->ordinality || rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist) return false;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST && item->list->n_items >= 1) item = item->list->items[0];
	return item->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && !item->func_call->over &&
	       srf_kind(item->func_call) == SRF_EXPANDARRAY;
}

/*
 * FROM information_schema._pg_expandarray(a) [alias[(x, n)]]: the select-list
 * machinery over one row, or, when a names earlier items (implicitly
 * LATERAL), over each row of their join; columns x (the element) and n
 * (integer, from 1).
 */
ferr *an_srf_from_item(bctx *b, const pqnode *n, jset *js)
{
	actx *c = b->c;
	const PgQuery__RangeFunction *rf = n->range_function;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST) item = item->list->items[0];
	const PgQuery__FuncCall *fc = item->func_call;
	lnode *fn;
	TRY(array_fn(b, fc, SRF_EXPANDARRAY, &fn));
	if (an_refs_below(fn->exprs[0], b->sc->min_id))
		return an_unsupported("functions in FROM referencing an outer query level", fc->location);
	bool cols = false;
	an_expr_cols(fn->exprs[0], any_col_fn, &cols);
	lnode *child;
	if (cols) {
		if (js->n == 0)
			return an_unsupported("functions in FROM referencing items other than earlier ones of a "
			                      "comma list or inner join",
			                      fc->location);
		TRY(an_compile_jset(c, js, &child));
		memset(js, 0, sizeof *js);
	} else {
		child = an_node(c, LN_VALUES, 0);
		child->nrows = 1;
		child->rows = arena_zalloc(c->a, sizeof(expr **));
		child->rows[0] = arena_zalloc(c->a, sizeof(expr *));
		child->est = 1;
	}
	lnode *set = an_node(c, LN_PROJECT_SET, child->ncols + 2);
	memcpy(set->cols, child->cols, sizeof(int) * (size_t)child->ncols);
	memcpy(set->cols + child->ncols, fn->cols, sizeof(int) * 2);
	set->nchildren = 1;
	set->children = arena_zalloc(c->a, sizeof(lnode *));
	set->children[0] = child;
	set->nsrfs = 1;
	set->srfs = arena_zalloc(c->a, sizeof(lnode *));
	set->srfs[0] = fn;
	set->est = child->est >= 0 ? child->est * fn->est : -1;
	/* n is integer, as PostgreSQL declares it: the ordinality cast */
	rte *r = arena_zalloc(c->a, sizeof(rte));
	const PgQuery__Alias *al = rf->alias;
	r->alias = arena_strdup(c->a, al && al->aliasname ? al->aliasname : "_pg_expandarray");
	r->ncols = 2;
	r->names = arena_zalloc(c->a, sizeof(char *) * 2);
	r->ids = arena_zalloc(c->a, sizeof(int) * 2);
	if (al && al->n_colnames > 2)
		return ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
		                "table \"%s\" has 2 columns available but %d columns specified", r->alias,
		                (int)al->n_colnames);
	for (int i = 0; i < 2; i++) {
		const char *nm = al && i < (int)al->n_colnames ? an_strval(al->colnames[i]) : NULL;
		r->names[i] = arena_strdup(c->a, nm ? nm : expand_fields[i]);
	}
	lnode *p = an_node(c, LN_PROJECT, set->ncols);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = set;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(set->ncols + 1));
	for (int i = 0; i < set->ncols; i++) p->exprs[i] = an_col(c, set->cols[i]);
	TRY(an_coerce(c, p->exprs[set->ncols - 1], ftype_make(TYPE_INT4), -1, &p->exprs[set->ncols - 1]));
	memcpy(p->cols, set->cols, sizeof(int) * (size_t)set->ncols);
	p->cols[set->ncols - 1] = an_col_new(c, r->names[1], ftype_make(TYPE_INT4));
	p->est = set->est;
	r->ids[0] = p->cols[set->ncols - 2];
	r->ids[1] = p->cols[set->ncols - 1];
	c->q->colinfo[r->ids[0]].name = r->names[0];
	scope_add(c, b->sc, r);
	an_jset_add(c, js, p);
	return NULL;
}
