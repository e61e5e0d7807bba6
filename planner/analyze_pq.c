/*
 * analyze_pq.c — parse-tree nodes built in the statement's arena, for the
 * analyzer's rewrites into SQL a user could have written (analyze_regexp.c,
 * analyze_recursive.c). The nodes are never freed one by one and never
 * handed to protobuf-c's own free functions.
 */
#include <string.h>

#include "planner/analyze_internal.h"

void *an_pq_new(actx *c, size_t size, void (*init)(void *))
{
	void *p = arena_zalloc(c->a, size);
	init(p);
	return p;
}

pqnode *an_pq_wrap(actx *c, PgQuery__Node__NodeCase k, void *msg)
{
	pqnode *n = AN_PQ_NEW(c, pqnode, pg_query__node__init);
	n->node_case = k;
	n->func_call = msg; /* the oneof's members share their storage */
	return n;
}

pqnode **an_pq_list(actx *c, size_t n) { return arena_zalloc(c->a, sizeof(pqnode *) * (n ? n : 1)); }

pqnode *an_pq_str(actx *c, const char *s)
{
	PgQuery__String *v = AN_PQ_NEW(c, PgQuery__String, pg_query__string__init);
	v->sval = arena_strdup(c->a, s);
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_STRING, v);
}

pqnode *an_pq_int(actx *c, int v)
{
	PgQuery__Integer *i = AN_PQ_NEW(c, PgQuery__Integer, pg_query__integer__init);
	i->ival = v;
	PgQuery__AConst *k = AN_PQ_NEW(c, PgQuery__AConst, pg_query__a__const__init);
	k->val_case = PG_QUERY__A__CONST__VAL_IVAL;
	k->ival = i;
	k->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_A_CONST, k);
}

pqnode *an_pq_call(actx *c, const char *name, size_t nargs, pqnode **args, int location)
{
	PgQuery__FuncCall *fc = AN_PQ_NEW(c, PgQuery__FuncCall, pg_query__func_call__init);
	fc->n_funcname = 1;
	fc->funcname = an_pq_list(c, 1);
	fc->funcname[0] = an_pq_str(c, name);
	fc->n_args = nargs;
	fc->args = args;
	fc->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
	fc->location = location;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_FUNC_CALL, fc);
}

pqnode *an_pq_colref(actx *c, const char *rel, const char *col, int location)
{
	PgQuery__ColumnRef *cr = AN_PQ_NEW(c, PgQuery__ColumnRef, pg_query__column_ref__init);
	cr->n_fields = rel ? 2 : 1;
	cr->fields = an_pq_list(c, cr->n_fields);
	if (rel) cr->fields[0] = an_pq_str(c, rel);
	cr->fields[cr->n_fields - 1] = an_pq_str(c, col);
	cr->location = location;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_COLUMN_REF, cr);
}

pqnode *an_pq_op(actx *c, PgQuery__AExprKind kind, const char *op, pqnode *l, pqnode *r)
{
	PgQuery__AExpr *e = AN_PQ_NEW(c, PgQuery__AExpr, pg_query__a__expr__init);
	e->kind = kind;
	e->n_name = 1;
	e->name = an_pq_list(c, 1);
	e->name[0] = an_pq_str(c, op);
	e->lexpr = l;
	e->rexpr = r;
	e->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_A_EXPR, e);
}

pqnode *an_pq_array(actx *c, size_t n, pqnode **elems)
{
	PgQuery__AArrayExpr *a = AN_PQ_NEW(c, PgQuery__AArrayExpr, pg_query__a__array_expr__init);
	a->n_elements = n;
	a->elements = elems;
	a->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_A_ARRAY_EXPR, a);
}

pqnode *an_pq_cast(actx *c, pqnode *arg, const char *type, bool array)
{
	PgQuery__TypeName *tn = AN_PQ_NEW(c, PgQuery__TypeName, pg_query__type_name__init);
	tn->n_names = 1;
	tn->names = an_pq_list(c, 1);
	tn->names[0] = an_pq_str(c, type);
	if (array) {
		PgQuery__Integer *bound = AN_PQ_NEW(c, PgQuery__Integer, pg_query__integer__init);
		bound->ival = -1;
		tn->n_array_bounds = 1;
		tn->array_bounds = an_pq_list(c, 1);
		tn->array_bounds[0] = an_pq_wrap(c, PG_QUERY__NODE__NODE_INTEGER, bound);
	}
	tn->location = -1;
	PgQuery__TypeCast *tc = AN_PQ_NEW(c, PgQuery__TypeCast, pg_query__type_cast__init);
	tc->arg = arg;
	tc->type_name = tn;
	tc->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_TYPE_CAST, tc);
}

pqnode *an_pq_target(actx *c, pqnode *val, const char *name)
{
	PgQuery__ResTarget *rt = AN_PQ_NEW(c, PgQuery__ResTarget, pg_query__res_target__init);
	rt->val = val;
	rt->name = name ? arena_strdup(c->a, name) : NULL;
	rt->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_RES_TARGET, rt);
}

PgQuery__Alias *an_pq_alias(actx *c, const char *name, size_t ncols, const char *const *cols)
{
	PgQuery__Alias *al = AN_PQ_NEW(c, PgQuery__Alias, pg_query__alias__init);
	al->aliasname = arena_strdup(c->a, name);
	al->n_colnames = ncols;
	al->colnames = an_pq_list(c, ncols);
	for (size_t i = 0; i < ncols; i++) al->colnames[i] = an_pq_str(c, cols[i]);
	return al;
}

PgQuery__SelectStmt *an_pq_select(actx *c, size_t ntargets, pqnode *from)
{
	PgQuery__SelectStmt *st = AN_PQ_NEW(c, PgQuery__SelectStmt, pg_query__select_stmt__init);
	st->op = PG_QUERY__SET_OPERATION__SETOP_NONE;
	st->limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	st->n_target_list = ntargets;
	st->target_list = an_pq_list(c, ntargets);
	st->n_from_clause = 1;
	st->from_clause = an_pq_list(c, 1);
	st->from_clause[0] = from;
	return st;
}

pqnode *an_pq_subselect(actx *c, bool lateral, PgQuery__SelectStmt *st, PgQuery__Alias *alias)
{
	PgQuery__RangeSubselect *rs = AN_PQ_NEW(c, PgQuery__RangeSubselect, pg_query__range_subselect__init);
	rs->lateral = lateral;
	rs->subquery = an_pq_wrap(c, PG_QUERY__NODE__NODE_SELECT_STMT, st);
	rs->alias = alias;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_RANGE_SUBSELECT, rs);
}
