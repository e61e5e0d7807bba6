/*
 * analyze_expr.c — parse-tree expressions to bound, typed exec expressions:
 * name resolution, PostgreSQL's literal typing and implicit coercions,
 * function and operator resolution through func_lookup_ex, constant
 * folding, aggregates (collected into the query level's aggset) and
 * subqueries (turned into pending joins). Never aborts on user input.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/pgcatalog/pgcatalog.h"
#include "exec/array.h"
#include "exec/functions_catalog.h"
#include "exec/functions_datetime.h"
#include "planner/analyze_internal.h"

/* ---- small helpers ---- */

ferr *an_unsupported(const char *feature, int location)
{
	ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "%s is not supported yet", feature);
	return location >= 0 ? ferr_position(e, location + 1) : e;
}

ferr *an_at(ferr *e, int location)
{
	if (e && e->position <= 0 && location >= 0) ferr_position(e, location + 1);
	return e;
}

const char *an_strval(const pqnode *n)
{
	return (n && n->node_case == PG_QUERY__NODE__NODE_STRING) ? n->string->sval : NULL;
}

int an_col_new(actx *c, const char *name, ftype t)
{
	plan_query *q = c->q;
	if (q->ncolinfo == q->capcolinfo) {
		int cap = q->capcolinfo ? q->capcolinfo * 2 : 64;
		q->colinfo = arena_realloc(c->a, q->colinfo, sizeof(plan_colinfo) * (size_t)q->capcolinfo,
		                           sizeof(plan_colinfo) * (size_t)cap);
		q->capcolinfo = cap;
	}
	q->colinfo[q->ncolinfo] = (plan_colinfo){name ? name : "?column?", t};
	return q->ncolinfo++;
}

expr *an_expr(actx *c, expr_kind k, ftype t, int nargs)
{
	expr *e = arena_zalloc(c->a, sizeof(expr));
	e->kind = k;
	e->type = t;
	e->nargs = nargs;
	if (nargs) e->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)nargs);
	return e;
}

expr *an_col(actx *c, int id)
{
	expr *e = an_expr(c, EXPR_COLUMN, c->q->colinfo[id].type, 0);
	e->column = id;
	e->name = c->q->colinfo[id].name;
	return e;
}

expr *an_bool_const(actx *c, bool v)
{
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_BOOL), 0);
	e->value.u.b = v;
	return e;
}

static bool fvalue_equal(ftype t, const fvalue *a, const fvalue *b)
{
	if (a->isnull || b->isnull) return a->isnull == b->isnull;
	if (t.id == TYPE_UNKNOWN || t.id == TYPE_NULL)
		return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	return value_compare(t, fvalue_ptr(t, a), fvalue_ptr(t, b)) == 0;
}

bool an_expr_equal(const expr *x, const expr *y)
{
	if (x == y) return true;
	if (!x || !y) return false;
	if (x->kind != y->kind || !ftype_equal(x->type, y->type) || x->nargs != y->nargs ||
	    x->negate != y->negate || x->has_else != y->has_else ||
	    x->case_insensitive != y->case_insensitive)
		return false;
	switch (x->kind) {
	case EXPR_CONST: if (!fvalue_equal(x->type, &x->value, &y->value)) return false; break;
	case EXPR_COLUMN: if (x->column != y->column) return false; break;
	case EXPR_PARAM: if (x->param != y->param) return false; break;
	case EXPR_FUNC: if (x->func != y->func) return false; break;
	default: break;
	}
	for (int i = 0; i < x->nargs; i++)
		if (!an_expr_equal(x->args[i], y->args[i])) return false;
	return true;
}

void an_expr_cols(const expr *e, void (*fn)(int id, void *arg), void *arg)
{
	if (!e) return;
	if (e->kind == EXPR_COLUMN) fn(e->column, arg);
	for (int i = 0; i < e->nargs; i++) an_expr_cols(e->args[i], fn, arg);
}

static void below_fn(int id, void *arg)
{
	int *p = arg;
	if (id < p[0]) p[1] = 1;
}

bool an_refs_below(const expr *e, int min_id)
{
	int st[2] = {min_id, 0};
	an_expr_cols(e, below_fn, st);
	return st[1] != 0;
}

expr *an_and(actx *c, expr **conj, int n)
{
	if (n == 0) return NULL;
	if (n == 1) return conj[0];
	expr *e = an_expr(c, EXPR_AND, ftype_make(TYPE_BOOL), n);
	memcpy(e->args, conj, sizeof(expr *) * (size_t)n);
	return e;
}

void an_conjuncts(actx *c, expr *e, expr ***list, int *n, int *cap)
{
	if (!e) return;
	if (e->kind == EXPR_AND) {
		for (int i = 0; i < e->nargs; i++) an_conjuncts(c, e->args[i], list, n, cap);
		return;
	}
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 8;
		*list = arena_realloc(c->a, *list, sizeof(expr *) * (size_t)*cap, sizeof(expr *) * (size_t)nc);
		*cap = nc;
	}
	(*list)[(*n)++] = e;
}

/* Rough selectivity of one predicate, for join order and EXPLAIN estimates. */
double an_selectivity(const expr *e)
{
	switch (e->kind) {
	case EXPR_FUNC: {
		const char *n = func_name(e->func);
		if (!strcmp(n, "=")) return 0.1;
		if (!strcmp(n, "<>")) return 0.9;
		if (!strcmp(n, "<") || !strcmp(n, "<=") || !strcmp(n, ">") || !strcmp(n, ">="))
			return 0.33;
		return 0.5;
	}
	case EXPR_BETWEEN: return e->negate ? 0.75 : 0.25;
	case EXPR_LIKE: return e->negate ? 0.75 : 0.25;
	case EXPR_IN: {
		double s = 0.1 * (e->nargs - 1);
		if (s > 0.5) s = 0.5;
		return e->negate ? 1 - s : s;
	}
	case EXPR_IS_NULL: return e->negate ? 0.95 : 0.05;
	case EXPR_AND: {
		double s = 1;
		for (int i = 0; i < e->nargs; i++) s *= an_selectivity(e->args[i]);
		return s;
	}
	case EXPR_OR: {
		double s = 0;
		for (int i = 0; i < e->nargs; i++) s += an_selectivity(e->args[i]);
		return s > 1 ? 1 : s;
	}
	case EXPR_NOT: return 1 - an_selectivity(e->args[0]);
	default: return 0.5;
	}
}

/* ---- types and coercion ---- */

static bool is_untyped(ftype t) { return t.id == TYPE_UNKNOWN || t.id == TYPE_NULL; }

static void type_name_of(ftype t, char *buf, size_t n)
{
	strbuf sb;
	sb_init(&sb);
	ftype_format(t, &sb);
	snprintf(buf, n, "%s", sb.data ? sb.data : "?");
	sb_free(&sb);
}

/* Fold e (no column references) to a constant; leaves e as is when evaluation fails. */
static expr *fold(actx *c, expr *e)
{
	fvalue v;
	ferr *err = expr_eval_const(e, &c->ectx, c->a, &v);
	if (err) {
		ferr_free(err); /* reported at run time, as PostgreSQL would for the row */
		return e;
	}
	expr *k = an_expr(c, EXPR_CONST, e->type, 0);
	k->value = v;
	/* strings must outlive the folding arena: expr_eval_const allocated them in c->a */
	return k;
}

static bool is_const_tree(const expr *e)
{
	if (e->kind == EXPR_COLUMN || e->kind == EXPR_PARAM) return false;
	if (e->kind == EXPR_FUNC && func_datetime_volatile(e->func)) return false;
	if (e->kind == EXPR_FUNC && func_catalog_is_volatile(e->func)) return false;
	for (int i = 0; i < e->nargs; i++)
		if (!is_const_tree(e->args[i])) return false;
	return true;
}

/* Cast e to t (explicit or implicit): literals and constants fold. */
static ferr *cast_to(actx *c, expr *e, ftype t, int location, expr **out)
{
	if (ftype_equal(e->type, t)) {
		*out = e;
		return NULL;
	}
	if (e->kind == EXPR_PARAM && e->type.id == TYPE_UNKNOWN) {
		/* an untyped parameter takes the type its context wants */
		c->ptypes[e->param - 1] = t;
		e->type = t;
		*out = e;
		return NULL;
	}
	if (e->kind == EXPR_CONST && e->value.isnull) {
		expr *k = an_expr(c, EXPR_CONST, t, 0);
		k->value.isnull = true;
		*out = k;
		return NULL;
	}
	expr *src = e;
	if (e->type.id == TYPE_UNKNOWN) {
		src = an_expr(c, EXPR_CONST, ftype_make(TYPE_TEXT), 0);
		src->value = e->value;
	}
	expr *x = an_expr(c, EXPR_CAST, t, 1);
	x->args[0] = src;
	if (src->kind == EXPR_CONST) {
		fvalue v;
		ferr *err = expr_eval_const(x, &c->ectx, c->a, &v);
		if (err) return an_at(err, location);
		expr *k = an_expr(c, EXPR_CONST, t, 0);
		k->value = v;
		*out = k;
		return NULL;
	}
	*out = x;
	return NULL;
}

/* Implicit coercion: what PostgreSQL applies without being asked. */
ferr *an_coerce(actx *c, expr *e, ftype t, int location, expr **out)
{
	if (ftype_equal(e->type, t) || t.id == TYPE_NULL || t.id == TYPE_UNKNOWN) {
		*out = e;
		return NULL;
	}
	return cast_to(c, e, t, location, out);
}

