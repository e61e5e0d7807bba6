/*
 * agg_funcs.h — per-aggregate state, update, merge and finalize over vectors.
 * The hash aggregate operator owns grouping, DISTINCT and memory; this module
 * only knows how one aggregate folds values into a fixed-size state.
 *
 * Contract:
 *  - A state is agg_state_size(c) bytes, 16-byte aligned, initialised by
 *    agg_init before first use. It holds no pointers to batch memory: text
 *    values kept by min/max are copied into the arena passed to update/merge,
 *    which must live as long as the state (the aggregation arena).
 *  - agg_update folds the live rows of b: states[i] is the state of the group
 *    of the i-th live row (batch_row(b, i)); arg is the argument vector
 *    (indexed by physical row like b's columns), NULL for count(*). NULL
 *    arguments are skipped as SQL requires.
 *  - agg_merge folds a partial state src into dst (two-phase aggregation:
 *    partial aggregates in each task, merge in the final step).
 *  - agg_finalize writes the result (type c->result) at row of out, setting
 *    NULL for empty sum/avg/min/max. out must be allocated for c->result.
 */
#ifndef FERRY_AGG_FUNCS_H
#define FERRY_AGG_FUNCS_H

#include "exec/batch.h"
#include "exec/expr.h"
#include "exec/plan.h"

size_t agg_state_size(const agg_call *c);

/* A row counts for an aggregate with x.has_filter only where the filter column is true. */
static inline bool agg_filter_passes(const vector *filter, int row)
{
	return !vector_is_null(filter, row) && ((const bool *)filter->data)[filter->is_const ? 0 : row];
}
void agg_init(const agg_call *c, void *state);
/* Errors: 22003 on bigint/numeric overflow of sum. */
ferr *agg_update(const agg_call *c, void **states, const vector *arg, const batch *b, arena *a);
ferr *agg_merge(const agg_call *c, void *dst, const void *src, arena *a);
void agg_finalize(const agg_call *c, const void *state, vector *out, int row, arena *a);

/* The kinds after AGG_MAX (agg_funcs_ext.c), called by the functions above. */
ferr *agg_ext_update(const agg_call *c, void **states, const vector *arg, const batch *b, arena *a);
ferr *agg_ext_merge(const agg_call *c, void *dst, const void *src, arena *a);
void agg_ext_finalize(const agg_call *c, const void *state, vector *out, int row, arena *a);

#endif
