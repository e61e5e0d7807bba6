/*
 * test_postgres_live.c — the postgresql connector against a real PostgreSQL
 * 15 started by tests/suites/postgres.sh, used only through the SPI (libpq
 * directly only for the test's own admin actions). Every test is skipped
 * when PG_TEST_CONNINFO is unset, so scripts/run-unit.sh can run it bare.
 *
 * Environment (set by the suite): PG_TEST_CONNINFO (connection-url),
 * PG_TEST_ADMIN (libpq conninfo for admin actions), PG_TEST_LOG (server log
 * with log_statement=all), PG_TEST_STOP / PG_TEST_START (shell commands).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connectors/catalogs.h"
#include "connectors/postgres/pg_internal.h"

#define BIG_ROWS 200000

static arena *A;
static const char *URL;

#define NEED_SERVER()                                                          \
	do {                                                                       \
		if (!URL) {                                                            \
			skip();                                                            \
		}                                                                      \
	} while (0)

/* A catalog named name over the test server, with extra key=value pairs. */
static conn_catalog *catalog(const char *name, const char *k1, const char *v1, const char *k2, const char *v2)
{
	conn_catalog *c = catalogs_acquire(name);
	if (c) return c;
	props *p = props_create();
	assert_null(props_set(p, "connector.name", "postgresql"));
	assert_null(props_set(p, "connection-url", URL));
	assert_null(props_set(p, "connection-user", "postgres"));
	assert_null(props_set(p, "connection-pool.max-size", "4"));
	if (k1) assert_null(props_set(p, k1, v1));
	if (k2) assert_null(props_set(p, k2, v2));
	ferr *e = catalogs_add(name, p);
	if (e) fail_msg("catalogs_add: %s", e->message);
	props_destroy(p);
	c = catalogs_acquire(name);
	assert_non_null(c);
	return c;
}

static conn_table *table(conn_catalog *c, const char *schema, const char *name)
{
	conn_table *t = NULL;
	ferr *e = c->ops->get_table(c, schema, name, A, &t);
	if (e) fail_msg("get_table %s.%s: %s", schema, name, e->message);
	assert_non_null(t);
	return t;
}

static int col(const conn_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name)) return i;
	return -1;
}

static bool has(int n, const char **names, const char *x)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], x)) return true;
	return false;
}

/* Read a whole split into one compacted batch (NULL if no rows); error returned. */
static ferr *read_split(conn_catalog *c, const conn_table *t, const conn_split *s, int ncols, const int *cols,
                        batch **all, int64_t *rows)
{
	conn_page_source *src;
	TRY(c->ops->open_page_source(c, t, s, ncols, cols, A, &src));
	*rows = 0;
	*all = NULL;
	ferr *err = NULL;
	for (;;) {
		batch *b;
		err = src->ops->next(src, A, &b);
		if (err || !b) break;
		*rows += b->count;
		if (!*all && b->count) *all = b;
	}
	src->ops->close(src);
	return err;
}

static batch *read_all(conn_catalog *c, const conn_table *t, int *nrows)
{
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	assert_int_equal(n, 1);
	int *cols = arena_alloc(A, sizeof(int) * (size_t)(t->ncols + 1));
	for (int i = 0; i < t->ncols; i++) cols[i] = i;
	batch *b;
	int64_t rows;
	ferr *e = read_split(c, t, sp[0], t->ncols, cols, &b, &rows);
	if (e) fail_msg("read: %s", e->message);
	*nrows = (int)rows;
	return b;
}

static bool server_log_has(const char *needle)
{
	const char *path = getenv("PG_TEST_LOG");
	if (!path) return false;
	FILE *f = fopen(path, "r");
	if (!f) return false;
	char line[8192];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static PGresult *admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("PG_TEST_ADMIN"));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, sql);
	PQfinish(c);
	return r;
}

/* ---- tests ---- */

static void test_metadata(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	int n;
	const char **names;
	assert_null(c->ops->list_schemas(c, A, &n, &names));
	assert_true(has(n, names, "public"));
	assert_true(has(n, names, "other"));
	assert_false(has(n, names, "pg_catalog"));
	assert_false(has(n, names, "information_schema"));
	for (int i = 0; i < n; i++) assert_true(strncmp(names[i], "pg_toast", 8) != 0);
	assert_null(c->ops->list_tables(c, "public", A, &n, &names));
	assert_true(has(n, names, "alltypes"));
	assert_true(has(n, names, "a\"b"));
	assert_true(has(n, names, "big"));
	assert_true(has(n, names, "v_big"));
	assert_true(has(n, names, "mv"));
	assert_true(has(n, names, "ft"));
	assert_null(c->ops->list_tables(c, "other", A, &n, &names));
	assert_true(has(n, names, "part"));
	ferr *e = c->ops->list_tables(c, "nosuch", A, &n, &names);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_SCHEMA_NAME);
	ferr_free(e);

	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "public", "nosuch", A, &t));
	assert_null(t);
	t = table(c, "public", "alltypes");
	struct { const char *name; type_id id; int p, s, len; } want[] = {
		{"id", TYPE_INT4, 0, 0, 0}, {"i2", TYPE_INT2, 0, 0, 0}, {"i8", TYPE_INT8, 0, 0, 0},
		{"n", TYPE_NUMERIC, 12, 2, 0}, {"nu", TYPE_NUMERIC, 0, 6, 0}, {"nw", TYPE_NUMERIC, 30, 5, 0},
		{"f4", TYPE_FLOAT4, 0, 0, 0}, {"f8", TYPE_FLOAT8, 0, 0, 0}, {"t", TYPE_TEXT, 0, 0, 0},
		{"vc", TYPE_VARCHAR, 0, 0, 10}, {"c", TYPE_BPCHAR, 0, 0, 5}, {"b", TYPE_BOOL, 0, 0, 0},
		{"d", TYPE_DATE, 0, 0, 0}, {"tm", TYPE_TIME, 0, 0, 0}, {"ts", TYPE_TIMESTAMP, 0, 0, 0},
		{"tstz", TYPE_TIMESTAMPTZ, 0, 0, 0}, {"iv", TYPE_INTERVAL, 0, 0, 0}, {"u", TYPE_UUID, 0, 0, 0},
		{"j", TYPE_JSON, 0, 0, 0}, {"jb", TYPE_JSONB, 0, 0, 0}, {"by", TYPE_BYTEA, 0, 0, 0},
		{"dom", TYPE_INT4, 0, 0, 0},
	};
	int nw = (int)(sizeof want / sizeof want[0]);
	assert_int_equal(t->ncols, nw); /* pt (point) and e (enum) are ignored */
	for (int i = 0; i < nw; i++) {
		assert_string_equal(t->cols[i].name, want[i].name);
		assert_int_equal(t->cols[i].type.id, want[i].id);
		if (want[i].id == TYPE_NUMERIC) {
			assert_int_equal(t->cols[i].type.precision, want[i].p);
			assert_int_equal(t->cols[i].type.scale, want[i].s);
		}
		if (want[i].len) assert_int_equal(t->cols[i].type.length, want[i].len);
	}
	assert_false(t->cols[0].nullable);
	assert_true(t->cols[1].nullable);
	assert_string_equal(t->cols[1].comment, "small one");
	catalogs_release(c);
}