/*
 * PostgreSQL's select_common_type for CASE, COALESCE, IN, UNION: unknown
 * literals follow the others, all-unknown is text; numbers widen; other
 * pairs must resolve through "=" or it is 42804.
 */
ferr *an_common_type(const char *what, int n, expr **es, int location, ftype *out)
{
	ftype t = ftype_make(TYPE_UNKNOWN);
	for (int i = 0; i < n; i++) {
		ftype u = es[i]->type;
		if (is_untyped(u)) continue;
		if (is_untyped(t)) {
			t = u;
			continue;
		}
		if (ftype_equal(t, u)) continue;
		if (t.id == u.id && (t.id == TYPE_VARCHAR || t.id == TYPE_BPCHAR)) {
			t.length = -1;
			continue;
		}
		ftype pair[2] = {t, u};
		func_match m;
		ferr *e = func_lookup("=", 2, pair, &m);
		if (e) {
			ferr_free(e);
			char a[64], b[64];
			type_name_of(t, a, sizeof a);
			type_name_of(u, b, sizeof b);
			return an_at(ferr_new(SQLSTATE_DATATYPE_MISMATCH, "%s types %s and %s cannot be matched",
			                      what, a, b),
			             location);
		}
		t = m.arg_types[0];
		if (t.id == TYPE_NUMERIC && (pair[0].id != TYPE_NUMERIC || pair[1].id != TYPE_NUMERIC)) {
			/* integer with numeric: keep the numeric's scale, widen its digits */
			ftype nu = pair[0].id == TYPE_NUMERIC ? pair[0] : pair[1];
			t = nu.precision > 0 && nu.precision - nu.scale < 19
			        ? ftype_numeric(19 + nu.scale > 38 ? 38 : 19 + nu.scale, nu.scale)
			        : nu;
		}
	}
	if (is_untyped(t)) t = ftype_make(TYPE_TEXT);
	*out = t;
	return NULL;
}

/* name(args) or an operator: resolve, cast arguments, fold constants. */
static ferr *make_func(actx *c, const char *name, int nargs, expr **args, int location,
                       expr **out)
{
	if (nargs > 8) return an_unsupported("functions with more than 8 arguments", location);
	ftype types[8];
	const fvalue *consts[8];
	for (int i = 0; i < nargs; i++) {
		types[i] = args[i]->type;
		consts[i] = args[i]->kind == EXPR_CONST ? &args[i]->value : NULL;
	}
	func_match m;
	TRY(an_search_arg_check(name, nargs, args, location));
	ferr *err = func_lookup_ex(name, nargs, types, consts, &m);
	if (err) return an_at(err, location);
	expr *e = an_expr(c, EXPR_FUNC, m.result, nargs);
	e->func = m.func;
	e->name = func_name(m.func);
	bool all_const = true;
	for (int i = 0; i < nargs; i++) {
		TRY(an_coerce(c, args[i], m.arg_types[i], location, &e->args[i]));
		all_const = all_const && is_const_tree(e->args[i]);
	}
	if (func_catalog_is_volatile(m.func)) all_const = false;
	*out = all_const && is_const_tree(e) ? fold(c, e) : e;
	return NULL;
}

ferr *an_func(actx *c, const char *name, int nargs, expr **args, int location, expr **out)
{
	return make_func(c, name, nargs, args, location, out);
}

expr *an_fold(actx *c, expr *e) { return fold(c, e); }

static bool is_int_type(type_id t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }

/*
 * col <op> const: the constant takes the column's type when that loses nothing
 * (an integer or numeric constant into a numeric(p,s) column whose precision
 * and scale hold its value; an integer into a narrower or wider integer
 * column), as PostgreSQL's parser effectively does for literals. The
 * comparison then keeps the bare column, so it can reach apply_filter, and its
 * result is the same: both sides compare by value. Checked by a round trip
 * (const -> column type -> const type must give the same value); a constant
 * that does not fit keeps the usual resolution (column cast to the common type).
 */
static expr *const_to_column_type(actx *c, const expr *col, expr *k)
{
	if (col->kind != EXPR_COLUMN || k->kind != EXPR_CONST || k->value.isnull) return k;
	ftype ct = col->type, kt = k->type;
	if (ftype_equal(ct, kt)) return k;
	bool ok = (ct.id == TYPE_NUMERIC && ct.precision > 0 && (kt.id == TYPE_NUMERIC || is_int_type(kt.id))) ||
	          (is_int_type(ct.id) && is_int_type(kt.id));
	if (!ok) return k;
	expr *x = an_expr(c, EXPR_CAST, ct, 1);
	x->args[0] = k;
	fvalue v, back;
	ferr *err = expr_eval_const(x, &c->ectx, c->a, &v);
	if (err) {
		ferr_free(err); /* out of range: keep the old behaviour */
		return k;
	}
	expr *nk = an_expr(c, EXPR_CONST, ct, 0);
	nk->value = v;
	expr *y = an_expr(c, EXPR_CAST, kt, 1);
	y->args[0] = nk;
	err = expr_eval_const(y, &c->ectx, c->a, &back);
	if (err) {
		ferr_free(err);
		return k;
	}
	return fvalue_equal(kt, &k->value, &back) ? nk : k;
}

static bool is_cmp_op(const char *op)
{
	return !strcmp(op, "=") || !strcmp(op, "<>") || !strcmp(op, "<") || !strcmp(op, "<=") ||
	       !strcmp(op, ">") || !strcmp(op, ">=");
}

ferr *an_make_op(actx *c, const char *op, expr *l, expr *r, int location, expr **out)
{
	if (!strcmp(op, "!=")) op = "<>";
	if (!l) {
		/* unary minus of a literal is the negative literal */
		return make_func(c, op, 1, &r, location, out);
	}
	if (is_cmp_op(op)) {
		r = const_to_column_type(c, l, r);
		l = const_to_column_type(c, r, l);
	}
	expr *args[2] = {l, r};
	return make_func(c, op, 2, args, location, out);
}

ferr *an_bool(bctx *b, const pqnode *n, const char *what, expr **out)
{
	expr *e;
	TRY(an_expr_node(b, n, &e));
	if (e->type.id == TYPE_BOOL) {
		*out = e;
		return NULL;
	}
	if (is_untyped(e->type)) return an_coerce(b->c, e, ftype_make(TYPE_BOOL), -1, out);
	char t[64];
	type_name_of(e->type, t, sizeof t);
	return ferr_new(SQLSTATE_DATATYPE_MISMATCH, "argument of %s must be type boolean, not type %s",
	                what, t);
}

/* ---- literals, names, parameters ---- */

static ferr *literal(actx *c, const PgQuery__AConst *k, expr **out)
{
	expr *e;
	if (k->isnull) {
		e = an_expr(c, EXPR_CONST, ftype_make(TYPE_UNKNOWN), 0);
		e->value.isnull = true;
		*out = e;
		return NULL;
	}
	switch (k->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL:
		e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
		e->value.u.i = k->ival->ival;
		break;
	case PG_QUERY__A__CONST__VAL_BOOLVAL:
		e = an_expr(c, EXPR_CONST, ftype_make(TYPE_BOOL), 0);
		e->value.u.b = k->boolval->boolval;
		break;
	case PG_QUERY__A__CONST__VAL_SVAL: {
		e = an_expr(c, EXPR_CONST, ftype_make(TYPE_UNKNOWN), 0);
		const char *sv = arena_strdup(c->a, k->sval->sval);
		e->value.u.s.ptr = sv;
		e->value.u.s.len = (uint32_t)strlen(sv);
		break;
	}
	case PG_QUERY__A__CONST__VAL_FVAL: {
		const char *t = k->fval->fval;
		if (strpbrk(t, "xXoObB_"))
			return an_unsupported("this numeric literal form", k->location);
		bool expo = strpbrk(t, "eE") != NULL;
		const char *dot = strchr(t, '.');
		size_t digits = 0;
		for (const char *p = t; *p && *p != 'e' && *p != 'E'; p++) digits += isdigit((unsigned char)*p) != 0;
		if (!dot && !expo && digits <= 18) {
			e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT8), 0);
			e->value.u.i = strtoll(t, NULL, 10);
			break;
		}
		/* numeric with the literal's own scale, through the input function */
		int scale = dot && !expo ? (int)strlen(dot + 1) : 0;
		ftype nt = ftype_numeric(digits > 38 ? 0 : (int)(digits < (size_t)scale + 1 ? (size_t)scale + 1 : digits), scale);
		if (expo) nt = ftype_numeric(0, 6);
		/* PostgreSQL's numeric is unbounded; Ferry's holds 38 digits. A literal beyond that
		 * (1e100) or below its scale is typed double precision rather than rejected. */
		double mag = fabs(strtod(t, NULL));
		if (expo && (mag >= 1e30 || (mag != 0 && mag < 1e-6))) nt = ftype_make(TYPE_FLOAT8);
		expr *s = an_expr(c, EXPR_CONST, ftype_make(TYPE_UNKNOWN), 0);
		s->value.u.s.ptr = arena_strdup(c->a, t);
		s->value.u.s.len = (uint32_t)strlen(t);
		return cast_to(c, s, nt, k->location, out);
	}
	default:
		return an_unsupported("bit string literals", k->location);
	}
	*out = e;
	return NULL;
}

typedef struct colhit {
	int id;
	scope *sc;
} colhit;

