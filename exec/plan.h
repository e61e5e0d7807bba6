/*
 * plan.h — physical plans: the operator trees exec runs, cut into fragments.
 *
 * The planner builds these (planner/physical.c); exec instantiates each
 * node as an operator (one file per operator in exec/). A fragment is one
 * stage of the distributed plan: its root's output goes to a parent
 * fragment through an exchange with the fragment's output partitioning; an
 * EXCHANGE node reads the outputs of child fragments. Fragment 0 is the
 * root stage (SINGLE) whose output is the query result.
 * Every node's output is described by ncols/types; expressions in a node
 * reference its input's columns by index (for joins: probe columns first,
 * then build columns).
 */
#ifndef FERRY_PLAN_H
#define FERRY_PLAN_H

#include "connectors/spi.h"
#include "exec/expr.h"

typedef enum pnode_kind {
	PN_SCAN,      /* table scan through a connector page source */
	PN_VALUES,    /* literal rows */
	PN_FILTER,
	PN_PROJECT,
	PN_HASH_AGG,  /* group by + aggregates; no keys = global aggregate */
	PN_SORT,
	PN_TOPN,      /* ORDER BY ... LIMIT n */
	PN_LIMIT,     /* LIMIT/OFFSET */
	PN_HASH_JOIN, /* children[0] probe, children[1] build; no keys = nested loop */
	PN_EXCHANGE,  /* reads child fragment outputs */
	PN_TABLE_WRITE, /* appends its input to a connector write; outputs one row: the count */
	PN_WINDOW,    /* window functions over input sorted by partition, order keys */
	PN_REPLICATE, /* each input row count_col times (INTERSECT/EXCEPT ALL) */
	PN_GROUP_ID,  /* each input row once per grouping set, see below */
	PN_GENERATE_SERIES, /* generate_series(exprs[0], exprs[1], exprs[2]) */
	PN_RECURSIVE_UNION, /* WITH RECURSIVE: iterates recursive_term over a working table */
	PN_WORKTABLE,       /* inside a recursive_term: the working table or a materialized input */
	PN_LATERAL_SRF,     /* a set-returning function of each input row (FROM t, f(t.x)) */
	PN_UNNEST,    /* input columns ++ elements of exprs[0..unnest_nargs) [++ ordinality] */
} pnode_kind;

/*
 * JOIN_RIGHT_SEMI / JOIN_RIGHT_ANTI are SEMI / ANTI with the sides swapped
 * (planner/physical.c, when the preserved side is much smaller): the build
 * side is the one whose rows are kept, the output is its columns only, and
 * each build row is emitted once if some probe row matched it (RIGHT_SEMI)
 * or if none did (RIGHT_ANTI).
 */
typedef enum join_type {
	JOIN_INNER,
	JOIN_LEFT,
	JOIN_RIGHT,
	JOIN_FULL,
	JOIN_SEMI,
	JOIN_ANTI,
	JOIN_RIGHT_SEMI,
	JOIN_RIGHT_ANTI,
} join_type;

typedef struct sort_key {
	int column;
	bool descending;
	bool nulls_first;
} sort_key;

/* What some aggregates take besides their argument; all zero for the others. */
typedef struct agg_extra {
	fvalue param;           /* constant: string_agg's delimiter, the percentile fraction */
	bool has_order;         /* string_agg(x, d ORDER BY k), WITHIN GROUP (ORDER BY k) */
	int order_col;          /* k's input column (lagg: its column id) */
	ftype order_type;
	bool order_desc, order_nulls_first;
	bool has_filter;        /* array_agg: rows where this bool column is not true are skipped */
	int filter_col;         /* (lagg: its column id) */
	int nmore;              /* more input columns, see agg_more */
	struct agg_more *more;
} agg_extra;

/*
 * An input column of an aggregate besides arg and order_col: the second
 * argument of corr(y, x), regr_*(y, x), json_object_agg(k, v) and the
 * hypothetical rank(v) (is_key false, first), then the ORDER BY keys after
 * the first (is_key true). The planner projects e before the aggregation
 * like the argument and sets col (lagg: its column id, then the input
 * position); exec reads b->cols[col].
 */
