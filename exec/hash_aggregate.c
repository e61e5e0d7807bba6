/*
 * hash_aggregate.c — GROUP BY and global aggregates. Groups live in an
 * open-addressing table keyed by value_hash over the group columns (NULLs
 * form one group, as in SQL); aggregate states come from agg_funcs.
 * count(DISTINCT x) keeps a set of (group, x) and feeds only new pairs.
 * Parallel drivers of one node each build a partial table; the last one to
 * finish merges them all (agg_merge) and emits: two-phase aggregation
 * without a second operator. Never keeps pointers into input batches.
 */
#include "exec/operator.h"

#include <string.h>

#define CHUNK BATCH_CAPACITY

/* (group, value) pairs already seen by one DISTINCT aggregate. */
typedef struct dset {
	ftype type;
	int n, cap;
	uint64_t *hashes;
	int32_t *gids;
	vector *chunks; /* value i in chunks[i / CHUNK], row i % CHUNK */
	int nchunks;
	int32_t *slots;
	uint32_t nslots;
} dset;

typedef struct agg_table {
	arena *a;
	int nkeys;
	const ftype *key_types;
	int naggs;
	const agg_call *aggs;
	size_t state_size;
	size_t *offs;
	int ngroups, cap;
	uint64_t *hashes;
	char **states;
	vector **keys; /* keys[chunk][k] */
	int nchunks;
	int32_t *slots;
	uint32_t nslots;
	dset **dsets; /* per aggregate; NULL unless DISTINCT */
} agg_table;

typedef struct agg_state {
	agg_table *tbl;
	agg_table *emit; /* table being emitted, NULL while consuming */
	int cursor;
	bool done;
} agg_state;

static int32_t *new_slots(arena *a, uint32_t n)
{
	int32_t *s = arena_alloc(a, sizeof(int32_t) * n);
	memset(s, 0xff, sizeof(int32_t) * n);
	return s;
}

static bool keys_equal(const agg_table *t, int gid, const vector *const *cols, int row)
{
	const vector *gk = t->keys[gid / CHUNK];
	int gr = gid % CHUNK;
	for (int k = 0; k < t->nkeys; k++) {
		bool n1 = vector_is_null(&gk[k], gr), n2 = vector_is_null(cols[k], row);
		if (n1 != n2) return false;
		if (n1) continue;
		if (value_compare(gk[k].type, vector_at(&gk[k], gr), vector_at(cols[k], row)) != 0)
			return false;
	}
	return true;
}

static void rehash(agg_table *t)
{
	uint32_t n = t->nslots * 2;
	int32_t *s = new_slots(t->a, n);
	for (int g = 0; g < t->ngroups; g++) {
		uint32_t i = (uint32_t)t->hashes[g] & (n - 1);
		while (s[i] >= 0)
			i = (i + 1) & (n - 1);
		s[i] = g;
	}
	t->slots = s;
	t->nslots = n;
}

static int find_or_insert(agg_table *t, uint64_t h, const vector *const *cols, int row)
{
	uint32_t i = (uint32_t)h & (t->nslots - 1);
	for (;;) {
		int32_t g = t->slots[i];
		if (g < 0) break;
		if (t->hashes[g] == h && keys_equal(t, g, cols, row)) return g;
		i = (i + 1) & (t->nslots - 1);
	}
	int g = t->ngroups++;
	if (g == t->cap) {
		int cap = t->cap * 2;
		t->hashes = arena_realloc(t->a, t->hashes, sizeof(uint64_t) * (size_t)t->cap,
		                          sizeof(uint64_t) * (size_t)cap);
		t->states = arena_realloc(t->a, t->states, sizeof(char *) * (size_t)t->cap,
		                          sizeof(char *) * (size_t)cap);
		t->cap = cap;
	}
	if (g / CHUNK == t->nchunks) {
		vector **keys = arena_alloc(t->a, sizeof(vector *) * (size_t)(t->nchunks + 1));
		if (t->nchunks) memcpy(keys, t->keys, sizeof(vector *) * (size_t)t->nchunks);
		keys[t->nchunks] =
		    arena_zalloc(t->a, sizeof(vector) * (size_t)(t->nkeys ? t->nkeys : 1));
		for (int k = 0; k < t->nkeys; k++)
			vector_init(&keys[t->nchunks][k], t->a, t->key_types[k], CHUNK);
		t->keys = keys;
		t->nchunks++;
	}
	for (int k = 0; k < t->nkeys; k++)
		exec_copy_value(&t->keys[g / CHUNK][k], g % CHUNK, CHUNK, cols[k], row, t->a, true);
	t->hashes[g] = h;
	char *st = arena_alloc(t->a, t->state_size ? t->state_size : 16);
	for (int j = 0; j < t->naggs; j++)
		agg_init(&t->aggs[j], st + t->offs[j]);
	t->states[g] = st;
	t->slots[i] = g;
	if ((uint32_t)t->ngroups * 2 > t->nslots) rehash(t);
	return g;
}

