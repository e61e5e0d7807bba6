/*
 * operator.c — instantiating plan nodes as operators, and the row helpers
 * (copy, hash, compare) that several operators share.
 * Runs on the query-starting thread for instantiation only; the helpers
 * are pure and may run on any executor thread.
 */
#include "exec/operator.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool exec_type_is_string(ftype t)
{
	switch (t.id) {
	case TYPE_TEXT:
	case TYPE_VARCHAR:
	case TYPE_BPCHAR:
	case TYPE_BYTEA:
	case TYPE_JSON:
	case TYPE_JSONB:
	case TYPE_UNKNOWN:
	case TYPE_ARRAY:
		return true;
	default:
		return false;
	}
}

void exec_copy_value(vector *dst, int drow, int dcap, const vector *src, int srow, arena *a,
                     bool deep)
{
	if (vector_is_null(src, srow)) {
		vector_set_null(dst, a, drow, dcap);
		return;
	}
	if (dst->validity) dst->validity[drow >> 6] |= (uint64_t)1 << (drow & 63);
	size_t w = ftype_width(dst->type);
	const void *sp = vector_at(src, srow);
	if (deep && exec_type_is_string(dst->type)) {
		const fstring *s = sp;
		vector_set_string(dst, a, drow, s->ptr, s->len);
	} else {
		memcpy((char *)dst->data + (size_t)drow * w, sp, w);
	}
}

uint64_t exec_hash_combine(uint64_t h, uint64_t v)
{
	/* boost::hash_combine widened to 64 bits, then a final mix (splitmix64). */
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 12) + (h >> 4);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

uint64_t exec_hash_row(const batch *b, int r, int nkeys, const int *keys)
{
	uint64_t h = 0x12345678;
	for (int k = 0; k < nkeys; k++) {
		const vector *v = &b->cols[keys[k]];
		uint64_t kh =
		    vector_is_null(v, r) ? 0x5bd1e995ULL : value_hash(v->type, vector_at(v, r));
		h = exec_hash_combine(h, kh);
	}
	return h;
}

int exec_compare_rows(const batch *a, int ra, const batch *b, int rb, int nkeys,
                      const sort_key *keys)
{
	for (int k = 0; k < nkeys; k++) {
		const vector *va = &a->cols[keys[k].column], *vb = &b->cols[keys[k].column];
		bool na = vector_is_null(va, ra), nb = vector_is_null(vb, rb);
		int c;
		if (na || nb) {
			if (na && nb) continue;
			/* NULL placement is independent of the direction. */
			c = na ? -1 : 1;
			if (!keys[k].nulls_first) c = -c;
			return c;
		}
		c = value_compare(va->type, vector_at(va, ra), vector_at(vb, rb));
		if (c) return keys[k].descending ? -c : c;
	}
	return 0;
}

batch *exec_batch_view(arena *a, const batch *b)
{
	batch *v = arena_alloc(a, sizeof(*v));
	*v = *b;
	return v;
}

exec_shared *exec_env_shared(exec_env *env, const pnode *n)
{
	for (int i = 0; i < env->nshared; i++)
		if (env->shared[i]->node == n) return env->shared[i];
	return NULL;
}

/* A limit as Trino writes it in this message: 1MB, 512kB, 2GB. */
static void format_limit(int64_t lim, char *buf, size_t n)
{
	if (lim > 0 && lim % (1LL << 30) == 0)
		snprintf(buf, n, "%lldGB", (long long)(lim >> 30));
	else if (lim > 0 && lim % (1LL << 20) == 0)
		snprintf(buf, n, "%lldMB", (long long)(lim >> 20));
	else if (lim > 0 && lim % 1024 == 0)
		snprintf(buf, n, "%lldkB", (long long)(lim >> 10));
	else
		snprintf(buf, n, "%lldB", (long long)lim);
}

/* A byte count as Trino's succinct DataSize: 12.34MB. */
static void format_size(int64_t v, char *buf, size_t n)
{
	if (v < 1024)
		snprintf(buf, n, "%lldB", (long long)v);
	else if (v < (1LL << 20))
		snprintf(buf, n, "%.2fkB", v / 1024.0);
	else if (v < (1LL << 30))
		snprintf(buf, n, "%.2fMB", v / 1048576.0);
	else
		snprintf(buf, n, "%.2fGB", v / 1073741824.0);
}

ferr *exec_memory_error(const mem_tracker *t)
{
	char buf[64];
	format_limit(mem_tracker_limit(t), buf, sizeof buf);
	ferr *e =
	    ferr_new(SQLSTATE_OUT_OF_MEMORY, "Query exceeded per-node memory limit of %s", buf);
	return ferr_detail(e, "Allocated: %lld bytes.", (long long)mem_tracker_current(t));
}

