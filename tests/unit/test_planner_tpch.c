/*
 * test_planner_tpch.c — the planner end to end: SQL is prepared, bound and
 * run on the executor against the tpch connector (schema tiny, standard
 * column names), and results are checked against values this file
 * computes itself by scanning the connector directly. Covers expressions,
 * joins, aggregation, subqueries, set operations, cursors, parameters,
 * EXPLAIN, and the 22 TPC-H queries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "exec/query.h"
#include "planner/planner.h"

#define QUERY_DIR "/work/shared/fixtures/tpch/queries-duckdb-dialect"

static plan_session session;
static fmt_settings fmt;
static props *tpch_props;

typedef struct result {
	int nrows;
	char **rows; /* "v1|v2|..." with NULL as "NULL" */
	int ncols;
	arena *a;
} result;

static void result_free(result *r)
{
	if (r->a) arena_destroy(r->a);
	memset(r, 0, sizeof *r);
}

/* Prepare, bind and run sql; *err gets the first error (prepare or run). */
static ferr *run_params(const char *sql, int nparams, const fvalue *params, result *out)
{
	memset(out, 0, sizeof *out);
	out->a = arena_create(NULL, "result");
	prepared_stmt *p = NULL;
	TRY(plan_prepare(&session, sql, 0, NULL, &p));
	arena *pa = arena_create(NULL, "plan");
	phys_plan *pp = NULL;
	ferr *e = plan_bind(&session, p, params, pa, &pp);
	exec_query *q = NULL;
	exec_options opt = {.fmt = &fmt};
	if (!e) e = exec_query_start(pp, params, nparams, p->param_types, &opt, &q);
	arena *ba = arena_create(NULL, "batches");
	int cap = 0;
	out->ncols = p->ncols;
	while (!e) {
		batch *b;
		bool to;
		arena_reset(ba);
		e = exec_query_next(q, ba, -1, &b, &to);
		if (e || !b) break;
		for (int i = 0; i < b->count; i++) {
			int r = batch_row(b, i);
			strbuf sb;
			sb_init(&sb);
			for (int c = 0; c < b->ncols; c++) {
				if (c) sb_putc(&sb, '|');
				if (vector_is_null(&b->cols[c], r))
					sb_puts(&sb, "NULL");
				else
					value_out_text(b->cols[c].type, vector_at(&b->cols[c], r), &fmt, &sb);
			}
			if (out->nrows == cap) {
				int nc = cap ? cap * 2 : 64;
				out->rows = arena_realloc(out->a, out->rows, sizeof(char *) * (size_t)cap,
				                          sizeof(char *) * (size_t)nc);
				cap = nc;
			}
			out->rows[out->nrows++] = arena_strdup(out->a, sb.data ? sb.data : "");
			sb_free(&sb);
		}
	}
	if (q) exec_query_destroy(q);
	arena_destroy(ba);
	arena_destroy(pa);
	plan_free(p);
	return e;
}

static ferr *run(const char *sql, result *out) { return run_params(sql, 0, NULL, out); }

static void run_ok(const char *sql, result *out)
{
	ferr *e = run(sql, out);
	if (e) fail_msg("%s: %s %s", sql, e->sqlstate, e->message);
}

/* Single-value query: its text. */
static void expect_one(const char *sql, const char *want)
{
	result r;
	run_ok(sql, &r);
	if (r.nrows != 1) fail_msg("%s: %d rows", sql, r.nrows);
	if (strcmp(r.rows[0], want) != 0) fail_msg("%s: got '%s', want '%s'", sql, r.rows[0], want);
	result_free(&r);
}

static void expect_rows(const char *sql, int n)
{
	result r;
	run_ok(sql, &r);
	if (r.nrows != n) fail_msg("%s: %d rows, want %d", sql, r.nrows, n);
	result_free(&r);
}

static void expect_error(const char *sql, const char *state, int position)
{
	result r;
	ferr *e = run(sql, &r);
	result_free(&r);
	if (!e) fail_msg("%s: no error, want %s", sql, state);
	if (strcmp(e->sqlstate, state) != 0) fail_msg("%s: %s %s, want %s", sql, e->sqlstate, e->message, state);
	if (position >= 0 && e->position != position)
		fail_msg("%s: position %d, want %d", sql, e->position, position);
	ferr_free(e);
}

static int setup(void **state)
{
	(void)state;
	conn_register_builtin();
	tpch_props = props_create();
	props_set(tpch_props, "connector.name", "tpch");
	props_set(tpch_props, "tpch.column-naming", "STANDARD");
	if (catalogs_add("tpch", tpch_props)) return -1;
	fmt_settings_default(&fmt);
	session = (plan_session){.user = "u", .catalog = "tpch", .search_path = "tiny", .fmt = &fmt};
	return exec_pool_start(2) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	exec_pool_stop();
	catalogs_shutdown();
	props_destroy(tpch_props);
	return 0;
}

