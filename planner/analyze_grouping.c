/*
 * analyze_grouping.c — aggregation beyond plain GROUP BY: aggregate
 * FILTER (WHERE ...), GROUPING SETS / ROLLUP / CUBE and GROUPING().
 * Grouping sets are planned as Trino does: a GroupId node replicates each
 * input row once per set (group columns outside the set become NULL, the
 * set's index is appended) under one aggregation keyed by the group columns
 * plus that index, so repeated sets give repeated rows as in PostgreSQL.
 * GROUPING(args) is a lookup of the set index computed above the
 * aggregation. Nothing here re-runs the input once per set.
 */
#include <string.h>

#include "planner/analyze_internal.h"

#define MAX_GROUPING_SETS 4096 /* PostgreSQL's limit */
#define MAX_CUBE 12            /* PostgreSQL's limit on CUBE elements */

/* agg(x) FILTER (WHERE cond) is agg(CASE WHEN cond THEN x END); count(*) counts 1. */
ferr *an_agg_filter(bctx *b, const pqnode *filter, expr **arg, bool *star)
{
	actx *c = b->c;
	bctx fb = *b;
	fb.ag = NULL;
	fb.in_agg = false;
	fb.pend = NULL;
	fb.clause = "FILTER";
	expr *cond;
	TRY(an_bool(&fb, filter, "FILTER", &cond));
	if (*star) {
		expr *one = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
		one->value.u.i = 1;
		*arg = one;
		*star = false;
	}
	expr *k = an_expr(c, EXPR_CASE, (*arg)->type, 2);
	k->args[0] = cond;
	k->args[1] = *arg;
	*arg = k;
	return NULL;
}

/* ---- GROUP BY items into sets of leaves ---- */

typedef struct setlist {
	int n;
	uint64_t *m; /* each set: a mask over leaves */
} setlist;

typedef struct flat {
	actx *c;
	an_gsets *gs;
} flat;

static ferr *too_many_sets(void)
{
	return ferr_new(SQLSTATE_STATEMENT_TOO_COMPLEX, "too many grouping sets present (maximum %d)",
	                MAX_GROUPING_SETS);
}

static setlist sl_new(flat *f, int n)
{
	setlist s = {n, arena_zalloc(f->c->a, sizeof(uint64_t) * (size_t)(n + 1))};
	return s;
}

static ferr *leaf(flat *f, const pqnode *n, uint64_t *mask)
{
	an_gsets *gs = f->gs;
	if (gs->nleaves == 64)
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                "more than 64 grouping expressions are not supported");
	gs->leaves[gs->nleaves] = n;
	*mask |= (uint64_t)1 << gs->nleaves++;
	return NULL;
}

/* One element of ROLLUP/CUBE/GROUPING SETS as a single set: expr or (a, b). */
static ferr *unit(flat *f, const pqnode *n, uint64_t *mask)
{
	if (n->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
		for (size_t i = 0; i < n->row_expr->n_args; i++) TRY(leaf(f, n->row_expr->args[i], mask));
		return NULL;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET &&
	    n->grouping_set->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SIMPLE) {
		for (size_t i = 0; i < n->grouping_set->n_content; i++) TRY(unit(f, n->grouping_set->content[i], mask));
		return NULL;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET)
		return an_unsupported("nested ROLLUP, CUBE or GROUPING SETS here", n->grouping_set->location);
	return leaf(f, n, mask);
}

static ferr *item_sets(flat *f, const pqnode *n, bool top, setlist *out);

static ferr *grouping_set_sets(flat *f, const PgQuery__GroupingSet *g, setlist *out)
{
	int n = (int)g->n_content;
	switch (g->kind) {
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
		*out = sl_new(f, 1);
		return NULL;
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP: {
		/* (u1..un), (u1..un-1), ..., () */
		uint64_t *units = arena_zalloc(f->c->a, sizeof(uint64_t) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) TRY(unit(f, g->content[i], &units[i]));
		*out = sl_new(f, n + 1);
		for (int s = 0; s <= n; s++)
			for (int i = 0; i < n - s; i++) out->m[s] |= units[i];
		return NULL;
	}
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE: {
		if (n > MAX_CUBE)
			return an_at(ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
			                      "CUBE is limited to %d elements", MAX_CUBE),
			             g->location);
		uint64_t *units = arena_zalloc(f->c->a, sizeof(uint64_t) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) TRY(unit(f, g->content[i], &units[i]));
		int total = 1 << n;
		*out = sl_new(f, total);
		/* largest sets first, as PostgreSQL lists them */
		for (int s = 0; s < total; s++) {
			int present = total - 1 - s;
			for (int i = 0; i < n; i++)
				if ((present >> (n - 1 - i)) & 1) out->m[s] |= units[i];
		}
		return NULL;
	}
	case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SETS: {
		setlist acc = sl_new(f, 0);
		for (int i = 0; i < n; i++) {
			setlist one;
			TRY(item_sets(f, g->content[i], false, &one));
			if (acc.n + one.n > MAX_GROUPING_SETS) return too_many_sets();
			setlist cat = sl_new(f, acc.n + one.n);
			memcpy(cat.m, acc.m, sizeof(uint64_t) * (size_t)acc.n);
			memcpy(cat.m + acc.n, one.m, sizeof(uint64_t) * (size_t)one.n);
			acc = cat;
		}
		*out = acc;
		return NULL;
	}
	default: {
		uint64_t m = 0;
		for (int i = 0; i < n; i++) TRY(unit(f, g->content[i], &m));
		*out = sl_new(f, 1);
		out->m[0] = m;
		return NULL;
	}
	}
}