const char *exec_op_memory_name(const pnode *n)
{
	switch (n->kind) {
	case PN_SCAN: return "TableScanOperator";
	case PN_VALUES: return "ValuesOperator";
	case PN_FILTER:
	case PN_PROJECT: return "FilterAndProjectOperator";
	case PN_HASH_AGG: return "HashAggregationOperator";
	case PN_SORT: return "OrderByOperator";
	case PN_TOPN: return "TopNOperator";
	case PN_LIMIT: return "LimitOperator";
	case PN_HASH_JOIN: return "HashBuilderOperator";
	case PN_EXCHANGE: return "ExchangeOperator";
	case PN_TABLE_WRITE: return "TableWriterOperator";
	case PN_WINDOW: return "WindowOperator";
	case PN_REPLICATE: return "ReplicateOperator";
	case PN_GROUP_ID: return "GroupIdOperator";
	case PN_GENERATE_SERIES: return "TableFunctionOperator";
	default: return "Operator";
	}
}

/*
 * Operators of one name summed over nodes and drivers; what no operator
 * holds (batches queued in exchanges, driver buffers) is ExchangeBuffers.
 * Read while drivers still run: the figures are a snapshot, which is all
 * an error message needs.
 */
ferr *exec_env_memory_error(exec_env *env)
{
	enum { MAXC = 32 };
	const char *names[MAXC];
	int64_t bytes[MAXC];
	int n = 0;
	int64_t total = mem_tracker_current(env->tracker), held = 0;
	for (int i = 0; i < env->nop_mem; i++) {
		const char *nm = mem_tracker_name(env->op_mem[i]);
		int64_t v = mem_tracker_current(env->op_mem[i]);
		held += v;
		int k = 0;
		while (k < n && strcmp(names[k], nm)) k++;
		if (k == n) {
			if (n == MAXC) continue;
			names[n] = nm;
			bytes[n++] = 0;
		}
		bytes[k] += v;
	}
	if (total - held > 0 && n < MAXC) {
		names[n] = "ExchangeBuffers";
		bytes[n++] = total - held;
	}
	/* Largest first (n is small). */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && bytes[j] > bytes[j - 1]; j--) {
			int64_t tb = bytes[j];
			bytes[j] = bytes[j - 1];
			bytes[j - 1] = tb;
			const char *tn = names[j];
			names[j] = names[j - 1];
			names[j - 1] = tn;
		}
	char lim[64], sz[64];
	format_limit(mem_tracker_limit(env->tracker), lim, sizeof lim);
	ferr *e = ferr_new(SQLSTATE_OUT_OF_MEMORY, "Query exceeded per-node memory limit of %s in %s",
	                   lim, n ? names[0] : "ExchangeBuffers");
	strbuf d = STRBUF_INIT;
	format_size(total, sz, sizeof sz);
	sb_printf(&d, "Allocated: %s, Top Consumers: {", sz);
	for (int i = 0; i < n && i < 5; i++) {
		format_size(bytes[i], sz, sizeof sz);
		sb_printf(&d, "%s%s=%s", i ? ", " : "", names[i], sz);
	}
	sb_puts(&d, "}.");
	e = ferr_detail(e, "%s", d.data);
	sb_free(&d);
	if (!env->spill && n &&
	    (!strcmp(names[0], "OrderByOperator") || !strcmp(names[0], "HashAggregationOperator") ||
	     !strcmp(names[0], "HashBuilderOperator")))
		e = ferr_hint(e, "SET SESSION spill_enabled = true lets %s spill to disk.", names[0]);
	return e;
}

bool exec_op_should_spill(const exec_op *op, int64_t extra)
{
	const exec_env *env = op->env;
	if (!env->spill || !env->tracker || !op->mem) return false;
	int64_t lim = mem_tracker_limit(env->tracker);
	if (lim <= 0) return false;
	/* Spill before the limit is near: the next input batch, the exchanges'
	 * queues and the other drivers still need room. An operator with little
	 * memory gains nothing by spilling; the largest holders go first. */
	return mem_tracker_current(env->tracker) + extra > lim / 2 &&
	       mem_tracker_current(op->mem) + extra >= lim / 16;
}

