/*
 * analyze_internal.h — state shared by the analyzer's files: expressions
 * (analyze_expr.c), FROM/joins (analyze_from.c) and SELECT/subqueries
 * (analyze.c). Only planner/analyze*.c include it.
 */
#ifndef FERRY_ANALYZE_INTERNAL_H
#define FERRY_ANALYZE_INTERNAL_H

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "planner/planner_internal.h"

typedef PgQuery__Node pqnode;

/* WITH names visible at this point (inlined at each reference). */
typedef struct cte_def {
	const char *name;
	const PgQuery__CommonTableExpr *cte;
	struct cte_def *next;
	/* WITH RECURSIVE (analyze_recursive.c): every item of the list is visible
	 * in each one (all = the list's head), active while its body is analyzed */
	bool recursive_with;
	bool active;
	struct cte_def *all;
} cte_def;

typedef struct an_recursion an_recursion;

/* Whole-statement state. */
typedef struct actx {
	const plan_session *s;
	arena *a;
	plan_query *q;
	prepared_stmt *p;
	int nparams, capparams;
	ftype *ptypes; /* TYPE_UNKNOWN until declared or inferred */
	expr_ctx ectx; /* constant folding */
	cte_def *ctes;
	int depth;
	/* WITH RECURSIVE (analyze_recursive.c): the recursion being analyzed, and
	 * where a reference to it stands (PostgreSQL's checkWellFormedRecursion) */
	an_recursion *rec;
	int nrecursions;
	int sublinks;          /* subquery expressions being analyzed */
	int nullable;          /* nullable sides of outer joins being analyzed */
	const char *rec_setop; /* "INTERSECT"/"EXCEPT" when a reference there is refused */
} actx;

/* One FROM item as names see it. */
typedef struct rte {
	const char *alias;
	int ncols;
	const char **names;
	int *ids;
	bool *hidden; /* right-hand USING columns: not found unqualified, not in * */
} rte;

/* decorrelate.c: the distinct values of the arguments vals (expressions over outer columns)
 * of a set-returning function in a subquery's FROM, under fresh ids cols: the placeholder ph
 * the function runs over, filled from the outer plan when the subquery's pending join is
 * applied. */
typedef struct an_feed {
	lnode *ph;
	int n;
	expr **vals;
	int *cols;
	struct an_feed *next;
} an_feed;

/* The names of one query level; min_id: ids below belong to outer levels. */
typedef struct scope {
	int n, cap;
	rte **r;
	struct scope *parent;
	int min_id;
	an_feed *feeds; /* functions in its FROM over outer columns (decorrelate.c) */
} scope;

/* A GROUPING(args) call: out is computed above the aggregation. */
typedef struct an_gfunc {
	int nargs;
	expr **args;
	int *locations; /* of each argument */
	int out;
	int location;
	struct an_gfunc *next;
} an_gfunc;

/* Aggregates of one query level, collected while its expressions are analyzed. */
typedef struct aggset {
	int n, cap;
	expr **args; /* argument (pre-aggregation), NULL for count(*) */
	expr **order_args; /* ORDER BY key inside the call (WITHIN GROUP too), else NULL */
	expr **filter_args; /* array_agg's FILTER condition (its NULLs are values), else NULL */
	lagg *calls; /* out = the id expressions use for the result */
	an_gfunc *gfuncs;
} aggset;

/* GROUPING SETS / ROLLUP / CUBE of one GROUP BY (analyze_grouping.c). */
typedef struct an_gsets {
	bool active;
	int nleaves;
	const pqnode **leaves; /* every grouping expression as written */
	int nsets;
	uint64_t *sets;  /* masks over leaves */
	uint64_t *dsets; /* masks over the distinct group keys (an_group_id) */
	int gid_col;     /* the set index column */
	bool distinct;   /* GROUP BY DISTINCT: repeated sets once */
} an_gsets;

