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
#include <limits.h>
#include <string.h>

#include "exec/array.h"
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
	/* SEARCH: the sequence column and the BY columns (search_col -1: none) */
	int search_col, nby;
	const int *by;
	bool breadth;
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

static bool integral(type_id t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }

/* PostgreSQL's select_common_type keeps the first of two string types, which
 * cast to each other implicitly (varchar UNION text is varchar), and their
 * typmod only when both have the same. */
static bool string_type(type_id t) { return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR; }

/*
 * The SEARCH column's type: a flat array of the BY columns' values (DEPTH:
 * one group of nby per level; BREADTH: the depth, then the values) that
 * sorts as PostgreSQL's record[] / record does and prints as one
 * (exec/array.h ARRAY_RECORDS); search_by_types made sure it has one
 * element type.
 */
static ferr *search_type(an_recursion *r, int n)
{
	ftype *t = &r->types[r->search_col];
	if (t->id != TYPE_ARRAY || r->search_col < n - 3)
		return an_unsupported("this SEARCH clause", r->def->cte->search_clause->location);
	t->length = r->breadth ? ARRAY_RECORD_ONE : ARRAY_RECORDS(r->nby);
	return NULL;
}

static expr *int4_const(actx *c, int v)
{
	expr *k = an_expr(c, EXPR_CONST, ftype_make(TYPE_INT4), 0);
	k->value.u.i = v;
	return k;
}

/* (i - 1) * k + 1 (first) or i * k (last): the flat position of a record's field */
static ferr *field_pos(actx *c, expr *i, int k, bool first, int loc, expr **out)
{
	expr *x = i;
	if (first) TRY(an_make_op(c, "-", x, int4_const(c, 1), loc, &x));
	if (k != 1) TRY(an_make_op(c, "*", x, int4_const(c, k), loc, &x));
	if (first) TRY(an_make_op(c, "+", x, int4_const(c, 1), loc, &x));
	*out = x;
	return NULL;
}

/*
 * A subscript of the SEARCH sequence column (search_type's ARRAY_RECORDS(k)
 * flat array), as PostgreSQL's record[] gives it: seq[i] is the record of
 * fields (i-1)*k+1 .. i*k, NULL out of range; seq[i:j] the records i..j. The
 * BREADTH FIRST record cannot be subscripted (42804, as PostgreSQL's record),
 * but the rewrite's own __ws[1] (no location) reads its depth.
 */
ferr *an_search_indirection(bctx *b, const PgQuery__AIndirection *in, expr *base, expr **out)
{
	actx *c = b->c;
	int loc = an_node_location(in->arg);
	int mark = array_record_length(base->type);
	if (mark == ARRAY_RECORD_ONE && loc < 0) return an_array_indirection(b, in, out);
	if (mark == ARRAY_RECORD_ONE)
		return an_at(ferr_new(SQLSTATE_DATATYPE_MISMATCH,
		                      "cannot subscript type record because it does not support subscripting"),
		             loc);
	if (in->n_indirection != 1 || in->indirection[0]->node_case != PG_QUERY__NODE__NODE_A_INDICES)
		return an_unsupported("this subscript of a SEARCH sequence column", loc);
	const PgQuery__AIndices *ix = in->indirection[0]->a_indices;
	int k = -1000 - mark;
	/* the flat array, unmarked, so that the array functions see plain elements */
	expr *flat = arena_alloc(c->a, sizeof *flat);
	*flat = *base;
	flat->type.length = 0;
	expr *args[3] = {flat, NULL, NULL};
	if (!ix->is_slice) {
		expr *i;
		TRY(an_expr_node(b, ix->uidx, &i));
		TRY(field_pos(c, i, k, true, loc, &args[1]));
		TRY(field_pos(c, i, k, false, loc, &args[2]));
		expr *rec, *n;
		TRY(an_func(c, "[:]", 3, args, loc, &rec));
		rec->type.length = ARRAY_RECORD_ONE;
		TRY(an_func(c, "cardinality", 1, &flat, loc, &n));
		expr *in_range = an_expr(c, EXPR_AND, ftype_make(TYPE_BOOL), 2);
		TRY(an_make_op(c, ">=", args[1], int4_const(c, 1), loc, &in_range->args[0]));
		TRY(an_make_op(c, "<=", args[2], n, loc, &in_range->args[1]));
		expr *e = an_expr(c, EXPR_CASE, rec->type, 2);
		e->args[0] = in_range;
		e->args[1] = rec;
		*out = e;
		return NULL;
	}
	for (int j = 0; j < 2; j++) {
		const pqnode *bound = j == 0 ? ix->lidx : ix->uidx;
		if (!bound) {
			args[j + 1] = int4_const(c, j == 0 ? 1 : INT_MAX);
			continue;
		}
		expr *v;
		TRY(an_expr_node(b, bound, &v));
		TRY(field_pos(c, v, k, j == 0, loc, &args[j + 1]));
	}
	TRY(an_func(c, "[:]", 3, args, loc, out));
	(*out)->type.length = mark;
	return NULL;
}