static ferr *column_ref(bctx *b, const PgQuery__ColumnRef *cr, expr **out)
{
	int nf = (int)cr->n_fields;
	const char *name = an_strval(cr->fields[nf - 1]);
	if (!name) return an_unsupported("this column reference", cr->location);
	const char *qual = nf >= 2 ? an_strval(cr->fields[nf - 2]) : NULL;
	bool qual_seen = false;
	for (scope *sc = b->sc; sc; sc = sc->parent) {
		int found = -1;
		for (int i = 0; i < sc->n; i++) {
			rte *r = sc->r[i];
			if (qual && strcmp(r->alias, qual) != 0) continue;
			qual_seen = true;
			for (int k = 0; k < r->ncols; k++) {
				if (strcmp(r->names[k], name) != 0) continue;
				if (!qual && r->hidden && r->hidden[k]) continue;
				if (found >= 0 && found != r->ids[k])
					return ferr_position(ferr_new(SQLSTATE_AMBIGUOUS_COLUMN,
					                              "column reference \"%s\" is ambiguous", name),
					                     cr->location + 1);
				found = r->ids[k];
			}
		}
		if (found >= 0) {
			*out = an_col(b->c, found);
			return NULL;
		}
		if (qual && qual_seen)
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN,
			                              "column %s.%s does not exist", qual, name),
			                     cr->location + 1);
	}
	if (qual)
		return ferr_position(ferr_new(SQLSTATE_UNDEFINED_TABLE,
		                              "missing FROM-clause entry for table \"%s\"", qual),
		                     cr->location + 1);
	return ferr_position(ferr_new(SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" does not exist", name),
	                     cr->location + 1);
}

static ferr *param_ref(bctx *b, const PgQuery__ParamRef *pr, expr **out)
{
	actx *c = b->c;
	int n = pr->number;
	if (n < 1 || n > 65535)
		return ferr_position(ferr_new(SQLSTATE_UNDEFINED_PARAMETER, "there is no parameter $%d", n),
		                     pr->location + 1);
	if (n > c->capparams) {
		int cap = n + 8;
		c->ptypes = arena_realloc(c->a, c->ptypes, sizeof(ftype) * (size_t)c->capparams,
		                          sizeof(ftype) * (size_t)cap);
		for (int i = c->capparams; i < cap; i++) c->ptypes[i] = ftype_make(TYPE_UNKNOWN);
		c->capparams = cap;
	}
	if (n > c->nparams) c->nparams = n;
	expr *e = an_expr(c, EXPR_PARAM, c->ptypes[n - 1], 0);
	e->param = n;
	*out = e;
	return NULL;
}

/* ---- type names ---- */

#define IV_MONTH (1 << 1)
#define IV_YEAR (1 << 2)
#define IV_DAY (1 << 3)
#define IV_HOUR (1 << 10)
#define IV_MINUTE (1 << 11)
#define IV_SECOND (1 << 12)

static int typmod_int(const pqnode *n, bool *ok)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
		return n->a_const->ival->ival;
	*ok = false;
	return 0;
}

/* The type a TypeName names; *ivmask gets an interval's field mask (0 none). */
static ferr *type_from_name(const PgQuery__TypeName *tn, ftype from, ftype *out, int *ivmask)
{
	*ivmask = 0;
	if (tn->n_array_bounds && from.id == TYPE_ARRAY) from = ftype_array_elem(from);
	const char *name = tn->n_names ? an_strval(tn->names[tn->n_names - 1]) : NULL;
	if (!name || tn->pct_type || tn->setof) return an_unsupported("this type name", tn->location);
	ftype t;
	if (pgcatalog_type_oid(name) && !ftype_from_name(name, &t))
		/* oid, regclass, regtype, ...: OIDs are bigint in Ferry; name is text */
		t = ftype_make(strcmp(name, "name") == 0 ? TYPE_TEXT : strcmp(name, "char") == 0 ? TYPE_BPCHAR : TYPE_INT8);
	else if (!ftype_from_name(name, &t))
		return ferr_position(ferr_new(SQLSTATE_UNDEFINED_OBJECT, "type \"%s\" does not exist", name),
		                     tn->location + 1);
	bool ok = true;
	switch (t.id) {
	case TYPE_NUMERIC:
		if (tn->n_typmods == 0) {
			t = ftype_unconstrained_numeric_for(from);
		} else {
			int p = typmod_int(tn->typmods[0], &ok);
			int s = tn->n_typmods > 1 ? typmod_int(tn->typmods[1], &ok) : 0;
			if (!ok || p < 1 || p > 38 || s < 0 || s > p)
				return ferr_position(ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
				                              "NUMERIC precision %d must be between 1 and 38", p),
				                     tn->location + 1);
			t = ftype_numeric(p, s);
		}
		break;
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
		if (tn->n_typmods) {
			int l = typmod_int(tn->typmods[0], &ok);
			if (!ok || l < 1)
				return ferr_position(ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
				                              "length for type %s must be at least 1", name),
				                     tn->location + 1);
			t.length = l;
		}
		break;
	case TYPE_INTERVAL:
		if (tn->n_typmods) *ivmask = typmod_int(tn->typmods[0], &ok);
		break;
	default:
		break;
	}
	if (tn->n_array_bounds) return an_array_of(t, tn->location, out);
	*out = t;
	return NULL;
}

/*
 * 'name'::regclass, 'integer'::regtype, ...: a string constant becomes the
 * OID it names now, with the session's catalog and search_path
 * (PostgreSQL's regclassin/regtypein), so that an error points at the
 * literal. Other values are cast at run time by the same input function.
 */
static ferr *reg_literal(actx *c, ftype t, int location, expr **x)
{
	expr *k = *x;
	if (!ftype_reg_kind(t) || k->kind != EXPR_CONST || k->value.isnull ||
	    (k->type.id != TYPE_UNKNOWN && k->type.id != TYPE_TEXT && k->type.id != TYPE_VARCHAR))
		return NULL;
	fmt_settings fs;
	if (c->ectx.fmt) fs = *c->ectx.fmt;
	else fmt_settings_default(&fs);
	fs.reg_catalog = c->s->catalog ? c->s->catalog : "";
	fs.reg_search_path = c->s->search_path;
	fs.reg_user = c->s->user;
	expr *e = an_expr(c, EXPR_CONST, t, 0);
	ferr *err = value_in_text_fs(t, k->value.u.s.ptr, k->value.u.s.len, c->a, &e->value.u.i, &fs);
	if (err) return ferr_position(err, location + 1);
	*x = e;
	return NULL;
}

ferr *an_type_name(const PgQuery__TypeName *tn, ftype *out)
{
	int mask;
	return type_from_name(tn, ftype_make(TYPE_UNKNOWN), out, &mask);
}

/* interval '90' day: a bare number takes the unit the field names. */
static expr *interval_literal_unit(actx *c, expr *lit, int mask)
{
	if (lit->kind != EXPR_CONST || lit->type.id != TYPE_UNKNOWN || lit->value.isnull) return lit;
	const char *unit = mask == IV_YEAR ? "year" : mask == IV_MONTH ? "month" : mask == IV_DAY ? "day"
	                 : mask == IV_HOUR ? "hour" : mask == IV_MINUTE ? "minute" : mask == IV_SECOND ? "second"
	                                                                               : NULL;
	if (!unit) return lit;
	const char *s = lit->value.u.s.ptr;
	uint32_t n = lit->value.u.s.len;
	for (uint32_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '+' && s[i] != ' ')
			return lit;
	expr *e = an_expr(c, EXPR_CONST, lit->type, 0);
	const char *t = arena_sprintf(c->a, "%.*s %s", (int)n, s, unit);
	e->value.u.s.ptr = t;
	e->value.u.s.len = (uint32_t)strlen(t);
	return e;
}

/* ---- compound expressions ---- */

static ferr *expr_list(bctx *b, const pqnode *n, int *count, expr ***out)
{
	if (n->node_case != PG_QUERY__NODE__NODE_LIST) return an_unsupported("this list form", -1);
	int k = (int)n->list->n_items;
	expr **es = arena_zalloc(b->c->a, sizeof(expr *) * (size_t)(k + 1));
	for (int i = 0; i < k; i++) TRY(an_expr_node(b, n->list->items[i], &es[i]));
	*count = k;
	*out = es;
	return NULL;
}

/* Coerce es[0..n) to their common type in place. */
static ferr *unify(actx *c, const char *what, int n, expr **es, int location, ftype *t)
{
	TRY(an_common_type(what, n, es, location, t));
	for (int i = 0; i < n; i++) TRY(an_coerce(c, es[i], *t, location, &es[i]));
	return NULL;
}

/*
 * unify for IN and BETWEEN, which compare as "=" and "<=" do: PostgreSQL
 * resolves a literal to the column's base type (bpchar, varchar) without
 * its length, so an over-long literal is compared whole. The length is
 * kept (the constants then have the column's exact type, which filter
 * pushdown needs) unless cutting a constant to it would change its value.
 */
static ferr *unify_compared(actx *c, const char *what, int n, expr **es, int location, ftype *t)
{
	TRY(an_common_type(what, n, es, location, t));
	if ((t->id == TYPE_VARCHAR || t->id == TYPE_BPCHAR) && t->length >= 0) {
		ftype base = *t;
		base.length = -1;
		for (int i = 0; i < n; i++) {
			if (es[i]->kind != EXPR_CONST || es[i]->value.isnull || ftype_equal(es[i]->type, *t)) continue;
			expr *whole, *cut;
			TRY(an_coerce(c, es[i], base, location, &whole));
			TRY(an_coerce(c, es[i], *t, location, &cut));
			if (whole->kind != EXPR_CONST || cut->kind != EXPR_CONST ||
			    value_compare(base, fvalue_ptr(base, &whole->value), fvalue_ptr(base, &cut->value)) != 0)
				*t = base;
		}
	}
	for (int i = 0; i < n; i++) TRY(an_coerce(c, es[i], *t, location, &es[i]));
	return NULL;
}