/* A subquery turned into a join, applied once the FROM plan exists. */
typedef struct pending {
	lnode *sub;
	join_type jt;
	int nkeys;
	expr **okeys; /* outer side */
	int *ikeys;   /* ids in sub's output */
	expr *filter; /* over outer ++ sub ids */
	bool null_aware;
	bool nulls_equal; /* the keys match IS NOT DISTINCT FROM */
	int location;
	struct pending *next;
	/* planner/decorrelate.c: sub reads the distinct values of the outer
	 * columns outer_ids through the placeholder outer (output ids outer_cols),
	 * filled from the outer plan when the join is applied */
	lnode *outer;
	int nouter;
	int *outer_ids, *outer_cols;
	expr **outer_vals; /* when set, the placeholder holds these values instead of outer_ids */
	an_feed *feeds; /* placeholders of functions in the subquery's FROM, filled the same way */
} pending;

/* Window functions of one query level (analyze_window.c). */
typedef struct wspec {
	int npart, norder;
	expr **part;
	expr **order;
	bool *desc, *nulls_first;
	window_frame frame; /* RANGE offset columns as expressions below */
	expr *range_key, *start_bound, *end_bound;
} wspec;

typedef struct wcall {
	wfunc_kind kind;
	agg_kind agg;
	expr *args[3];
	ftype result;
	const char *name;
	int spec;
	int out; /* column id of the result */
} wcall;

typedef struct winset {
	const PgQuery__SelectStmt *st; /* its WINDOW clause names windows */
	int n, cap;
	wcall *calls;
	int nspecs, capspecs;
	wspec *specs;
} winset;

/* Set-returning functions of one select list (analyze_srf.c). */
typedef struct an_srfset an_srfset;

/* Expression analysis context. */
typedef struct bctx {
	actx *c;
	scope *sc;
	const char *clause; /* for "not allowed in WHERE" messages */
	aggset *ag;         /* NULL: aggregates not allowed here */
	bool in_agg;
	pending **pend;     /* NULL: subqueries not allowed here */
	winset *win;        /* NULL: window functions not allowed here */
	bool in_win;        /* inside a window function's arguments or window */
	an_srfset *srf;     /* NULL: set-returning functions not allowed here */
} bctx;

/* Result of analyzing a SELECT. */
/* SQ_SETOP: a UNION branch, whose untyped literals the set operation resolves */
/* SQ_LATERAL: a LATERAL subquery in FROM (analyze_lateral.c), correlated with earlier items */
typedef enum sqmode { SQ_TOP, SQ_FROM, SQ_SETOP, SQ_SCALAR, SQ_EXISTS, SQ_IN, SQ_LATERAL } sqmode;

typedef struct selout {
	lnode *plan;
	int ncols; /* visible */
	int *ids;
	const char **names;
	/* correlation of a subquery: okeys[i] (outer) = ikeys[i] (plan output) */
	int nkeys;
	expr **okeys;
	int *ikeys;
	expr *corr_filter; /* other correlated conditions, over outer ++ plan ids */
	/* set by an_decorrelate_agg: the pending join's outer placeholder */
	lnode *outer;
	int nouter;
	int *outer_ids, *outer_cols;
	expr **outer_vals; /* when set, the placeholder holds these values instead of outer_ids */
	an_feed *feeds; /* the subquery's functions in FROM over outer columns */
	/* SQ_LATERAL: an ungrouped aggregate (one row per outer row: a LEFT join),
	 * and ORDER BY ... LIMIT per outer row still to apply over the keys */
	bool one_per_outer;
	int nsort_lateral;
	lsort *sort_lateral;
	int64_t limit_lateral, offset_lateral;
} selout;

/* Correlated conditions of a subquery: inner = outer pairs, and the rest. */
typedef struct corr {
	int n, cap;
	expr **inner, **outer;
	int nother, capother;
	expr **other;
} corr;

/* errors */
ferr *an_unsupported(const char *feature, int location);
ferr *an_sublink_supported(const PgQuery__SubLink *sl, bool in);
ferr *an_at(ferr *e, int location);

