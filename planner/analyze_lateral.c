/*
 * analyze_lateral.c — LATERAL subqueries in FROM, decorrelated into joins
 * with the items before them, never run per row: the subquery's equality
 * correlations become hash join keys, its other correlated conditions the
 * join filter; an ungrouped aggregate is one row per outer row (a LEFT join
 * against the groups of the correlation keys, through the outer placeholder
 * of decorrelate.c when count() or non-equality correlations need every
 * outer value); ORDER BY ... LIMIT inside is a row_number() per correlation
 * key. What cannot be decorrelated is 0A000.
 */
#include <string.h>

#include "planner/analyze_internal.h"

/* Rows OFFSET < row_number() <= OFFSET + LIMIT per key of keys, in the order given. */
static ferr *top_n_per_key(actx *c, lnode **plan, int nkeys, const int *keys, int nsort,
                           const lsort *order, int64_t limit, int64_t offset)
{
	lnode *f = an_first_per_key(c, *plan, nkeys, keys, nsort, order);
	if (f->kind != LN_FILTER || f->children[0]->kind != LN_WINDOW)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "row number per key has no window");
	lnode *w = f->children[0];
	int rn = w->cols[w->ncols - 1];
	ftype i8 = ftype_make(TYPE_INT8);
	expr *conj[2];
	int n = 0;
	expr *lo = an_expr(c, EXPR_CONST, i8, 0);
	lo->value.u.i = offset;
	TRY(an_make_op(c, ">", an_col(c, rn), lo, -1, &conj[n++]));
	if (limit >= 0) {
		expr *hi = an_expr(c, EXPR_CONST, i8, 0);
		hi->value.u.i = offset + limit;
		TRY(an_make_op(c, "<=", an_col(c, rn), hi, -1, &conj[n++]));
	}
	*plan = an_filter(c, w, an_and(c, conj, n));
	(*plan)->est = w->est;
	return NULL;
}

/* Top-N per outer row: row_number() over the correlation keys, kept within OFFSET/LIMIT. */
static ferr *top_per_key(actx *c, const selout *so, lnode **plan)
{
	return top_n_per_key(c, plan, so->nkeys, so->ikeys, so->nsort_lateral, so->sort_lateral,
	                     so->limit_lateral, so->offset_lateral);
}

/* The id of e's value over *plan: its column, or a new one computed by a projection. */
static int value_col(actx *c, lnode **plan, expr *e)
{
	if (e->kind == EXPR_COLUMN) return e->column;
	int id;
	*plan = an_project_more(c, *plan, 1, &e, &id);
	return id;
}

ferr *an_scalar_top_n(actx *c, const corr *cr, int nsort, expr **sort, const bool *desc,
                      const bool *nulls_first, int64_t limit, int64_t offset, lnode **plan)
{
	int *keys = arena_zalloc(c->a, sizeof(int) * (size_t)(cr->n + 1));
	lsort *order = arena_zalloc(c->a, sizeof(lsort) * (size_t)(nsort + 1));
	for (int i = 0; i < cr->n; i++) keys[i] = value_col(c, plan, cr->inner[i]);
	for (int i = 0; i < nsort; i++)
		order[i] = (lsort){value_col(c, plan, sort[i]), desc[i], nulls_first[i]};
	return top_n_per_key(c, plan, cr->n, keys, nsort, order, limit, offset);
}

/* A bare select list (no FROM, WHERE, aggregates...): computed over the items before it. */
static bool is_bare_select(const PgQuery__SelectStmt *st)
{
	return st->op == PG_QUERY__SET_OPERATION__SETOP_NONE && !st->n_from_clause &&
	       !st->where_clause && !st->n_group_clause && !st->having_clause && !st->n_values_lists &&
	       !st->n_distinct_clause && !st->n_sort_clause && !st->limit_count && !st->limit_offset &&
	       !st->with_clause && !st->n_window_clause;
}

/* LATERAL (SELECT t.a * 2 AS x): a projection of the rows before it, one output row each. */
static ferr *bare_select(bctx *b, const PgQuery__RangeSubselect *rs, jset *js)
{
	actx *c = b->c;
	const PgQuery__SelectStmt *st = rs->subquery->select_stmt;
	int n = (int)st->n_target_list;
	/* set-returning functions run over the rows before it (analyze_srf.c) */
	bctx tb = {.c = c, .sc = b->sc, .clause = "FROM", .srf = an_srfset_new(c)};
	selout so = {.ncols = n};
	so.ids = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
	so.names = arena_zalloc(c->a, sizeof(char *) * (size_t)(n + 1));
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		if (rt->val->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
		    rt->val->column_ref->fields[rt->val->column_ref->n_fields - 1]->node_case ==
		        PG_QUERY__NODE__NODE_A_STAR)
			return an_unsupported("* in a LATERAL select list without FROM", rt->location);
		TRY(an_at(an_expr_node(&tb, rt->val, &es[i]), rt->location));
		if (an_refs_below(es[i], b->sc->min_id))
			return an_unsupported("LATERAL subqueries correlated with an outer query level",
			                      rt->location);
		ftype t = es[i]->type;
		if (t.id == TYPE_UNKNOWN || t.id == TYPE_NULL) TRY(an_coerce(c, es[i], ftype_make(TYPE_TEXT), -1, &es[i]));
		so.names[i] = arena_strdup(c->a, rt->name && *rt->name ? rt->name : an_figure_colname(rt->val));
		so.ids[i] = an_col_new(c, so.names[i], es[i]->type);
	}
	lnode *left;
	TRY(an_compile_jset(c, js, &left));
	TRY(an_srf_plan(c, tb.srf, false, b->sc->min_id, &left));
	lnode *p = an_node(c, LN_PROJECT, left->ncols + n);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = left;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(left->ncols + n + 1));
	for (int i = 0; i < left->ncols; i++) {
		p->cols[i] = left->cols[i];
		p->exprs[i] = an_col(c, left->cols[i]);
	}
	for (int i = 0; i < n; i++) {
		p->cols[left->ncols + i] = so.ids[i];
		p->exprs[left->ncols + i] = es[i];
	}
	p->est = left->est;
	jset mine = {0};
	so.plan = p;
	TRY(an_add_derived(b, &so, rs->alias->aliasname, rs->alias, &mine, -1));
	memset(js, 0, sizeof *js);
	an_jset_add(c, js, p);
	return NULL;
}

