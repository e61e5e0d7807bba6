/*
 * query_manager.c — the node's list of statements (see query_manager.h).
 * A fixed ring of the most recent MAX_QUERIES entries under one mutex: the
 * cost per statement is a lock and a few copies, never an allocation that
 * grows with the node's uptime.
 */
#include "gateway/query_manager.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "connectors/system/system.h"

#define MAX_QUERIES 1000
#define MAX_SQL 2000

typedef struct qm_entry {
	int64_t id; /* 0 = empty slot */
	qm_state state;
	char user[64];
	char source[64];
	char sql[MAX_SQL];
	char error_code[6];
	struct timeval created, ended;
} qm_entry;

static qm_entry ring[MAX_QUERIES];
static int64_t next_id = 1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char start_stamp[32];

static qm_entry *find(int64_t id)
{
	qm_entry *e = &ring[id % MAX_QUERIES];
	return e->id == id ? e : NULL;
}

int64_t qm_begin(const char *user, const char *source, const char *sql)
{
	pthread_mutex_lock(&lock);
	int64_t id = next_id++;
	qm_entry *e = &ring[id % MAX_QUERIES];
	memset(e, 0, sizeof *e);
	e->id = id;
	e->state = QM_RUNNING;
	snprintf(e->user, sizeof e->user, "%s", user ? user : "");
	snprintf(e->source, sizeof e->source, "%s", source ? source : "");
	snprintf(e->sql, sizeof e->sql, "%s", sql ? sql : "");
	gettimeofday(&e->created, NULL);
	pthread_mutex_unlock(&lock);
	return id;
}

void qm_set_state(int64_t id, qm_state st)
{
	pthread_mutex_lock(&lock);
	qm_entry *e = find(id);
	if (e) e->state = st;
	pthread_mutex_unlock(&lock);
}

void qm_finish(int64_t id, const ferr *err)
{
	pthread_mutex_lock(&lock);
	qm_entry *e = find(id);
	if (e) {
		e->state = err ? QM_FAILED : QM_FINISHED;
		if (err) memcpy(e->error_code, err->sqlstate, sizeof e->error_code);
		gettimeofday(&e->ended, NULL);
	}
	pthread_mutex_unlock(&lock);
}

void qm_format_id(int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%s_%05lld_ferry", start_stamp, (long long)id);
}

static const char *stamp(arena *a, struct timeval tv)
{
	if (tv.tv_sec == 0) return NULL;
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	return arena_sprintf(a, "%04d-%02d-%02d %02d:%02d:%02d.%06ld+00", tm.tm_year + 1900,
	                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	                     (long)tv.tv_usec);
}

static ferr *queries_rows(arena *a, system_rows *out)
{
	static const char *names[] = {"QUEUED", "RUNNING", "FINISHED", "FAILED"};
	pthread_mutex_lock(&lock);
	int n = 0;
	for (int i = 0; i < MAX_QUERIES; i++)
		if (ring[i].id) n++;
	out->ncols = 7;
	out->values = arena_alloc(a, sizeof(char *) * (size_t)(n * 7 + 1));
	int r = 0;
	for (int i = 0; i < MAX_QUERIES; i++) {
		qm_entry *e = &ring[i];
		if (!e->id) continue;
		char id[64];
		qm_format_id(e->id, id, sizeof id);
		const char **row = out->values + r * 7;
		row[0] = arena_strdup(a, id);
		row[1] = names[e->state];
		row[2] = arena_strdup(a, e->user);
		row[3] = arena_strdup(a, e->source);
		row[4] = arena_strdup(a, e->sql);
		row[5] = stamp(a, e->created);
		row[6] = stamp(a, e->ended);
		r++;
	}
	out->nrows = r;
	pthread_mutex_unlock(&lock);
	return NULL;
}

void qm_init(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(start_stamp, sizeof start_stamp, "%Y%m%d_%H%M%S", &tm);
	system_set_provider("queries", queries_rows);
}
