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
	PN_REPLICATE, /* each input row count_col times (INTERSECT/EXCEPT ALL) */
	PN_GROUP_ID,  /* each input row once per grouping set, see below */
	PN_GENERATE_SERIES, /* generate_series(exprs[0], exprs[1], exprs[2]) */
} pnode_kind;

typedef enum join_type { JOIN_INNER, JOIN_LEFT, JOIN_RIGHT, JOIN_FULL, JOIN_SEMI, JOIN_ANTI } join_type;

typedef struct sort_key {
	int column;
	bool descending;
	bool nulls_first;
} sort_key;

typedef struct agg_call {
	agg_kind kind;
	int arg;       /* input column, -1 for count(*) */
	bool distinct;
	ftype result;
	const char *name;
} agg_call;

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
	/* PN_EXCHANGE */
	int nsources;
	const int *source_fragments;
	/* PN_REPLICATE: input column holding the repeat count (bigint) */
	int count_col;
	/* PN_GROUP_ID: output = the ngroup group_cols (NULL outside the set),
	 * then every input column, then the set's index (integer); set s holds
	 * group column k when bit k of sets[s] is set */
	int nsets;
	const uint64_t *sets;
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
	arena *arena;              /* owns the whole plan */
} phys_plan;

#endif
