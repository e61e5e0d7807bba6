/*
 * test_system.c — the system connector through the SPI: system.jdbc.*
 * list tpch's schemas, tables and columns with the right JDBC fields;
 * pushed-down names narrow the listing; a failing catalog is skipped in a
 * sweep but fails a scan that names it; listings larger than a batch;
 * catalog references are released by close; runtime providers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/catalogs.h"
#include "connectors/system/system.h"

static arena *A;
static fmt_settings fmt;

/* ---- fake connectors ---- */

/* "broken": every metadata call fails, as a source that is down does. */
static ferr *broken_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	return ferr_new(SQLSTATE_CONNECTION_FAILURE, "connection refused");
}

/*
 * "fake": schema "s" with "good" (columns a bigint, b with a comment, a
 * hidden one), "bad" (get_table fails), and "t0".."t<N>" for big listings;
 * schema "noaccess" whose list_tables fails.
 */
#define NBIG 2500
static int fake_destroyed;

static ferr *fake_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	const char **v = arena_alloc(a, sizeof(char *) * 2);
	v[0] = "s";
	v[1] = "noaccess";
	*names = v;
	*n = 2;
	return NULL;
}

static ferr *fake_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                              const char ***names)
{
	if (strcmp(schema, "noaccess") == 0)
		return ferr_new(SQLSTATE_INSUFFICIENT_PRIVILEGE,
		                "permission denied for schema noaccess");
	const char **v = arena_alloc(a, sizeof(char *) * (NBIG + 2));
	v[0] = "good";
	v[1] = "bad";
	for (int i = 0; i < NBIG; i++)
		v[i + 2] = arena_sprintf(a, "t%d", i);
	*names = v;
	*n = NBIG + 2;
	return NULL;
}

static ferr *fake_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                            conn_table **out)
{
	*out = NULL;
	if (strcmp(schema, "s") != 0) return NULL;
	if (strcmp(table, "bad") == 0)
		return ferr_new(SQLSTATE_IO_ERROR, "metadata file unreadable");
	conn_table *t = arena_zalloc(a, sizeof *t);
	t->schema = "s";
	t->table = arena_strdup(a, table);
	if (strcmp(table, "good") == 0) {
		t->ncols = 3;
		t->cols = arena_zalloc(a, sizeof(conn_column) * 3);
		t->cols[0] = (conn_column){.name = "a", .type = ftype_make(TYPE_INT8)};
		t->cols[1] =
		    (conn_column){.name = "$path", .type = ftype_make(TYPE_TEXT), .hidden = true};
		t->cols[2] = (conn_column){
		    .name = "b", .type = ftype_make(TYPE_TIMESTAMPTZ), .comment = "when it's done"};
		*out = t;
		return NULL;
	}
	if (table[0] == 't') {
		t->ncols = 1;
		t->cols = arena_zalloc(a, sizeof(conn_column));
		t->cols[0] = (conn_column){.name = "x", .type = ftype_make(TYPE_BOOL)};
		*out = t;
	}
	return NULL;
}

static void fake_destroy(conn_catalog *c)
{
	fake_destroyed++;
	free(c);
}

static const conn_catalog_ops broken_ops = {.list_schemas = broken_list_schemas,
                                            .destroy = fake_destroy};
static const conn_catalog_ops fake_ops = {.list_schemas = fake_list_schemas,
                                          .list_tables = fake_list_tables,
                                          .get_table = fake_get_table,
                                          .destroy = fake_destroy};

static ferr *broken_create(const char *name, const props *p, conn_catalog **out)
{
	conn_catalog *c = calloc(1, sizeof *c);
	c->ops = &broken_ops;
	c->name = name;
	c->connector = "broken";
	*out = c;
	return NULL;
}

static ferr *fake_create(const char *name, const props *p, conn_catalog **out)
{
	conn_catalog *c = calloc(1, sizeof *c);
	c->ops = &fake_ops;
	c->name = name;
	c->connector = "fake";
	*out = c;
	return NULL;
}

static const conn_factory broken_factory = {"broken", broken_create};
static const conn_factory fake_factory = {"fake", fake_create};

