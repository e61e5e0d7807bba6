/*
 * pushdown.c — offers whole operators to connectors, as Trino's
 * applyAggregation: an aggregation over a scan (with only projections and
 * filters the connector took entirely in between; aggregate arguments
 * computed there go as arithmetic conn_exprs) becomes a scan of the
 * connector's aggregated handle. The plan changes only when the
 * connector accepts every group key and every aggregate. Also offers
 * ORDER BY ... LIMIT (applyTopN), filter expressions and joins of two scans
 * of one catalog (applyJoin).
 */
#include <string.h>
#include <strings.h>

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

static bool number_type(ftype t)
{
	switch (t.id) {
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8: case TYPE_NUMERIC: case TYPE_FLOAT4: case TYPE_FLOAT8:
		return true;
	default: return false;
	}
}

static conn_expr *cx_new(actx *c, conn_expr_kind k, ftype t, int nargs);
static conn_expr *arith_expr(actx *c, const lnode *n, const lnode *s, const expr *e);

/*
 * Output id of n, followed down through projections and filters to scan s
 * (scan_below checked the way), as an arithmetic connector expression over
 * s's table columns; NULL when it has none.
 */
static conn_expr *arith_below(actx *c, const lnode *n, const lnode *s, int id)
{
	while (n != s) {
		if (n->nchildren != 1) return NULL;
		if (n->kind == LN_PROJECT) {
			int i = 0;
			while (i < n->ncols && n->cols[i] != id) i++;
			if (i == n->ncols) return NULL;
			if (n->exprs[i]->kind != EXPR_COLUMN) return arith_expr(c, n->children[0], s, n->exprs[i]);
			id = n->exprs[i]->column;
		}
		n = n->children[0];
	}
	int p = 0;
	while (p < s->ncols && s->cols[p] != id) p++;
	if (p == s->ncols) return NULL;
	conn_expr *x = cx_new(c, CONN_EXPR_COLUMN, s->table->cols[s->table_cols[p]].type, 0);
	x->column = s->table_cols[p];
	return x;
}

/* e, over the outputs of n, as connector arithmetic: numbers, + - * and unary -. */
static conn_expr *arith_expr(actx *c, const lnode *n, const lnode *s, const expr *e)
{
	if (!number_type(e->type)) return NULL;
	conn_expr *x;
	switch (e->kind) {
	case EXPR_COLUMN: return arith_below(c, n, s, e->column);
	case EXPR_CONST:
		if (e->value.isnull) return NULL;
		x = cx_new(c, CONN_EXPR_CONST, e->type, 0);
		x->value = e->value;
		return x;
	case EXPR_FUNC: {
		const char *op = func_name(e->func);
		conn_expr_kind k;
		if (e->nargs == 1 && !strcmp(op, "-")) k = CONN_EXPR_NEG;
		else if (e->nargs == 2 && !strcmp(op, "+")) k = CONN_EXPR_ADD;
		else if (e->nargs == 2 && !strcmp(op, "-")) k = CONN_EXPR_SUB;
		else if (e->nargs == 2 && !strcmp(op, "*")) k = CONN_EXPR_MUL;
		else return NULL;
		x = cx_new(c, k, e->type, e->nargs);
		for (int i = 0; i < e->nargs; i++)
			if (!(x->args[i] = arith_expr(c, n, s, e->args[i]))) return NULL;
		return x;
	}
	default: return NULL;
	}
}

/* Whether the argument of aggregate i of g is computed by a projection
 * below g (not a bare column, not count(*)). */
static bool agg_arg_computed(const lnode *g, int i)
{
	int id = g->aggs[i].arg;
	const lnode *n = g->children[0];
	while (id >= 0 && n && n->kind != LN_SCAN && n->nchildren == 1) {
		if (n->kind == LN_PROJECT) {
			int k = 0;
			while (k < n->ncols && n->cols[k] != id) k++;
			if (k == n->ncols) return false;
			if (n->exprs[k]->kind != EXPR_COLUMN) return true;
			id = n->exprs[k]->column;
		}
		n = n->children[0];
	}
	return false;
}