/* Only comparison, ORDER BY and output see the SEARCH sequence column as
 * PostgreSQL's records; any other function or operator would read its flat
 * fields (the rewrite's own ||, + and [] carry no location). */
ferr *an_search_arg_check(const char *name, int nargs, expr **args, int location)
{
	static const char *const ok[] = {"=", "<>", "<", "<=", ">", ">="};
	if (location < 0) return NULL;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(name, ok[i])) return NULL;
	for (int i = 0; i < nargs; i++)
		if (args[i] && array_record_length(args[i]->type))
			return an_unsupported("this operation on a SEARCH sequence column", location);
	return NULL;
}

/* ---- SEARCH and CYCLE: PostgreSQL's rewriteSearchAndCycle, on the parse tree ----
 *
 *   L UNION [ALL] R   becomes
 *   SELECT __l.*, seq0, default, ARRAY[__row_text(cycle cols)] FROM (L) __l(cols)
 *   UNION [ALL]
 *   SELECT __r.cols, seq1, CASE WHEN __row_text(...) = ANY(__wp) THEN mark ELSE default END,
 *          __wp || ARRAY[__row_text(...)]
 *   FROM (R with w.seq, w.mark, w.path appended) __r(cols, __ws, __wc, __wp)
 *   WHERE __wc <> mark
 * where seq0 is ARRAY[by cols] (DEPTH) or ARRAY[0, by cols] (BREADTH) and
 * seq1 is __ws || ARRAY[by cols] or ARRAY[__ws[1] + 1, by cols]; w is R's
 * reference to the item. The path is text[] of record texts: it is only
 * compared for equality and printed, both as PostgreSQL's record[] would be.
 */

typedef struct sc_rewrite {
	actx *c;
	int n;              /* the item's columns */
	const char **names; /* their names, then __ws __wc __wp */
	const ftype *types; /* the item's column types (the non-recursive term's) */
	const PgQuery__CTESearchClause *search;
	const PgQuery__CTECycleClause *cycle;
	int *by, *cyc;      /* positions of the SEARCH and CYCLE columns */
} sc_rewrite;

static ferr *sc_columns(sc_rewrite *w, size_t ncols, pqnode **cols, const char *what, int location,
                        int **out)
{
	*out = arena_zalloc(w->c->a, sizeof(int) * (ncols + 1));
	for (size_t i = 0; i < ncols; i++) {
		const char *name = an_strval(cols[i]);
		int k = 0;
		while (k < w->n && strcmp(w->names[k], name ? name : "") != 0) k++;
		if (k == w->n)
			return an_at(ferr_new(SQLSTATE_UNDEFINED_COLUMN, "%s column \"%s\" not in WITH query column list",
			                      what, name ? name : "?"),
			             location);
		for (size_t j = 0; j < i; j++)
			if ((*out)[j] == k)
				return an_at(ferr_new(SQLSTATE_DUPLICATE_COLUMN, "%s column \"%s\" specified more than once", what,
				                      name),
				             location);
		(*out)[i] = k;
	}
	return NULL;
}

static ferr *sc_name_free(sc_rewrite *w, const char *name, const char *what, int location)
{
	for (int k = 0; k < w->n; k++)
		if (!strcmp(w->names[k], name))
			return an_at(ferr_new(SQLSTATE_DUPLICATE_COLUMN,
			                      "%s column name \"%s\" already used in WITH query column list", what,
			                      name),
			             location);
	return NULL;
}

/* rel.col for each of the n positions in pos (varchar as text: one element
 * type for the SEARCH array, with the same order and text) */
