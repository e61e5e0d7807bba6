/*
 * test_hive.c — the hive connector through the SPI on a local directory:
 * catalog properties, schemas and tables in Trino's file metastore layout,
 * CREATE TABLE AS and INSERT through page sinks (nothing visible before
 * finish_write, nothing left after abort_write), REPLACE, partitioned
 * writes and reads with pruning, row-group skipping, Hive type mapping,
 * schema evolution, DROP of managed and external tables, and errors that
 * name the bad file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/props.h"
#include "connectors/hive/hive.h"
#include "connectors/hive/hive_internal.h"
#include "connectors/spi.h"
#include "formats/parquet/parquet.h"
#include "storage/fs.h"

#define OK(expr)                                                                                   \
	do {                                                                                       \
		ferr *ok_e_ = (expr);                                                              \
		if (ok_e_) print_message("unexpected error: %s %s\n", ok_e_->sqlstate, ok_e_->message); \
		assert_null(ok_e_);                                                                \
	} while (0)

static char root[256];
static props *cat_props;
static conn_catalog *cat;

/* The error must carry sqlstate and mention needle (a file, a name). */
static void expect_err(ferr *e, const char *sqlstate, const char *needle)
{
	assert_non_null(e);
	print_message("  -> %s %s\n", e->sqlstate, e->message);
	bool ok = strcmp(e->sqlstate, sqlstate) == 0 && (!needle || strstr(e->message, needle));
	ferr_free(e);
	assert_true(ok);
}

/* root/rel, in one of a few rotating buffers (enough for one call's arguments). */
static const char *path(const char *rel)
{
	static char bufs[6][600];
	static unsigned next;
	char *p = bufs[next++ % 6];
	snprintf(p, sizeof bufs[0], "%s/%s", root, rel);
	return p;
}

static bool exists(const char *rel)
{
	struct stat st;
	return stat(path(rel), &st) == 0;
}

/* Files (not directories) under rel whose names do not start with '.'. */
static int count_visible_files(const char *rel)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "find '%s' -type f ! -name '.*' 2>/dev/null | wc -l", path(rel));
	FILE *f = popen(cmd, "r");
	int n = -1;
	if (f) {
		if (fscanf(f, "%d", &n) != 1) n = -1;
		pclose(f);
	}
	return n;
}

static void write_text(const char *rel, const char *text)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path(rel));
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path(rel), "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/ferry-test-hive-XXXXXX");
	if (!mkdtemp(root)) return -1;
	conn_register_builtin();
	cat_props = props_create();
	char dir[300];
	snprintf(dir, sizeof dir, "file://%s/warehouse", root);
	if (props_set(cat_props, "connector.name", "hive") || props_set(cat_props, "hive.metastore", "file") ||
	    props_set(cat_props, "hive.metastore.catalog.dir", dir))
		return -1;
	const conn_factory *f = conn_find_factory("hive");
	if (!f) return -1;
	ferr *e = f->create("hive", cat_props, &cat);
	if (e) {
		print_message("%s\n", e->message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cat->ops->destroy(cat);
	props_destroy(cat_props);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd);
}

/* ---- helpers ---- */

static conn_table *get_table(arena *a, const char *schema, const char *table)
{
	conn_table *t = NULL;
	OK(cat->ops->get_table(cat, schema, table, a, &t));
	assert_non_null(t);
	return t;
}

/* Every row of the requested columns as "v|v|...\n" lines, in split order. */
typedef struct scan_result {
	int64_t rows;
	int nsplits;
	strbuf text;
} scan_result;

static ferr *scan(const conn_table *t, int ncols, const int *cols, scan_result *res)
{
	memset(res, 0, sizeof *res);
	arena *a = arena_create(NULL, "scan");
	int n;
	conn_split **splits;
	ferr *e = cat->ops->get_splits(cat, t, 2, a, &n, &splits);
	fmt_settings fs;
	fmt_settings_default(&fs);
	for (int i = 0; i < n && !e; i++) {
		conn_page_source *src;
		e = cat->ops->open_page_source(cat, t, splits[i], ncols, cols, a, &src);
		if (e) break;
		res->nsplits++;
		for (;;) {
			arena *ba = arena_create(a, "batch");
			batch *b;
			e = src->ops->next(src, ba, &b);
			if (e || !b) {
				arena_destroy(ba);
				break;
			}
			assert_int_equal(b->ncols, ncols);
			for (int r = 0; r < b->count; r++) {
				int row = batch_row(b, r);
				for (int c = 0; c < ncols; c++) {
					if (c) sb_putc(&res->text, '|');
					if (vector_is_null(&b->cols[c], row)) sb_puts(&res->text, "NULL");
					else value_out_text(b->cols[c].type, vector_at(&b->cols[c], row), &fs, &res->text);
				}
				sb_putc(&res->text, '\n');
			}
			res->rows += b->count;
			arena_destroy(ba);
		}
		src->ops->close(src);
	}
	arena_destroy(a);
	return e;
}

static conn_table_def make_def(const char *schema, const char *table, int ncols, conn_column *cols, int nprops,
                               const char **names, const char **values)
{
	conn_table_def d = {.schema = schema, .table = table, .ncols = ncols, .cols = cols, .nprops = nprops,
	                    .prop_names = names, .prop_values = values};
	return d;
}

/* Rows [from, to) of (id bigint, name varchar(10), price numeric(12,2), d date, region varchar). */
static batch *orders_batch(arena *a, int from, int to)
{
	ftype types[5] = {ftype_make(TYPE_INT8), ftype_varchar(10), ftype_numeric(12, 2), ftype_make(TYPE_DATE),
	                  ftype_varchar(-1)};
	batch *b = batch_create(a, 5, types, BATCH_CAPACITY);
	static const char *regions[] = {"eu", "us", "a/b=c"};
	int n = 0;
	for (int i = from; i < to; i++, n++) {
		((int64_t *)b->cols[0].data)[n] = i;
		char name[16];
		snprintf(name, sizeof name, "n%d", i % 7);
		vector_set_string(&b->cols[1], a, n, name, (uint32_t)strlen(name));
		if (i % 5 == 0) vector_set_null(&b->cols[2], a, n, BATCH_CAPACITY);
		else ((int64_t *)b->cols[2].data)[n] = i * 100 + 25;
		((int32_t *)b->cols[3].data)[n] = 8766 + i % 30; /* 2024-01-01 + i % 30 */
		if (i % 4 == 3) vector_set_null(&b->cols[4], a, n, BATCH_CAPACITY);
		else vector_set_string(&b->cols[4], a, n, regions[i % 4], (uint32_t)strlen(regions[i % 4]));
	}
	b->count = n;
	return b;
}

