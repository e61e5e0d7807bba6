/*
 * test_preparse.c — the Trino SHOW/DESCRIBE pre-parser: exact rewrites,
 * identifier folding and quoting, defaults from the session (catalog,
 * search_path with "$user"), LIKE/ESCAPE, names that try to break out of
 * their literal (every rewrite is parsed back with libpg_query and its
 * string constants compared), errors with SQLSTATE and position, and the
 * statements it must leave alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "connectors/catalogs.h"
#include "planner/preparse.h"

/* ---- a connector with awkward names ---- */

#define ODD_TABLE "a'b; DROP TABLE x; --"

static ferr *odd_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	static const char *v[] = {"it's", "back\\slash", "Mixed", "public", "u1"};
	*names = v;
	*n = 5;
	return NULL;
}

static ferr *odd_list_tables(conn_catalog *c, const char *schema, arena *a, int *n,
                             const char ***names)
{
	static const char *v[] = {ODD_TABLE, "T"};
	*names = v;
	*n = 2;
	return NULL;
}

static conn_column odd_cols[1];
static conn_table odd_table = {"it's", ODD_TABLE, 1, odd_cols};
static conn_table odd_upper = {"Mixed", "T", 1, odd_cols};

static ferr *odd_get_table(conn_catalog *c, const char *schema, const char *table, arena *a,
                           conn_table **out)
{
	*out = NULL;
	if (strcmp(schema, "it's") == 0 && strcmp(table, ODD_TABLE) == 0) *out = &odd_table;
	if (strcmp(schema, "Mixed") == 0 && strcmp(table, "T") == 0) *out = &odd_upper;
	if (strcmp(schema, "u1") == 0 && strcmp(table, "fail") == 0)
		return ferr_new(SQLSTATE_IO_ERROR, "cannot read table metadata");
	return NULL;
}

/* "down": a source that cannot be reached */
static ferr *down_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	return ferr_new(SQLSTATE_CONNECTION_FAILURE, "could not connect to server");
}

static void odd_destroy(conn_catalog *c)
{
	free(c);
}

static const conn_catalog_ops odd_ops = {.list_schemas = odd_list_schemas,
                                         .list_tables = odd_list_tables,
                                         .get_table = odd_get_table,
                                         .destroy = odd_destroy};
static const conn_catalog_ops down_ops = {.list_schemas = down_list_schemas,
                                          .destroy = odd_destroy};

static ferr *odd_create(const char *name, const props *p, conn_catalog **out)
{
	conn_catalog *c = calloc(1, sizeof *c);
	c->ops = strcmp(name, "down") == 0 ? &down_ops : &odd_ops;
	c->name = name;
	c->connector = "odd";
	*out = c;
	return NULL;
}

static const conn_factory odd_factory = {"odd", odd_create};

/* ---- helpers ---- */

static plan_session session;
static fmt_settings fmt;
static arena *A;

static const char *const UNTOUCHED = "untouched";

/* Parse sql back with libpg_query: exactly one SELECT; its string constants in svals. */
static void collect_svals(json_t *j, const char **svals, int *n)
{
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
		{
			if (strcmp(k, "sval") == 0 && json_is_object(v)) {
				json_t *s = json_object_get(v, "sval");
				if (json_is_string(s) && *n < 16)
					svals[(*n)++] = strdup(json_string_value(s));
			} else {
				collect_svals(v, svals, n);
			}
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) collect_svals(v, svals, n);
	}
}

static int parse_back(const char *sql, const char **svals)
{
	PgQueryParseResult r = pg_query_parse(sql);
	if (r.error) fail_msg("rewrite does not parse: %s\n%s", r.error->message, sql);
	json_t *j = json_loads(r.parse_tree, 0, NULL);
	assert_non_null(j);
	json_t *stmts = json_object_get(j, "stmts");
	assert_int_equal(json_array_size(stmts), 1);
	json_t *stmt = json_object_get(json_array_get(stmts, 0), "stmt");
	assert_non_null(json_object_get(stmt, "SelectStmt"));
	int n = 0;
	collect_svals(j, svals, &n);
	json_decref(j);
	pg_query_free_parse_result(r);
	return n;
}

static void free_svals(const char **svals, int n)
{
	for (int i = 0; i < n; i++)
		free((void *)svals[i]);
}