static pqnode **sc_refs(sc_rewrite *w, const char *rel, size_t n, const int *pos, size_t extra)
{
	pqnode **v = an_pq_list(w->c, n + extra);
	for (size_t i = 0; i < n; i++) {
		v[i + extra] = an_pq_colref(w->c, rel, w->names[pos[i]], -1);
		if (w->types[pos[i]].id == TYPE_VARCHAR) v[i + extra] = an_pq_cast(w->c, v[i + extra], "text", false);
	}
	return v;
}

static pqnode *sc_row_text(sc_rewrite *w, const char *rel)
{
	size_t m = w->cycle->n_cycle_col_list;
	return an_pq_call(w->c, "__row_text", m, sc_refs(w, rel, m, w->cyc, 0), -1);
}

/* The item's reference in R's FROM (through joins), as R names it. */
static const char *sc_self_ref(const pqnode *n, const char *item)
{
	if (!n) return NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
		const PgQuery__RangeVar *rv = n->range_var;
		if ((!rv->schemaname || !*rv->schemaname) && !strcmp(rv->relname, item))
			return rv->alias && rv->alias->aliasname ? rv->alias->aliasname : rv->relname;
		return NULL;
	}
	if (n->node_case == PG_QUERY__NODE__NODE_JOIN_EXPR) {
		const char *l = sc_self_ref(n->join_expr->larg, item);
		return l ? l : sc_self_ref(n->join_expr->rarg, item);
	}
	return NULL;
}

/* One of L's (rec false) or R's (rec true) added columns; k counts them. */
static pqnode *sc_added(sc_rewrite *w, bool rec, int k)
{
	actx *c = w->c;
	if (w->search && k == 0) {
		size_t nby = w->search->n_search_col_list;
		bool bf = w->search->search_breadth_first;
		pqnode **v = sc_refs(w, rec ? "__r" : "__l", nby, w->by, bf);
		pqnode *ws = an_pq_colref(c, "__r", "__ws", -1);
		if (bf && !rec) v[0] = an_pq_int(c, 0);
		if (bf && rec) {
			PgQuery__AIndices *ix = AN_PQ_NEW(c, PgQuery__AIndices, pg_query__a__indices__init);
			ix->uidx = an_pq_int(c, 1);
			PgQuery__AIndirection *ind = AN_PQ_NEW(c, PgQuery__AIndirection, pg_query__a__indirection__init);
			ind->arg = ws;
			ind->n_indirection = 1;
			ind->indirection = an_pq_list(c, 1);
			ind->indirection[0] = an_pq_wrap(c, PG_QUERY__NODE__NODE_A_INDICES, ix);
			v[0] = an_pq_op(c, PG_QUERY__A__EXPR__KIND__AEXPR_OP, "+",
			                an_pq_wrap(c, PG_QUERY__NODE__NODE_A_INDIRECTION, ind), an_pq_int(c, 1));
		}
		pqnode *arr = an_pq_array(c, nby + bf, v);
		return rec && !bf ? an_pq_op(c, PG_QUERY__A__EXPR__KIND__AEXPR_OP, "||", ws, arr) : arr;
	}
	bool mark = k == (w->search ? 1 : 0);
	pqnode **one = an_pq_list(c, 1);
	one[0] = sc_row_text(w, rec ? "__r" : "__l");
	pqnode *wp = an_pq_colref(c, "__r", "__wp", -1);
	if (!mark) {
		pqnode *arr = an_pq_array(c, 1, one);
		return rec ? an_pq_op(c, PG_QUERY__A__EXPR__KIND__AEXPR_OP, "||", wp, arr) : arr;
	}
	if (!rec) return w->cycle->cycle_mark_default;
	PgQuery__CaseWhen *cw = AN_PQ_NEW(c, PgQuery__CaseWhen, pg_query__case_when__init);
	cw->expr = an_pq_op(c, PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY, "=", one[0], wp);
	cw->result = w->cycle->cycle_mark_value;
	cw->location = -1;
	PgQuery__CaseExpr *ce = AN_PQ_NEW(c, PgQuery__CaseExpr, pg_query__case_expr__init);
	ce->n_args = 1;
	ce->args = an_pq_list(c, 1);
	ce->args[0] = an_pq_wrap(c, PG_QUERY__NODE__NODE_CASE_WHEN, cw);
	ce->defresult = w->cycle->cycle_mark_default;
	ce->location = -1;
	return an_pq_wrap(c, PG_QUERY__NODE__NODE_CASE_EXPR, ce);
}

/* One element type for all the fields of the SEARCH array: BY columns of
 * one type (integers mix; varchar reads as text), for BREADTH integers. */
