/*
 * test_planner.c — the SQL front end against a fake connector: statement
 * splitting, utility kinds, name resolution, errors with SQLSTATE and
 * position, result descriptions, projection pruning and EXPLAIN text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "planner/planner.h"

/* ---- fake connector: schema "tiny" with table "orders" ---- */

static conn_column fake_cols[4];
static conn_table fake_orders = {"tiny", "orders", 4, fake_cols};

static ferr *fake_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	(void)c;
	*names = arena_zalloc(a, sizeof(char *) * 2);
	(*names)[0] = "tiny";
	*n = 1;
	return NULL;
}

static ferr *fake_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                            conn_table **out)
{
	(void)c, (void)a;
	*out = (strcmp(schema, "tiny") == 0 && strcmp(table, "orders") == 0) ? &fake_orders : NULL;
	return NULL;
}

static ferr *fake_get_statistics(conn_catalog *c, const conn_table *t, arena *a,
                                 conn_table_stats *out)
{
	(void)c, (void)t, (void)a;
	memset(out, 0, sizeof(*out));
	out->row_count = 1500;
	return NULL;
}

static void fake_destroy(conn_catalog *c) { free(c); }

/* apply_filter: takes everything, enforces it exactly, remembers what it got */
static conn_domain last_domain;
static conn_table fake_filtered;

static ferr *fake_apply_filter(conn_catalog *c, const conn_table *t, const conn_domain *d,
                               arena *a, conn_table **out, conn_domain **remaining)
{
	(void)c, (void)a;
	last_domain = *d;
	fake_filtered = *t;
	*out = &fake_filtered;
	*remaining = NULL;
	return NULL;
}

static const conn_catalog_ops fake_ops = {
    .list_schemas = fake_list_schemas,
    .get_table = fake_get_table,
    .get_statistics = fake_get_statistics,
    .apply_filter = fake_apply_filter,
    .destroy = fake_destroy,
};

static ferr *fake_create(const char *name, const props *p, conn_catalog **out)
{
	(void)p;
	conn_catalog *c = calloc(1, sizeof(conn_catalog));
	c->ops = &fake_ops;
	c->name = name;
	c->connector = "fake";
	*out = c;
	return NULL;
}

static const conn_factory fake_factory = {"fake", fake_create};

static plan_session session;
static props *fake_props;
static fmt_settings fmt;

static int setup(void **state)
{
	(void)state;
	fake_cols[0] = (conn_column){.name = "orderkey", .type = ftype_make(TYPE_INT8)};
	fake_cols[1] = (conn_column){.name = "custkey", .type = ftype_make(TYPE_INT8)};
	fake_cols[2] = (conn_column){.name = "comment", .type = ftype_varchar(79)};
	fake_cols[3] = (conn_column){.name = "price", .type = ftype_numeric(10, 2)};
	conn_register(&fake_factory);
	fake_props = props_create(); /* must outlive the catalog: see teardown */
	props_set(fake_props, "connector.name", "fake");
	ferr *e = catalogs_add("fk", fake_props);
	if (e) return -1;
	fmt_settings_default(&fmt);
	session = (plan_session){.user = "u", .catalog = "fk", .search_path = "\"$user\", tiny",
	                         .fmt = &fmt};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	catalogs_shutdown();
	props_destroy(fake_props);
	return 0;
}

static prepared_stmt *prep_ok(const char *sql)
{
	prepared_stmt *p = NULL;
	ferr *e = plan_prepare(&session, sql, 0, NULL, &p);
	if (e) fail_msg("%s: %s %s", sql, e->sqlstate, e->message);
	return p;
}

static void expect_err(const char *sql, const char *state, int position)
{
	prepared_stmt *p = NULL;
	ferr *e = plan_prepare(&session, sql, 0, NULL, &p);
	assert_non_null(e);
	assert_null(p);
	assert_string_equal(e->sqlstate, state);
	assert_int_equal(e->position, position);
	ferr_free(e);
}

/* WITH RECURSIVE SEARCH/CYCLE: what the rewrite plans, and its 0A000/42703/42701 errors
 * (at the clause, 1-based positions). */