/* ---- independent reference: scan a table through the connector ---- */

typedef void (*row_fn)(const batch *b, int r, void *ctx);

static void scan_table(const char *table, int ncols, const int *cols, row_fn fn, void *ctx)
{
	conn_catalog *c = catalogs_acquire("tpch");
	assert_non_null(c);
	arena *a = arena_create(NULL, "scan");
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "tiny", table, a, &t));
	assert_non_null(t);
	int n;
	conn_split **sp;
	assert_null(c->ops->get_splits(c, t, 3, a, &n, &sp));
	for (int i = 0; i < n; i++) {
		conn_page_source *src;
		assert_null(c->ops->open_page_source(c, t, sp[i], ncols, cols, a, &src));
		arena *ba = arena_create(a, "b");
		for (;;) {
			batch *b;
			arena_reset(ba);
			assert_null(src->ops->next(src, ba, &b));
			if (!b) break;
			for (int r = 0; r < b->count; r++) fn(b, batch_row(b, r), ctx);
		}
		src->ops->close(src);
	}
	arena_destroy(a);
	catalogs_release(c);
}

static int col_index(const char *table, const char *name)
{
	conn_catalog *c = catalogs_acquire("tpch");
	arena *a = arena_create(NULL, "t");
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "tiny", table, a, &t));
	int k = -1;
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name)) k = i;
	arena_destroy(a);
	catalogs_release(c);
	assert_true(k >= 0);
	return k;
}

static void count_fn(const batch *b, int r, void *ctx)
{
	(void)b, (void)r;
	(*(int64_t *)ctx)++;
}

static void test_counts(void **state)
{
	(void)state;
	expect_one("select count(*) from tpch.tiny.orders", "15000");
	expect_one("select count(*) from orders", "15000");
	int64_t n = 0;
	int col = 0;
	scan_table("lineitem", 1, &col, count_fn, &n);
	char want[32];
	snprintf(want, sizeof want, "%lld", (long long)n);
	expect_one("select count(*) from lineitem", want);
	expect_one("select count(*), count(o_orderkey), count(distinct o_orderstatus) from orders",
	             "15000|15000|3");
}

/* Q1's (A, F) group computed by hand: sum of quantity, base price, count. */
typedef struct q1_ref {
	int64_t qty, price, count; /* cents */
	int64_t cutoff;
} q1_ref;

static void q1_fn(const batch *b, int r, void *ctx)
{
	q1_ref *q = ctx;
	const fstring *rf = vector_at(&b->cols[0], r), *ls = vector_at(&b->cols[1], r);
	int32_t ship = *(const int32_t *)vector_at(&b->cols[4], r);
	if (ship > q->cutoff || rf->len != 1 || rf->ptr[0] != 'A' || ls->ptr[0] != 'F') return;
	q->qty += *(const int64_t *)vector_at(&b->cols[2], r);
	q->price += *(const int64_t *)vector_at(&b->cols[3], r);
	q->count++;
}

static char *read_query(int n)
{
	char path[256];
	snprintf(path, sizeof path, QUERY_DIR "/q%02d.sql", n);
	FILE *f = fopen(path, "r");
	if (!f) return NULL;
	char *buf = calloc(1, 65536);
	size_t len = fread(buf, 1, 65535, f);
	fclose(f);
	buf[len] = 0;
	char *semi = strrchr(buf, ';');
	if (semi) *semi = 0;
	return buf;
}

static void test_q1(void **state)
{
	(void)state;
	char *sql = read_query(1);
	assert_non_null(sql);
	result r;
	run_ok(sql, &r);
	free(sql);
	assert_int_equal(r.nrows, 4);
	q1_ref q = {.cutoff = date_from_ymd(1998, 9, 2)};
	int cols[5] = {col_index("lineitem", "l_returnflag"), col_index("lineitem", "l_linestatus"),
	               col_index("lineitem", "l_quantity"), col_index("lineitem", "l_extendedprice"),
	               col_index("lineitem", "l_shipdate")};
	scan_table("lineitem", 5, cols, q1_fn, &q);
	char want[128];
	snprintf(want, sizeof want, "A|F|%lld.%02lld|%lld.%02lld|", (long long)(q.qty / 100),
	         (long long)(q.qty % 100), (long long)(q.price / 100), (long long)(q.price % 100));
	if (strncmp(r.rows[0], want, strlen(want)) != 0) fail_msg("Q1 row 0 '%s', want '%s...'", r.rows[0], want);
	snprintf(want, sizeof want, "|%lld", (long long)q.count);
	const char *tail = strrchr(r.rows[0], '|');
	assert_string_equal(tail, want);
	/* ordered by returnflag, linestatus */
	for (int i = 1; i < r.nrows; i++) assert_true(strcmp(r.rows[i - 1], r.rows[i]) < 0);
	result_free(&r);
}

