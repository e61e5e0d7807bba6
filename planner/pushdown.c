/*
 * pushdown.c — offers whole operators to connectors, as Trino's
 * applyAggregation: an aggregation over a scan (with only bare-column
 * projections and filters the connector took entirely in between) becomes a
 * scan of the connector's aggregated handle. The plan changes only when the
 * connector accepts every group key and every aggregate.
 */
#include <string.h>

#include "planner/analyze_internal.h"

static bool pred_is_true(const expr *e)
{
	return e->kind == EXPR_CONST && e->type.id == TYPE_BOOL && !e->value.isnull && e->value.u.b;
}

/*
 * The scan below n, following each of ids[0..n) through bare-column
 * projections down to a scan output id (rewritten in place); NULL when
 * anything else is in the way or an id is computed.
 */
static lnode *scan_below(lnode *n, int nids, int *ids)
{
	while (n) {
		if (n->kind == LN_SCAN) return n;
		if (n->nchildren != 1) return NULL;
		if (n->kind == LN_PROJECT) {
			for (int k = 0; k < nids; k++) {
				int i = 0;
				while (i < n->ncols && n->cols[i] != ids[k]) i++;
				if (i == n->ncols || n->exprs[i]->kind != EXPR_COLUMN) return NULL;
				ids[k] = n->exprs[i]->column;
			}
		} else if (n->kind != LN_FILTER || !pred_is_true(n->pred)) {
			return NULL;
		}
		n = n->children[0];
	}
	return NULL;
}

static const conn_agg_func agg_funcs[] = {
	[AGG_COUNT_STAR] = CONN_AGG_COUNT_STAR, [AGG_COUNT] = CONN_AGG_COUNT, [AGG_SUM] = CONN_AGG_SUM,
	[AGG_AVG] = CONN_AGG_AVG, [AGG_MIN] = CONN_AGG_MIN, [AGG_MAX] = CONN_AGG_MAX,
};

ferr *an_push_aggregation(actx *c, lnode *g)
{
	if (g->kind != LN_AGG || g->nchildren != 1) return NULL;
	int n = g->ngroup + g->naggs;
	/* ids to trace: group keys, then each aggregate's argument (count(*): none) */
	int *ids = arena_alloc(c->a, sizeof(int) * (size_t)(n + 1));
	int nids = 0;
	memcpy(ids, g->cols, sizeof(int) * (size_t)g->ngroup);
	nids = g->ngroup;
	for (int i = 0; i < g->naggs; i++) {
		if (g->aggs[i].distinct) return NULL;
		if (g->aggs[i].arg >= 0) ids[nids++] = g->aggs[i].arg;
	}
	lnode *s = scan_below(g->children[0], nids, ids);
	if (!s || !s->catalog || !s->catalog->ops->apply_aggregation) return NULL;
	/* scan output ids to table column indexes */
	for (int k = 0; k < nids; k++) {
		int p = 0;
		while (p < s->ncols && s->cols[p] != ids[k]) p++;
		if (p == s->ncols) return NULL;
		ids[k] = s->table_cols[p];
	}
	conn_aggregate *aggs = arena_zalloc(c->a, sizeof *aggs * (size_t)(g->naggs + 1));
	for (int i = 0, k = g->ngroup; i < g->naggs; i++) {
		aggs[i].func = agg_funcs[g->aggs[i].kind];
		aggs[i].column = g->aggs[i].arg >= 0 ? ids[k++] : -1;
		aggs[i].result = g->aggs[i].result;
	}
	conn_table *nt = NULL;
	TRY(s->catalog->ops->apply_aggregation(s->catalog, s->table, g->ngroup, ids, g->naggs, aggs, c->a,
	                                       &nt));
	if (!nt) return NULL;
	if (nt->ncols != n) return ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': aggregated handle has %d columns, not %d",
	                                    s->catalog->name, nt->ncols, n);
	/* the aggregation becomes the scan: same output ids (groups, then results) */
	g->kind = LN_SCAN;
	g->nchildren = 0;
	g->children = NULL;
	g->catalog = s->catalog;
	g->table = nt;
	g->table_cols = arena_alloc(c->a, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) g->table_cols[i] = i;
	g->base_rows = g->est;
	g->pushed = s->pushed;
	return NULL;
}
