/*
 * test_tpch.c — the tpch connector: row counts per table at tiny, split
 * independence (1 vs 7 splits give the same rows), fixed nation/region
 * values, column naming, and value-domain rules of the spec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "connectors/tpch/tpch.h"

static arena *A;
/* props must outlive their catalog: keep them until main ends */
static props *all_props[32];
static int nprops;

static conn_catalog *make_catalog(const char *naming)
{
	props *p = props_create();
	all_props[nprops++] = p;
	if (naming) assert_null(props_set(p, "tpch.column-naming", naming));
	conn_catalog *c = NULL;
	assert_null(tpch_connector_factory.create("tpch", p, &c));
	return c;
}

typedef void (*row_cb)(const batch *b, int row, void *ctx);

/* Scan all columns of schema.table with k splits; return row count. */
static int64_t scan(conn_catalog *c, const char *schema, const char *table, int k, int ncols, const int *cols,
                    row_cb cb, void *ctx)
{
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, schema, table, A, &t));
	assert_non_null(t);
	int all[16];
	if (ncols < 0) {
		ncols = t->ncols;
		for (int i = 0; i < ncols; i++) all[i] = i;
		cols = all;
	}
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, k, A, &n, &sp));
	int64_t rows = 0;
	for (int i = 0; i < n; i++) {
		conn_page_source *src;
		assert_null(c->ops->open_page_source(c, t, sp[i], ncols, cols, A, &src));
		batch *b;
		for (;;) {
			assert_null(src->ops->next(src, A, &b));
			if (!b) break;
			assert_true(b->count <= BATCH_CAPACITY);
			for (int r = 0; r < b->count; r++)
				if (cb) cb(b, r, ctx);
			rows += b->count;
		}
		src->ops->close(src);
	}
	return rows;
}

static uint64_t hash_row(const batch *b, int r)
{
	uint64_t h = 1469598103934665603ull;
	for (int c = 0; c < b->ncols; c++) h = h * 1099511628211ull ^ value_hash(b->cols[c].type, vector_at(&b->cols[c], r));
	return h;
}
static void cb_hash(const batch *b, int r, void *ctx) { *(uint64_t *)ctx = *(uint64_t *)ctx * 31 + hash_row(b, r); }

static void test_counts(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	assert_int_equal(scan(c, "tiny", "nation", 4, -1, NULL, NULL, NULL), 25);
	assert_int_equal(scan(c, "tiny", "region", 4, -1, NULL, NULL, NULL), 5);
	assert_int_equal(scan(c, "tiny", "part", 4, -1, NULL, NULL, NULL), 2000);
	assert_int_equal(scan(c, "tiny", "supplier", 4, -1, NULL, NULL, NULL), 100);
	assert_int_equal(scan(c, "tiny", "partsupp", 4, -1, NULL, NULL, NULL), 8000);
	assert_int_equal(scan(c, "tiny", "customer", 4, -1, NULL, NULL, NULL), 1500);
	assert_int_equal(scan(c, "tiny", "orders", 4, -1, NULL, NULL, NULL), 15000);
	int64_t li = scan(c, "tiny", "lineitem", 4, -1, NULL, NULL, NULL);
	/* 1..7 lines per order: mean 4 */
	assert_true(li > 15000 * 3.8 && li < 15000 * 4.2);
	c->ops->destroy(c);
}

static void test_split_independence(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	const char *tabs[] = {"lineitem", "orders", "customer", "part", "partsupp", "supplier"};
	for (int i = 0; i < 6; i++) {
		uint64_t h1 = 0, h7 = 0, h1b = 0;
		int64_t n1 = scan(c, "tiny", tabs[i], 1, -1, NULL, cb_hash, &h1);
		int64_t n1b = scan(c, "tiny", tabs[i], 1, -1, NULL, cb_hash, &h1b);
		assert_int_equal(n1, n1b);
		assert_true(h1 == h1b);
		/* tables under 10,000 rows get one split; orders/lineitem really split 7 ways */
		int64_t n7 = scan(c, "tiny", tabs[i], 7, -1, NULL, cb_hash, &h7);
		assert_int_equal(n1, n7);
		assert_true(h1 == h7);
	}
	c->ops->destroy(c);
}

static void cb_count(const batch *b, int r, void *ctx) { (void)b; (void)r; ++*(int64_t *)ctx; }

static void test_split_boundaries_sf(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	conn_table *t;
	assert_null(c->ops->get_table(c, "sf1", "supplier", A, &t));
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 7, A, &n, &sp));
	assert_int_equal(n, 7);
	uint64_t h7 = 0, h1 = 0;
	int64_t cnt = 0;
	scan(c, "sf1", "supplier", 7, -1, NULL, cb_hash, &h7);
	scan(c, "sf1", "supplier", 1, -1, NULL, cb_hash, &h1);
	scan(c, "sf1", "supplier", 3, -1, NULL, cb_count, &cnt);
	assert_int_equal(cnt, 10000);
	assert_true(h1 == h7);
	c->ops->destroy(c);
}