static conn_column orders_cols[5];

static void init_orders_cols(void)
{
	orders_cols[0] = (conn_column){.name = "id", .type = ftype_make(TYPE_INT8)};
	orders_cols[1] = (conn_column){.name = "name", .type = ftype_varchar(10)};
	orders_cols[2] = (conn_column){.name = "price", .type = ftype_numeric(12, 2)};
	orders_cols[3] = (conn_column){.name = "d", .type = ftype_make(TYPE_DATE), .comment = "order date"};
	orders_cols[4] = (conn_column){.name = "region", .type = ftype_varchar(-1)};
}

/* Write rows [from, to) through nsinks sinks and commit (or abort). */
static ferr *write_rows(conn_write *w, int nsinks, int from, int to, bool commit)
{
	arena *a = arena_create(NULL, "write");
	conn_page_sink *sinks[4];
	for (int s = 0; s < nsinks; s++) OK(cat->ops->open_page_sink(cat, w, &sinks[s]));
	int k = 0;
	for (int i = from; i < to; i += BATCH_CAPACITY, k++) {
		int end = i + BATCH_CAPACITY < to ? i + BATCH_CAPACITY : to;
		OK(sinks[k % nsinks]->ops->append(sinks[k % nsinks], orders_batch(a, i, end)));
	}
	for (int s = 0; s < nsinks; s++) {
		if (commit) {
			OK(sinks[s]->ops->finish(sinks[s]));
			sinks[s]->ops->close(sinks[s]);
		} else {
			sinks[s]->ops->abort(sinks[s]);
		}
	}
	arena_destroy(a);
	if (!commit) {
		cat->ops->abort_write(cat, w);
		return NULL;
	}
	return cat->ops->finish_write(cat, w);
}

/* ---- tests ---- */

static void test_properties(void **state)
{
	(void)state;
	const conn_factory *f = conn_find_factory("hive");
	props *p = props_create();
	conn_catalog *c;
	OK(props_set(p, "connector.name", "hive"));
	expect_err(f->create("h", p, &c), SQLSTATE_INVALID_PARAMETER_VALUE, "hive.metastore.catalog.dir");
	OK(props_set(p, "hive.metastore.catalog.dir", "relative/dir"));
	expect_err(f->create("h", p, &c), SQLSTATE_INVALID_PARAMETER_VALUE, "relative/dir");
	OK(props_set(p, "hive.metastore.catalog.dir", "/tmp/x"));
	OK(props_set(p, "hive.metastore", "thrift"));
	expect_err(f->create("h", p, &c), SQLSTATE_FEATURE_NOT_SUPPORTED, "thrift");
	OK(props_set(p, "hive.metastore", "file"));
	OK(props_set(p, "hive.max-split-size", "12"));
	expect_err(f->create("h", p, &c), SQLSTATE_INVALID_PARAMETER_VALUE, "max-split-size");
	OK(props_set(p, "hive.max-split-size", "32MB"));
	OK(f->create("h", p, &c));
	/* nothing there yet: no schemas */
	arena *a = arena_create(NULL, "t");
	int n;
	const char **names;
	OK(c->ops->list_schemas(c, a, &n, &names));
	assert_int_equal(n, 0);
	arena_destroy(a);
	c->ops->destroy(c);
	props_destroy(p);
}

static void test_schemas(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	OK(cat->ops->create_schema(cat, "sales", 0, NULL, NULL));
	expect_err(cat->ops->create_schema(cat, "sales", 0, NULL, NULL), "42P06", "already exists");
	expect_err(cat->ops->create_schema(cat, "../x", 0, NULL, NULL), SQLSTATE_INVALID_PARAMETER_VALUE, "invalid schema name");
	assert_true(exists("warehouse/sales/.trinoSchema"));
	json_error_t je;
	json_t *doc = json_load_file(path("warehouse/sales/.trinoSchema"), 0, &je);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "ownerType")), "USER");
	json_decref(doc);
	OK(cat->ops->create_schema(cat, "empty", 0, NULL, NULL));
	int n;
	const char **names;
	OK(cat->ops->list_schemas(cat, a, &n, &names));
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "empty");
	assert_string_equal(names[1], "sales");
	expect_err(cat->ops->list_tables(cat, "nope", a, &n, &names), SQLSTATE_INVALID_SCHEMA_NAME, "nope");
	OK(cat->ops->drop_schema(cat, "empty", false));
	expect_err(cat->ops->drop_schema(cat, "empty", false), SQLSTATE_INVALID_SCHEMA_NAME, "does not exist");
	arena_destroy(a);
}