static void test_expressions(void **state)
{
	(void)state;
	expect_one("select 1 + 2 * 3, 7 / 2, 7 % 3, -5, 2.50 * 2", "7|3|1|-5|5.00");
	expect_one("select 'a' || 'b', upper('x'), length('hello'), substring('hello' from 2 for 3)",
	             "ab|X|5|ell");
	expect_one("select case when 1 > 2 then 'x' else 'y' end, case 2 when 1 then 'a' when 2 then 'b' end",
	             "y|b");
	expect_one("select coalesce(null, 3), nullif(1, 1), nullif(1, 2), greatest(1, 5, 3), least(4, null, 2)",
	             "3|NULL|1|5|2");
	expect_one("select 3 in (1, 2, 3), 3 not in (1, 2), 5 between 1 and 10, 'abc' like 'a%', 'ABC' ilike 'a_c'",
	             "t|t|t|t|t");
	expect_one("select null is null, 1 is not null, true is true, null is not false, (1 = null) is unknown",
	             "t|t|t|t|t");
	expect_one("select date '1998-12-01' - interval '90' day, date '1995-01-01' + interval '3 month'",
	             "1998-09-02 00:00:00|1995-04-01 00:00:00");
	expect_one("select extract(year from date '1996-03-04'), cast('12' as integer) + 1, '5'::bigint * 2",
	             "1996|13|10");
	expect_one("select cast(1 as numeric(10,2)), 10::numeric / 4, 1.5::float8 * 2", "1.00|2.5000000000000000|3");
	/* types of the result description */
	prepared_stmt *p;
	assert_null(plan_prepare(&session, "select count(*), sum(n_nationkey), avg(n_nationkey), 'x', 1, 3000000000, n_name from nation group by n_name", 0, NULL, &p));
	assert_int_equal(p->cols[0].type.id, TYPE_INT8);
	assert_string_equal(p->cols[0].name, "count");
	assert_int_equal(p->cols[1].type.id, TYPE_NUMERIC); /* sum(bigint) */
	assert_string_equal(p->cols[1].name, "sum");
	assert_int_equal(p->cols[2].type.id, TYPE_NUMERIC);
	assert_int_equal(p->cols[3].type.id, TYPE_TEXT);
	assert_string_equal(p->cols[3].name, "?column?");
	assert_int_equal(p->cols[4].type.id, TYPE_INT4);
	assert_int_equal(p->cols[5].type.id, TYPE_INT8);
	assert_string_equal(p->cols[6].name, "n_name");
	plan_free(p);
	assert_null(plan_prepare(&session, "select sum(p_size) from part", 0, NULL, &p));
	assert_int_equal(p->cols[0].type.id, TYPE_INT8); /* sum(int) is bigint */
	plan_free(p);
}

static void test_joins(void **state)
{
	(void)state;
	expect_one("select count(*) from nation, region where n_regionkey = r_regionkey", "25");
	expect_one("select count(*) from nation join region on n_regionkey = r_regionkey", "25");
	expect_one("select count(*) from nation n join region r on n.n_regionkey = r.r_regionkey and r.r_name = 'ASIA'", "5");
	expect_one("select count(*) from nation cross join region", "125");
	expect_one("select count(*) from nation, region", "125");
	expect_one("select count(*) from nation n, region r where n.n_regionkey < r.r_regionkey", "50");
	result r;
	run_ok("select r_name, count(*) from nation, region where n_regionkey = r_regionkey group by r_name order by r_name", &r);
	assert_int_equal(r.nrows, 5);
	assert_string_equal(r.rows[0], "AFRICA|5");
	for (int i = 0; i < 5; i++) assert_non_null(strstr(r.rows[i], "|5"));
	result_free(&r);
	/* outer joins: 25 nations, regions 0..1 only on the right */
	expect_one("select count(*), count(r_name) from nation left join region on n_regionkey = r_regionkey and r_regionkey < 2", "25|10");
	expect_one("select count(*), count(n_name) from nation right join region on n_regionkey = r_regionkey and n_nationkey < 3", "6|3");
	expect_one("select count(*) from (select * from nation where n_nationkey < 3) a full join (select * from nation where n_nationkey between 2 and 5) b on a.n_nationkey = b.n_nationkey", "6");
}

