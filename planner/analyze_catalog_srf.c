/*
 * analyze_catalog_srf.c — the set-returning catalog functions psql calls,
 * rewritten (in the parse tree, before analysis) into the unnest of an
 * array-valued function, so that they run wherever unnest does: in FROM
 * (WITH ORDINALITY, over columns of earlier items or of an outer query)
 * and in the select list (bare or under casts). pg_partition_ancestors(x) becomes
 * unnest(ferry_partition_ancestors(x::regclass)) (exec/functions_catalog.c).
 * Never changes the parse tree it is given: rewritten nodes are new ones.
 */
#include <string.h>

#include "planner/analyze_internal.h"

static pqnode *new_node(actx *c, PgQuery__Node__NodeCase k)
{
	pqnode *n = arena_zalloc(c->a, sizeof(pqnode));
	pg_query__node__init(n);
	n->node_case = k;
	return n;
}

/* The qualified name pg_catalog.<name> as a list of two String nodes. */
static pqnode **catalog_name(actx *c, const char *name)
{
	const char *parts[2] = {"pg_catalog", name};
	pqnode **list = arena_zalloc(c->a, sizeof(pqnode *) * 2);
	PgQuery__String *str = arena_zalloc(c->a, sizeof(PgQuery__String) * 2);
	for (int i = 0; i < 2; i++) {
		pg_query__string__init(&str[i]);
		str[i].sval = (char *)parts[i];
		list[i] = new_node(c, PG_QUERY__NODE__NODE_STRING);
		list[i]->string = &str[i];
	}
	return list;
}

/* pg_catalog.<name>(arg) */
static pqnode *catalog_call(actx *c, const char *name, pqnode *arg, int location)
{
	pqnode *n = new_node(c, PG_QUERY__NODE__NODE_FUNC_CALL);
	PgQuery__FuncCall *fc = arena_zalloc(c->a, sizeof(PgQuery__FuncCall));
	pg_query__func_call__init(fc);
	fc->n_funcname = 2;
	fc->funcname = catalog_name(c, name);
	fc->n_args = 1;
	fc->args = arena_zalloc(c->a, sizeof(pqnode *));
	fc->args[0] = arg;
	fc->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
	fc->location = location;
	n->func_call = fc;
	return n;
}

/* pg_partition_ancestors(x), as written (schema pg_catalog or none, one argument). */
static const PgQuery__FuncCall *ancestors_call(const pqnode *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL) return NULL;
	const PgQuery__FuncCall *fc = n->func_call;
	if (fc->n_funcname < 1 || fc->n_funcname > 2 || fc->n_args != 1 || fc->agg_star ||
	    fc->agg_distinct || fc->over || fc->n_agg_order || fc->agg_filter ||
	    fc->agg_within_group)
		return NULL;
	const char *name = an_strval(fc->funcname[fc->n_funcname - 1]);
	if (!name || strcmp(name, "pg_partition_ancestors") != 0) return NULL;
	if (fc->n_funcname == 2 && strcmp(an_strval(fc->funcname[0]) ?: "", "pg_catalog") != 0)
		return NULL;
	return fc;
}

/* unnest(pg_catalog.ferry_partition_ancestors(x::pg_catalog.regclass)) */
static pqnode *ancestors_unnest(actx *c, const PgQuery__FuncCall *fc)
{
	pqnode *cast = new_node(c, PG_QUERY__NODE__NODE_TYPE_CAST);
	cast->type_cast = arena_zalloc(c->a, sizeof(PgQuery__TypeCast));
	pg_query__type_cast__init(cast->type_cast);
	cast->type_cast->arg = fc->args[0];
	PgQuery__TypeName *tn = arena_zalloc(c->a, sizeof(PgQuery__TypeName));
	pg_query__type_name__init(tn);
	tn->n_names = 2;
	tn->names = catalog_name(c, "regclass");
	tn->typemod = -1;
	tn->location = -1;
	cast->type_cast->type_name = tn;
	cast->type_cast->location = -1;
	pqnode *u = catalog_call(c, "unnest",
	                         catalog_call(c, "ferry_partition_ancestors", cast, fc->location),
	                         fc->location);
	return u;
}

