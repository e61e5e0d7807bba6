/*
 * analyze.c — one SELECT level into a logical plan: FROM and WHERE through
 * the join planner, EXISTS/IN/scalar subqueries decorrelated into semi,
 * anti and left joins (never re-run per row), GROUP BY and aggregates,
 * HAVING, DISTINCT, ORDER BY, LIMIT/OFFSET, VALUES, UNION [ALL] and WITH
 * (inlined). Every unsupported construct is a 0A000 naming it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "planner/analyze_internal.h"

/* ---- pending subquery joins ---- */

static void pend_append(pending **list, pending *p)
{
	while (*list) list = &(*list)->next;
	*list = p;
}

static ferr *apply_pending(actx *c, lnode *plan, pending *p, int min_id, lnode **out)
{
	for (; p; p = p->next) {
		for (int i = 0; i < p->nkeys; i++)
			if (an_refs_below(p->okeys[i], min_id))
				return an_unsupported("subqueries correlated with an outer query level", p->location);
		if (p->outer || p->feeds) TRY(an_fill_outer(c, p, plan));
		expr **rk = arena_zalloc(c->a, sizeof(expr *) * (size_t)(p->nkeys + 1));
		for (int i = 0; i < p->nkeys; i++) rk[i] = an_col(c, p->ikeys[i]);
		lnode *j = an_join(c, plan, p->sub, p->jt, p->nkeys, p->okeys, rk, p->filter);
		j->null_aware = p->null_aware;
		j->nulls_equal = p->nulls_equal;
		if (p->jt == JOIN_LEFT && p->nkeys == 0) j->est = plan->est;
		plan = j;
	}
	*out = plan;
	return NULL;
}

/*
 * The EXISTS / IN (subquery) forms Ferry plans: IN only with "=" and one
 * value, and a plain SELECT inside; anything else is 0A000 at the sublink.
 */
ferr *an_sublink_supported(const PgQuery__SubLink *sl, bool in)
{
	int loc = sl->location;
	if (in) {
		const char *op = sl->n_oper_name ? an_strval(sl->oper_name[sl->n_oper_name - 1]) : "=";
		if (strcmp(op, "=") != 0) return an_unsupported("op ANY (subquery) other than IN", loc);
		if (sl->testexpr && sl->testexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR)
			return an_unsupported("row-valued IN (subquery)", loc);
	}
	if (sl->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return an_unsupported("this subquery", loc);
	return NULL;
}

/* EXISTS / NOT EXISTS / x IN (subquery) / x NOT IN (subquery) as a WHERE conjunct. */
static ferr *where_sublink(bctx *b, const pqnode *n, pending **post, bool *handled)
{
	actx *c = b->c;
	*handled = false;
	bool negated = false;
	if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR && n->bool_expr->n_args == 1) {
		negated = true;
		n = n->bool_expr->args[0];
	}
	if (n->node_case != PG_QUERY__NODE__NODE_SUB_LINK) return NULL;
	const PgQuery__SubLink *sl = n->sub_link;
	bool exists = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK;
	bool in = sl->sub_link_type == PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK;
	if (!exists && !in) return NULL;
	int loc = sl->location;
	TRY(an_sublink_supported(sl, in));
	*handled = true;
	selout so;
	TRY(an_at(an_select(c, sl->subselect->select_stmt, b->sc, exists ? SQ_EXISTS : SQ_IN, &so), loc));
	pending *p = arena_zalloc(c->a, sizeof(pending));
	p->sub = so.plan;
	p->jt = negated ? JOIN_ANTI : JOIN_SEMI;
	p->location = loc;
	p->filter = so.corr_filter;
	an_pending_feeds(p, &so);
	int nk = so.nkeys + (in ? 1 : 0);
	p->okeys = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nk + 1));
	p->ikeys = arena_zalloc(c->a, sizeof(int) * (size_t)(nk + 1));
	if (in) {
		if (so.ncols != 1)
			return ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR, "subquery has too many columns"),
			                     loc + 1);
		expr *x, *eq;
		TRY(an_expr_node(b, sl->testexpr, &x));
		TRY(an_make_op(c, "=", x, an_col(c, so.ids[0]), loc, &eq));
		if (eq->kind != EXPR_FUNC) return an_unsupported("this IN (subquery)", loc);
		p->okeys[0] = eq->args[0];
		expr *inner = eq->args[1];
		if (inner->kind != EXPR_COLUMN) {
			/* the subquery's column needs a cast: compute it on top of the subquery */
			lnode *pr = an_node(c, LN_PROJECT, 1);
			pr->nchildren = 1;
			pr->children = arena_zalloc(c->a, sizeof(lnode *));
			pr->children[0] = p->sub;
			pr->exprs = arena_zalloc(c->a, sizeof(expr *) * 2);
			pr->exprs[0] = inner;
			pr->cols[0] = an_col_new(c, "expr", inner->type);
			pr->est = p->sub->est;
			if (so.nkeys || so.corr_filter) {
				*handled = false; /* a boolean value instead (decorrelate.c) */
				return NULL;
			}
			p->sub = pr;
			p->ikeys[0] = pr->cols[0];
		} else {
			p->ikeys[0] = inner->column;
		}
		if (negated) {
			if (so.nkeys || so.corr_filter) {
				*handled = false; /* a boolean value instead (decorrelate.c) */
				return NULL;
			}
			p->null_aware = true;
		}
	}
	for (int i = 0; i < so.nkeys; i++) {
		p->okeys[i + (in ? 1 : 0)] = so.okeys[i];
		p->ikeys[i + (in ? 1 : 0)] = so.ikeys[i];
	}
	p->nkeys = nk;
	pend_append(post, p);
	return NULL;
}

/* ---- aggregation ---- */

typedef struct post_ctx {
	actx *c;
	int ngroup;
	expr **groups;
	int *gids;
	const aggset *ag;
	pending *subs[2]; /* subqueries joined above the aggregation: their columns pass */
	ferr *err;
	int location;
	const winset *win; /* window results pass too */
	const an_srfset *srf; /* and select-list set-returning functions' */
} post_ctx;

static bool is_sub_out(const post_ctx *pc, int id)
{
	for (int k = 0; k < 2; k++)
		for (const pending *p = pc->subs[k]; p; p = p->next)
			for (int i = 0; i < p->sub->ncols; i++)
				if (p->sub->cols[i] == id) return true;
	return false;
}

/* The column of e in the pre-aggregation projection pe/pid, added when not there yet. */
static int pre_agg_col(actx *c, expr *e, const char *name, expr **pe, int *pid, int *np)
{
	for (int q = 0; q < *np; q++)
		if (an_expr_equal(pe[q], e)) return pid[q];
	int id = e->kind == EXPR_COLUMN ? e->column : an_col_new(c, name, e->type);
	pe[*np] = e;
	pid[(*np)++] = id;
	return id;
}

static bool is_agg_out(const aggset *ag, int id)
{
	for (int i = 0; i < ag->n; i++)
		if (ag->calls[i].out == id) return true;
	return an_is_grouping_out(ag, id);
}

/* Above the aggregation, expressions see group keys and aggregate results only. */
static expr *rewrite_post(post_ctx *pc, expr *e)
{
	if (!e || pc->err) return e;
	for (int g = 0; g < pc->ngroup; g++)
		if (an_expr_equal(e, pc->groups[g])) return an_col(pc->c, pc->gids[g]);
	if (e->kind == EXPR_COLUMN) {
		if (is_agg_out(pc->ag, e->column) || is_sub_out(pc, e->column) ||
		    an_window_is_out(pc->win, e->column) || an_srf_is_out(pc->srf, e->column))
			return e;
		const plan_colinfo *ci = &pc->c->q->colinfo[e->column];
		pc->err = ferr_new(SQLSTATE_GROUPING_ERROR,
		                   "column \"%s\" must appear in the GROUP BY clause or be used in an "
		                   "aggregate function",
		                   ci->name);
		if (pc->location >= 0) ferr_position(pc->err, pc->location + 1);
		return e;
	}
	if (e->nargs == 0) return e;
	expr *n = arena_alloc(pc->c->a, sizeof(expr));
	*n = *e;
	n->args = arena_zalloc(pc->c->a, sizeof(expr *) * (size_t)e->nargs);
	for (int i = 0; i < e->nargs; i++) n->args[i] = rewrite_post(pc, e->args[i]);
	return n;
}

