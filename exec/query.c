/*
 * query.c — one running query: instantiates every fragment as drivers,
 * wires the in-process exchanges, submits the drivers to the executor pool
 * and hands result batches to the session. The caller's thread only pulls
 * finished batches from the root exchange; it never runs operators.
 */
#include "exec/operator.h"

#include <stdlib.h>
#include <string.h>

#define EXCHANGE_MAX_QUEUED 8

struct exec_query {
	exec_env env;
	arena *arena;
	mem_tracker *tracker;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	int live_drivers;
	ferr *error;
	bool user_cancel;
	char cancel_state[6];
	char *cancel_reason;
	int ndrivers;
	exec_driver **drivers;
};

static void walk(const pnode *n, void (*fn)(const pnode *, void *), void *arg)
{
	if (!n) return;
	fn(n, arg);
	for (int i = 0; i < n->nchildren; i++)
		walk(n->children[i], fn, arg);
	walk(n->recursive_term, fn, arg); /* its nodes' shared state (recursive_cte.c) */
}

typedef struct walk_ctx {
	int frag;
	int *consumer;
	int nfrag;
	int nscans;
	bool bad;
	exec_query *q;
	int ndrivers;
	const exec_options *opt;
	ferr *err;
} walk_ctx;

static void find_consumers(const pnode *n, void *arg)
{
	walk_ctx *w = arg;
	if (n->kind == PN_SCAN) w->nscans++;
	if (n->kind != PN_EXCHANGE) return;
	for (int i = 0; i < n->nsources; i++) {
		int f = n->source_fragments[i];
		if (f <= 0 || f >= w->nfrag || w->consumer[f] >= 0)
			w->bad = true;
		else
			w->consumer[f] = w->frag;
	}
}

static void make_shared(const pnode *n, void *arg)
{
	walk_ctx *w = arg;
	exec_env *env = &w->q->env;
	if (w->err) return;
	if (n->kind != PN_SCAN && n->kind != PN_LIMIT && n->kind != PN_HASH_AGG &&
	    n->kind != PN_SORT && n->kind != PN_TOPN)
		return;
	exec_shared *s = arena_zalloc(w->q->arena, sizeof(*s));
	s->node = n;
	pthread_mutex_init(&s->mu, NULL);
	s->ndrivers = s->remaining = w->ndrivers;
	s->skip_left = n->offset > 0 ? n->offset : 0;
	s->take_left = n->limit;
	if (n->kind == PN_SCAN) {
		conn_catalog *c = n->catalog;
		if (!c || !c->ops->get_splits) {
			w->err = ferr_new(SQLSTATE_INTERNAL_ERROR, "scan without a catalog");
			return;
		}
		int desired =
		    w->opt && w->opt->desired_splits > 0 ? w->opt->desired_splits : w->ndrivers * 4;
		w->err =
		    c->ops->get_splits(c, n->table, desired, w->q->arena, &s->nsplits, &s->splits);
		if (w->err) return;
	}
	env->shared[env->nshared++] = s;
}

static void count_nodes(const pnode *n, void *arg)
{
	(*(int *)arg)++;
}

static void destroy_partial(exec_query *q)
{
	for (int i = 0; i < q->ndrivers; i++)
		if (q->drivers[i]) exec_op_close_tree(q->drivers[i]->root);
	for (int f = 0; f < q->env.nfragments; f++)
		if (q->env.outputs) exec_exchange_destroy(q->env.outputs[f]);
	for (int i = 0; i < q->env.nshared; i++)
		pthread_mutex_destroy(&q->env.shared[i]->mu);
	exec_dynfilters_destroy(&q->env);
	exec_spill_destroy(q->env.spill); /* every file goes, however the query ended */
	arena_destroy(q->arena);
	for (int i = 0; i < q->env.nop_mem; i++)
		mem_tracker_destroy(q->env.op_mem[i]);
	free(q->env.op_mem);
	if (q->tracker) mem_tracker_destroy(q->tracker);
	ferr_free(q->error);
	free(q->cancel_reason);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cond);
	free(q);
}

