/*
 * pg_cache.c — the catalog's metadata cache (metadata.cache-ttl): results of
 * the parameterised pg_catalog statements (schema list, columns, keys,
 * statistics, relation size) kept for the TTL, so a statement on a known
 * table plans without a round trip. It must never serve a result older than
 * the TTL, nor one read before a DDL or write made through this catalog.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connectors/postgres/pg_internal.h"

/* More entries than this: the whole cache is dropped (it refills itself). */
#define PGC_CACHE_MAX_ENTRIES 4096

struct pgc_cache_entry {
	char *key; /* the statement, then each parameter, separated by \x1f */
	PGresult *result;
	int64_t expires_ms; /* CLOCK_MONOTONIC */
	pgc_cache_entry *next;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pgc_cache_init(pgc_cache *m, int64_t ttl_ms, bool cache_missing)
{
	memset(m, 0, sizeof *m);
	pthread_mutex_init(&m->mu, NULL);
	m->ttl_ms = ttl_ms;
	m->cache_missing = cache_missing;
}

static void drop_all(pgc_cache *m)
{
	pgc_cache_entry *e = m->head;
	while (e) {
		pgc_cache_entry *next = e->next;
		PQclear(e->result);
		free(e->key);
		free(e);
		e = next;
	}
	m->head = NULL;
	m->n = 0;
}

void pgc_cache_destroy(pgc_cache *m)
{
	drop_all(m);
	pthread_mutex_destroy(&m->mu);
}

void pgc_cache_invalidate(pgc_cache *m)
{
	pthread_mutex_lock(&m->mu);
	drop_all(m);
	/* a lookup that started before this must not store what it read */
	m->generation++;
	pthread_mutex_unlock(&m->mu);
}

static char *make_key(const char *sql, int nparams, const char *const *params)
{
	strbuf k = STRBUF_INIT;
	sb_puts(&k, sql);
	for (int i = 0; i < nparams; i++) {
		sb_putc(&k, '\x1f');
		sb_puts(&k, params[i] ? params[i] : "");
	}
	return k.data ? k.data : strdup("");
}

/* The live entry for key (expired ones are unlinked on the way), or NULL. */
static pgc_cache_entry *find(pgc_cache *m, const char *key, int64_t now)
{
	for (pgc_cache_entry **pp = &m->head; *pp;) {
		pgc_cache_entry *e = *pp;
		if (e->expires_ms <= now) {
			*pp = e->next;
			PQclear(e->result);
			free(e->key);
			free(e);
			m->n--;
			continue;
		}
		if (strcmp(e->key, key) == 0) return e;
		pp = &e->next;
	}
	return NULL;
}

static PGresult *copy_result(const PGresult *r)
{
	return PQcopyResult(r, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
}

/*
 * pgc_query through the cache: a hit is a private copy of the stored
 * result (the caller PQclears it as usual). An empty result is stored only
 * when empty_is_missing is false or metadata.cache-missing is on.
 */
ferr *pgc_query_cached(pgc_catalog *c, const char *sql, int nparams, const char *const *params,
                       bool empty_is_missing, PGresult **out)
{
	pgc_cache *m = &c->cache;
	if (m->ttl_ms <= 0) return pgc_query(c, sql, nparams, params, out);
	char *key = make_key(sql, nparams, params);
	pthread_mutex_lock(&m->mu);
	pgc_cache_entry *hit = find(m, key, now_ms());
	PGresult *r = hit ? copy_result(hit->result) : NULL;
	uint64_t gen = m->generation;
	pthread_mutex_unlock(&m->mu);
	if (r) {
		free(key);
		*out = r;
		return NULL;
	}
	int64_t started = now_ms();
	ferr *e = pgc_query(c, sql, nparams, params, &r);
	if (e) {
		free(key);
		return e;
	}
	PGresult *keep =
	    (PQntuples(r) > 0 || !empty_is_missing || m->cache_missing) ? copy_result(r) : NULL;
	pthread_mutex_lock(&m->mu);
	if (keep && gen == m->generation && !find(m, key, now_ms())) {
		if (m->n >= PGC_CACHE_MAX_ENTRIES) drop_all(m);
		pgc_cache_entry *ne = xcalloc(1, sizeof *ne);
		ne->key = key;
		ne->result = keep;
		/* counted from before the read: never older than the TTL */
		ne->expires_ms = started + m->ttl_ms;
		ne->next = m->head;
		m->head = ne;
		m->n++;
		key = NULL;
		keep = NULL;
	}
	pthread_mutex_unlock(&m->mu);
	PQclear(keep);
	free(key);
	*out = r;
	return NULL;
}