/* columns and expression nodes */
int an_col_new(actx *c, const char *name, ftype t);
expr *an_col(actx *c, int id);
expr *an_expr(actx *c, expr_kind k, ftype t, int nargs);
expr *an_bool_const(actx *c, bool v);
bool an_expr_equal(const expr *x, const expr *y);
/* Column ids referenced by e: calls fn for each. */
void an_expr_cols(const expr *e, void (*fn)(int id, void *arg), void *arg);
bool an_refs_below(const expr *e, int min_id);
expr *an_and(actx *c, expr **conj, int n);
/* Append e's AND-conjuncts to *list. */
void an_conjuncts(actx *c, expr *e, expr ***list, int *n, int *cap);
double an_selectivity(const expr *e);

/* expressions */
ferr *an_expr_node(bctx *b, const pqnode *n, expr **out);
ferr *an_bool(bctx *b, const pqnode *n, const char *what, expr **out);
ferr *an_coerce(actx *c, expr *e, ftype t, int location, expr **out);
/* The type a SQL type name denotes (CREATE TABLE columns, casts). */
ferr *an_type_name(const PgQuery__TypeName *tn, ftype *out);
ferr *an_common_type(const char *what, int n, expr **es, int location, ftype *out);
ferr *an_make_op(actx *c, const char *op, expr *l, expr *r, int location, expr **out);
/* name(args) resolved by func_lookup_ex, arguments cast, constants folded. */
ferr *an_func(actx *c, const char *name, int nargs, expr **args, int location, expr **out);
/* Fold an all-constant expression now (left as it is when that fails). */
expr *an_fold(actx *c, expr *e);
/* analyze_array.c: array type names, ARRAY[...], subscripts, op ANY/ALL (array). */
ferr *an_array_of(ftype elem, int location, ftype *out);
ferr *an_array_expr(bctx *b, const PgQuery__AArrayExpr *ae, const ftype *hint, expr **out);
ferr *an_array_cast(bctx *b, const PgQuery__TypeCast *tc, ftype target, expr **out);
ferr *an_array_indirection(bctx *b, const PgQuery__AIndirection *in, expr **out);
ferr *an_array_any(bctx *b, const PgQuery__AExpr *ax, bool all, expr **out);
ferr *an_array_sublink(bctx *b, const PgQuery__SubLink *sl, expr **out);
const PgQuery__SelectStmt *an_srf_select(actx *c, const PgQuery__SelectStmt *st);
const char *an_figure_colname(const pqnode *n);
const char *an_strval(const pqnode *n);

/* FROM and joins (analyze_from.c) */
typedef struct jset {
	int n, cap;
	lnode **rels;
	int nconj, capconj;
	expr **conj;
} jset;
ferr *an_from_item(bctx *b, const pqnode *n, jset *js);
ferr *an_compile_jset(actx *c, jset *js, lnode **out);
void an_jset_add(actx *c, jset *js, lnode *rel);
void an_jset_conj(actx *c, jset *js, expr *e);
lnode *an_join(actx *c, lnode *l, lnode *r, join_type jt, int nkeys, expr **lk, expr **rk,
               expr *filter);
lnode *an_filter(actx *c, lnode *child, expr *pred);
lnode *an_node(actx *c, lnode_kind k, int ncols);
/* Resolve [catalog.][schema.]table through search_path (42P01/3F000/3D000). */
ferr *an_resolve_table(actx *c, const PgQuery__RangeVar *rv, conn_catalog **catp, conn_table **tp);
/* A catalog reference held by the query (released by plan_free); NULL if none. */
conn_catalog *an_acquire_catalog(actx *c, const char *name);
/* Offer scan filters to connectors (apply_filter), bottom-up over the plan. */
ferr *an_pushdown(actx *c, lnode *n);
/* Offer an aggregation over a scan to its connector (pushdown.c). */
ferr *an_push_aggregation(actx *c, lnode *g);
/* Offer ORDER BY ... LIMIT over a scan to its connector (apply_topn, pushdown.c). */
ferr *an_push_topn(actx *c, lnode *sort);
/* Offer the conjuncts conj[i] with !gone[i] of a filter over scan s as
 * expressions (apply_filter_expr, pushdown.c); sets gone[i] for each one
 * the connector took. */