static void test_joins_using(void **state)
{
	(void)state;
	expect_one("select count(*) from (select n_regionkey as k, n_name from nation) a join (select r_regionkey as k, r_name from region) b using (k)", "25");
	expect_one("select count(*) from (select n_regionkey as k, n_name from nation) a natural join (select r_regionkey as k, r_name from region) b", "25");
	/* USING shows the column once in * */
	expect_one("select * from (select 1 as k, 2 as a) x join (select 1 as k, 3 as b) y using (k)", "1|2|3");
}

static void test_subqueries(void **state)
{
	(void)state;
	expect_one("select count(*) from nation where n_regionkey in (select r_regionkey from region where r_name like 'A%')", "15");
	expect_one("select count(*) from nation where n_regionkey not in (select r_regionkey from region where r_name like 'A%')", "10");
	/* NOT IN with a NULL in the subquery is never true */
	expect_one("select count(*) from nation where n_regionkey not in (select r_regionkey from region union all select null)", "0");
	expect_one("select count(*) from region r where exists (select * from nation n where n.n_regionkey = r.r_regionkey and n.n_nationkey > 20)", "3");
	expect_one("select count(*) from region r where not exists (select * from nation n where n.n_regionkey = r.r_regionkey and n.n_nationkey > 20)", "2");
	expect_one("select count(*) from nation where n_nationkey > (select avg(n_nationkey) from nation)", "12");
	/* correlated scalar: nations with the smallest key of their region */
	expect_one("select count(*) from nation n1 where n_nationkey = (select min(n_nationkey) from nation n2 where n2.n_regionkey = n1.n_regionkey)", "5");
	expect_one("select (select max(r_regionkey) from region), (select count(*) from nation)", "4|25");
	expect_one("with big as (select * from nation where n_nationkey >= 20) select count(*) from big b1, big b2", "25");
	expect_one("select count(*) from (select n_regionkey, count(*) c from nation group by n_regionkey) t where c = 5", "5");
}

static void test_grouping_ordering(void **state)
{
	(void)state;
	result r;
	run_ok("select n_regionkey, count(*) as c, sum(n_nationkey) * 2 from nation group by 1 having count(*) > 4 order by c desc, n_regionkey limit 3 offset 1", &r);
	assert_int_equal(r.nrows, 3);
	assert_string_equal(r.rows[0], "1|5|94");
	result_free(&r);
	expect_rows("select distinct n_regionkey from nation", 5);
	expect_rows("select distinct n_regionkey, n_regionkey % 2 from nation", 5);
	run_ok("select n_name from nation order by n_regionkey desc, n_name limit 2", &r);
	assert_string_equal(r.rows[0], "EGYPT");
	assert_string_equal(r.rows[1], "IRAN");
	result_free(&r);
	/* NULLS FIRST for DESC by default, LAST for ASC */
	run_ok("select x from (values (1), (null), (2)) v(x) order by x desc", &r);
	assert_string_equal(r.rows[0], "NULL");
	result_free(&r);
	run_ok("select x from (values (1), (null), (2)) v(x) order by x", &r);
	assert_string_equal(r.rows[2], "NULL");
	result_free(&r);
	run_ok("select x from (values (1), (null), (2)) v(x) order by x nulls first", &r);
	assert_string_equal(r.rows[0], "NULL");
	result_free(&r);
	expect_rows("select * from nation limit 7", 7);
	expect_rows("select n_name from nation union all select r_name from region", 30);
	expect_rows("select n_regionkey from nation union select r_regionkey from region", 5);
	expect_one("select sum(a) from (values (1, 'x'), (2, 'y')) t(a, b)", "3");
	expect_one("select count(*) from (select n_name from nation order by n_name limit 3) t", "3");
}

static void test_params(void **state)
{
	(void)state;
	prepared_stmt *p;
	assert_null(plan_prepare(&session, "select n_name from nation where n_nationkey = $1 and n_name <> $2", 0, NULL, &p));
	assert_int_equal(p->nparams, 2);
	assert_int_equal(p->param_types[0].id, TYPE_INT8);
	assert_int_equal(p->param_types[1].id, TYPE_TEXT); /* varchar <> unknown resolves as text */
	plan_free(p);
	uint32_t oids[1] = {OID_INT4};
	assert_null(plan_prepare(&session, "select $1 + 1", 1, oids, &p));
	assert_int_equal(p->param_types[0].id, TYPE_INT4);
	assert_int_equal(p->cols[0].type.id, TYPE_INT4);
	plan_free(p);
	assert_null(plan_prepare(&session, "select $1", 0, NULL, &p));
	assert_int_equal(p->param_types[0].id, TYPE_TEXT);
	plan_free(p);
	fvalue v[2] = {{.u.i = 7}, {.u.s = {3, "xyz"}}};
	result r;
	ferr *e = run_params("select n_name from nation where n_nationkey = $1 and n_name <> $2", 2, v, &r);
	assert_null(e);
	assert_int_equal(r.nrows, 1);
	assert_string_equal(r.rows[0], "GERMANY");
	result_free(&r);
}