ferr *exec_query_start(const phys_plan *p, const fvalue *params, int nparams,
                       const ftype *param_types, const exec_options *opt, exec_query **out)
{
	*out = NULL;
	int nthreads = exec_pool_threads();
	if (nthreads <= 0) return ferr_new(SQLSTATE_INTERNAL_ERROR, "executor pool is not started");
	if (!p || p->nfragments < 1) return ferr_new(SQLSTATE_INTERNAL_ERROR, "empty plan");
	exec_query *q = xcalloc(1, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cond, NULL);
	q->tracker = mem_tracker_create("query", opt ? opt->max_memory_bytes : 0);
	q->arena = arena_create(NULL, "query");
	arena_set_tracker(q->arena, q->tracker);
	exec_env *env = &q->env;
	env->tracker = q->tracker;
	env->collect_stats = opt && opt->collect_stats;
	if (opt && opt->spill_enabled) {
		exec_spill_config sc = {.path = opt->spill_path ? opt->spill_path : "/tmp/ferry-spill",
		                        .query_max_bytes = opt->query_max_spill_bytes,
		                        .node_max_bytes = opt->node_max_spill_bytes};
		env->spill = exec_spill_create(&sc);
	}
	env->ectx.params = params;
	env->ectx.nparams = nparams;
	env->ectx.param_types = param_types;
	env->ectx.fmt = opt ? opt->fmt : NULL;
	int nf = p->nfragments;
	env->nfragments = nf;
	env->plan = p;
	exec_dynfilters_create(env, p->ndynamic_filters, q->arena);
	env->outputs = arena_zalloc(q->arena, sizeof(exec_exchange *) * (size_t)nf);
	env->ndrivers = arena_zalloc(q->arena, sizeof(int) * (size_t)nf);

	/* Who consumes each fragment, and how many drivers each one runs. */
	int *consumer = arena_alloc(q->arena, sizeof(int) * (size_t)nf);
	for (int f = 0; f < nf; f++)
		consumer[f] = -1;
	int nnodes = 0;
	for (int f = 0; f < nf; f++) {
		const plan_fragment *pf = p->fragments[f];
		if (!pf || !pf->root) {
			destroy_partial(q);
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "fragment %d has no plan", f);
		}
		walk_ctx w = {.frag = f, .consumer = consumer, .nfrag = nf};
		walk(pf->root, find_consumers, &w);
		walk(pf->root, count_nodes, &nnodes);
		if (pf->output_partitioning == PART_HASH && f > 0) {
			for (int k = 0; k < pf->noutput_keys; k++)
				if (!pf->output_keys || pf->output_keys[k] < 0 ||
				    pf->output_keys[k] >= pf->root->ncols)
					w.bad = true;
		}
		if (w.bad || p->fragments[f]->id != f) {
			destroy_partial(q);
			return ferr_new(SQLSTATE_INTERNAL_ERROR,
			                "malformed fragment graph at fragment %d", f);
		}
		partitioning part = p->fragments[f]->partitioning;
		/* A SOURCE fragment with two scans (e.g. a join of two tables) would
		 * split both scans' splits between drivers: run it on one driver. */
		if (part == PART_SOURCE)
			env->ndrivers[f] = w.nscans <= 1 ? nthreads : 1;
		else if (part == PART_HASH || part == PART_ROUND_ROBIN)
			env->ndrivers[f] = nthreads;
		else
			env->ndrivers[f] = 1;
	}
	for (int f = 1; f < nf; f++)
		if (consumer[f] < 0) {
			destroy_partial(q);
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "fragment %d has no consumer", f);
		}

	env->shared = arena_zalloc(q->arena, sizeof(exec_shared *) * (size_t)(nnodes + 1));
	for (int f = 0; f < nf; f++) {
		walk_ctx w = {.q = q, .ndrivers = env->ndrivers[f], .opt = opt};
		walk(p->fragments[f]->root, make_shared, &w);
		if (w.err) {
			destroy_partial(q);
			return w.err;
		}
		int nparts = f == 0 ? 1 : env->ndrivers[consumer[f]];
		env->outputs[f] =
		    exec_exchange_create(nparts, env->ndrivers[f], EXCHANGE_MAX_QUEUED);
	}

	for (int f = 0; f < nf; f++)
		q->ndrivers += env->ndrivers[f];
	q->drivers = arena_zalloc(q->arena, sizeof(exec_driver *) * (size_t)q->ndrivers);
	int k = 0;
	for (int f = 0; f < nf; f++) {
		for (int i = 0; i < env->ndrivers[f]; i++) {
			exec_driver *d = arena_zalloc(q->arena, sizeof(*d));
			d->query = q;
			d->env = env;
			d->fragment = f;
			d->index = i;
			d->frag = p->fragments[f];
			d->output = env->outputs[f];
			d->arena = arena_create(q->arena, "driver");
			q->drivers[k++] = d;
			ferr *e = exec_op_build(p->fragments[f]->root, env, d, d->arena, &d->root);
			if (e) {
				destroy_partial(q);
				return e;
			}
		}
	}
	q->live_drivers = q->ndrivers;
	for (int i = 0; i < q->ndrivers; i++)
		exec_pool_submit(q->drivers[i]);
	*out = q;
	return NULL;
}