static void test_ctas_roundtrip(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	init_orders_cols();
	conn_table_def def = make_def("sales", "orders", 5, orders_cols, 0, NULL, NULL);
	conn_write *w;
	OK(cat->ops->begin_create_table(cat, &def, &w));
	/* two sinks, 10000 rows: nothing visible until finish_write */
	arena *wa = arena_create(NULL, "write");
	conn_page_sink *s1, *s2;
	OK(cat->ops->open_page_sink(cat, w, &s1));
	OK(cat->ops->open_page_sink(cat, w, &s2));
	for (int i = 0; i < 10000; i += 1000)
		OK(((i / 1000) % 2 ? s2 : s1)->ops->append((i / 1000) % 2 ? s2 : s1, orders_batch(wa, i, i + 1000)));
	OK(s1->ops->finish(s1));
	OK(s2->ops->finish(s2));
	s1->ops->close(s1);
	s2->ops->close(s2);
	conn_table *t = NULL;
	OK(cat->ops->get_table(cat, "sales", "orders", a, &t));
	assert_null(t);
	assert_int_equal(count_visible_files("warehouse/sales/orders"), 0);
	OK(cat->ops->finish_write(cat, w));
	arena_destroy(wa);
	assert_int_equal(count_visible_files("warehouse/sales/orders"), 2);

	t = get_table(a, "sales", "orders");
	assert_int_equal(t->ncols, 7); /* 5 + $path, $file_size */
	assert_true(ftype_equal(t->cols[1].type, ftype_varchar(10)));
	assert_true(ftype_equal(t->cols[2].type, ftype_numeric(12, 2)));
	assert_string_equal(t->cols[3].comment, "order date");
	assert_true(t->cols[5].hidden && t->cols[6].hidden);
	int n;
	const char **names;
	OK(cat->ops->list_tables(cat, "sales", a, &n, &names));
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "orders");

	/* the metadata is Trino's TableMetadata */
	json_error_t je;
	json_t *doc = json_load_file(path("warehouse/sales/orders/.trinoSchema"), 0, &je);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "tableType")), "MANAGED_TABLE");
	assert_string_equal(json_string_value(json_object_get(doc, "storageFormat")), "PARQUET");
	json_t *dc = json_object_get(doc, "dataColumns");
	assert_int_equal(json_array_size(dc), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(dc, 1), "type")), "varchar(10)");
	assert_string_equal(json_string_value(json_object_get(json_array_get(dc, 2), "type")), "decimal(12,2)");
	assert_string_equal(json_string_value(json_object_get(json_array_get(dc, 4), "type")), "string");
	assert_null(json_object_get(doc, "externalLocation"));
	json_decref(doc);

	/* read back: every row once, values as written */
	int cols[3] = {0, 2, 4};
	scan_result r;
	OK(scan(t, 3, cols, &r));
	assert_int_equal(r.rows, 10000);
	assert_int_equal(r.nsplits, 2);
	assert_non_null(strstr(r.text.data, "\n7|7.25|NULL\n"));
	assert_non_null(strstr(r.text.data, "\n5|NULL|us\n"));
	sb_free(&r.text);
	/* no columns (count(*)) */
	OK(scan(t, 0, NULL, &r));
	assert_int_equal(r.rows, 10000);
	sb_free(&r.text);
	/* hidden columns */
	int hc[2] = {5, 6};
	OK(scan(t, 2, hc, &r));
	assert_non_null(strstr(r.text.data, "/warehouse/sales/orders/"));
	sb_free(&r.text);
	/* statistics recorded by CTAS: numRows and columnStatistics */
	conn_table_stats st;
	OK(cat->ops->get_statistics(cat, t, a, &st));
	assert_true(st.row_count == 10000);
	assert_int_equal(st.ncols, t->ncols);
	assert_true(fabs(st.cols[0].distinct_count - 10000) < 300); /* HLL: 2.3% standard error */
	assert_true(st.cols[0].has_range && st.cols[0].min.u.i == 0 && st.cols[0].max.u.i == 9999);
	assert_true(st.cols[0].null_fraction == 0);
	assert_true(st.cols[1].distinct_count == 7 && st.cols[1].avg_width == 2);
	/* decimal: unscaled min and max, kept as decimal strings in the document */
	assert_true(st.cols[2].null_fraction == 0.2 && st.cols[2].has_range);
	assert_true(st.cols[2].min.u.i == 125 && st.cols[2].max.u.i == 999925);
	assert_true(fabs(st.cols[3].distinct_count - 30) <= 1 && st.cols[3].min.u.i == 8766 && st.cols[3].max.u.i == 8795);
	assert_true(st.cols[4].distinct_count == 3 && /* regions[3] is always NULL */ st.cols[4].null_fraction == 0.25);
	assert_true(st.cols[5].distinct_count < 0); /* $path */
	doc = json_load_file(path("warehouse/sales/orders/.trinoSchema"), 0, &je);
	json_t *cs = json_object_get(json_object_get(doc, "columnStatistics"), "d");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "dateStatistics"), "min")), "2024-01-01");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "dateStatistics"), "max")), "2024-01-30");
	cs = json_object_get(json_object_get(doc, "columnStatistics"), "price");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "decimalStatistics"), "min")), "1.25");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "decimalStatistics"), "max")), "9999.25");
	cs = json_object_get(json_object_get(doc, "columnStatistics"), "id");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(cs, "integerStatistics"), "max")), 9999);
	assert_int_equal(json_integer_value(json_object_get(cs, "nullsCount")), 0);
	json_decref(doc);
	/* the table exists now */
	expect_err(cat->ops->begin_create_table(cat, &def, &w), SQLSTATE_DUPLICATE_TABLE, "already exists");
	arena_destroy(a);
}