static void test_cursors(void **state)
{
	(void)state;
	prepared_stmt *p;
	assert_null(plan_prepare(&session, "DECLARE c1 NO SCROLL CURSOR WITH HOLD FOR select n_name from nation", 0, NULL, &p));
	assert_int_equal(p->kind, STMT_DECLARE);
	assert_string_equal(p->cursor_name, "c1");
	assert_true(p->cursor_hold);
	assert_non_null(p->cursor_query);
	assert_int_equal(p->cursor_query->kind, STMT_QUERY);
	assert_int_equal(p->cursor_query->ncols, 1);
	/* the session may keep the query beyond the DECLARE */
	prepared_stmt *cq = p->cursor_query;
	p->cursor_query = NULL;
	plan_free(p);
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, cq, NULL, a, &pp));
	arena_destroy(a);
	plan_free(cq);
	assert_null(plan_prepare(&session, "declare \"C\" binary cursor without hold for select 1", 0, NULL, &p));
	assert_false(p->cursor_hold);
	assert_true(p->cursor_binary);
	assert_string_equal(p->cursor_name, "C");
	plan_free(p);
	assert_null(plan_prepare(&session, "FETCH 10 FROM c1", 0, NULL, &p));
	assert_int_equal(p->kind, STMT_FETCH);
	assert_int_equal(p->fetch_count, 10);
	assert_string_equal(p->cursor_name, "c1");
	plan_free(p);
	assert_null(plan_prepare(&session, "fetch forward all in c1", 0, NULL, &p));
	assert_int_equal(p->fetch_count, -1);
	plan_free(p);
	assert_null(plan_prepare(&session, "fetch next from c1", 0, NULL, &p));
	assert_int_equal(p->fetch_count, 1);
	plan_free(p);
	assert_null(plan_prepare(&session, "fetch c1", 0, NULL, &p));
	assert_int_equal(p->fetch_count, 1);
	plan_free(p);
	assert_null(plan_prepare(&session, "CLOSE c1", 0, NULL, &p));
	assert_int_equal(p->kind, STMT_CLOSE);
	assert_string_equal(p->cursor_name, "c1");
	plan_free(p);
	assert_null(plan_prepare(&session, "close all", 0, NULL, &p));
	assert_int_equal(p->kind, STMT_CLOSE);
	assert_null(p->cursor_name);
	plan_free(p);
	expect_error("fetch backward 2 from c1", SQLSTATE_FEATURE_NOT_SUPPORTED, -1);
	expect_error("declare c2 cursor for select nope from nation", SQLSTATE_UNDEFINED_COLUMN, 30);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("select * from nothere", SQLSTATE_UNDEFINED_TABLE, 15);
	expect_error("select n_name, nope from nation", SQLSTATE_UNDEFINED_COLUMN, 16);
	expect_error("select x.n_name from nation n", SQLSTATE_UNDEFINED_TABLE, 8);
	expect_error("select n.nope from nation n", SQLSTATE_UNDEFINED_COLUMN, 8);
	expect_error("select n_name from nation, nation", SQLSTATE_AMBIGUOUS_COLUMN, 8);
	expect_error("select 1 from nosuch.nation", SQLSTATE_INVALID_SCHEMA_NAME, 15);
	expect_error("selec 1", SQLSTATE_SYNTAX_ERROR, 1);
	expect_error("select nosuchfn(1)", SQLSTATE_UNDEFINED_FUNCTION, 8);
	expect_error("select 1 where 1", SQLSTATE_DATATYPE_MISMATCH, -1);
	expect_error("select n_name, count(*) from nation", SQLSTATE_GROUPING_ERROR, 8);
	expect_error("select count(*) from nation where count(*) > 1", SQLSTATE_GROUPING_ERROR, 35);
	expect_error("select name from nation where rank() over () > 1", SQLSTATE_WINDOWING_ERROR, 31);
	expect_error("select n_nationkey / 0 from nation", SQLSTATE_DIVISION_BY_ZERO, -1);
	expect_error("select 'abc'::integer", SQLSTATE_INVALID_TEXT_REPRESENTATION, -1);
	expect_error("select case when true then 1 else n_name end from nation", SQLSTATE_DATATYPE_MISMATCH, -1);
	expect_error("select 'x'::date", SQLSTATE_INVALID_DATETIME_FORMAT, -1);
	expect_error("select * from nation order by 9", SQLSTATE_INVALID_COLUMN_REFERENCE, 31);
}