static void test_values(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "alltypes");
	int rows;
	batch *b = read_all(c, t, &rows);
	assert_int_equal(rows, 3);
	/* rows come in id order (inserted so, never updated) */
	assert_int_equal(((int32_t *)b->cols[col(t, "id")].data)[0], 1);
	assert_int_equal(((int16_t *)b->cols[col(t, "i2")].data)[0], -32768);
	assert_int_equal(((int64_t *)b->cols[col(t, "i8")].data)[0], INT64_C(9223372036854775807));
	assert_int_equal(((int64_t *)b->cols[col(t, "n")].data)[0], -123456789012LL); /* -1234567890.12 */
	assert_int_equal(((int64_t *)b->cols[col(t, "n")].data)[1], 5);              /* 0.05 */
	__int128 nu = ((__int128 *)b->cols[col(t, "nu")].data)[0];
	assert_true(nu == (__int128)3141593); /* 3.1415926 rounded to scale 6 */
	__int128 nwv = ((__int128 *)b->cols[col(t, "nw")].data)[0];
	/* 1234567890123456789012345.12345 at scale 5 */
	__int128 expect = (__int128)1234567890123456789LL * INT64_C(100000000000) + 1234512345;
	assert_true(nwv == expect);
	assert_true(((float *)b->cols[col(t, "f4")].data)[0] == 1.5f);
	assert_true(((double *)b->cols[col(t, "f8")].data)[0] == -2.25e100);
	fstring *s = (fstring *)b->cols[col(t, "t")].data;
	assert_int_equal(s[0].len, strlen("h\xc3\xa9llo 'w' \\ \"x\""));
	assert_memory_equal(s[0].ptr, "h\xc3\xa9llo 'w' \\ \"x\"", s[0].len);
	fstring *vc = (fstring *)b->cols[col(t, "vc")].data;
	assert_memory_equal(vc[0].ptr, "short", 5);
	fstring *ch = (fstring *)b->cols[col(t, "c")].data;
	assert_int_equal(ch[0].len, 5);
	assert_memory_equal(ch[0].ptr, "ab   ", 5);
	assert_int_equal(((uint8_t *)b->cols[col(t, "b")].data)[0], 1);
	assert_int_equal(((uint8_t *)b->cols[col(t, "b")].data)[1], 0);
	assert_int_equal(((int32_t *)b->cols[col(t, "d")].data)[0], date_from_ymd(2024, 2, 29));
	assert_int_equal(((int32_t *)b->cols[col(t, "d")].data)[1], date_from_ymd(1970, 1, 1));
	assert_int_equal(((int64_t *)b->cols[col(t, "tm")].data)[0], (int64_t)(13 * 3600 + 14 * 60 + 15) * 1000000 + 500000);
	int64_t day = INT64_C(86400000000);
	assert_int_equal(((int64_t *)b->cols[col(t, "ts")].data)[0],
	                 date_from_ymd(2024, 2, 29) * day + (int64_t)(23 * 3600 + 59 * 60 + 59) * 1000000 + 123456);
	/* 2024-01-01 12:00:00+02 is 10:00 UTC */
	assert_int_equal(((int64_t *)b->cols[col(t, "tstz")].data)[0], date_from_ymd(2024, 1, 1) * day + INT64_C(36000000000));
	finterval *iv = (finterval *)b->cols[col(t, "iv")].data;
	assert_int_equal(iv[0].months, 14);
	assert_int_equal(iv[0].days, 3);
	assert_int_equal(iv[0].micros, INT64_C(4) * 3600000000);
	fuuid *u = (fuuid *)b->cols[col(t, "u")].data;
	assert_int_equal(u[0].b[0], 0xa0);
	assert_int_equal(u[0].b[15], 0x11);
	fstring *j = (fstring *)b->cols[col(t, "j")].data;
	assert_memory_equal(j[0].ptr, "{\"a\": [1, 2]}", j[0].len);
	fstring *jb = (fstring *)b->cols[col(t, "jb")].data;
	assert_int_equal(jb[0].len, strlen("{\"k\": \"v\"}"));
	assert_memory_equal(jb[0].ptr, "{\"k\": \"v\"}", jb[0].len);
	fstring *by = (fstring *)b->cols[col(t, "by")].data;
	assert_int_equal(by[0].len, 3);
	assert_memory_equal(by[0].ptr, "\x00\x01\xff", 3);
	assert_int_equal(((int32_t *)b->cols[col(t, "dom")].data)[0], 7);
	/* row 3: everything but id is NULL */
	for (int i = 1; i < t->ncols; i++) assert_true(vector_is_null(&b->cols[i], 2));
	assert_false(vector_is_null(&b->cols[0], 2));
	catalogs_release(c);
}

static void test_convert_to_varchar(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgconv", "unsupported-type-handling", "CONVERT_TO_VARCHAR", NULL, NULL);
	conn_table *t = table(c, "public", "alltypes");
	int p = col(t, "pt"), e = col(t, "e");
	assert_true(p >= 0 && e >= 0);
	assert_int_equal(t->cols[p].type.id, TYPE_VARCHAR);
	int rows;
	batch *b = read_all(c, t, &rows);
	fstring *sp = (fstring *)b->cols[p].data, *se = (fstring *)b->cols[e].data;
	assert_memory_equal(sp[0].ptr, "(1,2)", 5);
	assert_memory_equal(se[0].ptr, "happy", 5);
	catalogs_release(c);
}

static void test_hostile_names(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "a\"b");
	int w = col(t, "we\"ird");
	assert_true(w >= 0);
	int rows;
	batch *b = read_all(c, t, &rows);
	assert_int_equal(rows, 4);
	(void)b;
	/* filter on each hostile value: exactly its own row comes back */
	const char *vals[] = {"it's", "back\\slash", "both\\' OR 1=1 --", "'; DROP TABLE big; --"};
	for (int i = 0; i < 4; i++) {
		fvalue v = {0};
		v.u.s.ptr = vals[i];
		v.u.s.len = (uint32_t)strlen(vals[i]);
		conn_range r = {.low_inclusive = true, .high_inclusive = true, .low = v, .high = v};
		conn_column_domain cd = {.column = w, .nranges = 1, .ranges = &r};
		conn_domain d = {.ncols = 1, .cols = &cd};
		conn_table *ft;
		conn_domain *rest;
		assert_null(c->ops->apply_filter(c, t, &d, A, &ft, &rest));
		assert_non_null(ft);
		assert_null(rest);
		batch *fb = read_all(c, ft, &rows);
		assert_int_equal(rows, 1);
		fstring *s = (fstring *)fb->cols[w].data;
		assert_int_equal(s[0].len, strlen(vals[i]));
		assert_memory_equal(s[0].ptr, vals[i], s[0].len);
		assert_int_equal(((int32_t *)fb->cols[col(t, "v")].data)[0], i + 1);
	}
	/* the table the injection attempt names is still there */
	t = table(c, "public", "big");
	catalogs_release(c);
}

