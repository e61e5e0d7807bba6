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
	return name && (!strcmp(name, "unnest") || !strcmp(name, "generate_subscripts")) && fc->n_funcname <= 2;
}

/* The FROM item's names for unnest's columns (alias column list, else
 * PostgreSQL's defaults) and fresh ids for them. */
static ferr *unnest_rte(actx *c, const PgQuery__RangeFunction *rf, int nargs, expr **args, int loc, rte **out)
{
	int ncols = nargs + (rf->ordinality ? 1 : 0);
	rte *rt = arena_zalloc(c->a, sizeof(rte));
	const char *alias = rf->alias && rf->alias->aliasname ? rf->alias->aliasname : "unnest";
	rt->alias = arena_strdup(c->a, alias);
	rt->ncols = ncols;
	rt->names = arena_zalloc(c->a, sizeof(char *) * (size_t)(ncols + 1));
	rt->ids = arena_zalloc(c->a, sizeof(int) * (size_t)(ncols + 1));
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
		rt->ids[k] = an_col_new(c, rt->names[k], ord ? ftype_make(TYPE_INT8) : ftype_array_elem(args[k]->type));
	}
	*out = rt;
	return NULL;
}

typedef struct cols_seen {
	int n, cap;
	int *ids;
} cols_seen;

static void note_col(int id, void *arg)
{
	cols_seen *s = arg;
	if (s->n < s->cap) s->ids[s->n] = id;
	s->n++;
}

static bool rel_has(const lnode *r, int id)
{
	for (int i = 0; i < r->ncols; i++)
		if (r->cols[i] == id) return true;
	return false;
}

/*
 * unnest over columns of an earlier FROM item (functions in FROM are
 * implicitly LATERAL): that item's relation becomes an LN_UNNEST over it,
 * its rows repeated per element, so the join planner sees one relation
 * with the element columns added. Arguments naming no column (parameters)
 * unnest over a one-row VALUES.
 */
static ferr *unnest_node(actx *c, int nargs, expr **args, bool ordinality, int nids, const int *ids, int loc,
                        jset *js, lnode ***slot);

static ferr *unnest_lateral(bctx *b, const PgQuery__RangeFunction *rf, int nargs, expr **args, int loc, jset *js)
{
	actx *c = b->c;
	rte *rt;
	lnode **slot;
	TRY(unnest_rte(c, rf, nargs, args, loc, &rt));
	/* over outer columns: over their distinct values, a relation of its own (decorrelate.c) */
	jset feed;
	bool outer;
	TRY(an_feed_args(b, nargs, args, nargs == 1, loc, &feed, &outer));
	TRY(unnest_node(c, nargs, args, rf->ordinality, rt->ncols, rt->ids, loc, outer ? &feed : js, &slot));
	if (outer) an_jset_add(c, js, feed.rels[0]);
	scope_add(c, b->sc, rt);
	return NULL;
}

/* The LN_UNNEST over the relation of js that args read (*slot: where it now is in js). */
static ferr *unnest_node(actx *c, int nargs, expr **args, bool ordinality, int nids, const int *ids, int loc,
                        jset *js, lnode ***slot)
{
	cols_seen seen = {0, 64, arena_zalloc(c->a, sizeof(int) * 64)};
	for (int k = 0; k < nargs; k++) an_expr_cols(args[k], note_col, &seen);
	if (seen.n > seen.cap) return an_unsupported("unnest over more than 64 column references", loc);
	int at = -1;
	for (int r = 0; r < js->n && at < 0 && seen.n; r++) {
		bool all = true;
		for (int i = 0; i < seen.n && all; i++) all = rel_has(js->rels[r], seen.ids[i]);
		if (all) at = r;
	}
	if (seen.n && at < 0)
		return an_unsupported("unnest over columns of several FROM items or of an outer query", loc);
	lnode *child = at >= 0 ? js->rels[at] : an_node(c, LN_VALUES, 0);
	if (at < 0) {
		child->nrows = 1;
		child->rows = arena_zalloc(c->a, sizeof(expr **));
		child->rows[0] = arena_zalloc(c->a, sizeof(expr *));
		child->est = 1;
	}
	lnode *u = an_node(c, LN_UNNEST, child->ncols + nids);
	memcpy(u->cols, child->cols, sizeof(int) * (size_t)child->ncols);
	memcpy(u->cols + child->ncols, ids, sizeof(int) * (size_t)nids);
	u->nchildren = 1;
	u->children = arena_zalloc(c->a, sizeof(lnode *));
	u->children[0] = child;
	u->exprs = arena_alloc(c->a, sizeof(expr *) * (size_t)nargs);
	memcpy(u->exprs, args, sizeof(expr *) * (size_t)nargs);
	u->unnest_nargs = nargs;
	u->unnest_ordinality = ordinality;
	u->est = child->est >= 0 ? child->est * 10 : -1; /* PostgreSQL guesses 10 elements */
	if (at >= 0)
		js->rels[at] = u;
	else
		an_jset_add(c, js, u);
	*slot = &js->rels[at >= 0 ? at : js->n - 1];
	return NULL;
}

