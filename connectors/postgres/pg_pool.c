/*
 * pg_pool.c — a catalog's pool of libpq connections (connection-pool.max-size),
 * shared by the planner thread and every executor thread, and the mapping of
 * libpq failures to Ferry errors that name the catalog. A connection is used
 * by one thread at a time; a broken one is closed, never handed out again.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "connectors/postgres/pg_internal.h"

/* Session settings every connection gets, so text forms are predictable. */
#define PGC_SESSION_SETUP                                                     \
	"SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; "                      \
	"SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; "            \
	"SET standard_conforming_strings = on"

ferr *pgc_pool_init(pgc_pool *p, const char *catalog, pgc_conninfo ci, int max, int64_t wait_ms)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	p->catalog = catalog;
	p->ci = ci;
	p->max = max;
	p->wait_ms = wait_ms;
	p->idle = xcalloc((size_t)max, sizeof(PGconn *));
	return NULL;
}

void pgc_pool_destroy(pgc_pool *p)
{
	pthread_mutex_lock(&p->mu);
	for (int i = 0; i < p->nidle; i++) PQfinish(p->idle[i]);
	if (p->open != p->nidle)
		log_warn("catalog %s: %d postgresql connections still lent out at shutdown", p->catalog,
		         p->open - p->nidle);
	p->nidle = p->open = 0;
	pthread_mutex_unlock(&p->mu);
	free(p->idle);
	pgc_conninfo_free(&p->ci);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
}

/* Split libpq's multi-line message: first line → message, the rest → detail. */
static ferr *libpq_error(const char *sqlstate, const char *catalog, const char *what, const char *msg)
{
	const char *nl = strchr(msg, '\n');
	size_t first = nl ? (size_t)(nl - msg) : strlen(msg);
	ferr *e = ferr_new(sqlstate, "catalog '%s': %s: %.*s", catalog, what, (int)first, msg);
	if (nl) {
		const char *rest = nl + 1;
		while (*rest == '\t' || *rest == ' ' || *rest == '\n') rest++;
		size_t rl = strlen(rest);
		while (rl && (rest[rl - 1] == '\n' || rest[rl - 1] == ' ')) rl--;
		if (rl) ferr_detail(e, "%.*s", (int)rl, rest);
	}
	return e;
}

/*
 * libpq does not expose the SQLSTATE of a failed connection attempt, only
 * the server's text; classify the (English) messages that matter to users.
 */
static const char *connect_sqlstate(const char *msg)
{
	if (strstr(msg, "password authentication failed")) return SQLSTATE_INVALID_PASSWORD;
	if (strstr(msg, "no password supplied") || strstr(msg, "authentication failed") ||
	    strstr(msg, "pg_hba.conf") || (strstr(msg, "role \"") && strstr(msg, "does not exist")))
		return SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION;
	if (strstr(msg, "database \"") && strstr(msg, "does not exist")) return SQLSTATE_INVALID_CATALOG_NAME;
	if (strstr(msg, "too many clients")) return SQLSTATE_TOO_MANY_CONNECTIONS;
	return SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH;
}

/* Server notices (and libpq's own) go to Ferry's log, not to stderr. */
static void notice_to_log(void *arg, const char *msg)
{
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n') n--;
	log_debug("catalog %s: postgresql: %.*s", (const char *)arg, (int)n, msg);
}

static ferr *pgc_connect(pgc_pool *p, PGconn **out)
{
	PGconn *c = PQconnectdbParams((const char *const *)p->ci.keys, (const char *const *)p->ci.vals, 0);
	if (!c) return ferr_new(SQLSTATE_OUT_OF_MEMORY, "catalog '%s': out of memory opening a connection", p->catalog);
	if (PQstatus(c) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(c);
		const char *state = connect_sqlstate(msg);
		ferr *e = libpq_error(state, p->catalog,
		                      strcmp(state, SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH) == 0
		                          ? "could not connect to server"
		                          : "connection refused by server",
		                      msg);
		PQfinish(c);
		return e;
	}
	PQsetNoticeProcessor(c, notice_to_log, (void *)p->catalog);
	PGresult *r = PQexec(c, PGC_SESSION_SETUP);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		ferr *e = pgc_result_error(p->catalog, c, r);
		PQclear(r);
		PQfinish(c);
		return e;
	}
	PQclear(r);
	*out = c;
	return NULL;
}

/*
 * An idle connection has nothing to say; if its socket is readable the
 * server has sent something unasked (typically a FATAL before closing:
 * restart, idle timeout, pg_terminate_backend), so it is not reused.
 */
static bool idle_conn_alive(PGconn *c)
{
	if (PQstatus(c) != CONNECTION_OK) return false;
	struct pollfd pfd = {.fd = PQsocket(c), .events = POLLIN};
	int r = poll(&pfd, 1, 0);
	return r == 0;
}