static const char *rw(const char *sql)
{
	const char *out = UNTOUCHED;
	ferr *e = NULL;
	bool mine = preparse_rewrite(&session, sql, A, &out, &e);
	if (!mine) fail_msg("not recognised: %s", sql);
	if (e) fail_msg("%s: %s %s", sql, e->sqlstate, e->message);
	assert_ptr_not_equal(out, UNTOUCHED);
	const char *svals[16];
	free_svals(svals, parse_back(out, svals));
	return out;
}

static void expect_rw(const char *sql, const char *want)
{
	assert_string_equal(rw(sql), want);
}

static ferr *rw_err(const char *sql, const char *state)
{
	const char *out = UNTOUCHED;
	ferr *e = NULL;
	assert_true(preparse_rewrite(&session, sql, A, &out, &e));
	if (!e) fail_msg("no error for %s: %s", sql, out);
	assert_ptr_equal(out, UNTOUCHED);
	assert_string_equal(e->sqlstate, state);
	return e;
}

static void expect_err(const char *sql, const char *state, int position, const char *msg)
{
	ferr *e = rw_err(sql, state);
	assert_int_equal(e->position, position);
	if (msg) assert_string_equal(e->message, msg);
	ferr_free(e);
}

static void expect_not_mine(const char *sql)
{
	const char *out = UNTOUCHED;
	ferr *e = (ferr *)UNTOUCHED;
	if (preparse_rewrite(&session, sql, A, &out, &e)) fail_msg("taken: %s", sql);
	assert_ptr_equal(out, UNTOUCHED);
	assert_ptr_equal(e, (ferr *)UNTOUCHED);
}

/* ---- tests ---- */

