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
} cte_def;

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
} actx;

/* One FROM item as names see it. */
typedef struct rte {
	const char *alias;
	int ncols;
	const char **names;
	int *ids;
	bool *hidden; /* right-hand USING columns: not found unqualified, not in * */
} rte;

/* The names of one query level; min_id: ids below belong to outer levels. */
typedef struct scope {
	int n, cap;
	rte **r;
	struct scope *parent;
	int min_id;
} scope;

/* Aggregates of one query level, collected while its expressions are analyzed. */
typedef struct aggset {
	int n, cap;
	expr **args; /* argument (pre-aggregation), NULL for count(*) */
	lagg *calls; /* out = the id expressions use for the result */
} aggset;

/* A subquery turned into a join, applied once the FROM plan exists. */
typedef struct pending {
	lnode *sub;
	join_type jt;
	int nkeys;
	expr **okeys; /* outer side */
	int *ikeys;   /* ids in sub's output */
	expr *filter; /* over outer ++ sub ids */
	bool null_aware;
	int location;
	struct pending *next;
} pending;

/* Expression analysis context. */
typedef struct bctx {
	actx *c;
	scope *sc;
	const char *clause; /* for "not allowed in WHERE" messages */
	aggset *ag;         /* NULL: aggregates not allowed here */
	bool in_agg;
	pending **pend;     /* NULL: subqueries not allowed here */
} bctx;

/* Result of analyzing a SELECT. */
/* SQ_SETOP: a UNION branch, whose untyped literals the set operation resolves */
typedef enum sqmode { SQ_TOP, SQ_FROM, SQ_SETOP, SQ_SCALAR, SQ_EXISTS, SQ_IN } sqmode;

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
} selout;

/* errors */
ferr *an_unsupported(const char *feature, int location);
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
ferr *an_common_type(const char *what, int n, expr **es, int location, ftype *out);
ferr *an_make_op(actx *c, const char *op, expr *l, expr *r, int location, expr **out);
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
/* Offer scan filters to connectors (apply_filter), bottom-up over the plan. */
ferr *an_pushdown(actx *c, lnode *n);
/* Offer an aggregation over a scan to its connector (pushdown.c). */
ferr *an_push_aggregation(actx *c, lnode *g);
void scope_add(actx *c, scope *sc, rte *r);

/* SELECT (analyze.c) */
ferr *an_select(actx *c, const PgQuery__SelectStmt *st, scope *parent, sqmode mode,
                selout *out);

#endif
