/*
 * hash_join.c — equi-join: the build side (children[1]) is materialized and
 * hashed on build_keys; the probe side (children[0]) streams through.
 * Candidate pairs are checked by the residual join_filter a batch at a
 * time. Supports INNER, LEFT, RIGHT, FULL, SEMI and ANTI; NULL keys never
 * match (unless nulls_equal: IS NOT DISTINCT FROM keys). RIGHT/FULL remember which build rows matched and emit the rest at
 * the end, so they are refused where drivers would each see the same build rows.
 * With no keys every build row is a candidate (nested loop, for cross joins
 * and non-equi conditions). A null_aware ANTI join is NOT IN's semantics.
 * RIGHT_SEMI/RIGHT_ANTI (EXISTS / NOT EXISTS built on the small preserved
 * side) mark build rows as RIGHT does, with the residual true; a build row
 * already marked is no candidate again; after the probe side they emit the
 * build columns of the marked (SEMI) or unmarked (ANTI) rows, each once.
 *
 * Spill (grace hash join): when the build side grows past the spill
 * threshold, the build rows go to JOIN_PARTS files by 4 bits of their key
 * hash, and so do the probe rows once the build side is complete; then
 * each partition's build rows are loaded, hashed and probed with that
 * partition's probe rows, exactly as an unspilled join, one partition at a
 * time. Rows with a NULL key that can never match go to partition 0 when
 * the join type still emits them (LEFT/ANTI probe rows, RIGHT/FULL build
 * rows) and nowhere otherwise. A spilled join publishes no dynamic filter.
 */
#include "exec/operator.h"

#include <string.h>

#define START (-2)
#define JOIN_PARTS 16

typedef struct join_state {
	int npcols, nbcols;
	ftype *cand_types; /* probe columns then build columns */
	/* build side */
	bool built;
	const batch **bb;
	int nbb, capbb;
	exec_row_ref *rows;
	uint64_t *hashes;
	int32_t *next;
	int32_t *buckets;
	uint32_t nbuckets;
	int nrows;
	bool *bmatched; /* RIGHT/FULL/RIGHT_*: build row matched (NULL otherwise) */
	int nbuild;        /* build rows seen, NULL keys included */
	bool build_null;   /* some build row has a NULL key (NOT IN) */
	bool probe_done;
	int bcursor; /* marks_build: next build row to consider for the tail after the probe */
	arena *build_arena; /* build batches and the hash table (one partition's when spilled) */
	/* grace join */
	bool spilled;
	int gbuild;       /* build rows over all partitions (nbuild is per table) */
	bool gbuild_null;
	spill_file *bparts[JOIN_PARTS], *pparts[JOIN_PARTS];
	bool in_parts; /* the probe side is all on disk: joining partition part */
	int part;
	arena *pfile_arena; /* probe batch read from pparts[part] */
	/* probe side */
	batch *probe;
	arena *probe_arena; /* per probe batch: hashes and match flags */
	uint64_t *phash;
	bool *matched;
	int pi;
	int32_t chain;
	bool tail_done; /* unmatched / semi rows of the current probe batch emitted */
} join_state;

/* RIGHT_SEMI/RIGHT_ANTI: the output is the build side's rows, probe rows only mark them. */
static bool right_half(const pnode *n)
{
	return n->join == JOIN_RIGHT_SEMI || n->join == JOIN_RIGHT_ANTI;
}

/* Build rows are remembered as matched, and some are emitted after the probe side. */
static bool marks_build(const pnode *n)
{
	return n->join == JOIN_RIGHT || n->join == JOIN_FULL || right_half(n);
}

/* Build rows whose key has a NULL are still emitted (unmatched). */
static bool keeps_null_build(const pnode *n)
{
	return n->join == JOIN_RIGHT || n->join == JOIN_FULL || n->join == JOIN_RIGHT_ANTI;
}

static bool keys_match(const exec_op *op, const batch *p, int pr, const exec_row_ref *b)
{
	const pnode *n = op->node;
	for (int k = 0; k < n->nkeys_join; k++) {
		const vector *pv = &p->cols[n->probe_keys[k]], *bv = &b->b->cols[n->build_keys[k]];
		if (n->nulls_equal) {
			bool pn = vector_is_null(pv, pr), bn = vector_is_null(bv, b->row);
			if (pn || bn) {
				if (pn != bn) return false;
				continue;
			}
		}
		if (vector_is_null(bv, b->row)) return false;
		if (value_compare(pv->type, vector_at(pv, pr), vector_at(bv, b->row)) != 0)
			return false;
	}
	return true;
}