ferr *an_lateral_item(bctx *b, const PgQuery__RangeSubselect *rs, const PgQuery__JoinExpr *je,
                      jset *js)
{
	actx *c = b->c;
	if (rs->subquery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return an_unsupported("this LATERAL subquery", -1);
	if (!rs->alias || !rs->alias->aliasname)
		return ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery in FROM must have an alias");
	if (!je && js->n > 0 && is_bare_select(rs->subquery->select_stmt)) return bare_select(b, rs, js);
	selout so;
	/* the items before it are the subquery's outer scope */
	TRY(an_select(c, rs->subquery->select_stmt, b->sc, SQ_LATERAL, &so));
	bool correlated = so.nkeys > 0 || so.corr_filter || so.outer;
	jset mine = {0};
	TRY(an_add_derived(b, &so, rs->alias->aliasname, rs->alias, &mine, -1));
	lnode *sub = mine.rels[0];
	if (!correlated && !je) {
		an_jset_add(c, js, sub);
		return NULL;
	}
	if (correlated && js->n == 0)
		return an_unsupported("LATERAL references here (only from the right of an inner or LEFT "
		                      "join, or of a comma)",
		                      -1);
	for (int i = 0; i < so.nkeys; i++)
		if (an_refs_below(so.okeys[i], b->sc->min_id))
			return an_unsupported("LATERAL subqueries correlated with an outer query level", -1);
	if (so.corr_filter && an_refs_below(so.corr_filter, b->sc->min_id))
		return an_unsupported("LATERAL subqueries correlated with an outer query level", -1);
	if (so.nsort_lateral || so.limit_lateral > 0 || so.offset_lateral > 0 ||
	    (so.limit_lateral == 0 && so.sort_lateral))
		TRY(top_per_key(c, &so, &sub));
	/* everything before it is one plan now; later items and WHERE join above */
	lnode *left;
	TRY(an_compile_jset(c, js, &left));
	pending p = {.sub = sub, .nkeys = so.nkeys, .okeys = so.okeys, .ikeys = so.ikeys,
	             .filter = so.corr_filter};
	an_pending_outer(&p, &so);
	if (p.outer || p.feeds) TRY(an_fill_outer(c, &p, left));
	expr *filter = p.filter;
	if (je && je->quals) {
		bctx jb = *b;
		jb.clause = "JOIN conditions";
		jb.ag = NULL;
		jb.pend = NULL;
		expr *q, *both[2];
		TRY(an_bool(&jb, je->quals, "JOIN/ON", &q));
		both[0] = q;
		both[1] = filter;
		filter = an_and(c, both, filter ? 2 : 1);
	}
	expr **rk = arena_zalloc(c->a, sizeof(expr *) * (size_t)(p.nkeys + 1));
	for (int i = 0; i < p.nkeys; i++) rk[i] = an_col(c, p.ikeys[i]);
	join_type jt = je || so.one_per_outer ? JOIN_LEFT : JOIN_INNER;
	lnode *j = an_join(c, left, sub, jt, p.nkeys, p.okeys, rk, filter);
	j->nulls_equal = p.nulls_equal;
	memset(js, 0, sizeof *js);
	an_jset_add(c, js, j);
	return NULL;
}

static void col_fn(int id, void *arg) { *(bool *)arg = true; }

ferr *an_lateral_function(bctx *b, lnode *fn, int location, jset *js)
{
	actx *c = b->c;
	bool cols = false;
	for (int i = 0; i < 3; i++) an_expr_cols(fn->exprs[i], col_fn, &cols);
	if (!cols) {
		an_jset_add(c, js, fn);
		return NULL;
	}
	/* over outer columns: it runs over their distinct values instead (decorrelate.c) */
	jset feed;
	bool outer;
	TRY(an_feed_args(b, 3, fn->exprs, true, location, &feed, &outer));
	jset *over = outer ? &feed : js;
	if (over->n == 0)
		return an_unsupported("functions in FROM referencing items other than earlier ones of a "
		                      "comma list or inner join",
		                      location);
	/* one row source per row of the items before it: they are one plan now */
	lnode *left;
	TRY(an_compile_jset(c, over, &left));
	int id = fn->cols[0];
	fn->ncols = left->ncols + 1;
	fn->cols = arena_zalloc(c->a, sizeof(int) * (size_t)(fn->ncols + 1));
	memcpy(fn->cols, left->cols, sizeof(int) * (size_t)left->ncols);
	fn->cols[left->ncols] = id;
	fn->nchildren = 1;
	fn->children = arena_zalloc(c->a, sizeof(lnode *));
	fn->children[0] = left;
	fn->est = left->est >= 0 ? left->est * fn->est : -1;
	if (!outer) memset(js, 0, sizeof *js);
	an_jset_add(c, js, fn);
	return NULL;
}
