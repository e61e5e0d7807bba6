/*
 * decorrelate.c — subqueries that semi/anti joins cannot express, turned
 * into LEFT joins that run once, never per outer row: EXISTS / IN
 * (subquery) used as boolean values (under OR, in CASE, in the select
 * list), and correlated scalar aggregates over non-equality conditions or
 * with count(). Conditions that are not inner = outer equalities are
 * evaluated against the distinct values of the outer columns they name: a
 * placeholder node, filled from the outer plan when the pending join is
 * applied, and joined back with IS NOT DISTINCT FROM keys.
 */
#include <string.h>

#include "planner/analyze_internal.h"

/* ---- helpers ---- */

/* The distinct ids below `below`, in order of appearance (at most below of them). */
typedef struct idlist {
	int below;
	bool *seen; /* [below] */
	int n;
	int *ids; /* [below] */
} idlist;

static void idlist_add(int id, void *arg)
{
	idlist *l = arg;
	if (id < l->below && !l->seen[id]) {
		l->seen[id] = true;
		l->ids[l->n++] = id;
	}
}

/* A copy of e with column from[i] replaced by to[i]. */
static expr *remap_cols(actx *c, expr *e, int n, const int *from, const int *to)
{
	if (!e) return NULL;
	if (e->kind == EXPR_COLUMN) {
		for (int i = 0; i < n; i++)
			if (e->column == from[i]) return an_col(c, to[i]);
		return e;
	}
	if (e->nargs == 0) return e;
	expr *x = arena_alloc(c->a, sizeof(expr));
	*x = *e;
	x->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)e->nargs);
	for (int i = 0; i < e->nargs; i++) x->args[i] = remap_cols(c, e->args[i], n, from, to);
	return x;
}

/* A deep copy of a plan: the outer rows read a second time. Same column ids. */
static lnode *clone_plan(actx *c, const lnode *n)
{
	lnode *x = arena_alloc(c->a, sizeof(lnode));
	*x = *n;
	x->cols = arena_zalloc(c->a, sizeof(int) * (size_t)(n->ncols + 1));
	if (n->ncols) memcpy(x->cols, n->cols, sizeof(int) * (size_t)n->ncols);
	if (n->nchildren) {
		x->children = arena_zalloc(c->a, sizeof(lnode *) * (size_t)n->nchildren);
		for (int i = 0; i < n->nchildren; i++) x->children[i] = clone_plan(c, n->children[i]);
	}
	return x;
}

/* child's columns plus extra expressions as new columns (ids returned in ids). */
lnode *an_project_more(actx *c, lnode *child, int n, expr **es, int *ids)
{
	lnode *p = an_node(c, LN_PROJECT, child->ncols + n);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = child;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(child->ncols + n + 1));
	for (int i = 0; i < child->ncols; i++) {
		p->exprs[i] = an_col(c, child->cols[i]);
		p->cols[i] = child->cols[i];
	}
	for (int i = 0; i < n; i++) {
		p->exprs[child->ncols + i] = es[i];
		p->cols[child->ncols + i] = ids[i] = an_col_new(c, "marker", es[i]->type);
	}
	p->est = child->est;
	return p;
}

/* The distinct values of ids over child (no aggregates). */
static lnode *distinct_ids(actx *c, lnode *child, int n, const int *ids)
{
	lnode *g = an_node(c, LN_AGG, n);
	if (n) memcpy(g->cols, ids, sizeof(int) * (size_t)n);
	g->nchildren = 1;
	g->children = arena_zalloc(c->a, sizeof(lnode *));
	g->children[0] = child;
	g->ngroup = n;
	g->est = child->est >= 0 ? child->est * 0.5 + 1 : -1;
	return g;
}

/*
 * Rename the outer columns the correlation names (ids below min_id in the
 * ok[] expressions and in *filter) to fresh ids read from a placeholder.
 */