static ferr *a_expr(bctx *b, const PgQuery__AExpr *ax, expr **out)
{
	actx *c = b->c;
	const char *op = ax->n_name ? an_strval(ax->name[ax->n_name - 1]) : NULL;
	int loc = ax->location;
	switch (ax->kind) {
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP: {
		if (!op) return an_unsupported("this operator", loc);
		expr *l = NULL, *r = NULL;
		if (ax->lexpr) TRY(an_expr_node(b, ax->lexpr, &l));
		if (!ax->rexpr) return an_unsupported("postfix operators", loc);
		TRY(an_expr_node(b, ax->rexpr, &r));
		return an_make_op(c, op, l, r, loc, out);
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT: {
		/* a IS NOT DISTINCT FROM b: CASE WHEN a IS NULL THEN b IS NULL WHEN b IS NULL
		 * THEN false ELSE a = b END */
		expr *l, *r, *eq;
		TRY(an_expr_node(b, ax->lexpr, &l));
		TRY(an_expr_node(b, ax->rexpr, &r));
		TRY(an_make_op(c, "=", l, r, loc, &eq));
		expr *ln = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1), *rn = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
		ln->args[0] = l;
		rn->args[0] = r;
		expr *k = an_expr(c, EXPR_CASE, ftype_make(TYPE_BOOL), 5);
		k->args[0] = ln, k->args[1] = rn, k->args[2] = rn, k->args[3] = an_bool_const(c, false);
		k->args[4] = eq;
		k->has_else = true;
		if (ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT) {
			expr *nt = an_expr(c, EXPR_NOT, ftype_make(TYPE_BOOL), 1);
			nt->args[0] = k;
			k = nt;
		}
		*out = k;
		return NULL;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF: {
		expr *es[2];
		TRY(an_expr_node(b, ax->lexpr, &es[0]));
		TRY(an_expr_node(b, ax->rexpr, &es[1]));
		expr *chk;
		TRY(an_make_op(c, "=", es[0], es[1], loc, &chk)); /* must be comparable */
		ftype t = is_untyped(es[0]->type) ? ftype_make(TYPE_TEXT) : es[0]->type;
		TRY(an_coerce(c, es[0], t, loc, &es[0]));
		expr *e = an_expr(c, EXPR_NULLIF, t, 2);
		e->args[0] = es[0];
		e->args[1] = es[1];
		*out = e;
		return NULL;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
		expr *x, **items;
		int n;
		TRY(an_expr_node(b, ax->lexpr, &x));
		if (ax->rexpr->node_case != PG_QUERY__NODE__NODE_LIST)
			return an_unsupported("IN with this right-hand side", loc);
		TRY(expr_list(b, ax->rexpr, &n, &items));
		expr **all = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
		all[0] = x;
		memcpy(all + 1, items, sizeof(expr *) * (size_t)n);
		ftype t;
		TRY(unify_compared(c, "IN", n + 1, all, loc, &t));
		expr *chk;
		TRY(an_make_op(c, "=", all[0], all[1], loc, &chk));
		expr *e = an_expr(c, EXPR_IN, ftype_make(TYPE_BOOL), n + 1);
		memcpy(e->args, all, sizeof(expr *) * (size_t)(n + 1));
		e->negate = op && !strcmp(op, "<>");
		*out = e;
		return NULL;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
	case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE: {
		expr *x, *pat, *esc = NULL;
		TRY(an_expr_node(b, ax->lexpr, &x));
		const pqnode *r = ax->rexpr;
		if (r->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && r->func_call->n_funcname &&
		    !strcmp(an_strval(r->func_call->funcname[r->func_call->n_funcname - 1]) ?: "", "like_escape") &&
		    r->func_call->n_args == 2) {
			TRY(an_expr_node(b, r->func_call->args[0], &pat));
			TRY(an_expr_node(b, r->func_call->args[1], &esc));
		} else {
			TRY(an_expr_node(b, r, &pat));
		}
		ftype tx = ftype_make(TYPE_TEXT);
		if (!is_untyped(x->type) && x->type.id != TYPE_TEXT && x->type.id != TYPE_VARCHAR &&
		    x->type.id != TYPE_BPCHAR) {
			char tn[64];
			type_name_of(x->type, tn, sizeof tn);
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_FUNCTION,
			                              "operator does not exist: %s ~~ unknown", tn),
			                     loc + 1);
		}
		TRY(an_coerce(c, x, is_untyped(x->type) ? tx : x->type, loc, &x));
		TRY(an_coerce(c, pat, is_untyped(pat->type) ? tx : pat->type, loc, &pat));
		if (esc) TRY(an_coerce(c, esc, tx, loc, &esc));
		expr *e = an_expr(c, EXPR_LIKE, ftype_make(TYPE_BOOL), esc ? 3 : 2);
		e->args[0] = x;
		e->args[1] = pat;
		if (esc) e->args[2] = esc;
		e->negate = op && op[0] == '!';
		e->case_insensitive = ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE;
		*out = e;
		return NULL;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
	case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN: {
		expr *x, **items;
		int n;
		TRY(an_expr_node(b, ax->lexpr, &x));
		TRY(expr_list(b, ax->rexpr, &n, &items));
		if (n != 2) return an_unsupported("this BETWEEN form", loc);
		expr *all[3] = {x, items[0], items[1]};
		/* the bounds compare with x as "<=" would: resolve through the operator */
		expr *chk;
		TRY(an_make_op(c, ">=", all[0], all[1], loc, &chk));
		TRY(an_make_op(c, "<=", all[0], all[2], loc, &chk));
		ftype t;
		TRY(unify_compared(c, "BETWEEN", 3, all, loc, &t));
		expr *e = an_expr(c, EXPR_BETWEEN, ftype_make(TYPE_BOOL), 3);
		memcpy(e->args, all, sizeof all);
		e->negate = ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN;
		*out = e;
		return NULL;
	}
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
	case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
		return an_array_any(b, ax, ax->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL, out);
	case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR:
		return an_unsupported("SIMILAR TO", loc);
	default:
		return an_unsupported("BETWEEN SYMMETRIC", loc);
	}
}

static bool is_agg_name(const char *n)
{
	return !strcmp(n, "count") || !strcmp(n, "sum") || !strcmp(n, "avg") || !strcmp(n, "min") ||
	       !strcmp(n, "max") || agg_is_ext_name(n);
}

/* Aggregates of two arguments (y, x) / (key, value): the second one is x->more[0]. */
static bool agg_two_args(const char *n)
{
	return !strcmp(n, "string_agg") || !strcmp(n, "corr") || !strncmp(n, "covar_", 6) ||
	       !strncmp(n, "regr_", 5) || !strcmp(n, "json_object_agg") ||
	       !strcmp(n, "jsonb_object_agg");
}

static bool regr_name(const char *n)
{
	return !strcmp(n, "corr") || !strncmp(n, "covar_", 6) || !strncmp(n, "regr_", 5);
}

static bool is_number_type(ftype t)
{
	return t.id == TYPE_INT2 || t.id == TYPE_INT4 || t.id == TYPE_INT8 || t.id == TYPE_NUMERIC ||
	       t.id == TYPE_FLOAT4;
}

/* The hypothetical-set aggregates: rank(v...) WITHIN GROUP (ORDER BY k...) and friends. */
static bool agg_hypothetical(const char *n)
{
	return !strcmp(n, "rank") || !strcmp(n, "dense_rank") || !strcmp(n, "percent_rank") ||
	       !strcmp(n, "cume_dist");
}

/* Aggregates whose result depends on the order of their input. */
static bool agg_order_matters(const char *n)
{
	return !strcmp(n, "string_agg") || !strcmp(n, "array_agg") || !strcmp(n, "json_agg") ||
	       !strcmp(n, "jsonb_agg") || !strcmp(n, "json_object_agg") ||
	       !strcmp(n, "jsonb_object_agg");
}

static agg_more *more_push(actx *c, agg_extra *x)
{
	agg_more *m = arena_zalloc(c->a, sizeof(agg_more) * (size_t)(x->nmore + 1));
	if (x->nmore) memcpy(m, x->more, sizeof(agg_more) * (size_t)x->nmore);
	x->more = m;
	return &m[x->nmore++];
}

/*
 * The ORDER BY keys of a call (inside the parentheses or WITHIN GROUP): the
 * first goes to *key and x's order fields, the others to x->more (is_key).
 */
static ferr *agg_order_keys(bctx *b, const PgQuery__FuncCall *fc, expr **key, agg_extra *x,
                            int *kloc)
{
	actx *c = b->c;
	int loc = fc->location;
	for (size_t i = 0; i < fc->n_agg_order; i++) {
		const PgQuery__SortBy *sb = fc->agg_order[i]->sort_by;
		if (!sb || sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
			return an_unsupported("ORDER BY USING in aggregates", loc);
		bctx inner = *b;
		inner.in_agg = true;
		inner.pend = NULL;
		expr *k;
		TRY(an_expr_node(&inner, sb->node, &k));
		if (i == 0) *kloc = an_node_location(sb->node);
		if (is_untyped(k->type)) TRY(an_coerce(c, k, ftype_make(TYPE_TEXT), loc, &k));
		bool desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		bool nf = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_DEFAULT
		              ? desc
		              : sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST;
		if (i == 0) {
			*key = k;
			x->order_desc = desc;
			x->order_nulls_first = nf;
			x->order_type = k->type;
			x->has_order = true;
		} else {
			agg_more *m = more_push(c, x);
			*m = (agg_more){.e = k, .type = k->type, .is_key = true, .desc = desc, .nulls_first = nf};
		}
	}
	return NULL;
}

/*
 * rank(v1, ...) WITHIN GROUP (ORDER BY k1, ...): each direct argument and
 * its key meet in one type; the direct arguments follow the keys in
 * x->more (is_key false). The first key is what the aggregate folds.
 */
static ferr *agg_hypothetical_args(bctx *b, const PgQuery__FuncCall *fc, const char *name,
                                   expr **direct, expr **arg, expr **key, agg_extra *x)
{
	actx *c = b->c;
	int loc = fc->location;
	if ((size_t)fc->n_args != fc->n_agg_order)
		return ferr_position(ferr_new(SQLSTATE_UNDEFINED_FUNCTION,
		                              "function %s(%d direct arguments, %d ordered) does not exist",
		                              name, (int)fc->n_args, (int)fc->n_agg_order),
		                     loc + 1);
	int nkeys = (int)fc->n_agg_order;
	for (int i = 0; i < nkeys; i++) {
		expr **k = i == 0 ? key : &x->more[i - 1].e;
		expr *pair[2] = {direct[i], *k};
		ftype t;
		TRY(an_common_type("WITHIN GROUP", 2, pair, loc, &t));
		TRY(an_coerce(c, *k, t, loc, k));
		expr *d;
		TRY(an_coerce(c, direct[i], t, loc, &d));
		if (i == 0) x->order_type = t;
		else x->more[i - 1].type = t;
		agg_more *m = more_push(c, x);
		*m = (agg_more){.e = d, .type = t};
	}
	*arg = *key;
	return NULL;
}

/*
 * The parts of string_agg(x, d ORDER BY k) and f(p) WITHIN GROUP (ORDER BY k)
 * besides the aggregated value: the constant d or p goes to x->param, k to
 * *key, more keys to x->more. On return *arg is what the aggregate folds (k
 * for WITHIN GROUP).
 */
static ferr *agg_extras(bctx *b, const PgQuery__FuncCall *fc, const char *name, expr **arg,
                        expr **key, agg_extra *x)
{
	actx *c = b->c;
	int loc = fc->location;
	bool percentile = !strcmp(name, "percentile_cont") || !strcmp(name, "percentile_disc");
	bool ordered_set = percentile || !strcmp(name, "mode") || agg_hypothetical(name);
	int kloc = loc;
	TRY(agg_order_keys(b, fc, key, x, &kloc));
	if (ordered_set && !agg_hypothetical(name) && fc->agg_within_group && fc->n_agg_order > 1) {
		/* PostgreSQL names the direct and ordered argument types */
		strbuf sig = STRBUF_INIT;
		expr *all[2] = {*arg, *key};
		for (int i = 0; i < 2 + x->nmore; i++) {
			expr *e = i < 2 ? all[i] : x->more[i - 2].e;
			if (!e) continue;
			char tn[64];
			type_name_of(e->type, tn, sizeof tn);
			sb_printf(&sig, "%s%s", sig.len ? ", " : "", tn);
		}
		ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function %s(%s) does not exist", name,
		                   sig.data ? sig.data : "");
		sb_free(&sig);
		ferr_hint(e, "No function matches the given name and argument types. You might need to "
		             "add explicit type casts.");
		return ferr_position(e, loc + 1);
	}
	if (ordered_set != fc->agg_within_group) {
		/* PostgreSQL looks the call up with the ordered values as more arguments */
		ftype ts[2] = {*arg ? (*arg)->type : ftype_make(TYPE_NULL),
		               *key ? (*key)->type : ftype_make(TYPE_NULL)};
		for (int i = 0; i < 2; i++)
			if (ts[i].id == TYPE_NUMERIC) ts[i] = ftype_make(TYPE_NUMERIC); /* a literal's typmod */
		agg_kind k;
		ftype r;
		TRY(an_at(agg_lookup(name, false, fc->agg_within_group ? 2 : 1, ts, &k, &r), loc));
		return ferr_position(
		    ordered_set ? ferr_new(SQLSTATE_WRONG_OBJECT_TYPE,
		                           "WITHIN GROUP is required for ordered-set aggregate %s", name)
		                : ferr_new(SQLSTATE_WRONG_OBJECT_TYPE,
		                           "%s is not an ordered-set aggregate, so it cannot have WITHIN GROUP",
		                           name),
		    loc + 1);
	}
	if (!strcmp(name, "mode")) {
		*arg = *key;
		return NULL;
	}
	if (percentile) {
		/* the direct argument is the fraction (or an array of them); the ordered value is aggregated */
		expr *p = *arg;
		bool many = p->type.id == TYPE_ARRAY;
		TRY(an_coerce(c, p, many ? ftype_array(ftype_make(TYPE_FLOAT8)) : ftype_make(TYPE_FLOAT8),
		              loc, &p));
		if (p->kind != EXPR_CONST)
			return an_unsupported("a percentile that is not a constant", loc);
		x->param = p->value;
		if (!many && !p->value.isnull && !(p->value.u.f >= 0 && p->value.u.f <= 1))
			return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
			                "percentile value %g is not between 0 and 1", p->value.u.f);
		if (many && !p->value.isnull) {
			array_iter it;
			array_iter_init(&it, p->type, p->value.u.s);
			const void *v;
			while (array_iter_next(&it, &v)) {
				double f;
				if (v) memcpy(&f, v, sizeof f);
				if (v && !(f >= 0 && f <= 1))
					return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE,
					                "percentile value %g is not between 0 and 1", f);
			}
		}
		*arg = *key;
		if (!strcmp(name, "percentile_cont") && *arg && (*arg)->type.id != TYPE_FLOAT8 &&
		    ((*arg)->type.id == TYPE_INT2 || (*arg)->type.id == TYPE_INT4 ||
		     (*arg)->type.id == TYPE_INT8 || (*arg)->type.id == TYPE_NUMERIC ||
		     (*arg)->type.id == TYPE_FLOAT4)) {
			TRY(an_coerce(c, *arg, ftype_make(TYPE_FLOAT8), loc, arg));
			*key = *arg;
			x->order_type = (*arg)->type;
		}
		return NULL;
	}
	if (x->has_order && !agg_order_matters(name)) {
		/* the others do not depend on the order of their input */
		x->has_order = false;
		x->nmore = 0;
		*key = NULL;
	}
	if (x->has_order && fc->agg_distinct) {
		bool ok = an_expr_equal(*key, *arg);
		for (int i = 0; i < x->nmore && ok; i++) {
			ok = an_expr_equal(x->more[i].e, *arg);
			/* the error points at the first key that is not the argument */
			if (!ok) kloc = an_node_location(fc->agg_order[i + 1]->sort_by->node);
		}
		if (!ok)
			return ferr_position(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
			                              "in an aggregate with DISTINCT, ORDER BY expressions must "
			                              "appear in argument list"),
			                     kloc + 1);
		x->nmore = 0; /* every key is the argument: the first decides */
	}
	return NULL;
}

