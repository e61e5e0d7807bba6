/*
 * test_memory.c — the memory connector through the SPI alone: a write is
 * invisible until finish_write and leaves nothing after abort_write; CREATE
 * TABLE AS makes the table appear only at commit; REPLACE against a table
 * that changed meanwhile is 40001; a scan split before a commit fails with
 * 40001 instead of mixing versions; many one-row inserts are merged; the
 * data limit is enforced; DDL errors carry PostgreSQL's SQLSTATEs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "connectors/memory/memory.h"

static arena *A;
static props *all_props[8];
static int nprops;

static conn_catalog *make_catalog(const char *limit)
{
	props *p = props_create();
	all_props[nprops++] = p;
	if (limit) assert_null(props_set(p, "memory.max-data-per-node", limit));
	conn_catalog *c = NULL;
	assert_null(memory_connector_factory.create("mem", p, &c));
	return c;
}

static conn_column COLS[2] = {{.name = "k", .nullable = true}, {.name = "s", .nullable = true}};

static void init_cols(void)
{
	COLS[0].type = ftype_make(TYPE_INT8);
	COLS[1].type = ftype_make(TYPE_TEXT);
}

static conn_table_def def_of(const char *table)
{
	init_cols();
	return (conn_table_def){.schema = "default", .table = table, .ncols = 2, .cols = COLS};
}

static conn_table *get(conn_catalog *c, const char *table)
{
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "default", table, A, &t));
	return t;
}

/* Rows k = from .. from+n-1, s = "v<k>". */
static batch *rows(int64_t from, int n)
{
	ftype types[2] = {ftype_make(TYPE_INT8), ftype_make(TYPE_TEXT)};
	batch *b = batch_create(A, 2, types, n);
	for (int i = 0; i < n; i++) {
		((int64_t *)b->cols[0].data)[i] = from + i;
		char buf[32];
		int len = snprintf(buf, sizeof buf, "v%lld", (long long)(from + i));
		vector_set_string(&b->cols[1], A, i, buf, (uint32_t)len);
	}
	b->count = n;
	return b;
}

/* Write batches of n rows starting at from, in one statement. */
static ferr *write_rows(conn_catalog *c, conn_write *w, int64_t from, int n, int per_batch)
{
	conn_page_sink *s;
	TRY(c->ops->open_page_sink(c, w, &s));
	for (int done = 0; done < n; done += per_batch) {
		int k = n - done < per_batch ? n - done : per_batch;
		ferr *e = s->ops->append(s, rows(from + done, k));
		if (e) {
			s->ops->abort(s);
			return e;
		}
	}
	TRY(s->ops->finish(s));
	s->ops->close(s);
	return NULL;
}

/* Count and sum of k over a scan with `splits` splits (-1 on a scan error). */
static int64_t scan(conn_catalog *c, conn_table *t, int splits, int64_t *sum, int *nsplits)
{
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, splits, A, &n, &sp));
	if (nsplits) *nsplits = n;
	int64_t count = 0;
	if (sum) *sum = 0;
	int cols[2] = {0, 1};
	for (int i = 0; i < n; i++) {
		conn_page_source *src;
		ferr *e = c->ops->open_page_source(c, t, sp[i], 2, cols, A, &src);
		if (e) {
			ferr_free(e);
			return -1;
		}
		batch *b;
		for (;;) {
			assert_null(src->ops->next(src, A, &b));
			if (!b) break;
			for (int r = 0; r < b->count; r++) {
				int64_t k = *(int64_t *)vector_at(&b->cols[0], r);
				const fstring *s = vector_at(&b->cols[1], r);
				char buf[32];
				int len = snprintf(buf, sizeof buf, "v%lld", (long long)k);
				assert_int_equal(s->len, len);
				assert_memory_equal(s->ptr, buf, (size_t)len);
				if (sum) *sum += k;
			}
			count += b->count;
		}
		src->ops->close(src);
	}
	return count;
}

static void expect_state(ferr *e, const char *state)
{
	assert_non_null(e);
	assert_string_equal(e->sqlstate, state);
	ferr_free(e);
}

static void test_commit_and_abort(void **st)
{
	conn_catalog *c = make_catalog(NULL);
	conn_table_def d = def_of("t");
	assert_null(c->ops->create_table(c, &d));
	expect_state(c->ops->create_table(c, &d), "42P07");
	conn_table *t = get(c, "t");
	conn_write *w;
	assert_null(c->ops->begin_insert(c, t, CONN_WRITE_APPEND, &w));
	assert_null(write_rows(c, w, 1, 5000, 1000));
	assert_int_equal(scan(c, t, 2, NULL, NULL), 0); /* not visible before commit */
	assert_null(c->ops->finish_write(c, w));
	int64_t sum;
	int nsplits;
	assert_int_equal(scan(c, get(c, "t"), 2, &sum, &nsplits), 5000);
	assert_int_equal(sum, 5000LL * 5001 / 2);
	/* an aborted statement leaves nothing */
	assert_null(c->ops->begin_insert(c, get(c, "t"), CONN_WRITE_APPEND, &w));
	assert_null(write_rows(c, w, 10000, 300, 100));
	c->ops->abort_write(c, w);
	assert_int_equal(scan(c, get(c, "t"), 4, NULL, NULL), 5000);
	c->ops->destroy(c);
}

