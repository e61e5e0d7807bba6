/*
 * batch.c — column batches and vectors (see batch.h).
 * All storage comes from the arena passed in; nothing here mallocs or
 * frees, and nothing switches on types except through ftype_width.
 */
#include "exec/batch.h"

#include <string.h>

#include "exec/operator.h"

void vector_init(vector *v, arena *a, ftype t, int capacity)
{
	size_t w = ftype_width(t);
	v->type = t;
	v->data = arena_alloc(a, (capacity > 0 ? (size_t)capacity : 1) * (w ? w : 1));
	v->validity = NULL;
	v->is_const = false;
}

batch *batch_create(arena *a, int ncols, const ftype *types, int capacity)
{
	batch *b = arena_zalloc(a, sizeof(*b));
	b->ncols = ncols;
	b->capacity = capacity;
	b->arena = a;
	b->cols = arena_zalloc(a, (ncols > 0 ? (size_t)ncols : 1) * sizeof(vector));
	for (int i = 0; i < ncols; i++)
		vector_init(&b->cols[i], a, types[i], capacity);
	return b;
}

void vector_set_null(vector *v, arena *a, int row, int capacity)
{
	if (!v->validity) {
		size_t words = ((size_t)(capacity > 0 ? capacity : 1) + 63) / 64;
		v->validity = arena_alloc(a, words * sizeof(uint64_t));
		memset(v->validity, 0xff, words * sizeof(uint64_t));
	}
	v->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
}

void vector_set_string(vector *v, arena *a, int row, const char *p, uint32_t len)
{
	char *copy = arena_alloc(a, len ? len : 1);
	if (len) memcpy(copy, p, len);
	fstring *s = (fstring *)v->data + row;
	s->len = len;
	s->ptr = copy;
}

/* Deep copy: the result shares nothing with src, so src's arena may go. */
batch *batch_compact(arena *a, const batch *src)
{
	batch *b = arena_zalloc(a, sizeof(*b));
	b->ncols = src->ncols;
	b->count = src->count;
	b->capacity = src->count > 0 ? src->count : 1;
	b->arena = a;
	b->cols = arena_zalloc(a, (src->ncols > 0 ? (size_t)src->ncols : 1) * sizeof(vector));
	for (int c = 0; c < src->ncols; c++) {
		vector *dv = &b->cols[c];
		const vector *sv = &src->cols[c];
		vector_init(dv, a, sv->type, b->capacity);
		if (!src->sel && !sv->is_const && !exec_type_is_string(sv->type)) {
			/* Dense fixed-width column: one memcpy for the values and the bitmap. */
			memcpy(dv->data, sv->data, ftype_width(sv->type) * (size_t)src->count);
			if (sv->validity) {
				size_t words = ((size_t)b->capacity + 63) / 64;
				dv->validity = arena_alloc(a, words * sizeof(uint64_t));
				memcpy(dv->validity, sv->validity,
				       ((size_t)src->count + 63) / 64 * sizeof(uint64_t));
			}
			continue;
		}
		for (int i = 0; i < src->count; i++)
			exec_copy_value(dv, i, b->capacity, sv, batch_row(src, i), a, true);
	}
	return b;
}

int batch_append(batch *dst, const batch *src, int first)
{
	int n = src->count - first;
	if (n > dst->capacity - dst->count) n = dst->capacity - dst->count;
	if (n <= 0) return 0;
	for (int c = 0; c < dst->ncols; c++)
		for (int i = 0; i < n; i++)
			exec_copy_value(&dst->cols[c], dst->count + i, dst->capacity, &src->cols[c],
			                batch_row(src, first + i), dst->arena, true);
	dst->count += n;
	return n;
}