static void add_catalog(const char *name, const char *connector)
{
	props *p = props_create();
	props_set(p, "connector.name", connector);
	ferr *e = catalogs_add(name, p);
	props_destroy(p); /* catalogs_add keeps its own copy */
	if (e) fail_msg("catalogs_add %s: %s", name, e->message);
}

/* ---- scanning ---- */

/* Rows as text, NULL = SQL NULL. */
typedef struct rows {
	int n, ncols, nbatches, max_batch;
	char **v; /* n * ncols */
} rows;

static const char *cell(const rows *r, int row, int col)
{
	return r->v[row * r->ncols + col];
}

/* Domain pinning column -> value for each non-NULL pins[i] (column i). */
static conn_domain *pin_domain(const char *const *pins, int n)
{
	conn_domain *d = arena_zalloc(A, sizeof *d);
	d->cols = arena_zalloc(A, sizeof(conn_column_domain) * (size_t)n);
	for (int i = 0; i < n; i++) {
		if (!pins[i]) continue;
		conn_column_domain *cd = &d->cols[d->ncols++];
		cd->column = i;
		cd->nranges = 1;
		cd->ranges = arena_zalloc(A, sizeof(conn_range));
		cd->ranges[0].low_inclusive = cd->ranges[0].high_inclusive = true;
		cd->ranges[0].low.u.s = (fstring){(uint32_t)strlen(pins[i]), pins[i]};
		cd->ranges[0].high = cd->ranges[0].low;
	}
	return d;
}

static conn_table *sys_table(conn_catalog *sys, const char *schema, const char *table)
{
	conn_table *t = NULL;
	assert_null(sys->ops->get_table(sys, schema, table, A, &t));
	assert_non_null(t);
	return t;
}

/*
 * Scan schema.table of the system catalog, columns cols (all when
 * ncols < 0), after pushing down equalities on the first columns (pins[i]
 * for column i, NULL = none). Returns the error of the scan, if any.
 */
static ferr *scan_sys(const char *schema, const char *table, const char *const *pins, int npins,
                      int ncols, const int *cols, rows *out, conn_page_source **keep_open)
{
	conn_catalog *sys = catalogs_acquire("system");
	assert_non_null(sys);
	conn_table *t = sys_table(sys, schema, table);
	if (npins) {
		conn_table *nt = NULL;
		conn_domain *rem = NULL;
		assert_null(sys->ops->apply_filter(sys, t, pin_domain(pins, npins), A, &nt, &rem));
		assert_non_null(nt);
		assert_non_null(rem); /* the engine still checks everything */
		t = nt;
	}
	int all[64];
	if (ncols < 0) {
		ncols = t->ncols;
		for (int i = 0; i < ncols; i++)
			all[i] = i;
		cols = all;
	}
	int nsplits;
	conn_split **splits;
	assert_null(sys->ops->get_splits(sys, t, 4, A, &nsplits, &splits));
	assert_int_equal(nsplits, 1);
	conn_page_source *src;
	arena *sa = arena_create(A, "source");
	assert_null(sys->ops->open_page_source(sys, t, splits[0], ncols, cols, sa, &src));
	memset(out, 0, sizeof *out);
	out->ncols = ncols;
	int cap = 0;
	ferr *err = NULL;
	strbuf sb = STRBUF_INIT;
	arena *ba = arena_create(A, "batch");
	for (;;) {
		batch *b = NULL;
		arena_reset(ba);
		err = src->ops->next(src, ba, &b);
		if (err || !b) break;
		assert_int_equal(b->ncols, ncols);
		assert_true(b->count <= BATCH_CAPACITY);
		out->nbatches++;
		if (b->count > out->max_batch) out->max_batch = b->count;
		for (int r = 0; r < b->count; r++) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 64;
				out->v = realloc(out->v, sizeof(char *) * (size_t)(cap * ncols));
			}
			for (int c = 0; c < ncols; c++) {
				const vector *v = &b->cols[c];
				char **slot = &out->v[out->n * ncols + c];
				if (vector_is_null(v, r)) {
					*slot = NULL;
					continue;
				}
				sb_reset(&sb);
				value_out_text(v->type, vector_at(v, r), &fmt, &sb);
				*slot = strdup(sb.data ? sb.data : "");
			}
			out->n++;
		}
		if (keep_open && out->n > 0) break;
	}
	sb_free(&sb);
	if (keep_open) {
		*keep_open = src;
	} else {
		src->ops->close(src);
		arena_destroy(sa);
	}
	arena_destroy(ba);
	catalogs_release(sys);
	return err;
}