typedef struct agg_more {
	expr *e;
	int col;
	ftype type;
	bool is_key, desc, nulls_first;
} agg_more;

typedef struct agg_call {
	agg_kind kind;
	int arg;       /* input column, -1 for count(*) */
	bool distinct;
	ftype result;
	const char *name;
	agg_extra x;
} agg_call;

/* Window functions (exec/window.c); WF_AGG is any agg_kind over the frame. */
typedef enum wfunc_kind {
	WF_ROW_NUMBER,
	WF_RANK,
	WF_DENSE_RANK,
	WF_PERCENT_RANK,
	WF_CUME_DIST,
	WF_NTILE,
	WF_LAG,
	WF_LEAD,
	WF_FIRST_VALUE,
	WF_LAST_VALUE,
	WF_NTH_VALUE,
	WF_AGG,
} wfunc_kind;

typedef enum frame_mode { FRAME_RANGE, FRAME_ROWS, FRAME_GROUPS } frame_mode;

typedef enum frame_bound {
	FB_UNBOUNDED_PRECEDING,
	FB_PRECEDING, /* offset rows/groups, or a RANGE distance */
	FB_CURRENT_ROW,
	FB_FOLLOWING,
	FB_UNBOUNDED_FOLLOWING,
} frame_bound;

/*
 * A window frame. ROWS/GROUPS offsets are constant expressions (bigint).
 * RANGE with an offset compares range_key (the ORDER BY key, widened) of
 * each row with per-row bound columns the planner computed as key -/+
 * offset; start_off/end_off are still kept to report a negative or NULL
 * offset as PostgreSQL does.
 */
typedef struct window_frame {
	frame_mode mode;
	frame_bound start, end;
	expr *start_off, *end_off;
	int range_key, start_col, end_col; /* RANGE offsets: input columns, else -1 */
} window_frame;

typedef struct window_call {
	wfunc_kind kind;
	agg_call agg; /* WF_AGG: the aggregate (arg = input column) */
	int args[3];  /* input columns, -1 absent: value, offset/n, default */
	ftype result;
	const char *name;
	window_frame frame;
} window_call;

typedef enum partitioning {
	PART_SINGLE,    /* one task gathers everything */
	PART_SOURCE,    /* tasks driven by splits */
	PART_HASH,      /* repartitioned by hash of columns */
	PART_BROADCAST, /* every consumer sees all rows */
	PART_ROUND_ROBIN,
} partitioning;