static void wake_everything(exec_query *q)
{
	for (int f = 0; f < q->env.nfragments; f++)
		exec_exchange_wake_all(q->env.outputs[f]);
}

void exec_query_fail(exec_query *q, ferr *e)
{
	pthread_mutex_lock(&q->mu);
	bool first = !q->error;
	if (first)
		q->error = e;
	else
		ferr_free(e);
	atomic_store(&q->env.cancelled, 1);
	pthread_mutex_unlock(&q->mu);
	if (first) wake_everything(q);
}

void exec_query_driver_finished(exec_query *q, exec_driver *d, ferr *err)
{
	(void)d;
	if (err) exec_query_fail(q, err);
	pthread_mutex_lock(&q->mu);
	q->live_drivers--;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mu);
}

void exec_query_cancel(exec_query *q, const char *sqlstate, const char *reason)
{
	pthread_mutex_lock(&q->mu);
	if (!q->user_cancel && !q->error) {
		q->user_cancel = true;
		snprintf(q->cancel_state, sizeof q->cancel_state, "%s",
		         sqlstate ? sqlstate : SQLSTATE_QUERY_CANCELED);
		q->cancel_reason =
		    xstrdup(reason ? reason : "canceling statement due to user request");
	}
	atomic_store(&q->env.cancelled, 1);
	pthread_mutex_unlock(&q->mu);
	wake_everything(q);
}

/* The error to report, if the query failed or was cancelled (a copy). */
static ferr *query_failure(exec_query *q)
{
	ferr *e = NULL;
	pthread_mutex_lock(&q->mu);
	/* A cancel wins over the errors drivers report while stopping. */
	if (q->user_cancel)
		e = ferr_new(q->cancel_state, "%s", q->cancel_reason);
	else if (q->error)
		e = ferr_copy(q->error);
	pthread_mutex_unlock(&q->mu);
	return e;
}

ferr *exec_query_next(exec_query *q, arena *a, int timeout_ms, batch **out, bool *timed_out)
{
	*out = NULL;
	if (timed_out) *timed_out = false;
	for (;;) {
		TRY(query_failure(q));
		batch *b;
		arena *ba;
		exec_status st = exec_exchange_take_wait(q->env.outputs[0], 0, timeout_ms,
		                                         &q->env.cancelled, &b, &ba);
		if (st == EXEC_BATCH) {
			/* Hand over a copy so the producer's memory can go at once. */
			*out = batch_compact(a, b);
			arena_destroy(ba);
			return NULL;
		}
		TRY(query_failure(q));
		if (st == EXEC_DONE) return NULL;
		if (!atomic_load(&q->env.cancelled)) {
			if (timed_out) *timed_out = true;
			return NULL;
		}
		/* Cancelled without a reported failure (internal stop): the end. */
		return NULL;
	}
}

void exec_query_destroy(exec_query *q)
{
	if (!q) return;
	atomic_store(&q->env.cancelled, 1);
	wake_everything(q);
	pthread_mutex_lock(&q->mu);
	while (q->live_drivers > 0)
		pthread_cond_wait(&q->cond, &q->mu);
	pthread_mutex_unlock(&q->mu);
	destroy_partial(q);
}

static void sum_stats(const exec_op *op, int node_id, exec_node_stats *s, bool *found)
{
	if (!op) return;
	if (op->node->id == node_id) {
		*found = true;
		s->rows_out += op->rows_out;
		s->wall_ns += op->wall_ns;
		s->bytes_in += op->bytes_in;
		s->cpu_ns += op->cpu_ns;
		s->bytes_out += op->bytes_out;
		s->spilled_bytes += op->spilled_bytes;
		s->peak_memory +=
		    op->mem ? mem_tracker_peak(op->mem) : (int64_t)arena_total_bytes(op->state);
	}
	for (int i = 0; i < op->nchildren; i++)
		sum_stats(op->children[i], node_id, s, found);
}

/* Only meaningful once the query has finished (drivers update these unlocked). */
bool exec_query_node_stats(exec_query *q, int node_id, exec_node_stats *out)
{
	memset(out, 0, sizeof(*out));
	bool found = false;
	for (int i = 0; i < q->ndrivers; i++)
		sum_stats(q->drivers[i]->root, node_id, out, &found);
	return found;
}

int64_t exec_query_peak_memory(exec_query *q)
{
	return mem_tracker_peak(q->tracker);
}

int64_t exec_query_spill_bytes(exec_query *q)
{
	return q->env.spill ? exec_spill_bytes(q->env.spill) : 0;
}

int64_t exec_query_spill_peak_bytes(exec_query *q)
{
	return q->env.spill ? exec_spill_peak_bytes(q->env.spill) : 0;
}