typedef struct split_job {
	conn_catalog *c;
	const conn_table *t;
	const conn_split *s;
	uint8_t *seen;
	int64_t rows, dup, bad;
	ferr *err;
	arena *a;
} split_job;

static void *read_job(void *arg)
{
	split_job *j = arg;
	int cols[1] = {0};
	conn_page_source *src;
	j->err = j->c->ops->open_page_source(j->c, j->t, j->s, 1, cols, j->a, &src);
	if (j->err) return NULL;
	for (;;) {
		batch *b;
		j->err = src->ops->next(src, j->a, &b);
		if (j->err || !b) break;
		for (int i = 0; i < b->count; i++) {
			int64_t id = ((int64_t *)b->cols[0].data)[i];
			if (id < 1 || id > BIG_ROWS) {
				j->bad++;
				continue;
			}
			/* each byte is written by whichever thread owns the row: races mean a bug anyway */
			if (__atomic_fetch_add(&j->seen[id - 1], 1, __ATOMIC_RELAXED)) j->dup++;
		}
		j->rows += b->count;
	}
	src->ops->close(src);
	return NULL;
}

static void test_splits_parallel(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "big");
	assert_int_equal(t->cols[0].type.id, TYPE_INT8);
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 4, A, &n, &sp));
	assert_int_equal(n, 4);
	uint8_t *seen = calloc(BIG_ROWS, 1);
	pthread_t th[4];
	split_job jobs[4];
	for (int i = 0; i < n; i++) {
		jobs[i] = (split_job){.c = c, .t = t, .s = sp[i], .seen = seen, .a = arena_create(NULL, "job")};
		pthread_create(&th[i], NULL, read_job, &jobs[i]);
	}
	int64_t total = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].err) fail_msg("split %d: %s", i, jobs[i].err->message);
		assert_int_equal(jobs[i].dup, 0);
		assert_int_equal(jobs[i].bad, 0);
		assert_true(jobs[i].rows > 0); /* every split has work */
		total += jobs[i].rows;
		arena_destroy(jobs[i].a);
	}
	assert_int_equal(total, BIG_ROWS);
	for (int i = 0; i < BIG_ROWS; i++) assert_int_equal(seen[i], 1);
	free(seen);
	/* four sources at once used four pooled connections, all back now */
	pgc_catalog *pc = (pgc_catalog *)c;
	assert_int_equal(pc->pool.open, pc->pool.nidle);
	assert_true(pc->pool.open <= 4);

	/* closing a source early cancels its COPY and the connection is reused */
	int cols[1] = {0};
	conn_page_source *src;
	assert_null(c->ops->open_page_source(c, t, sp[0], 1, cols, A, &src));
	batch *b;
	assert_null(src->ops->next(src, A, &b));
	assert_non_null(b);
	src->ops->close(src);
	assert_int_equal(pc->pool.open, pc->pool.nidle);
	int64_t rows;
	assert_null(read_split(c, t, sp[1], 1, cols, &b, &rows));
	assert_int_equal(rows, jobs[1].rows);

	/* zero projected columns (count(*)) still gives the row count */
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	assert_int_equal(n, 1);
	assert_null(read_split(c, t, sp[0], 0, cols, &b, &rows));
	assert_int_equal(rows, BIG_ROWS);
	catalogs_release(c);
}

static void test_pushdown(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "big");
	int id = col(t, "id"), k = col(t, "k"), s = col(t, "s");
	/* id in [1000, 1099] (as >= 1000 AND < 1100) AND k IN (3, 4) AND s IS NOT NULL */
	conn_range rid = {.low_inclusive = true, .low.u.i = 1000, .high.u.i = 1100};
	conn_range rk[2] = {{.low_inclusive = true, .high_inclusive = true, .low.u.i = 3, .high.u.i = 3},
	                    {.low_inclusive = true, .high_inclusive = true, .low.u.i = 4, .high.u.i = 4}};
	conn_column_domain cds[3] = {{.column = id, .nranges = 1, .ranges = &rid},
	                             {.column = k, .nranges = 2, .ranges = rk},
	                             {.column = s, .all = true}};
	conn_domain d = {.ncols = 3, .cols = cds};
	conn_table *ft;
	conn_domain *rest;
	assert_null(c->ops->apply_filter(c, t, &d, A, &ft, &rest));
	assert_non_null(ft);
	assert_null(rest);
	strbuf ex = STRBUF_INIT;
	c->ops->explain(c, ft, &ex);
	assert_non_null(strstr(ex.data, "WHERE (\"id\" >= 1000 AND \"id\" < 1100) AND \"k\" IN (3, 4) AND \"s\" IS NOT NULL"));
	sb_free(&ex);
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, ft, 4, A, &n, &sp));
	int64_t total = 0;
	int cols[2] = {id, k};
	for (int i = 0; i < n; i++) {
		batch *b;
		int64_t rows;
		assert_null(read_split(c, ft, sp[i], 2, cols, &b, &rows));
		for (int r = 0; b && r < b->count; r++) {
			int64_t v = ((int64_t *)b->cols[0].data)[r];
			assert_true(v >= 1000 && v < 1100);
			int32_t kv = ((int32_t *)b->cols[1].data)[r];
			assert_true(kv == 3 || kv == 4);
		}
		total += rows;
	}
	assert_int_equal(total, 2); /* k = id % 100: 1003, 1004 */
	assert_true(server_log_has("WHERE (\"id\" >= 1000 AND \"id\" < 1100) AND \"k\" IN (3, 4) AND \"s\" IS NOT NULL"));

	/* LIMIT: one split, exactly the limit, visible remotely */
	conn_table *lt;
	bool guaranteed = false;
	assert_null(c->ops->apply_limit(c, t, 17, A, &lt, &guaranteed));
	assert_non_null(lt);
	assert_true(guaranteed);
	assert_null(c->ops->get_splits(c, lt, 4, A, &n, &sp));
	assert_int_equal(n, 1);
	batch *b;
	int64_t rows;
	assert_null(read_split(c, lt, sp[0], 1, cols, &b, &rows));
	assert_int_equal(rows, 17);
	assert_true(server_log_has("FROM \"public\".\"big\" LIMIT 17"));

	/* none: no row */
	conn_domain none = {.none = true};
	assert_null(c->ops->apply_filter(c, t, &none, A, &ft, &rest));
	assert_null(c->ops->get_splits(c, ft, 1, A, &n, &sp));
	assert_null(read_split(c, ft, sp[0], 1, cols, &b, &rows));
	assert_int_equal(rows, 0);
	catalogs_release(c);
}

