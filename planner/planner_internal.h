/*
 * planner_internal.h — the logical plan shared by the analyzer (analyze.c,
 * which builds and optimizes it) and physical.c (which cuts it into
 * fragments of exec's pnodes). Never included outside planner/.
 *
 * Column identity: every value a logical node produces has a query-wide
 * column id (an index into plan_query.colinfo), as Trino's symbols or
 * DuckDB's column bindings. Expressions in the logical plan are exec's
 * expr trees whose EXPR_COLUMN.column holds such an id; physical.c
 * rewrites them to input positions. Ids make predicate pushdown, join
 * reordering and decorrelation position-independent.
 */
#ifndef FERRY_PLANNER_INTERNAL_H
#define FERRY_PLANNER_INTERNAL_H

#include "planner/planner.h"

typedef struct plan_colinfo {
	const char *name;
	ftype type;
	/* a composite value (a row of information_schema._pg_expandarray out of
	 * a FROM subquery, planner/analyze_srf.c): its fields are these columns */
	int nfields;
	const char *const *field_names;
	const int *field_ids;
} plan_colinfo;

typedef enum lnode_kind {
	LN_SCAN,    /* connector table; cols = the table columns the query names */
	LN_VALUES,  /* constant rows */
	LN_FILTER,  /* pred over the child's ids */
	LN_PROJECT, /* cols[i] := exprs[i] */
	LN_JOIN,    /* children[0] probe (left), children[1] build (right) */
	LN_AGG,     /* group ids pass through as the first outputs, then aggregates */
	LN_SORT,    /* with limit >= 0: top-N */
	LN_LIMIT,
	LN_UNION,   /* UNION ALL: children's outputs positionally into cols */
	LN_WINDOW,  /* child's ids pass through, then one result per window call */
	LN_REPLICATE, /* each row repeated count_col times (INTERSECT/EXCEPT ALL) */
	LN_GROUP_ID,  /* each row once per grouping set (GROUPING SETS, ROLLUP, CUBE) */
	LN_SERIES,    /* generate_series(start, stop[, step]) in FROM */
	LN_RECURSIVE, /* WITH RECURSIVE: children[0] non-recursive term, children[1] recursive term */
	LN_WORKTABLE, /* the recursive term's reference to its own CTE (rec_id names the LN_RECURSIVE) */
	LN_UNNEST,    /* each child row once per array element (unnest over columns) */
	LN_PROJECT_SET, /* select-list set-returning functions over each child row, in lockstep */
} lnode_kind;

typedef struct lagg {
	agg_kind kind;
	int arg; /* column id, -1 for count(*) */
	bool distinct;
	ftype result;
	const char *name;
	int out; /* column id of the result */
	agg_extra x;
} lagg;

/* One window function of an LN_WINDOW; args and frame columns are ids (-1 absent). */
typedef struct lwin {
	wfunc_kind kind;
	agg_kind agg; /* WF_AGG */
	int args[3];
	ftype result;
	const char *name;
	window_frame frame;
	int out; /* column id of the result */
} lwin;

typedef struct lsort {
	int col; /* column id */
	bool desc;
	bool nulls_first;
} lsort;

