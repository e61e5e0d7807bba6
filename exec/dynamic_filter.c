/*
 * dynamic_filter.c — dynamic filters: when an inner (or semi, or right)
 * hash join has built its table, the set of its build keys (or their range
 * when the set is large) is published, and the scans on the probe side skip
 * rows, splits and (through apply_filter) source data that cannot match.
 * A probe pipeline pulls nothing before its join has built, so its scans
 * never open a split before the filter exists. Filters only narrow what
 * the join would drop anyway: results never depend on them.
 */
#include "exec/operator.h"

#include <stdlib.h>
#include <string.h>

/* Up to this many distinct keys are kept as a set; beyond it, the range. */
#define DF_MAX_VALUES 256

struct exec_dynfilter {
	pthread_mutex_t mu;
	atomic_int ready;
	arena *a; /* values and strings; written only by the publisher */
	ftype type;
	bool empty; /* no non-null key: nothing can match */
	const void *min, *max;
	int nvalues; /* > 0: the sorted distinct keys */
	const void **values;
};

void exec_dynfilters_create(exec_env *env, int n, arena *parent)
{
	env->ndf = n;
	env->dfs = arena_zalloc(parent, sizeof(exec_dynfilter) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		pthread_mutex_init(&env->dfs[i].mu, NULL);
		atomic_init(&env->dfs[i].ready, 0);
		env->dfs[i].a = arena_create(parent, "dynamic filter");
	}
}

void exec_dynfilters_destroy(exec_env *env)
{
	for (int i = 0; i < env->ndf; i++) pthread_mutex_destroy(&env->dfs[i].mu);
	env->ndf = 0;
}

static ftype SORT_TYPE; /* qsort has no context argument; set under the filter's lock */
static pthread_mutex_t sort_mu = PTHREAD_MUTEX_INITIALIZER;

static int cmp_values(const void *x, const void *y)
{
	return value_compare(SORT_TYPE, *(const void *const *)x, *(const void *const *)y);
}

static const void *copy_value(exec_dynfilter *df, const void *v)
{
	size_t w = ftype_width(df->type);
	void *c = arena_alloc(df->a, w);
	memcpy(c, v, w);
	if (exec_type_is_string(df->type)) {
		fstring *s = c;
		char *p = arena_alloc(df->a, s->len ? s->len : 1);
		memcpy(p, s->ptr, s->len);
		s->ptr = p;
	}
	return c;
}

void exec_dynfilter_publish(exec_env *env, int id, const batch *const *bb, int nbb, int key)
{
	if (id < 0 || id >= env->ndf) return;
	exec_dynfilter *df = &env->dfs[id];
	if (atomic_load(&df->ready)) return;
	pthread_mutex_lock(&df->mu);
	if (atomic_load(&df->ready)) {
		pthread_mutex_unlock(&df->mu);
		return;
	}
	const void **vals = NULL;
	int nv = 0, cap = 0;
	bool too_many = false;
	const void *min = NULL, *max = NULL;
	for (int i = 0; i < nbb; i++) {
		const vector *v = &bb[i]->cols[key];
		df->type = v->type;
		for (int r = 0; r < bb[i]->count; r++) {
			if (vector_is_null(v, r)) continue;
			const void *x = vector_at(v, r);
			if (!min || value_compare(v->type, x, min) < 0) min = x;
			if (!max || value_compare(v->type, x, max) > 0) max = x;
			if (too_many) continue;
			if (nv == cap) {
				cap = cap ? cap * 2 : 64;
				vals = xrealloc(vals, sizeof(void *) * (size_t)cap);
			}
			vals[nv++] = x;
			too_many = nv > 4 * DF_MAX_VALUES;
		}
	}
	df->empty = !min;
	if (min) {
		df->min = copy_value(df, min);
		df->max = copy_value(df, max);
	}
	if (min && !too_many) {
		pthread_mutex_lock(&sort_mu);
		SORT_TYPE = df->type;
		qsort(vals, (size_t)nv, sizeof(void *), cmp_values);
		pthread_mutex_unlock(&sort_mu);
		int u = 0;
		for (int i = 0; i < nv; i++)
			if (u == 0 || value_compare(df->type, vals[i], vals[u - 1]) != 0) vals[u++] = vals[i];
		if (u <= DF_MAX_VALUES) {
			df->values = arena_alloc(df->a, sizeof(void *) * (size_t)u);
			for (int i = 0; i < u; i++) df->values[i] = copy_value(df, vals[i]);
			df->nvalues = u;
		}
	}
	free(vals);
	atomic_store(&df->ready, 1);
	pthread_mutex_unlock(&df->mu);
}