/* v rewritten when it is a catalog set-returning call, bare or under casts (the forms psql
 * sends); v itself otherwise. */
static pqnode *rewrite_value(actx *c, pqnode *v)
{
	if (!v) return v;
	const PgQuery__FuncCall *anc = ancestors_call(v);
	if (anc) return ancestors_unnest(c, anc);
	if (v->node_case != PG_QUERY__NODE__NODE_TYPE_CAST) return v;
	pqnode *x = rewrite_value(c, v->type_cast->arg);
	if (x == v->type_cast->arg) return v;
	pqnode *n = new_node(c, v->node_case);
	n->type_cast = arena_alloc(c->a, sizeof(PgQuery__TypeCast));
	*n->type_cast = *v->type_cast;
	n->type_cast->arg = x;
	return n;
}

const PgQuery__SelectStmt *an_catalog_srf_select(actx *c, const PgQuery__SelectStmt *st)
{
	PgQuery__SelectStmt *q = NULL;
	for (size_t i = 0; i < st->n_target_list; i++) {
		const pqnode *t = st->target_list[i];
		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET) continue;
		const PgQuery__ResTarget *rt = t->res_target;
		pqnode *v = rewrite_value(c, rt->val);
		if (v == rt->val) continue;
		if (!q) {
			q = arena_alloc(c->a, sizeof(PgQuery__SelectStmt));
			*q = *st;
			q->target_list = arena_alloc(c->a, sizeof(pqnode *) * st->n_target_list);
			memcpy(q->target_list, st->target_list,
			       sizeof(pqnode *) * st->n_target_list);
		}
		pqnode *nt = new_node(c, PG_QUERY__NODE__NODE_RES_TARGET);
		nt->res_target = arena_alloc(c->a, sizeof(PgQuery__ResTarget));
		*nt->res_target = *rt;
		nt->res_target->val = v;
		/* the output keeps the name PostgreSQL gives the call as written */
		if (!rt->name || !*rt->name)
			nt->res_target->name = arena_strdup(c->a, an_figure_colname(rt->val));
		q->target_list[i] = nt;
	}
	return q ? q : st;
}

const PgQuery__RangeFunction *an_catalog_srf_from(actx *c, const PgQuery__RangeFunction *rf)
{
	if (rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist) return rf;
	const pqnode *item = rf->functions[0];
	if (item->node_case != PG_QUERY__NODE__NODE_LIST || item->list->n_items < 1) return rf;
	const PgQuery__FuncCall *anc = ancestors_call(item->list->items[0]);
	if (!anc) return rf;
	PgQuery__List *pair = arena_alloc(c->a, sizeof(PgQuery__List));
	*pair = *item->list;
	pair->items = arena_alloc(c->a, sizeof(pqnode *) * item->list->n_items);
	memcpy(pair->items, item->list->items, sizeof(pqnode *) * item->list->n_items);
	pair->items[0] = ancestors_unnest(c, anc);
	pqnode *ni = new_node(c, PG_QUERY__NODE__NODE_LIST);
	ni->list = pair;
	PgQuery__RangeFunction *r = arena_alloc(c->a, sizeof(PgQuery__RangeFunction));
	*r = *rf;
	r->functions = arena_alloc(c->a, sizeof(pqnode *));
	r->functions[0] = ni;
	/* PostgreSQL's names: the function's for the item, its OUT argument's for the column */
	PgQuery__Alias *al = arena_zalloc(c->a, sizeof(PgQuery__Alias));
	pg_query__alias__init(al);
	if (rf->alias) *al = *rf->alias;
	if (!al->aliasname) al->aliasname = "pg_partition_ancestors";
	if (al->n_colnames == 0) {
		/* the second part of pg_catalog.relid: the column name alone */
		al->n_colnames = 1;
		al->colnames = catalog_name(c, "relid") + 1;
	}
	r->alias = al;
	return r;
}