static void cb_nation(const batch *b, int r, void *ctx)
{
	(void)ctx;
	int64_t key = *(int64_t *)vector_at(&b->cols[0], r);
	fstring *nm = vector_at(&b->cols[1], r);
	int64_t reg = *(int64_t *)vector_at(&b->cols[2], r);
	if (key == 0) {
		assert_int_equal(nm->len, 7);
		assert_memory_equal(nm->ptr, "ALGERIA", 7);
		assert_int_equal(reg, 0);
	}
	if (key == 24) {
		assert_memory_equal(nm->ptr, "UNITED STATES", 13);
		assert_int_equal(reg, 1);
	}
}

static void test_nation_naming(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	assert_int_equal(scan(c, "tiny", "nation", 1, -1, NULL, cb_nation, NULL), 25);
	conn_table *t;
	assert_null(c->ops->get_table(c, "tiny", "lineitem", A, &t));
	assert_string_equal(t->cols[5].name, "extendedprice");
	assert_int_equal(t->cols[5].type.id, TYPE_NUMERIC);
	assert_int_equal(t->cols[5].type.scale, 2);
	assert_null(c->ops->get_table(c, "tiny", "nosuch", A, &t));
	assert_null(t);
	c->ops->destroy(c);
	c = make_catalog("STANDARD");
	assert_null(c->ops->get_table(c, "sf1", "orders", A, &t));
	assert_string_equal(t->cols[0].name, "o_orderkey");
	c->ops->destroy(c);
	props *p = props_create();
	assert_null(props_set(p, "tpch.column-naming", "BOGUS"));
	ferr *e = tpch_connector_factory.create("tpch", p, &c);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "22023");
	ferr_free(e);
	props_destroy(p);
}

static void cb_line(const batch *b, int r, void *ctx)
{
	(void)ctx;
	int64_t partkey = *(int64_t *)vector_at(&b->cols[1], r);
	int64_t qty = *(int64_t *)vector_at(&b->cols[4], r);
	int64_t price = *(int64_t *)vector_at(&b->cols[5], r);
	assert_true(qty >= 100 && qty <= 5000);
	int64_t retail = 90000 + ((partkey / 10) % 20001) + 100 * (partkey % 1000);
	assert_int_equal(price, qty / 100 * retail);
	fstring *rf = vector_at(&b->cols[8], r), *ls = vector_at(&b->cols[9], r);
	int32_t ship = *(int32_t *)vector_at(&b->cols[10], r), rec = *(int32_t *)vector_at(&b->cols[12], r);
	int32_t cur = date_from_ymd(1995, 6, 17);
	assert_true(ship >= date_from_ymd(1992, 1, 2) && rec <= date_from_ymd(1998, 12, 31));
	assert_true(rec > ship);
	assert_int_equal(rf->len, 1);
	if (rec <= cur) assert_true(rf->ptr[0] == 'R' || rf->ptr[0] == 'A');
	else assert_true(rf->ptr[0] == 'N');
	assert_true(ls->ptr[0] == (ship > cur ? 'O' : 'F'));
	int64_t ok = *(int64_t *)vector_at(&b->cols[0], r);
	assert_true((ok & 0x18) == 0); /* sparse keys: bits 3-4 always zero */
}

static void test_lineitem_domains(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	scan(c, "tiny", "lineitem", 3, -1, NULL, cb_line, NULL);
	c->ops->destroy(c);
}

static void test_projection(void **state)
{
	(void)state;
	conn_catalog *c = make_catalog(NULL);
	int cols[2] = {5, 0};
	int64_t sum = 0;
	conn_table *t;
	assert_null(c->ops->get_table(c, "tiny", "lineitem", A, &t));
	conn_split **sp;
	int n;
	assert_null(c->ops->get_splits(c, t, 1, A, &n, &sp));
	conn_page_source *src;
	assert_null(c->ops->open_page_source(c, t, sp[0], 2, cols, A, &src));
	batch *b;
	assert_null(src->ops->next(src, A, &b));
	assert_int_equal(b->ncols, 2);
	assert_int_equal(b->cols[0].type.id, TYPE_NUMERIC);
	assert_int_equal(b->cols[1].type.id, TYPE_INT8);
	assert_int_equal(*(int64_t *)vector_at(&b->cols[1], 0), 1);
	sum += *(int64_t *)vector_at(&b->cols[0], 0);
	assert_true(sum > 0);
	c->ops->destroy(c);
}

int main(void)
{
	A = arena_create(NULL, "test_tpch");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_split_independence),
		cmocka_unit_test(test_split_boundaries_sf),
		cmocka_unit_test(test_nation_naming),
		cmocka_unit_test(test_lineitem_domains),
		cmocka_unit_test(test_projection),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_destroy(A);
	for (int i = 0; i < nprops; i++) props_destroy(all_props[i]);
	return rc;
}