static ferr *aggregate(bctx *b, const PgQuery__FuncCall *fc, const char *name, expr **out)
{
	actx *c = b->c;
	int loc = fc->location;
	if (!b->ag)
		return ferr_position(ferr_new(SQLSTATE_GROUPING_ERROR,
		                              "aggregate functions are not allowed in %s",
		                              b->clause ? b->clause : "this context"),
		                     loc + 1);
	if (b->in_agg)
		return ferr_position(ferr_new(SQLSTATE_GROUPING_ERROR,
		                              "aggregate function calls cannot be nested"),
		                     loc + 1);
	expr *arg = NULL, *delim = NULL, *key = NULL, *second = NULL;
	agg_extra x = {0};
	int nargs = 0;
	bool hypothetical = fc->agg_within_group && agg_hypothetical(name);
	bool many = false; /* percentile_*(ARRAY[...]) */
	if (!fc->agg_star) {
		bool two = agg_two_args(name);
		int want = two ? 2 : !strcmp(name, "mode") ? 0 : 1;
		if (!hypothetical && (int)fc->n_args != want)
			return ferr_position(ferr_new(SQLSTATE_UNDEFINED_FUNCTION,
			                              "function %s with %d arguments does not exist", name,
			                              (int)fc->n_args),
			                     loc + 1);
		bctx inner = *b;
		inner.in_agg = true;
		inner.pend = NULL;
		expr **direct = arena_zalloc(c->a, sizeof(expr *) * (fc->n_args + 1));
		for (size_t i = 0; i < fc->n_args; i++) {
			TRY(an_expr_node(&inner, fc->args[i], &direct[i]));
			/* a string_agg delimiter takes the value's type below */
			if (is_untyped(direct[i]->type) && !hypothetical && (i == 0 || !two))
				TRY(an_coerce(c, direct[i], ftype_make(TYPE_TEXT), loc, &direct[i]));
		}
		if (two && direct[1] && is_untyped(direct[1]->type) && strcmp(name, "string_agg") != 0)
			TRY(an_coerce(c, direct[1], ftype_make(TYPE_TEXT), loc, &direct[1]));
		if (regr_name(name)) {
			/* corr(float8, float8) & co.: numbers convert implicitly */
			for (int i = 0; i < 2; i++)
				if (is_number_type(direct[i]->type))
					TRY(an_coerce(c, direct[i], ftype_make(TYPE_FLOAT8), loc, &direct[i]));
		}
		arg = direct[0];
		many = arg && arg->type.id == TYPE_ARRAY && fc->agg_within_group;
		if (two && !strcmp(name, "string_agg")) delim = direct[1];
		else if (two) second = direct[1];
		nargs = want;
		if (hypothetical) {
			TRY(agg_order_keys(b, fc, &key, &x, &(int){0}));
			TRY(agg_hypothetical_args(b, fc, name, direct, &arg, &key, &x));
			nargs = 1;
		}
	}
	if (second) {
		if (fc->agg_distinct) return an_unsupported("DISTINCT in aggregates of two arguments", loc);
		agg_more *m = more_push(c, &x);
		*m = (agg_more){.e = second, .type = second->type};
	}
	if (!hypothetical && (fc->n_agg_order || fc->agg_within_group || agg_is_ext_name(name))) {
		int keep = x.nmore;
		TRY(agg_extras(b, fc, name, &arg, &key, &x));
		if (x.nmore < keep) x.nmore = keep; /* the second argument stays */
	}
	if (!strcmp(name, "mode")) nargs = 1;
	bool star = fc->agg_star;
	if (fc->agg_filter) TRY(an_agg_filter(b, fc->agg_filter, &arg, &star));
	expr *filter = fc->agg_filter && arg && arg->kind == EXPR_CASE ? arg->args[0] : NULL;
	agg_kind kind;
	ftype result;
	ftype at[2] = {arg ? arg->type : ftype_make(TYPE_NULL),
	               delim    ? delim->type
	               : second ? second->type
	                        : ftype_make(TYPE_NULL)};
	/* FILTER turns count(*) into count(CASE ...): one argument */
	if (!star && arg && nargs == 0) nargs = 1;
	TRY(an_at(agg_lookup(name, star, star ? 0 : nargs, at, &kind, &result), loc));
	if (many && (kind == AGG_PERCENTILE_CONT || kind == AGG_PERCENTILE_DISC)) result = ftype_array(result);
	if (delim) {
		/* the delimiter is a constant of the value's type (text or bytea) */
		TRY(an_coerce(c, delim, result, loc, &delim));
		if (delim->kind != EXPR_CONST)
			return an_unsupported("a string_agg delimiter that is not a constant", loc);
		x.param = delim->value;
	}
	bool distinct = fc->agg_distinct && kind != AGG_MIN && kind != AGG_MAX;
	aggset *ag = b->ag;
	for (int i = 0; i < ag->n && !x.has_order && !delim && kind < AGG_PERCENTILE_CONT; i++)
		if (ag->calls[i].kind == kind && ag->calls[i].distinct == distinct &&
		    an_expr_equal(ag->args[i], arg)) {
			*out = an_col(c, ag->calls[i].out);
			return NULL;
		}
	if (ag->n == ag->cap) {
		int cap = ag->cap ? ag->cap * 2 : 8;
		ag->args = arena_realloc(c->a, ag->args, sizeof(expr *) * (size_t)ag->cap, sizeof(expr *) * (size_t)cap);
		ag->calls = arena_realloc(c->a, ag->calls, sizeof(lagg) * (size_t)ag->cap, sizeof(lagg) * (size_t)cap);
		ag->order_args = arena_realloc(c->a, ag->order_args, sizeof(expr *) * (size_t)ag->cap,
		                               sizeof(expr *) * (size_t)cap);
		ag->filter_args = arena_realloc(c->a, ag->filter_args, sizeof(expr *) * (size_t)ag->cap,
		                                sizeof(expr *) * (size_t)cap);
		ag->cap = cap;
	}
	const char *nm = arena_strdup(c->a, name);
	int id = an_col_new(c, nm, result);
	ag->args[ag->n] = arg;
	ag->order_args[ag->n] = x.has_order ? key : NULL;
	/* array_agg keeps NULL values, so FILTER cannot be a CASE's NULL alone */
	x.has_filter = filter && kind == AGG_ARRAY_AGG;
	ag->filter_args[ag->n] = x.has_filter ? filter : NULL;
	ag->calls[ag->n] = (lagg){.kind = kind, .arg = -1, .distinct = distinct, .result = result,
	                          .name = nm, .out = id, .x = x};
	ag->n++;
	*out = an_col(c, id);
	return NULL;
}