static void test_insert_abort_replace(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	conn_table *t = get_table(a, "sales", "orders");
	conn_write *w;
	scan_result r;
	/* abort: nothing appears, nothing is left behind */
	OK(cat->ops->begin_insert(cat, t, CONN_WRITE_APPEND, &w));
	OK(write_rows(w, 2, 20000, 25000, false));
	assert_int_equal(count_visible_files("warehouse/sales/orders"), 2);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -name '*ferry-tmp*')\"", path("warehouse"));
	assert_int_equal(system(cmd), 0);
	OK(scan(t, 0, NULL, &r));
	assert_int_equal(r.rows, 10000);
	sb_free(&r.text);
	/*
	 * The commit protocol: when the sinks have finished, every byte is on
	 * disk under hidden temp names (nothing a reader lists, the old rows
	 * only); abort_write then removes them, finish_write renames them.
	 */
	for (int pass = 0; pass < 2; pass++) {
		arena *wa = arena_create(NULL, "write");
		conn_page_sink *s1, *s2;
		OK(cat->ops->begin_insert(cat, t, CONN_WRITE_APPEND, &w));
		OK(cat->ops->open_page_sink(cat, w, &s1));
		OK(cat->ops->open_page_sink(cat, w, &s2));
		OK(s1->ops->append(s1, orders_batch(wa, 20000, 20600)));
		OK(s2->ops->append(s2, orders_batch(wa, 20600, 21000)));
		OK(s1->ops->finish(s1));
		OK(s2->ops->finish(s2));
		s1->ops->close(s1);
		s2->ops->close(s2);
		arena_destroy(wa);
		snprintf(cmd, sizeof cmd, "test \"$(find '%s' -name '.*ferry-tmp*' -size +0 | wc -l)\" = 2",
		         path("warehouse/sales/orders"));
		assert_int_equal(system(cmd), 0);
		assert_int_equal(count_visible_files("warehouse/sales/orders"), 2);
		OK(scan(t, 0, NULL, &r));
		assert_int_equal(r.rows, 10000);
		sb_free(&r.text);
		if (pass == 0) {
			cat->ops->abort_write(cat, w);
			snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -name '*ferry-tmp*')\"", path("warehouse"));
			assert_int_equal(system(cmd), 0);
			assert_int_equal(count_visible_files("warehouse/sales/orders"), 2);
		} else {
			OK(cat->ops->finish_write(cat, w));
			assert_int_equal(count_visible_files("warehouse/sales/orders"), 4);
		}
	}
	OK(scan(t, 0, NULL, &r));
	assert_int_equal(r.rows, 11000);
	sb_free(&r.text);
	/* INSERT merged its statistics with the CTAS ones: ranges widened, nulls summed, NDV from the
	 * united sketches (10,000 + 1,000 new ids), not the larger of the two counts */
	conn_table *t2 = get_table(a, "sales", "orders");
	conn_table_stats st;
	OK(cat->ops->get_statistics(cat, t2, a, &st));
	assert_true(st.row_count == 11000 && st.ncols == t2->ncols);
	assert_true(st.cols[0].min.u.i == 0 && st.cols[0].max.u.i == 20999);
	assert_true(fabs(st.cols[0].distinct_count - 11000) < 330);
	assert_true(fabs(st.cols[2].null_fraction - 2200.0 / 11000) < 1e-9);
	/* replace: only the new rows remain */
	OK(cat->ops->begin_insert(cat, t, CONN_WRITE_REPLACE, &w));
	OK(write_rows(w, 1, 30000, 30500, true));
	int id = 0;
	OK(scan(t, 1, &id, &r));
	assert_int_equal(r.rows, 500);
	assert_true(strncmp(r.text.data, "30000\n", 6) == 0);
	sb_free(&r.text);
	assert_int_equal(count_visible_files("warehouse/sales/orders"), 1);
	t2 = get_table(a, "sales", "orders");
	OK(cat->ops->get_statistics(cat, t2, a, &st));
	assert_true(st.row_count == 500 && st.cols[0].min.u.i == 30000 && st.cols[0].max.u.i == 30499);
	arena_destroy(a);
}