static void test_recursive_search(void **state)
{
	(void)state;
	static const char *const ok[] = {
	    "with recursive s(n) as (select 1 union all select n + 1 from s where n < 3) "
	    "search depth first by n set seq cycle n set c using p select * from s order by seq",
	    "with recursive s(n, t) as (select 1, 'a' union all select x.n + 1, x.t from s as x where x.n < 3) "
	    "search breadth first by n set seq select * from s",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		prepared_stmt *p = prep_ok(ok[i]);
		assert_non_null(p);
		plan_free(p);
	}
	static const struct { const char *sql, *state, *at; } bad[] = {
	    {"with recursive s(n) as (select 1.5 union all select n + 1 from s where n < 3) "
	     "search depth first by n set seq select * from s", "0A000", "search"},
	    {"with recursive s(n, t) as (select 1, 'a' union all select n + 1, t from s where n < 3) "
	     "search depth first by n, t set seq select * from s", "0A000", "search"},
	    {"with recursive s(n, t) as (select 1, 'a' union all select n + 1, t from s where n < 3) "
	     "search breadth first by t set seq select * from s", "0A000", "search"},
	    {"with recursive s(n) as (select 1 union all select n + 1 from s where n < 3) "
	     "search depth first by m set seq select * from s", "42703", "search"},
	    {"with recursive s(n) as (select 1 union all select n + 1 from s where n < 3) "
	     "cycle n, n set c using p select * from s", "42701", "cycle"},
	    {"with recursive s(n) as (select 1 union all select n + 1 from (select * from s) x where n < 3) "
	     "cycle n set c using p select * from s", "0A000", "s(n)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_err(bad[i].sql, bad[i].state, (int)(strstr(bad[i].sql, bad[i].at) - bad[i].sql) + 1);
}

static void test_split(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "t");
	const char *sql = "select ';' as x; -- c; \n select 2 /* ; */ ;;  select $$a;b$$";
	int n;
	stmt_span *sp;
	assert_null(plan_split(sql, a, &n, &sp));
	assert_int_equal(n, 3);
	assert_memory_equal(sql + sp[0].offset, "select ';' as x", 15);
	assert_int_equal(sp[0].length, 15);
	assert_memory_equal(sql + sp[2].offset, "select $$a;b$$", 14);
	assert_null(plan_split("  -- only a comment\n", a, &n, &sp));
	assert_int_equal(n, 0);
	arena_destroy(a);
}

static void test_utility(void **state)
{
	(void)state;
	prepared_stmt *p = prep_ok("SET search_path TO tiny, public");
	assert_int_equal(p->kind, STMT_SET);
	assert_string_equal(p->set_name, "search_path");
	assert_string_equal(p->set_value, "tiny, public");
	plan_free(p);
	p = prep_ok("SET SESSION fk.split_size = 10");
	assert_int_equal(p->kind, STMT_SET);
	assert_true(p->set_session_property);
	assert_string_equal(p->set_value, "10");
	plan_free(p);
	p = prep_ok("RESET ALL");
	assert_null(p->set_name);
	assert_null(p->set_value);
	plan_free(p);
	p = prep_ok("SHOW ALL");
	assert_int_equal(p->kind, STMT_SHOW);
	assert_string_equal(p->set_name, "all");
	plan_free(p);
	p = prep_ok("start transaction");
	assert_int_equal(p->kind, STMT_BEGIN);
	plan_free(p);
	p = prep_ok("end");
	assert_int_equal(p->kind, STMT_COMMIT);
	plan_free(p);
	p = prep_ok("abort");
	assert_int_equal(p->kind, STMT_ROLLBACK);
	plan_free(p);
	p = prep_ok("DISCARD ALL");
	assert_int_equal(p->kind, STMT_DISCARD);
	plan_free(p);
	p = prep_ok("  ");
	assert_int_equal(p->kind, STMT_EMPTY);
	plan_free(p);
}

static void test_literals(void **state)
{
	(void)state;
	prepared_stmt *p = prep_ok("select 1, 'a' as s, 12.50, 3000000000, true, null");
	assert_int_equal(p->kind, STMT_QUERY);
	assert_int_equal(p->ncols, 6);
	assert_string_equal(p->cols[0].name, "?column?");
	assert_int_equal(p->cols[0].type.id, TYPE_INT4);
	assert_string_equal(p->cols[1].name, "s");
	assert_int_equal(p->cols[1].type.id, TYPE_TEXT);
	assert_int_equal(p->cols[2].type.id, TYPE_NUMERIC);
	assert_int_equal(p->cols[2].type.scale, 2);
	assert_int_equal(p->cols[3].type.id, TYPE_INT8);
	assert_int_equal(p->cols[4].type.id, TYPE_BOOL);
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, p, NULL, a, &pp));
	/* no FROM: everything in the root fragment, literals folded to constants */
	assert_int_equal(pp->nfragments, 1);
	const pnode *root = pp->fragments[0]->root;
	assert_int_equal(root->kind, PN_PROJECT);
	const pnode *lits = root->children[0];
	assert_int_equal(lits->kind, PN_PROJECT);
	assert_int_equal(lits->exprs[3]->kind, EXPR_CONST);
	assert_int_equal(lits->exprs[3]->value.u.i, 3000000000LL);
	assert_int_equal(lits->exprs[2]->value.u.i, 1250);
	assert_int_equal(lits->children[0]->kind, PN_VALUES);
	arena_destroy(a);
	plan_free(p);
}