static bool passes(const exec_dynfilter *df, const void *x)
{
	if (value_compare(df->type, x, df->min) < 0 || value_compare(df->type, x, df->max) > 0)
		return false;
	if (df->nvalues == 0) return true;
	int lo = 0, hi = df->nvalues - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = value_compare(df->type, x, df->values[mid]);
		if (c == 0) return true;
		if (c < 0) hi = mid - 1;
		else lo = mid + 1;
	}
	return false;
}

static const exec_dynfilter *ready_filter(exec_env *env, int id)
{
	if (id < 0 || id >= env->ndf || !atomic_load(&env->dfs[id].ready)) return NULL;
	return &env->dfs[id];
}

bool exec_dynfilter_apply(exec_env *env, const pnode *scan, batch *b, arena *a)
{
	bool any = false;
	for (int i = 0; i < scan->ndf && b->count > 0; i++) {
		const exec_dynfilter *df = ready_filter(env, scan->df_ids[i]);
		if (!df) continue;
		any = true;
		const vector *v = &b->cols[scan->df_cols[i]];
		if (!ftype_equal(v->type, df->type) && v->type.id != df->type.id) continue;
		uint16_t *sel = arena_alloc(a, sizeof(uint16_t) * (size_t)b->count);
		int k = 0;
		for (int j = 0; j < b->count; j++) {
			int r = batch_row(b, j);
			if (!df->empty && !vector_is_null(v, r) && passes(df, vector_at(v, r))) sel[k++] = (uint16_t)r;
		}
		b->sel = sel;
		b->count = k;
	}
	return any;
}

static fvalue as_fvalue(ftype t, const void *p)
{
	fvalue v = {0};
	memcpy((void *)fvalue_ptr(t, &v), p, ftype_width(t));
	return v;
}

conn_domain *exec_dynfilter_domain(exec_env *env, const pnode *scan, arena *a)
{
	conn_domain *d = NULL;
	for (int i = 0; i < scan->ndf; i++) {
		const exec_dynfilter *df = ready_filter(env, scan->df_ids[i]);
		if (!df) continue;
		int col = scan->scan_cols[scan->df_cols[i]];
		if (!ftype_equal(scan->table->cols[col].type, df->type)) continue; /* keys were cast */
		if (!d) {
			d = arena_zalloc(a, sizeof *d);
			d->cols = arena_zalloc(a, sizeof(conn_column_domain) * (size_t)scan->ndf);
		}
		if (df->empty) {
			d->none = true;
			return d;
		}
		bool seen = false;
		for (int k = 0; k < d->ncols; k++) seen |= d->cols[k].column == col;
		if (seen) continue; /* one domain per column */
		conn_column_domain *cd = &d->cols[d->ncols++];
		cd->column = col;
		int n = df->nvalues ? df->nvalues : 1;
		cd->nranges = n;
		cd->ranges = arena_zalloc(a, sizeof(conn_range) * (size_t)n);
		for (int k = 0; k < n; k++) {
			const void *lo = df->nvalues ? df->values[k] : df->min;
			const void *hi = df->nvalues ? df->values[k] : df->max;
			cd->ranges[k] = (conn_range){.low_inclusive = true, .high_inclusive = true,
			                             .low = as_fvalue(df->type, lo), .high = as_fvalue(df->type, hi)};
		}
	}
	return d;
}