static void test_pushdown_collation(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "coll");
	fvalue lo = {0};
	lo.u.s.ptr = "b";
	lo.u.s.len = 1;
	conn_range r = {.high_unbounded = true, .low_inclusive = true, .low = lo};
	conn_range eq = {.low_inclusive = true, .high_inclusive = true, .low = lo, .high = lo};
	const char *names[] = {"t_c", "t_icu", "j", "by"};
	bool range_ok[] = {true, false, false, false};
	bool eq_ok[] = {true, true, false, false};
	for (int i = 0; i < 4; i++) {
		int ci = col(t, names[i]);
		assert_true(ci >= 0);
		for (int pass = 0; pass < 2; pass++) {
			conn_column_domain cd = {.column = ci, .nranges = 1, .ranges = pass ? &eq : &r};
			conn_domain d = {.ncols = 1, .cols = &cd};
			conn_table *ft;
			conn_domain *rest;
			assert_null(c->ops->apply_filter(c, t, &d, A, &ft, &rest));
			bool ok = pass ? eq_ok[i] : range_ok[i];
			if (ok) {
				assert_non_null(ft);
				assert_null(rest);
			} else {
				assert_null(ft);
				assert_non_null(rest);
				assert_int_equal(rest->ncols, 1);
				assert_int_equal(rest->cols[0].column, ci);
			}
		}
	}
	/* t_c >= 'b' in collation C: 'b', 'c' but not 'B' or 'a' */
	int ci = col(t, "t_c");
	conn_column_domain cd = {.column = ci, .nranges = 1, .ranges = &r};
	conn_domain d = {.ncols = 1, .cols = &cd};
	conn_table *ft;
	conn_domain *rest;
	assert_null(c->ops->apply_filter(c, t, &d, A, &ft, &rest));
	int rows;
	read_all(c, ft, &rows);
	assert_int_equal(rows, 2);
	catalogs_release(c);
}

static void test_statistics(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "big");
	conn_table_stats st = {0};
	assert_null(c->ops->get_statistics(c, t, A, &st));
	assert_true(st.row_count > BIG_ROWS * 0.9 && st.row_count < BIG_ROWS * 1.1);
	assert_int_equal(st.ncols, t->ncols);
	conn_column_stats *id = &st.cols[col(t, "id")], *k = &st.cols[col(t, "k")];
	assert_true(id->has_range);
	assert_true(id->min.u.i >= 1 && id->min.u.i < 2000);
	assert_true(id->max.u.i > BIG_ROWS - 2000 && id->max.u.i <= BIG_ROWS);
	assert_true(k->distinct_count > 90 && k->distinct_count < 110);
	assert_true(id->distinct_count > BIG_ROWS * 0.9);
	assert_true(id->null_fraction == 0);
	catalogs_release(c);
}

static void test_views_and_partitions(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	struct { const char *s, *t; int rows; } cases[] = {
		{"public", "v_big", 1000}, {"public", "mv", 100}, {"other", "part", 300}, {"public", "ft", 3}};
	for (int i = 0; i < 4; i++) {
		conn_table *t = table(c, cases[i].s, cases[i].t);
		int n;
		conn_split **sp;
		assert_null(c->ops->get_splits(c, t, 4, A, &n, &sp));
		int64_t total = 0;
		int cols[1] = {0};
		for (int k = 0; k < n; k++) {
			batch *b;
			int64_t rows;
			ferr *e = read_split(c, t, sp[k], 1, cols, &b, &rows);
			if (e) fail_msg("%s: %s", cases[i].t, e->message);
			total += rows;
		}
		assert_int_equal(total, cases[i].rows);
	}
	catalogs_release(c);
}

static void test_remote_error(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "v_err");
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	batch *b;
	int64_t rows;
	int cols[1] = {0};
	ferr *e = read_split(c, t, sp[0], 1, cols, &b, &rows);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DIVISION_BY_ZERO);
	assert_non_null(strstr(e->message, "catalog 'pgtest'"));
	ferr_free(e);
	/* the connection survived the error and is reusable */
	pgc_catalog *pc = (pgc_catalog *)c;
	assert_int_equal(pc->pool.open, pc->pool.nidle);
	int nn;
	const char **names;
	assert_null(c->ops->list_schemas(c, A, &nn, &names));
	catalogs_release(c);
}

static void test_credentials(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgbadpw", "connection-user", "pwuser", "connection-password", "wrong");
	int n;
	const char **names;
	ferr *e = c->ops->list_schemas(c, A, &n, &names);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_PASSWORD);
	assert_non_null(strstr(e->message, "catalog 'pgbadpw'"));
	assert_non_null(strstr(e->message, "password authentication failed"));
	ferr_free(e);
	catalogs_release(c);
	conn_catalog *ok = catalog("pggoodpw", "connection-user", "pwuser", "connection-password", "right'pw\\");
	assert_null(ok->ops->list_schemas(ok, A, &n, &names));
	catalogs_release(ok);
}

static void test_lost_connection(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	/* a view that takes 10 s: the backend is surely still busy when killed
	 * (wide rows, so the server flushes its 8 kB buffer early and often) */
	conn_table *t = table(c, "public", "v_slow");
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	int cols[2] = {0, 1};
	conn_page_source *src;
	assert_null(c->ops->open_page_source(c, t, sp[0], 2, cols, A, &src));
	batch *b;
	usleep(100000);
	PQclear(admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	              "WHERE application_name = 'ferry' AND state = 'active'"));
	ferr *e = NULL;
	for (int i = 0; i < 1000 && !e; i++) {
		e = src->ops->next(src, A, &b);
		if (!b) break;
	}
	src->ops->close(src);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_CONNECTION_FAILURE);
	assert_non_null(strstr(e->message, "catalog 'pgtest'"));
	ferr_free(e);
	pgc_catalog *pc = (pgc_catalog *)c;
	assert_int_equal(pc->pool.open, pc->pool.nidle);
	catalogs_release(c);
}

static void test_source_down(void **state)
{
	(void)state;
	NEED_SERVER();
	const char *stop = getenv("PG_TEST_STOP"), *start = getenv("PG_TEST_START");
	if (!stop || !start) skip();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "alltypes");
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	assert_int_equal(system(stop), 0);
	/* the metadata cache (metadata.cache-ttl) would answer without the server */
	pgc_cache_invalidate(&((pgc_catalog *)c)->cache);
	const char **names;
	ferr *e = c->ops->list_schemas(c, A, &n, &names);
	assert_non_null(e);
	assert_true(!strcmp(e->sqlstate, "08001") || !strcmp(e->sqlstate, "08006"));
	assert_non_null(strstr(e->message, "catalog 'pgtest'"));
	ferr_free(e);
	int cols[1] = {0};
	batch *b;
	int64_t rows;
	e = read_split(c, t, sp[0], 1, cols, &b, &rows);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "08001");
	assert_non_null(strstr(e->message, "catalog 'pgtest': could not connect to server"));
	ferr_free(e);
	assert_int_equal(system(start), 0);
	assert_null(c->ops->list_schemas(c, A, &n, &names));
	assert_null(read_split(c, t, sp[0], 1, cols, &b, &rows));
	assert_int_equal(rows, 3);
	catalogs_release(c);
}