ferr *pgc_pool_get(pgc_pool *p, PGconn **out, bool *reused)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += p->wait_ms / 1000;
	deadline.tv_nsec += (p->wait_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->nidle > 0) {
			PGconn *c = p->idle[--p->nidle];
			if (idle_conn_alive(c)) {
				pthread_mutex_unlock(&p->mu);
				*out = c;
				*reused = true;
				return NULL;
			}
			PQfinish(c);
			p->open--;
		}
		if (p->open < p->max) {
			p->open++;
			pthread_mutex_unlock(&p->mu);
			ferr *e = pgc_connect(p, out);
			if (e) {
				pthread_mutex_lock(&p->mu);
				p->open--;
				pthread_cond_signal(&p->cv);
				pthread_mutex_unlock(&p->mu);
				return e;
			}
			*reused = false;
			return NULL;
		}
		int rc = pthread_cond_timedwait(&p->cv, &p->mu, &deadline);
		if (rc == ETIMEDOUT && p->nidle == 0 && p->open >= p->max) {
			pthread_mutex_unlock(&p->mu);
			return ferr_hint(ferr_new(SQLSTATE_TOO_MANY_CONNECTIONS,
			                          "catalog '%s': all %d connections of the pool are in use",
			                          p->catalog, p->max),
			                 "Raise connection-pool.max-size.");
		}
	}
}

void pgc_pool_put(pgc_pool *p, PGconn *c)
{
	if (!c) return;
	bool keep = PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE;
	if (!keep) PQfinish(c);
	pthread_mutex_lock(&p->mu);
	if (keep && p->nidle < p->max) p->idle[p->nidle++] = c;
	else {
		if (keep) PQfinish(c);
		p->open--;
	}
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void pgc_pool_discard(pgc_pool *p, PGconn *c)
{
	if (!c) return;
	PQfinish(c);
	pthread_mutex_lock(&p->mu);
	p->open--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

bool pgc_conn_lost(PGconn *c, const PGresult *r)
{
	const char *sev = r ? PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED) : NULL;
	return PQstatus(c) == CONNECTION_BAD || (sev && (!strcmp(sev, "FATAL") || !strcmp(sev, "PANIC")));
}

ferr *pgc_result_error(const char *catalog, PGconn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (pgc_conn_lost(c, r)) {
		/* whatever the server said last (57P01 on shutdown), the link is gone */
		ferr *e = libpq_error(SQLSTATE_CONNECTION_FAILURE, catalog, "lost connection to server",
		                      msg ? msg : PQerrorMessage(c));
		if (state && !e->detail) ferr_detail(e, "The server reported SQLSTATE %s.", state);
		return e;
	}
	if (!state || !msg) {
		const char *m = r ? PQresultErrorMessage(r) : "";
		if (!m || !*m) m = PQerrorMessage(c);
		return libpq_error(SQLSTATE_CONNECTION_EXCEPTION, catalog, "remote error", m);
	}
	ferr *e = ferr_new(state, "catalog '%s': %s", catalog, msg);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	if (detail) ferr_detail(e, "%s", detail);
	if (hint) ferr_hint(e, "%s", hint);
	return e;
}

/* nparams < 0: PQexec (several statements allowed, one implicit transaction). */
static ferr *pool_run(pgc_catalog *cat, const char *sql, int nparams, const char *const *params,
                      PGresult **out)
{
	for (int attempt = 0;; attempt++) {
		PGconn *c;
		bool reused;
		TRY(pgc_pool_get(&cat->pool, &c, &reused));
		PGresult *r = nparams < 0 ? PQexec(c, sql) : PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			pgc_pool_put(&cat->pool, c);
			*out = r;
			return NULL;
		}
		bool lost = pgc_conn_lost(c, r);
		ferr *e = pgc_result_error(cat->base.name, c, r);
		PQclear(r);
		pgc_pool_put(&cat->pool, c);
		/* a pooled connection may have died since it was last used: one retry */
		if (lost && reused && attempt == 0) {
			ferr_free(e);
			continue;
		}
		return e;
	}
}

ferr *pgc_query(pgc_catalog *cat, const char *sql, int nparams, const char *const *params,
                PGresult **out)
{
	return pool_run(cat, sql, nparams < 0 ? 0 : nparams, params, out);
}

ferr *pgc_exec(pgc_catalog *cat, const char *sql)
{
	PGresult *r;
	ferr *e = pool_run(cat, sql, -1, NULL, &r);
	/* DDL and ANALYZE: even a failed one may have changed something remotely */
	pgc_cache_invalidate(&cat->cache);
	if (e) return e;
	PQclear(r);
	return NULL;
}