static ferr *item_sets(flat *f, const pqnode *n, bool top, setlist *out)
{
	if (n->node_case == PG_QUERY__NODE__NODE_GROUPING_SET)
		return grouping_set_sets(f, n->grouping_set, out);
	*out = sl_new(f, 1);
	/* inside GROUPING SETS, (a, b) is one set of two columns */
	if (!top && n->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) return unit(f, n, &out->m[0]);
	return leaf(f, n, &out->m[0]);
}

bool an_has_grouping_sets(const PgQuery__SelectStmt *st)
{
	for (size_t i = 0; i < st->n_group_clause; i++)
		if (st->group_clause[i]->node_case == PG_QUERY__NODE__NODE_GROUPING_SET) return true;
	return false;
}

ferr *an_grouping_sets_flatten(actx *c, const PgQuery__SelectStmt *st, an_gsets *gs)
{
	memset(gs, 0, sizeof *gs);
	gs->active = true;
	gs->leaves = arena_zalloc(c->a, sizeof(pqnode *) * 65);
	flat f = {c, gs};
	/* the sets of the whole clause: the cross product of its items' sets */
	setlist acc = sl_new(&f, 1);
	for (size_t i = 0; i < st->n_group_clause; i++) {
		setlist one;
		TRY(item_sets(&f, st->group_clause[i], true, &one));
		if ((int64_t)acc.n * one.n > MAX_GROUPING_SETS) return too_many_sets();
		setlist prod = sl_new(&f, acc.n * one.n);
		for (int a = 0; a < acc.n; a++)
			for (int b = 0; b < one.n; b++) prod.m[a * one.n + b] = acc.m[a] | one.m[b];
		acc = prod;
	}
	gs->distinct = st->group_distinct;
	gs->nsets = acc.n;
	gs->sets = acc.m;
	return NULL;
}

/* ---- planning ---- */

static int distinct_index(expr *const *gu, int ngu, const expr *e)
{
	for (int k = 0; k < ngu; k++)
		if (an_expr_equal(gu[k], e)) return k;
	return -1;
}

ferr *an_group_id(actx *c, an_gsets *gs, expr **leaf_exprs, expr **gu, int *gids, int *ngu,
                  lnode **plan)
{
	int n = *ngu;
	/* sets over leaves into sets over the distinct group expressions */
	uint64_t *sets = arena_zalloc(c->a, sizeof(uint64_t) * (size_t)(gs->nsets + 1));
	for (int s = 0; s < gs->nsets; s++)
		for (int l = 0; l < gs->nleaves; l++)
			if ((gs->sets[s] >> l) & 1) sets[s] |= (uint64_t)1 << distinct_index(gu, n, leaf_exprs[l]);
	if (gs->distinct) {
		/* GROUP BY DISTINCT compares the sets as sets of expressions */
		int k = 0;
		for (int i = 0; i < gs->nsets; i++) {
			bool dup = false;
			for (int j = 0; j < k && !dup; j++) dup = sets[j] == sets[i];
			if (!dup) sets[k++] = sets[i];
		}
		gs->nsets = k;
	}
	gs->dsets = sets;
	lnode *child = *plan;
	lnode *g = an_node(c, LN_GROUP_ID, n + child->ncols + 1);
	g->nchildren = 1;
	g->children = arena_zalloc(c->a, sizeof(lnode *));
	g->children[0] = child;
	g->ngroup = n;
	g->gin = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
	for (int k = 0; k < n; k++) {
		g->gin[k] = gids[k];
		/* a nulled copy: aggregate arguments keep reading gin[k] */
		gids[k] = g->cols[k] = an_col_new(c, c->q->colinfo[gids[k]].name, c->q->colinfo[gids[k]].type);
	}
	memcpy(g->cols + n, child->cols, sizeof(int) * (size_t)child->ncols);
	int gid = an_col_new(c, "groupid", ftype_make(TYPE_INT4));
	g->cols[g->ncols - 1] = gid;
	g->nsets = gs->nsets;
	g->sets = sets;
	g->est = child->est >= 0 ? child->est * gs->nsets : -1;
	gs->gid_col = gid;
	/* the set index is one more group key, matched by no user expression */
	gu[n] = an_col(c, gid);
	gids[n] = gid;
	*ngu = n + 1;
	*plan = g;
	return NULL;
}

