/*
 * analyze_recursive.c — WITH RECURSIVE items: a non-recursive term UNION
 * [ALL] a recursive term that reads the item's own rows (the working table)
 * once, planned as LN_RECURSIVE over LN_WORKTABLE (exec/recursive_cte.c
 * iterates it). Where a reference stands is checked as PostgreSQL's
 * checkWellFormedRecursion does (42P19), and the output types are the
 * non-recursive term's (42804 when the recursive term does not fit them).
 * An item of a RECURSIVE list that never names itself is a plain derived
 * table. Never plans a recursion it cannot run: anything else is 0A000.
 */
#include <string.h>

#include "planner/analyze_internal.h"

typedef enum rec_state {
	RS_FORM,   /* the body is not a UNION: a reference is malformed */
	RS_NONREC, /* analyzing the non-recursive term */
	RS_TERM,   /* analyzing the recursive term */
} rec_state;

struct an_recursion {
	cte_def *def;
	rec_state state;
	int rec_id;
	int nrefs;
	int sublinks, nullable; /* the counters where the recursive term starts */
	const scope *ref_scope; /* the level that reads the working table */
	int ncols;
	const char **names;
	ftype *types;
	an_recursion *parent;
};

static ferr *invalid(const char *fmt, const char *name, int location)
{
	return an_at(ferr_new(SQLSTATE_INVALID_RECURSION, fmt, name), location);
}

/* The recursive term's reference to its own item: the working table. */
static ferr *worktable_ref(bctx *b, an_recursion *r, int location, selout *out)
{
	actx *c = b->c;
	const char *name = r->def->name;
	switch (r->state) {
	case RS_FORM:
		return invalid("recursive query \"%s\" does not have the form non-recursive-term UNION "
		               "[ALL] recursive-term",
		               name, r->def->cte->location);
	case RS_NONREC:
		return invalid("recursive reference to query \"%s\" must not appear within its "
		               "non-recursive term",
		               name, location);
	case RS_TERM:
		break;
	}
	if (c->sublinks > r->sublinks)
		return invalid("recursive reference to query \"%s\" must not appear within a subquery", name,
		               location);
	if (c->nullable > r->nullable)
		return invalid("recursive reference to query \"%s\" must not appear within an outer join",
		               name, location);
	if (c->rec_setop)
		return an_at(ferr_new(SQLSTATE_INVALID_RECURSION,
		                      "recursive reference to query \"%s\" must not appear within %s", name,
		                      c->rec_setop),
		             location);
	if (++r->nrefs > 1)
		return invalid("recursive reference to query \"%s\" must not appear more than once", name,
		               location);
	lnode *w = an_node(c, LN_WORKTABLE, r->ncols);
	for (int i = 0; i < r->ncols; i++) w->cols[i] = an_col_new(c, r->names[i], r->types[i]);
	w->rec_id = r->rec_id;
	w->est = 100;
	r->ref_scope = b->sc;
	memset(out, 0, sizeof *out);
	out->plan = w;
	out->ncols = r->ncols;
	out->ids = w->cols;
	out->names = r->names;
	return NULL;
}

/* The location of the first aggregate-looking call in the select list, -1 if none. */
static int first_call(const PgQuery__SelectStmt *st)
{
	for (size_t i = 0; i < st->n_target_list; i++) {
		const pqnode *v = st->target_list[i]->res_target->val;
		if (v && v->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) return v->func_call->location;
	}
	return -1;
}

ferr *an_recursive_agg_check(actx *c, const scope *sc, const PgQuery__SelectStmt *st)
{
	for (an_recursion *r = c->rec; r; r = r->parent)
		if (r->ref_scope == sc)
			return an_at(ferr_new(SQLSTATE_INVALID_RECURSION,
			                      "aggregate functions are not allowed in a recursive query's "
			                      "recursive term"),
			             first_call(st));
	return NULL;
}