static void test_explain(void **state)
{
	(void)state;
	prepared_stmt *p;
	assert_null(plan_prepare(&session, "explain select r_name, count(*) from nation, region where n_regionkey = r_regionkey and n_name like 'A%' group by r_name order by 2 desc", 0, NULL, &p));
	assert_int_equal(p->kind, STMT_EXPLAIN);
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, p, NULL, a, &pp));
	strbuf sb;
	sb_init(&sb);
	plan_explain(pp, NULL, &sb);
	const char *want[] = {"Fragment 0 [SINGLE]", "Fragment 1 [SOURCE]", "Output partitioning: BROADCAST",
	                      "InnerJoin[criteria = (n_regionkey = r_regionkey)", "distribution = REPLICATED",
	                      "Aggregate[type = GROUPED, keys = [r_name]", "Sort[orderBy = [count DESC NULLS FIRST]]",
	                      "Filter[filterPredicate = (n_name LIKE 'A%')]", "TableScan[table = tpch:tiny:nation",
	                      "Estimates: {rows: 25}", "RemoteSource[sourceFragmentIds = [1]]"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(sb.data, want[i])) fail_msg("EXPLAIN lacks '%s':\n%s", want[i], sb.data);
	sb_free(&sb);
	arena_destroy(a);
	plan_free(p);
}

/* Functions in a correlated subquery's FROM over the outer row (decorrelate.c), and the
 * forms still refused with 0A000. */
static void test_srf_outer(void **state)
{
	(void)state;
	expect_one("select sum(c) from (select (select count(*) from generate_series(1, n_regionkey) s) c "
	           "from nation) t",
	           "50");
	expect_one("select sum(c) from (select (select sum(r_regionkey) from generate_series(0, n_regionkey) "
	           "s, region where r_regionkey = s) c from nation) t",
	           "100");
	expect_one("select count(*) from nation where exists (select 1 from unnest(array[n_regionkey, "
	           "n_nationkey]) x where x > 20)",
	           "4");
	expect_one("select max(x) from (select (select x from unnest(array[n_nationkey, n_regionkey]) with "
	           "ordinality u(x, i) order by i desc limit 1) x from nation) t",
	           "4");
	expect_one("select count(*) from nation where n_nationkey in (select pg_partition_ancestors(0) "
	           "union all values (1))",
	           "1");
	/* arguments from both levels; a set operation's branch */
	expect_error("select (select count(*) from region, generate_series(r_regionkey, n_regionkey) s) "
	             "from nation",
	             SQLSTATE_FEATURE_NOT_SUPPORTED, -1);
	expect_error("select (select s from generate_series(1, n_regionkey) s union select 1) from nation",
	             SQLSTATE_FEATURE_NOT_SUPPORTED, -1);
	/* unnest of several arrays gives rows for a NULL one: not over a placeholder */
	expect_error("select (select count(*) from unnest(array[n_regionkey], array[1, 2]) u(x, y)) "
	             "from nation",
	             SQLSTATE_FEATURE_NOT_SUPPORTED, -1);
}

/* All 22 TPC-H queries plan and run; row counts where the query fixes them. */
static void test_tpch_queries(void **state)
{
	(void)state;
	static const int fixed[23] = {[1] = 4, [3] = 10, [6] = 1, [10] = 20, [14] = 1, [17] = 1, [19] = 1, [22] = 7};
	for (int n = 1; n <= 22; n++) {
		char *sql = read_query(n);
		if (!sql) fail_msg("q%02d.sql missing", n);
		result r;
		ferr *e = run(sql, &r);
		free(sql);
		if (e) fail_msg("Q%d: %s %s", n, e->sqlstate, e->message);
		if (fixed[n] && r.nrows != fixed[n]) fail_msg("Q%d: %d rows, want %d", n, r.nrows, fixed[n]);
		result_free(&r);
	}
}

/* Two formulations of one question give the same rows (in order). */
static void expect_same(const char *sql, const char *reference)
{
	result a, b;
	run_ok(sql, &a);
	run_ok(reference, &b);
	if (a.nrows != b.nrows) fail_msg("%s: %d rows, the reference %d", sql, a.nrows, b.nrows);
	for (int i = 0; i < a.nrows; i++)
		if (strcmp(a.rows[i], b.rows[i]) != 0)
			fail_msg("%s: row %d '%s', the reference '%s'", sql, i, a.rows[i], b.rows[i]);
	result_free(&a);
	result_free(&b);
}