ferr *an_grouping_func(bctx *b, const PgQuery__GroupingFunc *gf, expr **out)
{
	actx *c = b->c;
	int loc = gf->location;
	if (!b->ag || b->in_agg)
		return ferr_position(ferr_new(SQLSTATE_GROUPING_ERROR,
		                              b->in_agg ? "aggregate function calls cannot contain "
		                                          "grouping operations"
		                                        : "grouping operations are not allowed in %s",
		                              b->clause ? b->clause : "this context"),
		                     loc + 1);
	if (gf->n_args > 31)
		return ferr_position(ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                              "GROUPING must have fewer than 32 arguments"),
		                     loc + 1);
	aggset *ag = b->ag;
	an_gfunc *g = arena_zalloc(c->a, sizeof(an_gfunc));
	g->nargs = (int)gf->n_args;
	g->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)(g->nargs + 1));
	bctx ab = *b;
	ab.ag = NULL;
	ab.pend = NULL;
	g->locations = arena_zalloc(c->a, sizeof(int) * (size_t)(g->nargs + 1));
	for (int i = 0; i < g->nargs; i++) {
		TRY(an_expr_node(&ab, gf->args[i], &g->args[i]));
		const pqnode *a = gf->args[i];
		g->locations[i] = a->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ? a->column_ref->location : loc;
	}
	g->location = loc;
	g->out = an_col_new(c, "grouping", ftype_make(TYPE_INT4));
	g->next = ag->gfuncs;
	ag->gfuncs = g;
	*out = an_col(c, g->out);
	return NULL;
}

bool an_is_grouping_out(const aggset *ag, int id)
{
	for (const an_gfunc *g = ag->gfuncs; g; g = g->next)
		if (g->out == id) return true;
	return false;
}

static expr *int4_const(actx *c, int64_t v)
{
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
	e->value.u.i = v;
	return e;
}

/*
 * GROUPING() values over the aggregation g (output: its columns, then one
 * column per GROUPING call): bit i (from the right, last argument = bit 0)
 * is 1 when argument i is not grouped in the row's set.
 */
ferr *an_grouping_values(actx *c, const aggset *ag, const an_gsets *gs, expr *const *gu, int ngu,
                         lnode **plan)
{
	int ng = 0;
	for (const an_gfunc *g = ag->gfuncs; g; g = g->next) ng++;
	if (ng == 0) return NULL;
	lnode *child = *plan;
	lnode *p = an_node(c, LN_PROJECT, child->ncols + ng);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = child;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(p->ncols + 1));
	p->est = child->est;
	for (int i = 0; i < child->ncols; i++) {
		p->exprs[i] = an_col(c, child->cols[i]);
		p->cols[i] = child->cols[i];
	}
	int at = child->ncols;
	int nsets = gs && gs->active ? gs->nsets : 1;
	for (const an_gfunc *g = ag->gfuncs; g; g = g->next, at++) {
		int *idx = arena_zalloc(c->a, sizeof(int) * (size_t)(g->nargs + 1));
		for (int i = 0; i < g->nargs; i++) {
			idx[i] = distinct_index(gu, ngu, g->args[i]);
			if (idx[i] < 0)
				return ferr_position(ferr_new(SQLSTATE_GROUPING_ERROR,
				                              "arguments to GROUPING must be grouping "
				                              "expressions of the associated query level"),
				                     g->locations[i] + 1);
		}
		/* CASE groupid WHEN s THEN value(s) ... : one branch per set */
		expr *e = NULL;
		if (!gs || !gs->active) {
			e = int4_const(c, 0);
		} else {
			e = an_expr(c, EXPR_CASE, ftype_make(TYPE_INT4), 2 * nsets);
			for (int s = 0; s < nsets; s++) {
				int64_t v = 0;
				for (int i = 0; i < g->nargs; i++)
					v = v << 1 | (((gs->dsets[s] >> idx[i]) & 1) ? 0 : 1);
				TRY(an_make_op(c, "=", an_col(c, gs->gid_col), int4_const(c, s), -1,
				               &e->args[2 * s]));
				e->args[2 * s + 1] = int4_const(c, v);
			}
		}
		p->exprs[at] = e;
		p->cols[at] = g->out;
	}
	*plan = p;
	return NULL;
}