/* Idle pooled connections killed behind the pool's back: next use reconnects. */
static void test_dead_idle_connections(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	int n;
	const char **names;
	assert_null(c->ops->list_schemas(c, A, &n, &names));
	PQclear(admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ferry'"));
	usleep(100000);
	assert_null(c->ops->list_schemas(c, A, &n, &names));
	conn_table *t = table(c, "public", "alltypes");
	int rows;
	read_all(c, t, &rows);
	assert_int_equal(rows, 3);
	catalogs_release(c);
}

/* ---- aggregate pushdown ---- */

/* apply_aggregation on t; NULL when declined. */
static conn_table *aggregated(conn_catalog *c, const conn_table *t, int ngroups, const int *groups, int naggs,
                              const conn_aggregate *aggs)
{
	conn_table *out = NULL;
	assert_null(c->ops->apply_aggregation(c, t, ngroups, groups, naggs, aggs, A, &out));
	return out;
}

static void test_aggregation(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *big = table(c, "public", "big");
	int k = col(big, "k"), id = col(big, "id"), s = col(big, "s");
	{
		/* WHERE id <= 1000 first, then GROUP BY k: count, sum(int4), min/max */
		conn_range r = {.low_unbounded = true, .high_inclusive = true, .high = {.u.i = 1000}};
		conn_column_domain cd = {.column = id, .nranges = 1, .ranges = &r};
		conn_domain d = {.ncols = 1, .cols = &cd};
		conn_table *f;
		conn_domain *rest;
		assert_null(c->ops->apply_filter(c, big, &d, A, &f, &rest));
		big = f;
	}
	conn_aggregate aggs[4] = {
		{CONN_AGG_COUNT_STAR, -1, ftype_make(TYPE_INT8)},
		{CONN_AGG_SUM, k, ftype_make(TYPE_INT8)},
		{CONN_AGG_MAX, id, ftype_make(TYPE_INT8)},
		{CONN_AGG_SUM, id, ftype_numeric(38, 0)},
	};
	conn_table *g = aggregated(c, big, 1, &k, 4, aggs);
	assert_non_null(g);
	assert_int_equal(g->ncols, 5);
	assert_true(ftype_equal(g->cols[3].type, ftype_make(TYPE_INT8)));
	strbuf ex = STRBUF_INIT;
	c->ops->explain(c, g, &ex);
	assert_non_null(strstr(ex.data, "GROUP BY \"k\""));
	assert_non_null(strstr(ex.data, "WHERE (\"id\" <= 1000)"));
	sb_free(&ex);
	/* one split, one row per group, values as PostgreSQL computes them */
	conn_split **sp;
	int n;
	assert_null(c->ops->get_splits(c, g, 4, A, &n, &sp));
	assert_int_equal(n, 1);
	int nrows;
	batch *b = read_all(c, g, &nrows);
	assert_int_equal(nrows, 100);
	int64_t total = 0;
	for (int i = 0; i < b->count; i++) total += ((int64_t *)b->cols[1].data)[i];
	assert_int_equal(total, 1000);
	/* a filter on an aggregated handle would be HAVING: declined */
	conn_table *f2 = NULL;
	conn_domain *rest = NULL;
	conn_column_domain cd = {.column = 0, .all = true};
	conn_domain d = {.ncols = 1, .cols = &cd};
	assert_null(c->ops->apply_filter(c, g, &d, A, &f2, &rest));
	assert_null(f2);
	/* declined: avg (double rounding), a float sum, a result type that is not PostgreSQL's,
	 * min over text in a non-"C" collation, and grouping twice */
	conn_aggregate avg = {CONN_AGG_AVG, k, ftype_numeric(38, 16)};
	assert_null(aggregated(c, big, 0, NULL, 1, &avg));
	conn_aggregate wrong = {CONN_AGG_SUM, k, ftype_numeric(38, 0)};
	assert_null(aggregated(c, big, 0, NULL, 1, &wrong));
	conn_table *all = table(c, "public", "alltypes");
	int f8 = col(all, "f8");
	conn_aggregate fsum = {CONN_AGG_SUM, f8, ftype_make(TYPE_FLOAT8)};
	assert_null(aggregated(c, all, 0, NULL, 1, &fsum));
	conn_table *coll = table(c, "public", "coll");
	int icu = col(coll, "t_icu"), tc = col(coll, "t_c");
	conn_aggregate mn = {CONN_AGG_MIN, icu, coll->cols[icu].type};
	assert_null(aggregated(c, coll, 0, NULL, 1, &mn));
	mn.column = tc, mn.result = coll->cols[tc].type;
	assert_non_null(aggregated(c, coll, 0, NULL, 1, &mn));
	/* ICU text still groups (equality), json does not */
	assert_non_null(aggregated(c, coll, 1, &icu, 1, aggs));
	int j = col(coll, "j");
	assert_null(aggregated(c, coll, 1, &j, 1, aggs));
	assert_null(aggregated(c, g, 1, &s, 1, aggs));
	/* a global aggregate read with no columns is still one row */
	conn_table *cnt = aggregated(c, big, 0, NULL, 1, aggs);
	assert_non_null(cnt);
	assert_null(c->ops->get_splits(c, cnt, 1, A, &n, &sp));
	int64_t rows;
	assert_null(read_split(c, cnt, sp[0], 0, NULL, &b, &rows));
	assert_int_equal(rows, 1);
	catalogs_release(c);
}

/* ---- writes ---- */

/* A number the admin connection computes (-1 on error). */
static long long admin_count(const char *sql)
{
	PGresult *r = admin(sql);
	long long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
	if (v < 0) fprintf(stderr, "admin_count %s: %s\n", sql, PQresultErrorMessage(r));
	PQclear(r);
	return v;
}

static void expect_error(ferr *e, const char *sqlstate, const char *catalog_name)
{
	if (!e) fail_msg("expected SQLSTATE %s, got success", sqlstate);
	if (strcmp(e->sqlstate, sqlstate) != 0) fail_msg("expected SQLSTATE %s, got %s: %s", sqlstate, e->sqlstate, e->message);
	char want[64];
	snprintf(want, sizeof want, "catalog '%s'", catalog_name);
	if (!strstr(e->message, want)) fail_msg("error does not name the catalog: %s", e->message);
	ferr_free(e);
}

static void expect_pool_idle(conn_catalog *c)
{
	pgc_catalog *pc = (pgc_catalog *)c;
	assert_int_equal(pc->pool.open, pc->pool.nidle);
}

/* End of a write test: every connection back in the pool, clean. */
static void release_idle(conn_catalog *c)
{
	expect_pool_idle(c);
	catalogs_release(c);
}

static void test_ddl(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	assert_null(c->ops->create_schema(c, "w\"s", 0, NULL, NULL));
	expect_error(c->ops->create_schema(c, "w\"s", 0, NULL, NULL), "42P06", "pgtest");
	conn_column cols[3] = {
		{.name = "id", .type = ftype_make(TYPE_INT4), .nullable = false},
		{.name = "we\"ird", .type = ftype_varchar(7), .nullable = true, .comment = "it's \\ odd"},
		{.name = "n", .type = ftype_numeric(12, 2), .nullable = true},
	};
	conn_table_def def = {.schema = "w\"s", .table = "a\"b", .ncols = 3, .cols = cols, .comment = "t'c"};
	assert_null(c->ops->create_table(c, &def));
	expect_error(c->ops->create_table(c, &def), SQLSTATE_DUPLICATE_TABLE, "pgtest");
	conn_table *t = table(c, "w\"s", "a\"b");
	assert_int_equal(t->ncols, 3);
	assert_false(t->cols[0].nullable);
	assert_true(ftype_equal(t->cols[1].type, ftype_varchar(7)));
	assert_true(ftype_equal(t->cols[2].type, ftype_numeric(12, 2)));
	assert_string_equal(t->cols[1].comment, "it's \\ odd");
	assert_int_equal(admin_count("SELECT count(*) FROM pg_description WHERE description = 't''c'"), 1);
	/* properties: the connector has none */
	const char *pn[1] = {"format"}, *pv[1] = {"'ORC'"};
	conn_table_def withprops = def;
	withprops.table = "p";
	withprops.nprops = 1, withprops.prop_names = pn, withprops.prop_values = pv;
	expect_error(c->ops->create_table(c, &withprops), SQLSTATE_INVALID_PARAMETER_VALUE, "pgtest");
	/* a schema with a table is not dropped without CASCADE */
	expect_error(c->ops->drop_schema(c, "w\"s", false), "2BP01", "pgtest");
	assert_null(c->ops->drop_table(c, t));
	expect_error(c->ops->drop_table(c, t), SQLSTATE_UNDEFINED_TABLE, "pgtest");
	assert_null(c->ops->drop_schema(c, "w\"s", false));
	expect_error(c->ops->drop_schema(c, "w\"s", false), SQLSTATE_INVALID_SCHEMA_NAME, "pgtest");
	release_idle(c);
}

typedef struct sink_job {
	conn_catalog *c;
	conn_write *w;
	const batch *b;
	int times;
	ferr *err;
} sink_job;

/* One writer driver: its own sink, b appended `times` times, then finish. */
static void *sink_thread(void *arg)
{
	sink_job *j = arg;
	conn_page_sink *s;
	j->err = j->c->ops->open_page_sink(j->c, j->w, &s);
	if (j->err) return NULL;
	for (int i = 0; i < j->times && !j->err; i++) j->err = s->ops->append(s, j->b);
	if (j->err) {
		s->ops->abort(s);
		return NULL;
	}
	j->err = s->ops->finish(s);
	s->ops->close(s);
	return NULL;
}

/* Run nthreads sinks on w at once; the first error (others freed). */
static ferr *run_sinks(conn_catalog *c, conn_write *w, const batch *b, int times, int nthreads)
{
	pthread_t th[4];
	sink_job jobs[4];
	for (int i = 0; i < nthreads; i++) {
		jobs[i] = (sink_job){.c = c, .w = w, .b = b, .times = times};
		assert_int_equal(pthread_create(&th[i], NULL, sink_thread, &jobs[i]), 0);
	}
	ferr *e = NULL;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(th[i], NULL);
		if (!e) e = jobs[i].err;
		else ferr_free(jobs[i].err);
	}
	return e;
}

