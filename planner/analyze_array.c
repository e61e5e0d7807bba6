/*
 * analyze_array.c — array syntax in expressions: array type names (int[],
 * integer ARRAY, _int4), ARRAY[...] with PostgreSQL's common element type,
 * subscripts and slices, and x op ANY/ALL (array). Everything resolves to
 * exec's array functions (exec/array_funcs.h); nothing here evaluates.
 */
#include <limits.h>
#include <string.h>

#include "exec/array.h"
#include "exec/array_funcs.h"
#include "planner/analyze_internal.h"

ferr *an_array_of(ftype elem, int location, ftype *out)
{
	if (elem.id == TYPE_ARRAY) {
		*out = elem; /* int[][] is int[] in PostgreSQL too */
		return NULL;
	}
	if (!array_elem_supported(elem.id)) {
		strbuf sb = STRBUF_INIT;
		ftype_format(elem, &sb);
		ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "arrays of type %s are not supported", sb.data);
		sb_free(&sb);
		return an_at(e, location);
	}
	*out = ftype_array(elem);
	return NULL;
}

static bool untyped(ftype t) { return t.id == TYPE_UNKNOWN || t.id == TYPE_NULL; }

static bool all_const(expr *const *args, int n)
{
	for (int i = 0; i < n; i++)
		if (args[i]->kind != EXPR_CONST) return false;
	return true;
}

/* An EXPR_FUNC for a resolved match over args (cast to its argument
 * types); all-constant calls fold now. */
static ferr *func_expr(actx *c, const func_match *m, int nargs, expr **args, int location, expr **out)
{
	expr *e = an_expr(c, EXPR_FUNC, m->result, nargs);
	e->func = m->func;
	e->name = func_name(m->func);
	for (int i = 0; i < nargs; i++) TRY(an_coerce(c, args[i], i < 8 ? m->arg_types[i] : m->arg_types[7], location, &e->args[i]));
	*out = all_const(e->args, nargs) ? an_fold(c, e) : e;
	return NULL;
}

ferr *an_array_expr(bctx *b, const PgQuery__AArrayExpr *ae, const ftype *hint, expr **out)
{
	actx *c = b->c;
	int n = (int)ae->n_elements, loc = ae->location;
	for (int i = 0; i < n; i++)
		if (ae->elements[i]->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR)
			return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported"),
			             loc);
	expr **args = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) TRY(an_expr_node(b, ae->elements[i], &args[i]));
	ftype et;
	if (n == 0 || (hint && hint->id == TYPE_ARRAY && all_const(args, n))) {
		if (!hint || hint->id != TYPE_ARRAY) {
			ferr *e = ferr_new(SQLSTATE_INDETERMINATE_DATATYPE, "cannot determine type of empty array");
			ferr_hint(e, "Explicitly cast to the desired type, for example ARRAY[]::integer[].");
			return an_at(e, loc);
		}
		/* ARRAY['1', '2']::int[]: the elements go straight to the target's element type */
		et = ftype_array_elem(*hint);
	} else {
		TRY(an_common_type("ARRAY", n, args, loc, &et));
		if (untyped(et)) et = ftype_make(TYPE_TEXT);
		/* numeric elements keep their own scale, as PostgreSQL's do: ARRAY[1.5, 2] is {1.5,2} */
		if (et.id == TYPE_NUMERIC) et = ftype_numeric_value_scale();
		if (et.id == TYPE_ARRAY)
			return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "multidimensional arrays are not supported"), loc);
		ftype at;
		TRY(an_array_of(et, loc, &at));
	}
	func_match m;
	func_array_ctor(et, &m);
	expr *e = an_expr(c, EXPR_FUNC, m.result, n);
	e->func = m.func;
	e->name = "array";
	for (int i = 0; i < n; i++) {
		int at = an_node_location(ae->elements[i]);
		TRY(an_coerce(c, args[i], et, at >= 0 ? at : loc, &e->args[i]));
	}
	*out = all_const(e->args, n) ? an_fold(c, e) : e;
	return NULL;
}

ferr *an_array_cast(bctx *b, const PgQuery__TypeCast *tc, ftype target, expr **out)
{
	expr *x;
	TRY(an_array_expr(b, tc->arg->a_array_expr, &target, &x));
	return an_coerce(b->c, x, target, tc->location, out);
}

/* a[i], a[i:j], a[:j], a[i:]: element or slice; NULL when out of range. */
ferr *an_array_indirection(bctx *b, const PgQuery__AIndirection *in, expr **out)
{
	actx *c = b->c;
	expr *base;
	TRY(an_expr_node(b, in->arg, &base));
	int loc = an_node_location(in->arg);
	for (size_t k = 0; k < in->n_indirection; k++) {
		const pqnode *ind = in->indirection[k];
		if (ind->node_case != PG_QUERY__NODE__NODE_A_INDICES)
			return an_unsupported("field selection from composite values", loc);
		const PgQuery__AIndices *ix = ind->a_indices;
		if (base->type.id != TYPE_ARRAY) {
			strbuf sb = STRBUF_INIT;
			ftype_format(base->type, &sb);
			ferr *e = ferr_new(SQLSTATE_DATATYPE_MISMATCH,
			                   "cannot subscript type %s because it does not support subscripting", sb.data);
			sb_free(&sb);
			return an_at(e, loc);
		}
		expr *args[3] = {base, NULL, NULL};
		if (!ix->is_slice) {
			TRY(an_expr_node(b, ix->uidx, &args[1]));
			TRY(an_func(c, "[]", 2, args, loc, &base));
			continue;
		}
		for (int j = 0; j < 2; j++) {
			const pqnode *bound = j == 0 ? ix->lidx : ix->uidx;
			if (bound) {
				TRY(an_expr_node(b, bound, &args[j + 1]));
			} else {
				args[j + 1] = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
				args[j + 1]->value.u.i = j == 0 ? 1 : INT_MAX;
			}
		}
		TRY(an_func(c, "[:]", 3, args, loc, &base));
	}
	*out = base;
	return NULL;
}

/* x op ANY (array) / x op ALL (array). */
ferr *an_array_any(bctx *b, const PgQuery__AExpr *ax, bool all, expr **out)
{
	actx *c = b->c;
	int loc = ax->location;
	const char *op = ax->n_name ? an_strval(ax->name[ax->n_name - 1]) : NULL;
	if (!op) return an_unsupported("this operator", loc);
	expr *args[2];
	TRY(an_expr_node(b, ax->lexpr, &args[0]));
	TRY(an_expr_node(b, ax->rexpr, &args[1]));
	func_match m;
	ferr *err = func_array_any_lookup(op, all, args[0]->type, args[1]->type, &m);
	if (err) return an_at(err, loc);
	return func_expr(c, &m, 2, args, loc, out);
}