static lnode *outer_placeholder(actx *c, int min_id, int nk, expr **ok, expr **filter, int *nx,
                                int **xo, int **xn)
{
	idlist l = {min_id, arena_zalloc(c->a, (size_t)min_id + 1), 0,
	            arena_zalloc(c->a, sizeof(int) * ((size_t)min_id + 1))};
	for (int i = 0; i < nk; i++) an_expr_cols(ok[i], idlist_add, &l);
	if (*filter) an_expr_cols(*filter, idlist_add, &l);
	int *fresh = arena_zalloc(c->a, sizeof(int) * (size_t)(l.n + 1));
	for (int i = 0; i < l.n; i++) {
		const plan_colinfo *ci = &c->q->colinfo[l.ids[i]];
		fresh[i] = an_col_new(c, ci->name, ci->type);
	}
	for (int i = 0; i < nk; i++) ok[i] = remap_cols(c, ok[i], l.n, l.ids, fresh);
	*filter = remap_cols(c, *filter, l.n, l.ids, fresh);
	lnode *ph = an_node(c, LN_PROJECT, l.n);
	if (l.n) memcpy(ph->cols, fresh, sizeof(int) * (size_t)l.n);
	*nx = l.n;
	*xo = l.ids;
	*xn = fresh;
	return ph;
}

typedef struct cols_in {
	const lnode *plan;
	bool all;
} cols_in;

static void col_in_fn(int id, void *arg)
{
	cols_in *ci = arg;
	bool found = false;
	for (int k = 0; k < ci->plan->ncols && !found; k++) found = ci->plan->cols[k] == id;
	ci->all &= found;
}

/* Fill placeholder ph (columns cols) with the distinct values of vals (expressions over the
 * outer columns) read from a copy of plan, the outer rows where the subquery's join is
 * applied. */
static ferr *fill_placeholder(actx *c, lnode *ph, int n, expr **vals, const int *cols,
                              lnode *plan, int location)
{
	cols_in ci = {plan, true};
	bool bare = true;
	for (int i = 0; i < n; i++) {
		an_expr_cols(vals[i], col_in_fn, &ci);
		bare &= vals[i]->kind == EXPR_COLUMN;
	}
	if (!ci.all)
		return an_unsupported("correlated subqueries over columns computed after the FROM list",
		                      location);
	lnode *rows = clone_plan(c, plan);
	int *ids = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) ids[i] = bare ? vals[i]->column : -1;
	if (!bare) {
		/* computed values (a function's arguments): project them first */
		lnode *v = an_node(c, LN_PROJECT, n);
		v->nchildren = 1;
		v->children = arena_zalloc(c->a, sizeof(lnode *));
		v->children[0] = rows;
		v->exprs = vals;
		for (int i = 0; i < n; i++) v->cols[i] = ids[i] = an_col_new(c, "arg", vals[i]->type);
		v->est = rows->est;
		rows = v;
	}
	lnode *d = distinct_ids(c, rows, n, ids);
	lnode *pr = an_node(c, LN_PROJECT, n);
	pr->nchildren = 1;
	pr->children = arena_zalloc(c->a, sizeof(lnode *));
	pr->children[0] = d;
	pr->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		pr->exprs[i] = an_col(c, ids[i]);
		pr->cols[i] = cols[i];
	}
	pr->est = d->est;
	*ph = *pr;
	return NULL;
}

ferr *an_fill_outer(actx *c, pending *p, lnode *plan)
{
	if (p->outer) {
		expr **vals = p->outer_vals;
		if (!vals) vals = arena_zalloc(c->a, sizeof(expr *) * (size_t)(p->nouter + 1));
		for (int i = 0; !p->outer_vals && i < p->nouter; i++) vals[i] = an_col(c, p->outer_ids[i]);
		TRY(fill_placeholder(c, p->outer, p->nouter, vals, p->outer_cols, plan, p->location));
	}
	for (an_feed *f = p->feeds; f; f = f->next)
		TRY(fill_placeholder(c, f->ph, f->n, f->vals, f->cols, plan, p->location));
	return NULL;
}

void an_pending_feeds(pending *p, const selout *so) { p->feeds = so->feeds; }

void an_pending_outer(pending *p, const selout *so)
{
	an_pending_feeds(p, so);
	if (!so->outer) return;
	p->outer = so->outer;
	p->nouter = so->nouter;
	p->outer_ids = so->outer_ids;
	p->outer_cols = so->outer_cols;
	p->outer_vals = so->outer_vals;
	p->nulls_equal = true;
}

/* ---- functions in a subquery's FROM over outer columns ---- */

static void level_fn(int id, void *arg)
{
	int *p = arg;
	if (id >= p[0]) p[1] = 1;
}