ferr *an_push_aggregation(actx *c, lnode *g)
{
	if (g->kind != LN_AGG || g->nchildren != 1) return NULL;
	int n = g->ngroup + g->naggs;
	/* ids to trace: group keys, then each aggregate's argument (count(*): none) */
	int *ids = arena_alloc(c->a, sizeof(int) * (size_t)(n + 1));
	int nids = 0;
	memcpy(ids, g->cols, sizeof(int) * (size_t)g->ngroup);
	nids = g->ngroup;
	/* computed arguments (expressions) are traced on their own below */
	bool *computed = arena_zalloc(c->a, sizeof(bool) * (size_t)(g->naggs + 1));
	for (int i = 0; i < g->naggs; i++) {
		if (g->aggs[i].kind > AGG_MAX) return NULL;
		computed[i] = agg_arg_computed(g, i);
		if (g->aggs[i].arg >= 0 && !computed[i]) ids[nids++] = g->aggs[i].arg;
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
		aggs[i].column = g->aggs[i].arg >= 0 && !computed[i] ? ids[k++] : -1;
		aggs[i].result = g->aggs[i].result;
		aggs[i].distinct = g->aggs[i].distinct;
		if (computed[i] && !(aggs[i].arg = arith_below(c, g->children[0], s, g->aggs[i].arg)))
			return NULL;
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

/* ---- top-N (apply_topn) ---- */

/*
 * ORDER BY ... LIMIT n [OFFSET m] over a scan (bare-column projections and
 * filters the connector took in between): the connector returns the first
 * n + m rows in that order. The sort node stays, so the engine's top-N
 * still merges whatever the splits return and applies the OFFSET.
 */
ferr *an_push_topn(actx *c, lnode *sort)
{
	if (sort->kind != LN_SORT || sort->limit < 0 || sort->nchildren != 1 || sort->nsort <= 0)
		return NULL;
	if (sort->offset < 0 || sort->limit > INT64_MAX - sort->offset) return NULL;
	int *ids = arena_alloc(c->a, sizeof(int) * (size_t)sort->nsort);
	for (int i = 0; i < sort->nsort; i++) ids[i] = sort->sort[i].col;
	lnode *s = scan_below(sort->children[0], sort->nsort, ids);
	if (!s || !s->catalog || !s->catalog->ops->apply_topn) return NULL;
	conn_sort_item *keys = arena_zalloc(c->a, sizeof *keys * (size_t)sort->nsort);
	for (int k = 0; k < sort->nsort; k++) {
		int p = 0;
		while (p < s->ncols && s->cols[p] != ids[k]) p++;
		if (p == s->ncols) return NULL;
		keys[k] = (conn_sort_item){s->table_cols[p], sort->sort[k].desc, sort->sort[k].nulls_first};
	}
	conn_table *nt = NULL;
	TRY(s->catalog->ops->apply_topn(s->catalog, s->table, sort->nsort, keys,
	                                sort->limit + sort->offset, c->a, &nt));
	if (nt) s->table = nt;
	return NULL;
}

/* ---- filter expressions (apply_filter_expr) ---- */

static int scan_col(const lnode *s, const expr *e)
{
	if (e->kind != EXPR_COLUMN) return -1;
	for (int i = 0; i < s->ncols; i++)
		if (s->cols[i] == e->column) return s->table_cols[i];
	return -1;
}

static const struct {
	const char *op;
	conn_cmp cmp;
} cmp_ops[] = {{"=", CONN_CMP_EQ}, {"<>", CONN_CMP_NE}, {"<", CONN_CMP_LT},
               {"<=", CONN_CMP_LE}, {">", CONN_CMP_GT}, {">=", CONN_CMP_GE}};

static conn_expr *cx_new(actx *c, conn_expr_kind k, ftype t, int nargs)
{
	conn_expr *x = arena_zalloc(c->a, sizeof *x);
	x->kind = k;
	x->type = t;
	x->nargs = nargs;
	x->args = arena_zalloc(c->a, sizeof(conn_expr *) * (size_t)(nargs + 1));
	return x;
}

/* x is y, or both are non-null constants (an untyped literal and its coerced
 * copy): IS NULL gives the same answer for both. */
static bool same_nullness(const expr *x, const expr *y)
{
	if (x == y) return true;
	return x->kind == EXPR_CONST && y->kind == EXPR_CONST && !x->value.isnull && !y->value.isnull;
}

/*
 * The analyzer's `a IS NOT DISTINCT FROM b`: CASE WHEN a IS NULL THEN b IS
 * NULL WHEN b IS NULL THEN false ELSE a = b END with the same a and b
 * throughout (analyze_expr.c). Sets *l and *r when e is that.
 */
static bool not_distinct_of(const expr *e, const expr **l, const expr **r)
{
	if (e->kind != EXPR_CASE || e->nargs != 5 || !e->has_else) return false;
	const expr *ln = e->args[0], *rn = e->args[1], *f = e->args[3], *eq = e->args[4];
	if (ln->kind != EXPR_IS_NULL || ln->negate || rn->kind != EXPR_IS_NULL || rn->negate ||
	    e->args[2] != rn || f->kind != EXPR_CONST || f->value.isnull || f->value.u.b ||
	    eq->kind != EXPR_FUNC || eq->nargs != 2 || strcmp(func_name(eq->func), "=") != 0 ||
	    !same_nullness(eq->args[0], ln->args[0]) || !same_nullness(eq->args[1], rn->args[0]))
		return false;
	*l = eq->args[0];
	*r = eq->args[1];
	return true;
}

/* e as a connector expression over s's table columns; NULL if it has no such form. */
static conn_expr *to_conn_expr(actx *c, const lnode *s, const expr *e)
{
	conn_expr *x = NULL;
	const expr *l, *r;
	switch (e->kind) {
	case EXPR_COLUMN: {
		int col = scan_col(s, e);
		if (col < 0) return NULL;
		x = cx_new(c, CONN_EXPR_COLUMN, e->type, 0);
		x->column = col;
		return x;
	}
	case EXPR_CONST:
		if (e->value.isnull) return NULL;
		x = cx_new(c, CONN_EXPR_CONST, e->type, 0);
		x->value = e->value;
		return x;
	case EXPR_FUNC:
		if (e->nargs != 2) return NULL;
		for (size_t i = 0; i < sizeof cmp_ops / sizeof cmp_ops[0] && !x; i++)
			if (!strcmp(func_name(e->func), cmp_ops[i].op)) {
				x = cx_new(c, CONN_EXPR_COMPARE, e->type, 2);
				x->cmp = cmp_ops[i].cmp;
			}
		break;
	case EXPR_AND: x = cx_new(c, CONN_EXPR_AND, e->type, e->nargs); break;
	case EXPR_OR: x = cx_new(c, CONN_EXPR_OR, e->type, e->nargs); break;
	case EXPR_NOT: x = cx_new(c, CONN_EXPR_NOT, e->type, e->nargs); break;
	case EXPR_IS_NULL: x = cx_new(c, CONN_EXPR_IS_NULL, e->type, e->nargs); break;
	case EXPR_IN: x = cx_new(c, CONN_EXPR_IN, e->type, e->nargs); break;
	case EXPR_LIKE:
		x = cx_new(c, CONN_EXPR_LIKE, e->type, e->nargs);
		x->case_insensitive = e->case_insensitive;
		break;
	case EXPR_CASE:
		if (!not_distinct_of(e, &l, &r)) return NULL;
		x = cx_new(c, CONN_EXPR_DISTINCT, e->type, 2);
		x->negate = true; /* IS NOT DISTINCT FROM; NOT over it is IS DISTINCT FROM */
		if (!(x->args[0] = to_conn_expr(c, s, l)) || !(x->args[1] = to_conn_expr(c, s, r)))
			return NULL;
		return x;
	default: return NULL;
	}
	if (!x) return NULL;
	x->negate = e->negate;
	for (int i = 0; i < e->nargs; i++)
		if (!(x->args[i] = to_conn_expr(c, s, e->args[i]))) return NULL;
	return x;
}

ferr *an_push_filter_expr(actx *c, lnode *s, expr **conj, int n, bool *gone)
{
	if (s->kind != LN_SCAN || !s->catalog || !s->catalog->ops->apply_filter_expr || n <= 0)
		return NULL;
	const conn_expr **cx = arena_zalloc(c->a, sizeof *cx * (size_t)n);
	int *from = arena_alloc(c->a, sizeof(int) * (size_t)n);
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (gone[i]) continue;
		conn_expr *x = to_conn_expr(c, s, conj[i]);
		if (!x) continue;
		from[m] = i;
		cx[m++] = x;
	}
	if (m == 0) return NULL;
	bool *acc = arena_zalloc(c->a, sizeof(bool) * (size_t)m);
	conn_table *nt = NULL;
	TRY(s->catalog->ops->apply_filter_expr(s->catalog, s->table, m, cx, c->a, &nt, acc));
	if (!nt) return NULL;
	s->table = nt;
	strbuf sb;
	sb_init(&sb);
	if (s->pushed) sb_puts(&sb, s->pushed);
	for (int k = 0; k < m; k++) {
		if (!acc[k]) continue;
		gone[from[k]] = true;
		if (sb.len) sb_puts(&sb, " AND ");
		expr_format(conj[from[k]], &sb);
	}
	s->pushed = arena_strdup(c->a, sb.data ? sb.data : "");
	sb_free(&sb);
	return NULL;
}

/* ---- joins (apply_join) ---- */

/*
 * Trino's automatic join pushdown: a join is pushed unless its estimated
 * output exceeds the sum of its inputs by this factor (a join that
 * multiplies rows is cheaper to ship as its inputs), and not at all when
 * an estimate is unknown.
 */
#define JOIN_PUSHDOWN_MAX_RATIO 1.25

static bool join_pushdown_enabled(const actx *c)
{
	const char *v = c->s->get_property ? c->s->get_property(c->s->opaque, "join_pushdown_enabled") : NULL;
	return !v || strcasecmp(v, "false") != 0;
}

/* Position of output id in scan s, or -1. */
static int scan_pos_of(const lnode *s, int id)
{
	for (int p = 0; p < s->ncols; p++)
		if (s->cols[p] == id) return p;
	return -1;
}

/*
 * The side n of a join traced to its scan: ids[0..n->ncols) become scan
 * positions of n's outputs, ids[n->ncols..+nkeys) of the keys.
 */
static lnode *join_side(actx *c, lnode *n, int nkeys, const int *keys, int **pos)
{
	int m = n->ncols + nkeys;
	int *ids = arena_alloc(c->a, sizeof(int) * (size_t)(m + 1));
	memcpy(ids, n->cols, sizeof(int) * (size_t)n->ncols);
	memcpy(ids + n->ncols, keys, sizeof(int) * (size_t)nkeys);
	lnode *s = scan_below(n, m, ids);
	if (!s) return NULL;
	for (int i = 0; i < m; i++)
		if ((ids[i] = scan_pos_of(s, ids[i])) < 0) return NULL;
	*pos = ids;
	return s;
}

/* Rows out of the join: |L| |R| / max(ndv) of the first key when the
 * distinct counts are known, else the analyzer's estimate. */
static double join_rows(const lnode *j, const lnode *ls, int lp, const lnode *rs, int rp)
{
	double le = j->children[0]->est, re = j->children[1]->est, est = j->est;
	double dl = ls->ndv ? ls->ndv[lp] : -1, dr = rs->ndv ? rs->ndv[rp] : -1;
	if (dl > 0 && dr > 0) est = le * re / (dl > dr ? dl : dr);
	if (j->jtype == JOIN_LEFT && est < le) est = le;
	return est;
}

ferr *an_push_join(actx *c, lnode *j)
{
	if (j->kind != LN_JOIN || (j->jtype != JOIN_INNER && j->jtype != JOIN_LEFT) || j->nkeys <= 0 ||
	    j->null_aware || j->nulls_equal || (j->filter && !pred_is_true(j->filter)))
		return NULL;
	if (!join_pushdown_enabled(c)) return NULL;
	lnode *ln = j->children[0], *rn = j->children[1];
	int *lpos, *rpos;
	lnode *ls = join_side(c, ln, j->nkeys, j->lkeys, &lpos);
	lnode *rs = ls ? join_side(c, rn, j->nkeys, j->rkeys, &rpos) : NULL;
	/* one catalog instance: two catalogs of one connector are two servers */
	if (!rs || ls == rs || !ls->catalog || ls->catalog != rs->catalog || !ls->catalog->ops->apply_join)
		return NULL;
	double le = ln->est, re = rn->est;
	double est = join_rows(j, ls, lpos[ln->ncols], rs, rpos[rn->ncols]);
	if (le < 0 || re < 0 || est < 0 || est > JOIN_PUSHDOWN_MAX_RATIO * (le + re)) return NULL;
	conn_join_cond *conds = arena_zalloc(c->a, sizeof *conds * (size_t)j->nkeys);
	for (int k = 0; k < j->nkeys; k++)
		conds[k] = (conn_join_cond){ls->table_cols[lpos[ln->ncols + k]], rs->table_cols[rpos[rn->ncols + k]]};
	conn_table *nt = NULL;
	TRY(ls->catalog->ops->apply_join(ls->catalog, j->jtype == JOIN_LEFT ? CONN_JOIN_LEFT : CONN_JOIN_INNER,
	                                 ls->table, ls->ncols, ls->table_cols, rs->table, rs->ncols,
	                                 rs->table_cols, j->nkeys, conds, c->a, &nt));
	if (!nt) return NULL;
	if (nt->ncols != ls->ncols + rs->ncols)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': joined handle has %d columns, not %d",
		                ls->catalog->name, nt->ncols, ls->ncols + rs->ncols);
	/* the join becomes a scan with the same output ids: left's, then right's */
	int n = j->ncols;
	j->table_cols = arena_alloc(c->a, sizeof(int) * (size_t)(n + 1));
	j->ndv = arena_alloc(c->a, sizeof(double) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		bool left = i < ln->ncols;
		int p = left ? lpos[i] : rpos[i - ln->ncols];
		const lnode *s = left ? ls : rs;
		j->table_cols[i] = left ? p : ls->ncols + p;
		j->ndv[i] = s->ndv ? s->ndv[p] : -1;
	}
	j->kind = LN_SCAN;
	j->nchildren = 0;
	j->children = NULL;
	j->catalog = ls->catalog;
	j->table = nt;
	j->base_rows = est;
	j->est = est;
	j->pushed = NULL;
	return NULL;
}