ferr *an_push_filter_expr(actx *c, lnode *s, expr **conj, int n, bool *gone);
/* Offer an inner or left equi-join of two scans of one catalog to it
 * (apply_join, pushdown.c); the join becomes a scan when it accepts. */
ferr *an_push_join(actx *c, lnode *j);
void scope_add(actx *c, scope *sc, rte *r);

/* window functions (analyze_window.c) */
ferr *an_window_func(bctx *b, const PgQuery__FuncCall *fc, const char *name, expr **out);
bool an_window_is_out(const winset *w, int id);
/* Location of a parse node (constants, names, casts, operators, calls), -1 unknown. */
int an_node_location(const pqnode *n);
/* Apply fn to every expression the window calls and specs hold (above GROUP BY). */
void an_window_rewrite(winset *w, expr *(*fn)(void *arg, expr *e), void *arg);
/* The window nodes over plan: a project of their inputs, then LN_WINDOW per window. */
ferr *an_window_plan(actx *c, winset *w, lnode **plan);
/* DISTINCT ON: the first row of each key group in the order given (row_number() = 1). */
lnode *an_first_per_key(actx *c, lnode *plan, int nkeys, const int *keys, int nsort,
                        const lsort *order);
/* INTERSECT/EXCEPT [ALL] over a UNION ALL of the two branches (analyze_setop.c) */
ferr *an_setop_counted(actx *c, bool intersect, bool all, lnode *u, lnode **out);

/* FILTER, grouping sets, GROUPING() (analyze_grouping.c) */
ferr *an_agg_filter(bctx *b, const pqnode *filter, expr **arg, bool *star);
bool an_has_grouping_sets(const PgQuery__SelectStmt *st);
ferr *an_grouping_sets_flatten(actx *c, const PgQuery__SelectStmt *st, an_gsets *gs);
/* GroupId over *plan; gids/gu (ngu distinct keys) become the nulled copies plus the set index. */
ferr *an_group_id(actx *c, an_gsets *gs, expr **leaf_exprs, expr **gu, int *gids, int *ngu,
                  lnode **plan);
ferr *an_grouping_func(bctx *b, const PgQuery__GroupingFunc *gf, expr **out);
bool an_is_grouping_out(const aggset *ag, int id);
ferr *an_grouping_values(actx *c, const aggset *ag, const an_gsets *gs, expr *const *gu, int ngu,
                         lnode **plan);

/* generate_series(...) in FROM as an LN_SERIES node (analyze_srf.c) */
ferr *an_series(bctx *b, const PgQuery__FuncCall *fc, lnode **out);
/* unnest(array, ...) [WITH ORDINALITY] in FROM (analyze_array.c) */
bool an_is_unnest(const PgQuery__RangeFunction *rf);
ferr *an_unnest_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js);
/* Parse-tree nodes in the arena, for rewrites (analyze_pq.c). */
void *an_pq_new(actx *c, size_t size, void (*init)(void *));
#define AN_PQ_NEW(c, type, init) ((type *)an_pq_new((c), sizeof(type), (void (*)(void *))(init)))
pqnode *an_pq_wrap(actx *c, PgQuery__Node__NodeCase k, void *msg);
pqnode **an_pq_list(actx *c, size_t n);
pqnode *an_pq_str(actx *c, const char *s);
pqnode *an_pq_int(actx *c, int v);
pqnode *an_pq_call(actx *c, const char *name, size_t nargs, pqnode **args, int location);
/* rel.col, or col alone when rel is NULL */
pqnode *an_pq_colref(actx *c, const char *rel, const char *col, int location);
pqnode *an_pq_op(actx *c, PgQuery__AExprKind kind, const char *op, pqnode *l, pqnode *r);
pqnode *an_pq_array(actx *c, size_t n, pqnode **elems);
pqnode *an_pq_target(actx *c, pqnode *val, const char *name);
/* CAST(arg AS type[[]]) */
pqnode *an_pq_cast(actx *c, pqnode *arg, const char *type, bool array);
PgQuery__Alias *an_pq_alias(actx *c, const char *name, size_t ncols, const char *const *cols);
/* SELECT <ntargets targets, to fill> FROM from */
PgQuery__SelectStmt *an_pq_select(actx *c, size_t ntargets, pqnode *from);
pqnode *an_pq_subselect(actx *c, bool lateral, PgQuery__SelectStmt *st, PgQuery__Alias *alias);