/* A session value as a text constant: 'c' catalog, 's' search_path, 'u' user, 'p' pid,
 * 'v' server version. */
static expr *session_value(actx *c, char kind)
{
	const plan_session *s = c->s;
	const char *v = kind == 'c'   ? s->catalog
	                : kind == 's' ? s->search_path
	                : kind == 'u' ? s->user
	                : kind == 'v' ? s->server_version
	                : kind == 'p' ? arena_sprintf(c->a, "%d", (int)s->backend_pid)
	                              : NULL;
	if (kind == 's' && !v) v = "\"$user\", public";
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_TEXT), 0);
	e->value.isnull = v == NULL;
	if (v) {
		e->value.u.s.ptr = arena_strdup(c->a, v);
		e->value.u.s.len = (uint32_t)strlen(v);
	}
	return e;
}

/*
 * now(), current_timestamp, localtimestamp, localtime and current_date are
 * stable: one value for the transaction (statement_timestamp(): for the
 * client's message), so they fold here from the session's start times. The
 * clock is read only when the session did not say (plan_session's zero).
 */
static expr *time_value(actx *c, int kind, int precision, bool statement)
{
	int64_t utc = statement ? c->s->stmt_start_us : c->s->xact_start_us;
	if (c->p) c->p->time_dependent = true;
	if (!utc) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		utc = ((int64_t)ts.tv_sec - INT64_C(946684800)) * 1000000 + ts.tv_nsec / 1000;
	}
	static const type_id types[] = {TYPE_DATE, TYPE_TIMESTAMPTZ, TYPE_TIMESTAMP, TYPE_TIME, TYPE_TIMETZ};
	expr *e = an_expr(c, EXPR_CONST, ftype_make(types[kind]), 0);
	if (kind == FDT_VALUE_TIMETZ) e->value.u.tt = func_datetime_timetz(utc, precision, c->s->fmt);
	else e->value.u.i = func_datetime_value(kind, utc, precision, c->s->fmt);
	return e;
}

/*
 * make_interval(years, months, weeks, days, hours, mins, secs): each given
 * by position or by name (libpg_query's NamedArgExpr), the others 0, as
 * PostgreSQL's defaults say. A name used twice is 42601; a name that does
 * not exist or that repeats a positional argument leaves no function (42883).
 */
static ferr *make_interval_call(bctx *b, const PgQuery__FuncCall *fc, expr **out)
{
	static const char *const names[7] = {"years", "months", "weeks", "days", "hours", "mins", "secs"};
	actx *c = b->c;
	expr *args[7] = {0};
	bool bad = false;
	strbuf sig = STRBUF_INIT;
	ferr *err = NULL;
	for (int i = 0; i < (int)fc->n_args && !err; i++) {
		const pqnode *a = fc->args[i];
		const PgQuery__NamedArgExpr *na =
		    a->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR ? a->named_arg_expr : NULL;
		expr *x;
		if ((err = an_expr_node(b, na ? na->arg : a, &x))) break;
		int k = i;
		if (na) {
			for (int j = 0; j < i; j++) {
				const pqnode *o = fc->args[j];
				if (o->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR &&
				    !strcmp(o->named_arg_expr->name, na->name))
					err = ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR,
					                             "argument name \"%s\" used more than once", na->name),
					                    na->location + 1);
			}
			for (k = 0; k < 7 && strcmp(names[k], na->name); k++) {
			}
		}
		if (k >= 7 || args[k]) bad = true;
		else args[k] = x;
		char tn[64];
		type_name_of(x->type, tn, sizeof tn);
		sb_printf(&sig, "%s%s%s%s", i ? ", " : "", na ? na->name : "", na ? " => " : "", tn);
	}
	if (!err && bad) {
		err = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function make_interval(%s) does not exist",
		               sig.data ? sig.data : "");
		ferr_hint(err, "No function matches the given name and argument types. You might need to add "
		               "explicit type casts.");
		err = ferr_position(err, fc->location + 1);
	}
	sb_free(&sig);
	if (err) return err;
	for (int k = 0; k < 7; k++) {
		if (args[k]) continue;
		args[k] = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
		args[k]->value.u.i = 0;
	}
	return make_func(c, "make_interval", 7, args, fc->location, out);
}