static agg_table *table_create(arena *a, const pnode *n)
{
	agg_table *t = arena_zalloc(a, sizeof(*t));
	t->a = a;
	t->nkeys = n->ngroup;
	t->key_types = n->types;
	t->naggs = n->naggs;
	t->aggs = n->aggs;
	t->offs = arena_alloc(a, sizeof(size_t) * (size_t)(n->naggs + 1));
	for (int j = 0; j < n->naggs; j++) {
		t->offs[j] = t->state_size;
		t->state_size += (agg_state_size(&n->aggs[j]) + 15) & ~(size_t)15;
	}
	t->cap = 64;
	t->hashes = arena_alloc(a, sizeof(uint64_t) * (size_t)t->cap);
	t->states = arena_alloc(a, sizeof(char *) * (size_t)t->cap);
	t->nslots = 128;
	t->slots = new_slots(a, t->nslots);
	t->dsets = arena_zalloc(a, sizeof(dset *) * (size_t)(n->naggs + 1));
	for (int j = 0; j < n->naggs; j++) {
		if (!n->aggs[j].distinct) continue;
		dset *d = arena_zalloc(a, sizeof(*d));
		d->cap = 64;
		d->hashes = arena_alloc(a, sizeof(uint64_t) * (size_t)d->cap);
		d->gids = arena_alloc(a, sizeof(int32_t) * (size_t)d->cap);
		d->nslots = 128;
		d->slots = new_slots(a, d->nslots);
		t->dsets[j] = d;
	}
	/* A global aggregate has exactly one group even over no rows. */
	if (t->nkeys == 0) find_or_insert(t, 0, NULL, 0);
	return t;
}