/* Column list of t with unconstrained numeric rounded as Ferry reads it. */
static void text_row(const conn_table *t, const char *alias, strbuf *sb)
{
	sb_puts(sb, "ROW(");
	for (int i = 0; i < t->ncols; i++) {
		if (i) sb_puts(sb, ", ");
		bool round6 = t->cols[i].type.id == TYPE_NUMERIC && t->cols[i].type.precision == 0;
		sb_printf(sb, round6 ? "round(%s." : "%s.", alias);
		pgc_quote_ident(sb, t->cols[i].name);
		sb_puts(sb, round6 ? ", 6)::text" : "::text");
	}
	sb_puts(sb, ")");
}

static void test_write_ctas_roundtrip(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *src = table(c, "public", "alltypes");
	int nrows;
	batch *b = read_all(c, src, &nrows);
	assert_int_equal(nrows, 3);
	PQclear(admin("DROP TABLE IF EXISTS w_copy"));
	conn_table_def def = {.schema = "public", .table = "w_copy", .ncols = src->ncols, .cols = src->cols};
	conn_write *w;
	assert_null(c->ops->begin_create_table(c, &def, &w));
	assert_int_equal(w->table->ncols, src->ncols);
	/* two writer drivers at once, funnelled into the one COPY */
	ferr *e = run_sinks(c, w, b, 50, 2);
	if (e) fail_msg("sinks: %s", e->message);
	/* not visible before the commit, not even as a table */
	conn_table *none = NULL;
	assert_null(c->ops->get_table(c, "public", "w_copy", A, &none));
	assert_null(none);
	assert_null(c->ops->finish_write(c, w));
	expect_pool_idle(c);
	conn_table *copy = table(c, "public", "w_copy");
	assert_int_equal(copy->ncols, src->ncols);
	for (int i = 0; i < src->ncols; i++) {
		assert_string_equal(copy->cols[i].name, src->cols[i].name);
		if (!ftype_equal(copy->cols[i].type, src->cols[i].type)) fail_msg("type of %s changed", src->cols[i].name);
	}
	assert_int_equal(admin_count("SELECT count(*) FROM w_copy"), 300);
	/* every value as PostgreSQL prints it, row by row */
	strbuf q = STRBUF_INIT;
	sb_puts(&q, "SELECT count(*) FROM w_copy w JOIN alltypes a ON a.id = w.id WHERE ");
	text_row(copy, "w", &q);
	sb_puts(&q, " IS NOT DISTINCT FROM ");
	text_row(copy, "a", &q);
	assert_int_equal(admin_count(q.data), 300);
	sb_free(&q);

	/* INSERT appends in its own transaction */
	assert_null(c->ops->begin_insert(c, copy, CONN_WRITE_APPEND, &w));
	e = run_sinks(c, w, b, 1, 1);
	if (e) fail_msg("insert: %s", e->message);
	assert_null(c->ops->finish_write(c, w));
	assert_int_equal(admin_count("SELECT count(*) FROM w_copy"), 303);
	/* CREATE TABLE AS over an existing table: 42P07, nothing changes */
	expect_error(c->ops->begin_create_table(c, &def, &w), SQLSTATE_DUPLICATE_TABLE, "pgtest");
	release_idle(c);
}

/* alltypes' rows with ids replaced (so they do or do not collide). */
static batch *rows_with_ids(conn_catalog *c, conn_table *t, int32_t a, int32_t b2, int32_t c3)
{
	int n;
	batch *b = read_all(c, t, &n);
	int32_t *ids = b->cols[col(t, "id")].data;
	ids[0] = a, ids[1] = b2, ids[2] = c3;
	return b;
}