static expr *int4_const(actx *c, int v)
{
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
	e->value.u.i = v;
	return e;
}

/*
 * generate_subscripts(a, dim [, reverse]) in FROM. Arrays are
 * one-dimensional, so the subscripts are unnest's ordinality over
 * CASE WHEN dim = 1 AND reverse IS NOT NULL THEN a END (no rows for another
 * dimension or a NULL argument, as the strict function gives), reversed as
 * cardinality(a) + 1 - n; one integer column.
 */
static ferr *subscripts_item(bctx *b, const PgQuery__RangeFunction *rf, const PgQuery__FuncCall *fc, jset *js)
{
	actx *c = b->c;
	int loc = fc->location, nargs = (int)fc->n_args;
	expr *a = NULL, *dim = NULL, *rev = NULL;
	if (nargs >= 1) TRY(an_expr_node(b, fc->args[0], &a));
	if (nargs < 2 || nargs > 3 || a->type.id != TYPE_ARRAY || rf->ordinality)
		return an_at(ferr_new(SQLSTATE_UNDEFINED_FUNCTION, "function generate_subscripts() does not exist"), loc);
	TRY(an_expr_node(b, fc->args[1], &dim));
	TRY(an_coerce(c, dim, ftype_make(TYPE_INT4), loc, &dim));
	expr *cond[2];
	TRY(an_make_op(c, "=", dim, int4_const(c, 1), loc, &cond[0]));
	if (nargs == 3) {
		TRY(an_expr_node(b, fc->args[2], &rev));
		TRY(an_coerce(c, rev, ftype_make(TYPE_BOOL), loc, &rev));
		cond[1] = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
		cond[1]->args[0] = rev;
		cond[1]->negate = true;
	}
	expr *masked = an_expr(c, EXPR_CASE, a->type, 2);
	masked->args[0] = nargs == 3 ? an_and(c, cond, 2) : cond[0];
	masked->args[1] = a;
	int ids[2] = {an_col_new(c, "element", ftype_array_elem(a->type)), an_col_new(c, "ordinality", ftype_make(TYPE_INT8))};
	lnode **slot;
	TRY(unnest_node(c, 1, &masked, true, 2, ids, loc, js, &slot));
	expr *sub = an_col(c, ids[1]);
	if (rev) {
		expr *card, *top, *down;
		TRY(an_func(c, "cardinality", 1, &a, loc, &card));
		TRY(an_make_op(c, "+", card, int4_const(c, 1), loc, &top));
		TRY(an_make_op(c, "-", top, an_col(c, ids[1]), loc, &down));
		expr *k = an_expr(c, EXPR_CASE, down->type, 3);
		k->args[0] = rev;
		k->args[1] = down;
		k->args[2] = an_col(c, ids[1]);
		k->has_else = true;
		sub = k;
	}
	TRY(an_coerce(c, sub, ftype_make(TYPE_INT4), loc, &sub));
	/* the relation plus the subscript column */
	lnode *u = *slot, *p = an_node(c, LN_PROJECT, u->ncols + 1);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = u;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(u->ncols + 1));
	for (int i = 0; i < u->ncols; i++) p->exprs[i] = an_col(c, p->cols[i] = u->cols[i]);
	rte *rt = arena_zalloc(c->a, sizeof(rte));
	rt->alias = arena_strdup(c->a, rf->alias && rf->alias->aliasname ? rf->alias->aliasname : "generate_subscripts");
	rt->ncols = 1;
	rt->names = arena_zalloc(c->a, sizeof(char *));
	rt->ids = arena_zalloc(c->a, sizeof(int));
	if (rf->alias && rf->alias->n_colnames > 1)
		return an_at(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
		                      "table \"%s\" has 1 columns available but %d columns specified", rt->alias,
		                      (int)rf->alias->n_colnames),
		             loc);
	rt->names[0] = rf->alias && rf->alias->n_colnames ? an_strval(rf->alias->colnames[0]) : rt->alias;
	p->exprs[u->ncols] = sub;
	p->cols[u->ncols] = rt->ids[0] = an_col_new(c, rt->names[0], ftype_make(TYPE_INT4));
	p->est = u->est;
	*slot = p;
	scope_add(c, b->sc, rt);
	return NULL;
}