/* WITH RECURSIVE (a join in the recursive term) and LATERAL over tpch, against plain forms. */
static void test_recursive_lateral(void **state)
{
	(void)state;
	expect_one("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000) "
	           "SELECT sum(n) FROM r",
	           "500500");
	expect_one("WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n % 7 + 1 FROM r) SELECT count(*) FROM r",
	           "7");
	expect_same("WITH RECURSIVE r(k, d) AS (SELECT r_regionkey, 0 FROM region WHERE r_regionkey = 1 "
	            "UNION SELECT n_nationkey, d + 1 FROM r JOIN nation ON n_regionkey = k WHERE d < 1) "
	            "SELECT d, count(*), sum(k) FROM r GROUP BY d ORDER BY d",
	            "SELECT 0, 1::bigint, 1::bigint UNION ALL SELECT 1, count(*), sum(n_nationkey) FROM nation "
	            "WHERE n_regionkey = 1");
	/* the working table is read twice in the main query, and joined to a table each iteration */
	expect_same("WITH RECURSIVE c(k, o, s) AS (SELECT c_custkey, 0::bigint, 0 FROM customer WHERE "
	            "c_custkey < 30 UNION ALL SELECT c.k, o_orderkey, s + 1 FROM c JOIN orders ON "
	            "o_custkey = c.k AND o_orderkey > c.o WHERE s < 1) "
	            "SELECT (SELECT count(*) FROM c WHERE s = 1), (SELECT count(*) FROM c WHERE s = 0)",
	            "SELECT (SELECT count(*) FROM orders WHERE o_custkey < 30), "
	            "(SELECT count(*) FROM customer WHERE c_custkey < 30)");
	expect_same("SELECT r_name, n_name FROM region, LATERAL (SELECT n_name FROM nation WHERE "
	            "n_regionkey = r_regionkey ORDER BY n_name DESC LIMIT 2) s ORDER BY 1, 2",
	            "SELECT r_name, n_name FROM (SELECT r_name, n_name, row_number() OVER (PARTITION BY "
	            "r_regionkey ORDER BY n_name DESC) AS rn FROM region JOIN nation ON n_regionkey = "
	            "r_regionkey) x WHERE rn <= 2 ORDER BY 1, 2");
	expect_same("SELECT count(*) FROM customer c, LATERAL (SELECT count(*) AS k FROM orders o WHERE "
	            "o.o_custkey = c.c_custkey) s WHERE s.k = 0",
	            "SELECT count(*) FROM customer c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE "
	            "o.o_custkey = c.c_custkey)");
	expect_same("SELECT c_custkey, s.total FROM customer LEFT JOIN LATERAL (SELECT sum(o_totalprice) "
	            "AS total FROM orders WHERE o_custkey = c_custkey) s ON true WHERE c_custkey < 8 ORDER BY 1",
	            "SELECT c_custkey, (SELECT sum(o_totalprice) FROM orders WHERE o_custkey = c_custkey) "
	            "FROM customer WHERE c_custkey < 8 ORDER BY 1");
	expect_same("SELECT sum(g), count(*) FROM nation, generate_series(1, n_regionkey) g",
	            "SELECT sum(n_regionkey * (n_regionkey + 1) / 2), sum(n_regionkey) FROM nation");
	expect_error("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT a.n FROM r a, r b) SELECT * FROM r",
	             "42P19", 65);
	expect_error("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1.5 FROM r) SELECT * FROM r",
	             "42804", 32);
	expect_same("SELECT n_nationkey, s.x FROM nation, LATERAL (SELECT n_nationkey * 2 AS x) s ORDER BY 1",
	            "SELECT n_nationkey, n_nationkey * 2 FROM nation ORDER BY 1");
	expect_error("SELECT * FROM nation, LATERAL (SELECT count(*) + n_regionkey FROM region WHERE "
	             "r_regionkey = n_regionkey) s",
	             "0A000", -1);
}