/* regexp_split_to_table / regexp_matches in FROM, rewritten onto unnest (analyze_regexp.c) */
bool an_is_regexp_srf(const PgQuery__RangeFunction *rf);
ferr *an_regexp_srf_item(bctx *b, const PgQuery__RangeFunction *rf, jset *js);

/* Set-returning functions in the select list, ORDER BY, DISTINCT ON and GROUP BY
 * (analyze_srf.c): each call a column of an LN_PROJECT_SET that an_srf_plan puts
 * below the aggregation (GROUP BY reads it) or above the windows. */
an_srfset *an_srfset_new(actx *c);
bool an_srf_is_call(const PgQuery__FuncCall *fc);
ferr *an_srf_call(bctx *b, const PgQuery__FuncCall *fc, const char *field, int field_loc, expr **out);
/* (f(args)).field and (rel.composite).field */
ferr *an_srf_field(bctx *b, const PgQuery__AIndirection *in, expr **out);
/* (f(args)).* and (rel.composite).*: the fields and their names */
ferr *an_srf_star(bctx *b, const PgQuery__AIndirection *in, int *n, expr ***fields,
                  const char *const **names);
/* The fields of a composite select-list value e (0 when it is not one). */
int an_srf_fields(bctx *b, const expr *e, expr ***fields, const char *const **names);
/* Column id of a composite output whose fields are the columns ids[0..n). */
void an_srf_composite(actx *c, int id, int n, const char *const *names, const int *ids);
/* CASE and COALESCE: 0A000 when a set-returning call was analyzed since an_srf_seen. */
int an_srf_seen(const bctx *b);
ferr *an_srf_none_since(const bctx *b, int seen, const char *construct);
bool an_srf_is_out(const an_srfset *s, int id);
void an_srf_group(an_srfset *s, expr *const *groups, int n);
void an_srf_rewrite(an_srfset *s, expr *(*fn)(void *arg, expr *e), void *arg);
ferr *an_srf_plan(actx *c, an_srfset *s, bool pre_agg, int min_id, lnode **plan);
/* FROM information_schema._pg_expandarray(a): x and n, LATERAL over earlier items */
bool an_srf_is_from_item(const pqnode *n);
ferr *an_srf_from_item(bctx *b, const pqnode *n, jset *js);
/* A select list that an_srf_select (plain unnest(x) only) cannot take. */
bool an_srf_general(const PgQuery__SelectStmt *st);

/* subquery decorrelation beyond semi/anti joins (decorrelate.c) */
/* EXISTS / IN (subquery) as a boolean value: LEFT joins producing match markers. */
ferr *an_sublink_bool(bctx *b, const PgQuery__SubLink *sl, expr **out);
/* A correlated scalar aggregate needing the outer rows (count(), non-equi conditions)? */
bool an_agg_needs_outer(const corr *cr, const aggset *ag);
/* Join the distinct outer rows (a placeholder) LEFT to *plan on the correlation; cr is
 * rewritten to equalities on the placeholder's columns, count(*) counts a marker. */