static void rows_free(rows *r)
{
	for (int i = 0; i < r->n * r->ncols; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* Rows whose column col equals v. */
static int count_eq(const rows *r, int col, const char *v)
{
	int k = 0;
	for (int i = 0; i < r->n; i++)
		k += cell(r, i, col) && strcmp(cell(r, i, col), v) == 0;
	return k;
}

static int find_row(const rows *r, const char *c0, const char *c1, const char *c2, const char *c3)
{
	const char *want[4] = {c0, c1, c2, c3};
	for (int i = 0; i < r->n; i++) {
		bool ok = true;
		for (int c = 0; c < 4 && c < r->ncols; c++)
			if (want[c] && (!cell(r, i, c) || strcmp(cell(r, i, c), want[c]) != 0))
				ok = false;
		if (ok) return i;
	}
	return -1;
}

/* ---- tests ---- */

static void test_table_shapes(void **state)
{
	conn_catalog *sys = catalogs_acquire("system");
	int n;
	const char **names;
	assert_null(sys->ops->list_schemas(sys, A, &n, &names));
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "jdbc");
	assert_null(sys->ops->list_tables(sys, "jdbc", A, &n, &names));
	assert_int_equal(n, 4);
	ferr *e = sys->ops->list_tables(sys, "nope", A, &n, &names);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_SCHEMA_NAME);
	ferr_free(e);

	conn_table *t = sys_table(sys, "jdbc", "columns");
	static const char *const want[] = {
	    "table_cat",        "table_schem",      "table_name",       "column_name",
	    "data_type",        "type_name",        "column_size",      "buffer_length",
	    "decimal_digits",   "num_prec_radix",   "nullable",         "remarks",
	    "column_def",       "sql_data_type",    "sql_datetime_sub", "char_octet_length",
	    "ordinal_position", "is_nullable",      "scope_catalog",    "scope_schema",
	    "scope_table",      "source_data_type", "is_autoincrement", "is_generatedcolumn"};
	assert_int_equal(t->ncols, 24); /* Trino's ColumnJdbcTable, in its order */
	for (int i = 0; i < 24; i++) {
		assert_string_equal(t->cols[i].name, want[i]);
		assert_false(t->cols[i].hidden);
	}
	assert_int_equal(t->cols[4].type.id, TYPE_INT8);
	assert_int_equal(t->cols[5].type.id, TYPE_VARCHAR);
	assert_int_equal(t->cols[5].type.length, -1);

	t = sys_table(sys, "jdbc", "tables");
	assert_int_equal(t->ncols, 10);
	assert_string_equal(t->cols[3].name, "table_type");
	t = sys_table(sys, "jdbc", "schemas");
	assert_int_equal(t->ncols, 2);
	assert_string_equal(t->cols[0].name, "table_schem");
	assert_string_equal(t->cols[1].name, "table_catalog");
	t = sys_table(sys, "jdbc", "catalogs");
	assert_int_equal(t->ncols, 1);
	assert_string_equal(t->cols[0].name, "table_cat");
	t = NULL;
	assert_null(sys->ops->get_table(sys, "jdbc", "nope", A, &t));
	assert_null(t);
	catalogs_release(sys);
}

static void test_jdbc_catalogs(void **state)
{
	rows r;
	assert_null(scan_sys("jdbc", "catalogs", NULL, 0, -1, NULL, &r, NULL));
	/* sorted, every registered catalog, the broken one too (no call needed) */
	assert_int_equal(r.n, 4);
	assert_string_equal(cell(&r, 0, 0), "broken");
	assert_string_equal(cell(&r, 1, 0), "fake");
	assert_string_equal(cell(&r, 2, 0), "system");
	assert_string_equal(cell(&r, 3, 0), "tpch");
	rows_free(&r);
}