static ferr *search_by_types(const sc_rewrite *w)
{
	int loc = w->search->location;
	type_id first = TYPE_NULL;
	for (size_t i = 0; i < w->search->n_search_col_list; i++) {
		ftype b = w->types[w->by[i]];
		if (b.id == TYPE_VARCHAR) b = ftype_make(TYPE_TEXT);
		bool bf = w->search->search_breadth_first;
		if (bf ? !integral(b.id) : !array_record_elem_ok(b)) {
			strbuf sb = STRBUF_INIT;
			sb_printf(&sb, "SEARCH %sBY a column of type ", bf ? "BREADTH FIRST " : "");
			ftype_format(b, &sb);
			ferr *e = an_unsupported(sb.data, loc);
			sb_free(&sb);
			return e;
		}
		if (i > 0 && b.id != first && !(integral(b.id) && integral(first)))
			return an_unsupported("SEARCH BY columns of different types", loc);
		first = b.id;
	}
	return NULL;
}

/* SELECT rel.cols, <added> FROM from */
static PgQuery__SelectStmt *sc_term(sc_rewrite *w, bool rec, int nadd, pqnode *from)
{
	PgQuery__SelectStmt *t = an_pq_select(w->c, (size_t)(w->n + nadd), from);
	for (int i = 0; i < w->n; i++)
		t->target_list[i] = an_pq_target(w->c, an_pq_colref(w->c, rec ? "__r" : "__l", w->names[i], -1),
		                                 w->names[i]);
	for (int k = 0; k < nadd; k++) t->target_list[w->n + k] = an_pq_target(w->c, sc_added(w, rec, k), w->names[w->n + k]);
	return t;
}

/*
 * st with the item's SEARCH and CYCLE clauses rewritten into its terms. L is
 * analyzed once here (state RS_NONREC) for its column count and names.
 */