static void test_show_catalogs(void **state)
{
	expect_rw("SHOW CATALOGS",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs ORDER BY table_cat");
	expect_rw("  show\n\tCatalogs ;  ",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs ORDER BY table_cat");
	expect_rw("/* a /* nested */ comment */ SHOW -- why not\n CATALOGS;;",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs ORDER BY table_cat");
	expect_rw("SHOW CATALOGS LIKE 'tp%'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'tp%' ORDER BY table_cat");
}

static void test_like_escape(void **state)
{
	/* ESCAPE '#': #_ is a literal underscore, restated with backslash */
	expect_rw("SHOW CATALOGS LIKE 'a#_b%' ESCAPE '#'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'a\\_b%' ORDER BY table_cat");
	/* no ESCAPE: Trino's LIKE has no escape, a backslash is just a backslash */
	expect_rw("SHOW CATALOGS LIKE 'a\\_'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'a\\\\_' ORDER BY table_cat");
	/* ESCAPE '\' keeps backslash escapes; ESCAPE '' is none */
	expect_rw("SHOW CATALOGS LIKE 'a\\%' ESCAPE '\\'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'a\\%' ORDER BY table_cat");
	expect_rw("SHOW CATALOGS LIKE 'a\\%' ESCAPE ''",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'a\\\\%' ORDER BY table_cat");
	/* a quote in the pattern stays inside the literal */
	expect_rw("SHOW CATALOGS LIKE 'it''s'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'it''s' ORDER BY table_cat");
	/* a multibyte escape character */
	expect_rw("SHOW CATALOGS LIKE 'x\xc3\xa9%' ESCAPE '\xc3\xa9'",
	          "SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
	          " WHERE table_cat LIKE 'x\\%' ORDER BY table_cat");
	expect_err("SHOW CATALOGS LIKE 'a' ESCAPE 'ab'", SQLSTATE_INVALID_ESCAPE_SEQUENCE, 20,
	           "invalid escape string");
	expect_err("SHOW CATALOGS LIKE 'a#' ESCAPE '#'", SQLSTATE_INVALID_ESCAPE_SEQUENCE, 20,
	           "LIKE pattern must not end with escape character");
}

static void test_show_schemas(void **state)
{
	const char *tpch = "SELECT table_schem AS \"Schema\" FROM system.jdbc.schemas"
	                   " WHERE table_catalog = 'tpch' ORDER BY table_schem";
	expect_rw("SHOW SCHEMAS", tpch); /* the session's catalog */
	expect_rw("SHOW SCHEMAS FROM tpch", tpch);
	expect_rw("show schemas in TPCH", tpch); /* folded */
	expect_rw("SHOW SCHEMAS FROM \"tpch\";", tpch);
	expect_rw("SHOW SCHEMAS FROM system LIKE 'j%'",
	          "SELECT table_schem AS \"Schema\" FROM system.jdbc.schemas"
	          " WHERE table_catalog = 'system' AND table_schem LIKE 'j%' ORDER BY table_schem");
	expect_err("SHOW SCHEMAS FROM \"TPCH\"", SQLSTATE_INVALID_CATALOG_NAME, 19,
	           "catalog \"TPCH\" does not exist");
	expect_err("SHOW SCHEMAS FROM nope", SQLSTATE_INVALID_CATALOG_NAME, 19,
	           "catalog \"nope\" does not exist");
	expect_err("SHOW SCHEMAS FROM tpch.tiny", SQLSTATE_SYNTAX_ERROR, 19,
	           "improper qualified name (too many dotted names): tpch.tiny");
	/* a named catalog that fails answers with its error, not an empty list */
	expect_err("SHOW SCHEMAS FROM down", SQLSTATE_CONNECTION_FAILURE, 0,
	           "could not connect to server");

	const char *saved = session.catalog;
	session.catalog = NULL;
	expect_err("SHOW SCHEMAS", SQLSTATE_INVALID_CATALOG_NAME, 0, "no catalog selected");
	session.catalog = "gone";
	expect_err("SHOW SCHEMAS", SQLSTATE_INVALID_CATALOG_NAME, 0,
	           "catalog \"gone\" does not exist");
	session.catalog = saved;
}

static void test_show_tables(void **state)
{
	const char *tiny = "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	                   " WHERE table_cat = 'tpch' AND table_schem = 'tiny' ORDER BY table_name";
	/* search_path "$user", tiny: user "u" has no schema, tiny is first */
	expect_rw("SHOW TABLES", tiny);
	expect_rw("SHOW TABLES FROM tiny", tiny);
	expect_rw("SHOW TABLES IN tpch.tiny", tiny);
	expect_rw("SHOW TABLES FROM \"tpch\".TINY;", tiny);
	expect_rw("SHOW TABLES FROM tpch.sf1 LIKE 'line%'",
	          "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	          " WHERE table_cat = 'tpch' AND table_schem = 'sf1' AND table_name LIKE 'line%'"
	          " ORDER BY table_name");
	expect_rw("SHOW TABLES FROM system.jdbc",
	          "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	          " WHERE table_cat = 'system' AND table_schem = 'jdbc' ORDER BY table_name");

	/* "$user" is the session user when such a schema exists */
	const char *saved_user = session.user;
	session.user = "sf1";
	expect_rw("SHOW TABLES",
	          "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	          " WHERE table_cat = 'tpch' AND table_schem = 'sf1' ORDER BY table_name");
	session.user = saved_user;

	/* unquoted search_path entries fold, quoted ones do not */
	const char *saved_path = session.search_path;
	session.search_path = "nope, SF10";
	expect_rw("SHOW TABLES",
	          "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	          " WHERE table_cat = 'tpch' AND table_schem = 'sf10' ORDER BY table_name");
	session.search_path = "\"SF10\", \"sf100\"";
	expect_rw("SHOW TABLES",
	          "SELECT table_name AS \"Table\" FROM system.jdbc.tables"
	          " WHERE table_cat = 'tpch' AND table_schem = 'sf100' ORDER BY table_name");
	session.search_path = "\"$user\", public";
	expect_err("SHOW TABLES", SQLSTATE_INVALID_SCHEMA_NAME, 0, NULL);
	session.search_path = "";
	expect_err("SHOW TABLES", SQLSTATE_INVALID_SCHEMA_NAME, 0, NULL);
	session.search_path = saved_path;

	expect_err("SHOW TABLES FROM nope", SQLSTATE_INVALID_SCHEMA_NAME, 18,
	           "schema \"tpch.nope\" does not exist");
	expect_err("SHOW TABLES FROM tpch.\"TINY\"", SQLSTATE_INVALID_SCHEMA_NAME, 18,
	           "schema \"tpch.TINY\" does not exist");
	expect_err("SHOW TABLES FROM nope.tiny", SQLSTATE_INVALID_CATALOG_NAME, 18,
	           "catalog \"nope\" does not exist");
	expect_err("SHOW TABLES FROM down.s", SQLSTATE_CONNECTION_FAILURE, 0, NULL);
	expect_err("SHOW TABLES FROM a.b.c", SQLSTATE_SYNTAX_ERROR, 18, NULL);
}

static void test_show_columns(void **state)
{
	const char *orders =
	    "SELECT column_name AS \"Column\", type_name AS \"Type\", '' AS \"Extra\","
	    " remarks AS \"Comment\" FROM system.jdbc.columns WHERE table_cat = 'tpch'"
	    " AND table_schem = 'tiny' AND table_name = 'orders' ORDER BY ordinal_position";
	expect_rw("DESCRIBE orders", orders); /* found through search_path */
	expect_rw("describe tiny.orders;", orders);
	expect_rw("DESCRIBE tpch.tiny.ORDERS", orders);
	expect_rw("SHOW COLUMNS FROM orders", orders);
	expect_rw("SHOW COLUMNS IN tpch.tiny.\"orders\"", orders);
	expect_rw("SHOW COLUMNS FROM sf1.lineitem LIKE 'l%'",
	          "SELECT column_name AS \"Column\", type_name AS \"Type\", '' AS \"Extra\","
	          " remarks AS \"Comment\" FROM system.jdbc.columns WHERE table_cat = 'tpch'"
	          " AND table_schem = 'sf1' AND table_name = 'lineitem' AND column_name LIKE 'l%'"
	          " ORDER BY ordinal_position");
	expect_rw("DESCRIBE odd.\"Mixed\".\"T\"",
	          "SELECT column_name AS \"Column\", type_name AS \"Type\", '' AS \"Extra\","
	          " remarks AS \"Comment\" FROM system.jdbc.columns WHERE table_cat = 'odd'"
	          " AND table_schem = 'Mixed' AND table_name = 'T' ORDER BY ordinal_position");
	/* a table named input is still a table */
	expect_err("DESCRIBE input", SQLSTATE_UNDEFINED_TABLE, 10,
	           "relation \"input\" does not exist");

	expect_err("DESCRIBE nosuch", SQLSTATE_UNDEFINED_TABLE, 10,
	           "relation \"nosuch\" does not exist");
	expect_err("DESCRIBE tiny.nosuch", SQLSTATE_UNDEFINED_TABLE, 10,
	           "relation \"tiny.nosuch\" does not exist");
	expect_err("DESCRIBE nope.orders", SQLSTATE_INVALID_SCHEMA_NAME, 10,
	           "schema \"tpch.nope\" does not exist");
	expect_err("DESCRIBE nope.tiny.orders", SQLSTATE_INVALID_CATALOG_NAME, 10,
	           "catalog \"nope\" does not exist");
	expect_err("DESCRIBE odd.u1.fail", SQLSTATE_IO_ERROR, 0, "cannot read table metadata");
	expect_err("DESCRIBE a.b.c.d", SQLSTATE_SYNTAX_ERROR, 10,
	           "improper qualified name (too many dotted names): a.b.c.d");
	expect_err("DESCRIBE orders LIKE 'x'", SQLSTATE_SYNTAX_ERROR, 17,
	           "syntax error at or near \"LIKE\"");
	expect_err("SHOW COLUMNS orders", SQLSTATE_SYNTAX_ERROR, 14,
	           "syntax error at or near \"orders\"");
	expect_err("SHOW COLUMNS FROM", SQLSTATE_SYNTAX_ERROR, 18, "syntax error at end of input");
	expect_err("DESCRIBE", SQLSTATE_SYNTAX_ERROR, 9, "syntax error at end of input");
}

/* Names that would break out of a naively built literal stay data. */
static void test_quoting(void **state)
{
	const char *svals[16];
	const char *sql = rw("DESCRIBE odd.\"it's\".\"a'b; DROP TABLE x; --\"");
	int n = parse_back(sql, svals);
	assert_int_equal(n, 4);
	assert_string_equal(svals[0], ""); /* '' AS "Extra" */
	assert_string_equal(svals[1], "odd");
	assert_string_equal(svals[2], "it's");
	assert_string_equal(svals[3], ODD_TABLE);
	free_svals(svals, n);

	/* standard_conforming_strings: a backslash is not an escape in '...' */
	sql = rw("SHOW TABLES FROM odd.\"back\\slash\"");
	assert_non_null(strstr(sql, "table_schem = 'back\\slash'"));
	n = parse_back(sql, svals);
	assert_int_equal(n, 2);
	assert_string_equal(svals[1], "back\\slash");
	free_svals(svals, n);

	/* the LIKE pattern too */
	sql = rw("SHOW TABLES FROM odd.\"it's\" LIKE '''; DROP TABLE t; --'");
	n = parse_back(sql, svals);
	assert_int_equal(n, 3);
	assert_string_equal(svals[2], "'; DROP TABLE t; --");
	free_svals(svals, n);

	/* a doubled quote inside a quoted identifier */
	expect_err("SHOW SCHEMAS FROM \"x\"\"y\"", SQLSTATE_INVALID_CATALOG_NAME, 19,
	           "catalog \"x\"y\" does not exist");
}

static void test_syntax_errors(void **state)
{
	expect_err("SHOW CATALOGS foo", SQLSTATE_SYNTAX_ERROR, 15,
	           "syntax error at or near \"foo\"");
	expect_err("SHOW TABLES FROM", SQLSTATE_SYNTAX_ERROR, 17, "syntax error at end of input");
	expect_err("SHOW TABLES LIKE 5", SQLSTATE_SYNTAX_ERROR, 18,
	           "syntax error at or near \"5\"");
	expect_err("SHOW TABLES LIKE", SQLSTATE_SYNTAX_ERROR, 17, "syntax error at end of input");
	expect_err("SHOW TABLES LIKE 'abc", SQLSTATE_SYNTAX_ERROR, 18,
	           "unterminated quoted string");
	expect_err("SHOW TABLES FROM \"abc", SQLSTATE_SYNTAX_ERROR, 18,
	           "unterminated quoted identifier");
	expect_err("SHOW SCHEMAS FROM \"\"", SQLSTATE_SYNTAX_ERROR, 19,
	           "zero-length delimited identifier");
	expect_err("SHOW TABLES /* open", SQLSTATE_SYNTAX_ERROR, 13, "unterminated /* comment");
	expect_err("SHOW TABLES; SELECT 1", SQLSTATE_SYNTAX_ERROR, 14,
	           "syntax error at or near \"SELECT\"");
	expect_err("SHOW TABLES FROM tiny.", SQLSTATE_SYNTAX_ERROR, 23,
	           "syntax error at end of input");
	/* positions count characters, not bytes */
	expect_err("SHOW TABLES FROM \"\xc3\xbc\xc3\xbc\" junk", SQLSTATE_SYNTAX_ERROR, 23,
	           "syntax error at or near \"junk\"");
	expect_err("SHOW SCHEMAS LIKE 'x' ESCAPE", SQLSTATE_SYNTAX_ERROR, 29,
	           "syntax error at end of input");
}

static void test_not_mine(void **state)
{
	expect_not_mine("SHOW search_path");
	expect_not_mine("show ALL");
	expect_not_mine("SHOW TIME ZONE");
	expect_not_mine("SHOW TRANSACTION ISOLATION LEVEL");
	expect_not_mine("SHOW server_version;");
	expect_not_mine("SHOW \"tables\""); /* a setting's name, quoted */
	expect_not_mine("SHOW");
	expect_not_mine("SHOW 'x'");
	expect_not_mine("SHOW \"unterminated");
	expect_not_mine("SELECT 1");
	expect_not_mine("select * from system.jdbc.tables");
	expect_not_mine("showtables");
	expect_not_mine("DESCRIBE OUTPUT my_statement");
	expect_not_mine("describe input my_statement");
	expect_not_mine("");
	expect_not_mine("   -- just a comment\n");
	expect_not_mine("/* unterminated");
	expect_not_mine("'SHOW TABLES'");
	expect_not_mine("(SHOW TABLES)");
}

static int setup(void **state)
{
	log_set_level(LOG_ERROR);
	A = arena_create(NULL, "test_preparse");
	conn_register_builtin();
	conn_register(&odd_factory);
	if (catalogs_load_dir("/nonexistent/ferry-test")) return -1; /* system */
	static const char *const cats[][2] = {{"tpch", "tpch"}, {"odd", "odd"}, {"down", "odd"}};
	for (int i = 0; i < 3; i++) {
		props *p = props_create();
		props_set(p, "connector.name", cats[i][1]);
		ferr *e = catalogs_add(cats[i][0], p);
		props_destroy(p);
		if (e) return -1;
	}
	odd_cols[0] = (conn_column){.name = "c", .type = ftype_make(TYPE_TEXT)};
	fmt_settings_default(&fmt);
	session = (plan_session){
	    .user = "u", .catalog = "tpch", .search_path = "\"$user\", tiny", .fmt = &fmt};
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
	    cmocka_unit_test(test_show_catalogs), cmocka_unit_test(test_like_escape),
	    cmocka_unit_test(test_show_schemas),  cmocka_unit_test(test_show_tables),
	    cmocka_unit_test(test_show_columns),  cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_not_mine),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
