/*
 * limit.c — LIMIT/OFFSET. The counters are shared by every driver of the
 * node, so a parallel fragment still emits at most limit rows in total.
 * Never pulls from its child once the limit is reached, and never copies
 * rows: it only narrows the selection vector.
 */
#include "exec/operator.h"

static ferr *limit_next(exec_op *op, exec_status *st, batch **out)
{
	exec_shared *sh = op->shared;
	pthread_mutex_lock(&sh->mu);
	bool full = sh->take_left == 0;
	pthread_mutex_unlock(&sh->mu);
	if (full) {
		*st = EXEC_DONE;
		return NULL;
	}
	batch *in;
	TRY(exec_op_next(op->children[0], st, &in));
	if (*st != EXEC_BATCH) return NULL;
	int skip, take;
	pthread_mutex_lock(&sh->mu);
	skip = sh->skip_left < in->count ? (int)sh->skip_left : in->count;
	sh->skip_left -= skip;
	take = in->count - skip;
	if (sh->take_left >= 0 && sh->take_left < take) take = (int)sh->take_left;
	if (sh->take_left > 0) sh->take_left -= take;
	pthread_mutex_unlock(&sh->mu);
	batch *b = exec_batch_view(op->out, in);
	if (skip > 0 || take < in->count) {
		uint16_t *sel =
		    arena_alloc(op->out, sizeof(uint16_t) * (size_t)(take > 0 ? take : 1));
		for (int i = 0; i < take; i++)
			sel[i] = (uint16_t)batch_row(in, skip + i);
		b->sel = sel;
		b->count = take;
	}
	*out = b;
	return NULL;
}

static const exec_op_ops limit_ops = {limit_next, NULL};

ferr *exec_limit_create(exec_op *op)
{
	if (op->nchildren != 1 || !op->shared)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed limit node");
	op->ops = &limit_ops;
	return NULL;
}
