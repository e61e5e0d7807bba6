/*
 * query.h — running a physical plan on the executor thread pool.
 *
 * exec_query_start instantiates every fragment as tasks of pipelines of
 * operators, wires the in-process exchanges and puts the drivers on the
 * executor's run queue. The caller (a session) pulls result batches from
 * the root fragment with exec_query_next, which blocks until a batch, the
 * end, an error or cancellation. Cancellation is cooperative: drivers check
 * the flag between batches, so it takes effect within one batch quantum.
 */
#ifndef FERRY_QUERY_H
#define FERRY_QUERY_H

#include "exec/plan.h"

typedef struct exec_query exec_query;

typedef struct exec_options {
	int64_t max_memory_bytes; /* query.max-memory-per-node */
	int desired_splits;       /* splits per scan to ask connectors for */
	const fmt_settings *fmt;
	bool collect_stats;       /* EXPLAIN ANALYZE */
	/* spill-enabled (session spill_enabled): sort and aggregation move
	 * their state to disk past half the memory limit instead of failing. */
	bool spill_enabled;
	const char *spill_path;       /* spiller-spill-path (default /tmp/ferry-spill) */
	int64_t query_max_spill_bytes; /* query-max-spill-per-node (0 = none) */
	int64_t node_max_spill_bytes;  /* max-spill-per-node over all queries (0 = none) */
} exec_options;

/* Start the executor's thread pool (task.max-worker-threads). */
ferr *exec_pool_start(int nthreads);
void exec_pool_stop(void);
int exec_pool_threads(void);

/*
 * Start running plan p with parameters params[0..nparams). The plan and
 * params must outlive the query.
 */
ferr *exec_query_start(const phys_plan *p, const fvalue *params, int nparams,
                       const ftype *param_types, const exec_options *opt, exec_query **out);
/*
 * Next result batch (allocated in a, which the caller resets between
 * calls), or *out = NULL at the end. timeout_ms < 0 waits forever; on
 * timeout returns NULL error and *out = NULL with *timed_out = true.
 */
ferr *exec_query_next(exec_query *q, arena *a, int timeout_ms, batch **out, bool *timed_out);
/* Ask the query to stop; safe from any thread, any number of times. */
void exec_query_cancel(exec_query *q, const char *sqlstate, const char *reason);
/* Wait for all tasks to stop and free everything. */
void exec_query_destroy(exec_query *q);
/* Per-node statistics after completion (EXPLAIN ANALYZE). */
typedef struct exec_node_stats {
	int64_t rows_out;
	int64_t bytes_in;
	int64_t cpu_ns;
	int64_t wall_ns;
	int64_t peak_memory;
	int64_t bytes_out;     /* bytes of the rows it returned */
	int64_t spilled_bytes; /* compressed bytes written to spill files */
} exec_node_stats;
bool exec_query_node_stats(exec_query *q, int node_id, exec_node_stats *out);
int64_t exec_query_peak_memory(exec_query *q);
/* Compressed bytes the query has in spill files now, and at most so far. */
int64_t exec_query_spill_bytes(exec_query *q);
int64_t exec_query_spill_peak_bytes(exec_query *q);

#endif
