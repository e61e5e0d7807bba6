/*
 * operator.h — the executor's internal operator interface (pull model),
 * drivers, exchanges and the executor pool, shared by the executor sources only.
 * Nothing outside exec/ includes this; the public face is exec/query.h.
 *
 * An operator produces batches on demand: next() returns EXEC_BATCH with a
 * batch valid until the following next() call on the same operator,
 * EXEC_BLOCKED when it cannot progress now (an exchange is empty; the
 * driver is parked and woken later; next() is then simply called again),
 * or EXEC_DONE. Operators keep their state across BLOCKED returns, so a
 * pipeline can be suspended anywhere an exchange feeds it.
 */
#ifndef FERRY_OPERATOR_H
#define FERRY_OPERATOR_H

#include <pthread.h>
#include <stdatomic.h>

#include "exec/agg_funcs.h"
#include "exec/plan.h"
#include "exec/query.h"
#include "exec/spill.h"

/*
 * EXEC_YIELD: no output yet but runnable (an operator that consumes its
 * whole input, like sort, gives the thread back when the driver's quantum
 * is over); the driver is requeued rather than parked.
 */
typedef enum exec_status { EXEC_BATCH, EXEC_BLOCKED, EXEC_DONE, EXEC_YIELD } exec_status;

typedef struct exec_op exec_op;
typedef struct exec_driver exec_driver;
typedef struct exec_exchange exec_exchange;
typedef struct exec_env exec_env;

typedef struct exec_op_ops {
	ferr *(*next)(exec_op *op, exec_status *st, batch **out);
	void (*close)(exec_op *op); /* optional: release non-arena resources */
} exec_op_ops;

/*
 * State of one plan node shared by the drivers that run it in parallel
 * (split queue, partial aggregates to merge, limit counters). Created
 * single-threaded at query start; mutated under mu.
 */
typedef struct exec_shared {
	const pnode *node;
	pthread_mutex_t mu;
	int ndrivers;
	int remaining; /* drivers that have not yet handed in their partial state */
	void *data;    /* operator-specific */
	/* PN_SCAN */
	int nsplits;
	conn_split **splits;
	atomic_int next_split;
	/* PN_LIMIT */
	int64_t skip_left, take_left;
} exec_shared;

struct exec_op {
	const exec_op_ops *ops;
	const pnode *node;
	int nchildren;
	exec_op **children;
	exec_driver *driver;
	exec_env *env;
	exec_shared *shared;
	arena *state; /* lives as long as the query */
	arena *out;   /* reset at each next(): output batches */
	void *impl;   /* operator-specific */
	/* stats */
	int64_t rows_out;
	int64_t wall_ns;
	int64_t bytes_in; /* scans: bytes the page sources read */
	int64_t cpu_ns;   /* thread CPU time in next(), children included */
	int64_t bytes_out; /* bytes of the batches it returned (fixed width + strings) */
	int64_t spilled_bytes; /* compressed bytes this operator wrote to spill files */
	mem_tracker *mem; /* this operator's arenas (state and out) report here */
};

typedef struct exec_dynfilter exec_dynfilter;

/* Query-wide environment shared by every driver of one query. */
struct exec_env {
	expr_ctx ectx;
	mem_tracker *tracker;
	atomic_int cancelled;
	int nshared;
	exec_shared **shared;
	int nfragments;
	exec_exchange **outputs; /* outputs[f]: fragment f's output exchange */
	int *ndrivers;           /* per fragment */
	const phys_plan *plan;
	int ndf;
	exec_dynfilter *dfs; /* dynamic filters (dynamic_filter.c) */
	/* Per-operator trackers (children of tracker), for the 53200 detail. */
	int nop_mem, cap_op_mem;
	mem_tracker **op_mem;
	exec_spill *spill; /* NULL when spilling is off */
	bool collect_stats; /* EXPLAIN ANALYZE: CPU time and bytes per operator */
};

/* ---- dynamic filters (dynamic_filter.c) ---- */

/* Made at query start (single-threaded), in parent. */
void exec_dynfilters_create(exec_env *env, int n, arena *parent);
void exec_dynfilters_destroy(exec_env *env);
/* A join's build is complete: publish filter id from column key of its batches (first wins). */
void exec_dynfilter_publish(exec_env *env, int id, const batch *const *bb, int nbb, int key);
/* Narrow b's selection by the scan's ready filters; false when none is ready yet. */
bool exec_dynfilter_apply(exec_env *env, const pnode *scan, batch *b, arena *a);
/* The scan's ready filters as a domain over its table's columns, or NULL. */
conn_domain *exec_dynfilter_domain(exec_env *env, const pnode *scan, arena *a);

/* Constructors, one per operator file. */
ferr *exec_scan_create(exec_op *op);
ferr *exec_values_create(exec_op *op);
ferr *exec_filter_create(exec_op *op);
ferr *exec_project_create(exec_op *op);
ferr *exec_hash_agg_create(exec_op *op);
ferr *exec_sort_create(exec_op *op);
ferr *exec_topn_create(exec_op *op);
ferr *exec_limit_create(exec_op *op);
ferr *exec_hash_join_create(exec_op *op);
ferr *exec_exchange_source_create(exec_op *op);
ferr *exec_table_writer_create(exec_op *op);
ferr *exec_window_create(exec_op *op);
ferr *exec_replicate_create(exec_op *op);
ferr *exec_group_id_create(exec_op *op);
ferr *exec_generate_series_create(exec_op *op);
ferr *exec_recursive_union_create(exec_op *op);
ferr *exec_worktable_create(exec_op *op);
ferr *exec_lateral_srf_create(exec_op *op);
ferr *exec_unnest_create(exec_op *op);