ferr *exec_env_check(exec_env *env)
{
	if (atomic_load(&env->cancelled))
		return ferr_new(SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
	if (env->tracker && mem_tracker_exceeded(env->tracker)) return exec_env_memory_error(env);
	return NULL;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

bool exec_op_should_yield(const exec_op *op)
{
	return op->driver && op->driver->quantum_end_ns && now_ns() >= op->driver->quantum_end_ns;
}

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Bytes of b's live rows: fixed-width values plus string bytes. */
static int64_t batch_bytes(const batch *b)
{
	int64_t n = 0;
	for (int c = 0; c < b->ncols; c++) {
		const vector *v = &b->cols[c];
		if (!exec_type_is_string(v->type)) {
			n += (int64_t)ftype_width(v->type) * b->count;
			continue;
		}
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			if (!vector_is_null(v, r)) n += ((const fstring *)vector_at(v, r))->len;
		}
	}
	return n;
}

ferr *exec_op_next(exec_op *op, exec_status *st, batch **out)
{
	bool stats = op->env && op->env->collect_stats;
	int64_t t0 = now_ns(), c0 = stats ? thread_cpu_ns() : 0;
	arena_reset(op->out);
	*out = NULL;
	ferr *e = op->ops->next(op, st, out);
	op->wall_ns += now_ns() - t0;
	if (stats) op->cpu_ns += thread_cpu_ns() - c0;
	if (!e && *st == EXEC_BATCH) {
		op->rows_out += (*out)->count;
		if (stats) op->bytes_out += batch_bytes(*out);
	}
	return e;
}

static bool cols_in_range(int n, const int *cols, int limit)
{
	for (int i = 0; i < n; i++)
		if (!cols || cols[i] < 0 || cols[i] >= limit) return false;
	return true;
}

/*
 * Column references a node makes into its input must be in range: a
 * planner bug then becomes an XX000 error instead of a wild read.
 */
static ferr *validate_node(const pnode *n)
{
	int in0 = n->nchildren > 0 && n->children[0] ? n->children[0]->ncols : 0;
	bool ok = true;
	switch (n->kind) {
	case PN_SORT:
	case PN_TOPN:
		for (int i = 0; i < n->nkeys; i++)
			ok &= n->keys && n->keys[i].column >= 0 && n->keys[i].column < in0;
		break;
	case PN_HASH_AGG:
		ok = cols_in_range(n->ngroup, n->group_cols, in0);
		for (int i = 0; i < n->naggs; i++)
			ok &= n->aggs && n->aggs[i].arg >= -1 && n->aggs[i].arg < in0 &&
			      (n->aggs[i].arg >= 0 || n->aggs[i].kind == AGG_COUNT_STAR);
		break;
	case PN_HASH_JOIN:
		ok = n->nchildren == 2 && cols_in_range(n->nkeys_join, n->probe_keys, in0) &&
		     cols_in_range(n->nkeys_join, n->build_keys, n->children[1]->ncols);
		break;
	case PN_WINDOW:
		ok = cols_in_range(n->npartition, n->partition_cols, in0);
		for (int i = 0; i < n->nkeys; i++)
			ok &= n->keys && n->keys[i].column >= 0 && n->keys[i].column < in0;
		for (int i = 0; i < n->nwcalls; i++)
			for (int k = 0; k < 3; k++)
				ok &= n->wcalls[i].args[k] >= -1 && n->wcalls[i].args[k] < in0;
		break;
	case PN_SCAN:
		ok = n->table && n->nscan_cols == n->ncols &&
		     cols_in_range(n->nscan_cols, n->scan_cols, n->table->ncols);
		break;
	case PN_VALUES:
		ok = n->nrows == 0 || n->rows;
		break;
	case PN_REPLICATE:
		ok = n->count_col >= 0 && n->count_col < in0 && n->ncols == in0;
		break;
	case PN_GROUP_ID:
		ok = cols_in_range(n->ngroup, n->group_cols, in0) && n->nsets > 0 && n->sets &&
		     n->ncols == n->ngroup + in0 + 1;
		break;
	case PN_GENERATE_SERIES:
		ok = n->ncols == 1 && n->exprs && n->exprs[0] && n->exprs[1] && n->exprs[2];
		break;
	default:
		break;
	}
	for (int i = 0; i < n->nchildren; i++)
		ok &= n->children[i] != NULL;
	if (!ok)
		return ferr_new(SQLSTATE_INTERNAL_ERROR,
		                "plan node %d (kind %d) refers to a missing column", n->id,
		                (int)n->kind);
	return NULL;
}

ferr *exec_op_build(const pnode *n, exec_env *env, exec_driver *d, arena *parent, exec_op **out)
{
	TRY(validate_node(n));
	exec_op *op = arena_zalloc(parent, sizeof(*op));
	op->node = n;
	op->env = env;
	op->driver = d;
	op->shared = exec_env_shared(env, n);
	op->state = arena_create(parent, "operator");
	op->out = arena_create(parent, "operator output");
	if (env->tracker) {
		/* Everything the operator allocates is its own: the 53200 detail and
		 * EXPLAIN ANALYZE's peak memory come from this tracker. */
		op->mem = mem_tracker_create_child(env->tracker, exec_op_memory_name(n));
		if (env->nop_mem == env->cap_op_mem) {
			env->cap_op_mem = env->cap_op_mem ? env->cap_op_mem * 2 : 16;
			env->op_mem = xrealloc(env->op_mem, sizeof(mem_tracker *) * (size_t)env->cap_op_mem);
		}
		env->op_mem[env->nop_mem++] = op->mem;
		arena_set_tracker(op->state, op->mem);
		arena_set_tracker(op->out, op->mem);
	}
	op->nchildren = n->nchildren;
	if (n->nchildren > 0)
		op->children = arena_zalloc(parent, sizeof(exec_op *) * (size_t)n->nchildren);
	for (int i = 0; i < n->nchildren; i++)
		TRY(exec_op_build(n->children[i], env, d, parent, &op->children[i]));
	switch (n->kind) {
	case PN_SCAN:
		TRY(exec_scan_create(op));
		break;
	case PN_VALUES:
		TRY(exec_values_create(op));
		break;
	case PN_FILTER:
		TRY(exec_filter_create(op));
		break;
	case PN_PROJECT:
		TRY(exec_project_create(op));
		break;
	case PN_HASH_AGG:
		TRY(exec_hash_agg_create(op));
		break;
	case PN_SORT:
		TRY(exec_sort_create(op));
		break;
	case PN_TOPN:
		TRY(exec_topn_create(op));
		break;
	case PN_LIMIT:
		TRY(exec_limit_create(op));
		break;
	case PN_HASH_JOIN:
		TRY(exec_hash_join_create(op));
		break;
	case PN_EXCHANGE:
		TRY(exec_exchange_source_create(op));
		break;
	case PN_TABLE_WRITE:
		TRY(exec_table_writer_create(op));
		break;
	case PN_WINDOW:
		TRY(exec_window_create(op));
		break;
	case PN_REPLICATE:
		TRY(exec_replicate_create(op));
		break;
	case PN_GROUP_ID:
		TRY(exec_group_id_create(op));
		break;
	case PN_GENERATE_SERIES:
		TRY(exec_generate_series_create(op));
		break;
	case PN_RECURSIVE_UNION:
		TRY(exec_recursive_union_create(op));
		break;
	case PN_WORKTABLE:
		TRY(exec_worktable_create(op));
		break;
	case PN_LATERAL_SRF:
		TRY(exec_lateral_srf_create(op));
		break;
	case PN_UNNEST:
		TRY(exec_unnest_create(op));
		break;
	default:
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "unknown plan node kind %d", (int)n->kind);
	}
	*out = op;
	return NULL;
}