/* The merge of recorded and new statistics, figure by figure. */
static void test_stats_merge(void **state)
{
	(void)state;
	json_error_t je;
	json_t *old = json_loads("{\"integerStatistics\":{\"min\":5,\"max\":10},\"nullsCount\":3,"
	                         "\"distinctValuesCount\":40,\"maxValueSizeInBytes\":8,\"averageColumnLength\":4.0,"
	                         "\"dateStatistics\":{\"min\":\"2020-02-29\",\"max\":\"2021-01-01\"},"
	                         "\"booleanStatistics\":{\"trueCount\":1,\"falseCount\":2}}",
	                         0, &je);
	json_t *add = json_loads("{\"integerStatistics\":{\"min\":-7,\"max\":9},\"nullsCount\":1,"
	                         "\"distinctValuesCount\":25,\"maxValueSizeInBytes\":12,\"averageColumnLength\":1.0,"
	                         "\"dateStatistics\":{\"min\":\"1999-12-31\",\"max\":\"2020-03-01\"},"
	                         "\"booleanStatistics\":{\"trueCount\":5,\"falseCount\":0}}",
	                         0, &je);
	assert_non_null(old);
	assert_non_null(add);
	json_t *m = hive_col_stats_json_merge(old, 13, add, 11);
	char *text = json_dumps(m, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(6));
	assert_string_equal(text, "{\"averageColumnLength\":2.5,\"booleanStatistics\":{\"falseCount\":2,\"trueCount\":6},"
	                          "\"dateStatistics\":{\"max\":\"2021-01-01\",\"min\":\"1999-12-31\"},"
	                          "\"distinctValuesCount\":40,\"integerStatistics\":{\"max\":10,\"min\":-7},"
	                          "\"maxValueSizeInBytes\":12,\"nullsCount\":4}");
	free(text);
	json_decref(m);
	/* a figure missing on one side is unknown after the merge */
	json_t *bare = json_loads("{\"nullsCount\":2}", 0, &je);
	m = hive_col_stats_json_merge(old, 13, bare, 4);
	text = json_dumps(m, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(text, "{\"nullsCount\":5}");
	free(text);
	json_decref(m);
	assert_null(hive_col_stats_json_merge(NULL, 0, add, 1));
	/* a malformed date range is dropped, not misread */
	json_t *bad = json_loads("{\"dateStatistics\":{\"min\":\"yesterday\",\"max\":\"2020-01-01\"}}", 0, &je);
	m = hive_col_stats_json_merge(bad, 1, add, 1);
	assert_int_equal(json_object_size(m), 0);
	json_decref(m);
	/* the planner's form: unknowns -1, dates as days */
	conn_column_stats cs;
	hive_col_stats_from_json(old, ftype_make(TYPE_DATE), 13, NULL, &cs);
	assert_true(cs.has_range && cs.min.u.i == 7364 && cs.max.u.i == 7671);
	assert_true(cs.distinct_count == 40 && fabs(cs.null_fraction - 3.0 / 13) < 1e-12);
	hive_col_stats_from_json(bare, ftype_make(TYPE_INT8), 0, NULL, &cs);
	assert_true(cs.distinct_count < 0 && !cs.has_range && cs.null_fraction == 0);
	json_decref(bad);
	json_decref(bare);
	json_decref(old);
	json_decref(add);
}

static conn_domain *eq_domain(arena *a, int column, ftype t, const char *s, bool null_allowed)
{
	conn_domain *d = arena_zalloc(a, sizeof *d);
	d->ncols = 1;
	d->cols = arena_zalloc(a, sizeof *d->cols);
	d->cols[0].column = column;
	d->cols[0].null_allowed = null_allowed;
	if (s) {
		d->cols[0].nranges = 1;
		conn_range *r = arena_zalloc(a, sizeof *r);
		r->low_inclusive = r->high_inclusive = true;
		OK(value_in_text(t, s, strlen(s), a, (void *)fvalue_ptr(t, &r->low)));
		r->high = r->low;
		d->cols[0].ranges = r;
	}
	return d;
}

static void test_partitioned(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	const char *pn[2] = {"partitioned_by", "format"}, *pv[2] = {"ARRAY['region']", "'PARQUET'"};
	conn_table_def def = make_def("sales", "by_region", 5, orders_cols, 2, pn, pv);
	OK(cat->ops->create_table(cat, &def));
	/* partition keys must be last */
	const char *bad[1] = {"ARRAY['name']"};
	conn_table_def def2 = make_def("sales", "bad", 5, orders_cols, 1, pn, bad);
	expect_err(cat->ops->create_table(cat, &def2), "42P16", "last columns");
	const char *junk[1] = {"ARRAY['region'"};
	def2.prop_values = junk;
	expect_err(cat->ops->create_table(cat, &def2), SQLSTATE_INVALID_PARAMETER_VALUE, "partitioned_by");
	const char *un[1] = {"bucket_count"};
	def2.prop_names = un;
	expect_err(cat->ops->create_table(cat, &def2), SQLSTATE_INVALID_PARAMETER_VALUE, "bucket_count");

	conn_table *t = get_table(a, "sales", "by_region");
	assert_int_equal(t->ncols, 7);
	assert_string_equal(t->cols[4].name, "region");
	conn_write *w;
	OK(cat->ops->begin_insert(cat, t, CONN_WRITE_APPEND, &w));
	OK(write_rows(w, 2, 0, 8000, true));
	assert_true(exists("warehouse/sales/by_region/region=eu"));
	assert_true(exists("warehouse/sales/by_region/region=us/.trinoSchema"));
	assert_true(exists("warehouse/sales/by_region/region=a%2Fb%3Dc"));
	assert_true(exists("warehouse/sales/by_region/region=__HIVE_DEFAULT_PARTITION__"));

	int cols[2] = {0, 4};
	scan_result r;
	OK(scan(t, 2, cols, &r));
	assert_int_equal(r.rows, 8000);
	assert_non_null(strstr(r.text.data, "\n2|a/b=c\n"));
	assert_non_null(strstr(r.text.data, "\n7|NULL\n"));
	sb_free(&r.text);

	/* region = 'a/b=c': enforced by pruning, nothing remains for the engine */
	conn_table *ft;
	conn_domain *rest;
	OK(cat->ops->apply_filter(cat, t, eq_domain(a, 4, t->cols[4].type, "a/b=c", false), a, &ft, &rest));
	assert_non_null(ft);
	assert_null(rest);
	OK(scan(ft, 2, cols, &r));
	assert_int_equal(r.rows, 2000);
	assert_int_equal(r.nsplits, 2); /* one file per sink */
	assert_null(strstr(r.text.data, "|eu"));
	sb_free(&r.text);
	/* statistics: the whole table's numRows, recorded by CREATE TABLE (0)
	 * and the INSERT (+8000), so no footer of any partition is opened; the
	 * pruned handle samples the footers of its own partition */
	conn_table_stats st;
	OK(cat->ops->get_statistics(cat, get_table(a, "sales", "by_region"), a, &st));
	assert_true(st.row_count == 8000);
	OK(cat->ops->get_statistics(cat, ft, a, &st));
	assert_true(st.row_count == 2000);
	/* region IS NULL */
	OK(cat->ops->apply_filter(cat, t, eq_domain(a, 4, t->cols[4].type, NULL, true), a, &ft, &rest));
	OK(scan(ft, 2, cols, &r));
	assert_int_equal(r.rows, 2000);
	sb_free(&r.text);
	/* a data column: row groups skipped by statistics, the engine still filters */
	OK(cat->ops->apply_filter(cat, t, eq_domain(a, 0, t->cols[0].type, "99999", false), a, &ft, &rest));
	assert_non_null(ft);
	assert_non_null(rest);
	assert_int_equal(rest->ncols, 1);
	OK(scan(ft, 2, cols, &r));
	assert_int_equal(r.rows, 0);
	sb_free(&r.text);
	/* id <= 100: the second sink's files start at 2048 */
	conn_domain *le = eq_domain(a, 0, t->cols[0].type, "100", false);
	le->cols[0].ranges[0].low_unbounded = true;
	OK(cat->ops->apply_filter(cat, t, le, a, &ft, &rest));
	OK(scan(ft, 2, cols, &r));
	assert_int_equal(r.rows, 4096);
	sb_free(&r.text);
	strbuf ex = STRBUF_INIT;
	cat->ops->explain(cat, ft, &ex);
	assert_non_null(strstr(ex.data, "row groups"));
	sb_free(&ex);
	arena_destroy(a);
}

/* A Parquet file written with the writer directly (as another engine would). */
static void write_parquet(const char *rel, int ncols, const char **names, const ftype *types, batch *b)
{
	fs *f;
	OK(fs_create(NULL, &f));
	fs_writer *fw;
	OK(fs_writer_open(f, path(rel), &fw));
	parquet_output out;
	parquet_output_from_fs_writer(fw, rel, &out);
	parquet_writer *pw;
	OK(parquet_writer_open(&out, names, types, ncols, NULL, &pw));
	OK(parquet_writer_write_batch(pw, b));
	OK(parquet_writer_close(pw));
	fs_destroy(f);
}

static void test_external_and_evolution(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	/* files of an outside writer: int32 and text, partitioned by year */
	ftype types[2] = {ftype_make(TYPE_INT4), ftype_make(TYPE_TEXT)};
	const char *names[2] = {"K", "label"};
	for (int y = 2023; y <= 2024; y++) {
		batch *b = batch_create(a, 2, types, 16);
		for (int i = 0; i < 3; i++) {
			((int32_t *)b->cols[0].data)[i] = y * 10 + i;
			vector_set_string(&b->cols[1], a, i, "x", 1);
		}
		b->count = 3;
		char rel[128];
		snprintf(rel, sizeof rel, "ext/year=%d/part-0.parquet", y);
		write_parquet(rel, 2, names, types, b);
	}
	write_text("ext/_SUCCESS", "");
	write_text("ext/year=2024/.hidden", "not parquet");
	write_text("ext/stray.parquet", "not in a partition directory");

	/* k widened to bigint, label as varchar(5), a column no file has */
	conn_column cols[4] = {{.name = "k", .type = ftype_make(TYPE_INT8)},
	                       {.name = "label", .type = ftype_varchar(5)},
	                       {.name = "added", .type = ftype_make(TYPE_FLOAT8)},
	                       {.name = "year", .type = ftype_make(TYPE_INT4)}};
	char loc[400];
	snprintf(loc, sizeof loc, "'%s'", path("ext/"));
	const char *pn[2] = {"external_location", "partitioned_by"}, *pv[2] = {loc, "ARRAY['year']"};
	conn_table_def def = make_def("sales", "ext", 4, cols, 2, pn, pv);
	OK(cat->ops->create_table(cat, &def));
	conn_table *t = get_table(a, "sales", "ext");
	int all[4] = {0, 1, 2, 3};
	scan_result r;
	OK(scan(t, 4, all, &r));
	assert_int_equal(r.rows, 6);
	assert_non_null(strstr(r.text.data, "20241|x|NULL|2024\n"));
	sb_free(&r.text);
	/* year > 2023 (partition): one file */
	conn_domain *d = eq_domain(a, 3, t->cols[3].type, "2024", false);
	d->cols[0].ranges[0].high_unbounded = true;
	conn_table *ft;
	conn_domain *rest;
	OK(cat->ops->apply_filter(cat, t, d, a, &ft, &rest));
	OK(scan(ft, 1, all, &r));
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.nsplits, 1);
	sb_free(&r.text);
	/* no statistics recorded: figures from that file's footer (k widened, added missing) */
	conn_table_stats st;
	OK(cat->ops->get_statistics(cat, ft, a, &st));
	assert_true(st.row_count == 3 && st.ncols == ft->ncols);
	assert_true(st.cols[0].has_range && st.cols[0].min.u.i == 20240 &&
	            st.cols[0].max.u.i == 20242);
	assert_true(st.cols[0].distinct_count == 3 && st.cols[0].null_fraction == 0);
	assert_true(st.cols[1].distinct_count < 0 && !st.cols[1].has_range &&
	            st.cols[1].null_fraction == 0);
	assert_true(st.cols[2].distinct_count == 0 && st.cols[2].null_fraction == 1);
	assert_true(st.cols[3].distinct_count < 0); /* the partition key: not from footers */

	json_error_t je;
	json_t *doc = json_load_file(path("warehouse/sales/ext/.trinoSchema"), 0, &je);
	assert_string_equal(json_string_value(json_object_get(doc, "tableType")), "EXTERNAL_TABLE");
	assert_non_null(json_object_get(doc, "externalLocation"));
	json_decref(doc);

	/* a partition value that is not of the key's type */
	write_text("ext/year=abc/part-0.parquet", "x");
	expect_err(scan(t, 1, all, &r), SQLSTATE_INVALID_TEXT_REPRESENTATION, "year=abc");
	sb_free(&r.text);
	assert_int_equal(unlink(path("ext/year=abc/part-0.parquet")), 0);
	/* a corrupt data file: the error names it */
	write_text("ext/year=2025/bad.parquet", "this is not a parquet file at all");
	expect_err(scan(t, 1, all, &r), SQLSTATE_DATA_CORRUPTED, "bad.parquet");
	sb_free(&r.text);
	assert_int_equal(unlink(path("ext/year=2025/bad.parquet")), 0);

	/* DROP of an external table keeps its data */
	OK(cat->ops->drop_table(cat, t));
	assert_false(exists("warehouse/sales/ext/.trinoSchema"));
	assert_true(exists("ext/year=2024/part-0.parquet"));
	conn_table *gone;
	OK(cat->ops->get_table(cat, "sales", "ext", a, &gone));
	assert_null(gone);
	expect_err(cat->ops->drop_table(cat, t), SQLSTATE_UNDEFINED_TABLE, "does not exist");

	/* the file declares text where the table says int */
	conn_column wrong[2] = {{.name = "label", .type = ftype_make(TYPE_INT4)}, {.name = "year", .type = ftype_make(TYPE_INT4)}};
	const char *pv2[2] = {loc, "ARRAY['year']"};
	conn_table_def def3 = make_def("sales", "wrong", 2, wrong, 2, pn, pv2);
	OK(cat->ops->create_table(cat, &def3));
	t = get_table(a, "sales", "wrong");
	expect_err(scan(t, 1, all, &r), SQLSTATE_DATATYPE_MISMATCH, "label");
	sb_free(&r.text);
	OK(cat->ops->drop_table(cat, t));
	arena_destroy(a);
}

