/*
 * window.c — window functions (PN_WINDOW) over input that arrives sorted by
 * the partition columns and then the window's ORDER BY (the planner puts a
 * Sort below). The input is materialized (deep copies in the operator's
 * arena), every function is computed partition by partition into result
 * vectors that line up with the stored batches, and each stored batch is
 * emitted with its result columns appended. Runs in a single driver: it
 * needs whole partitions. Never keeps pointers into a child's batch.
 *
 * Cost: ranking, lag/lead, ROWS/GROUPS/RANGE bounds and aggregates whose
 * frame starts at UNBOUNDED PRECEDING are O(n) per partition; other
 * aggregate frames use a segment tree of partial states (agg_merge), so
 * sliding min/max work as well as sums, in O(n log n).
 */
#include <string.h>

#include "exec/operator.h"

typedef struct window_state {
	batch **batches;
	int nbatches, cap;
	int64_t nrows;
	bool input_done, computed;
	int cursor;       /* next stored batch to emit */
	int32_t *rb;      /* global row -> stored batch */
	int64_t *bstart;  /* first global row of each stored batch */
	vector **res;     /* res[f][k]: call f's results for stored batch k */
	sort_key *pkeys;  /* partition columns as equality keys */
	int64_t *soff, *eoff; /* ROWS/GROUPS offsets per call */
	arena *scratch;   /* per partition: peer groups, aggregate states */
	/* the current partition [ps, pe) */
	int64_t ps, pe;
	int64_t *peer_start, *peer_end, *grp; /* per row (local index) */
	int64_t *grp_start;                   /* per peer group: its first row (local) */
	int64_t ngroups;
} window_state;

static inline const vector *col_at(const window_state *s, int64_t g, int col, int *row)
{
	int k = s->rb[g];
	*row = (int)(g - s->bstart[k]);
	return &s->batches[k]->cols[col];
}

static inline vector *res_at(const window_state *s, int f, int64_t g, int *row)
{
	int k = s->rb[g];
	*row = (int)(g - s->bstart[k]);
	return &s->res[f][k];
}

static int res_cap(const window_state *s, int64_t g) { return s->batches[s->rb[g]]->count; }

static void put_null(window_state *s, arena *a, int f, int64_t g)
{
	int r;
	vector *v = res_at(s, f, g, &r);
	vector_set_null(v, a, r, res_cap(s, g));
}

/* Integer results: bigint for the ranking functions, integer for ntile. */
static void put_int(window_state *s, int f, int64_t g, int64_t x)
{
	int r;
	vector *v = res_at(s, f, g, &r);
	if (v->type.id == TYPE_INT4)
		((int32_t *)v->data)[r] = (int32_t)x;
	else
		((int64_t *)v->data)[r] = x;
}

static void put_double(window_state *s, int f, int64_t g, double x)
{
	int r;
	vector *v = res_at(s, f, g, &r);
	((double *)v->data)[r] = x;
}

/* The value of column col at row src (shallow: stored rows live as long as results). */
static void put_copy(window_state *s, arena *a, int f, int64_t g, int col, int64_t src)
{
	int r, sr;
	vector *v = res_at(s, f, g, &r);
	const vector *sv = col_at(s, src, col, &sr);
	exec_copy_value(v, r, res_cap(s, g), sv, sr, a, false);
}

static bool null_at(const window_state *s, int64_t g, int col)
{
	int r;
	const vector *v = col_at(s, g, col, &r);
	return vector_is_null(v, r);
}

/* An integer argument (offset, n) at row g; false when NULL. */
static bool int_arg(const window_state *s, int64_t g, int col, int64_t *out)
{
	int r;
	const vector *v = col_at(s, g, col, &r);
	if (vector_is_null(v, r)) return false;
	const void *p = vector_at(v, r);
	switch (v->type.id) {
	case TYPE_INT2: *out = *(const int16_t *)p; break;
	case TYPE_INT4: *out = *(const int32_t *)p; break;
	default: *out = *(const int64_t *)p; break;
	}
	return true;
}

static int cmp_rows(const window_state *s, int64_t a, int64_t b, int nkeys, const sort_key *keys)
{
	int ra, rbw;
	const batch *ba = s->batches[s->rb[a]], *bb = s->batches[s->rb[b]];
	ra = (int)(a - s->bstart[s->rb[a]]);
	rbw = (int)(b - s->bstart[s->rb[b]]);
	return exec_compare_rows(ba, ra, bb, rbw, nkeys, keys);
}