/*
 * unnest(a [, b ...]) [WITH ORDINALITY] in FROM. Over constant arrays the
 * elements become the rows of a VALUES node (shorter arrays padded with
 * NULLs, as PostgreSQL's multi-argument unnest; ordinality is bigint);
 * otherwise unnest_lateral.
 */
ferr *an_unnest_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js)
{
	actx *c = b->c;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST) item = item->list->items[0];
	const PgQuery__FuncCall *fc = item->func_call;
	if (!strcmp(an_strval(fc->funcname[fc->n_funcname - 1]), "generate_subscripts")) return subscripts_item(b, rf, fc, js);
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
		if (args[k]->kind != EXPR_CONST) nrows = UINT32_MAX;
	}
	if (nrows == UINT32_MAX) return unnest_lateral(b, rf, nargs, args, loc, js);
	for (int k = 0; k < nargs; k++) {
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
	rte *rt;
	TRY(unnest_rte(c, rf, nargs, args, loc, &rt));
	if (rf->ordinality) {
		for (uint32_t r = 0; r < nrows; r++) {
			rows[r][nargs] = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT8), 0);
			rows[r][nargs]->value.u.i = (int64_t)r + 1;
		}
	}
	memcpy(v->cols, rt->ids, sizeof(int) * (size_t)ncols);
	v->nrows = (int)nrows;
	v->rows = rows;
	v->est = nrows;
	scope_add(c, b->sc, rt);
	an_jset_add(c, js, v);
	return NULL;
}

/* ---- ARRAY(subquery) ---- */

static pqnode *pq_node(actx *c, PgQuery__Node__NodeCase k)
{
	pqnode *n = arena_zalloc(c->a, sizeof(pqnode));
	pg_query__node__init(n);
	n->node_case = k;
	return n;
}

static pqnode *pq_string(actx *c, const char *s)
{
	pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_STRING);
	n->string = arena_zalloc(c->a, sizeof(PgQuery__String));
	pg_query__string__init(n->string);
	n->string->sval = arena_strdup(c->a, s);
	return n;
}

static pqnode **pq_list(actx *c, int n)
{
	return arena_zalloc(c->a, sizeof(pqnode *) * (size_t)(n ? n : 1));
}

/* alias.name as a column reference */
static pqnode *pq_colref(actx *c, const char *alias, const char *name, int location)
{
	pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_COLUMN_REF);
	n->column_ref = arena_zalloc(c->a, sizeof(PgQuery__ColumnRef));
	pg_query__column_ref__init(n->column_ref);
	n->column_ref->n_fields = 2;
	n->column_ref->fields = pq_list(c, 2);
	n->column_ref->fields[0] = pq_string(c, alias);
	n->column_ref->fields[1] = pq_string(c, name);
	n->column_ref->location = location;
	return n;
}

static pqnode *pq_target(actx *c, pqnode *val, const char *name)
{
	pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_RES_TARGET);
	n->res_target = arena_zalloc(c->a, sizeof(PgQuery__ResTarget));
	pg_query__res_target__init(n->res_target);
	n->res_target->val = val;
	n->res_target->name = name ? arena_strdup(c->a, name) : NULL;
	n->res_target->location = an_node_location(val);
	return n;
}