static bool probe_key_null(const exec_op *op, const batch *p, int r)
{
	if (op->node->nulls_equal) return false;
	for (int k = 0; k < op->node->nkeys_join; k++)
		if (vector_is_null(&p->cols[op->node->probe_keys[k]], r)) return true;
	return false;
}

static void build_table(exec_op *op, join_state *s)
{
	const pnode *n = op->node;
	int total = 0;
	for (int i = 0; i < s->nbb; i++)
		total += s->bb[i]->count;
	s->rows = arena_alloc(s->build_arena, sizeof(exec_row_ref) * (size_t)(total + 1));
	s->hashes = arena_alloc(s->build_arena, sizeof(uint64_t) * (size_t)(total + 1));
	s->next = arena_alloc(s->build_arena, sizeof(int32_t) * (size_t)(total + 1));
	uint32_t nb = 16;
	while (nb < (uint32_t)total * 2)
		nb *= 2;
	s->nbuckets = nb;
	s->buckets = arena_alloc(s->build_arena, sizeof(int32_t) * nb);
	memset(s->buckets, 0xff, sizeof(int32_t) * nb);
	bool keep_unmatched = keeps_null_build(n);
	if (marks_build(n))
		s->bmatched = arena_zalloc(s->build_arena, sizeof(bool) * (size_t)(total + 1));
	for (int i = 0; i < s->nbb; i++) {
		const batch *b = s->bb[i];
		for (int r = 0; r < b->count; r++) {
			bool null = false;
			for (int k = 0; k < n->nkeys_join; k++)
				null |= vector_is_null(&b->cols[n->build_keys[k]], r);
			s->nbuild++;
			s->build_null |= null;
			if (n->nulls_equal) null = false; /* NULL keys hash like any value */
			if (null && !keep_unmatched) continue; /* can never equal anything */
			int e = s->nrows++;
			s->rows[e] = (exec_row_ref){b, r};
			if (null) continue; /* kept for the unmatched tail, never hashed */
			s->hashes[e] = exec_hash_row(b, r, n->nkeys_join, n->build_keys);
			uint32_t bucket = (uint32_t)s->hashes[e] & (nb - 1);
			s->next[e] = s->buckets[bucket];
			s->buckets[bucket] = e;
		}
	}
	s->built = true;
}

/* Pairs (probe row, build row) into a candidate batch, filtered by join_filter. */
static ferr *next_candidates(exec_op *op, join_state *s, batch **out)
{
	const pnode *n = op->node;
	batch *p = s->probe;
	int *pidx = arena_alloc(op->out, sizeof(int) * BATCH_CAPACITY);
	int32_t *bidx = arena_alloc(op->out, sizeof(int32_t) * BATCH_CAPACITY);
	bool rhalf = right_half(n);
	/* SEMI/ANTI either way round without a residual only mark rows */
	bool mark_only =
	    !n->join_filter && (rhalf || n->join == JOIN_SEMI || n->join == JOIN_ANTI);
	int m = 0;
	while (s->pi < p->count && m < BATCH_CAPACITY) {
		int r = batch_row(p, s->pi);
		if (s->chain == START)
			s->chain = probe_key_null(op, p, r)
			               ? -1
			               : s->buckets[(uint32_t)s->phash[s->pi] & (s->nbuckets - 1)];
		while (s->chain >= 0 && m < BATCH_CAPACITY) {
			int32_t e = s->chain;
			s->chain = s->next[e];
			if (rhalf && s->bmatched[e]) continue; /* already decided */
			if (s->hashes[e] == s->phash[s->pi] && keys_match(op, p, r, &s->rows[e])) {
				if (mark_only) {
					/* no residual: a key match decides, no pair is needed */
					if (rhalf) {
						s->bmatched[e] = true;
						continue;
					}
					s->matched[s->pi] = true;
					s->chain = -1;
					break;
				}
				pidx[m] = s->pi;
				bidx[m++] = e;
			}
		}
		if (s->chain < 0) {
			s->pi++;
			s->chain = START;
		}
	}
	*out = NULL;
	if (m == 0) return NULL;
	batch *c = batch_create(op->out, s->npcols + s->nbcols, s->cand_types, m);
	for (int col = 0; col < s->npcols; col++)
		for (int i = 0; i < m; i++)
			exec_copy_value(&c->cols[col], i, m, &p->cols[col], batch_row(p, pidx[i]),
			                op->out, false);
	for (int col = 0; col < s->nbcols; col++)
		for (int i = 0; i < m; i++) {
			const exec_row_ref *br = &s->rows[bidx[i]];
			exec_copy_value(&c->cols[s->npcols + col], i, m, &br->b->cols[col], br->row,
			                op->out, false);
		}
	c->count = m;
	if (n->join_filter) TRY(expr_filter(n->join_filter, &op->env->ectx, c, op->out));
	for (int i = 0; i < c->count; i++) {
		s->matched[pidx[batch_row(c, i)]] = true;
		if (s->bmatched) s->bmatched[bidx[batch_row(c, i)]] = true;
	}
	*out = c;
	return NULL;
}