/* ---- frames ---- */

/* Compare the RANGE key at row j with the bound column at row i. */
static int range_cmp(const window_state *s, int64_t j, int key, int64_t i, int bound)
{
	int rj, ri;
	const vector *kv = col_at(s, j, key, &rj);
	const vector *bv = col_at(s, i, bound, &ri);
	return value_compare(kv->type, vector_at(kv, rj), vector_at(bv, ri));
}

/*
 * First row of [lo, hi) whose key is past the bound of row i: key >= bound
 * (ascending) or key <= bound (descending) when strict is false, key >
 * bound / key < bound when strict. Keys are sorted, so a binary search.
 */
static int64_t range_search(const window_state *s, int64_t lo, int64_t hi, int key, int64_t i,
                            int bound, bool desc, bool strict)
{
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		int c = range_cmp(s, mid, key, i, bound);
		if (desc) c = -c;
		bool past = strict ? c > 0 : c >= 0;
		if (past)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Local index of the end (exclusive) of peer group gi, clamped. */
static int64_t group_end(const window_state *s, int64_t gi)
{
	if (gi + 1 >= s->ngroups) return s->pe - s->ps;
	return s->grp_start[gi + 1];
}

/* Saturating i + d within [0, n]. */
static int64_t clamp_add(int64_t i, int64_t d, int64_t n)
{
	if (d > n - i) return n;
	if (d < -i) return 0;
	return i + d;
}

/*
 * Frame of local row i as [*fs, *fe) in local indexes (empty when fe <= fs).
 * nn_lo/nn_hi: the rows whose RANGE key is not NULL (contiguous: NULLs sort
 * first or last).
 */
static void frame_of(const window_state *s, const pnode *n, int f, int64_t i, int64_t nn_lo,
                     int64_t nn_hi, int64_t *fs, int64_t *fe)
{
	const window_frame *fr = &n->wcalls[f].frame;
	int64_t m = s->pe - s->ps;
	int64_t gi = s->grp[i];
	bool range_off = fr->mode == FRAME_RANGE && fr->range_key >= 0;
	bool desc = n->nkeys > 0 && n->keys[0].descending;
	bool key_null = range_off && null_at(s, s->ps + i, fr->range_key);
	int64_t a = 0, b = m;
	switch (fr->start) {
	case FB_UNBOUNDED_PRECEDING: a = 0; break;
	case FB_CURRENT_ROW: a = fr->mode == FRAME_ROWS ? i : s->peer_start[i]; break;
	case FB_PRECEDING:
	case FB_FOLLOWING: {
		int64_t d = fr->start == FB_PRECEDING ? -s->soff[f] : s->soff[f];
		if (fr->mode == FRAME_ROWS)
			a = clamp_add(i, d, m);
		else if (fr->mode == FRAME_GROUPS) {
			int64_t g = clamp_add(gi, d, s->ngroups);
			a = g >= s->ngroups ? m : s->grp_start[g];
		} else if (key_null)
			a = s->peer_start[i];
		else
			a = range_search(s, s->ps + nn_lo, s->ps + nn_hi, fr->range_key, s->ps + i,
			                 fr->start_col, desc, false) -
			    s->ps;
		break;
	}
	case FB_UNBOUNDED_FOLLOWING: a = m; break;
	}
	switch (fr->end) {
	case FB_UNBOUNDED_FOLLOWING: b = m; break;
	case FB_CURRENT_ROW: b = fr->mode == FRAME_ROWS ? i + 1 : s->peer_end[i]; break;
	case FB_PRECEDING:
	case FB_FOLLOWING: {
		int64_t d = fr->end == FB_PRECEDING ? -s->eoff[f] : s->eoff[f];
		if (fr->mode == FRAME_ROWS)
			b = clamp_add(i + 1, d, m);
		else if (fr->mode == FRAME_GROUPS) {
			int64_t g = gi + d;
			b = g < 0 ? 0 : group_end(s, g >= s->ngroups ? s->ngroups - 1 : g);
			if (d > s->ngroups) b = m;
		} else if (key_null)
			b = s->peer_end[i];
		else
			b = range_search(s, s->ps + nn_lo, s->ps + nn_hi, fr->range_key, s->ps + i,
			                 fr->end_col, desc, true) -
			    s->ps;
		break;
	}
	case FB_UNBOUNDED_PRECEDING: b = 0; break;
	}
	*fs = a;
	*fe = b > a ? b : a;
}

/* ---- aggregates over frames ---- */

/* Fold rows [g0, g1) into states[0..g1-g0) (one state pointer per row). */
static ferr *fold_rows(window_state *s, const agg_call *c, int64_t g0, int64_t g1, void **states,
                       arena *a)
{
	uint16_t sel[BATCH_CAPACITY];
	while (g0 < g1) {
		int k = s->rb[g0];
		const batch *b = s->batches[k];
		int64_t end = s->bstart[k] + b->count;
		if (end > g1) end = g1;
		int cnt = (int)(end - g0);
		for (int j = 0; j < cnt; j++)
			sel[j] = (uint16_t)(g0 - s->bstart[k] + j);
		batch view = *b;
		view.sel = sel;
		view.count = cnt;
		TRY(agg_update(c, states, c->arg >= 0 ? &b->cols[c->arg] : NULL, &view, a));
		states += cnt;
		g0 = end;
	}
	return NULL;
}

/* Write the final value of state st as call f's result at global row g. */
static void put_agg(window_state *s, arena *keep, int f, const agg_call *c, const void *st,
                    int64_t g)
{
	int r;
	vector *v = res_at(s, f, g, &r);
	agg_finalize(c, st, v, r, keep);
	/* min/max of text point into the scratch arena: keep a copy */
	if (exec_type_is_string(v->type) && !vector_is_null(v, r)) {
		fstring *fs = (fstring *)v->data + r;
		vector_set_string(v, keep, r, fs->ptr, fs->len);
	}
}

static ferr *window_agg(window_state *s, exec_op *op, int f, int64_t nn_lo, int64_t nn_hi)
{
	const pnode *n = op->node;
	const window_call *w = &n->wcalls[f];
	const agg_call *c = &w->agg;
	arena *sa = s->scratch;
	int64_t m = s->pe - s->ps;
	size_t sz = agg_state_size(c);
	void *acc = arena_alloc(sa, sz);
	agg_init(c, acc);
	if (w->frame.start == FB_UNBOUNDED_PRECEDING && w->frame.end == FB_UNBOUNDED_FOLLOWING) {
		void **one = arena_alloc(sa, sizeof(void *) * (size_t)m);
		for (int64_t i = 0; i < m; i++)
			one[i] = acc;
		TRY(fold_rows(s, c, s->ps, s->pe, one, sa));
		for (int64_t i = 0; i < m; i++)
			put_agg(s, op->state, f, c, acc, s->ps + i);
		return NULL;
	}
	/* leaves: one state per row */
	char *leaf = arena_alloc(sa, sz * (size_t)m);
	void **ptrs = arena_alloc(sa, sizeof(void *) * (size_t)m);
	for (int64_t i = 0; i < m; i++) {
		ptrs[i] = leaf + sz * (size_t)i;
		agg_init(c, ptrs[i]);
	}
	TRY(fold_rows(s, c, s->ps, s->pe, ptrs, sa));
	if (w->frame.start == FB_UNBOUNDED_PRECEDING) {
		/* running: the frame end never moves back */
		int64_t done = 0;
		for (int64_t i = 0; i < m; i++) {
			int64_t fs, fe;
			frame_of(s, n, f, i, nn_lo, nn_hi, &fs, &fe);
			for (; done < fe; done++)
				TRY(agg_merge(c, acc, ptrs[done], sa));
			put_agg(s, op->state, f, c, acc, s->ps + i);
		}
		return NULL;
	}
	/* segment tree: tree[m + i] = leaf i, tree[j] = tree[2j] + tree[2j+1] */
	char *tree = arena_alloc(sa, sz * (size_t)(2 * m));
	memcpy(tree + sz * (size_t)m, leaf, sz * (size_t)m);
	for (int64_t j = m - 1; j >= 1; j--) {
		void *t = tree + sz * (size_t)j;
		agg_init(c, t);
		TRY(agg_merge(c, t, tree + sz * (size_t)(2 * j), sa));
		TRY(agg_merge(c, t, tree + sz * (size_t)(2 * j + 1), sa));
	}
	for (int64_t i = 0; i < m; i++) {
		int64_t fs, fe;
		frame_of(s, n, f, i, nn_lo, nn_hi, &fs, &fe);
		agg_init(c, acc);
		for (int64_t l = fs + m, r = fe + m; l < r; l >>= 1, r >>= 1) {
			if (l & 1) TRY(agg_merge(c, acc, tree + sz * (size_t)(l++), sa));
			if (r & 1) TRY(agg_merge(c, acc, tree + sz * (size_t)(--r), sa));
		}
		put_agg(s, op->state, f, c, acc, s->ps + i);
	}
	return NULL;
}

/* ---- one partition ---- */

static ferr *window_call_eval(window_state *s, exec_op *op, int f, int64_t nn_lo, int64_t nn_hi)
{
	const pnode *n = op->node;
	const window_call *w = &n->wcalls[f];
	arena *keep = op->state;
	int64_t m = s->pe - s->ps, ps = s->ps;
	switch (w->kind) {
	case WF_ROW_NUMBER:
		for (int64_t i = 0; i < m; i++)
			put_int(s, f, ps + i, i + 1);
		return NULL;
	case WF_RANK:
		for (int64_t i = 0; i < m; i++)
			put_int(s, f, ps + i, s->peer_start[i] + 1);
		return NULL;
	case WF_DENSE_RANK:
		for (int64_t i = 0; i < m; i++)
			put_int(s, f, ps + i, s->grp[i] + 1);
		return NULL;
	case WF_PERCENT_RANK:
		for (int64_t i = 0; i < m; i++)
			put_double(s, f, ps + i, m > 1 ? (double)s->peer_start[i] / (double)(m - 1) : 0.0);
		return NULL;
	case WF_CUME_DIST:
		for (int64_t i = 0; i < m; i++)
			put_double(s, f, ps + i, (double)s->peer_end[i] / (double)m);
		return NULL;
	case WF_NTILE: {
		/* the bucket count is taken from the partition's first row */
		int64_t nb;
		if (!int_arg(s, ps, w->args[1], &nb)) {
			for (int64_t i = 0; i < m; i++)
				put_null(s, keep, f, ps + i);
			return NULL;
		}
		if (nb <= 0)
			return ferr_new(SQLSTATE_INVALID_ARGUMENT_FOR_NTILE,
			                "argument of ntile must be greater than zero");
		int64_t per = m / nb, extra = m % nb, bucket = 1, left = per + (extra > 0);
		for (int64_t i = 0; i < m; i++) {
			if (left == 0) {
				bucket++;
				left = per + (bucket <= extra);
			}
			put_int(s, f, ps + i, bucket);
			left--;
		}
		return NULL;
	}
	case WF_LAG:
	case WF_LEAD:
		for (int64_t i = 0; i < m; i++) {
			int64_t off = 1;
			if (w->args[1] >= 0 && !int_arg(s, ps + i, w->args[1], &off)) {
				put_null(s, keep, f, ps + i);
				continue;
			}
			/* lag(x, -1) looks forward: the offset may be negative */
			bool inside = w->kind == WF_LAG ? off <= i && off > i - m
			                                : off < m - i && off >= -i;
			if (inside)
				put_copy(s, keep, f, ps + i, w->args[0],
				         ps + (w->kind == WF_LAG ? i - off : i + off));
			else if (w->args[2] >= 0)
				put_copy(s, keep, f, ps + i, w->args[2], ps + i);
			else
				put_null(s, keep, f, ps + i);
		}
		return NULL;
	case WF_FIRST_VALUE:
	case WF_LAST_VALUE:
	case WF_NTH_VALUE:
		for (int64_t i = 0; i < m; i++) {
			int64_t fs, fe, t;
			frame_of(s, n, f, i, nn_lo, nn_hi, &fs, &fe);
			if (w->kind == WF_FIRST_VALUE)
				t = fs;
			else if (w->kind == WF_LAST_VALUE)
				t = fe - 1;
			else {
				int64_t nth;
				if (!int_arg(s, ps + i, w->args[1], &nth)) {
					put_null(s, keep, f, ps + i);
					continue;
				}
				if (nth <= 0)
					return ferr_new(SQLSTATE_INVALID_ARGUMENT_FOR_NTH_VALUE,
					                "argument of nth_value must be greater than zero");
				t = nth > fe - fs ? fe : fs + nth - 1;
			}
			if (fe > fs && t >= fs && t < fe)
				put_copy(s, keep, f, ps + i, w->args[0], ps + t);
			else
				put_null(s, keep, f, ps + i);
		}
		return NULL;
	case WF_AGG: return window_agg(s, op, f, nn_lo, nn_hi);
	}
	return ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown window function %d", (int)w->kind);
}

static ferr *window_partition(window_state *s, exec_op *op)
{
	const pnode *n = op->node;
	int64_t m = s->pe - s->ps;
	arena_reset(s->scratch);
	s->peer_start = arena_alloc(s->scratch, sizeof(int64_t) * (size_t)m);
	s->peer_end = arena_alloc(s->scratch, sizeof(int64_t) * (size_t)m);
	s->grp = arena_alloc(s->scratch, sizeof(int64_t) * (size_t)m);
	s->grp_start = arena_alloc(s->scratch, sizeof(int64_t) * (size_t)m);
	s->ngroups = 0;
	for (int64_t i = 0; i < m; i++) {
		if (i == 0 || cmp_rows(s, s->ps + i - 1, s->ps + i, n->nkeys, n->keys) != 0)
			s->grp_start[s->ngroups++] = i;
		s->grp[i] = s->ngroups - 1;
		s->peer_start[i] = s->grp_start[s->grp[i]];
	}
	for (int64_t i = m - 1; i >= 0; i--)
		s->peer_end[i] = group_end(s, s->grp[i]);
	for (int f = 0; f < n->nwcalls; f++) {
		/* RANGE offsets: the rows whose key is not NULL */
		int64_t nn_lo = 0, nn_hi = m;
		int key = n->wcalls[f].frame.range_key;
		if (n->wcalls[f].frame.mode == FRAME_RANGE && key >= 0) {
			while (nn_lo < m && null_at(s, s->ps + nn_lo, key))
				nn_lo++;
			while (nn_hi > nn_lo && null_at(s, s->ps + nn_hi - 1, key))
				nn_hi--;
		}
		TRY(window_call_eval(s, op, f, nn_lo, nn_hi));
	}
	return NULL;
}

/* A frame offset: NULL is 22004 and a negative one 22013, as PostgreSQL says. */
static ferr *frame_offset(exec_op *op, const expr *e, bool range, bool start, int64_t *out)
{
	*out = 0;
	if (!e) return NULL;
	fvalue v;
	TRY(expr_eval_const(e, &op->env->ectx, op->out, &v));
	const char *which = start ? "starting" : "ending";
	if (v.isnull)
		return ferr_new(SQLSTATE_NULL_VALUE_NOT_ALLOWED, "frame %s offset must not be null",
		                which);
	bool neg;
	switch (e->type.id) {
	case TYPE_FLOAT4:
	case TYPE_FLOAT8: neg = v.u.f < 0; break;
	case TYPE_NUMERIC: neg = numeric_is_wide(e->type) ? v.u.n < 0 : v.u.i < 0; break;
	case TYPE_INTERVAL:
		neg = (__int128)v.u.iv.micros + (__int128)v.u.iv.days * 86400000000LL +
		          (__int128)v.u.iv.months * 30 * 86400000000LL <
		      0;
		break;
	default: neg = v.u.i < 0; break;
	}
	if (neg && range)
		return ferr_new(SQLSTATE_INVALID_PRECEDING_OR_FOLLOWING_SIZE,
		                "invalid preceding or following size in window function");
	if (neg)
		return ferr_new(SQLSTATE_INVALID_PRECEDING_OR_FOLLOWING_SIZE,
		                "frame %s offset must not be negative", which);
	*out = v.u.i;
	return NULL;
}

static ferr *window_compute(window_state *s, exec_op *op)
{
	const pnode *n = op->node;
	arena *a = op->state;
	int nin = n->children[0]->ncols;
	s->soff = arena_zalloc(a, sizeof(int64_t) * (size_t)(n->nwcalls + 1));
	s->eoff = arena_zalloc(a, sizeof(int64_t) * (size_t)(n->nwcalls + 1));
	for (int f = 0; f < n->nwcalls; f++) {
		const window_frame *fr = &n->wcalls[f].frame;
		bool is_range = fr->mode == FRAME_RANGE;
		/* RANGE offsets are checked here; their bounds come as columns */
		TRY(frame_offset(op, fr->start_off, is_range, true, &s->soff[f]));
		TRY(frame_offset(op, fr->end_off, is_range, false, &s->eoff[f]));
		if (is_range) s->soff[f] = s->eoff[f] = 0;
	}
	s->rb = arena_alloc(a, sizeof(int32_t) * (size_t)(s->nrows + 1));
	s->bstart = arena_alloc(a, sizeof(int64_t) * (size_t)(s->nbatches + 1));
	int64_t g = 0;
	for (int k = 0; k < s->nbatches; k++) {
		s->bstart[k] = g;
		for (int r = 0; r < s->batches[k]->count; r++)
			s->rb[g++] = k;
	}
	s->res = arena_alloc(a, sizeof(vector *) * (size_t)(n->nwcalls + 1));
	for (int f = 0; f < n->nwcalls; f++) {
		s->res[f] = arena_zalloc(a, sizeof(vector) * (size_t)(s->nbatches + 1));
		for (int k = 0; k < s->nbatches; k++)
			vector_init(&s->res[f][k], a, n->types[nin + f], s->batches[k]->count);
	}
	s->scratch = arena_create(a, "window partition");
	for (int64_t ps = 0; ps < s->nrows;) {
		int64_t pe = ps + 1;
		while (pe < s->nrows && cmp_rows(s, ps, pe, n->npartition, s->pkeys) == 0)
			pe++;
		s->ps = ps;
		s->pe = pe;
		TRY(window_partition(s, op));
		TRY(exec_env_check(op->env));
		ps = pe;
	}
	arena_reset(s->scratch);
	return NULL;
}

static ferr *window_next(exec_op *op, exec_status *st, batch **out)
{
	window_state *s = op->impl;
	const pnode *n = op->node;
	while (!s->input_done) {
		batch *in;
		TRY(exec_op_next(op->children[0], st, &in));
		if (*st == EXEC_BLOCKED || *st == EXEC_YIELD) return NULL;
		if (*st == EXEC_BATCH) {
			if (in->count > 0) {
				exec_batches_append(op->state, &s->batches, &s->nbatches, &s->cap,
				                    batch_compact(op->state, in));
				s->nrows += in->count;
			}
			TRY(exec_env_check(op->env));
			if (exec_op_should_yield(op)) {
				*st = EXEC_YIELD;
				return NULL;
			}
			continue;
		}
		s->input_done = true;
	}
	if (!s->computed) {
		s->computed = true;
		TRY(window_compute(s, op));
	}
	if (s->cursor >= s->nbatches) {
		*st = EXEC_DONE;
		return NULL;
	}
	const batch *in = s->batches[s->cursor];
	batch *b = arena_alloc(op->out, sizeof(batch));
	*b = *in;
	b->ncols = n->ncols;
	b->cols = arena_alloc(op->out, sizeof(vector) * (size_t)n->ncols);
	memcpy(b->cols, in->cols, sizeof(vector) * (size_t)in->ncols);
	for (int f = 0; f < n->nwcalls; f++)
		b->cols[in->ncols + f] = s->res[f][s->cursor];
	s->cursor++;
	*out = b;
	*st = EXEC_BATCH;
	return NULL;
}

static const exec_op_ops window_ops = {window_next, NULL};

ferr *exec_window_create(exec_op *op)
{
	const pnode *n = op->node;
	if (op->nchildren != 1 || n->ncols != n->children[0]->ncols + n->nwcalls)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "malformed window node");
	if (op->driver && op->driver->index != 0)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "window node in a parallel fragment");
	window_state *s = arena_zalloc(op->state, sizeof(window_state));
	s->pkeys = arena_zalloc(op->state, sizeof(sort_key) * (size_t)(n->npartition + 1));
	for (int i = 0; i < n->npartition; i++)
		s->pkeys[i] = (sort_key){n->partition_cols[i], false, false};
	op->impl = s;
	op->ops = &window_ops;
	return NULL;
}