ferr *an_feed_args(bctx *b, int n, expr **args, bool strict, int location, jset *feed,
                   bool *outer)
{
	actx *c = b->c;
	int min_id = b->sc->min_id;
	*outer = false;
	an_feed *f = arena_zalloc(c->a, sizeof(an_feed));
	f->vals = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	f->cols = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
	int here[2] = {min_id, 0};
	bool below = false;
	for (int i = 0; i < n; i++) {
		an_expr_cols(args[i], level_fn, here);
		below |= an_refs_below(args[i], min_id);
	}
	if (!below) return NULL;
	if (here[1])
		return an_unsupported("functions in FROM over columns of both an outer query and this one",
		                      location);
	for (int i = 0; i < n; i++) {
		if (!an_refs_below(args[i], min_id)) continue;
		int k = 0;
		while (k < f->n && !an_expr_equal(f->vals[k], args[i])) k++;
		if (k == f->n) {
			f->vals[f->n] = args[i];
			f->cols[f->n++] = an_col_new(c, "arg", args[i]->type);
		}
		args[i] = an_col(c, f->cols[k]);
	}
	if (f->n == 0) return NULL;
	/* an outer value that is NULL matches no placeholder row: right only when a NULL
	 * argument gives no rows */
	if (!strict)
		return an_unsupported("this function in FROM over columns of an outer query", location);
	/* an unfilled placeholder: its columns, one row per distinct argument value to come */
	f->ph = an_node(c, LN_PROJECT, f->n);
	memcpy(f->ph->cols, f->cols, sizeof(int) * (size_t)f->n);
	f->ph->est = 10;
	f->next = b->sc->feeds;
	b->sc->feeds = f;
	memset(feed, 0, sizeof *feed);
	an_jset_add(c, feed, f->ph);
	*outer = true;
	return NULL;
}

ferr *an_feeds_corr(actx *c, const scope *sc, sqmode mode, corr *cr)
{
	if (!sc->feeds) return NULL;
	if (mode != SQ_SCALAR && mode != SQ_EXISTS && mode != SQ_IN && mode != SQ_LATERAL)
		return an_unsupported("functions in FROM referencing an outer query level here", -1);
	for (const an_feed *f = sc->feeds; f; f = f->next)
		for (int i = 0; i < f->n; i++) {
			if (cr->n == cr->cap) {
				int cap = cr->cap ? cr->cap * 2 : 4;
				cr->inner = arena_realloc(c->a, cr->inner, sizeof(expr *) * (size_t)cr->cap,
				                          sizeof(expr *) * (size_t)cap);
				cr->outer = arena_realloc(c->a, cr->outer, sizeof(expr *) * (size_t)cr->cap,
				                          sizeof(expr *) * (size_t)cap);
				cr->cap = cap;
			}
			cr->inner[cr->n] = an_col(c, f->cols[i]);
			cr->outer[cr->n++] = f->vals[i];
		}
	return NULL;
}

/* ---- EXISTS / IN as values ---- */

typedef enum marker_kind {
	MK_ANY,   /* the subquery has a row (EXISTS; IN's "not empty") */
	MK_MATCH, /* a row equal to the IN value */
	MK_NULL,  /* a row whose value is NULL */
} marker_kind;

/*
 * One marker: the subquery analyzed afresh, reduced to its distinct
 * correlation values with a constant true, LEFT-joined onto the outer rows.
 * *out is "marker IS NOT NULL". For MK_MATCH, *x is the IN value as
 * compared (after coercion).
 */