static ferr *func_call(bctx *b, const PgQuery__FuncCall *fc, expr **out)
{
	actx *c = b->c;
	int loc = fc->location;
	const char *raw = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	if (!raw) return an_unsupported("this function name", loc);
	if (an_srf_is_call(fc)) return an_srf_call(b, fc, NULL, -1, out); /* analyze_srf.c */
	if (fc->n_funcname > 2 ||
	    (fc->n_funcname == 2 && strcmp(an_strval(fc->funcname[0]) ?: "", "pg_catalog") != 0))
		return an_unsupported("schema-qualified functions", loc);
	char *name = arena_strdup(c->a, raw);
	for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
	if (fc->over) return an_window_func(b, fc, name, out);
	if (is_agg_name(name) || fc->agg_star || fc->agg_distinct || fc->agg_within_group)
		return aggregate(b, fc, name, out);
	if (fc->func_variadic) return an_unsupported("VARIADIC", loc);
	if (!strcmp(name, "generate_series") || !strcmp(name, "unnest"))
		return an_unsupported("set-returning functions outside FROM", loc);
	if (!strcmp(name, "make_interval")) return make_interval_call(b, fc, out);
	int n = (int)fc->n_args;
	if (n > 8) return an_unsupported("functions with more than 8 arguments", loc);
	if (n == 0 && (!strcmp(name, "now") || !strcmp(name, "transaction_timestamp") ||
	               !strcmp(name, "statement_timestamp"))) {
		*out = time_value(c, FDT_VALUE_TIMESTAMPTZ, -1, name[0] == 's');
		return NULL;
	}
	expr *args[8];
	for (int i = 0; i < n; i++) TRY(an_expr_node(b, fc->args[i], &args[i]));
	if (n == 1 && !strcmp(name, "age") &&
	    (args[0]->type.id == TYPE_TIMESTAMP || args[0]->type.id == TYPE_TIMESTAMPTZ ||
	     args[0]->type.id == TYPE_DATE || args[0]->type.id == TYPE_UNKNOWN)) {
		/* age(x) is age(current_date, x), as pg_proc defines it */
		args[1] = args[0];
		args[0] = time_value(c, FDT_VALUE_DATE, -1, false);
		n = 2;
	}
	if (n == 3 && !strcmp(name, "date_trunc")) {
		/* date_trunc(field, x, zone): truncate the wall clock in zone and read
		 * the result back in zone, as timestamptz_trunc_zone does */
		expr *x, *local, *cut;
		TRY(an_coerce(c, args[1], ftype_make(TYPE_TIMESTAMPTZ), loc, &x));
		TRY(make_func(c, "timezone", 2, (expr *[]){args[2], x}, loc, &local));
		TRY(make_func(c, "date_trunc", 2, (expr *[]){args[0], local}, loc, &cut));
		return make_func(c, "timezone", 2, (expr *[]){args[2], cut}, loc, out);
	}
	if (n == 4 && !strcmp(name, "overlaps")) {
		/* (start, length) OVERLAPS ...: the period ends at start + length */
		for (int k = 1; k < 4; k += 2)
			if (args[k]->type.id == TYPE_INTERVAL) TRY(an_make_op(c, "+", args[k - 1], args[k], loc, &args[k]));
	}
	/* catalog functions that depend on the session get it as constants */
	for (const char *k = func_catalog_session_args(name, n); k && *k && n < 8; k++)
		args[n++] = session_value(c, *k);
	return make_func(c, name, n, args, loc, out);
}

static ferr *case_expr(bctx *b, const PgQuery__CaseExpr *ce, expr **out)
{
	actx *c = b->c;
	int loc = ce->location;
	int nw = (int)ce->n_args;
	expr *arg = NULL;
	if (ce->arg) TRY(an_expr_node(b, ce->arg, &arg));
	int nres = nw + (ce->defresult ? 1 : 0);
	expr **res = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nres + 1));
	expr **cond = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nw + 1));
	for (int i = 0; i < nw; i++) {
		const PgQuery__CaseWhen *w = ce->args[i]->case_when;
		if (arg) {
			expr *v;
			TRY(an_expr_node(b, w->expr, &v));
			TRY(an_make_op(c, "=", arg, v, w->location, &cond[i]));
		} else {
			TRY(an_bool(b, w->expr, "CASE/WHEN", &cond[i]));
		}
		TRY(an_expr_node(b, w->result, &res[i]));
	}
	if (ce->defresult) TRY(an_expr_node(b, ce->defresult, &res[nw]));
	ftype t;
	TRY(unify(c, "CASE", nres, res, loc, &t));
	expr *e = an_expr(c, EXPR_CASE, t, 2 * nw + (ce->defresult ? 1 : 0));
	for (int i = 0; i < nw; i++) {
		e->args[2 * i] = cond[i];
		e->args[2 * i + 1] = res[i];
	}
	if (ce->defresult) {
		e->args[2 * nw] = res[nw];
		e->has_else = true;
	}
	*out = e;
	return NULL;
}

/* GREATEST/LEAST as CASE: NULL arguments are ignored, as PostgreSQL does. */
static ferr *min_max(bctx *b, const PgQuery__MinMaxExpr *mm, expr **out)
{
	actx *c = b->c;
	int n = (int)mm->n_args, loc = mm->location;
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) TRY(an_expr_node(b, mm->args[i], &es[i]));
	ftype t;
	TRY(unify(c, mm->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "GREATEST" : "LEAST", n, es, loc, &t));
	const char *cmp = mm->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? ">=" : "<=";
	expr *acc = es[0];
	for (int i = 1; i < n; i++) {
		expr *x = acc, *y = es[i], *better;
		TRY(an_make_op(c, cmp, x, y, loc, &better));
		expr *xn = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1), *yn = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
		xn->args[0] = x;
		yn->args[0] = y;
		expr *k = an_expr(c, EXPR_CASE, t, 7);
		k->args[0] = xn, k->args[1] = y, k->args[2] = yn, k->args[3] = x;
		k->args[4] = better, k->args[5] = x, k->args[6] = y;
		k->has_else = true;
		acc = k;
	}
	*out = acc;
	return NULL;
}

static ferr *bool_test(bctx *b, const PgQuery__BooleanTest *bt, expr **out)
{
	actx *c = b->c;
	expr *x;
	TRY(an_bool(b, bt->arg, "IS TRUE", &x));
	ftype tb = ftype_make(TYPE_BOOL);
	expr *e;
	switch (bt->booltesttype) {
	case PG_QUERY__BOOL_TEST_TYPE__IS_UNKNOWN:
	case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN:
		e = an_expr(c, EXPR_IS_NULL, tb, 1);
		e->args[0] = x;
		e->negate = bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN;
		*out = e;
		return NULL;
	default: break;
	}
	bool want_false = bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_FALSE ||
	                  bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE;
	bool negate = bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE ||
	              bt->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE;
	if (want_false) {
		expr *nx = an_expr(c, EXPR_NOT, tb, 1);
		nx->args[0] = x;
		x = nx;
	}
	e = an_expr(c, EXPR_COALESCE, tb, 2); /* x IS TRUE = coalesce(x, false) */
	e->args[0] = x;
	e->args[1] = an_bool_const(c, false);
	if (negate) {
		expr *ne = an_expr(c, EXPR_NOT, tb, 1);
		ne->args[0] = e;
		e = ne;
	}
	*out = e;
	return NULL;
}

static ferr *sql_value_function(bctx *b, const PgQuery__SQLValueFunction *f, expr **out)
{
	actx *c = b->c;
	expr *e;
	int p = f->typmod;
	switch (f->op) {
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
		e = time_value(c, FDT_VALUE_DATE, -1, false);
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
		e = time_value(c, FDT_VALUE_TIMESTAMPTZ, p, false);
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N:
		e = time_value(c, FDT_VALUE_TIMESTAMP, p, false);
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N:
		e = time_value(c, FDT_VALUE_TIME, p, false);
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N:
		e = time_value(c, FDT_VALUE_TIMETZ, p, false);
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER:
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER:
		e = session_value(c, 'u');
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG:
		e = session_value(c, 'c');
		break;
	case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: {
		expr *args[3] = {session_value(c, 'c'), session_value(c, 's'), session_value(c, 'u')};
		return make_func(c, "current_schema", 3, args, f->location, out);
	}
	default:
		return an_unsupported("this SQL value function", f->location);
	}
	*out = e;
	return NULL;
}

/* Subquery used as a value: scalar subquery, or EXISTS/IN (decorrelate.c). */
static ferr *sub_link(bctx *b, const PgQuery__SubLink *sl, expr **out)
{
	actx *c = b->c;
	int loc = sl->location;
	if (!b->pend)
		return an_unsupported(b->in_agg ? "subqueries in aggregate arguments"
		                                : "subqueries in this clause",
		                      loc);
	if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) return an_array_sublink(b, sl, out);
	if (sl->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK) return an_sublink_bool(b, sl, out);
	if (sl->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return an_unsupported("this subquery", loc);
	selout so;
	TRY(an_at(an_select(c, sl->subselect->select_stmt, b->sc, SQ_SCALAR, &so), loc));
	if (so.ncols != 1)
		return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery must return only one column"),
		                     loc + 1);
	pending *pd = arena_zalloc(c->a, sizeof(pending));
	pd->sub = so.plan;
	pd->jt = JOIN_LEFT;
	pd->nkeys = so.nkeys;
	pd->okeys = so.okeys;
	pd->ikeys = so.ikeys;
	pd->filter = so.corr_filter;
	pd->location = loc;
	an_pending_outer(pd, &so);
	pending **tail = b->pend;
	while (*tail) tail = &(*tail)->next;
	*tail = pd;
	*out = an_col(c, so.ids[0]);
	return NULL;
}

/* Subscripts and slices of an array (current_schemas(true))[1] included: field
 * selection from a composite value is not supported. */
static ferr *indirection(bctx *b, const PgQuery__AIndirection *in, expr **out)
{
	if (in->n_indirection && in->indirection[0]->node_case == PG_QUERY__NODE__NODE_STRING)
		return an_srf_field(b, in, out); /* analyze_srf.c: composite SRF rows */
	if (in->arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
		expr *base; /* a SEARCH sequence column (analyze_recursive.c) */
		TRY(an_expr_node(b, in->arg, &base));
		if (array_record_length(base->type)) return an_search_indirection(b, in, base, out);
	}
	return an_array_indirection(b, in, out);
}

/* x COLLATE c: Ferry compares strings bytewise, which is what "C", "POSIX" and
 * the database default (C) are; any other collation does not exist here. */