/* After all pairs of a probe batch: LEFT's unmatched rows, SEMI/ANTI's rows. */
static batch *tail_rows(exec_op *op, join_state *s)
{
	const pnode *n = op->node;
	batch *p = s->probe;
	bool want = n->join == JOIN_SEMI;
	/* NOT IN: x NOT IN (non-empty set) is NULL, never true, when x is NULL */
	bool drop_null_probe = n->join == JOIN_ANTI && n->null_aware && s->nbuild > 0;
	uint16_t *sel = arena_alloc(op->out, sizeof(uint16_t) * (size_t)(p->count ? p->count : 1));
	int m = 0;
	for (int i = 0; i < p->count; i++)
		if (s->matched[i] == want &&
		    !(drop_null_probe && probe_key_null(op, p, batch_row(p, i))))
			sel[m++] = (uint16_t)batch_row(p, i);
	if (m == 0) return NULL;
	if (n->join == JOIN_SEMI || n->join == JOIN_ANTI) {
		batch *v = exec_batch_view(op->out, p);
		v->sel = sel;
		v->count = m;
		return v;
	}
	batch *b = batch_create(op->out, n->ncols, n->types, m);
	for (int col = 0; col < s->npcols; col++)
		for (int i = 0; i < m; i++)
			exec_copy_value(&b->cols[col], i, m, &p->cols[col], sel[i], op->out, false);
	for (int col = 0; col < s->nbcols; col++)
		for (int i = 0; i < m; i++)
			vector_set_null(&b->cols[s->npcols + col], op->out, i, m);
	b->count = m;
	return b;
}

/*
 * After the probe side: RIGHT/FULL's build rows that never matched,
 * NULL-padded; RIGHT_SEMI's matched and RIGHT_ANTI's unmatched build rows,
 * build columns only.
 */
static batch *build_tail_rows(exec_op *op, join_state *s)
{
	const pnode *n = op->node;
	bool want = n->join == JOIN_RIGHT_SEMI;
	int pad = right_half(n) ? 0 : s->npcols; /* probe columns before the build's */
	int32_t *idx = arena_alloc(op->out, sizeof(int32_t) * BATCH_CAPACITY);
	int m = 0;
	while (s->bcursor < s->nrows && m < BATCH_CAPACITY) {
		int e = s->bcursor++;
		if (s->bmatched[e] == want) idx[m++] = e;
	}
	if (m == 0) return NULL;
	batch *b = batch_create(op->out, n->ncols, n->types, m);
	for (int col = 0; col < pad; col++)
		for (int i = 0; i < m; i++)
			vector_set_null(&b->cols[col], op->out, i, m);
	for (int col = 0; col < s->nbcols; col++)
		for (int i = 0; i < m; i++) {
			const exec_row_ref *br = &s->rows[idx[i]];
			exec_copy_value(&b->cols[pad + col], i, m, &br->b->cols[col], br->row,
			                op->out, false);
		}
	b->count = m;
	return b;
}

/* ---- grace join: partitions on disk ---- */

