/*
 * analyze_regexp.c — the set-returning regular-expression functions in FROM,
 * rewritten onto unnest the way a user could have written them:
 *   regexp_split_to_table(s, p [, f])  ->  unnest(__regexp_split_to_table(s, p [, f]))
 *   regexp_matches(s, p [, f])         ->  LATERAL (SELECT m::text[] FROM
 *                                           unnest(__regexp_matches(s, p [, f])) m)
 * (exec/functions_text.c: __regexp_split_to_table is regexp_split_to_array
 * under the name errors should show; __regexp_matches gives each match's
 * text[] in its text form). The column and the item take the function's name unless
 * aliased, as in PostgreSQL. Only parse-tree nodes are built here; typing and
 * errors are the rewritten query's own.
 */
#include <string.h>

#include "planner/analyze_internal.h"

static void *pq_new(actx *c, size_t size, void (*init)(void *))
{
	void *p = arena_zalloc(c->a, size);
	init(p);
	return p;
}
#define PQ_NEW(c, type, init) ((type *)pq_new((c), sizeof(type), (void (*)(void *))(init)))

static pqnode *pq_wrap(actx *c, PgQuery__Node__NodeCase k, void *msg)
{
	pqnode *n = PQ_NEW(c, pqnode, pg_query__node__init);
	n->node_case = k;
	n->func_call = msg; /* the oneof's members share their storage */
	return n;
}

static pqnode *pq_str(actx *c, const char *s)
{
	PgQuery__String *v = PQ_NEW(c, PgQuery__String, pg_query__string__init);
	v->sval = arena_strdup(c->a, s);
	return pq_wrap(c, PG_QUERY__NODE__NODE_STRING, v);
}

/* name(args) as written by a user, at location */
static pqnode *pq_call(actx *c, const char *name, size_t nargs, pqnode **args, int location)
{
	PgQuery__FuncCall *fc = PQ_NEW(c, PgQuery__FuncCall, pg_query__func_call__init);
	fc->n_funcname = 1;
	fc->funcname = arena_zalloc(c->a, sizeof(pqnode *));
	fc->funcname[0] = pq_str(c, name);
	fc->n_args = nargs;
	fc->args = args;
	fc->funcformat = PG_QUERY__COERCION_FORM__COERCE_EXPLICIT_CALL;
	fc->location = location;
	return pq_wrap(c, PG_QUERY__NODE__NODE_FUNC_CALL, fc);
}

/* RangeFunction.functions holds one (call, column definitions) list per function */
static pqnode **pq_functions(actx *c, pqnode *call)
{
	PgQuery__List *l = PQ_NEW(c, PgQuery__List, pg_query__list__init);
	l->n_items = 2;
	l->items = arena_zalloc(c->a, 2 * sizeof(pqnode *));
	l->items[0] = call;
	pqnode **fns = arena_zalloc(c->a, sizeof(pqnode *));
	fns[0] = pq_wrap(c, PG_QUERY__NODE__NODE_LIST, l);
	return fns;
}

/* The user's alias, or one named after the function. */
static PgQuery__Alias *alias_of(actx *c, const PgQuery__RangeFunction *rf, const char *fname)
{
	if (rf->alias && rf->alias->aliasname) return rf->alias;
	PgQuery__Alias *al = PQ_NEW(c, PgQuery__Alias, pg_query__alias__init);
	al->aliasname = arena_strdup(c->a, fname);
	return al;
}

/* The one call of a plain function item, or NULL. */
static const PgQuery__FuncCall *only_call(const PgQuery__RangeFunction *rf)
{
	if (rf->is_rowsfrom || rf->n_functions != 1 || rf->n_coldeflist) return NULL;
	const pqnode *item = rf->functions[0];
	if (item->node_case == PG_QUERY__NODE__NODE_LIST && item->list->n_items >= 1) item = item->list->items[0];
	return item->node_case == PG_QUERY__NODE__NODE_FUNC_CALL ? item->func_call : NULL;
}

static const char *regexp_srf_name(const PgQuery__RangeFunction *rf)
{
	const PgQuery__FuncCall *fc = only_call(rf);
	if (!fc || fc->n_funcname < 1 || fc->n_funcname > 2) return NULL;
	const char *name = an_strval(fc->funcname[fc->n_funcname - 1]);
	if (fc->n_funcname == 2 && strcmp(an_strval(fc->funcname[0]) ?: "", "pg_catalog") != 0) return NULL;
	if (!name || (strcmp(name, "regexp_split_to_table") != 0 && strcmp(name, "regexp_matches") != 0))
		return NULL;
	return name;
}