static expr *rewrite_post_cb(void *arg, expr *e) { return rewrite_post(arg, e); }

/* ---- the SELECT ---- */

typedef struct target {
	expr *e;
	const char *name;
	int location;
} target;

typedef struct tlist {
	int n, cap;
	target *t;
} tlist;

static void tl_add(actx *c, tlist *tl, expr *e, const char *name, int location)
{
	if (tl->n == tl->cap) {
		int cap = tl->cap ? tl->cap * 2 : 16;
		tl->t = arena_realloc(c->a, tl->t, sizeof(target) * (size_t)tl->cap, sizeof(target) * (size_t)cap);
		tl->cap = cap;
	}
	tl->t[tl->n++] = (target){e, name, location};
}

static ferr *const_int(actx *c, bctx *b, const pqnode *n, const char *what, int64_t *out)
{
	expr *e;
	TRY(an_expr_node(b, n, &e));
	if (e->kind == EXPR_PARAM) return an_unsupported("parameters in LIMIT/OFFSET", -1);
	if (e->type.id != TYPE_INT8) TRY(an_coerce(c, e, ftype_make(TYPE_INT8), -1, &e));
	if (e->kind != EXPR_CONST) return an_unsupported("non-constant LIMIT/OFFSET", -1);
	if (e->value.isnull) {
		*out = -1;
		return NULL;
	}
	if (e->value.u.i < 0)
		return ferr_new(!strcmp(what, "LIMIT") ? SQLSTATE_INVALID_ROW_COUNT_IN_LIMIT
		                                       : SQLSTATE_INVALID_ROW_COUNT_IN_OFFSET,
		                "%s must not be negative", what);
	*out = e->value.u.i;
	return NULL;
}

/* Positional output reference: ORDER BY 2 / GROUP BY 1. */
static bool ordinal_of(const pqnode *n, int *k)
{
	if (n->node_case != PG_QUERY__NODE__NODE_A_CONST || n->a_const->isnull ||
	    n->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL)
		return false;
	*k = n->a_const->ival->ival;
	return true;
}

static const char *single_name(const pqnode *n)
{
	if (n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || n->column_ref->n_fields != 1) return NULL;
	return an_strval(n->column_ref->fields[0]);
}

static bool name_in_scope(const scope *sc, const char *name)
{
	for (int i = 0; i < sc->n; i++)
		for (int k = 0; k < sc->r[i]->ncols; k++)
			if (!strcmp(sc->r[i]->names[k], name)) return true;
	return false;
}

/* The final projection: visible targets then hidden extras, each a fresh id. */
static lnode *project(actx *c, lnode *child, int n, expr **es, const char **names, int *ids)
{
	lnode *p = an_node(c, LN_PROJECT, n);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = child;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
	p->est = child->est;
	for (int i = 0; i < n; i++) {
		p->exprs[i] = es[i];
		p->cols[i] = ids[i] >= 0 ? ids[i] : an_col_new(c, names[i], es[i]->type);
		ids[i] = p->cols[i];
	}
	return p;
}

typedef struct sortitem {
	int idx; /* into the target list (visible or hidden) */
	bool desc, nulls_first;
} sortitem;

static ferr *order_by(bctx *b, const PgQuery__SelectStmt *st, tlist *tl, int nvisible,
                      sortitem **items, bool distinct)
{
	actx *c = b->c;
	int ns = (int)st->n_sort_clause;
	sortitem *si = arena_zalloc(c->a, sizeof(sortitem) * (size_t)(ns + 1));
	for (int i = 0; i < ns; i++) {
		const PgQuery__SortBy *sb = st->sort_clause[i]->sort_by;
		if (sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
			return an_unsupported("ORDER BY USING", sb->location);
		si[i].desc = sb->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
		si[i].nulls_first = sb->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST ||
		                    (sb->sortby_nulls != PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST && si[i].desc);
		int k;
		if (ordinal_of(sb->node, &k)) {
			if (k < 1 || k > nvisible)
				return ferr_position(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
				                              "ORDER BY position %d is not in select list", k),
				                     sb->node->a_const->location + 1);
			si[i].idx = k - 1;
			continue;
		}
		/* a bare name matching an output column names that column */
		const char *nm = single_name(sb->node);
		int hit = -1;
		if (nm)
			for (int t = 0; t < nvisible; t++)
				if (tl->t[t].name && !strcmp(tl->t[t].name, nm)) {
					if (hit >= 0 && !an_expr_equal(tl->t[hit].e, tl->t[t].e))
						return ferr_position(ferr_new(SQLSTATE_AMBIGUOUS_COLUMN,
						                              "ORDER BY \"%s\" is ambiguous", nm),
						                     sb->node->column_ref->location + 1);
					if (hit < 0) hit = t;
				}
		if (hit >= 0) {
			si[i].idx = hit;
			continue;
		}
		expr *e;
		TRY(an_expr_node(b, sb->node, &e));
		for (int t = 0; t < tl->n && hit < 0; t++)
			if (an_expr_equal(tl->t[t].e, e)) hit = t;
		if (hit < 0) {
			if (distinct)
				return ferr_position(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
				                              "for SELECT DISTINCT, ORDER BY expressions must "
				                              "appear in select list"),
				                     sb->location + 1);
			tl_add(c, tl, e, "sortkey", sb->location);
			hit = tl->n - 1;
		}
		si[i].idx = hit;
	}
	*items = si;
	return NULL;
}

/* DISTINCT ON items as target indexes: ordinals, output names, else expressions. */
static ferr *distinct_on_items(bctx *b, const PgQuery__SelectStmt *st, tlist *tl, int nvisible,
                               int **out, int *nout)
{
	int n = (int)st->n_distinct_clause;
	int *idx = arena_zalloc(b->c->a, sizeof(int) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		const pqnode *d = st->distinct_clause[i];
		int k, hit = -1;
		if (ordinal_of(d, &k)) {
			if (k < 1 || k > nvisible)
				return ferr_position(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
				                              "SELECT DISTINCT ON position %d is not in select list", k),
				                     d->a_const->location + 1);
			idx[i] = k - 1;
			continue;
		}
		const char *nm = single_name(d);
		for (int t = 0; nm && t < nvisible && hit < 0; t++)
			if (tl->t[t].name && !strcmp(tl->t[t].name, nm)) hit = t;
		if (hit < 0) {
			expr *e;
			TRY(an_expr_node(b, d, &e));
			for (int t = 0; t < tl->n && hit < 0; t++)
				if (an_expr_equal(tl->t[t].e, e)) hit = t;
			if (hit < 0) {
				tl_add(b->c, tl, e, "distinct_on", -1);
				hit = tl->n - 1;
			}
		}
		idx[i] = hit;
	}
	*out = idx;
	*nout = n;
	return NULL;
}

/* The ORDER BY must start with the DISTINCT ON expressions (in any order). */
static ferr *distinct_on_check(const PgQuery__SelectStmt *st, const sortitem *si, int nsort,
                               const int *don, int ndon)
{
	int prefix = 0; /* ORDER BY items that are DISTINCT ON items */
	while (prefix < nsort) {
		bool in = false;
		for (int k = 0; k < ndon; k++) in |= don[k] == si[prefix].idx;
		if (!in) break;
		prefix++;
	}
	for (int k = 0; k < ndon; k++) {
		bool found = false;
		for (int i = 0; i < prefix; i++) found |= si[i].idx == don[k];
		if (!found) {
			ferr *e = ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
			                   "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
			return an_at(e, an_node_location(st->distinct_clause[k]));
		}
	}
	return NULL;
}