ferr *an_decorrelate_agg(actx *c, corr *cr, aggset *ag, int min_id, lnode **plan, selout *out);
/* child's columns plus es[0..n) as new columns (their ids returned in ids). */
lnode *an_project_more(actx *c, lnode *child, int n, expr **es, int *ids);
/* Carry a selout's outer placeholder into its pending join. */
void an_pending_outer(pending *p, const selout *so);
/* Carry only a selout's function placeholders (semi/anti joins keep plain keys). */
void an_pending_feeds(pending *p, const selout *so);
/* A function in FROM whose arguments args[0..n) name outer columns: those arguments become
 * the columns of a fresh placeholder of their values (recorded on b's scope), and *feed holds
 * it as the one relation the function runs over; *outer false (nothing done) when none does.
 * strict: a NULL argument gives no rows (else such a function is 0A000). */
ferr *an_feed_args(bctx *b, int n, expr **args, bool strict, int location, jset *feed,
                   bool *outer);
/* The correlation of a subquery level's function placeholders: placeholder column = outer
 * column, appended to cr (0A000 where the level cannot be correlated). */
ferr *an_feeds_corr(actx *c, const scope *sc, sqmode mode, corr *cr);
/* Fill p's outer placeholder from the plan it is about to join (apply_pending). */
ferr *an_fill_outer(actx *c, pending *p, lnode *plan);

/* A statement's analysis context: session, arena, declared parameter types. */
void an_ctx_init(actx *c, const plan_session *s, prepared_stmt *p, plan_query *q);
/* Hand the inferred parameter types back to p (unknown ones become text). */
void an_ctx_params_out(const actx *c, prepared_stmt *p);

/* WITH RECURSIVE (analyze_recursive.c) */
/* A reference to d, an item of a WITH RECURSIVE list: the recursion (LN_RECURSIVE), a reference
 * to the working table from its own recursive term (LN_WORKTABLE), or a plain derived table. */
ferr *an_cte_recursive(bctx *b, cte_def *d, int location, selout *out);
/* 42P19 when sc is the level of a recursive term that reads its working table. */
ferr *an_recursive_agg_check(actx *c, const scope *sc, const PgQuery__SelectStmt *st);
/* The SEARCH sequence column as PostgreSQL's record[] / record: its subscripts,
 * and 0A000 for operations that would see its flat fields. */
ferr *an_search_indirection(bctx *b, const PgQuery__AIndirection *in, expr *base, expr **out);
ferr *an_search_arg_check(const char *name, int nargs, expr **args, int location);
/* FROM: register an analyzed derived table under alias (analyze_from.c). */
ferr *an_add_derived(bctx *b, selout *so, const char *alias, const PgQuery__Alias *al, jset *js,
                     int location);

/* LATERAL (analyze_lateral.c): a LATERAL subquery in FROM joined to the items before it; je
 * is the LEFT JOIN it stands in (NULL: comma or inner join). */
ferr *an_lateral_item(bctx *b, const PgQuery__RangeSubselect *rs, const PgQuery__JoinExpr *je,
                      jset *js);

/* ORDER BY ... LIMIT/OFFSET in a correlated scalar subquery: the rows within them per value of
 * the correlation's inner keys (row_number() over them), before the subquery's grouping. */
ferr *an_scalar_top_n(actx *c, const corr *cr, int nsort, expr **sort, const bool *desc,
                      const bool *nulls_first, int64_t limit, int64_t offset, lnode **plan);

/* A function in FROM (LN_SERIES): added to js, or, when its arguments name earlier items,
 * computed per row of the join of those items (implicitly LATERAL). */
ferr *an_lateral_function(bctx *b, lnode *fn, int location, jset *js);

/* Set-returning catalog functions (pg_partition_ancestors) as unnest of an array-valued
 * function, in a select list and as a FROM item (analyze_catalog_srf.c); the argument itself
 * when there is nothing to rewrite. */
const PgQuery__SelectStmt *an_catalog_srf_select(actx *c, const PgQuery__SelectStmt *st);
const PgQuery__RangeFunction *an_catalog_srf_from(actx *c, const PgQuery__RangeFunction *rf);

/* SELECT (analyze.c) */
ferr *an_select(actx *c, const PgQuery__SelectStmt *st, scope *parent, sqmode mode,
                selout *out);

#endif