/* Add (gid, v[row]) to d; true when it was not there yet. */
static bool dset_add(dset *d, arena *a, int gid, const vector *v, int row)
{
	bool isnull = vector_is_null(v, row); /* array_agg(DISTINCT x) keeps one NULL */
	uint64_t h = exec_hash_combine((uint64_t)gid * 0x9e3779b97f4a7c15ULL,
	                               isnull ? 0 : value_hash(v->type, vector_at(v, row)));
	uint32_t i = (uint32_t)h & (d->nslots - 1);
	for (;;) {
		int32_t e = d->slots[i];
		if (e < 0) break;
		if (d->hashes[e] == h && d->gids[e] == gid) {
			const vector *dv = &d->chunks[e / CHUNK];
			bool dnull = vector_is_null(dv, e % CHUNK);
			if (dnull && isnull) return false;
			if (!dnull && !isnull && value_compare(v->type, vector_at(dv, e % CHUNK), vector_at(v, row)) == 0)
				return false;
		}
		i = (i + 1) & (d->nslots - 1);
	}
	int e = d->n++;
	if (e == d->cap) {
		int cap = d->cap * 2;
		d->hashes = arena_realloc(a, d->hashes, sizeof(uint64_t) * (size_t)d->cap,
		                          sizeof(uint64_t) * (size_t)cap);
		d->gids = arena_realloc(a, d->gids, sizeof(int32_t) * (size_t)d->cap,
		                        sizeof(int32_t) * (size_t)cap);
		d->cap = cap;
	}
	if (e / CHUNK == d->nchunks) {
		vector *c = arena_zalloc(a, sizeof(vector) * (size_t)(d->nchunks + 1));
		if (d->nchunks) memcpy(c, d->chunks, sizeof(vector) * (size_t)d->nchunks);
		vector_init(&c[d->nchunks], a, v->type, CHUNK);
		d->chunks = c;
		d->nchunks++;
	}
	exec_copy_value(&d->chunks[e / CHUNK], e % CHUNK, CHUNK, v, row, a, true);
	d->hashes[e] = h;
	d->gids[e] = gid;
	d->slots[i] = e;
	if ((uint32_t)d->n * 2 > d->nslots) {
		uint32_t n = d->nslots * 2;
		int32_t *s = new_slots(a, n);
		for (int k = 0; k < d->n; k++) {
			uint32_t j = (uint32_t)d->hashes[k] & (n - 1);
			while (s[j] >= 0)
				j = (j + 1) & (n - 1);
			s[j] = k;
		}
		d->slots = s;
		d->nslots = n;
	}
	return true;
}

static ferr *table_update(agg_table *t, const batch *b, const int *group_cols, arena *tmp)
{
	int n = b->count;
	if (n == 0) return NULL;
	int *gids = arena_alloc(tmp, sizeof(int) * (size_t)n);
	if (t->nkeys == 0) {
		memset(gids, 0, sizeof(int) * (size_t)n);
	} else {
		const vector **cols = arena_alloc(tmp, sizeof(vector *) * (size_t)t->nkeys);
		for (int k = 0; k < t->nkeys; k++)
			cols[k] = &b->cols[group_cols[k]];
		for (int i = 0; i < n; i++) {
			int r = batch_row(b, i);
			gids[i] =
			    find_or_insert(t, exec_hash_row(b, r, t->nkeys, group_cols), cols, r);
		}
	}
	void **states = arena_alloc(tmp, sizeof(void *) * (size_t)n);
	for (int j = 0; j < t->naggs; j++) {
		const agg_call *c = &t->aggs[j];
		const vector *arg = c->arg >= 0 ? &b->cols[c->arg] : NULL;
		if (t->dsets[j] && arg) {
			/* Feed only (group, x) pairs not seen before; NULLs are skipped anyway,
			 * but for array_agg, which keeps one NULL as PostgreSQL does. */
			batch *v = exec_batch_view(tmp, b);
			uint16_t *sel = arena_alloc(tmp, sizeof(uint16_t) * (size_t)n);
			const vector *filter = c->x.has_filter ? &b->cols[c->x.filter_col] : NULL;
			int m = 0;
			for (int i = 0; i < n; i++) {
				int r = batch_row(b, i);
				if ((vector_is_null(arg, r) && c->kind != AGG_ARRAY_AGG) ||
				    (filter && !agg_filter_passes(filter, r)) ||
				    !dset_add(t->dsets[j], t->a, gids[i], arg, r))
					continue;
				sel[m] = (uint16_t)r;
				states[m++] = t->states[gids[i]] + t->offs[j];
			}
			v->sel = sel;
			v->count = m;
			if (m) TRY(agg_update(c, states, arg, v, t->a));
			continue;
		}
		for (int i = 0; i < n; i++)
			states[i] = t->states[gids[i]] + t->offs[j];
		TRY(agg_update(c, states, arg, b, t->a));
	}
	return NULL;
}