/* Sort / top-N / limit over the output; ids[] gives each target's column. */
static lnode *sort_limit(actx *c, lnode *plan, int ns, const sortitem *si, const int *ids,
                         int64_t limit, int64_t offset)
{
	if (ns > 0) {
		lnode *s = an_node(c, LN_SORT, plan->ncols);
		memcpy(s->cols, plan->cols, sizeof(int) * (size_t)plan->ncols);
		s->nchildren = 1;
		s->children = arena_zalloc(c->a, sizeof(lnode *));
		s->children[0] = plan;
		s->nsort = ns;
		s->sort = arena_zalloc(c->a, sizeof(lsort) * (size_t)ns);
		for (int i = 0; i < ns; i++)
			s->sort[i] = (lsort){ids[si[i].idx], si[i].desc, si[i].nulls_first};
		s->limit = limit;
		s->offset = offset > 0 ? offset : 0;
		s->est = plan->est;
		if (limit >= 0 && (s->est < 0 || s->est > limit)) s->est = (double)limit;
		return s;
	}
	if (limit < 0 && offset <= 0) return plan;
	lnode *l = an_node(c, LN_LIMIT, plan->ncols);
	memcpy(l->cols, plan->cols, sizeof(int) * (size_t)plan->ncols);
	l->nchildren = 1;
	l->children = arena_zalloc(c->a, sizeof(lnode *));
	l->children[0] = plan;
	l->limit = limit;
	l->offset = offset > 0 ? offset : 0;
	l->est = plan->est;
	if (limit >= 0 && (l->est < 0 || l->est > limit)) l->est = (double)limit;
	return l;
}

static lnode *distinct_over(actx *c, lnode *plan, int n)
{
	lnode *g = an_node(c, LN_AGG, n);
	memcpy(g->cols, plan->cols, sizeof(int) * (size_t)n);
	g->nchildren = 1;
	g->children = arena_zalloc(c->a, sizeof(lnode *));
	g->children[0] = plan;
	g->ngroup = n;
	g->est = plan->est >= 0 ? plan->est * 0.5 : -1;
	return g;
}

/* Trailing ORDER BY / LIMIT of VALUES and set operations: names and ordinals only. */
static ferr *simple_tail(actx *c, const PgQuery__SelectStmt *st, selout *out)
{
	scope empty = {0};
	empty.min_id = c->q->ncolinfo;
	bctx b = {.c = c, .sc = &empty, .clause = "ORDER BY"};
	rte r = {.alias = "", .ncols = out->ncols, .names = out->names, .ids = out->ids};
	rte *rp = &r;
	empty.r = &rp;
	empty.n = 1;
	tlist tl = {0};
	for (int i = 0; i < out->ncols; i++) tl_add(c, &tl, an_col(c, out->ids[i]), out->names[i], -1);
	sortitem *si = NULL;
	TRY(order_by(&b, st, &tl, out->ncols, &si, false));
	if (tl.n > out->ncols) return an_unsupported("ORDER BY expressions on UNION/VALUES", -1);
	int64_t limit = -1, offset = 0;
	bctx lb = {.c = c, .sc = &empty, .clause = "LIMIT"};
	if (st->limit_count) TRY(const_int(c, &lb, st->limit_count, "LIMIT", &limit));
	if (st->limit_offset) TRY(const_int(c, &lb, st->limit_offset, "OFFSET", &offset));
	out->plan = sort_limit(c, out->plan, (int)st->n_sort_clause, si, out->ids, limit, offset);
	return NULL;
}

static ferr *values_select(actx *c, const PgQuery__SelectStmt *st, scope *parent, selout *out)
{
	int nrows = (int)st->n_values_lists;
	scope sc = {.parent = parent, .min_id = c->q->ncolinfo};
	bctx b = {.c = c, .sc = &sc, .clause = "VALUES"};
	int ncols = -1;
	expr ***rows = arena_zalloc(c->a, sizeof(expr **) * (size_t)nrows);
	for (int r = 0; r < nrows; r++) {
		const pqnode *l = st->values_lists[r];
		if (l->node_case != PG_QUERY__NODE__NODE_LIST) return an_unsupported("this VALUES row", -1);
		int n = (int)l->list->n_items;
		if (ncols >= 0 && n != ncols)
			return ferr_new(SQLSTATE_SYNTAX_ERROR, "VALUES lists must all be the same length");
		ncols = n;
		rows[r] = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 1));
		for (int k = 0; k < n; k++) {
			TRY(an_expr_node(&b, l->list->items[k], &rows[r][k]));
			if (an_refs_below(rows[r][k], 0) || rows[r][k]->kind == EXPR_COLUMN)
				return an_unsupported("column references in VALUES", -1);
		}
	}
	lnode *v = an_node(c, LN_VALUES, ncols);
	out->names = arena_zalloc(c->a, sizeof(char *) * (size_t)(ncols + 1));
	expr **col = arena_zalloc(c->a, sizeof(expr *) * (size_t)(nrows + 1));
	for (int k = 0; k < ncols; k++) {
		for (int r = 0; r < nrows; r++) col[r] = rows[r][k];
		ftype t;
		TRY(an_common_type("VALUES", nrows, col, -1, &t));
		for (int r = 0; r < nrows; r++) TRY(an_coerce(c, rows[r][k], t, -1, &rows[r][k]));
		out->names[k] = arena_sprintf(c->a, "column%d", k + 1);
		v->cols[k] = an_col_new(c, out->names[k], t);
	}
	v->nrows = nrows;
	v->rows = rows;
	v->est = nrows;
	out->plan = v;
	out->ncols = ncols;
	out->ids = v->cols;
	return simple_tail(c, st, out);
}

/* Cast a branch's outputs to the union's types (a project when needed). */
static ferr *conform(actx *c, selout *s, const ftype *types)
{
	/* constant outputs (select null, select 'x') take the type in place */
	if (s->plan->kind == LN_PROJECT)
		for (int i = 0; i < s->ncols; i++)
			for (int k = 0; k < s->plan->ncols; k++)
				if (s->plan->cols[k] == s->ids[i] && s->plan->exprs[k]->kind == EXPR_CONST &&
				    !ftype_equal(s->plan->exprs[k]->type, types[i])) {
					TRY(an_coerce(c, s->plan->exprs[k], types[i], -1, &s->plan->exprs[k]));
					c->q->colinfo[s->ids[i]].type = types[i];
				}
	bool need = false;
	for (int i = 0; i < s->ncols; i++) need |= !ftype_equal(c->q->colinfo[s->ids[i]].type, types[i]);
	if (!need) return NULL;
	expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(s->ncols + 1));
	int *ids = arena_zalloc(c->a, sizeof(int) * (size_t)(s->ncols + 1));
	for (int i = 0; i < s->ncols; i++) {
		TRY(an_coerce(c, an_col(c, s->ids[i]), types[i], -1, &es[i]));
		ids[i] = -1;
	}
	s->plan = project(c, s->plan, s->ncols, es, s->names, ids);
	s->ids = ids;
	return NULL;
}