typedef struct lnode {
	lnode_kind kind;
	int ncols;
	int *cols; /* output column ids */
	int nchildren;
	struct lnode **children;
	double est; /* estimated rows, < 0 unknown */

	/* LN_SCAN */
	conn_catalog *catalog;
	const conn_table *table;
	int *table_cols;    /* per output column: index into table->cols */
	double base_rows;   /* rows before filters */
	double *ndv;        /* per output column: distinct values, < 0 unknown (or NULL) */
	const char *pushed; /* what the connector accepted (EXPLAIN) */
	/* LN_VALUES */
	int nrows;
	expr ***rows;
	/* LN_FILTER */
	expr *pred;
	/* LN_PROJECT */
	expr **exprs;
	/* LN_JOIN: left key ids = right key ids; filter over both sides' ids */
	join_type jtype;
	int nkeys;
	int *lkeys, *rkeys;
	expr *filter;
	bool null_aware;
	bool nulls_equal; /* keys match IS NOT DISTINCT FROM (planner/decorrelate.c) */
	/* LN_AGG */
	int ngroup;
	int naggs;
	lagg *aggs;
	/* LN_SORT / LN_LIMIT */
	int nsort;
	lsort *sort;
	int64_t limit; /* -1 none */
	int64_t offset;
	/* LN_WINDOW: partition ids; ORDER BY in nsort/sort */
	int npart;
	int *part;
	int nwin;
	lwin *win;
	/* LN_REPLICATE */
	int count_col;
	/* LN_GROUP_ID: cols = gout[ngroup] ++ passthrough child columns ++ group id.
	 * gin[k] (child id) appears as gout[k], NULL in the sets without bit k. */
	int *gin;
	int nsets;
	uint64_t *sets;
	/* LN_SERIES: exprs[0..2] = start, stop, step (constants); one output */
	/* LN_RECURSIVE, LN_WORKTABLE (planner/analyze_recursive.c): both children
	 * output exactly cols' values in order; rec_all is UNION ALL */
	int rec_id;
	bool rec_all;
	/* LN_UNNEST: cols = child's ids ++ one element per exprs[0..unnest_nargs)
	 * [++ ordinality] (analyze_array.c, exec/array_unnest.c) */
	int unnest_nargs;
	bool unnest_ordinality;
	/* LN_PROJECT_SET: cols = child's ids ++ each function's; srfs[k] is a
	 * childless LN_SERIES or LN_UNNEST whose arguments (exprs) read the child
	 * (planner/analyze_srf.c) */
	int nsrfs;
	struct lnode **srfs;
} lnode;

/* The analyzed query: what plan_bind turns into a phys_plan. */
typedef struct plan_query {
	int ncatalogs, capcatalogs;
	conn_catalog **catalogs; /* acquired; released by plan_free */
	int ncolinfo, capcolinfo;
	plan_colinfo *colinfo;
	lnode *root;
	int ncols;     /* visible output columns */
	int *out_cols; /* their ids in root's output */
	const char **names;
	/* write statements (planner/write.c): the output is the target's visible
	 * columns in table order, then the hit flag when write_count_col >= 0 */
	bool write;
	conn_catalog *write_catalog;
	const conn_table *write_table; /* the connector's handle (or the CTAS table-to-be) */
	const conn_table_def *write_def; /* CREATE TABLE AS */
	conn_write_mode write_mode;
	int write_count_col;
	bool write_drop_counted;
} plan_query;

/* analyze.c: a SELECT (or VALUES / set operation) into q. */
ferr *plan_analyze_query(const plan_session *s, prepared_stmt *p, const void *select_stmt,
                         plan_query *q);
/* analyze.c: release what plan_analyze_query acquired. */
void plan_query_release(plan_query *q);

/* write.c: DDL and write statements; *handled = false for anything else. */
ferr *plan_prepare_write(const plan_session *s, prepared_stmt *p, const void *node, const char *sql,
                         bool *handled);

/*
 * write.c: Trino's spellings PostgreSQL's grammar refuses. True when sql was
 * CREATE SCHEMA [IF NOT EXISTS] catalog.schema [WITH (...)] (p is then a
 * STMT_DDL); otherwise *rewritten may hold CREATE TABLE text whose WITH
 * ARRAY[...] values became string literals.
 */
bool plan_trino_ddl(const char *sql, prepared_stmt *p, const char **rewritten);

/*
 * analyze_from.c, at bind: f is a filter over a scan; its conjuncts that
 * compare a scan column with a parameter, with the parameters' values, are
 * offered to the connector's apply_filter. Returns the narrowed handle
 * (allocated in a; *pushed its EXPLAIN text) or NULL. The engine's filter
 * stays: this only lets the source send fewer rows.
 */
const conn_table *an_bind_pushdown(const lnode *f, const fvalue *params, int nparams, arena *a,
                                   const char **pushed);

/* physical.c */
ferr *plan_physical(const plan_session *s, const plan_query *q, const fvalue *params, int nparams,
                    arena *a, phys_plan **out);

#endif