bool an_is_regexp_srf(const PgQuery__RangeFunction *rf) { return regexp_srf_name(rf) != NULL; }

ferr *an_regexp_srf_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js)
{
	actx *c = b->c;
	const char *fname = regexp_srf_name(rf);
	const PgQuery__FuncCall *fc = only_call(rf);
	if (fc->agg_star || fc->agg_distinct || fc->over || fc->n_agg_order || fc->agg_filter)
		return an_unsupported("this form of a function in FROM", fc->location);
	PgQuery__RangeFunction *u = PQ_NEW(c, PgQuery__RangeFunction, pg_query__range_function__init);
	u->n_functions = 1;
	u->alias = alias_of(c, rf, fname);
	bool split = !strcmp(fname, "regexp_split_to_table");
	pqnode **arg = arena_zalloc(c->a, sizeof(pqnode *));
	arg[0] = pq_call(c, split ? "__regexp_split_to_table" : "__regexp_matches", fc->n_args, fc->args, fc->location);
	u->functions = pq_functions(c, pq_call(c, "unnest", 1, arg, fc->location));
	if (split) {
		/* one text column named after the item, as unnest's */
		u->ordinality = rf->ordinality;
		return an_unnest_item(b, u, js);
	}
	if (rf->ordinality) return an_unsupported("WITH ORDINALITY on regexp_matches", fc->location);
	/* regexp_matches: each element read back as the text[] it prints */
	u->alias = PQ_NEW(c, PgQuery__Alias, pg_query__alias__init);
	u->alias->aliasname = "__m";
	PgQuery__ColumnRef *cr = PQ_NEW(c, PgQuery__ColumnRef, pg_query__column_ref__init);
	cr->n_fields = 1;
	cr->fields = arena_zalloc(c->a, sizeof(pqnode *));
	cr->fields[0] = pq_str(c, "__m");
	cr->location = fc->location;
	PgQuery__TypeName *tn = PQ_NEW(c, PgQuery__TypeName, pg_query__type_name__init);
	tn->n_names = 1;
	tn->names = arena_zalloc(c->a, sizeof(pqnode *));
	tn->names[0] = pq_str(c, "text");
	PgQuery__Integer *bound = PQ_NEW(c, PgQuery__Integer, pg_query__integer__init);
	bound->ival = -1;
	tn->n_array_bounds = 1;
	tn->array_bounds = arena_zalloc(c->a, sizeof(pqnode *));
	tn->array_bounds[0] = pq_wrap(c, PG_QUERY__NODE__NODE_INTEGER, bound);
	tn->location = -1;
	PgQuery__TypeCast *tc = PQ_NEW(c, PgQuery__TypeCast, pg_query__type_cast__init);
	tc->arg = pq_wrap(c, PG_QUERY__NODE__NODE_COLUMN_REF, cr);
	tc->type_name = tn;
	tc->location = -1;
	PgQuery__ResTarget *rt = PQ_NEW(c, PgQuery__ResTarget, pg_query__res_target__init);
	rt->val = pq_wrap(c, PG_QUERY__NODE__NODE_TYPE_CAST, tc);
	PgQuery__Alias *al = alias_of(c, rf, fname);
	rt->name = al->aliasname; /* a function's column is named after its item */
	rt->location = fc->location;
	PgQuery__SelectStmt *st = PQ_NEW(c, PgQuery__SelectStmt, pg_query__select_stmt__init);
	st->op = PG_QUERY__SET_OPERATION__SETOP_NONE;
	st->limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	st->n_target_list = 1;
	st->target_list = arena_zalloc(c->a, sizeof(pqnode *));
	st->target_list[0] = pq_wrap(c, PG_QUERY__NODE__NODE_RES_TARGET, rt);
	st->n_from_clause = 1;
	st->from_clause = arena_zalloc(c->a, sizeof(pqnode *));
	st->from_clause[0] = pq_wrap(c, PG_QUERY__NODE__NODE_RANGE_FUNCTION, u);
	PgQuery__RangeSubselect *rs = PQ_NEW(c, PgQuery__RangeSubselect, pg_query__range_subselect__init);
	rs->lateral = true;
	rs->subquery = pq_wrap(c, PG_QUERY__NODE__NODE_SELECT_STMT, st);
	rs->alias = al;
	return an_lateral_item(b, rs, NULL, js);
}