static void test_resolution_and_pruning(void **state)
{
	(void)state;
	const char *forms[] = {"select comment, orderkey from orders",
	                       "select comment, orderkey from tiny.orders",
	                       "select comment, orders.orderkey from fk.tiny.orders"};
	for (int i = 0; i < 3; i++) {
		prepared_stmt *p = prep_ok(forms[i]);
		assert_int_equal(p->ncols, 2);
		assert_string_equal(p->cols[0].name, "comment");
		assert_int_equal(p->cols[0].type.id, TYPE_VARCHAR);
		assert_int_equal(p->cols[1].type.id, TYPE_INT8);
		arena *a = arena_create(NULL, "plan");
		phys_plan *pp;
		assert_null(plan_bind(&session, p, NULL, a, &pp));
		assert_int_equal(pp->nfragments, 2);
		pnode *scan = pp->fragments[1]->root;
		assert_int_equal(scan->kind, PN_SCAN);
		assert_int_equal(pp->fragments[1]->partitioning, PART_SOURCE);
		/* custkey is never asked for; columns come in table order */
		assert_int_equal(scan->nscan_cols, 2);
		assert_int_equal(scan->scan_cols[0], 0);
		assert_int_equal(scan->scan_cols[1], 2);
		/* the root projects them into the select list's order */
		const pnode *root = pp->fragments[0]->root;
		assert_int_equal(root->kind, PN_PROJECT);
		assert_int_equal(root->exprs[0]->column, 1);
		assert_int_equal(root->exprs[1]->column, 0);
		arena_destroy(a);
		plan_free(p);
	}
	prepared_stmt *p = prep_ok("select * from orders");
	assert_int_equal(p->ncols, 4);
	assert_string_equal(p->cols[1].name, "custkey");
	plan_free(p);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("selec 1", SQLSTATE_SYNTAX_ERROR, 1);
	expect_err("select * from nothere", SQLSTATE_UNDEFINED_TABLE, 15);
	expect_err("select nope from orders", SQLSTATE_UNDEFINED_COLUMN, 8);
	expect_err("select 1 from nosuch.orders", SQLSTATE_INVALID_SCHEMA_NAME, 15);
	expect_err("select 1 from nocat.tiny.orders", SQLSTATE_INVALID_CATALOG_NAME, 15);
	expect_err("select a + 1", SQLSTATE_UNDEFINED_COLUMN, 8);
	expect_err("select orderkey from orders where rank() over () > 1", SQLSTATE_WINDOWING_ERROR, 35);
	expect_err("select o.comment from orders o, orders p where o.orderkey = orderkey",
	           SQLSTATE_AMBIGUOUS_COLUMN, 61);
	expect_err("select x.comment from orders o", SQLSTATE_UNDEFINED_TABLE, 8);
	expect_err("select 1; select 2", SQLSTATE_SYNTAX_ERROR, 0);
}

static void test_explain(void **state)
{
	(void)state;
	prepared_stmt *p = prep_ok("explain select orderkey from orders");
	assert_int_equal(p->kind, STMT_EXPLAIN);
	assert_int_equal(p->ncols, 1);
	assert_string_equal(p->cols[0].name, "QUERY PLAN");
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, p, NULL, a, &pp));
	strbuf sb;
	sb_init(&sb);
	plan_explain(pp, NULL, &sb);
	assert_non_null(strstr(sb.data, "Fragment 0 [SINGLE]"));
	assert_non_null(strstr(sb.data, "Fragment 1 [SOURCE]"));
	assert_non_null(strstr(sb.data, "RemoteSource[sourceFragmentIds = [1]]"));
	assert_non_null(strstr(sb.data, "TableScan[table = fk:tiny:orders"));
	assert_non_null(strstr(sb.data, "Estimates: {rows: 1500}"));
	sb_free(&sb);
	arena_destroy(a);
	plan_free(p);
}

