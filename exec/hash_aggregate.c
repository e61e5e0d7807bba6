/*
 * hash_aggregate.c — GROUP BY and global aggregates. Groups live in an
 * open-addressing table keyed by value_hash over the group columns (NULLs
 * form one group, as in SQL); aggregate states come from agg_funcs.
 * count(DISTINCT x) keeps a set of (group, x) and feeds only new pairs.
 * Parallel drivers of one node each build a partial table; the last one to
 * finish merges them all (agg_merge) and emits: two-phase aggregation
 * without a second operator. Never keeps pointers into input batches.
 *
 * Spill: past half the memory limit (spilling on) a driver freezes its
 * table: rows of groups it holds still fold in, rows of any other group are
 * written, as they came, to one of SPILL_PARTS files chosen by the top bits
 * of the group hash. Every group is thus whole in one place. The last
 * driver folds the spilled rows into the merged table the same way (misses
 * go one level deeper), emits it, frees it, then aggregates each partition
 * file into a fresh table, recursively.
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

#define SPILL_PARTS 16
#define SPILL_MAX_LEVEL 14 /* 4 hash bits a level, the top 56 bits in all */

/* Where rows of groups a frozen table does not hold go. */
typedef struct agg_spill {
	exec_op *op;
	bool frozen;
	int level;
	spill_file *parts[SPILL_PARTS];
} agg_spill;