static ferr *sublink_marker(bctx *b, const PgQuery__SubLink *sl, marker_kind mk, expr **x,
                            expr **out)
{
	actx *c = b->c;
	int loc = sl->location;
	bool in = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK;
	int min_id = c->q->ncolinfo;
	selout so;
	TRY(an_at(an_select(c, sl->subselect->select_stmt, b->sc, in ? SQ_IN : SQ_EXISTS, &so), loc));
	lnode *sub = so.plan;
	int nk = so.nkeys;
	expr **ok = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nk + 2));
	expr **ik = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nk + 2));
	for (int i = 0; i < nk; i++) {
		ok[i] = so.okeys[i];
		ik[i] = an_col(c, so.ikeys[i]);
	}
	if (in) {
		if (so.ncols != 1)
			return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery has too many columns"),
			                     loc + 1);
		expr *eq;
		TRY(an_make_op(c, "=", *x, an_col(c, so.ids[0]), loc, &eq));
		if (eq->kind != EXPR_FUNC || eq->nargs != 2) return an_unsupported("this IN (subquery)", loc);
		expr *v = eq->args[1];
		if (v->kind != EXPR_COLUMN) {
			int vid;
			sub = an_project_more(c, sub, 1, &v, &vid);
			v = an_col(c, vid);
		}
		if (mk == MK_MATCH) {
			*x = eq->args[0];
			ok[nk] = eq->args[0];
			ik[nk++] = v;
		} else if (mk == MK_NULL) {
			expr *isn = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
			isn->args[0] = v;
			sub = an_filter(c, sub, isn);
		}
	}
	expr *filter = so.corr_filter;
	pending *p = arena_zalloc(c->a, sizeof(pending));
	p->jt = JOIN_LEFT;
	p->location = loc;
	an_pending_feeds(p, &so);
	int ng;
	int *gids;
	if (filter) {
		/* the filter needs the outer values: join the distinct ones */
		lnode *ph = outer_placeholder(c, min_id, nk, ok, &filter, &p->nouter, &p->outer_ids,
		                              &p->outer_cols);
		p->outer = ph;
		p->nulls_equal = true;
		sub = an_join(c, ph, sub, JOIN_INNER, nk, ok, ik, filter);
		ng = p->nouter;
		gids = p->outer_cols;
		p->okeys = arena_zalloc(c->a, sizeof(expr *) * (size_t)(ng + 1));
		for (int i = 0; i < ng; i++) p->okeys[i] = an_col(c, p->outer_ids[i]);
	} else {
		ng = nk;
		gids = arena_zalloc(c->a, sizeof(int) * (size_t)(ng + 1));
		for (int i = 0; i < ng; i++) {
			if (ik[i]->kind != EXPR_COLUMN) return an_unsupported("this correlated subquery", loc);
			gids[i] = ik[i]->column;
		}
		p->okeys = ok;
	}
	if (ng > 0) {
		sub = distinct_ids(c, sub, ng, gids);
	} else {
		lnode *l = an_node(c, LN_LIMIT, sub->ncols);
		if (sub->ncols) memcpy(l->cols, sub->cols, sizeof(int) * (size_t)sub->ncols);
		l->nchildren = 1;
		l->children = arena_zalloc(c->a, sizeof(lnode *));
		l->children[0] = sub;
		l->limit = 1;
		l->est = 1;
		sub = l;
	}
	/* the marker: group columns pass, then true */
	expr *t = an_bool_const(c, true);
	int mid;
	lnode *pr = an_project_more(c, sub, 1, &t, &mid);
	if (ng == 0) {
		pr->ncols = 1;
		pr->cols[0] = mid;
		pr->exprs[0] = pr->exprs[sub->ncols];
	}
	p->sub = pr;
	p->nkeys = ng;
	p->ikeys = gids;
	pending **tail = b->pend;
	while (*tail) tail = &(*tail)->next;
	*tail = p;
	expr *nn = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
	nn->args[0] = an_col(c, mid);
	nn->negate = true;
	*out = nn;
	return NULL;
}

static expr *is_null(actx *c, expr *e)
{
	expr *n = an_expr(c, EXPR_IS_NULL, ftype_make(TYPE_BOOL), 1);
	n->args[0] = e;
	return n;
}