typedef struct pnode {
	pnode_kind kind;
	int ncols;
	ftype *types;
	const char **names; /* output column names (EXPLAIN, result description) */
	int nchildren;
	struct pnode **children;
	double est_rows; /* planner estimate, < 0 unknown */
	int id;          /* unique within the query, for EXPLAIN ANALYZE */

	/* PN_SCAN */
	conn_catalog *catalog;
	const conn_table *table;
	int nscan_cols;
	const int *scan_cols; /* indexes into table->cols */
	const char *pushed;   /* predicate the connector accepted, for EXPLAIN (or NULL) */
	/* PN_VALUES */
	int nrows;
	expr ***rows; /* rows[r][c], constant expressions */
	/* PN_FILTER */
	expr *predicate;
	/* PN_PROJECT: exprs[ncols] */
	expr **exprs;
	/* PN_HASH_AGG: output = group keys then aggregates */
	int ngroup;
	const int *group_cols;
	int naggs;
	agg_call *aggs;
	/* PN_SORT, PN_TOPN */
	int nkeys;
	sort_key *keys;
	/* PN_TOPN, PN_LIMIT */
	int64_t limit;  /* -1 none */
	int64_t offset;
	/* PN_HASH_JOIN: probe_keys[i] = build_keys[i]; extra = residual filter
	 * over the joined row (probe cols then build cols) */
	join_type join;
	int nkeys_join;
	const int *probe_keys;
	const int *build_keys;
	expr *join_filter;
	partitioning distribution; /* PART_BROADCAST or PART_HASH */
	/* JOIN_ANTI for NOT IN: a NULL build key empties the result, and a NULL
	 * probe key never passes when the build side has rows */
	bool null_aware;
	/* keys compare NULL equal to NULL (IS NOT DISTINCT FROM): a decorrelated
	 * subquery's results joined back to the rows they were computed for */
	bool nulls_equal;
	/* PN_WINDOW: partition columns; the ORDER BY is keys[0..nkeys); output =
	 * input columns then one per call */
	int npartition;
	const int *partition_cols;
	int nwcalls;
	window_call *wcalls;
	/* PN_EXCHANGE */
	int nsources;
	const int *source_fragments;
	/* Dynamic filters (planner/physical.c): a PN_HASH_JOIN publishes the key
	 * set of its build side for filter df_ids[i] from join key df_keys[i];
	 * a PN_SCAN applies filter df_ids[i] to its output column df_cols[i]. */
	int ndf;
	const int *df_ids;
	const int *df_keys; /* PN_HASH_JOIN */
	const int *df_cols; /* PN_SCAN */
	/* PN_TABLE_WRITE: input columns are the target's visible columns (table
	 * order and types) and, when count_col >= 0, one more bool column: rows
	 * where it is true are counted (and left out when drop_counted: DELETE);
	 * without it every row is written and counted. write is set by
	 * plan_write_begin; catalog and table name the target. */
	conn_write *write;
	const conn_table_def *create_def; /* CREATE TABLE AS: begin_create_table */
	conn_write_mode write_mode;       /* otherwise begin_insert on table */
	bool drop_counted;
	/* PN_TABLE_WRITE: the hit flag column (-1 none); PN_REPLICATE: the input
	 * column holding the repeat count (bigint) */
	int count_col;
	/* PN_GROUP_ID: output = the ngroup group_cols (NULL outside the set),
	 * then every input column, then the set's index (integer); set s holds
	 * group column k when bit k of sets[s] is set */
	int nsets;
	const uint64_t *sets;
	/* PN_RECURSIVE_UNION (exec/recursive_cte.c): children[0] is the
	 * non-recursive term, children[1..] the inputs the recursive term reads
	 * that do not depend on the recursion (materialized once). recursive_term
	 * is instantiated afresh for every iteration, in the operator's driver;
	 * its PN_WORKTABLE leaves read the previous iteration's new rows
	 * (worktable 0) or children[k] (worktable k). recursive_all: UNION ALL,
	 * else rows already produced are dropped. */
	struct pnode *recursive_term;
	bool recursive_all;
	int worktable; /* PN_WORKTABLE */
	/* PN_LATERAL_SRF (exec/lateral_srf.c): output = the input columns, then
	 * per_row's, for each row per_row yields once its first nsrf_args
	 * expressions (exprs[0..nsrf_args)) are replaced by the values of
	 * srf_args (over the input columns) in the input row; per_row->exprs has
	 * one more entry, the function's own (generate_series' next value) */
	struct pnode *per_row;
	int nsrf_args;
	expr **srf_args;
	/* PN_LATERAL_SRF in lockstep (select-list set-returning functions,
	 * PostgreSQL's ProjectSet): with nsrf_funcs > 0 the templates are
	 * srf_funcs[k] (per_row is srf_funcs[0]), each taking the next
	 * srf_func_nargs[k] of srf_args; the output is the input columns, then
	 * every function's; an input row gives as many rows as its longest
	 * function, the others padded with NULLs, and none when all are empty */
	int nsrf_funcs;
	struct pnode **srf_funcs;
	int *srf_func_nargs;
	/* PN_UNNEST: exprs[0..unnest_nargs) are the arrays (over the input) */
	int unnest_nargs;
	bool unnest_ordinality;
} pnode;

typedef struct plan_fragment {
	int id;
	partitioning partitioning;        /* how this fragment's tasks are laid out */
	partitioning output_partitioning; /* how its output reaches the consumer */
	int noutput_keys;
	const int *output_keys;           /* PART_HASH output columns */
	pnode *root;
} plan_fragment;

typedef struct phys_plan {
	int nfragments;
	plan_fragment **fragments; /* [0] is the root (SINGLE) */
	pnode *writer;             /* the PN_TABLE_WRITE of a write statement, or NULL */
	int ndynamic_filters;
	arena *arena;              /* owns the whole plan */
} phys_plan;

#endif