/* An INSERT into t begun, one sink open, b appended: *w and the sink returned. */
static conn_page_sink *insert_started(conn_catalog *c, conn_table *t, const batch *b, conn_write **w)
{
	conn_page_sink *s;
	assert_null(c->ops->begin_insert(c, t, CONN_WRITE_APPEND, w));
	assert_null(c->ops->open_page_sink(c, *w, &s));
	assert_null(s->ops->append(s, b));
	return s;
}

/* The pgtest catalog, alltypes and its rows with ids replaced. */
static batch *alltypes_rows(conn_catalog **c, conn_table **t, int32_t a, int32_t b2, int32_t c3)
{
	*c = catalog("pgtest", NULL, NULL, NULL, NULL);
	*t = table(*c, "public", "alltypes");
	return rows_with_ids(*c, *t, a, b2, c3);
}

static void test_write_constraint_violation(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c;
	conn_table *t;
	batch *fresh = alltypes_rows(&c, &t, 100, 101, 102);
	batch *dup = rows_with_ids(c, t, 200, 201, 1); /* id 1 exists */
	conn_write *w;
	conn_page_sink *s1 = insert_started(c, t, fresh, &w), *s2;
	assert_null(c->ops->open_page_sink(c, w, &s2));
	ferr *e = s2->ops->append(s2, dup);
	if (!e) e = s2->ops->finish(s2);
	if (e) { /* the violation may be seen while streaming or at the commit */
		s2->ops->abort(s2);
		expect_error(e, "23505", "pgtest");
		assert_null(s1->ops->finish(s1));
		s1->ops->close(s1);
		c->ops->abort_write(c, w);
	} else {
		s2->ops->close(s2);
		assert_null(s1->ops->finish(s1));
		s1->ops->close(s1);
		expect_error(c->ops->finish_write(c, w), "23505", "pgtest");
	}
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes WHERE id >= 100"), 0);
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes"), 3);
	expect_pool_idle(c);
	/* a NULL into a NOT NULL column: 23502 */
	batch *nul = rows_with_ids(c, t, 300, 301, 302);
	vector_set_null(&nul->cols[col(t, "id")], nul->arena ? nul->arena : A, 1, nul->capacity);
	assert_null(c->ops->begin_insert(c, t, CONN_WRITE_APPEND, &w));
	e = run_sinks(c, w, nul, 1, 1);
	if (e) {
		c->ops->abort_write(c, w);
		expect_error(e, "23502", "pgtest");
	} else {
		expect_error(c->ops->finish_write(c, w), "23502", "pgtest");
	}
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes"), 3);
	release_idle(c);
}

static void test_write_abort(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c;
	conn_table *t;
	batch *fresh = alltypes_rows(&c, &t, 400, 401, 402);
	/* an engine error after rows were sent: the insert leaves nothing */
	conn_write *w;
	conn_page_sink *s = insert_started(c, t, fresh, &w);
	s->ops->abort(s);
	c->ops->abort_write(c, w);
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes"), 3);
	/* an aborted CREATE TABLE AS leaves no table */
	conn_table_def def = {.schema = "public", .table = "w_aborted", .ncols = t->ncols, .cols = t->cols};
	assert_null(c->ops->begin_create_table(c, &def, &w));
	assert_null(run_sinks(c, w, fresh, 10, 2));
	c->ops->abort_write(c, w);
	assert_int_equal(admin_count("SELECT count(*) FROM pg_class WHERE relname = 'w_aborted'"), 0);
	expect_pool_idle(c);
	/* the connections went back clean: the next write works */
	assert_null(c->ops->begin_insert(c, t, CONN_WRITE_APPEND, &w));
	assert_null(run_sinks(c, w, fresh, 1, 1));
	assert_null(c->ops->finish_write(c, w));
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes"), 6);
	PQclear(admin("DELETE FROM alltypes WHERE id >= 400"));
	catalogs_release(c);
}

static void test_write_refused(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "alltypes");
	conn_write *w = NULL;
	expect_error(c->ops->begin_insert(c, t, CONN_WRITE_REPLACE, &w), SQLSTATE_FEATURE_NOT_SUPPORTED, "pgtest");
	assert_null(w);
	conn_catalog *cv = catalog("pgconvert", "unsupported-type-handling", "CONVERT_TO_VARCHAR", NULL, NULL);
	conn_table *tv = table(cv, "public", "alltypes");
	expect_error(cv->ops->begin_insert(cv, tv, CONN_WRITE_APPEND, &w), SQLSTATE_FEATURE_NOT_SUPPORTED, "pgconvert");
	catalogs_release(cv);
	/* a remote error on a table that is gone keeps its SQLSTATE */
	conn_column one = {.name = "x", .type = ftype_make(TYPE_INT4), .nullable = true};
	conn_table gone = {.schema = "public", .table = "no_such", .ncols = 1, .cols = &one};
	pgc_table pg = {.base = gone, .relkind = 'r', .limit = -1};
	pgc_colinfo info = {.select_sql = "\"x\""};
	pg.info = &info;
	expect_error(c->ops->begin_insert(c, &pg.base, CONN_WRITE_APPEND, &w), SQLSTATE_UNDEFINED_TABLE, "pgtest");
	release_idle(c);
}

/* The count a pushed DELETE/UPDATE handle's one split returns, or the error. */
static ferr *run_dml(conn_catalog *c, const conn_table *h, int64_t *count)
{
	int n;
	conn_split **sp;
	TRY(c->ops->get_splits(c, h, 4, A, &n, &sp));
	assert_int_equal(n, 1);
	int zero = 0;
	batch *b;
	int64_t rows;
	TRY(read_split(c, h, sp[0], 1, &zero, &b, &rows));
	assert_int_equal(rows, 1);
	*count = *(const int64_t *)vector_at(&b->cols[0], 0);
	return NULL;
}