static bool keeps_null_probe(const pnode *n)
{
	return n->join == JOIN_LEFT || n->join == JOIN_FULL || n->join == JOIN_ANTI;
}

/*
 * Live rows of b to partition files parts[] by key hash; rows whose key has
 * a NULL (never equal to anything) go to partition 0 if keep, else nowhere.
 */
static ferr *partition_rows(exec_op *op, spill_file **parts, const batch *b, int nkeys,
                            const int *keys, bool keep, int *nnull)
{
	const pnode *n = op->node;
	int cnt = b->count;
	uint16_t *rows = arena_alloc(op->out, sizeof(uint16_t) * (size_t)(cnt ? cnt : 1));
	uint8_t *part = arena_alloc(op->out, (size_t)(cnt ? cnt : 1));
	for (int i = 0; i < cnt; i++) {
		int r = batch_row(b, i);
		bool null = false;
		for (int k = 0; k < nkeys && !n->nulls_equal; k++)
			null |= vector_is_null(&b->cols[keys[k]], r);
		if (null) (*nnull)++;
		part[i] = null ? (keep ? 0 : 0xff)
		               : (uint8_t)((exec_hash_row(b, r, nkeys, keys) >> 60) & (JOIN_PARTS - 1));
	}
	for (int p = 0; p < JOIN_PARTS; p++) {
		int m = 0;
		for (int i = 0; i < cnt; i++)
			if (part[i] == p) rows[m++] = (uint16_t)batch_row(b, i);
		if (!m) continue;
		batch *v = exec_batch_view(op->out, b);
		v->sel = rows;
		v->count = m;
		if (!parts[p]) TRY(spill_file_create(op->env->spill, &parts[p]));
		int64_t before = spill_file_bytes(parts[p]);
		ferr *e = spill_file_write(parts[p], v);
		op->spilled_bytes += spill_file_bytes(parts[p]) - before;
		TRY(e);
	}
	return NULL;
}

static ferr *spill_build_batch(exec_op *op, join_state *s, const batch *b)
{
	const pnode *n = op->node;
	int nnull = 0;
	s->gbuild += b->count;
	TRY(partition_rows(op, s->bparts, b, n->nkeys_join, n->build_keys, keeps_null_build(n),
	                   &nnull));
	s->gbuild_null |= nnull > 0;
	return NULL;
}

/* Move the build rows held so far to the partition files and free them. */
static ferr *start_spill(exec_op *op, join_state *s)
{
	s->spilled = true;
	for (int i = 0; i < s->nbb; i++)
		TRY(spill_build_batch(op, s, s->bb[i]));
	arena_destroy(s->build_arena);
	s->build_arena = arena_create(op->state, "join build");
	s->bb = NULL;
	s->nbb = s->capbb = 0;
	return NULL;
}

/* Empty the hash table, ready for the next partition's build rows. */
static void reset_table(exec_op *op, join_state *s)
{
	arena_destroy(s->build_arena);
	s->build_arena = arena_create(op->state, "join build");
	s->bb = NULL;
	s->nbb = s->capbb = 0;
	s->nrows = 0;
	s->nbuild = 0;
	s->bmatched = NULL;
	s->bcursor = 0;
	s->built = false;
}

/*
 * Load partition s->part: its build rows into a fresh table, its probe file
 * as the probe input. Global build facts (row count, a NULL key) stay, as
 * LEFT/ANTI tails and NOT IN depend on the whole build side.
 */
static ferr *load_partition(exec_op *op, join_state *s)
{
	reset_table(op, s);
	spill_file *f = s->bparts[s->part];
	if (f) {
		TRY(spill_file_rewind(f));
		for (;;) {
			batch *b;
			TRY(spill_file_read(f, s->build_arena, &b));
			if (!b) break;
			exec_batches_append(s->build_arena, (batch ***)&s->bb, &s->nbb, &s->capbb, b);
			TRY(exec_env_check(op->env));
		}
		spill_file_close(f);
		s->bparts[s->part] = NULL;
	}
	build_table(op, s);
	s->nbuild = s->gbuild;
	s->build_null = s->gbuild_null;
	if (s->pparts[s->part]) TRY(spill_file_rewind(s->pparts[s->part]));
	s->probe = NULL;
	s->probe_done = false;
	return exec_env_check(op->env);
}