/* Fold partial table src into dst (two-phase aggregation). */
static ferr *table_merge(agg_table *dst, const agg_table *src, arena *tmp)
{
	int *map = arena_alloc(tmp, sizeof(int) * (size_t)(src->ngroups + 1));
	const vector **cols = arena_alloc(tmp, sizeof(vector *) * (size_t)(src->nkeys + 1));
	for (int g = 0; g < src->ngroups; g++) {
		for (int k = 0; k < src->nkeys; k++)
			cols[k] = &src->keys[g / CHUNK][k];
		map[g] = find_or_insert(dst, src->hashes[g], cols, g % CHUNK);
		for (int j = 0; j < dst->naggs; j++)
			if (!dst->dsets[j])
				TRY(agg_merge(&dst->aggs[j], dst->states[map[g]] + dst->offs[j],
				              src->states[g] + src->offs[j], dst->a));
	}
	for (int j = 0; j < dst->naggs; j++) {
		const dset *sd = src->dsets[j];
		if (!sd) continue;
		for (int e = 0; e < sd->n; e++) {
			const vector *v = &sd->chunks[e / CHUNK];
			int gid = map[sd->gids[e]];
			if (!dset_add(dst->dsets[j], dst->a, gid, v, e % CHUNK)) continue;
			uint16_t row = (uint16_t)(e % CHUNK);
			batch one = {.ncols = 0, .count = 1, .capacity = CHUNK, .sel = &row};
			void *st = dst->states[gid] + dst->offs[j];
			TRY(agg_update(&dst->aggs[j], &st, v, &one, dst->a));
		}
	}
	return NULL;
}

static batch *table_emit(const agg_table *t, const pnode *n, int cursor, arena *a)
{
	int count = t->ngroups - cursor;
	if (count > CHUNK) count = CHUNK;
	batch *b = arena_zalloc(a, sizeof(*b));
	b->ncols = n->ncols;
	b->count = count;
	b->capacity = CHUNK;
	b->arena = a;
	b->cols = arena_zalloc(a, sizeof(vector) * (size_t)(n->ncols > 0 ? n->ncols : 1));
	/* Group keys are already laid out as vectors: hand them out as they are. */
	for (int k = 0; k < t->nkeys; k++)
		b->cols[k] = t->keys[cursor / CHUNK][k];
	for (int j = 0; j < t->naggs; j++) {
		vector *v = &b->cols[t->nkeys + j];
		vector_init(v, a, n->types[t->nkeys + j], CHUNK);
		for (int i = 0; i < count; i++)
			agg_finalize(&t->aggs[j], t->states[cursor + i] + t->offs[j], v, i, a);
	}
	return b;
}

static ferr *agg_next(exec_op *op, exec_status *st, batch **out)
{
	agg_state *s = op->impl;
	const pnode *n = op->node;
	while (!s->emit) {
		if (s->done) {
			*st = EXEC_DONE;
			return NULL;
		}
		batch *in;
		TRY(exec_op_next(op->children[0], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_BATCH) {
			TRY(table_update(s->tbl, in, n->group_cols, op->out));
			TRY(exec_env_check(op->env));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		/* Input exhausted: hand the partial table in; the last driver emits. */
		exec_shared *sh = op->shared;
		ferr *e = NULL;
		pthread_mutex_lock(&sh->mu);
		if (!sh->data)
			sh->data = s->tbl;
		else
			e = table_merge(sh->data, s->tbl, op->out);
		bool last = --sh->remaining == 0;
		pthread_mutex_unlock(&sh->mu);
		if (e) return e;
		s->done = true;
		if (last) s->emit = sh->data;
	}
	if (s->cursor >= s->emit->ngroups) {
		*st = EXEC_DONE;
		return NULL;
	}
	*out = table_emit(s->emit, n, s->cursor, op->out);
	s->cursor += (*out)->count;
	*st = EXEC_BATCH;
	return NULL;
}

static const exec_op_ops agg_ops = {agg_next, NULL};

ferr *exec_hash_agg_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren != 1 || !op->shared || n->ncols != n->ngroup + n->naggs)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed aggregate node");
	agg_state *s = arena_zalloc(op->state, sizeof(*s));
	s->tbl = table_create(op->state, n);
	op->impl = s;
	op->ops = &agg_ops;
	return NULL;
}