static ferr *setop_select(actx *c, const PgQuery__SelectStmt *st, scope *parent, selout *out)
{
	bool is_union = st->op == PG_QUERY__SET_OPERATION__SETOP_UNION;
	bool intersect = st->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT;
	const char *opname = is_union ? "UNION" : intersect ? "INTERSECT" : "EXCEPT";
	selout l, r;
	/* PostgreSQL refuses a recursive reference under INTERSECT ALL and EXCEPT ALL, and on
	 * EXCEPT's right */
	const char *saved_setop = c->rec_setop;
	if (!is_union && st->all) c->rec_setop = opname;
	ferr *le = an_select(c, st->larg, parent, SQ_SETOP, &l);
	if (!is_union && !intersect) c->rec_setop = opname;
	ferr *re = le ? NULL : an_select(c, st->rarg, parent, SQ_SETOP, &r);
	c->rec_setop = saved_setop;
	TRY(le);
	TRY(re);
	/* errors point at the right branch's select list, as PostgreSQL's do */
	const PgQuery__SelectStmt *rs = st->rarg;
	int rloc = rs->n_target_list ? rs->target_list[0]->res_target->location : -1;
	if (l.ncols != r.ncols)
		return an_at(ferr_new(SQLSTATE_SYNTAX_ERROR,
		                      "each %s query must have the same number of columns", opname),
		             rloc);
	ftype *types = arena_zalloc(c->a, sizeof(ftype) * (size_t)(l.ncols + 1));
	for (int i = 0; i < l.ncols; i++) {
		expr *pair[2] = {an_col(c, l.ids[i]), an_col(c, r.ids[i])};
		int loc = (int)rs->n_target_list == r.ncols ? rs->target_list[i]->res_target->location : -1;
		TRY(an_common_type(opname, 2, pair, loc, &types[i]));
	}
	TRY(conform(c, &l, types));
	TRY(conform(c, &r, types));
	lnode *u = an_node(c, LN_UNION, l.ncols);
	u->nchildren = 2;
	u->children = arena_zalloc(c->a, sizeof(lnode *) * 2);
	u->children[0] = l.plan;
	u->children[1] = r.plan;
	/* a UNION child's outputs are its visible columns, in order */
	for (int i = 0; i < l.ncols; i++) u->cols[i] = an_col_new(c, l.names[i], types[i]);
	u->est = l.plan->est >= 0 && r.plan->est >= 0 ? l.plan->est + r.plan->est : -1;
	/* children may carry hidden columns: narrow them to the visible ones */
	for (int k = 0; k < 2; k++) {
		selout *s = k ? &r : &l;
		if (s->plan->ncols == s->ncols) {
			bool same = true;
			for (int i = 0; i < s->ncols; i++) same &= s->plan->cols[i] == s->ids[i];
			if (same) continue;
		}
		expr **es = arena_zalloc(c->a, sizeof(expr *) * (size_t)(s->ncols + 1));
		int *ids = arena_zalloc(c->a, sizeof(int) * (size_t)(s->ncols + 1));
		for (int i = 0; i < s->ncols; i++) es[i] = an_col(c, s->ids[i]), ids[i] = -1;
		u->children[k] = project(c, s->plan, s->ncols, es, s->names, ids);
	}
	if (is_union)
		out->plan = st->all ? u : distinct_over(c, u, u->ncols);
	else
		TRY(an_setop_counted(c, intersect, st->all, u, &out->plan));
	out->ncols = l.ncols;
	out->ids = u->cols;
	out->names = l.names;
	return simple_tail(c, st, out);
}

static void above_fn(int id, void *arg)
{
	int *p = arg;
	if (id >= p[0]) p[1] = 1;
}

/* Whether e references a column of this query level (id >= min_id). */
static bool refs_this_level(const expr *e, int min_id)
{
	int st[2] = {min_id, 0};
	an_expr_cols(e, above_fn, st);
	return st[1] != 0;
}

static void split_corr(actx *c, expr *e, int min_id, corr *cr)
{
	if (e->kind == EXPR_FUNC && e->nargs == 2 && !strcmp(func_name(e->func), "=")) {
		expr *a = e->args[0], *b = e->args[1];
		expr *in = NULL, *ou = NULL;
		/* one side only this level's columns, the other only outer ones */
		if (!an_refs_below(a, min_id) && refs_this_level(a, min_id) && !refs_this_level(b, min_id))
			in = a, ou = b;
		else if (!an_refs_below(b, min_id) && refs_this_level(b, min_id) && !refs_this_level(a, min_id))
			in = b, ou = a;
		if (in) {
			if (cr->n == cr->cap) {
				int cap = cr->cap ? cr->cap * 2 : 4;
				cr->inner = arena_realloc(c->a, cr->inner, sizeof(expr *) * (size_t)cr->cap, sizeof(expr *) * (size_t)cap);
				cr->outer = arena_realloc(c->a, cr->outer, sizeof(expr *) * (size_t)cr->cap, sizeof(expr *) * (size_t)cap);
				cr->cap = cap;
			}
			cr->inner[cr->n] = in;
			cr->outer[cr->n++] = ou;
			return;
		}
	}
	an_conjuncts(c, e, &cr->other, &cr->nother, &cr->capother);
}

/* e with every outer expression that a correlation key equals replaced by its inner side. */
static expr *subst_outer(actx *c, const corr *cr, expr *e)
{
	for (int k = 0; k < cr->n; k++)
		if (an_expr_equal(e, cr->outer[k])) return cr->inner[k];
	if (e->nargs == 0) return e;
	expr *n = arena_alloc(c->a, sizeof(expr));
	*n = *e;
	n->args = arena_zalloc(c->a, sizeof(expr *) * (size_t)e->nargs);
	for (int i = 0; i < e->nargs; i++) n->args[i] = subst_outer(c, cr, e->args[i]);
	return n;
}

static int agg_add(actx *c, aggset *ag, agg_kind kind, expr *arg, ftype result, const char *name)
{
	if (ag->n == ag->cap) {
		int cap = ag->cap ? ag->cap * 2 : 8;
		ag->args = arena_realloc(c->a, ag->args, sizeof(expr *) * (size_t)ag->cap, sizeof(expr *) * (size_t)cap);
		ag->calls = arena_realloc(c->a, ag->calls, sizeof(lagg) * (size_t)ag->cap, sizeof(lagg) * (size_t)cap);
		ag->cap = cap;
	}
	int id = an_col_new(c, name, result);
	ag->args[ag->n] = arg;
	ag->calls[ag->n++] = (lagg){.kind = kind, .arg = -1, .result = result, .name = name, .out = id};
	return id;
}

/*
 * A correlated scalar subquery that is not an aggregate (psql's
 * (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = a.attrelid ...))
 * becomes one like an aggregate: grouped by its correlation keys, its value is max(v) guarded
 * by count(*), so a key with several rows raises 21000 as PostgreSQL does, and a key with none
 * gives NULL through the LEFT join. Other correlated conditions are rewritten through the key
 * equalities into filters of the subquery, or stay join filters when they name only outer
 * columns; anything else is 0A000.
 */
static ferr *scalar_decorrelate(actx *c, corr *cr, int min_id, lnode **plan, aggset *ag,
                                expr **value)
{
	int nkeep = 0;
	for (int i = 0; i < cr->nother; i++) {
		expr *e = subst_outer(c, cr, cr->other[i]);
		if (!an_refs_below(e, min_id))
			*plan = an_filter(c, *plan, e);
		else if (!refs_this_level(cr->other[i], min_id))
			cr->other[nkeep++] = cr->other[i];
		else
			return an_unsupported("this correlated scalar subquery", -1);
	}
	cr->nother = nkeep;
	expr *v = *value, *arg = v;
	ftype i4 = ftype_make(TYPE_INT4);
	if (v->type.id == TYPE_BOOL) {
		/* max() has no boolean form: true/false as 1/0, NULL stays NULL */
		arg = an_expr(c, EXPR_CASE, i4, 4);
		arg->args[0] = v;
		arg->args[1] = an_expr(c, EXPR_CONST, i4, 0);
		arg->args[1]->value.u.i = 1;
		arg->args[2] = an_expr(c, EXPR_NOT, ftype_make(TYPE_BOOL), 1);
		arg->args[2]->args[0] = v;
		arg->args[3] = an_expr(c, EXPR_CONST, i4, 0);
	}
	agg_kind kmax, kcount;
	ftype tmax, tcount;
	ferr *e = agg_lookup("max", false, 1, &arg->type, &kmax, &tmax);
	if (e) {
		ferr_free(e);
		return an_unsupported("correlated scalar subqueries of this type", -1);
	}
	TRY(agg_lookup("count", true, 0, NULL, &kcount, &tcount));
	expr *m = an_col(c, agg_add(c, ag, kmax, arg, tmax, "max"));
	expr *n = an_col(c, agg_add(c, ag, kcount, NULL, tcount, "count"));
	expr *one = an_expr(c, EXPR_CONST, tcount, 0), *many;
	one->value.u.i = 1;
	TRY(an_make_op(c, ">", n, one, -1, &many));
	if (v->type.id == TYPE_BOOL) {
		expr *k = an_expr(c, EXPR_CONST, i4, 0);
		k->value.u.i = 1;
		TRY(an_make_op(c, "=", m, k, -1, &m));
	}
	func_match fm;
	TRY(func_lookup("ferry_more_than_one_row", 1, &m->type, &fm));
	expr *raise = an_expr(c, EXPR_FUNC, fm.result, 1);
	raise->func = fm.func;
	raise->name = func_name(fm.func);
	raise->args[0] = m;
	expr *r = an_expr(c, EXPR_CASE, m->type, 3);
	r->args[0] = many;
	r->args[1] = raise;
	r->args[2] = m;
	r->has_else = true;
	*value = r;
	return NULL;
}

