/*
 * exchange.c — in-process exchanges between fragments: bounded queues of
 * batches, one per consumer partition, with back-pressure (a producer that
 * finds its partition full is parked until a consumer takes a batch) and
 * the operator that reads them (PN_EXCHANGE). Queued batches own their own
 * root arena, so producer and consumer never share an arena.
 */
#include "exec/operator.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

typedef struct xitem {
	struct xitem *next;
	batch *b;
	arena *a;
} xitem;

typedef struct xpart {
	xitem *head, *tail;
	int n;
} xpart;

struct exec_exchange {
	pthread_mutex_t mu;
	pthread_cond_t cond; /* for a consumer that is not a driver (the session) */
	int nparts;
	xpart *parts;
	int producers_left;
	int max_queued;
	int nwaiters, cap_waiters;
	exec_driver **waiters;
};

exec_exchange *exec_exchange_create(int nparts, int nproducers, int max_queued)
{
	exec_exchange *x = xcalloc(1, sizeof(*x));
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cond, NULL);
	x->nparts = nparts;
	x->parts = xcalloc((size_t)nparts, sizeof(xpart));
	x->producers_left = nproducers;
	x->max_queued = max_queued;
	return x;
}

void exec_exchange_destroy(exec_exchange *x)
{
	if (!x) return;
	for (int p = 0; p < x->nparts; p++) {
		xitem *it = x->parts[p].head;
		while (it) {
			xitem *next = it->next;
			arena_destroy(it->a);
			free(it);
			it = next;
		}
	}
	free(x->parts);
	free(x->waiters);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cond);
	free(x);
}

int exec_exchange_nparts(const exec_exchange *x)
{
	return x->nparts;
}

static void add_waiter(exec_exchange *x, exec_driver *d)
{
	for (int i = 0; i < x->nwaiters; i++)
		if (x->waiters[i] == d) return;
	if (x->nwaiters == x->cap_waiters) {
		x->cap_waiters = x->cap_waiters ? x->cap_waiters * 2 : 8;
		x->waiters = xrealloc(x->waiters, sizeof(exec_driver *) * (size_t)x->cap_waiters);
	}
	x->waiters[x->nwaiters++] = d;
}

/*
 * Called with x->mu held; wakes every waiter after unlocking. Waking
 * everyone is simpler than tracking who waits for what, and a spuriously
 * woken driver just finds it still cannot progress and parks again.
 */
static void unlock_and_wake(exec_exchange *x)
{
	int n = x->nwaiters;
	exec_driver *local[16];
	exec_driver **w = n <= 16 ? local : xmalloc(sizeof(exec_driver *) * (size_t)n);
	for (int i = 0; i < n; i++)
		w[i] = x->waiters[i];
	x->nwaiters = 0;
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->mu);
	for (int i = 0; i < n; i++)
		exec_driver_wake(w[i]);
	if (w != local) free(w);
}

bool exec_exchange_offer(exec_exchange *x, int part, batch *b, arena *ba, exec_driver *d)
{
	pthread_mutex_lock(&x->mu);
	xpart *p = &x->parts[part];
	if (p->n >= x->max_queued) {
		if (d) add_waiter(x, d);
		pthread_mutex_unlock(&x->mu);
		return false;
	}
	xitem *it = xmalloc(sizeof(*it));
	it->next = NULL;
	it->b = b;
	it->a = ba;
	if (p->tail)
		p->tail->next = it;
	else
		p->head = it;
	p->tail = it;
	p->n++;
	unlock_and_wake(x);
	return true;
}

static bool pop(exec_exchange *x, int part, batch **b, arena **ba)
{
	xpart *p = &x->parts[part];
	xitem *it = p->head;
	if (!it) return false;
	p->head = it->next;
	if (!p->head) p->tail = NULL;
	p->n--;
	*b = it->b;
	*ba = it->a;
	free(it);
	return true;
}

exec_status exec_exchange_take(exec_exchange *x, int part, exec_driver *d, batch **b, arena **ba)
{
	pthread_mutex_lock(&x->mu);
	if (pop(x, part, b, ba)) {
		unlock_and_wake(x); /* a producer may be waiting for room */
		return EXEC_BATCH;
	}
	if (x->producers_left == 0) {
		pthread_mutex_unlock(&x->mu);
		return EXEC_DONE;
	}
	if (d) add_waiter(x, d);
	pthread_mutex_unlock(&x->mu);
	return EXEC_BLOCKED;
}

exec_status exec_exchange_take_wait(exec_exchange *x, int part, int timeout_ms, atomic_int *stop,
                                    batch **b, arena **ba)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	if (timeout_ms >= 0) {
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&x->mu);
	for (;;) {
		if (pop(x, part, b, ba)) {
			unlock_and_wake(x);
			return EXEC_BATCH;
		}
		if (x->producers_left == 0) break;
		if (stop && atomic_load(stop)) {
			pthread_mutex_unlock(&x->mu);
			return EXEC_BLOCKED;
		}
		if (timeout_ms < 0) {
			pthread_cond_wait(&x->cond, &x->mu);
		} else if (pthread_cond_timedwait(&x->cond, &x->mu, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&x->mu);
			return EXEC_BLOCKED;
		}
	}
	pthread_mutex_unlock(&x->mu);
	return EXEC_DONE;
}

void exec_exchange_producer_done(exec_exchange *x)
{
	pthread_mutex_lock(&x->mu);
	if (x->producers_left > 0) x->producers_left--;
	unlock_and_wake(x);
}

void exec_exchange_wake_all(exec_exchange *x)
{
	pthread_mutex_lock(&x->mu);
	unlock_and_wake(x);
}

/* ---- PN_EXCHANGE: the consuming operator ---- */

typedef struct xsource {
	int current; /* index into node->source_fragments */
	arena *held; /* arena of the batch returned last */
} xsource;

static ferr *xsource_next(exec_op *op, exec_status *st, batch **out)
{
	xsource *s = op->impl;
	const pnode *n = op->node;
	if (s->held) {
		arena_destroy(s->held);
		s->held = NULL;
	}
	/* Read the sources in turn; any with data is fine, order is not promised. */
	bool all_done = true;
	for (int k = 0; k < n->nsources; k++) {
		int i = (s->current + k) % n->nsources;
		exec_exchange *x = op->env->outputs[n->source_fragments[i]];
		batch *b;
		arena *ba;
		exec_status r =
		    exec_exchange_take(x, op->driver->index % x->nparts, op->driver, &b, &ba);
		if (r == EXEC_BATCH) {
			s->current = i;
			s->held = ba;
			*out = b;
			*st = EXEC_BATCH;
			return NULL;
		}
		if (r == EXEC_BLOCKED) all_done = false;
	}
	*st = all_done ? EXEC_DONE : EXEC_BLOCKED;
	return NULL;
}

static void xsource_close(exec_op *op)
{
	xsource *s = op->impl;
	if (s->held) arena_destroy(s->held);
	s->held = NULL;
}

static const exec_op_ops xsource_ops = {xsource_next, xsource_close};

ferr *exec_exchange_source_create(exec_op *op)
{
	const pnode *n = op->node;
	for (int i = 0; i < n->nsources; i++) {
		int f = n->source_fragments[i];
		if (f <= 0 || f >= op->env->nfragments || !op->env->outputs[f])
			return ferr_new(SQLSTATE_INTERNAL_ERROR,
			                "exchange reads unknown fragment %d", f);
	}
	op->impl = arena_zalloc(op->state, sizeof(xsource));
	op->ops = &xsource_ops;
	return NULL;
}
