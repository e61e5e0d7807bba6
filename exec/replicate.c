/*
 * replicate.c — repeats each input row as often as its count column says
 * (zero or negative: not at all). INTERSECT ALL and EXCEPT ALL use it after
 * counting each side's rows. Output rows are gathered shallowly from the
 * child's batch, which stays valid because the child is not pulled again
 * until every repeat of its batch has been emitted.
 */
#include "exec/operator.h"

typedef struct replicate_state {
	batch *in;       /* current input batch, NULL when one must be pulled */
	int pos;         /* live row of in being repeated */
	int64_t left;    /* repeats still owed for that row */
	bool row_loaded; /* left holds the count of row pos */
	exec_row_ref *refs;
} replicate_state;

static ferr *replicate_next(exec_op *op, exec_status *st, batch **out)
{
	replicate_state *s = op->impl;
	const pnode *n = op->node;
	for (;;) {
		if (!s->in) {
			TRY(exec_op_next(op->children[0], st, &s->in));
			if (*st != EXEC_BATCH) {
				s->in = NULL;
				return NULL;
			}
			s->pos = 0;
			s->row_loaded = false;
		}
		int nout = 0;
		const vector *cnt = &s->in->cols[n->count_col];
		while (nout < BATCH_CAPACITY && s->pos < s->in->count) {
			int r = batch_row(s->in, s->pos);
			if (!s->row_loaded) {
				s->left = vector_is_null(cnt, r) ? 0 : *(const int64_t *)vector_at(cnt, r);
				s->row_loaded = true;
			}
			if (s->left <= 0) {
				s->pos++;
				s->row_loaded = false;
				continue;
			}
			s->refs[nout++] = (exec_row_ref){s->in, r};
			s->left--;
		}
		if (s->pos >= s->in->count) {
			/* the batch built below still points into in: keep it until next call */
			if (nout == 0) {
				s->in = NULL;
				continue;
			}
		}
		*out = exec_gather_rows(op->out, n->ncols, n->types, s->refs, nout);
		if (s->pos >= s->in->count) s->in = NULL;
		*st = EXEC_BATCH;
		return NULL;
	}
}

static const exec_op_ops replicate_ops = {replicate_next, NULL};

ferr *exec_replicate_create(exec_op *op)
{
	if (op->nchildren != 1 || op->node->types[op->node->count_col].id != TYPE_INT8)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed replicate node");
	replicate_state *s = arena_zalloc(op->state, sizeof(replicate_state));
	s->refs = arena_alloc(op->state, sizeof(exec_row_ref) * BATCH_CAPACITY);
	op->impl = s;
	op->ops = &replicate_ops;
	return NULL;
}
