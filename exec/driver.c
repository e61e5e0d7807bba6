/*
 * driver.c — runs one pipeline (an operator tree of one fragment) for one
 * quantum: pulls batches from the root operator and hands them to the
 * fragment's output exchange, partitioned as the fragment says. Never
 * blocks: when an exchange is empty or full it returns DRIVER_BLOCKED and
 * the pool parks it until the exchange wakes it.
 */
#include "exec/operator.h"

#include <time.h>

#define DRIVER_QUANTUM_NS (10 * 1000000LL)
#define DRIVER_QUANTUM_BATCHES 64

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void push_pending(exec_driver *d, int part, batch *b, arena *a)
{
	if (d->npending == d->pending_cap) {
		int cap = d->pending_cap ? d->pending_cap * 2 : 8;
		struct pending_out *p = arena_alloc(d->arena, sizeof(*p) * (size_t)cap);
		for (int i = 0; i < d->npending; i++)
			p[i] = d->pending[i];
		d->pending = p;
		d->pending_cap = cap;
	}
	d->pending[d->npending++] = (struct pending_out){part, b, a};
}

/* A copy of the live rows of b listed in rows (NULL = all) in its own arena. */
static void emit_copy(exec_driver *d, int part, const batch *b, uint16_t *rows, int n)
{
	arena *ba = arena_create(NULL, "exchange batch");
	if (d->env->tracker) arena_set_tracker(ba, d->env->tracker);
	batch view = *b;
	if (rows) {
		view.sel = rows;
		view.count = n;
	}
	push_pending(d, part, batch_compact(ba, &view), ba);
}

static void sink(exec_driver *d, batch *b)
{
	int nparts = exec_exchange_nparts(d->output);
	const plan_fragment *f = d->frag;
	if (nparts == 1) {
		emit_copy(d, 0, b, NULL, 0);
	} else if (f->output_partitioning == PART_BROADCAST) {
		for (int p = 0; p < nparts; p++)
			emit_copy(d, p, b, NULL, 0);
	} else if (f->output_partitioning == PART_HASH) {
		arena *tmp = d->root->out; /* valid until the next pull, like b */
		uint16_t **rows = arena_alloc(tmp, sizeof(uint16_t *) * (size_t)nparts);
		int *cnt = arena_zalloc(tmp, sizeof(int) * (size_t)nparts);
		for (int p = 0; p < nparts; p++)
			rows[p] = arena_alloc(tmp, sizeof(uint16_t) * (size_t)b->count);
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			uint64_t h = exec_hash_row(b, r, f->noutput_keys, f->output_keys);
			int p = (int)(h % (uint64_t)nparts);
			rows[p][cnt[p]++] = (uint16_t)r;
		}
		for (int p = 0; p < nparts; p++)
			if (cnt[p]) emit_copy(d, p, b, rows[p], cnt[p]);
	} else {
		emit_copy(d, d->rr++ % nparts, b, NULL, 0);
	}
}

/* Hand queued output to the exchange in order; false if it is full. */
static bool flush(exec_driver *d)
{
	int i = 0;
	while (i < d->npending) {
		struct pending_out *p = &d->pending[i];
		if (!exec_exchange_offer(d->output, p->part, p->b, p->a, d)) break;
		i++;
	}
	int left = d->npending - i;
	for (int k = 0; k < left; k++)
		d->pending[k] = d->pending[i + k];
	d->npending = left;
	return left == 0;
}

static driver_result finish(exec_driver *d, ferr *e)
{
	for (int i = 0; i < d->npending; i++)
		arena_destroy(d->pending[i].a);
	d->npending = 0;
	d->finished = true;
	/* Record the failure before our consumers can see our end of data, so a
	 * partial input is never mistaken for a complete one. */
	if (e) exec_query_fail(d->query, e);
	d->error = NULL;
	exec_exchange_producer_done(d->output);
	return DRIVER_FINISHED;
}

driver_result exec_driver_run(exec_driver *d)
{
	int64_t start = mono_ns();
	int batches = 0;
	d->quantum_end_ns = start + DRIVER_QUANTUM_NS;
	for (;;) {
		if (atomic_load(&d->env->cancelled)) return finish(d, NULL);
		if (d->env->tracker && mem_tracker_exceeded(d->env->tracker))
			return finish(d, exec_env_memory_error(d->env));
		if (d->npending && !flush(d)) return DRIVER_BLOCKED;
		if (d->root_done) return finish(d, NULL);
		exec_status st;
		batch *b = NULL;
		ferr *e = exec_op_next(d->root, &st, &b);
		if (e) return finish(d, e);
		if (st == EXEC_BLOCKED) return DRIVER_BLOCKED;
		if (st == EXEC_YIELD) return DRIVER_YIELD;
		if (st == EXEC_DONE) {
			d->root_done = true;
			continue;
		}
		if (b->count > 0) sink(d, b);
		if (++batches >= DRIVER_QUANTUM_BATCHES || mono_ns() - start >= DRIVER_QUANTUM_NS) {
			if (d->npending)
				flush(d); /* let consumers start; a full exchange is retried next
				             time */
			return DRIVER_YIELD;
		}
	}
}