/*
 * Instantiate the operator tree of node n for one driver. All arenas are
 * made here (children of parent, single-threaded), never on executor threads.
 */
ferr *exec_op_build(const pnode *n, exec_env *env, exec_driver *d, arena *parent, exec_op **out);
/* Call next with timing and row counting; resets op->out first. */
ferr *exec_op_next(exec_op *op, exec_status *st, batch **out);
void exec_op_close_tree(exec_op *op);
/* Close a tree built into an arena of its own (a re-instantiated subplan) and free both. */
void exec_op_tree_discard(exec_op **root, arena **a);
exec_shared *exec_env_shared(exec_env *env, const pnode *n);
/* 53200 when the query's tracker is over its limit, 57014 when cancelled. */
ferr *exec_env_check(exec_env *env);
ferr *exec_memory_error(const mem_tracker *t);
/* 53200 naming the operators that hold the most memory (Trino's "Top Consumers"). */
ferr *exec_env_memory_error(exec_env *env);
/* Trino's operator name for the memory a node holds (HashAggregationOperator, ...). */
const char *exec_op_memory_name(const pnode *n);
/*
 * True when op should move what it holds to disk now: spilling is on, the
 * query (plus extra bytes op would still need to finish in memory, such as
 * a sort's row references) is past half its memory limit and op holds a
 * worthwhile share.
 */
bool exec_op_should_spill(const exec_op *op, int64_t extra);
/* True when op's driver has used up its quantum (never without a driver deadline). */
bool exec_op_should_yield(const exec_op *op);

/* Values and rows. */
bool exec_type_is_string(ftype t);
/* Copy one value (or NULL) from src[srow] to dst[drow]; strings deep-copied into a if deep. */
void exec_copy_value(vector *dst, int drow, int dcap, const vector *src, int srow, arena *a,
                     bool deep);
/* Hash of row r over key columns (NULLs hash to a fixed value). */
uint64_t exec_hash_row(const batch *b, int r, int nkeys, const int *keys);
uint64_t exec_hash_combine(uint64_t h, uint64_t v);
/* Compare two rows by sort keys (ORDER BY semantics, NULLS FIRST/LAST). */
int exec_compare_rows(const batch *a, int ra, const batch *b, int rb, int nkeys,
                      const sort_key *keys);
/* A batch header sharing b's vectors, with its own selection slot. */
batch *exec_batch_view(arena *a, const batch *b);

/* A row of a materialized batch (sort, top-N). */
typedef struct exec_row_ref {
	const batch *b;
	int row;
} exec_row_ref;
bool exec_shared_hand_in(exec_shared *sh, void *mine, arena *a, void ***all);
batch *exec_gather_rows(arena *a, int ncols, const ftype *types, const exec_row_ref *refs, int n);
/* Append b to the growable array *v (n used, cap allocated) kept in a. */
void exec_batches_append(arena *a, batch ***v, int *n, int *cap, batch *b);

/* ---- exchanges (exchange.c) ---- */

exec_exchange *exec_exchange_create(int nparts, int nproducers, int max_queued);
void exec_exchange_destroy(exec_exchange *x);
/*
 * Offer a batch owned by its own root arena ba to partition part. Returns
 * false when the partition is full: then d is registered to be woken.
 */
bool exec_exchange_offer(exec_exchange *x, int part, batch *b, arena *ba, exec_driver *d);
/*
 * Take a batch from part: EXEC_BATCH (*b, *ba now owned by the caller),
 * EXEC_DONE when every producer finished and nothing is left, EXEC_BLOCKED
 * (d registered for wake-up; d NULL = caller waits on the condition).
 */
exec_status exec_exchange_take(exec_exchange *x, int part, exec_driver *d, batch **b, arena **ba);
void exec_exchange_producer_done(exec_exchange *x);
/* Wake everyone: used on cancellation. */
void exec_exchange_wake_all(exec_exchange *x);
/* Caller-side wait (exec_query_next): waits at most timeout_ms (<0 forever). */
exec_status exec_exchange_take_wait(exec_exchange *x, int part, int timeout_ms, atomic_int *stop,
                                    batch **b, arena **ba);
int exec_exchange_nparts(const exec_exchange *x);

/* ---- drivers and the executor pool (driver.c, task_executor.c) ---- */

typedef enum driver_result { DRIVER_YIELD, DRIVER_BLOCKED, DRIVER_FINISHED } driver_result;

struct exec_driver {
	struct exec_query *query;
	exec_env *env;
	exec_op *root;
	int fragment;
	int index; /* among the fragment's drivers */
	exec_exchange *output;
	const plan_fragment *frag;
	arena *arena;
	/* scheduling (guarded by the pool lock) */
	int sched_state; /* DS_* in task_executor.c */
	bool woken;
	exec_driver *next_in_queue;
	int64_t quantum_end_ns; /* CLOCK_MONOTONIC; 0 = no deadline */
	/* sink state */
	bool root_done;
	bool finished;
	ferr *error; /* why it finished early, handed to the query */
	int npending;
	int rr; /* round-robin cursor */
	struct pending_out {
		int part;
		batch *b;
		arena *a;
	} * pending;
	int pending_cap;
};

/* Run one quantum of d on the calling executor thread. */
driver_result exec_driver_run(exec_driver *d);
/* Make a parked driver runnable (from any thread). */
void exec_driver_wake(exec_driver *d);
void exec_pool_submit(exec_driver *d);
/* Record the query's first error and cancel the rest (query.c; takes e). */
void exec_query_fail(struct exec_query *q, ferr *e);
/* Called by the pool when a driver finished (query.c). */
void exec_query_driver_finished(struct exec_query *q, exec_driver *d, ferr *err);

#endif