typedef struct agg_state {
	agg_table *tbl;
	agg_table *emit; /* table being emitted, NULL while consuming */
	int cursor;
	bool done;
	agg_spill sp; /* this driver's input */
	arena *scratch; /* one input batch's temporaries: reset after each */
	/* last driver: partition files still to aggregate, with their levels */
	spill_file **pending;
	int *pending_level;
	int npending, cap_pending;
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

static int find_group(const agg_table *t, uint64_t h, const vector *const *cols, int row)
{
	uint32_t i = (uint32_t)h & (t->nslots - 1);
	for (;;) {
		int32_t g = t->slots[i];
		if (g < 0) return -1;
		if (t->hashes[g] == h && keys_equal(t, g, cols, row)) return g;
		i = (i + 1) & (t->nslots - 1);
	}
}

/* A table in an arena of its own (a child of parent), so it can go when emitted. */
static agg_table *table_create(arena *parent, const pnode *n)
{
	arena *a = arena_create(parent, "aggregation table");
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

/* Rows sel[0..n) of b to the partition files of sp (made on first use). */
static ferr *spill_rows(agg_spill *sp, const batch *b, const uint16_t *sel, const uint64_t *h,
                        int n, arena *tmp)
{
	int shift = 60 - 4 * sp->level;
	for (int p = 0; p < SPILL_PARTS; p++) {
		batch *v = exec_batch_view(tmp, b);
		uint16_t *rows = arena_alloc(tmp, sizeof(uint16_t) * (size_t)(n ? n : 1));
		int m = 0;
		for (int i = 0; i < n; i++)
			if ((int)((h[i] >> shift) & (SPILL_PARTS - 1)) == p) rows[m++] = sel[i];
		if (!m) continue;
		v->sel = rows;
		v->count = m;
		if (!sp->parts[p]) TRY(spill_file_create(sp->op->env->spill, &sp->parts[p]));
		int64_t before = spill_file_bytes(sp->parts[p]);
		ferr *e = spill_file_write(sp->parts[p], v);
		sp->op->spilled_bytes += spill_file_bytes(sp->parts[p]) - before;
		TRY(e);
	}
	return NULL;
}

static ferr *table_fold(agg_table *t, const batch *b, const int *gids, arena *tmp);

/*
 * Fold b into t. A frozen table (sp->frozen) takes no new group: the rows
 * of groups it lacks go to sp's partition files instead.
 */
static ferr *table_update(agg_table *t, const batch *b, const int *group_cols, arena *tmp,
                          agg_spill *sp)
{
	int n = b->count;
	if (n == 0) return NULL;
	int *gids = arena_alloc(tmp, sizeof(int) * (size_t)n);
	if (t->nkeys == 0) {
		memset(gids, 0, sizeof(int) * (size_t)n);
		return table_fold(t, b, gids, tmp);
	}
	const vector **cols = arena_alloc(tmp, sizeof(vector *) * (size_t)t->nkeys);
	for (int k = 0; k < t->nkeys; k++)
		cols[k] = &b->cols[group_cols[k]];
	if (!sp || !sp->frozen) {
		for (int i = 0; i < n; i++) {
			int r = batch_row(b, i);
			gids[i] = find_or_insert(t, exec_hash_row(b, r, t->nkeys, group_cols), cols, r);
		}
		return table_fold(t, b, gids, tmp);
	}
	uint16_t *hit = arena_alloc(tmp, sizeof(uint16_t) * (size_t)n);
	uint16_t *miss = arena_alloc(tmp, sizeof(uint16_t) * (size_t)n);
	uint64_t *miss_h = arena_alloc(tmp, sizeof(uint64_t) * (size_t)n);
	int nh = 0, nm = 0;
	for (int i = 0; i < n; i++) {
		int r = batch_row(b, i);
		uint64_t h = exec_hash_row(b, r, t->nkeys, group_cols);
		int g = find_group(t, h, cols, r);
		if (g >= 0) {
			gids[nh] = g;
			hit[nh++] = (uint16_t)r;
		} else {
			miss_h[nm] = h;
			miss[nm++] = (uint16_t)r;
		}
	}
	if (nm) TRY(spill_rows(sp, b, miss, miss_h, nm, tmp));
	if (!nh) return NULL;
	batch *v = exec_batch_view(tmp, b);
	v->sel = hit;
	v->count = nh;
	return table_fold(t, v, gids, tmp);
}

/* Fold the live rows of b into the groups gids[i] (one per live row). */
static ferr *table_fold(agg_table *t, const batch *b, const int *gids, arena *tmp)
{
	int n = b->count;
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

/* What the drivers hand in: the merged table and every level-0 partition file. */
typedef struct agg_shared {
	agg_table *tbl;
	spill_file **files;
	int nfiles, cap;
} agg_shared;

static void push_pending(exec_op *op, agg_state *s, spill_file *f, int level)
{
	if (s->npending == s->cap_pending) {
		int cap = s->cap_pending ? s->cap_pending * 2 : 32;
		s->pending = arena_realloc(op->state, s->pending,
		                           sizeof(spill_file *) * (size_t)s->cap_pending,
		                           sizeof(spill_file *) * (size_t)cap);
		s->pending_level = arena_realloc(op->state, s->pending_level,
		                                 sizeof(int) * (size_t)s->cap_pending,
		                                 sizeof(int) * (size_t)cap);
		s->cap_pending = cap;
	}
	s->pending[s->npending] = f;
	s->pending_level[s->npending++] = level;
}

/*
 * Freeze sp's table once the query is past its spill threshold (never a
 * global one). Merging the drivers' tables may take as much again as they
 * hold, so that is counted in.
 */
static void maybe_freeze(exec_op *op, agg_spill *sp)
{
	if (!sp->frozen && op->node->ngroup > 0 && sp->level <= SPILL_MAX_LEVEL &&
	    exec_op_should_spill(op, op->mem ? mem_tracker_current(op->mem) : 0))
		sp->frozen = true;
}

/*
 * Fold every row of f into t (sp says whether t takes new groups) and drop
 * f. Misses go to sp's files, shared by every file folded into t: a group
 * must end up in one partition only.
 */
static ferr *fold_file(exec_op *op, agg_table *t, spill_file *f, agg_spill *sp)
{
	TRY(spill_file_rewind(f));
	for (;;) {
		arena *a = arena_create(op->state, "aggregation spill batch");
		batch *b;
		ferr *e = spill_file_read(f, a, &b);
		if (!e && b) e = table_update(t, b, op->node->group_cols, a, sp);
		arena_destroy(a);
		TRY(e);
		if (!b) break;
		TRY(exec_env_check(op->env));
		maybe_freeze(op, sp);
	}
	spill_file_close(f);
	return NULL;
}

/* Queue the partition files t's misses went to. */
static void queue_parts(exec_op *op, agg_state *s, const agg_spill *sp)
{
	for (int p = 0; p < SPILL_PARTS; p++)
		if (sp->parts[p]) push_pending(op, s, sp->parts[p], sp->level);
}

/* The last driver: fold the spilled rows into the merged table before it is emitted. */
static ferr *start_emit(exec_op *op, agg_state *s, agg_shared *as)
{
	s->emit = as->tbl;
	agg_spill sp = {.op = op, .frozen = true, .level = 1};
	for (int i = 0; i < as->nfiles; i++)
		TRY(fold_file(op, as->tbl, as->files[i], &sp));
	queue_parts(op, s, &sp);
	return NULL;
}

/* The emitted table is done: free it and aggregate the next partition, if any. */
static ferr *next_partition(exec_op *op, agg_state *s)
{
	arena_destroy(s->emit->a);
	s->emit = NULL;
	s->cursor = 0;
	if (!s->npending) return NULL;
	s->npending--;
	spill_file *f = s->pending[s->npending];
	agg_spill sp = {.op = op, .level = s->pending_level[s->npending] + 1};
	agg_table *t = table_create(op->state, op->node);
	TRY(fold_file(op, t, f, &sp));
	queue_parts(op, s, &sp);
	s->emit = t;
	return NULL;
}

/* Hand this driver's table and partition files in; true for the last driver. */
static ferr *hand_in(exec_op *op, agg_state *s, bool *last)
{
	exec_shared *sh = op->shared;
	ferr *e = NULL;
	pthread_mutex_lock(&sh->mu);
	agg_shared *as = sh->data;
	if (!as) {
		as = sh->data = arena_zalloc(op->state, sizeof(*as));
		as->tbl = s->tbl;
	} else {
		/* The merge deep-copies keys and states (agg_merge copies strings and
		 * lists into the destination's arena): our table can go at once. */
		e = table_merge(as->tbl, s->tbl, op->out);
		arena_destroy(s->tbl->a);
		s->tbl = NULL;
	}
	for (int p = 0; p < SPILL_PARTS; p++) {
		if (!s->sp.parts[p]) continue;
		if (as->nfiles == as->cap) {
			int cap = as->cap ? as->cap * 2 : 32;
			as->files = arena_realloc(op->state, as->files,
			                          sizeof(spill_file *) * (size_t)as->cap,
			                          sizeof(spill_file *) * (size_t)cap);
			as->cap = cap;
		}
		as->files[as->nfiles++] = s->sp.parts[p];
	}
	*last = --sh->remaining == 0;
	pthread_mutex_unlock(&sh->mu);
	return e;
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
			/* not op->out: one next() call may fold many batches (no quantum),
			 * and their temporaries would add up there until it returns */
			if (!s->scratch) s->scratch = arena_create(op->state, "aggregation input");
			ferr *ue = table_update(s->tbl, in, n->group_cols, s->scratch, &s->sp);
			arena_reset(s->scratch);
			TRY(ue);
			maybe_freeze(op, &s->sp);
			TRY(exec_env_check(op->env));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		/* Input exhausted: hand the partial table in; the last driver emits. */
		bool last;
		TRY(hand_in(op, s, &last));
		s->done = true;
		if (last) TRY(start_emit(op, s, op->shared->data));
	}
	while (s->emit && s->cursor >= s->emit->ngroups)
		TRY(next_partition(op, s));
	if (!s->emit) {
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
	s->sp.op = op;
	op->impl = s;
	op->ops = &agg_ops;
	return NULL;
}