typedef struct idset_ctx {
	actx *c;
	int min_id;
	int n, cap;
	int *ids;
} idset_ctx;

static void collect_inner_fn(int id, void *arg)
{
	idset_ctx *s = arg;
	if (id < s->min_id) return;
	for (int i = 0; i < s->n; i++)
		if (s->ids[i] == id) return;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 8;
		s->ids = arena_realloc(s->c->a, s->ids, sizeof(int) * (size_t)s->cap, sizeof(int) * (size_t)cap);
		s->cap = cap;
	}
	s->ids[s->n++] = id;
}

ferr *an_select(actx *c, const PgQuery__SelectStmt *st, scope *parent, sqmode mode, selout *out)
{
	memset(out, 0, sizeof *out);
	if (++c->depth > 64) {
		c->depth--;
		return ferr_new(SQLSTATE_STATEMENT_TOO_COMPLEX, "query is too deeply nested");
	}
	cte_def *saved_ctes = c->ctes;
	ferr *err = NULL;
	bool sublink = mode == SQ_SCALAR || mode == SQ_EXISTS || mode == SQ_IN;
	c->sublinks += sublink;
	if (st->with_clause) {
		bool recursive = st->with_clause->recursive;
		for (size_t i = 0; i < st->with_clause->n_ctes; i++) {
			const PgQuery__CommonTableExpr *cte = st->with_clause->ctes[i]->common_table_expr;
			cte_def *d = arena_zalloc(c->a, sizeof(cte_def));
			d->name = cte->ctename;
			d->cte = cte;
			d->next = c->ctes;
			d->recursive_with = recursive;
			c->ctes = d;
		}
		/* under RECURSIVE every item sees the whole list (analyze_recursive.c) */
		for (cte_def *d = c->ctes; recursive && d != saved_ctes; d = d->next) d->all = c->ctes;
	}
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE && st->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED)
		err = setop_select(c, st, parent, out);
	else if (st->n_values_lists)
		err = values_select(c, st, parent, out);
	else
		err = NULL;
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_NONE && st->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED)
		goto done;
	if (st->n_values_lists) goto done;
	st = an_catalog_srf_select(c, st); /* pg_partition_ancestors(x) as unnest(...) */
	/* analyze_array.c: plain unnest(x) in the select list; others: analyze_srf.c */
	if (!an_srf_general(st)) st = an_srf_select(c, st);

	{
		arena *a = c->a;
		scope *sc = arena_zalloc(a, sizeof(scope));
		sc->parent = parent;
		sc->min_id = c->q->ncolinfo;
		if (st->into_clause) {
			err = an_unsupported("SELECT INTO", -1);
			goto done;
		}
		if (st->n_locking_clause) {
			err = an_unsupported("FOR UPDATE/SHARE", -1);
			goto done;
		}
		if (st->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES) {
			err = an_unsupported("FETCH ... WITH TIES", -1);
			goto done;
		}
		bctx fb = {.c = c, .sc = sc, .clause = "FROM"};
		jset js = {0};
		for (size_t i = 0; i < st->n_from_clause && !err; i++)
			err = an_srf_is_from_item(st->from_clause[i]) ? an_srf_from_item(&fb, st->from_clause[i], &js)
			                                               : an_from_item(&fb, st->from_clause[i], &js);
		if (err) goto done;

		/* WHERE: subquery conjuncts become joins; correlated conjuncts go up */
		pending *post = NULL;
		corr cr = {0};
		expr **late = NULL;
		int nlate = 0, caplate = 0;
		if (st->where_clause) {
			const pqnode **conj = arena_zalloc(a, sizeof(pqnode *) * 256);
			int nconj = 0;
			const pqnode *stack[256];
			int sp = 0;
			stack[sp++] = st->where_clause;
			while (sp > 0) {
				const pqnode *n = stack[--sp];
				if (n->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
				    n->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR &&
				    sp + (int)n->bool_expr->n_args < 256) {
					for (int k = (int)n->bool_expr->n_args - 1; k >= 0; k--) stack[sp++] = n->bool_expr->args[k];
					continue;
				}
				if (nconj == 256) {
					err = an_unsupported("more than 256 AND-ed WHERE conditions", -1);
					goto done;
				}
				conj[nconj++] = n;
			}
			bctx wb = {.c = c, .sc = sc, .clause = "WHERE"};
			pending *scalar = NULL;
			wb.pend = &scalar;
			for (int i = 0; i < nconj; i++) {
				bool handled;
				err = where_sublink(&wb, conj[i], &post, &handled);
				if (err) goto done;
				if (handled) continue;
				pending *before = scalar;
				int nbefore = 0;
				for (pending *p = before; p; p = p->next) nbefore++;
				expr *e;
				err = an_bool(&wb, conj[i], "WHERE", &e);
				if (err) goto done;
				int nafter = 0;
				for (pending *p = scalar; p; p = p->next) nafter++;
				if (an_refs_below(e, sc->min_id)) {
					if (mode == SQ_TOP || mode == SQ_FROM || nafter != nbefore) {
						err = an_unsupported("this correlated subquery", -1);
						goto done;
					}
					split_corr(c, e, sc->min_id, &cr);
				} else if (nafter != nbefore) {
					an_conjuncts(c, e, &late, &nlate, &caplate);
				} else {
					an_jset_conj(c, &js, e);
				}
			}
			pend_append(&post, scalar);
		}
		err = an_feeds_corr(c, sc, mode, &cr); /* functions in FROM over outer columns */
		if (err) goto done;
		lnode *plan;
		err = an_compile_jset(c, &js, &plan);
		if (err) goto done;
		err = apply_pending(c, plan, post, sc->min_id, &plan);
		if (err) goto done;
		plan = an_filter(c, plan, an_and(c, late, nlate));

		/* target list (aggregates collected as they appear) */
		aggset ag = {0};
		pending *post_sel = NULL;
		winset win = {.st = st};
		an_srfset *srfs = an_srfset_new(c);
		bctx tb = {.c = c, .sc = sc, .clause = "SELECT", .ag = &ag, .pend = &post_sel, .win = &win, .srf = srfs};
		tlist tl = {0};
		for (size_t i = 0; i < st->n_target_list; i++) {
			const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
			const pqnode *v = rt->val;
			if (v->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
			    v->column_ref->fields[v->column_ref->n_fields - 1]->node_case == PG_QUERY__NODE__NODE_A_STAR) {
				const PgQuery__ColumnRef *cr2 = v->column_ref;
				const char *qual = cr2->n_fields >= 2 ? an_strval(cr2->fields[cr2->n_fields - 2]) : NULL;
				bool any = false;
				for (int r = 0; r < sc->n; r++) {
					rte *e = sc->r[r];
					if (qual && strcmp(e->alias, qual) != 0) continue;
					any = true;
					for (int k = 0; k < e->ncols; k++) {
						if (!qual && e->hidden && e->hidden[k]) continue;
						tl_add(c, &tl, an_col(c, e->ids[k]), e->names[k], cr2->location);
					}
				}
				if (qual && !any) {
					err = ferr_position(ferr_new(SQLSTATE_UNDEFINED_TABLE,
					                             "missing FROM-clause entry for table \"%s\"", qual),
					                    cr2->location + 1);
					goto done;
				}
				if (!qual && sc->n == 0) {
					err = ferr_position(ferr_new(SQLSTATE_SYNTAX_ERROR,
					                             "SELECT * with no tables specified is not valid"),
					                    cr2->location + 1);
					goto done;
				}
				continue;
			}
			if (v->node_case == PG_QUERY__NODE__NODE_A_INDIRECTION && v->a_indirection->n_indirection &&
			    v->a_indirection->indirection[v->a_indirection->n_indirection - 1]->node_case ==
			        PG_QUERY__NODE__NODE_A_STAR) {
				/* (f(x)).*: every field of a composite (analyze_srf.c) */
				int nf;
				expr **fe;
				const char *const *fn;
				err = an_at(an_srf_star(&tb, v->a_indirection, &nf, &fe, &fn), rt->location);
				if (err) goto done;
				for (int k = 0; k < nf; k++) tl_add(c, &tl, fe[k], fn[k], rt->location);
				continue;
			}
			expr *e;
			err = an_at(an_expr_node(&tb, v, &e), rt->location);
			if (err) goto done;
			/* parse-tree strings die with the tree: names are copied */
			const char *name = arena_strdup(a, (rt->name && *rt->name) ? rt->name : an_figure_colname(v));
			tl_add(c, &tl, e, name, rt->location);
		}
		int nvisible = tl.n;
		/* LATERAL: an outer column the correlation equates with an inner one is that one */
		if (mode == SQ_LATERAL && ag.n == 0 && st->n_group_clause == 0 && cr.n > 0)
			for (int i = 0; i < tl.n; i++) tl.t[i].e = subst_outer(c, &cr, tl.t[i].e);
		for (int i = 0; mode == SQ_LATERAL && (ag.n > 0 || st->n_group_clause) && i < tl.n; i++)
			if (an_refs_below(tl.t[i].e, sc->min_id)) {
				err = an_unsupported("outer references in the select list of an aggregating LATERAL "
				                     "subquery",
				                     tl.t[i].location);
				goto done;
			}

		/* GROUP BY: ordinals and output names, else expressions over FROM */
		int ngroup = (int)st->n_group_clause;
		const pqnode *const *gitems = (const pqnode *const *)st->group_clause;
		an_gsets gs = {0};
		if (an_has_grouping_sets(st)) {
			/* the expressions inside the sets resolve like plain GROUP BY items */
			err = an_grouping_sets_flatten(c, st, &gs);
			if (err) goto done;
			ngroup = gs.nleaves;
			gitems = gs.leaves;
		}
		expr **groups = arena_zalloc(a, sizeof(expr *) * (size_t)(ngroup + cr.n + 1));
		bctx gb = {.c = c, .sc = sc, .clause = "GROUP BY", .srf = srfs};
		for (int i = 0; i < ngroup; i++) {
			const pqnode *g = gitems[i];
			int k;
			if (ordinal_of(g, &k)) {
				if (k < 1 || k > nvisible) {
					err = ferr_position(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
					                             "GROUP BY position %d is not in select list", k),
					                    g->a_const->location + 1);
					goto done;
				}
				groups[i] = tl.t[k - 1].e;
				continue;
			}
			const char *nm = single_name(g);
			if (nm && !name_in_scope(sc, nm)) {
				int hit = -1;
				for (int t = 0; t < nvisible && hit < 0; t++)
					if (tl.t[t].name && !strcmp(tl.t[t].name, nm)) hit = t;
				if (hit >= 0) {
					groups[i] = tl.t[hit].e;
					continue;
				}
			}
			err = an_expr_node(&gb, g, &groups[i]);
			if (err) goto done;
		}
		an_srf_group(srfs, groups, ngroup); /* set-returning group keys run below the aggregation */

		/* HAVING and ORDER BY may use aggregates too */
		pending *post_having = NULL;
		expr *having = NULL;
		if (st->having_clause) {
			bctx hb = {.c = c, .sc = sc, .clause = "HAVING", .ag = &ag, .pend = &post_having};
			err = an_bool(&hb, st->having_clause, "HAVING", &having);
			if (err) goto done;
		}
		err = ag.n > 0 ? an_recursive_agg_check(c, sc, st) : NULL;
		if (err) goto done;
		bool distinct = st->n_distinct_clause > 0;
		bool distinct_on = false;
		for (size_t i = 0; i < st->n_distinct_clause; i++)
			distinct_on |= st->distinct_clause[i] && st->distinct_clause[i]->node_case != 0;
		int *don = NULL, ndon = 0;
		if (distinct_on) {
			distinct = false;
			bctx db = {.c = c, .sc = sc, .clause = "DISTINCT ON", .ag = &ag, .pend = &post_sel, .win = &win, .srf = srfs};
			err = distinct_on_items(&db, st, &tl, nvisible, &don, &ndon);
			if (err) goto done;
		}
		sortitem *si = NULL;
		int nsort = (int)st->n_sort_clause;
		bool keep_order = mode != SQ_EXISTS;
		if (nsort && keep_order) {
			bctx ob = {.c = c, .sc = sc, .clause = "ORDER BY", .ag = &ag, .pend = &post_sel, .win = &win, .srf = srfs};
			err = order_by(&ob, st, &tl, nvisible, &si, distinct);
			if (err) goto done;
			if (ndon) err = distinct_on_check(st, si, nsort, don, ndon);
			if (err) goto done;
		} else {
			nsort = 0;
		}
		int64_t limit = -1, offset = 0;
		if (mode != SQ_EXISTS) {
			bctx lb = {.c = c, .sc = sc, .clause = "LIMIT"};
			if (st->limit_count) err = const_int(c, &lb, st->limit_count, "LIMIT", &limit);
			if (!err && st->limit_offset) err = const_int(c, &lb, st->limit_offset, "OFFSET", &offset);
			if (err) goto done;
		}
		bool has_agg = ag.n > 0 || ngroup > 0 || having || gs.active || ag.gfuncs;
		bool correlated = cr.n > 0 || cr.nother > 0;
		if (correlated && an_srf_seen(&tb)) {
			err = an_unsupported("set-returning functions in the select list of a correlated subquery", -1);
			goto done;
		}
		/* LATERAL: an ungrouped aggregate is one row per outer row, like a scalar subquery;
		 * ORDER BY ... LIMIT becomes a row number per correlation key (analyze_lateral.c) */
		bool lateral = mode == SQ_LATERAL && correlated;
		bool one_per_outer = lateral && has_agg && ngroup == 0 && !gs.active;
		bool lateral_topn = lateral && !has_agg && (limit >= 0 || offset > 0);
		if (lateral_topn && (cr.nother > 0 || cr.n == 0 || distinct || ndon)) {
			err = an_unsupported("LIMIT in a LATERAL subquery other than over equality conditions", -1);
			goto done;
		}
		if (lateral && has_agg && !one_per_outer && cr.nother > 0) {
			err = an_unsupported("grouped LATERAL subqueries with non-equality correlations", -1);
			goto done;
		}
		/* ORDER BY ... LIMIT in a correlated scalar subquery: its rows per correlation key */
		bool scalar_topn = correlated && mode == SQ_SCALAR && !has_agg && cr.n > 0 &&
		                   (limit >= 0 || offset > 0) && !distinct && !ndon;
		if (correlated && (limit >= 0 || offset > 0) && !lateral_topn && !scalar_topn) {
			err = an_unsupported("LIMIT/OFFSET in a correlated subquery", -1);
			goto done;
		}
		if (one_per_outer) mode = SQ_SCALAR; /* the scalar subquery's decorrelation, all columns */
		if (correlated && mode == SQ_SCALAR && has_agg && ngroup == 0 && !gs.active &&
		    an_agg_needs_outer(&cr, &ag)) {
			err = an_decorrelate_agg(c, &cr, &ag, sc->min_id, &plan, out);
			if (err) goto done;
			groups = arena_zalloc(a, sizeof(expr *) * (size_t)(cr.n + 1));
		}
		/* non-aggregates: scalar_decorrelate below */
		if (correlated && mode == SQ_SCALAR && has_agg && cr.nother > 0) {
			err = an_unsupported("correlated scalar subqueries other than aggregates over equality "
			                     "conditions",
			                     -1);
			goto done;
		}
		if (correlated && gs.active) {
			err = an_unsupported("grouping sets in a correlated subquery", -1);
			goto done;
		}
		if (correlated && has_agg && mode != SQ_SCALAR && !lateral) {
			err = an_unsupported("correlated EXISTS/IN subqueries with aggregates", -1);
			goto done;
		}
		if (correlated && mode == SQ_SCALAR && !out->outer)
			for (int i = 0; i < ag.n; i++)
				if (ag.calls[i].kind == AGG_COUNT || ag.calls[i].kind == AGG_COUNT_STAR) {
					err = an_unsupported("count() in a correlated scalar subquery", -1);
					goto done;
				}
		if (correlated && mode == SQ_SCALAR && !has_agg && tl.n >= 1) {
			/* the sort keys as written (scalar_decorrelate replaces the value) */
			expr **sk = arena_zalloc(a, sizeof(expr *) * (size_t)(nsort + 1));
			bool *sd = arena_zalloc(a, (size_t)nsort + 1), *sn = arena_zalloc(a, (size_t)nsort + 1);
			for (int i = 0; scalar_topn && i < nsort; i++)
				sk[i] = tl.t[si[i].idx].e, sd[i] = si[i].desc, sn[i] = si[i].nulls_first;
			err = scalar_decorrelate(c, &cr, sc->min_id, &plan, &ag, &tl.t[0].e);
			if (err) goto done;
			has_agg = true;
			if (scalar_topn) {
				err = an_scalar_top_n(c, &cr, nsort, sk, sd, sn, limit, offset, &plan);
				if (err) goto done;
				/* done per key: the hidden sort targets and the LIMIT are not needed above */
				tl.n = nvisible, nsort = 0, limit = -1, offset = 0;
			}
		}

		/* an uncorrelated scalar subquery that may give several rows (a FROM, no
		 * aggregate, no LIMIT 1) is checked like a correlated one: max(v) guarded by
		 * count(*) over all its rows, 21000 beyond one */
		bool scalar_many = !correlated && mode == SQ_SCALAR && !has_agg && nvisible == 1 &&
		                   st->n_from_clause > 0 && offset <= 0 && (limit < 0 || limit > 1) && !distinct &&
		                   !ndon && win.n == 0 && !an_srf_seen(&tb);
		if (scalar_many) { /* a type max() does not take keeps the plain join */
			agg_kind km;
			ftype vt = tl.t[0].e->type, tm;
			ferr *no_max = agg_lookup("max", false, 1, vt.id == TYPE_BOOL ? &(ftype){.id = TYPE_INT4} : &vt, &km, &tm);
			scalar_many = !no_max;
			ferr_free(no_max);
		}
		if (scalar_many && nsort && limit < 0) tl.n = nvisible, nsort = 0; /* one row: no order */
		if (scalar_many && !nsort) {
			err = scalar_decorrelate(c, &cr, sc->min_id, &plan, &ag, &tl.t[0].e);
			if (err) goto done;
			has_agg = true;
		}

		int ncorr_group = 0;
		int corr_at = -1; /* target index of the first correlation key */
		if (has_agg) {
			err = an_srf_plan(c, srfs, true, sc->min_id, &plan);
			if (err) goto done;
			/* correlated scalar subquery: its correlation columns become group keys */
			if (correlated) {
				for (int i = 0; i < cr.n; i++) groups[ngroup + i] = cr.inner[i];
				ncorr_group = cr.n;
			}
			int ng = ngroup + ncorr_group;
			/* pre-aggregation projection: group keys and aggregate arguments */
			int cap = ng + 3 * ag.n + 1;
			expr **pe = arena_zalloc(a, sizeof(expr *) * (size_t)cap);
			int *pid = arena_zalloc(a, sizeof(int) * (size_t)cap);
			int np = 0;
			int *gids = arena_zalloc(a, sizeof(int) * (size_t)(ng + 1));
			int ngu = 0; /* distinct group keys */
			expr **gu = arena_zalloc(a, sizeof(expr *) * (size_t)(ng + 1));
			for (int i = 0; i < ng; i++) {
				int dup = -1;
				for (int k = 0; k < ngu && dup < 0; k++)
					if (an_expr_equal(gu[k], groups[i])) dup = k;
				if (dup >= 0) continue;
				gu[ngu] = groups[i];
				int id = groups[i]->kind == EXPR_COLUMN ? groups[i]->column
				                                        : an_col_new(c, "group", groups[i]->type);
				gids[ngu++] = id;
				pe[np] = groups[i];
				pid[np++] = id;
			}
			for (int i = 0; i < ag.n; i++) {
				if (!ag.args[i]) continue;
				int id = -1;
				for (int k = 0; k < np && id < 0; k++)
					if (an_expr_equal(pe[k], ag.args[i])) id = pid[k];
				if (id < 0) {
					id = ag.args[i]->kind == EXPR_COLUMN ? ag.args[i]->column
					                                     : an_col_new(c, "aggarg", ag.args[i]->type);
					pe[np] = ag.args[i];
					pid[np++] = id;
				}
				ag.calls[i].arg = id;
				/* the ORDER BY key and array_agg's FILTER are projected like arguments */
				if (ag.order_args && ag.order_args[i])
					ag.calls[i].x.order_col = pre_agg_col(c, ag.order_args[i], "aggkey", pe, pid, &np);
				if (ag.filter_args && ag.filter_args[i])
					ag.calls[i].x.filter_col = pre_agg_col(c, ag.filter_args[i], "aggfilter", pe, pid, &np);
				for (int k = 0; k < ag.calls[i].x.nmore; k++)
					ag.calls[i].x.more[k].col = pre_agg_col(c, ag.calls[i].x.more[k].e, "aggmore", pe, pid, &np);
			}
			lnode *pp = an_node(c, LN_PROJECT, np);
			pp->nchildren = 1;
			pp->children = arena_zalloc(a, sizeof(lnode *));
			pp->children[0] = plan;
			pp->exprs = pe;
			memcpy(pp->cols, pid, sizeof(int) * (size_t)np);
			pp->est = plan->est;
			if (np == 0) {
				/* count(*) alone: the child's rows are all it needs */
				pp = plan;
			}
			int nkeys = ngu; /* GROUPING() sees the keys without the set index */
			if (gs.active) {
				err = an_group_id(c, &gs, groups, gu, gids, &ngu, &pp);
				if (err) goto done;
			}
			lnode *g = an_node(c, LN_AGG, ngu + ag.n);
			g->nchildren = 1;
			g->children = arena_zalloc(a, sizeof(lnode *));
			g->children[0] = pp;
			g->ngroup = ngu;
			memcpy(g->cols, gids, sizeof(int) * (size_t)ngu);
			g->naggs = ag.n;
			g->aggs = ag.calls;
			for (int i = 0; i < ag.n; i++) g->cols[ngu + i] = ag.calls[i].out;
			g->est = ngu == 0 ? 1 : (plan->est >= 0 ? plan->est * 0.1 + 1 : -1);
			plan = g;
			err = an_grouping_values(c, &ag, &gs, gu, nkeys, &plan);
			if (err) goto done;
			/* everything above sees group keys and aggregate results only */
			post_ctx pc = {c, ngu, gu, gids, &ag, {post_having, post_sel}, NULL, -1, &win, srfs};
			an_window_rewrite(&win, rewrite_post_cb, &pc);
			an_srf_rewrite(srfs, rewrite_post_cb, &pc);
			for (int i = 0; i < tl.n; i++) {
				pc.location = tl.t[i].location;
				tl.t[i].e = rewrite_post(&pc, tl.t[i].e);
			}
			pc.location = -1;
			having = rewrite_post(&pc, having);
			for (pending *p = post_having; p; p = p->next)
				for (int k = 0; k < p->nkeys; k++) p->okeys[k] = rewrite_post(&pc, p->okeys[k]);
			for (pending *p = post_sel; p; p = p->next)
				for (int k = 0; k < p->nkeys; k++) p->okeys[k] = rewrite_post(&pc, p->okeys[k]);
			if (pc.err) {
				err = pc.err;
				goto done;
			}
			if (correlated) {
				/* the correlation keys leave the subquery as hidden outputs */
				corr_at = tl.n;
				for (int i = 0; i < cr.n; i++) {
					int gi = -1;
					for (int k = 0; k < ngu && gi < 0; k++)
						if (an_expr_equal(gu[k], cr.inner[i])) gi = k;
					tl_add(c, &tl, an_col(c, gids[gi]), "corr", -1);
				}
			}
		}
		err = apply_pending(c, plan, post_having, sc->min_id, &plan);
		if (err) goto done;
		plan = an_filter(c, plan, having);
		err = apply_pending(c, plan, post_sel, sc->min_id, &plan);
		if (err) goto done;
		err = an_window_plan(c, &win, &plan);
		if (err) goto done;
		err = an_srf_plan(c, srfs, false, sc->min_id, &plan);
		if (err) goto done;
		for (int i = 0; i < tl.n; i++)
			if (an_refs_below(tl.t[i].e, sc->min_id)) {
				err = an_unsupported("outer references outside WHERE in a subquery", tl.t[i].location);
				goto done;
			}
		if (having && an_refs_below(having, sc->min_id)) {
			err = an_unsupported("outer references in HAVING", -1);
			goto done;
		}

		/* a composite value (analyze_srf.c) takes its fields along as hidden outputs, so an
		 * outer level reaches (sub.col).field */
		int ncomp = 0, comp_at = tl.n;
		int *comp_n = arena_zalloc(a, sizeof(int) * (size_t)(nvisible + 1));
		const char *const **comp_names = arena_zalloc(a, sizeof(char **) * (size_t)(nvisible + 1));
		for (int i = 0; i < nvisible && !has_agg && !correlated && !distinct && !ndon; i++) {
			expr **fe;
			comp_n[i] = an_srf_fields(&tb, tl.t[i].e, &fe, &comp_names[i]);
			for (int k = 0; k < comp_n[i]; k++) tl_add(c, &tl, fe[k], comp_names[i][k], -1);
			ncomp += comp_n[i];
		}
		/* non-aggregated correlated EXISTS/IN: keys and filter columns leave as hidden outputs */
		idset_ctx inner_ids = {c, sc->min_id, 0, 0, NULL};
		if (correlated && !has_agg) {
			corr_at = tl.n;
			for (int i = 0; i < cr.n; i++) tl_add(c, &tl, cr.inner[i], "corr", -1);
			for (int i = 0; i < cr.nother; i++) an_expr_cols(cr.other[i], collect_inner_fn, &inner_ids);
			for (int i = 0; i < inner_ids.n; i++) tl_add(c, &tl, an_col(c, inner_ids.ids[i]), "corr", -1);
		}
		/* final projection: fresh ids, except the passthrough of filter columns */
		expr **es = arena_zalloc(a, sizeof(expr *) * (size_t)(tl.n + 1));
		const char **names = arena_zalloc(a, sizeof(char *) * (size_t)(tl.n + 1));
		int *ids = arena_zalloc(a, sizeof(int) * (size_t)(tl.n + 1));
		for (int i = 0; i < tl.n; i++) {
			/* an output column never stays 'unknown': PostgreSQL makes it text */
			ftype t = tl.t[i].e->type;
			if ((t.id == TYPE_UNKNOWN || t.id == TYPE_NULL) && mode != SQ_SETOP) t = ftype_make(TYPE_TEXT);
			err = an_coerce(c, tl.t[i].e, t, -1, &es[i]);
			if (err) goto done;
			names[i] = tl.t[i].name;
			ids[i] = -1;
		}
		for (int i = 0; i < inner_ids.n; i++) ids[tl.n - inner_ids.n + i] = inner_ids.ids[i];
		plan = project(c, plan, tl.n, es, names, ids);
		for (int i = 0, at = comp_at; ncomp && i < nvisible; at += comp_n[i], i++)
			if (comp_n[i]) an_srf_composite(c, ids[i], comp_n[i], comp_names[i], ids + at);
		if (distinct) {
			if (tl.n > nvisible) {
				err = an_unsupported("DISTINCT in a correlated subquery", -1);
				goto done;
			}
			plan = distinct_over(c, plan, nvisible);
		}
		if (ndon) {
			int *kid = arena_zalloc(a, sizeof(int) * (size_t)(ndon + 1));
			for (int i = 0; i < ndon; i++) kid[i] = ids[don[i]];
			lsort *ord = arena_zalloc(a, sizeof(lsort) * (size_t)(nsort + 1));
			for (int i = 0; i < nsort; i++) ord[i] = (lsort){ids[si[i].idx], si[i].desc, si[i].nulls_first};
			plan = an_first_per_key(c, plan, ndon, kid, nsort, ord);
		}
		if (lateral_topn) {
			out->nsort_lateral = nsort;
			out->sort_lateral = arena_zalloc(a, sizeof(lsort) * (size_t)(nsort + 1));
			for (int i = 0; i < nsort; i++)
				out->sort_lateral[i] = (lsort){ids[si[i].idx], si[i].desc, si[i].nulls_first};
			out->limit_lateral = limit;
			out->offset_lateral = offset;
		} else if (!lateral) {
			plan = sort_limit(c, plan, nsort, si, ids, limit, offset);
		}
		out->one_per_outer = one_per_outer;

		out->plan = plan;
		out->ncols = nvisible;
		out->ids = ids;
		out->names = names;
		if (correlated) {
			out->nkeys = cr.n;
			out->okeys = cr.outer;
			out->ikeys = arena_zalloc(a, sizeof(int) * (size_t)(cr.n + 1));
			for (int i = 0; i < cr.n; i++) out->ikeys[i] = ids[corr_at + i];
			out->corr_filter = an_and(c, cr.other, cr.nother);
			out->feeds = sc->feeds;
		}
	}
