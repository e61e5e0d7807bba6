/*
 * task_executor.c — the fixed pool of executor threads. Threads take
 * runnable drivers from one FIFO run queue, run them for a quantum and put
 * them back at the tail, so one heavy query cannot starve another. A
 * blocked driver is parked (off the queue) until an exchange wakes it.
 * Never runs query work on any other thread; never waits while holding
 * the pool lock except on its condition variable.
 */
#include "exec/operator.h"

#include <stdlib.h>

enum { DS_IDLE, DS_QUEUED, DS_RUNNING, DS_PARKED, DS_FINISHED };

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	exec_driver *head, *tail;
	int nthreads;
	pthread_t *threads;
	bool stopping;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

/* With pool.mu held. */
static void enqueue(exec_driver *d)
{
	d->sched_state = DS_QUEUED;
	d->next_in_queue = NULL;
	if (pool.tail)
		pool.tail->next_in_queue = d;
	else
		pool.head = d;
	pool.tail = d;
	pthread_cond_signal(&pool.cond);
}

void exec_pool_submit(exec_driver *d)
{
	pthread_mutex_lock(&pool.mu);
	enqueue(d);
	pthread_mutex_unlock(&pool.mu);
}

/*
 * A wake-up that arrives while the driver is still running its quantum is
 * remembered (woken) so that the thread finishing the quantum requeues it
 * instead of parking it: otherwise the wake-up would be lost.
 */
void exec_driver_wake(exec_driver *d)
{
	pthread_mutex_lock(&pool.mu);
	if (d->sched_state == DS_PARKED)
		enqueue(d);
	else if (d->sched_state == DS_RUNNING)
		d->woken = true;
	pthread_mutex_unlock(&pool.mu);
}

static void *pool_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool.mu);
	for (;;) {
		while (!pool.head && !pool.stopping)
			pthread_cond_wait(&pool.cond, &pool.mu);
		if (pool.stopping && !pool.head) break;
		exec_driver *d = pool.head;
		pool.head = d->next_in_queue;
		if (!pool.head) pool.tail = NULL;
		d->sched_state = DS_RUNNING;
		d->woken = false;
		pthread_mutex_unlock(&pool.mu);

		driver_result r = exec_driver_run(d);

		pthread_mutex_lock(&pool.mu);
		if (r == DRIVER_FINISHED) {
			d->sched_state = DS_FINISHED;
			pthread_mutex_unlock(&pool.mu);
			/* d may be freed by the query once this returns. */
			exec_query_driver_finished(d->query, d, d->error);
			pthread_mutex_lock(&pool.mu);
		} else if (r == DRIVER_YIELD || d->woken) {
			enqueue(d);
		} else {
			d->sched_state = DS_PARKED;
		}
	}
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

ferr *exec_pool_start(int nthreads)
{
	if (nthreads < 1)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "executor needs at least one thread");
	pthread_mutex_lock(&pool.mu);
	if (pool.nthreads > 0) {
		pthread_mutex_unlock(&pool.mu);
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "executor pool already started");
	}
	pool.stopping = false;
	pool.threads = xcalloc((size_t)nthreads, sizeof(pthread_t));
	for (int i = 0; i < nthreads; i++) {
		if (pthread_create(&pool.threads[i], NULL, pool_thread, NULL) != 0) {
			pool.stopping = true;
			pthread_cond_broadcast(&pool.cond);
			pthread_mutex_unlock(&pool.mu);
			for (int k = 0; k < i; k++)
				pthread_join(pool.threads[k], NULL);
			free(pool.threads);
			pool.threads = NULL;
			return ferr_new(SQLSTATE_INSUFFICIENT_RESOURCES,
			                "could not start executor thread %d", i);
		}
	}
	pool.nthreads = nthreads;
	pthread_mutex_unlock(&pool.mu);
	return NULL;
}

/* Queries must be destroyed first: stopping leaves parked drivers parked. */
void exec_pool_stop(void)
{
	pthread_mutex_lock(&pool.mu);
	int n = pool.nthreads;
	pool.stopping = true;
	pthread_cond_broadcast(&pool.cond);
	pthread_mutex_unlock(&pool.mu);
	for (int i = 0; i < n; i++)
		pthread_join(pool.threads[i], NULL);
	pthread_mutex_lock(&pool.mu);
	free(pool.threads);
	pool.threads = NULL;
	pool.nthreads = 0;
	pthread_mutex_unlock(&pool.mu);
}

int exec_pool_threads(void)
{
	pthread_mutex_lock(&pool.mu);
	int n = pool.nthreads;
	pthread_mutex_unlock(&pool.mu);
	return n;
}
