/*
 * analyze_setop.c — INTERSECT [ALL] and EXCEPT [ALL] as a counting plan,
 * the way PostgreSQL's SetOp node and Trino's set-operation rewrite work:
 * both branches go into one UNION ALL with a marker per side, an
 * aggregation groups by every column (so NULLs compare equal, as set
 * operations require) and counts each side's rows, a filter keeps the
 * groups the operation admits, and for ALL a Replicate node repeats each
 * surviving row min(l, r) (INTERSECT) or l - r (EXCEPT) times.
 * Type resolution and precedence are done by the caller (analyze.c) and by
 * the grammar; this file never sees untyped branches.
 */
#include <string.h>

#include "planner/analyze_internal.h"

static expr *int8_const(actx *c, int64_t v)
{
	expr *e = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT8), 0);
	e->value.u.i = v;
	return e;
}

static expr *bool_marker(actx *c, bool present)
{
	expr *e = an_bool_const(c, true);
	e->value.isnull = !present;
	return e;
}

/* A project of child's columns followed by extra expressions (fresh ids). */
static lnode *with_extra(actx *c, lnode *child, int nextra, expr **extra, const char **names)
{
	int n = child->ncols;
	lnode *p = an_node(c, LN_PROJECT, n + nextra);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = child;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + nextra + 1));
	p->est = child->est;
	for (int i = 0; i < n; i++) {
		p->exprs[i] = an_col(c, child->cols[i]);
		p->cols[i] = child->cols[i];
	}
	for (int i = 0; i < nextra; i++) {
		p->exprs[n + i] = extra[i];
		p->cols[n + i] = an_col_new(c, names[i], extra[i]->type);
	}
	return p;
}

/*
 * u: the UNION ALL of the two branches (children narrowed to u's visible
 * columns, already of u's types). *out gets a plan whose first u->ncols
 * outputs are u->cols (the result), possibly followed by a count column.
 */
ferr *an_setop_counted(actx *c, bool intersect, bool all, lnode *u, lnode **out)
{
	int n = u->ncols;
	static const char *mnames[2] = {"left", "right"};
	lnode *u2 = an_node(c, LN_UNION, n + 2);
	memcpy(u2->cols, u->cols, sizeof(int) * (size_t)n);
	u2->cols[n] = an_col_new(c, mnames[0], ftype_make(TYPE_BOOL));
	u2->cols[n + 1] = an_col_new(c, mnames[1], ftype_make(TYPE_BOOL));
	u2->nchildren = 2;
	u2->children = arena_zalloc(c->a, sizeof(lnode *) * 2);
	for (int k = 0; k < 2; k++) {
		expr *marks[2] = {bool_marker(c, k == 0), bool_marker(c, k == 1)};
		u2->children[k] = with_extra(c, u->children[k], 2, marks, mnames);
	}
	u2->est = u->est;

	/* one group per distinct row, with how often each side has it */
	lnode *g = an_node(c, LN_AGG, n + 2);
	g->nchildren = 1;
	g->children = arena_zalloc(c->a, sizeof(lnode *));
	g->children[0] = u2;
	g->ngroup = n;
	memcpy(g->cols, u->cols, sizeof(int) * (size_t)n);
	g->naggs = 2;
	g->aggs = arena_zalloc(c->a, sizeof(lagg) * 2);
	for (int k = 0; k < 2; k++) {
		int id = an_col_new(c, "count", ftype_make(TYPE_INT8));
		g->aggs[k] = (lagg){.kind = AGG_COUNT, .arg = u2->cols[n + k], .result = ftype_make(TYPE_INT8),
		                    .name = "count", .out = id};
		g->cols[n + k] = id;
	}
	g->est = u->est >= 0 ? u->est * 0.5 : -1;
	expr *cl = an_col(c, g->cols[n]), *cr = an_col(c, g->cols[n + 1]);

	/* INTERSECT: on both sides; EXCEPT: more often on the left (ALL) or only there */
	expr *conj[2];
	int nconj = 0;
	if (intersect) {
		TRY(an_make_op(c, ">", cl, int8_const(c, 0), -1, &conj[nconj++]));
		TRY(an_make_op(c, ">", cr, int8_const(c, 0), -1, &conj[nconj++]));
	} else if (all) {
		TRY(an_make_op(c, ">", cl, cr, -1, &conj[nconj++]));
	} else {
		TRY(an_make_op(c, ">", cl, int8_const(c, 0), -1, &conj[nconj++]));
		TRY(an_make_op(c, "=", cr, int8_const(c, 0), -1, &conj[nconj++]));
	}
	lnode *plan = an_filter(c, g, an_and(c, conj, nconj));
	if (!all) {
		*out = plan;
		return NULL;
	}
	expr *times;
	if (intersect) {
		expr *lt;
		TRY(an_make_op(c, "<", cl, cr, -1, &lt));
		times = an_expr(c, EXPR_CASE, ftype_make(TYPE_INT8), 3);
		times->args[0] = lt;
		times->args[1] = cl;
		times->args[2] = cr;
		times->has_else = true;
	} else {
		TRY(an_make_op(c, "-", cl, cr, -1, &times));
	}
	lnode *p = an_node(c, LN_PROJECT, n + 1);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = plan;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(n + 2));
	for (int i = 0; i < n; i++) {
		p->exprs[i] = an_col(c, u->cols[i]);
		p->cols[i] = u->cols[i];
	}
	p->exprs[n] = times;
	p->cols[n] = an_col_new(c, "times", times->type);
	p->est = plan->est;
	lnode *r = an_node(c, LN_REPLICATE, n + 1);
	memcpy(r->cols, p->cols, sizeof(int) * (size_t)(n + 1));
	r->nchildren = 1;
	r->children = arena_zalloc(c->a, sizeof(lnode *));
	r->children[0] = p;
	r->count_col = p->cols[n];
	r->est = u->est;
	*out = r;
	return NULL;
}
