/*
 * batch.h — the column batch that every operator consumes and produces.
 *
 * A batch holds up to BATCH_CAPACITY rows as one vector per column. A vector
 * has a type, a values array in the layout of types.h, and a validity bitmap
 * (bit set = value present; validity == NULL means no nulls). A batch may
 * carry a selection vector: then only rows sel[0..count) are live, and
 * count is their number; without one, rows 0..count are live.
 * Memory of a batch (values, strings, bitmaps) comes from the batch's arena.
 */
#ifndef FERRY_BATCH_H
#define FERRY_BATCH_H

#include "exec/types.h"

#define BATCH_CAPACITY 2048

typedef struct vector {
	ftype type;
	void *data;        /* capacity * ftype_width(type) bytes */
	uint64_t *validity; /* NULL = all valid; bit i of word i/64 = row i valid */
	/* Constant vector: only row 0 holds a value, it applies to every row. */
	bool is_const;
} vector;

typedef struct batch {
	int ncols;
	int count;         /* live rows */
	int capacity;      /* rows allocated in each vector */
	vector *cols;
	uint16_t *sel;     /* NULL or count row indices, ascending */
	arena *arena;      /* owns everything above */
} batch;

batch *batch_create(arena *a, int ncols, const ftype *types, int capacity);
/* Allocate a vector's storage (data, no validity) in arena a. */
void vector_init(vector *v, arena *a, ftype t, int capacity);
void vector_set_null(vector *v, arena *a, int row, int capacity);
static inline bool vector_is_null(const vector *v, int row)
{
	if (v->is_const) row = 0;
	return v->validity && !((v->validity[row >> 6] >> (row & 63)) & 1);
}
static inline void *vector_at(const vector *v, int row)
{
	if (v->is_const) row = 0;
	return (char *)v->data + (size_t)row * ftype_width(v->type);
}
/* Row index of the i-th live row. */
static inline int batch_row(const batch *b, int i) { return b->sel ? b->sel[i] : i; }
/* Copy a string into the batch arena and store it at row. */
void vector_set_string(vector *v, arena *a, int row, const char *p, uint32_t len);
/*
 * Append the live rows of src to dst (same column types, no selection),
 * starting at row dst->count; at most dst->capacity - dst->count rows are
 * taken, beginning with src's live row first. Strings are copied into dst's
 * arena. Returns the number of rows taken.
 */
int batch_append(batch *dst, const batch *src, int first);
/* Materialize: copy live rows of src into a new batch without selection. */
batch *batch_compact(arena *a, const batch *src);

#endif