static void test_filter_pushdown(void **state)
{
	(void)state;
	prepared_stmt *p = prep_ok("select comment from orders where orderkey >= 10 and orderkey < 20 "
	                           "and custkey in (1, 2) and comment like 'x%'");
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, p, NULL, a, &pp));
	/* orderkey's first range and custkey's list went to the connector */
	assert_int_equal(last_domain.ncols, 2);
	assert_int_equal(last_domain.cols[0].column, 0);
	assert_true(last_domain.cols[0].ranges[0].high_unbounded);
	assert_int_equal(last_domain.cols[0].ranges[0].low.u.i, 10);
	assert_int_equal(last_domain.cols[1].column, 1);
	assert_int_equal(last_domain.cols[1].nranges, 2);
	strbuf sb;
	sb_init(&sb);
	plan_explain(pp, NULL, &sb);
	assert_non_null(strstr(sb.data, "pushedFilter = orderkey IN ([10, +inf)) AND custkey IN ([1, 1], [2, 2])"));
	/* what the connector did not take stays in the engine */
	assert_non_null(strstr(sb.data, "Filter[filterPredicate = ((orderkey < 20) AND (comment LIKE 'x%'))]"));
	sb_free(&sb);
	arena_destroy(a);
	plan_free(p);
}

/* What the fake connector's apply_filter saw, copied out before the plan's arena goes. */
static int seen_ncols, seen_col0;

/* EXPLAIN text of sql, in a static buffer; last_domain is cleared first. */
static const char *explain_of(const char *sql)
{
	static char buf[8192];
	memset(&last_domain, 0, sizeof last_domain);
	prepared_stmt *p = prep_ok(sql);
	arena *a = arena_create(NULL, "plan");
	phys_plan *pp;
	assert_null(plan_bind(&session, p, NULL, a, &pp));
	strbuf sb;
	sb_init(&sb);
	plan_explain(pp, NULL, &sb);
	snprintf(buf, sizeof buf, "%s", sb.data);
	sb_free(&sb);
	/* last_domain points into the plan's memory: keep what the tests read */
	seen_ncols = last_domain.ncols;
	seen_col0 = last_domain.ncols > 0 ? last_domain.cols[0].column : -1;
	arena_destroy(a);
	plan_free(p);
	return buf;
}

static void test_const_takes_column_type(void **state)
{
	(void)state;
	/* numeric(10,2) column vs integer literal: the literal becomes 100.00, the column stays bare */
	const char *x = explain_of("select orderkey from orders where price > 100");
	assert_non_null(strstr(x, "pushedFilter = price IN ((100.00, +inf))"));
	assert_null(strstr(x, "Filter["));
	assert_int_equal(seen_ncols, 1);
	assert_int_equal(seen_col0, 3);
	x = explain_of("select orderkey from orders where 99.5 <= price");
	assert_non_null(strstr(x, "pushedFilter = price IN ([99.50, +inf))"));
	x = explain_of("select orderkey from orders where price = -3");
	assert_non_null(strstr(x, "pushedFilter = price IN ([-3.00, -3.00])"));
	/* a literal the column cannot hold exactly keeps the old resolution, in the engine */
	x = explain_of("select orderkey from orders where price > 100.001");
	assert_int_equal(seen_ncols, 0);
	assert_non_null(strstr(x, "Filter[filterPredicate = ((price)::numeric(11,3) > 100.001)]"));
	x = explain_of("select orderkey from orders where price < 123456789");
	assert_int_equal(seen_ncols, 0);
	assert_non_null(strstr(x, "Filter["));
	/* an int8 literal into an int8 column, as before */
	x = explain_of("select orderkey from orders where custkey = 5000000000");
	assert_non_null(strstr(x, "custkey IN ([5000000000, 5000000000])"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split),
	    cmocka_unit_test(test_utility),
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_resolution_and_pruning),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_recursive_search),
	    cmocka_unit_test(test_explain),
	    cmocka_unit_test(test_filter_pushdown),
	    cmocka_unit_test(test_const_takes_column_type),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