/* Set-returning functions in the select list: lockstep, levels, GROUP BY, composites. */
static void test_select_list_srf(void **state)
{
	(void)state;
	/* more rows than a batch, zipped with a shorter function padded with NULLs */
	expect_one("SELECT count(*), sum(g), count(u), sum(u) FROM (SELECT generate_series(1, 5000) AS g, "
	           "unnest(ARRAY[1, 2, 3]) AS u) s",
	           "5000|12502500|3|6");
	/* a LIMIT stops the query with instances still open */
	expect_rows("SELECT generate_series(1, 1000000), generate_series(1, 3) LIMIT 5", 5);
	expect_same("SELECT n_regionkey, generate_series(1, count(*)::int) AS k FROM nation GROUP BY 1 ORDER BY 1, 2",
	            "SELECT n_regionkey, row_number() OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) FROM "
	            "nation ORDER BY 1, 2");
	expect_same("SELECT generate_series(1, n_regionkey) AS g, count(*) FROM nation GROUP BY 1 ORDER BY 1",
	            "SELECT g, count(*) FROM nation, generate_series(1, n_regionkey) g GROUP BY 1 ORDER BY 1");
	expect_same("SELECT n_name, generate_series(1, n_regionkey) * 2 AS d, unnest(ARRAY[n_nationkey]) AS k "
	            "FROM nation WHERE n_nationkey < 10 ORDER BY 1, 2, 3",
	            "SELECT n_name, g * 2, CASE WHEN g = 1 OR (g IS NULL AND n_regionkey < 1) THEN n_nationkey END "
	            "FROM nation LEFT JOIN generate_series(1, 4) g ON g <= n_regionkey "
	            "WHERE n_nationkey < 10 AND (g IS NOT NULL OR n_regionkey < 1) ORDER BY 1, 2, 3");
	expect_rows("SELECT generate_series(1, generate_series(1, 3))", 6);
	expect_one("SELECT sum(x * 10 + n) FROM (SELECT (information_schema._pg_expandarray(ARRAY[5, 7])).x, "
	           "(information_schema._pg_expandarray(ARRAY[5, 7])).n) s",
	           "123");
	expect_one("SELECT string_agg(r.n::text || ':' || r.k, ',' ORDER BY r.n) FROM (SELECT n_name AS k, "
	           "(information_schema._pg_expandarray(ARRAY[3, 1]::smallint[])).n AS n, "
	           "information_schema._pg_expandarray(ARRAY[3, 1]::smallint[]) AS keys, n_nationkey AS a FROM "
	           "nation) r WHERE r.a = (r.keys).x",
	           "1:CANADA,2:ARGENTINA");
	expect_error("SELECT 1 FROM nation WHERE generate_series(1, 2) > n_nationkey", "0A000", 28);
	expect_error("SELECT CASE WHEN n_nationkey > 1 THEN generate_series(1, 2) END FROM nation", "0A000", 39);
	expect_error("SELECT sum(generate_series(1, n_nationkey)) FROM nation", "0A000", 12);
	expect_error("SELECT (SELECT generate_series(1, n_regionkey)) FROM nation", "0A000", -1);
}

/* Q6 against a hand-computed sum over the raw rows. */
typedef struct q6_ref {
	__int128 rev; /* scale 4 */
	int32_t lo, hi;
} q6_ref;

static void q6_fn(const batch *b, int r, void *ctx)
{
	q6_ref *q = ctx;
	int32_t d = *(const int32_t *)vector_at(&b->cols[0], r);
	int64_t disc = *(const int64_t *)vector_at(&b->cols[1], r);
	int64_t qty = *(const int64_t *)vector_at(&b->cols[2], r);
	int64_t price = *(const int64_t *)vector_at(&b->cols[3], r);
	if (d >= q->lo && d < q->hi && disc >= 5 && disc <= 7 && qty < 2400) q->rev += (__int128)price * disc;
}

static void test_q6_reference(void **state)
{
	(void)state;
	q6_ref q = {0, date_from_ymd(1994, 1, 1), date_from_ymd(1995, 1, 1)};
	int cols[4] = {col_index("lineitem", "l_shipdate"), col_index("lineitem", "l_discount"),
	               col_index("lineitem", "l_quantity"), col_index("lineitem", "l_extendedprice")};
	scan_table("lineitem", 4, cols, q6_fn, &q);
	char want[64];
	snprintf(want, sizeof want, "%lld.%04lld", (long long)(q.rev / 10000), (long long)(q.rev % 10000));
	char *sql = read_query(6);
	expect_one(sql, want);
	free(sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts),       cmocka_unit_test(test_q1),
	    cmocka_unit_test(test_expressions),  cmocka_unit_test(test_joins),
	    cmocka_unit_test(test_joins_using),  cmocka_unit_test(test_subqueries),
	    cmocka_unit_test(test_grouping_ordering), cmocka_unit_test(test_params),
	    cmocka_unit_test(test_cursors),      cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_explain),      cmocka_unit_test(test_tpch_queries),
	    cmocka_unit_test(test_q6_reference), cmocka_unit_test(test_recursive_lateral),
	    cmocka_unit_test(test_select_list_srf),
	    cmocka_unit_test(test_srf_outer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