/* apply_delete / apply_update through the SPI: counts, rows changed, remote errors. */
static void test_write_pushed_dml(void **state)
{
	(void)state;
	NEED_SERVER();
	PQclear(admin("DROP TABLE IF EXISTS public.\"d\"\"c\", public.\"d\"\"m\";"
	              "CREATE TABLE public.\"d\"\"m\" (id int PRIMARY KEY, s text NOT NULL);"
	              "INSERT INTO public.\"d\"\"m\" SELECT i, 's' || i FROM generate_series(1, 10) i;"
	              "CREATE TABLE public.\"d\"\"c\" (pid int REFERENCES public.\"d\"\"m\" (id));"
	              "INSERT INTO public.\"d\"\"c\" VALUES (9)"));
	conn_catalog *c = catalog("pgtest", NULL, NULL, NULL, NULL);
	conn_table *t = table(c, "public", "d\"m");
	/* id <= 3 through a domain */
	conn_range r = {.low_unbounded = true, .high_inclusive = true, .high = {.u.i = 3}};
	conn_column_domain cd = {.column = col(t, "id"), .nranges = 1, .ranges = &r};
	conn_domain d = {.ncols = 1, .cols = &cd};
	conn_table *f = NULL;
	conn_domain *rest = NULL;
	assert_null(c->ops->apply_filter(c, t, &d, A, &f, &rest));
	assert_non_null(f);
	assert_null(rest);
	conn_table *del = NULL;
	assert_null(c->ops->apply_delete(c, f, A, &del));
	assert_non_null(del);
	int64_t n = -1;
	assert_null(run_dml(c, del, &n));
	assert_int_equal(n, 3);
	assert_int_equal(admin_count("SELECT count(*) FROM public.\"d\"\"m\""), 7);
	/* UPDATE of every row with a hostile string */
	fvalue v = {.u.s = {.ptr = "it's \\", .len = 6}};
	int sc = col(t, "s");
	conn_table *upd = NULL;
	assert_null(c->ops->apply_update(c, t, 1, &sc, &v, A, &upd));
	assert_non_null(upd);
	assert_null(run_dml(c, upd, &n));
	assert_int_equal(n, 7);
	assert_int_equal(admin_count("SELECT count(*) FROM public.\"d\"\"m\" WHERE s = E'it''s \\\\'"), 7);
	/* NOT NULL and a referenced row: the server's SQLSTATE, the connection back in the pool */
	fvalue null = {.isnull = true};
	assert_null(c->ops->apply_update(c, t, 1, &sc, &null, A, &upd));
	expect_error(run_dml(c, upd, &n), SQLSTATE_NOT_NULL_VIOLATION, "pgtest");
	assert_null(c->ops->apply_delete(c, t, A, &del));
	expect_error(run_dml(c, del, &n), "23503", "pgtest"); /* foreign_key_violation, the server's */
	assert_int_equal(admin_count("SELECT count(*) FROM public.\"d\"\"m\""), 7);
	/* a handle with a limit says nothing about which rows: declined */
	conn_table *lim = NULL;
	bool guaranteed;
	assert_null(c->ops->apply_limit(c, t, 2, A, &lim, &guaranteed));
	assert_non_null(lim);
	del = NULL;
	assert_null(c->ops->apply_delete(c, lim, A, &del));
	assert_null(del);
	PQclear(admin("DROP TABLE public.\"d\"\"c\", public.\"d\"\"m\""));
	release_idle(c);
}

static void test_write_server_gone(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c;
	conn_table *t;
	batch *fresh = alltypes_rows(&c, &t, 500, 501, 502);
	conn_write *w;
	conn_page_sink *s = insert_started(c, t, fresh, &w);
	PQclear(admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	              "WHERE application_name = 'ferry' AND query LIKE 'COPY%FROM STDIN%'"));
	usleep(100000);
	ferr *e = NULL;
	for (int i = 0; i < 200 && !e; i++) e = s->ops->append(s, fresh);
	if (!e) e = s->ops->finish(s);
	if (e) {
		s->ops->abort(s);
		c->ops->abort_write(c, w);
	} else {
		s->ops->close(s);
		e = c->ops->finish_write(c, w);
	}
	expect_error(e, SQLSTATE_CONNECTION_FAILURE, "pgtest");
	assert_int_equal(admin_count("SELECT count(*) FROM alltypes"), 3);
	release_idle(c);
}

typedef struct copy_job {
	conn_catalog *c;
	const conn_table *t;
	const conn_split *split;
	conn_write *w;
	ferr *err;
} copy_job;

/* One writer driver fed by one split: what INSERT ... SELECT runs per driver. */
static void *copy_thread(void *arg)
{
	copy_job *j = arg;
	arena *a = arena_create(NULL, "copy job"), *ba = arena_create(NULL, "copy batches");
	int cols[3] = {0, 1, 2};
	conn_page_source *src;
	conn_page_sink *sink;
	j->err = j->c->ops->open_page_source(j->c, j->t, j->split, 3, cols, a, &src);
	if (j->err) goto out;
	j->err = j->c->ops->open_page_sink(j->c, j->w, &sink);
	if (j->err) {
		src->ops->close(src);
		goto out;
	}
	for (;;) {
		batch *b;
		arena_reset(ba);
		j->err = src->ops->next(src, ba, &b);
		if (j->err || !b) break;
		j->err = sink->ops->append(sink, b);
		if (j->err) break;
	}
	src->ops->close(src);
	if (j->err) sink->ops->abort(sink);
	else {
		j->err = sink->ops->finish(sink);
		sink->ops->close(sink);
	}
out:
	arena_destroy(ba);
	arena_destroy(a);
	return NULL;
}

static void test_write_big_parallel(void **state)
{
	(void)state;
	NEED_SERVER();
	conn_catalog *c = catalog("pgsplit", "postgresql.split-min-pages", "16", NULL, NULL);
	conn_table *t = table(c, "public", "big");
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 2, A, &n, &sp));
	assert_int_equal(n, 2);
	conn_table_def def = {.schema = "public", .table = "big_copy", .ncols = t->ncols, .cols = t->cols};
	conn_write *w;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_null(c->ops->begin_create_table(c, &def, &w));
	pthread_t th[2];
	copy_job jobs[2];
	for (int i = 0; i < 2; i++) {
		jobs[i] = (copy_job){.c = c, .t = t, .split = sp[i], .w = w};
		assert_int_equal(pthread_create(&th[i], NULL, copy_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		if (jobs[i].err) fail_msg("copy job: %s", jobs[i].err->message);
	assert_null(c->ops->finish_write(c, w));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("big_copy: %d rows in %.2f s (%.0f rows/s)\n", BIG_ROWS, secs, BIG_ROWS / secs);
	assert_int_equal(admin_count("SELECT count(*) FROM (SELECT * FROM big_copy EXCEPT SELECT * FROM big) d"), 0);
	assert_int_equal(admin_count("SELECT count(*) FROM big_copy"), BIG_ROWS);
	PQclear(admin("DROP TABLE big_copy"));
	release_idle(c);
}

static int setup(void **state)
{
	(void)state;
	URL = getenv("PG_TEST_CONNINFO");
	if (URL && !*URL) URL = NULL;
	A = arena_create(NULL, "test");
	conn_register_builtin();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	catalogs_shutdown();
	arena_destroy(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_convert_to_varchar),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_splits_parallel),
		cmocka_unit_test(test_pushdown),
		cmocka_unit_test(test_pushdown_collation),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_statistics),
		cmocka_unit_test(test_views_and_partitions),
		cmocka_unit_test(test_remote_error),
		cmocka_unit_test(test_ddl),
		cmocka_unit_test(test_write_ctas_roundtrip),
		cmocka_unit_test(test_write_constraint_violation),
		cmocka_unit_test(test_write_abort),
		cmocka_unit_test(test_write_refused),
		cmocka_unit_test(test_write_pushed_dml),
		cmocka_unit_test(test_write_server_gone),
		cmocka_unit_test(test_write_big_parallel),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_lost_connection),
		cmocka_unit_test(test_dead_idle_connections),
		cmocka_unit_test(test_source_down),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