static void test_jdbc_schemas(void **state)
{
	rows r;
	assert_null(scan_sys("jdbc", "schemas", NULL, 0, -1, NULL, &r, NULL));
	static const char *const tpch[] = {"tiny", "sf1", "sf10", "sf100", "sf300", "sf1000"};
	for (int i = 0; i < 6; i++)
		assert_true(find_row(&r, tpch[i], "tpch", NULL, NULL) >= 0);
	assert_int_equal(count_eq(&r, 1, "tpch"), 6);
	assert_true(find_row(&r, "jdbc", "system", NULL, NULL) >= 0);
	assert_true(find_row(&r, "runtime", "system", NULL, NULL) >= 0);
	assert_int_equal(count_eq(&r, 1, "fake"), 2);
	/* broken is skipped (with a warning), not an error for everyone */
	assert_int_equal(count_eq(&r, 1, "broken"), 0);
	assert_int_equal(r.n, 6 + 3 + 2);
	rows_free(&r);

	/* pinned to one catalog */
	const char *pins[] = {NULL, "tpch"};
	assert_null(scan_sys("jdbc", "schemas", pins, 2, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 6);
	assert_int_equal(count_eq(&r, 1, "tpch"), 6);
	rows_free(&r);
}

static void test_jdbc_tables(void **state)
{
	rows r;
	const char *pins[] = {"tpch"};
	assert_null(scan_sys("jdbc", "tables", pins, 1, -1, NULL, &r, NULL));
	assert_int_equal(r.ncols, 10);
	assert_int_equal(r.n, 6 * 8);
	static const char *const names[] = {"customer", "lineitem", "nation", "orders",
	                                    "part",     "partsupp", "region", "supplier"};
	for (int i = 0; i < 8; i++) {
		int k = find_row(&r, "tpch", "tiny", names[i], "TABLE");
		assert_true(k >= 0);
		for (int c = 4; c < 10; c++)
			assert_null(cell(&r, k, c)); /* remarks, type_* ... */
		assert_int_equal(count_eq(&r, 2, names[i]), 6);
	}
	rows_free(&r);

	const char *pins2[] = {"tpch", "sf1"};
	assert_null(scan_sys("jdbc", "tables", pins2, 2, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 8);
	assert_int_equal(count_eq(&r, 1, "sf1"), 8);
	rows_free(&r);

	/* sweep over every catalog: system's own tables are there, broken and
	 * fake's unreadable schema are skipped, the rest is complete */
	assert_null(scan_sys("jdbc", "tables", NULL, 0, -1, NULL, &r, NULL));
	assert_true(find_row(&r, "system", "jdbc", "columns", "TABLE") >= 0);
	assert_true(find_row(&r, "system", "runtime", "queries", "TABLE") >= 0);
	assert_int_equal(count_eq(&r, 0, "tpch"), 48);
	assert_int_equal(count_eq(&r, 0, "fake"), NBIG + 2);
	assert_int_equal(count_eq(&r, 0, "broken"), 0);
	assert_true(r.nbatches >= 2); /* more rows than one batch holds */
	assert_int_equal(r.max_batch, BATCH_CAPACITY);
	rows_free(&r);
}

static void test_jdbc_columns_tpch(void **state)
{
	rows r;
	const char *pins[] = {"tpch", "tiny", "orders"};
	assert_null(scan_sys("jdbc", "columns", pins, 3, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 9);
	static const char *const names[] = {"orderkey",   "custkey",      "orderstatus",
	                                    "totalprice", "orderdate",    "orderpriority",
	                                    "clerk",      "shippriority", "comment"};
	static const char *const types[] = {"bigint",
	                                    "bigint",
	                                    "character varying(1)",
	                                    "numeric(12,2)",
	                                    "date",
	                                    "character varying(15)",
	                                    "character varying(15)",
	                                    "integer",
	                                    "character varying(79)"};
	static const char *const jdbc[] = {"-5", "-5", "12", "3", "91", "12", "12", "4", "12"};
	static const char *const size[] = {"19", "19", "1", "12", "14", "15", "15", "10", "79"};
	for (int i = 0; i < 9; i++) {
		char ord[8];
		snprintf(ord, sizeof ord, "%d", i + 1);
		assert_string_equal(cell(&r, i, 0), "tpch");
		assert_string_equal(cell(&r, i, 1), "tiny");
		assert_string_equal(cell(&r, i, 2), "orders");
		assert_string_equal(cell(&r, i, 3), names[i]);
		assert_string_equal(cell(&r, i, 4), jdbc[i]);
		assert_string_equal(cell(&r, i, 5), types[i]);
		assert_string_equal(cell(&r, i, 6), size[i]);
		assert_string_equal(cell(&r, i, 7), "0");  /* buffer_length */
		assert_string_equal(cell(&r, i, 10), "2"); /* columnNullableUnknown */
		assert_null(cell(&r, i, 11));              /* remarks */
		assert_null(cell(&r, i, 12));              /* column_def */
		assert_string_equal(cell(&r, i, 16), ord);
		assert_string_equal(cell(&r, i, 17), "");
		for (int c = 18; c < 24; c++)
			assert_null(cell(&r, i, c));
	}
	/* decimal_digits, num_prec_radix, char_octet_length by type */
	assert_null(cell(&r, 0, 8));
	assert_string_equal(cell(&r, 0, 9), "10");
	assert_null(cell(&r, 0, 15));
	assert_string_equal(cell(&r, 3, 8), "2");
	assert_string_equal(cell(&r, 3, 9), "10");
	assert_null(cell(&r, 2, 9));
	assert_string_equal(cell(&r, 8, 15), "79");
	assert_null(cell(&r, 4, 8));
	rows_free(&r);

	/* every tpch table has its columns, in every schema */
	const char *pins2[] = {"tpch"};
	assert_null(scan_sys("jdbc", "columns", pins2, 1, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 6 * (8 + 16 + 4 + 9 + 9 + 5 + 3 + 7));
	assert_int_equal(find_row(&r, "tpch", "sf1000", "lineitem", "comment") >= 0, 1);
	int k = find_row(&r, "tpch", "sf1", "lineitem", "shipmode");
	assert_true(k >= 0);
	assert_string_equal(cell(&r, k, 16), "15");
	assert_string_equal(cell(&r, k, 5), "character varying(10)");
	rows_free(&r);
}

static void test_jdbc_columns_projection(void **state)
{
	rows r;
	const char *pins[] = {"tpch", "tiny", "nation"};
	int cols[] = {16, 5, 3};
	assert_null(scan_sys("jdbc", "columns", pins, 3, 3, cols, &r, NULL));
	assert_int_equal(r.n, 4);
	assert_string_equal(cell(&r, 1, 0), "2");
	assert_string_equal(cell(&r, 1, 1), "character varying(25)");
	assert_string_equal(cell(&r, 1, 2), "name");
	rows_free(&r);
}

static void test_jdbc_columns_fake(void **state)
{
	rows r;
	const char *pins[] = {"fake", "s", "good"};
	assert_null(scan_sys("jdbc", "columns", pins, 3, -1, NULL, &r, NULL));
	/* the hidden column is not listed and does not take an ordinal */
	assert_int_equal(r.n, 2);
	assert_string_equal(cell(&r, 0, 3), "a");
	assert_string_equal(cell(&r, 1, 3), "b");
	assert_string_equal(cell(&r, 1, 16), "2");
	assert_string_equal(cell(&r, 1, 5), "timestamp with time zone");
	assert_string_equal(cell(&r, 1, 4), "2014");
	assert_string_equal(cell(&r, 1, 8), "6");
	assert_string_equal(cell(&r, 1, 11), "when it's done");
	rows_free(&r);

	/* a sweep over the schema skips the table whose metadata fails (as
	 * Trino's listing does) */
	const char *pins2[] = {"fake", "s"};
	assert_null(scan_sys("jdbc", "columns", pins2, 2, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 2 + NBIG);
	assert_int_equal(count_eq(&r, 2, "bad"), 0);
	assert_true(r.nbatches >= 2);
	rows_free(&r);

	/* a sweep over every catalog: what fails is skipped, the rest is whole */
	assert_null(scan_sys("jdbc", "columns", NULL, 0, -1, NULL, &r, NULL));
	assert_int_equal(count_eq(&r, 0, "tpch"), 6 * (8 + 16 + 4 + 9 + 9 + 5 + 3 + 7));
	assert_int_equal(count_eq(&r, 0, "fake"), 2 + NBIG);
	assert_true(find_row(&r, "system", "jdbc", "columns", "type_name") >= 0);
	rows_free(&r);

	/* ... but naming that table makes it an error */
	const char *pins3[] = {"fake", "s", "bad"};
	ferr *e = scan_sys("jdbc", "columns", pins3, 3, -1, NULL, &r, NULL);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_IO_ERROR);
	assert_non_null(strstr(e->message, "metadata file unreadable"));
	ferr_free(e);
	rows_free(&r);
}

static void test_named_broken_catalog_fails(void **state)
{
	rows r;
	const char *pins[] = {"broken"};
	ferr *e = scan_sys("jdbc", "tables", pins, 1, -1, NULL, &r, NULL);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_CONNECTION_FAILURE);
	assert_non_null(strstr(e->message, "broken"));
	ferr_free(e);
	rows_free(&r);

	const char *pins2[] = {NULL, "broken"};
	e = scan_sys("jdbc", "schemas", pins2, 2, -1, NULL, &r, NULL);
	assert_non_null(e);
	ferr_free(e);
	rows_free(&r);

	/* a named catalog whose one schema cannot be listed: error, not a partial answer */
	const char *pins3[] = {"fake"};
	e = scan_sys("jdbc", "tables", pins3, 1, -1, NULL, &r, NULL);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INSUFFICIENT_PRIVILEGE);
	ferr_free(e);
	rows_free(&r);
}

static void test_filter_negotiation(void **state)
{
	conn_catalog *sys = catalogs_acquire("system");
	conn_table *t = sys_table(sys, "jdbc", "tables");
	conn_table *nt = (conn_table *)1;
	conn_domain *rem = NULL;
	/* no name column constrained: declined, the engine keeps the filter */
	conn_domain none_pinned = {0};
	assert_null(sys->ops->apply_filter(sys, t, &none_pinned, A, &nt, &rem));
	assert_null(nt);
	assert_non_null(rem);
	/* a range is not a name: declined */
	const char *pins[] = {NULL, NULL, NULL, "TABLE"};
	assert_null(sys->ops->apply_filter(sys, t, pin_domain(pins, 4), A, &nt, &rem));
	assert_null(nt);
	/* contradictory pins: no rows, without listing anything */
	const char *p1[] = {"tpch"}, *p2[] = {"system"};
	assert_null(sys->ops->apply_filter(sys, t, pin_domain(p1, 1), A, &nt, &rem));
	assert_non_null(nt);
	conn_table *nt2 = NULL;
	assert_null(sys->ops->apply_filter(sys, nt, pin_domain(p2, 1), A, &nt2, &rem));
	assert_non_null(nt2);
	strbuf sb = STRBUF_INIT;
	sys->ops->explain(sys, nt2, &sb);
	assert_non_null(strstr(sb.data, "no rows"));
	sb_free(&sb);
	json_t *j = sys->ops->table_to_json(sys, nt);
	assert_string_equal(json_string_value(json_object_get(j, "catalog_pin")), "tpch");
	json_decref(j);
	int n;
	conn_split **sp;
	conn_page_source *src;
	int col = 0;
	assert_null(sys->ops->get_splits(sys, nt2, 1, A, &n, &sp));
	assert_null(sys->ops->open_page_source(sys, nt2, sp[0], 1, &col, A, &src));
	batch *b = (batch *)1;
	assert_null(src->ops->next(src, A, &b));
	assert_null(b);
	src->ops->close(src);
	/* a column the table does not have is an error, not a crash */
	col = 99;
	ferr *e = sys->ops->open_page_source(sys, t, sp[0], 1, &col, A, &src);
	assert_non_null(e);
	ferr_free(e);
	catalogs_release(sys);
}

/* A scan holds the catalog it is listing; close lets a dropped one go. */
static void test_reference_released_by_close(void **state)
{
	add_catalog("fake2", "fake");
	int before = fake_destroyed;
	rows r;
	conn_page_source *src = NULL;
	const char *pins[] = {"fake2", "s"};
	/* stop after the first batch: the cursor is inside fake2 */
	assert_null(scan_sys("jdbc", "columns", pins, 2, -1, NULL, &r, &src));
	assert_true(r.n > 0 && r.n < NBIG);
	rows_free(&r);
	assert_null(catalogs_drop("fake2"));
	assert_int_equal(fake_destroyed, before); /* still referenced by the scan */
	src->ops->close(src);
	assert_int_equal(fake_destroyed, before + 1);

	/* a complete scan leaves no reference behind */
	add_catalog("fake3", "fake");
	const char *pins2[] = {"fake3", "s", "good"};
	assert_null(scan_sys("jdbc", "columns", pins2, 3, -1, NULL, &r, NULL));
	rows_free(&r);
	assert_null(catalogs_drop("fake3"));
	assert_int_equal(fake_destroyed, before + 2);
}

static ferr *nodes_provider(arena *a, system_rows *out)
{
	out->nrows = 1;
	out->ncols = 5;
	out->values = arena_alloc(a, sizeof(char *) * 5);
	out->values[0] = "n1";
	out->values[1] = "http://h:8080";
	out->values[2] = "0.1";
	out->values[3] = "true";
	out->values[4] = NULL;
	return NULL;
}

static void test_runtime_and_metadata(void **state)
{
	rows r;
	/* no provider registered: empty, not an error */
	assert_null(scan_sys("runtime", "queries", NULL, 0, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 0);
	rows_free(&r);
	system_set_provider("nodes", nodes_provider);
	assert_null(scan_sys("runtime", "nodes", NULL, 0, -1, NULL, &r, NULL));
	assert_int_equal(r.n, 1);
	assert_string_equal(cell(&r, 0, 0), "n1");
	assert_string_equal(cell(&r, 0, 3), "t");
	assert_null(cell(&r, 0, 4));
	rows_free(&r);
	system_set_provider("nodes", NULL);
	assert_null(scan_sys("metadata", "catalogs", NULL, 0, -1, NULL, &r, NULL));
	int k = find_row(&r, "tpch", "tpch", "tpch", NULL);
	assert_true(k >= 0);
	rows_free(&r);
}

static int setup(void **state)
{
	log_set_level(LOG_ERROR); /* the skipped catalogs' warnings are expected */
	A = arena_create(NULL, "test_system");
	fmt_settings_default(&fmt);
	conn_register_builtin();
	conn_register(&broken_factory);
	conn_register(&fake_factory);
	ferr *e = catalogs_load_dir("/nonexistent/ferry-test"); /* adds system */
	if (e) return -1;
	add_catalog("tpch", "tpch");
	add_catalog("broken", "broken");
	add_catalog("fake", "fake");
	return 0;
}

static int teardown(void **state)
{
	catalogs_shutdown();
	arena_destroy(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_shapes),
	    cmocka_unit_test(test_jdbc_catalogs),
	    cmocka_unit_test(test_jdbc_schemas),
	    cmocka_unit_test(test_jdbc_tables),
	    cmocka_unit_test(test_jdbc_columns_tpch),
	    cmocka_unit_test(test_jdbc_columns_projection),
	    cmocka_unit_test(test_jdbc_columns_fake),
	    cmocka_unit_test(test_named_broken_catalog_fails),
	    cmocka_unit_test(test_filter_negotiation),
	    cmocka_unit_test(test_reference_released_by_close),
	    cmocka_unit_test(test_runtime_and_metadata),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
