/*
 * group_id.c — GROUPING SETS, ROLLUP and CUBE before one aggregation
 * (Trino's GroupId): each input batch is emitted once per grouping set,
 * with the group columns outside the set replaced by NULL and the set's
 * index appended, so the aggregation above groups by (columns, index).
 * Input columns pass through untouched, which keeps aggregate arguments
 * intact even when the same column is nulled as a group key. Never copies
 * column data: every output shares the child's vectors or constants.
 */
#include <string.h>

#include "exec/operator.h"

typedef struct group_id_state {
	batch *in;   /* current input batch */
	int set;     /* next grouping set to emit for it */
	vector *nulls; /* per group column: a constant NULL of its type */
} group_id_state;

static void const_vector(vector *v, arena *a, ftype t, bool null)
{
	memset(v, 0, sizeof *v);
	vector_init(v, a, t, 1);
	memset(v->data, 0, ftype_width(t));
	v->is_const = true;
	if (null) v->validity = arena_zalloc(a, sizeof(uint64_t));
}

static ferr *group_id_next(exec_op *op, exec_status *st, batch **out)
{
	group_id_state *s = op->impl;
	const pnode *n = op->node;
	if (!s->in || s->set >= n->nsets) {
		do {
			TRY(exec_op_next(op->children[0], st, &s->in));
			if (*st != EXEC_BATCH) {
				s->in = NULL;
				return NULL;
			}
		} while (s->in->count == 0);
		s->set = 0;
	}
	const batch *in = s->in;
	uint64_t mask = n->sets[s->set];
	batch *b = exec_batch_view(op->out, in); /* count and selection stay the child's */
	b->ncols = n->ncols;
	b->arena = op->out;
	b->cols = arena_zalloc(op->out, sizeof(vector) * (size_t)n->ncols);
	for (int k = 0; k < n->ngroup; k++)
		b->cols[k] = (mask >> k) & 1 ? in->cols[n->group_cols[k]] : s->nulls[k];
	memcpy(b->cols + n->ngroup, in->cols, sizeof(vector) * (size_t)in->ncols);
	vector *gid = &b->cols[n->ncols - 1];
	const_vector(gid, op->out, ftype_make(TYPE_INT4), false);
	*(int32_t *)gid->data = s->set;
	s->set++;
	*st = EXEC_BATCH;
	*out = b;
	return NULL;
}

static const exec_op_ops group_id_ops = {group_id_next, NULL};

ferr *exec_group_id_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren != 1 || n->ngroup > 64 || n->types[n->ncols - 1].id != TYPE_INT4)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed group id node");
	group_id_state *s = arena_zalloc(op->state, sizeof(group_id_state));
	s->nulls = arena_zalloc(op->state, sizeof(vector) * (size_t)(n->ngroup + 1));
	for (int k = 0; k < n->ngroup; k++) const_vector(&s->nulls[k], op->state, n->types[k], true);
	op->impl = s;
	op->ops = &group_id_ops;
	return NULL;
}