static void test_metastore_errors(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	conn_table *t;
	write_text("warehouse/sales/broken/.trinoSchema", "{\"tableType\": \"MANAGED_TABLE\", \"dataColumns\": [");
	expect_err(cat->ops->get_table(cat, "sales", "broken", a, &t), SQLSTATE_DATA_CORRUPTED,
	           "warehouse/sales/broken/.trinoSchema");
	write_text("warehouse/sales/broken/.trinoSchema", "{\"tableType\": \"MANAGED_TABLE\", \"dataColumns\": 3}");
	expect_err(cat->ops->get_table(cat, "sales", "broken", a, &t), SQLSTATE_DATA_CORRUPTED, "dataColumns");
	write_text("warehouse/sales/broken/.trinoSchema", "[]");
	expect_err(cat->ops->get_table(cat, "sales", "broken", a, &t), SQLSTATE_DATA_CORRUPTED, "not a JSON object");
	/* a table as Trino writes it, with a type Ferry does not know (hidden) and tinyint */
	write_text("warehouse/sales/broken/.trinoSchema",
	           "{\"writerVersion\":\"435\",\"owner\":\"trino\",\"tableType\":\"MANAGED_TABLE\","
	           "\"dataColumns\":[{\"name\":\"a\",\"type\":\"tinyint\"},{\"name\":\"b\",\"type\":\"interval_x\"},"
	           "{\"name\":\"c\",\"type\":\"array<int>\"},{\"name\":\"d\",\"type\":\"char(3)\"}],"
	           "\"partitionColumns\":[],\"parameters\":{\"numRows\":\"42\"},\"storageFormat\":\"ORC\","
	           "\"serdeParameters\":{},\"columnStatistics\":{}}");
	t = get_table(a, "sales", "broken");
	assert_int_equal(t->ncols, 3 + 2);
	assert_int_equal(t->cols[0].type.id, TYPE_INT2);
	assert_int_equal(t->cols[1].type.id, TYPE_JSON);
	assert_int_equal(t->cols[2].type.id, TYPE_BPCHAR);
	assert_int_equal(t->cols[2].type.length, 3);
	conn_table_stats st;
	OK(cat->ops->get_statistics(cat, t, a, &st));
	assert_true(st.row_count == 42);
	int n;
	conn_split **sp;
	expect_err(cat->ops->get_splits(cat, t, 2, a, &n, &sp), SQLSTATE_FEATURE_NOT_SUPPORTED, "ORC");
	conn_write *w;
	expect_err(cat->ops->begin_insert(cat, t, CONN_WRITE_APPEND, &w), SQLSTATE_FEATURE_NOT_SUPPORTED, "ORC");
	/* types a Hive table cannot store */
	conn_column iv[1] = {{.name = "i", .type = ftype_make(TYPE_INTERVAL)}};
	conn_table_def def = make_def("sales", "iv", 1, iv, 0, NULL, NULL);
	expect_err(cat->ops->create_table(cat, &def), SQLSTATE_FEATURE_NOT_SUPPORTED, "interval");
	def.schema = "nope";
	iv[0].type = ftype_make(TYPE_INT4);
	expect_err(cat->ops->create_table(cat, &def), SQLSTATE_INVALID_SCHEMA_NAME, "nope");
	OK(cat->ops->drop_table(cat, t));
	arena_destroy(a);
}

