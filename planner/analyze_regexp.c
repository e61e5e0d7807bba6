/*
 * analyze_regexp.c — the set-returning regular-expression functions in FROM,
 * rewritten onto unnest the way a user could have written them:
 *   regexp_split_to_table(s, p [, f])  ->  unnest(__regexp_split_to_table(s, p [, f]))
 *   regexp_matches(s, p [, f])         ->  unnest(__regexp_matches(s, p [, f])), its
 *                                           column cast back to text[] (matches_as_arrays)
 * (exec/functions_text.c: __regexp_split_to_table is regexp_split_to_array
 * under the name errors should show; __regexp_matches gives each match's
 * text[] in its text form). The column and the item take the function's name unless
 * aliased, as in PostgreSQL. Only parse-tree nodes are built here; typing and
 * errors are the rewritten query's own.
 */
#include <string.h>

#include "exec/array.h"
#include "planner/analyze_internal.h"

/* RangeFunction.functions holds one (call, column definitions) list per function */
static pqnode **pq_functions(actx *c, pqnode *call)
{
	PgQuery__List *l = AN_PQ_NEW(c, PgQuery__List, pg_query__list__init);
	l->n_items = 2;
	l->items = an_pq_list(c, 2);
	l->items[0] = call;
	pqnode **fns = an_pq_list(c, 1);
	fns[0] = an_pq_wrap(c, PG_QUERY__NODE__NODE_LIST, l);
	return fns;
}

/* The user's alias, or one named after the function. */
static PgQuery__Alias *alias_of(actx *c, const PgQuery__RangeFunction *rf, const char *fname)
{
	if (rf->alias && rf->alias->aliasname) return rf->alias;
	return an_pq_alias(c, fname, 0, NULL);
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

/*
 * regexp_matches: the unnest just added gives each match's array as text;
 * its column becomes text[] by a projection over the FROM item that holds
 * it (the unnest over an earlier item, or the VALUES of constant arrays),
 * under the same column id, so the names the item registered stay right.
 */
static ferr *matches_as_arrays(actx *c, const scope *sc, jset *js, int location)
{
	int x = sc->r[sc->n - 1]->ids[0];
	for (int k = 0; k < js->n; k++) {
		lnode *rel = js->rels[k];
		int at = -1;
		for (int i = 0; i < rel->ncols && at < 0; i++)
			if (rel->cols[i] == x) at = i;
		if (at < 0) continue;
		rel->cols[at] = an_col_new(c, "__m", c->q->colinfo[x].type);
		lnode *p = an_node(c, LN_PROJECT, rel->ncols);
		p->nchildren = 1;
		p->children = arena_zalloc(c->a, sizeof(lnode *));
		p->children[0] = rel;
		p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(rel->ncols + 1));
		p->est = rel->est;
		memcpy(p->cols, rel->cols, sizeof(int) * (size_t)rel->ncols);
		p->cols[at] = x;
		for (int i = 0; i < rel->ncols; i++) p->exprs[i] = an_col(c, rel->cols[i]);
		ftype arr = ftype_array(ftype_make(TYPE_TEXT));
		TRY(an_coerce(c, p->exprs[at], arr, location, &p->exprs[at]));
		c->q->colinfo[x].type = arr;
		js->rels[k] = p;
		return NULL;
	}
	return ferr_new(SQLSTATE_INTERNAL_ERROR, "regexp_matches: its column is in no FROM item");
}

bool an_is_regexp_srf(const PgQuery__RangeFunction *rf) { return regexp_srf_name(rf) != NULL; }

ferr *an_regexp_srf_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js)
{
	actx *c = b->c;
	const char *fname = regexp_srf_name(rf);
	const PgQuery__FuncCall *fc = only_call(rf);
	if (fc->agg_star || fc->agg_distinct || fc->over || fc->n_agg_order || fc->agg_filter)
		return an_unsupported("this form of a function in FROM", fc->location);
	PgQuery__RangeFunction *u = AN_PQ_NEW(c, PgQuery__RangeFunction, pg_query__range_function__init);
	u->n_functions = 1;
	u->alias = alias_of(c, rf, fname);
	bool split = !strcmp(fname, "regexp_split_to_table");
	pqnode **arg = an_pq_list(c, 1);
	arg[0] = an_pq_call(c, split ? "__regexp_split_to_table" : "__regexp_matches", fc->n_args, fc->args,
	                    fc->location);
	u->functions = pq_functions(c, an_pq_call(c, "unnest", 1, arg, fc->location));
	/* one column named after the item, as unnest's (WITH ORDINALITY too) */
	u->ordinality = rf->ordinality;
	TRY(an_unnest_item(b, u, js));
	return split ? NULL : matches_as_arrays(c, b->sc, js, fc->location);
}