/* A project of so's visible columns cast to types, with fresh ids. */
static ferr *cast_outputs(actx *c, const selout *so, const ftype *types, lnode **out)
{
	lnode *p = an_node(c, LN_PROJECT, so->ncols);
	p->nchildren = 1;
	p->children = arena_zalloc(c->a, sizeof(lnode *));
	p->children[0] = so->plan;
	p->exprs = arena_zalloc(c->a, sizeof(expr *) * (size_t)(so->ncols + 1));
	p->est = so->plan->est;
	for (int i = 0; i < so->ncols; i++) {
		/* an untyped literal ('a') takes the type in place, as a UNION branch's does */
		if (so->plan->kind == LN_PROJECT)
			for (int k = 0; k < so->plan->ncols; k++)
				if (so->plan->cols[k] == so->ids[i] && so->plan->exprs[k]->kind == EXPR_CONST &&
				    !ftype_equal(so->plan->exprs[k]->type, types[i])) {
					TRY(an_coerce(c, so->plan->exprs[k], types[i], -1, &so->plan->exprs[k]));
					c->q->colinfo[so->ids[i]].type = types[i];
				}
		TRY(an_coerce(c, an_col(c, so->ids[i]), types[i], -1, &p->exprs[i]));
		p->cols[i] = an_col_new(c, so->names[i], types[i]);
	}
	*out = p;
	return NULL;
}

static int target_location(const PgQuery__SelectStmt *st, int i)
{
	while (st->op == PG_QUERY__SET_OPERATION__SETOP_UNION ||
	       st->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ||
	       st->op == PG_QUERY__SET_OPERATION__SETOP_EXCEPT)
		st = st->larg;
	if (i < (int)st->n_target_list) {
		const PgQuery__ResTarget *rt = st->target_list[i]->res_target;
		int loc = rt->val ? an_node_location(rt->val) : -1;
		return loc >= 0 ? loc : rt->location;
	}
	return -1;
}

/* The column types of the working table: the non-recursive term's. */
static ftype worktable_type(ftype t)
{
	if (t.id == TYPE_UNKNOWN || t.id == TYPE_NULL) return ftype_make(TYPE_TEXT);
	/* numeric literals carry a typmod in Ferry, never in PostgreSQL: a term
	 * such as n + 0.5 must not be rounded to the first literal's scale */
	if (t.id == TYPE_NUMERIC) return ftype_numeric_value_scale();
	return t;
}

/*
 * non-recursive UNION [ALL] recursive: *recursive false when the right side
 * never read the working table (the caller analyzes the item as a plain one).
 */