static ferr *collate_clause(bctx *b, const PgQuery__CollateClause *cc, expr **out)
{
	const char *coll = cc->n_collname ? an_strval(cc->collname[cc->n_collname - 1]) : NULL;
	if (!coll || (strcmp(coll, "default") != 0 && strcmp(coll, "C") != 0 &&
	              strcmp(coll, "POSIX") != 0 && strcmp(coll, "ucs_basic") != 0))
		return ferr_position(ferr_new(SQLSTATE_UNDEFINED_OBJECT,
		                              "collation \"%s\" for encoding \"UTF8\" does not exist",
		                              coll ? coll : "?"),
		                     cc->location + 1);
	return an_expr_node(b, cc->arg, out);
}

ferr *an_expr_node(bctx *b, const pqnode *n, expr **out)
{
	actx *c = b->c;
	if (++c->depth > 200) {
		c->depth--;
		return ferr_new(SQLSTATE_STATEMENT_TOO_COMPLEX, "expression is too deeply nested");
	}
	ferr *err = NULL;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST: err = literal(c, n->a_const, out); break;
	case PG_QUERY__NODE__NODE_COLUMN_REF: {
		const PgQuery__ColumnRef *cr = n->column_ref;
		if (cr->fields[cr->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR)
			err = an_unsupported("* in this position", cr->location);
		else
			err = column_ref(b, cr, out);
		break;
	}
	case PG_QUERY__NODE__NODE_PARAM_REF: err = param_ref(b, n->param_ref, out); break;
	case PG_QUERY__NODE__NODE_A_EXPR: err = a_expr(b, n->a_expr, out); break;
	case PG_QUERY__NODE__NODE_BOOL_EXPR: {
		const PgQuery__BoolExpr *be = n->bool_expr;
		int k = (int)be->n_args;
		expr_kind kind = be->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR ? EXPR_AND
		               : be->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR  ? EXPR_OR
		                                                                  : EXPR_NOT;
		const char *what = kind == EXPR_AND ? "AND" : kind == EXPR_OR ? "OR" : "NOT";
		expr *e = an_expr(c, kind, ftype_make(TYPE_BOOL), k);
		bool all_const = true;
		for (int i = 0; i < k && !err; i++) {
			err = an_bool(b, be->args[i], what, &e->args[i]);
			if (!err) all_const = all_const && is_const_tree(e->args[i]);
		}
		if (!err) *out = all_const ? fold(c, e) : e;
		break;
	}
	case PG_QUERY__NODE__NODE_NULL_TEST: {
		expr *x;
		err = an_expr_node(b, n->null_test->arg, &x);
		if (err) break;
		expr *e = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
		e->args[0] = x;
		e->negate = n->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
		*out = e;
		break;
	}
	case PG_QUERY__NODE__NODE_BOOLEAN_TEST: err = bool_test(b, n->boolean_test, out); break;
	case PG_QUERY__NODE__NODE_FUNC_CALL: err = func_call(b, n->func_call, out); break;
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		const PgQuery__TypeCast *tc = n->type_cast;
		expr *x;
		ftype at;
		if (tc->arg->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
			err = an_type_name(tc->type_name, &at);
			if (!err && at.id == TYPE_ARRAY) {
				err = an_array_cast(b, tc, at, out); /* ARRAY[]::int[] */
				break;
			}
			ferr_free(err);
			err = NULL;
		}
		err = an_expr_node(b, tc->arg, &x);
		if (err) break;
		ftype t;
		int mask;
		err = type_from_name(tc->type_name, x->type, &t, &mask);
		if (err) break;

		if (t.id == TYPE_INTERVAL && mask) x = interval_literal_unit(c, x, mask);
		/* PostgreSQL reports a bad regclass/regtype literal at the literal */
		err = reg_literal(c, t,
		                  tc->arg->node_case == PG_QUERY__NODE__NODE_A_CONST ? tc->arg->a_const->location
		                                                                     : tc->location,
		                  &x);
		/* a bad literal (a string, or an array's) is reported at the literal, as PostgreSQL
		 * does: it reads an untyped literal as the type's input */
		bool at_literal = tc->arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		                  (t.id == TYPE_ARRAY || x->type.id == TYPE_UNKNOWN);
		if (!err) err = cast_to(c, x, t, at_literal ? tc->arg->a_const->location : tc->location, out);
		break;
	}
	case PG_QUERY__NODE__NODE_CASE_EXPR: {
		int srfs = an_srf_seen(b);
		err = case_expr(b, n->case_expr, out);
		if (!err) err = an_srf_none_since(b, srfs, "CASE");
		break;
	}
	case PG_QUERY__NODE__NODE_COALESCE_EXPR: {
		const PgQuery__CoalesceExpr *ce = n->coalesce_expr;
		int srfs = an_srf_seen(b);
		int k = (int)ce->n_args;
		expr *e = an_expr(c, EXPR_COALESCE, ftype_make(TYPE_NULL), k);
		for (int i = 0; i < k && !err; i++) err = an_expr_node(b, ce->args[i], &e->args[i]);
		if (!err) err = an_srf_none_since(b, srfs, "COALESCE");
		if (!err) err = unify(c, "COALESCE", k, e->args, ce->location, &e->type);
		if (!err) *out = e;
		break;
	}
	case PG_QUERY__NODE__NODE_MIN_MAX_EXPR: err = min_max(b, n->min_max_expr, out); break;
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: err = sql_value_function(b, n->sqlvalue_function, out); break;
	case PG_QUERY__NODE__NODE_SUB_LINK: err = sub_link(b, n->sub_link, out); break;
	case PG_QUERY__NODE__NODE_GROUPING_FUNC: err = an_grouping_func(b, n->grouping_func, out); break;
	case PG_QUERY__NODE__NODE_ROW_EXPR: err = an_unsupported("row constructors", n->row_expr->location); break;
	case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: err = collate_clause(b, n->collate_clause, out); break;
	case PG_QUERY__NODE__NODE_A_INDIRECTION: err = indirection(b, n->a_indirection, out); break;
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: err = an_array_expr(b, n->a_array_expr, NULL, out); break;
	default: err = an_unsupported("this kind of expression", -1); break;
	}
	c->depth--;
	return err;
}

/* PostgreSQL's FigureColname: the output name of an unaliased target. */
const char *an_figure_colname(const pqnode *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_COLUMN_REF: {
		const PgQuery__ColumnRef *cr = n->column_ref;
		const char *s = an_strval(cr->fields[cr->n_fields - 1]);
		return s ? s : "?column?";
	}
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *fc = n->func_call;
		const char *s = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
		return s ? s : "?column?";
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		/* a name from the argument wins, unless it is itself a cast (PostgreSQL's strength 1) */
		const char *s = an_figure_colname(n->type_cast->arg);
		/* an inner cast's type name is weaker than this one's (FigureColnameInternal) */
		if (strcmp(s, "?column?") != 0 && n->type_cast->arg->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) return s;
		const PgQuery__TypeName *tn = n->type_cast->type_name;
		const char *t = tn->n_names ? an_strval(tn->names[tn->n_names - 1]) : NULL;
		if (!t) return s;
		/* PostgreSQL names the column after the type as format_type shows it */
		ftype ft;
		if (ftype_from_name(t, &ft)) {
			if (ft.id == TYPE_INT4) return "int4";
			if (ftype_reg_kind(ft)) return t; /* oid, regclass, ... */
			if (ft.id == TYPE_INT8) return "int8";
			if (ft.id == TYPE_INT2) return "int2";
			if (ft.id == TYPE_FLOAT8) return "float8";
			if (ft.id == TYPE_FLOAT4) return "float4";
			if (ft.id == TYPE_BOOL) return "bool";
			if (ft.id == TYPE_VARCHAR) return "varchar";
			if (ft.id == TYPE_BPCHAR) return "bpchar";
			if (ft.id == TYPE_TIMESTAMPTZ) return "timestamptz";
		}
		return t;
	}
	case PG_QUERY__NODE__NODE_CASE_EXPR: return "case";
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: return "array";
	case PG_QUERY__NODE__NODE_A_INDIRECTION: {
		/* (x).field is named after the field */
		const PgQuery__AIndirection *in = n->a_indirection;
		const char *f = in->n_indirection ? an_strval(in->indirection[in->n_indirection - 1]) : NULL;
		return f ? f : an_figure_colname(in->arg);
	}
	case PG_QUERY__NODE__NODE_GROUPING_FUNC: return "grouping";
	case PG_QUERY__NODE__NODE_COALESCE_EXPR: return "coalesce";
	case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
		return n->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
	case PG_QUERY__NODE__NODE_A_EXPR:
		if (n->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) return "nullif";
		return "?column?";
	case PG_QUERY__NODE__NODE_SUB_LINK: {
		const PgQuery__SubLink *sl = n->sub_link;
		if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK) return "exists";
		if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK) return "array";
		if (sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK &&
		    sl->subselect->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
			const PgQuery__SelectStmt *st = sl->subselect->select_stmt;
			if (st->n_target_list == 1) {
				const PgQuery__ResTarget *rt = st->target_list[0]->res_target;
				if (rt->name && *rt->name) return rt->name;
				return an_figure_colname(rt->val);
			}
		}
		return "?column?";
	}
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
		switch (n->sqlvalue_function->op) {
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "current_date";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: return "current_timestamp";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: return "localtimestamp";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: return "localtime";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: return "current_time";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: return "current_role";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "current_user";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: return "user";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: return "session_user";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: return "current_catalog";
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: return "current_schema";
		default: return "?column?";
		}
	default: return "?column?";
	}
}