static void test_drop(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	expect_err(cat->ops->drop_schema(cat, "sales", false), "2BP01", "contains");
	conn_table *t = get_table(a, "sales", "orders");
	OK(cat->ops->drop_table(cat, t));
	assert_int_equal(count_visible_files("warehouse/sales/orders"), 0);
	assert_false(exists("warehouse/sales/orders/.trinoSchema"));
	/* a managed table's directory must be empty for a new table there */
	write_text("warehouse/sales/orders/leftover", "x");
	conn_table_def def = make_def("sales", "orders", 5, orders_cols, 0, NULL, NULL);
	expect_err(cat->ops->create_table(cat, &def), SQLSTATE_DUPLICATE_TABLE, "not empty");
	OK(cat->ops->drop_schema(cat, "sales", true));
	assert_int_equal(count_visible_files("warehouse"), 0);
	assert_true(exists("ext/year=2023/part-0.parquet")); /* external data stays */
	int n;
	const char **names;
	OK(cat->ops->list_schemas(cat, a, &n, &names));
	assert_int_equal(n, 0);

	/* a schema with its own location: managed tables go under it */
	const char *sp[1] = {"location"}, *bad[1] = {"owner"};
	char loc[400];
	snprintf(loc, sizeof loc, "'%s/'", path("lake"));
	const char *sv[1] = {loc};
	expect_err(cat->ops->create_schema(cat, "lake", 1, bad, sv), SQLSTATE_INVALID_PARAMETER_VALUE, "owner");
	OK(cat->ops->create_schema(cat, "lake", 1, sp, sv));
	def.schema = "lake";
	OK(cat->ops->create_table(cat, &def));
	t = get_table(a, "lake", "orders");
	conn_write *w;
	OK(cat->ops->begin_insert(cat, t, CONN_WRITE_APPEND, &w));
	OK(write_rows(w, 1, 0, 100, true));
	assert_int_equal(count_visible_files("lake/orders"), 1);
	json_error_t je;
	json_t *doc = json_load_file(path("warehouse/lake/orders/.trinoSchema"), 0, &je);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(doc, "parameters"), "location")),
	                       "/lake/orders"));
	json_decref(doc);
	t = get_table(a, "lake", "orders");
	scan_result r;
	OK(scan(t, 0, NULL, &r));
	assert_int_equal(r.rows, 100);
	sb_free(&r.text);
	OK(cat->ops->drop_schema(cat, "lake", true));
	assert_int_equal(count_visible_files("lake"), 0);
	arena_destroy(a);
}

/*
 * Measurement, run only with HIVE_BENCH_DIR set: TPC-H lineitem from the
 * tpch connector (HIVE_BENCH_SCHEMA, default sf1) written as a hive table
 * by two sinks (once; kept in the directory), then scanned by two threads
 * summing l_extendedprice, as SELECT count(*), sum(l_extendedprice) would.
 */
typedef struct bench_part {
	conn_catalog *src; /* tpch: copy splits [i, n) step 2 into a sink */
	const conn_table *st;
	conn_split **splits;
	int nsplits, first;
	conn_page_sink *sink;
	const conn_table *ht; /* hive: scan */
	int price_col;
	int64_t rows, sum;
	ferr *err;
} bench_part;