static void test_ctas_visible_at_commit(void **st)
{
	conn_catalog *c = make_catalog(NULL);
	conn_table_def d = def_of("c");
	conn_write *w;
	assert_null(c->ops->begin_create_table(c, &d, &w));
	assert_null(write_rows(c, w, 1, 10, 10));
	assert_null(get(c, "c"));
	assert_null(c->ops->finish_write(c, w));
	assert_int_equal(scan(c, get(c, "c"), 1, NULL, NULL), 10);
	/* the same name again: 42P07 at begin, and at commit if it appeared meanwhile */
	expect_state(c->ops->begin_create_table(c, &d, &w), "42P07");
	conn_table_def d2 = def_of("c2");
	assert_null(c->ops->begin_create_table(c, &d2, &w));
	assert_null(c->ops->create_table(c, &d2));
	expect_state(c->ops->finish_write(c, w), "42P07");
	c->ops->destroy(c);
}

static void test_replace_conflicts(void **st)
{
	conn_catalog *c = make_catalog(NULL);
	conn_table_def d = def_of("r");
	assert_null(c->ops->create_table(c, &d));
	conn_write *w;
	assert_null(c->ops->begin_insert(c, get(c, "r"), CONN_WRITE_APPEND, &w));
	assert_null(write_rows(c, w, 1, 100, 100));
	assert_null(c->ops->finish_write(c, w));
	/* DELETE-like rewrite while another statement appends: 40001 at commit */
	conn_write *rep, *app;
	assert_null(c->ops->begin_insert(c, get(c, "r"), CONN_WRITE_REPLACE, &rep));
	assert_null(c->ops->begin_insert(c, get(c, "r"), CONN_WRITE_APPEND, &app));
	assert_null(write_rows(c, rep, 1, 10, 10));
	assert_null(write_rows(c, app, 500, 1, 1));
	assert_null(c->ops->finish_write(c, app));
	expect_state(c->ops->finish_write(c, rep), "40001");
	assert_int_equal(scan(c, get(c, "r"), 1, NULL, NULL), 101);
	/* a replace alone takes effect */
	assert_null(c->ops->begin_insert(c, get(c, "r"), CONN_WRITE_REPLACE, &rep));
	assert_null(write_rows(c, rep, 1, 10, 10));
	assert_null(c->ops->finish_write(c, rep));
	assert_int_equal(scan(c, get(c, "r"), 1, NULL, NULL), 10);
	/* a scan split before a commit does not mix versions */
	conn_table *t = get(c, "r");
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	assert_null(c->ops->begin_insert(c, t, CONN_WRITE_APPEND, &app));
	assert_null(write_rows(c, app, 20, 1, 1));
	assert_null(c->ops->finish_write(c, app));
	int cols[1] = {0};
	conn_page_source *src = NULL;
	expect_state(c->ops->open_page_source(c, t, sp[0], 1, cols, A, &src), "40001");
	c->ops->destroy(c);
}

static void test_small_inserts_merge(void **st)
{
	conn_catalog *c = make_catalog(NULL);
	conn_table_def d = def_of("m");
	assert_null(c->ops->create_table(c, &d));
	for (int i = 1; i <= 300; i++) {
		conn_write *w;
		assert_null(c->ops->begin_insert(c, get(c, "m"), CONN_WRITE_APPEND, &w));
		assert_null(write_rows(c, w, i, 1, 1));
		assert_null(c->ops->finish_write(c, w));
	}
	int64_t sum;
	int nsplits;
	/* 300 one-row statements: merged, so at most a few chunks remain */
	assert_int_equal(scan(c, get(c, "m"), 64, &sum, &nsplits), 300);
	assert_int_equal(sum, 300 * 301 / 2);
	assert_true(nsplits <= 17);
	c->ops->destroy(c);
}

static void test_limit_and_ddl(void **st)
{
	conn_catalog *c = make_catalog("1MB");
	conn_table_def d = def_of("big");
	assert_null(c->ops->create_table(c, &d));
	conn_write *w;
	assert_null(c->ops->begin_insert(c, get(c, "big"), CONN_WRITE_APPEND, &w));
	expect_state(write_rows(c, w, 1, 200000, 2000), "53200");
	c->ops->abort_write(c, w);
	assert_int_equal(scan(c, get(c, "big"), 1, NULL, NULL), 0);
	/* schemas */
	expect_state(c->ops->create_schema(c, "default", 0, NULL, NULL), "42P06");
	assert_null(c->ops->create_schema(c, "s", 0, NULL, NULL));
	conn_table_def ds = def_of("x");
	ds.schema = "s";
	assert_null(c->ops->create_table(c, &ds));
	expect_state(c->ops->drop_schema(c, "s", false), "2BP01");
	assert_null(c->ops->drop_schema(c, "s", true));
	expect_state(c->ops->drop_schema(c, "s", true), "3F000");
	ds.schema = "nope";
	expect_state(c->ops->create_table(c, &ds), "3F000");
	/* a dropped table's handle no longer scans */
	conn_table *t = get(c, "big");
	assert_null(c->ops->drop_table(c, t));
	int n;
	conn_split **sp;
	expect_state(c->ops->get_splits(c, t, 1, A, &n, &sp), "42P01");
	c->ops->destroy(c);
}

int main(void)
{
	A = arena_create(NULL, "test");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commit_and_abort),       cmocka_unit_test(test_ctas_visible_at_commit),
	    cmocka_unit_test(test_replace_conflicts),      cmocka_unit_test(test_small_inserts_merge),
	    cmocka_unit_test(test_limit_and_ddl),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_destroy(A);
	for (int i = 0; i < nprops; i++) props_destroy(all_props[i]);
	return rc;
}
