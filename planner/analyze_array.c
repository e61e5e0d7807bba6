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

/* An element in vector layout as a constant's fvalue. */
static void elem_fvalue(ftype t, const void *e, fvalue *v)
{
	memset(v, 0, sizeof *v);
	if (!e) {
		v->isnull = true;
		return;
	}
	switch (t.id) {
	case TYPE_BOOL: v->u.b = *(const uint8_t *)e != 0; break;
	case TYPE_INT2: v->u.i = *(const int16_t *)e; break;
	case TYPE_INT4: case TYPE_DATE: v->u.i = *(const int32_t *)e; break;
	case TYPE_FLOAT4: v->u.f = *(const float *)e; break;
	default: memcpy((void *)fvalue_ptr(t, v), e, ftype_width(t)); break;
	}
}

bool an_is_unnest(const PgQuery__RangeFunction *rf)
{
	if (rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist) return false;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST && item->list->n_items >= 1) item = item->list->items[0];
	if (item->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return false;
	const PgQuery__FuncCall *fc = item->func_call;
	const char *name = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	return name && !strcmp(name, "unnest") && fc->n_funcname <= 2;
}

/*
 * unnest(a [, b ...]) [WITH ORDINALITY] in FROM over constant arrays: the
 * elements become the rows of a VALUES node (shorter arrays padded with
 * NULLs, as PostgreSQL's multi-argument unnest; ordinality is bigint).
 */
ferr *an_unnest_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js)
{
	actx *c = b->c;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST) item = item->list->items[0];
	const PgQuery__FuncCall *fc = item->func_call;
	int loc = fc->location, nargs = (int)fc->n_args;
	if (nargs < 1 || fc->agg_star || fc->agg_distinct || fc->over || fc->n_agg_order || fc->agg_filter)
		return an_at(ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function unnest() does not exist"), loc);
	expr **args = arena_zalloc(c->a, sizeof(expr *) * (size_t)nargs);
	uint32_t nrows = 0;
	for (int k = 0; k < nargs; k++) {
		TRY(an_expr_node(b, fc->args[k], &args[k]));
		if (untyped(args[k]->type)) TRY(an_coerce(c, args[k], ftype_array(ftype_make(TYPE_TEXT)), loc, &args[k]));
		if (args[k]->type.id != TYPE_ARRAY) {
			strbuf sb = STRBUF_INIT;
			ftype_format(args[k]->type, &sb);
			ferr *e = ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function unnest(%s) does not exist", sb.data);
			sb_free(&sb);
			return an_at(e, loc);
		}
		if (args[k]->kind != EXPR_CONST) return an_unsupported("unnest with column arguments (LATERAL)", loc);
		uint32_t n = args[k]->value.isnull ? 0 : array_count(args[k]->value.u.s);
		if (n > nrows) nrows = n;
	}
	if (nrows > 1000000) return an_unsupported("unnest of more than a million constant elements", loc);
	int ncols = nargs + (rf->ordinality ? 1 : 0);
	lnode *v = an_node(c, LN_VALUES, ncols);
	expr ***rows = arena_zalloc(c->a, sizeof(expr **) * (size_t)(nrows + 1));
	for (uint32_t r = 0; r < nrows; r++) rows[r] = arena_zalloc(c->a, sizeof(expr *) * (size_t)ncols);
	for (int k = 0; k < nargs; k++) {
		ftype et = ftype_array_elem(args[k]->type);
		array_iter it;
		array_iter_init(&it, args[k]->type, args[k]->value.isnull ? (fstring){0, NULL} : args[k]->value.u.s);
		for (uint32_t r = 0; r < nrows; r++) {
			const void *e = NULL;
			if (!array_iter_next(&it, &e)) e = NULL;
			rows[r][k] = an_expr(c, EXPR_CONST, et, 0);
			elem_fvalue(et, e, &rows[r][k]->value);
		}
	}
	rte *rt = arena_zalloc(c->a, sizeof(rte));
	const char *alias = rf->alias && rf->alias->aliasname ? rf->alias->aliasname : "unnest";
	rt->alias = arena_strdup(c->a, alias);
	rt->ncols = ncols;
	rt->names = arena_zalloc(c->a, sizeof(char *) * (size_t)(ncols + 1));
	if (rf->alias && (int)rf->alias->n_colnames > ncols)
		return an_at(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
		                      "table \"%s\" has %d columns available but %d columns specified", rt->alias, ncols,
		                      (int)rf->alias->n_colnames),
		             loc);
	for (int k = 0; k < ncols; k++) {
		bool ord = k == nargs;
		const char *nm = ord ? "ordinality" : nargs == 1 ? rt->alias : "unnest";
		if (rf->alias && k < (int)rf->alias->n_colnames) nm = an_strval(rf->alias->colnames[k]);
		rt->names[k] = arena_strdup(c->a, nm ? nm : "?");
		if (ord) {
			for (uint32_t r = 0; r < nrows; r++) {
				rows[r][k] = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT8), 0);
				rows[r][k]->value.u.i = (int64_t)r + 1;
			}
		}
		v->cols[k] = an_col_new(c, rt->names[k], ord ? ftype_make(TYPE_INT8) : ftype_array_elem(args[k]->type));
	}
	v->nrows = (int)nrows;
	v->rows = rows;
	v->est = nrows;
	rt->ids = v->cols;
	scope_add(c, b->sc, rt);
	an_jset_add(c, js, v);
	return NULL;
}