ferr *an_sublink_bool(bctx *b, const PgQuery__SubLink *sl, expr **out)
{
	actx *c = b->c;
	int loc = sl->location;
	bool exists = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK;
	bool in = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK;
	if (!exists && !in) return an_unsupported("ALL/ARRAY subqueries", loc);
	TRY(an_sublink_supported(sl, in));
	if (exists) return sublink_marker(b, sl, MK_ANY, NULL, out);
	/*
	 * x IN (subquery): true when a row equals x; else false when the
	 * subquery is empty; else NULL when x is NULL or a row's value is NULL;
	 * else false (PostgreSQL's three-valued ANY).
	 */
	expr *x, *match, *any, *hasnull;
	TRY(an_expr_node(b, sl->testexpr, &x));
	expr *xm = x;
	TRY(sublink_marker(b, sl, MK_MATCH, &xm, &match));
	TRY(sublink_marker(b, sl, MK_ANY, &x, &any));
	TRY(sublink_marker(b, sl, MK_NULL, &x, &hasnull));
	expr *unknown_if[2] = {is_null(c, xm), hasnull};
	expr *unknown = an_expr(c, EXPR_OR, ftype_make(TYPE_BOOL), 2);
	memcpy(unknown->args, unknown_if, sizeof unknown_if);
	expr *null_bool = an_expr(c, EXPR_CONST, ftype_make(TYPE_BOOL), 0);
	null_bool->value.isnull = true;
	expr *e = an_expr(c, EXPR_CASE, ftype_make(TYPE_BOOL), 7);
	expr *no_rows = an_expr(c, EXPR_NOT, ftype_make(TYPE_BOOL), 1);
	no_rows->args[0] = any;
	expr *args[7] = {match,   an_bool_const(c, true), no_rows, an_bool_const(c, false),
	                 unknown, null_bool,              an_bool_const(c, false)};
	memcpy(e->args, args, sizeof args);
	e->has_else = true;
	*out = e;
	return NULL;
}

/* ---- correlated scalar aggregates ---- */

bool an_agg_needs_outer(const corr *cr, const aggset *ag)
{
	if (cr->nother > 0) return true;
	for (int i = 0; i < ag->n; i++)
		if (ag->calls[i].kind == AGG_COUNT || ag->calls[i].kind == AGG_COUNT_STAR) return true;
	return false;
}

ferr *an_decorrelate_agg(actx *c, corr *cr, aggset *ag, int min_id, lnode **plan, selout *out)
{
	/* every outer row gets its group, the empty ones from the LEFT join's NULL row */
	expr *t = an_bool_const(c, true);
	int mid;
	lnode *inner = an_project_more(c, *plan, 1, &t, &mid);
	for (int i = 0; i < ag->n; i++) {
		if (ag->calls[i].kind == AGG_COUNT_STAR) {
			ag->calls[i].kind = AGG_COUNT;
			ag->args[i] = an_col(c, mid);
		}
		if (ag->calls[i].kind == AGG_ARRAY_AGG) {
			/* array_agg keeps NULLs: the LEFT join's NULL row must not become an element */
			expr *both[2] = {ag->filter_args[i], an_col(c, mid)};
			ag->filter_args[i] = both[0] ? an_and(c, both, 2) : both[1];
			ag->calls[i].x.has_filter = true;
		}
	}
	expr **ok = arena_zalloc(c->a, sizeof(expr *) * (size_t)(cr->n + 1));
	if (cr->n && cr->nother == 0) {
		/* equalities only: the placeholder holds the distinct values of the outer keys
		 * themselves (fewer than those of the columns they are computed from) */
		int n = cr->n;
		int *fresh = arena_zalloc(c->a, sizeof(int) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) {
			fresh[i] = an_col_new(c, "key", cr->outer[i]->type);
			ok[i] = an_col(c, fresh[i]);
		}
		lnode *ph = an_node(c, LN_PROJECT, n);
		memcpy(ph->cols, fresh, sizeof(int) * (size_t)n);
		out->outer = ph;
		out->nouter = n;
		out->outer_cols = fresh;
		out->outer_vals = cr->outer;
		*plan = an_join(c, ph, inner, JOIN_LEFT, n, ok, cr->inner, NULL);
		cr->inner = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) cr->inner[i] = an_col(c, fresh[i]);
		return NULL; /* cr->outer: the same keys, now equal to the placeholder's columns */
	}
	if (cr->n) memcpy(ok, cr->outer, sizeof(expr *) * (size_t)cr->n);
	expr *filter = an_and(c, cr->other, cr->nother);
	lnode *ph = outer_placeholder(c, min_id, cr->n, ok, &filter, &out->nouter, &out->outer_ids,
	                              &out->outer_cols);
	out->outer = ph;
	*plan = an_join(c, ph, inner, JOIN_LEFT, cr->n, ok, cr->inner, filter);
	/* from here on the correlation is "placeholder column = outer column" */
	int n = out->nouter;
	cr->inner = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	cr->outer = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		cr->inner[i] = an_col(c, out->outer_cols[i]);
		cr->outer[i] = an_col(c, out->outer_ids[i]);
	}
	cr->n = cr->cap = n;
	cr->nother = 0;
	return NULL;
}