static void *bench_copy(void *arg)
{
	bench_part *p = arg;
	arena *a = arena_create(NULL, "bench");
	int *cols = arena_alloc(a, sizeof(int) * (size_t)p->st->ncols);
	for (int i = 0; i < p->st->ncols; i++) cols[i] = i;
	for (int i = p->first; i < p->nsplits && !p->err; i += 2) {
		conn_page_source *src;
		if ((p->err = p->src->ops->open_page_source(p->src, p->st, p->splits[i], p->st->ncols, cols, a, &src)))
			break;
		for (;;) {
			arena *ba = arena_create(NULL, "batch");
			batch *b;
			p->err = src->ops->next(src, ba, &b);
			if (!p->err && b) p->err = p->sink->ops->append(p->sink, b);
			arena_destroy(ba);
			if (p->err || !b) break;
		}
		src->ops->close(src);
	}
	if (!p->err) p->err = p->sink->ops->finish(p->sink);
	arena_destroy(a);
	return NULL;
}

static void *bench_scan(void *arg)
{
	bench_part *p = arg;
	arena *a = arena_create(NULL, "bench");
	for (int i = p->first; i < p->nsplits && !p->err; i += 2) {
		conn_page_source *src;
		if ((p->err = cat->ops->open_page_source(cat, p->ht, p->splits[i], 1, &p->price_col, a, &src))) break;
		for (;;) {
			arena *ba = arena_create(NULL, "batch");
			batch *b;
			p->err = src->ops->next(src, ba, &b);
			if (!p->err && b) {
				const vector *v = &b->cols[0];
				for (int r = 0; r < b->count; r++) {
					int row = batch_row(b, r);
					if (!vector_is_null(v, row)) p->sum += *(const int64_t *)vector_at(v, row);
				}
				p->rows += b->count;
			}
			arena_destroy(ba);
			if (p->err || !b) break;
		}
		src->ops->close(src);
	}
	arena_destroy(a);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_bench_lineitem(void **state)
{
	(void)state;
	const char *dir = getenv("HIVE_BENCH_DIR");
	if (!dir) skip();
	const char *sf = getenv("HIVE_BENCH_SCHEMA") ? getenv("HIVE_BENCH_SCHEMA") : "sf1";
	props *p = props_create();
	OK(props_set(p, "hive.metastore.catalog.dir", dir));
	conn_catalog *saved = cat, *tpch;
	OK(conn_find_factory("hive")->create("bench", p, &cat));
	OK(conn_find_factory("tpch")->create("tpch", NULL, &tpch));
	arena *a = arena_create(NULL, "bench");
	conn_table *ht;
	OK(cat->ops->get_table(cat, "bench", "lineitem", a, &ht));
	if (!ht) {
		ferr *e = cat->ops->create_schema(cat, "bench", 0, NULL, NULL);
		if (e && strcmp(e->sqlstate, "42P06") == 0) ferr_free(e), e = NULL; /* the schema is there */
		OK(e);
		conn_table *st;
		OK(tpch->ops->get_table(tpch, sf, "lineitem", a, &st));
		conn_table_def def = make_def("bench", "lineitem", st->ncols, st->cols, 0, NULL, NULL);
		conn_write *w;
		OK(cat->ops->begin_create_table(cat, &def, &w));
		bench_part parts[2] = {{0}};
		pthread_t th[2];
		int n;
		conn_split **splits;
		OK(tpch->ops->get_splits(tpch, st, 16, a, &n, &splits));
		double t0 = now_s();
		for (int i = 0; i < 2; i++) {
			parts[i] = (bench_part){.src = tpch, .st = st, .splits = splits, .nsplits = n, .first = i};
			OK(cat->ops->open_page_sink(cat, w, &parts[i].sink));
			pthread_create(&th[i], NULL, bench_copy, &parts[i]);
		}
		for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
		for (int i = 0; i < 2; i++) {
			OK(parts[i].err);
			parts[i].sink->ops->close(parts[i].sink);
		}
		OK(cat->ops->finish_write(cat, w));
		print_message("wrote %s.lineitem as Parquet in %.2f s (2 threads, tpch generation included)\n", sf,
		              now_s() - t0);
		OK(cat->ops->get_table(cat, "bench", "lineitem", a, &ht));
	}
	int price = -1;
	for (int i = 0; i < ht->ncols; i++)
		if (strcmp(ht->cols[i].name, "l_extendedprice") == 0 || strcmp(ht->cols[i].name, "extendedprice") == 0)
			price = i;
	assert_true(price >= 0);
	for (int round = 0; round < 3; round++) {
		double t0 = now_s();
		int n;
		conn_split **splits;
		OK(cat->ops->get_splits(cat, ht, 2, a, &n, &splits));
		bench_part parts[2];
		pthread_t th[2];
		for (int i = 0; i < 2; i++) {
			parts[i] = (bench_part){.ht = ht, .splits = splits, .nsplits = n, .first = i, .price_col = price};
			pthread_create(&th[i], NULL, bench_scan, &parts[i]);
		}
		for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
		OK(parts[0].err);
		OK(parts[1].err);
		int64_t sum = parts[0].sum + parts[1].sum;
		print_message("scan: %d splits, count %lld, sum(l_extendedprice) %lld.%02lld in %.3f s\n", n,
		              (long long)(parts[0].rows + parts[1].rows), (long long)(sum / 100), (long long)(sum % 100),
		              now_s() - t0);
	}
	arena_destroy(a);
	tpch->ops->destroy(tpch);
	cat->ops->destroy(cat);
	cat = saved;
	props_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_properties),
	    cmocka_unit_test(test_schemas),
	    cmocka_unit_test(test_ctas_roundtrip),
	    cmocka_unit_test(test_insert_abort_replace),
	    cmocka_unit_test(test_stats_merge),
	    cmocka_unit_test(test_partitioned),
	    cmocka_unit_test(test_external_and_evolution),
	    cmocka_unit_test(test_metastore_errors),
	    cmocka_unit_test(test_drop),
	    cmocka_unit_test(test_bench_lineitem),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