/* The next probe batch of the current partition, or NULL at its end. */
static ferr *read_probe_part(exec_op *op, join_state *s, batch **out)
{
	*out = NULL;
	spill_file *f = s->pparts[s->part];
	if (!f) return NULL;
	arena_destroy(s->pfile_arena);
	s->pfile_arena = arena_create(op->state, "join probe frame");
	TRY(spill_file_read(f, s->pfile_arena, out));
	if (!*out) {
		spill_file_close(f);
		s->pparts[s->part] = NULL;
	}
	return NULL;
}

/* Next probe batch: from the child, or from the current partition's file. */
static ferr *next_probe(exec_op *op, join_state *s, exec_status *st, batch **in)
{
	const pnode *n = op->node;
	if (!s->spilled) return exec_op_next(op->children[0], st, in);
	while (!s->in_parts) {
		TRY(exec_op_next(op->children[0], st, in));
		if (*st != EXEC_BATCH && *st != EXEC_DONE) return NULL;
		if (*st == EXEC_BATCH) {
			int nnull = 0;
			TRY(partition_rows(op, s->pparts, *in, n->nkeys_join, n->probe_keys,
			                   keeps_null_probe(n), &nnull));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		s->in_parts = true;
		s->part = 0;
		TRY(load_partition(op, s));
	}
	TRY(read_probe_part(op, s, in));
	*st = *in ? EXEC_BATCH : EXEC_DONE;
	return NULL;
}

/* A partition is done: load the next one; false after the last. */
static ferr *advance_partition(exec_op *op, join_state *s, bool *more)
{
	*more = s->spilled && s->in_parts && s->part + 1 < JOIN_PARTS;
	if (!*more) return NULL;
	s->part++;
	return load_partition(op, s);
}

static ferr *join_next(exec_op *op, exec_status *st, batch **out)
{
	join_state *s = op->impl;
	const pnode *n = op->node;
	while (!s->built) {
		batch *in;
		TRY(exec_op_next(op->children[1], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_DONE) {
			build_table(op, s);
			if (!s->spilled) {
				s->gbuild = s->nbuild;
				s->gbuild_null = s->build_null;
				for (int i = 0; i < n->ndf; i++)
					exec_dynfilter_publish(op->env, n->df_ids[i], s->bb, s->nbb,
					                       n->build_keys[n->df_keys[i]]);
			}
			s->nbuild = s->gbuild;
			s->build_null = s->gbuild_null;
			TRY(exec_env_check(op->env));
			/* NOT IN over a set holding NULL is never true */
			if (n->join == JOIN_ANTI && n->null_aware && s->build_null) {
				*st = EXEC_DONE;
				return NULL;
			}
			break;
		}
		if (in->count == 0) continue;
		if (s->spilled) {
			TRY(spill_build_batch(op, s, in));
		} else {
			exec_batches_append(s->build_arena, (batch ***)&s->bb, &s->nbb, &s->capbb,
			                    batch_compact(s->build_arena, in));
			/* The hash table will take about 40 bytes a row on top. */
			int64_t extra = 0;
			for (int i = 0; i < s->nbb; i++)
				extra += s->bb[i]->count;
			if (n->nkeys_join > 0 && exec_op_should_spill(op, extra * 40))
				TRY(start_spill(op, s));
		}
		TRY(exec_env_check(op->env));
		if (exec_op_should_yield(op)) {
			*st = EXEC_YIELD;
			return NULL;
		}
	}
	for (;;) {
		while (s->probe_done) {
			batch *t = build_tail_rows(op, s);
			if (t) {
				*out = t;
				*st = EXEC_BATCH;
				return NULL;
			}
			bool more;
			TRY(advance_partition(op, s, &more));
			if (!more) {
				*st = EXEC_DONE;
				return NULL;
			}
		}
		if (s->probe && s->pi < s->probe->count) {
			batch *c;
			TRY(next_candidates(op, s, &c));
			bool emit_pairs = n->join != JOIN_SEMI && n->join != JOIN_ANTI && !right_half(n);
			if (c && c->count > 0 && emit_pairs) {
				*out = c;
				*st = EXEC_BATCH;
				return NULL;
			}
			continue;
		}
		if (s->probe && !s->tail_done) {
			s->tail_done = true;
			if (n->join != JOIN_INNER && n->join != JOIN_RIGHT && !right_half(n)) {
				batch *t = tail_rows(op, s);
				if (t) {
					*out = t;
					*st = EXEC_BATCH;
					return NULL;
				}
			}
		}
		/* Next probe batch; an empty build side still lets LEFT/ANTI rows through. */
		if (s->nrows == 0 && (!s->spilled || s->in_parts) &&
		    (n->join == JOIN_INNER || n->join == JOIN_SEMI || n->join == JOIN_RIGHT ||
		     right_half(n))) {
			bool more;
			TRY(advance_partition(op, s, &more));
			if (more) continue;
			*st = EXEC_DONE;
			return NULL;
		}
		if (exec_op_should_yield(op)) { /* a long run of probe rows without output */
			*st = EXEC_YIELD;
			return NULL;
		}
		batch *in;
		TRY(next_probe(op, s, st, &in));
		if (*st != EXEC_BATCH) {
			s->probe = NULL;
			if (*st != EXEC_DONE) return NULL;
			if (s->bmatched) {
				s->probe_done = true;
				continue;
			}
			bool more;
			TRY(advance_partition(op, s, &more));
			if (more) continue;
			return NULL;
		}
		s->probe = in;
		s->pi = 0;
		s->chain = START;
		s->tail_done = false;
		arena_reset(s->probe_arena);
		s->phash = arena_alloc(s->probe_arena, sizeof(uint64_t) * (size_t)(in->count + 1));
		s->matched = arena_zalloc(s->probe_arena, sizeof(bool) * (size_t)(in->count + 1));
		for (int i = 0; i < in->count; i++)
			s->phash[i] =
			    exec_hash_row(in, batch_row(in, i), n->nkeys_join, n->probe_keys);
	}
}

static const exec_op_ops join_ops = {join_next, NULL};

/*
 * Whether each driver of this join sees its own share of the build rows
 * (one driver, or a build side hash-partitioned to the drivers), which a
 * RIGHT/FULL (or right semi/anti) join needs to emit build rows exactly once.
 */
static bool build_rows_are_disjoint(const exec_op *op)
{
	const exec_env *env = op->env;
	if (!env->ndrivers || !op->driver || env->ndrivers[op->driver->fragment] <= 1) return true;
	const pnode *b = op->node->children[1];
	if (b->kind != PN_EXCHANGE || !env->plan) return false;
	for (int i = 0; i < b->nsources; i++)
		if (env->plan->fragments[b->source_fragments[i]]->output_partitioning != PART_HASH)
			return false;
	return true;
}

ferr *exec_hash_join_create(exec_op *op)
{
	const pnode *n = op->node;
	/* no keys: every build row is a candidate for every probe row (nested loop) */
	if (op->nchildren != 2 || n->nkeys_join < 0)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed hash join node");
	if (marks_build(n) && !build_rows_are_disjoint(op))
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "RIGHT, FULL and right semi/anti joins need a hash-partitioned build "
		                "side when run in parallel");
	join_state *s = arena_zalloc(op->state, sizeof(*s));
	s->npcols = n->children[0]->ncols;
	s->nbcols = n->children[1]->ncols;
	int want = (n->join == JOIN_SEMI || n->join == JOIN_ANTI) ? s->npcols
	           : right_half(n)                                ? s->nbcols
	                                                          : s->npcols + s->nbcols;
	if (n->ncols != want)
		return ferr_new(SQLSTATE_INTERNAL_ERROR,
		                "hash join output has %d columns, expected %d", n->ncols, want);
	s->probe_arena = arena_create(op->state, "join probe");
	s->build_arena = arena_create(op->state, "join build");
	s->cand_types = arena_alloc(op->state, sizeof(ftype) * (size_t)(s->npcols + s->nbcols + 1));
	for (int i = 0; i < s->npcols; i++)
		s->cand_types[i] = n->children[0]->types[i];
	for (int i = 0; i < s->nbcols; i++)
		s->cand_types[s->npcols + i] = n->children[1]->types[i];
	op->impl = s;
	op->ops = &join_ops;
	return NULL;
}