/* array_agg(val [ORDER BY key ...]) with the sort clause's directions */
static pqnode *pq_array_agg(actx *c, pqnode *val, int nkeys, pqnode **keys, int location)
{
	pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_FUNC_CALL);
	PgQuery__FuncCall *fc = arena_zalloc(c->a, sizeof(PgQuery__FuncCall));
	pg_query__func_call__init(fc);
	fc->n_funcname = 1;
	fc->funcname = pq_list(c, 1);
	fc->funcname[0] = pq_string(c, "array_agg");
	fc->n_args = 1;
	fc->args = pq_list(c, 1);
	fc->args[0] = val;
	fc->n_agg_order = (size_t)nkeys;
	fc->agg_order = keys;
	fc->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
	fc->location = location;
	n->func_call = fc;
	return n;
}

/* The sort clause with each key that names the output column (by position
 * or alias) replaced by `val`, as ORDER BY inside array_agg cannot see the
 * subquery's output names. */
static pqnode **sort_keys_for(actx *c, const PgQuery__SelectStmt *s, const PgQuery__ResTarget *rt, pqnode *val)
{
	int n = (int)s->n_sort_clause;
	pqnode **keys = pq_list(c, n);
	for (int i = 0; i < n; i++) {
		const pqnode *k = s->sort_clause[i];
		if (k->node_case != PG_QUERY__NODE__NODE_SORT_BY) {
			keys[i] = (pqnode *)k;
			continue;
		}
		const pqnode *kn = k->sort_by->node;
		bool is_out = false;
		if (kn && kn->node_case == PG_QUERY__NODE__NODE_A_CONST && kn->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
			is_out = kn->a_const->ival->ival == 1;
		if (kn && rt->name && kn->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && kn->column_ref->n_fields == 1) {
			const char *nm = an_strval(kn->column_ref->fields[0]);
			is_out = nm && !strcmp(nm, rt->name);
		}
		pqnode *x = pq_node(c, PG_QUERY__NODE__NODE_SORT_BY);
		x->sort_by = arena_alloc(c->a, sizeof(PgQuery__SortBy));
		*x->sort_by = *k->sort_by;
		if (is_out) x->sort_by->node = val;
		keys[i] = x;
	}
	return keys;
}

/* An aggregate call at the top of the target (possibly under a cast). */
static bool top_is_agg(const pqnode *v)
{
	while (v && v->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) v = v->type_cast->arg;
	if (!v || v->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return false;
	const PgQuery__FuncCall *fc = v->func_call;
	if (fc->over) return true; /* a window function: evaluate it in a derived table */
	const char *n = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	if (fc->agg_star || fc->agg_distinct || fc->n_agg_order || fc->agg_filter || fc->agg_within_group) return true;
	return n && (!strcmp(n, "count") || !strcmp(n, "sum") || !strcmp(n, "avg") || !strcmp(n, "min") ||
	             !strcmp(n, "max") || agg_is_ext_name(n));
}

/*
 * ARRAY(subquery): the subquery's rows folded by array_agg, as a scalar
 * subquery (so correlated ones decorrelate as scalar aggregates do), with
 * coalesce(..., '{}') outside it: no rows give an empty array, also for
 * outer rows the grouped aggregate joined back has no group for. A plain
 * SELECT becomes SELECT array_agg(x ORDER BY its ORDER BY) FROM ...; one
 * with DISTINCT, GROUP BY, aggregates, LIMIT or set operations is read
 * as a derived table first, its ORDER BY key carried out beside the value.
 */
ferr *an_array_sublink(bctx *b, const PgQuery__SubLink *sl, expr **out)
{
	actx *c = b->c;
	int loc = sl->location;
	if (sl->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return an_unsupported("this subquery", loc);
	const PgQuery__SelectStmt *s = sl->subselect->select_stmt;
	bool setop = s->op != PG_QUERY__SET_OPERATION__SETOP_NONE && s->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED;
	const PgQuery__ResTarget *rt = NULL;
	if (!setop && !s->n_values_lists) {
		if (s->n_target_list != 1 || s->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
			return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery must return only one column"), loc + 1);
		rt = s->target_list[0]->res_target;
		const pqnode *v = rt->val;
		if (v && v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF && v->column_ref->n_fields &&
		    v->column_ref->fields[v->column_ref->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR)
			return an_unsupported("ARRAY(SELECT * ...)", loc);
	}
	bool plain = rt && !s->n_distinct_clause && !s->n_group_clause && !s->having_clause && !s->limit_count &&
	             !s->limit_offset && !s->n_window_clause && !s->n_locking_clause && !top_is_agg(rt->val);
	PgQuery__SelectStmt *q = arena_alloc(c->a, sizeof(PgQuery__SelectStmt));
	if (plain) {
		*q = *s;
		pqnode **keys = sort_keys_for(c, s, rt, rt->val);
		q->n_target_list = 1;
		q->target_list = pq_list(c, 1);
		q->target_list[0] = pq_target(c, pq_array_agg(c, rt->val, (int)s->n_sort_clause, keys, loc), NULL);
		q->n_sort_clause = 0;
		q->sort_clause = NULL;
	} else {
		/* SELECT array_agg(__v ORDER BY __k) FROM (SELECT x AS __v, k AS __k ...) __array */
		PgQuery__SelectStmt *in = arena_alloc(c->a, sizeof(PgQuery__SelectStmt));
		*in = *s;
		int nkeys = 0;
		pqnode **keys = NULL;
		if (rt) {
			in->target_list = pq_list(c, 1 + (int)s->n_sort_clause);
			in->target_list[0] = pq_target(c, rt->val, "__v");
			in->n_target_list = 1;
			pqnode **sk = sort_keys_for(c, s, rt, rt->val);
			keys = pq_list(c, (int)s->n_sort_clause);
			for (size_t i = 0; i < s->n_sort_clause; i++) {
				if (sk[i]->node_case != PG_QUERY__NODE__NODE_SORT_BY) return an_unsupported("this ORDER BY", loc);
				char nm[32];
				/* with DISTINCT the key must be the value itself (as PostgreSQL requires) */
				if (s->n_distinct_clause) {
					snprintf(nm, sizeof nm, "__v");
				} else {
					snprintf(nm, sizeof nm, "__k%zu", i);
					in->target_list[in->n_target_list++] = pq_target(c, sk[i]->sort_by->node, nm);
				}
				pqnode *k = pq_node(c, PG_QUERY__NODE__NODE_SORT_BY);
				k->sort_by = arena_alloc(c->a, sizeof(PgQuery__SortBy));
				*k->sort_by = *sk[i]->sort_by;
				k->sort_by->node = pq_colref(c, "__array", nm, loc);
				keys[nkeys++] = k;
			}
			/* the inner ORDER BY stays (LIMIT needs it), without the output's name */
			in->sort_clause = sk;
		}
		pqnode *from = pq_node(c, PG_QUERY__NODE__NODE_RANGE_SUBSELECT);
		from->range_subselect = arena_zalloc(c->a, sizeof(PgQuery__RangeSubselect));
		pg_query__range_subselect__init(from->range_subselect);
		pqnode *sub = pq_node(c, PG_QUERY__NODE__NODE_SELECT_STMT);
		sub->select_stmt = in;
		from->range_subselect->subquery = sub;
		from->range_subselect->alias = arena_zalloc(c->a, sizeof(PgQuery__Alias));
		pg_query__alias__init(from->range_subselect->alias);
		from->range_subselect->alias->aliasname = "__array";
		if (!rt) {
			/* a set operation or VALUES: its one column, whatever its name, is __v */
			from->range_subselect->alias->n_colnames = 1;
			from->range_subselect->alias->colnames = pq_list(c, 1);
			from->range_subselect->alias->colnames[0] = pq_string(c, "__v");
		}
		pg_query__select_stmt__init(q);
		q->n_target_list = 1;
		q->target_list = pq_list(c, 1);
		q->target_list[0] = pq_target(c, pq_array_agg(c, pq_colref(c, "__array", "__v", loc), nkeys, keys, loc), NULL);
		q->n_from_clause = 1;
		q->from_clause = pq_list(c, 1);
		q->from_clause[0] = from;
		q->op = PG_QUERY__SET_OPERATION__SETOP_NONE;
		q->limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	}
	PgQuery__SubLink *x = arena_alloc(c->a, sizeof(PgQuery__SubLink));
	*x = *sl;
	x->sub_link_type = PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK;
	x->subselect = pq_node(c, PG_QUERY__NODE__NODE_SELECT_STMT);
	x->subselect->select_stmt = q;
	pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_SUB_LINK);
	n->sub_link = x;
	expr *agg;
	TRY(an_expr_node(b, n, &agg));
	if (agg->type.id != TYPE_ARRAY) return an_unsupported("ARRAY(subquery) over this type", loc);
	expr *empty = an_expr(c, EXPR_CONST, agg->type, 0);
	array_builder ab;
	array_builder_init(&ab, ftype_array_elem(agg->type), c->a);
	empty->value.u.s = array_builder_finish(&ab);
	expr *e = an_expr(c, EXPR_COALESCE, agg->type, 2);
	e->args[0] = agg;
	e->args[1] = empty;
	*out = e;
	return NULL;
}

/* ---- unnest in the select list ---- */

/* unnest(x) as written in a select list (one argument, no aggregate syntax). */
static bool is_srf_unnest(const pqnode *v)
{
	if (!v || v->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return false;
	const PgQuery__FuncCall *fc = v->func_call;
	const char *n = fc->n_funcname ? an_strval(fc->funcname[fc->n_funcname - 1]) : NULL;
	if (!n || strcmp(n, "unnest") != 0 || fc->n_funcname > 2 || fc->n_args != 1) return false;
	if (fc->n_funcname == 2 && strcmp(an_strval(fc->funcname[0]) ?: "", "pg_catalog") != 0) return false;
	return !fc->agg_star && !fc->agg_distinct && !fc->over && !fc->n_agg_order && !fc->agg_filter &&
	       !fc->agg_within_group;
}

/* Where the unnest(x) calls of a select list go: one multi-argument unnest in FROM. */
typedef struct srf_ctx {
	actx *c;
	PgQuery__FuncCall *fc; /* NULL while counting */
	PgQuery__Alias *al;
	int n;
} srf_ctx;

/* v with each unnest(x) in it (under operators, casts and function
 * arguments) replaced by its column of __srf; v itself when it has none. */
static pqnode *srf_replace(srf_ctx *s, pqnode *v)
{
	if (!v) return v;
	actx *c = s->c;
	switch (v->node_case) {
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *call = v->func_call;
		if (is_srf_unnest(v)) {
			if (!s->fc) {
				s->n++;
				return NULL; /* counting: any non-v result says "found" */
			}
			char nm[32];
			snprintf(nm, sizeof nm, "__u%zu", s->fc->n_args);
			if (!s->fc->location) s->fc->location = call->location;
			s->fc->args[s->fc->n_args++] = call->args[0];
			s->al->colnames[s->al->n_colnames++] = pq_string(c, nm);
			return pq_colref(c, "__srf", nm, call->location);
		}
		if (call->over || call->agg_star || call->agg_distinct || call->n_agg_order || call->agg_filter) return v;
		pqnode **args = NULL;
		for (size_t i = 0; i < call->n_args; i++) {
			pqnode *x = srf_replace(s, call->args[i]);
			if (x == call->args[i]) continue;
			if (!args) {
				args = pq_list(c, (int)call->n_args);
				memcpy(args, call->args, sizeof(pqnode *) * call->n_args);
			}
			args[i] = x;
		}
		if (!args) return v;
		pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_FUNC_CALL);
		n->func_call = arena_alloc(c->a, sizeof(PgQuery__FuncCall));
		*n->func_call = *call;
		n->func_call->args = args;
		return n;
	}
	case PG_QUERY__NODE__NODE_A_EXPR: {
		pqnode *l = srf_replace(s, v->a_expr->lexpr), *r = srf_replace(s, v->a_expr->rexpr);
		if (l == v->a_expr->lexpr && r == v->a_expr->rexpr) return v;
		pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_A_EXPR);
		n->a_expr = arena_alloc(c->a, sizeof(PgQuery__AExpr));
		*n->a_expr = *v->a_expr;
		n->a_expr->lexpr = l;
		n->a_expr->rexpr = r;
		return n;
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		pqnode *x = srf_replace(s, v->type_cast->arg);
		if (x == v->type_cast->arg) return v;
		pqnode *n = pq_node(c, PG_QUERY__NODE__NODE_TYPE_CAST);
		n->type_cast = arena_alloc(c->a, sizeof(PgQuery__TypeCast));
		*n->type_cast = *v->type_cast;
		n->type_cast->arg = x;
		return n;
	}
	default: return v;
	}
}

/*
 * SELECT a, unnest(x) * 2, unnest(y) FROM f WHERE w ... becomes
 * SELECT a, __srf.__u0 * 2, __srf.__u1 FROM f, unnest(x, y) __srf(__u0,
 * __u1) WHERE w ...: PostgreSQL's select-list SRFs run in step (the longer
 * array pads the shorter with NULLs) after WHERE and before ORDER BY and
 * LIMIT, which is what the multi-argument unnest in FROM (implicitly
 * LATERAL) gives. Statements that aggregate, group, use DISTINCT or window
 * functions are left as they are (unnest then reports 0A000).
 */
const PgQuery__SelectStmt *an_srf_select(actx *c, const PgQuery__SelectStmt *st)
{
	srf_ctx s = {.c = c};
	for (size_t i = 0; i < st->n_target_list; i++) {
		const pqnode *t = st->target_list[i];
		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET) continue;
		if (top_is_agg(t->res_target->val)) return st;
		srf_replace(&s, t->res_target->val);
	}
	if (!s.n || st->n_group_clause || st->having_clause || st->n_distinct_clause || st->n_window_clause) return st;
	PgQuery__SelectStmt *q = arena_alloc(c->a, sizeof(PgQuery__SelectStmt));
	*q = *st;
	q->target_list = pq_list(c, (int)st->n_target_list);
	s.fc = arena_zalloc(c->a, sizeof(PgQuery__FuncCall));
	pg_query__func_call__init(s.fc);
	s.fc->n_funcname = 1;
	s.fc->funcname = pq_list(c, 1);
	s.fc->funcname[0] = pq_string(c, "unnest");
	s.fc->args = pq_list(c, s.n);
	s.fc->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
	s.al = arena_zalloc(c->a, sizeof(PgQuery__Alias));
	pg_query__alias__init(s.al);
	s.al->aliasname = "__srf";
	s.al->colnames = pq_list(c, s.n);
	for (size_t i = 0; i < st->n_target_list; i++) {
		const pqnode *t = st->target_list[i];
		q->target_list[i] = (pqnode *)t;
		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET) continue;
		const PgQuery__ResTarget *rt = t->res_target;
		pqnode *v = srf_replace(&s, rt->val);
		if (v == rt->val) continue;
		/* the output keeps the name PostgreSQL gives the expression as written */
		q->target_list[i] = pq_target(c, v, rt->name && *rt->name ? rt->name : an_figure_colname(rt->val));
		q->target_list[i]->res_target->location = rt->location;
	}
	/* RangeFunction.functions holds (call, column definitions) lists */
	pqnode *call = pq_node(c, PG_QUERY__NODE__NODE_FUNC_CALL), *item = pq_node(c, PG_QUERY__NODE__NODE_LIST);
	call->func_call = s.fc;
	PgQuery__List *pair = arena_zalloc(c->a, sizeof(PgQuery__List));
	pg_query__list__init(pair);
	pair->items = pq_list(c, 1);
	pair->items[pair->n_items++] = call;
	item->list = pair;
	pqnode *from = pq_node(c, PG_QUERY__NODE__NODE_RANGE_FUNCTION);
	from->range_function = arena_zalloc(c->a, sizeof(PgQuery__RangeFunction));
	pg_query__range_function__init(from->range_function);
	from->range_function->n_functions = 1;
	from->range_function->functions = pq_list(c, 1);
	from->range_function->functions[0] = item;
	from->range_function->alias = s.al;
	q->from_clause = pq_list(c, (int)st->n_from_clause + 1);
	for (size_t i = 0; i < st->n_from_clause; i++) q->from_clause[i] = st->from_clause[i];
	q->from_clause[st->n_from_clause] = from;
	q->n_from_clause = st->n_from_clause + 1;
	return q;
}