void exec_op_close_tree(exec_op *op)
{
	if (!op) return;
	for (int i = 0; i < op->nchildren; i++)
		exec_op_close_tree(op->children[i]);
	if (op->ops && op->ops->close) op->ops->close(op);
	op->ops = NULL;
}

void exec_op_tree_discard(exec_op **root, arena **a)
{
	exec_op_close_tree(*root);
	*root = NULL;
	if (*a) arena_destroy(*a);
	*a = NULL;
}

/*
 * Hand this driver's partial state in; true for the last driver of the
 * node, which then finds every driver's state in (*all)[0..ndrivers).
 */
bool exec_shared_hand_in(exec_shared *sh, void *mine, arena *a, void ***all)
{
	pthread_mutex_lock(&sh->mu);
	if (!sh->data) sh->data = arena_zalloc(a, sizeof(void *) * (size_t)sh->ndrivers);
	void **list = sh->data;
	list[sh->ndrivers - sh->remaining] = mine;
	bool last = --sh->remaining == 0;
	pthread_mutex_unlock(&sh->mu);
	*all = list;
	return last;
}

void exec_batches_append(arena *a, batch ***v, int *n, int *cap, batch *b)
{
	if (*n == *cap) {
		int grown = *cap ? *cap * 2 : 16;
		*v = arena_realloc(a, *v, sizeof(batch *) * (size_t)*cap, sizeof(batch *) * (size_t)grown);
		*cap = grown;
	}
	(*v)[(*n)++] = b;
}

/* Rows refs[0..n) gathered into a new batch of types in a (values shallow). */
batch *exec_gather_rows(arena *a, int ncols, const ftype *types, const exec_row_ref *refs, int n)
{
	batch *b = batch_create(a, ncols, types, n > 0 ? n : 1);
	for (int c = 0; c < ncols; c++)
		for (int i = 0; i < n; i++)
			exec_copy_value(&b->cols[c], i, b->capacity, &refs[i].b->cols[c],
			                refs[i].row, a, false);
	b->count = n;
	return b;
}