static ferr *recursive_union(actx *c, an_recursion *r, const PgQuery__SelectStmt *st, selout *out,
                             bool *recursive)
{
	*recursive = false;
	const char *name = r->def->name;
	r->state = RS_NONREC;
	selout l, rt;
	TRY(an_select(c, st->larg, NULL, SQ_SETOP, &l));
	int n = l.ncols;
	r->ncols = n;
	r->names = l.names;
	r->types = arena_zalloc(c->a, sizeof(ftype) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) r->types[i] = worktable_type(c->q->colinfo[l.ids[i]].type);
	const PgQuery__CommonTableExpr *cte = r->def->cte;
	if ((int)cte->n_aliascolnames > n)
		return an_at(ferr_new(SQLSTATE_INVALID_COLUMN_REFERENCE,
		                      "WITH query \"%s\" has %d columns available but %d columns specified",
		                      name, n, (int)cte->n_aliascolnames),
		             cte->location);
	r->state = RS_TERM;
	r->sublinks = c->sublinks;
	r->nullable = c->nullable;
	TRY(an_select(c, st->rarg, NULL, SQ_SETOP, &rt));
	if (r->nrefs == 0) return NULL;
	*recursive = true;
	if (st->n_sort_clause)
		return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                      "ORDER BY in a recursive query is not implemented"),
		             an_node_location(st->sort_clause[0]->sort_by->node));
	if (st->limit_offset)
		return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                      "OFFSET in a recursive query is not implemented"),
		             an_node_location(st->limit_offset));
	if (st->limit_count)
		return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                      "LIMIT in a recursive query is not implemented"),
		             an_node_location(st->limit_count));
	if (rt.ncols != n)
		return an_at(ferr_new(SQLSTATE_SYNTAX_ERROR,
		                      "each UNION query must have the same number of columns"),
		             target_location(st->rarg, 0));
	for (int i = 0; i < n; i++) {
		expr *pair[2] = {an_col(c, l.ids[i]), an_col(c, rt.ids[i])};
		pair[0]->type = r->types[i];
		ftype t;
		TRY(an_common_type("UNION", 2, pair, target_location(st->rarg, i), &t));
		if (t.id != r->types[i].id) {
			strbuf a, b;
			sb_init(&a);
			sb_init(&b);
			ftype_format(c->q->colinfo[l.ids[i]].type, &a);
			/* Ferry's numeric results carry a typmod PostgreSQL's do not */
			if (t.id == TYPE_NUMERIC)
				sb_puts(&b, "numeric");
			else
				ftype_format(t, &b);
			ferr *e = ferr_new(SQLSTATE_DATATYPE_MISMATCH,
			                   "recursive query \"%s\" column %d has type %s in non-recursive term "
			                   "but type %s overall",
			                   name, i + 1, a.data ? a.data : "?", b.data ? b.data : "?");
			sb_free(&a);
			sb_free(&b);
			ferr_hint(e, "Cast the output of the non-recursive term to the correct type.");
			return an_at(e, target_location(st->larg, i));
		}
	}
	lnode *u = an_node(c, LN_RECURSIVE, n);
	u->nchildren = 2;
	u->children = arena_zalloc(c->a, sizeof(lnode *) * 2);
	TRY(cast_outputs(c, &l, r->types, &u->children[0]));
	TRY(cast_outputs(c, &rt, r->types, &u->children[1]));
	for (int i = 0; i < n; i++) u->cols[i] = an_col_new(c, l.names[i], r->types[i]);
	u->rec_id = r->rec_id;
	u->rec_all = st->all;
	u->est = l.plan->est >= 0 ? l.plan->est * 10 : -1;
	memset(out, 0, sizeof *out);
	out->plan = u;
	out->ncols = n;
	out->ids = u->cols;
	out->names = l.names;
	return NULL;
}

ferr *an_cte_recursive(bctx *b, cte_def *d, int location, selout *out)
{
	actx *c = b->c;
	if (d->active) {
		if (!c->rec || c->rec->def != d)
			return an_at(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                      "mutual recursion between WITH items is not implemented"),
			             d->cte->location);
		return worktable_ref(b, c->rec, location, out);
	}
	const PgQuery__CommonTableExpr *cte = d->cte;
	if (cte->search_clause || cte->cycle_clause)
		return an_unsupported("SEARCH and CYCLE clauses", cte->location);
	const PgQuery__SelectStmt *st = cte->ctequery->select_stmt;
	an_recursion r = {.def = d, .state = RS_FORM, .rec_id = ++c->nrecursions, .parent = c->rec};
	cte_def *saved_ctes = c->ctes;
	const char *saved_setop = c->rec_setop;
	c->ctes = d->all;
	c->rec_setop = NULL;
	c->rec = &r;
	d->active = true;
	bool recursive = false;
	ferr *e = NULL;
	if (st->op == PG_QUERY__SET_OPERATION__SETOP_UNION && !st->with_clause)
		e = recursive_union(c, &r, st, out, &recursive);
	if (!e && !recursive) {
		/* an ordinary item (or not a UNION: a reference to itself is then 42P19) */
		r.state = RS_FORM;
		r.nrefs = 0;
		e = an_select(c, st, NULL, SQ_FROM, out);
	}
	d->active = false;
	c->rec = r.parent;
	c->ctes = saved_ctes;
	c->rec_setop = saved_setop;
	return e;
}