static ferr *search_cycle(actx *c, an_recursion *r, const PgQuery__SelectStmt *st,
                          const PgQuery__SelectStmt **out)
{
	const PgQuery__CommonTableExpr *cte = r->def->cte;
	if (st->op != PG_QUERY__SET_OPERATION__SETOP_UNION)
		return an_at(ferr_new(SQLSTATE_SYNTAX_ERROR, "WITH query is not recursive"), cte->location);
	if (st->with_clause || st->rarg->op != PG_QUERY__SET_OPERATION__SETOP_NONE || st->n_sort_clause ||
	    st->limit_count || st->limit_offset)
		return an_unsupported("SEARCH or CYCLE on a recursive query of this form", cte->location);
	sc_rewrite w = {.c = c, .search = cte->search_clause,
	                .cycle = cte->cycle_clause};
	selout l;
	r->state = RS_NONREC;
	TRY(an_select(c, st->larg, NULL, SQ_SETOP, &l));
	w.n = l.ncols;
	ftype *types = arena_zalloc(c->a, sizeof(ftype) * (size_t)(w.n + 1));
	for (int i = 0; i < w.n; i++) types[i] = c->q->colinfo[l.ids[i]].type;
	w.types = types;
	int nadd = (w.search ? 1 : 0) + (w.cycle ? 2 : 0);
	w.names = arena_zalloc(c->a, sizeof(char *) * (size_t)(w.n + nadd + 3));
	for (int i = 0; i < w.n; i++)
		w.names[i] = i < (int)cte->n_aliascolnames ? an_strval(cte->aliascolnames[i]) : l.names[i];
	int k = w.n;
	if (w.search) {
		TRY(sc_columns(&w, w.search->n_search_col_list, w.search->search_col_list, "search",
		               w.search->location, &w.by));
		TRY(search_by_types(&w));
		TRY(sc_name_free(&w, w.search->search_seq_column, "search sequence", w.search->location));
		w.names[k++] = w.search->search_seq_column;
		r->search_col = w.n;
		r->nby = (int)w.search->n_search_col_list;
		r->by = w.by;
		r->breadth = w.search->search_breadth_first;
	}
	if (w.cycle) {
		TRY(sc_columns(&w, w.cycle->n_cycle_col_list, w.cycle->cycle_col_list, "cycle", w.cycle->location,
		               &w.cyc));
		TRY(sc_name_free(&w, w.cycle->cycle_mark_column, "cycle mark", w.cycle->location));
		TRY(sc_name_free(&w, w.cycle->cycle_path_column, "cycle path", w.cycle->location));
		if (!strcmp(w.cycle->cycle_mark_column, w.cycle->cycle_path_column))
			return an_at(ferr_new(SQLSTATE_SYNTAX_ERROR,
			                      "cycle mark column name and cycle path column name are the same"),
			             w.cycle->location);
		w.names[k++] = w.cycle->cycle_mark_column;
		w.names[k++] = w.cycle->cycle_path_column;
	}
	if (w.search && w.cycle && (!strcmp(w.search->search_seq_column, w.cycle->cycle_mark_column) ||
	                            !strcmp(w.search->search_seq_column, w.cycle->cycle_path_column)))
		return an_at(ferr_new(SQLSTATE_SYNTAX_ERROR, "search sequence column name and cycle %s column name "
		                                             "are the same",
		                      !strcmp(w.search->search_seq_column, w.cycle->cycle_mark_column) ? "mark" : "path"),
		             w.search->location);
	const PgQuery__SelectStmt *rt = st->rarg;
	const char *self = NULL;
	for (size_t i = 0; i < rt->n_from_clause && !self; i++) self = sc_self_ref(rt->from_clause[i], r->def->name);
	if (!self) return an_unsupported("SEARCH or CYCLE with the recursive reference in a subquery", cte->location);
	/* R with the working table's added columns appended, under fixed names */
	PgQuery__SelectStmt *r2 = arena_alloc(c->a, sizeof *r2);
	*r2 = *rt;
	r2->n_target_list = rt->n_target_list + (size_t)nadd;
	r2->target_list = an_pq_list(c, r2->n_target_list);
	memcpy(r2->target_list, rt->target_list, sizeof(pqnode *) * rt->n_target_list);
	static const char *const wnames[3] = {"__ws", "__wc", "__wp"};
	int first = w.search ? 0 : 1;
	for (int j = 0; j < nadd; j++) {
		w.names[w.n + nadd + j] = wnames[first + j];
		r2->target_list[rt->n_target_list + (size_t)j] =
		    an_pq_target(c, an_pq_colref(c, self, w.names[w.n + j], -1), NULL);
	}
	/* __r's columns: the item's, then __ws/__wc/__wp for the added ones */
	const char **rnames = arena_zalloc(c->a, sizeof(char *) * (size_t)(w.n + nadd));
	memcpy(rnames, w.names, sizeof(char *) * (size_t)w.n);
	memcpy(rnames + w.n, w.names + w.n + nadd, sizeof(char *) * (size_t)nadd);
	PgQuery__SelectStmt *u = arena_alloc(c->a, sizeof *u);
	*u = *st;
	u->larg = sc_term(&w, false, nadd,
	                  an_pq_subselect(c, false, (PgQuery__SelectStmt *)st->larg, an_pq_alias(c, "__l", (size_t)w.n, w.names)));
	u->rarg = sc_term(&w, true, nadd, an_pq_subselect(c, false, r2, an_pq_alias(c, "__r", (size_t)(w.n + nadd), rnames)));
	if (w.cycle)
		u->rarg->where_clause = an_pq_op(c, PG_QUERY__A__EXPR__KIND__AEXPR_OP, "<>", an_pq_colref(c, "__r", "__wc", -1),
		                                 w.cycle->cycle_mark_value);
	*out = u;
	return NULL;
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
	if (r->search_col >= 0) TRY(search_type(r, n));
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
		ftype rtype = c->q->colinfo[rt.ids[i]].type;
		if (string_type(r->types[i].id) && string_type(rtype.id))
			t = ftype_equal(rtype, r->types[i]) ? rtype : ftype_make(r->types[i].id);
		if (t.id != r->types[i].id || (string_type(t.id) && !ftype_equal(t, r->types[i]))) {
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
	const PgQuery__SelectStmt *st = cte->ctequery->select_stmt;
	an_recursion r = {.def = d, .state = RS_FORM, .rec_id = ++c->nrecursions, .parent = c->rec, .search_col = -1};
	cte_def *saved_ctes = c->ctes;
	const char *saved_setop = c->rec_setop;
	c->ctes = d->all;
	c->rec_setop = NULL;
	c->rec = &r;
	d->active = true;
	bool recursive = false;
	ferr *e = NULL;
	if (cte->search_clause || cte->cycle_clause) e = search_cycle(c, &r, st, &st);
	if (!e && st->op == PG_QUERY__SET_OPERATION__SETOP_UNION && !st->with_clause)
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