done:
	c->ctes = saved_ctes;
	c->sublinks -= sublink;
	c->depth--;
	return err;
}

/* ---- entry points ---- */

void an_ctx_init(actx *c, const plan_session *s, prepared_stmt *p, plan_query *q)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->a = p->arena;
	c->q = q;
	c->p = p;
	c->ectx.fmt = s->fmt;
	/* declared parameter types first: inference fills the rest */
	c->nparams = p->nparams;
	c->capparams = p->nparams;
	c->ptypes = arena_zalloc(c->a, sizeof(ftype) * (size_t)(p->nparams + 1));
	for (int i = 0; i < p->nparams; i++) c->ptypes[i] = p->param_types[i];
}

void an_ctx_params_out(const actx *c, prepared_stmt *p)
{
	p->nparams = c->nparams;
	p->param_types = arena_zalloc(c->a, sizeof(ftype) * (size_t)(c->nparams + 1));
	for (int i = 0; i < c->nparams; i++)
		p->param_types[i] = c->ptypes[i].id == TYPE_UNKNOWN ? ftype_make(TYPE_TEXT) : c->ptypes[i];
}

ferr *plan_analyze_query(const plan_session *s, prepared_stmt *p, const void *select_stmt,
                         plan_query *q)
{
	actx c;
	an_ctx_init(&c, s, p, q);
	selout so;
	TRY(an_select(&c, select_stmt, NULL, SQ_TOP, &so));
	TRY(an_pushdown(&c, so.plan));
	q->root = so.plan;
	q->ncols = so.ncols;
	q->out_cols = so.ids;
	q->names = so.names;
	an_ctx_params_out(&c, p);
	return NULL;
}

void plan_query_release(plan_query *q)
{
	if (!q) return;
	for (int i = 0; i < q->ncatalogs; i++) catalogs_release(q->catalogs[i]);
	q->ncatalogs = 0;
}
