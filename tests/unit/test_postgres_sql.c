/*
 * test_postgres_sql.c — the postgresql connector's pure parts, no server:
 * connection-url parsing (JDBC, URI, key=value), identifier and literal
 * quoting against injection, pushed-down predicate SQL, CREATE TABLE and
 * COPY FROM text, and property validation at catalog creation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "connectors/postgres/pg_internal.h"
#include "connectors/postgres/postgres.h"

static void test_jdbc_url(void **state)
{
	(void)state;
	pgc_conninfo ci;
	assert_null(pgc_conninfo_parse("jdbc:postgresql://db.example.com:6543/sales?sslmode=require&ApplicationName=x%20y",
	                               "alice", "s3cret", &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "db.example.com");
	assert_string_equal(pgc_conninfo_get(&ci, "port"), "6543");
	assert_string_equal(pgc_conninfo_get(&ci, "dbname"), "sales");
	assert_string_equal(pgc_conninfo_get(&ci, "sslmode"), "require");
	assert_string_equal(pgc_conninfo_get(&ci, "application_name"), "x y");
	assert_string_equal(pgc_conninfo_get(&ci, "user"), "alice");
	assert_string_equal(pgc_conninfo_get(&ci, "password"), "s3cret");
	assert_string_equal(pgc_conninfo_get(&ci, "client_encoding"), "UTF8");
	assert_string_equal(pgc_conninfo_get(&ci, "connect_timeout"), "10");
	assert_null(ci.keys[ci.n]);
	pgc_conninfo_free(&ci);
}

static void test_jdbc_url_forms(void **state)
{
	(void)state;
	pgc_conninfo ci;
	/* no port, user in the URL overridden by connection-user */
	assert_null(pgc_conninfo_parse("jdbc:postgresql://h/d?user=u1&password=p1", "u2", NULL, &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "h");
	assert_null(pgc_conninfo_get(&ci, "port"));
	assert_string_equal(pgc_conninfo_get(&ci, "user"), "u2");
	assert_string_equal(pgc_conninfo_get(&ci, "password"), "p1");
	pgc_conninfo_free(&ci);
	/* several hosts, IPv6 */
	assert_null(pgc_conninfo_parse("jdbc:postgresql://[::1]:5433,h2/db", NULL, NULL, &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "::1,h2");
	assert_string_equal(pgc_conninfo_get(&ci, "port"), "5433,5432");
	pgc_conninfo_free(&ci);
	/* jdbc:postgresql:db means localhost */
	assert_null(pgc_conninfo_parse("jdbc:postgresql:mydb", NULL, NULL, &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "localhost");
	assert_string_equal(pgc_conninfo_get(&ci, "dbname"), "mydb");
	pgc_conninfo_free(&ci);
	/* ssl=true means sslmode=require */
	assert_null(pgc_conninfo_parse("jdbc:postgresql://h/d?ssl=true&loggerLevel=OFF", NULL, NULL, &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "sslmode"), "require");
	pgc_conninfo_free(&ci);
}

static void test_libpq_forms(void **state)
{
	(void)state;
	pgc_conninfo ci;
	assert_null(pgc_conninfo_parse("postgresql://bob@10.0.0.1:5000/shop?connect_timeout=3", NULL, "pw", &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "10.0.0.1");
	assert_string_equal(pgc_conninfo_get(&ci, "port"), "5000");
	assert_string_equal(pgc_conninfo_get(&ci, "dbname"), "shop");
	assert_string_equal(pgc_conninfo_get(&ci, "user"), "bob");
	assert_string_equal(pgc_conninfo_get(&ci, "password"), "pw");
	assert_string_equal(pgc_conninfo_get(&ci, "connect_timeout"), "3");
	pgc_conninfo_free(&ci);
	assert_null(pgc_conninfo_parse("host=/tmp port=1234 dbname='my db'", NULL, NULL, &ci));
	assert_string_equal(pgc_conninfo_get(&ci, "host"), "/tmp");
	assert_string_equal(pgc_conninfo_get(&ci, "dbname"), "my db");
	pgc_conninfo_free(&ci);
}

static void test_bad_urls(void **state)
{
	(void)state;
	pgc_conninfo ci;
	const char *bad[] = {"", "jdbc:mysql://h/d", "jdbc:postgresql://h:xx/d", "jdbc:postgresql://h/d?a",
	                     "jdbc:postgresql://h/d%zz", "host=a bogus", "jdbc:postgresql://[::1/d"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ferr *e = pgc_conninfo_parse(bad[i], NULL, NULL, &ci);
		assert_non_null(e);
		assert_string_equal(e->sqlstate, SQLSTATE_CONFIG_FILE_ERROR);
		ferr_free(e);
	}
	ferr *e = pgc_conninfo_parse(NULL, NULL, NULL, &ci);
	assert_non_null(e);
	assert_non_null(strstr(e->message, "connection-url"));
	ferr_free(e);
}

static void test_quote_ident(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	pgc_quote_ident(&sb, "a\"b");
	assert_string_equal(sb.data, "\"a\"\"b\"");
	sb_reset(&sb);
	pgc_quote_ident(&sb, "Mixed Case; DROP TABLE x");
	assert_string_equal(sb.data, "\"Mixed Case; DROP TABLE x\"");
	sb_free(&sb);
}

static void test_quote_literal(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	assert_true(pgc_quote_literal(&sb, "it's", 4));
	assert_string_equal(sb.data, "'it''s'");
	sb_reset(&sb);
	/* a backslash switches to E'' so it cannot escape the closing quote */
	assert_true(pgc_quote_literal(&sb, "x\\' OR 1=1 --", 13));
	assert_string_equal(sb.data, "E'x\\\\'' OR 1=1 --'");
	sb_reset(&sb);
	assert_false(pgc_quote_literal(&sb, "a\0b", 3));
	assert_false(pgc_quote_literal(&sb, "\xff\xfe", 2));
	assert_false(pgc_quote_literal(&sb, "\xed\xa0\x80", 3)); /* surrogate */
	assert_int_equal(sb.len, 0);
	assert_true(pgc_quote_literal(&sb, "h\xc3\xa9", 3));
	assert_string_equal(sb.data, "'h\xc3\xa9'");
	sb_free(&sb);
}

static void test_typed_literals(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	fvalue v = {0};
	v.u.i = -42;
	assert_true(pgc_typed_literal(&sb, ftype_make(TYPE_INT4), &v));
	assert_string_equal(sb.data, "-42");
	sb_reset(&sb);
	v.u.i = 12345; /* 123.45 */
	assert_true(pgc_typed_literal(&sb, ftype_numeric(10, 2), &v));
	assert_string_equal(sb.data, "'123.45'::numeric");
	sb_reset(&sb);
	v.u.i = date_from_ymd(2024, 2, 29);
	assert_true(pgc_typed_literal(&sb, ftype_make(TYPE_DATE), &v));
	assert_string_equal(sb.data, "'2024-02-29'::date");
	sb_reset(&sb);
	v.u.i = 0;
	assert_true(pgc_typed_literal(&sb, ftype_make(TYPE_TIMESTAMPTZ), &v));
	assert_string_equal(sb.data, "'2000-01-01 00:00:00+00'::timestamptz");
	sb_reset(&sb);
	v.u.f = 0.1;
	assert_true(pgc_typed_literal(&sb, ftype_make(TYPE_FLOAT8), &v));
	assert_string_equal(sb.data, "'0.10000000000000001'::float8");
	sb_reset(&sb);
	v.u.s.ptr = "O'Brien\\";
	v.u.s.len = 8;
	assert_true(pgc_typed_literal(&sb, ftype_make(TYPE_TEXT), &v));
	assert_string_equal(sb.data, "E'O''Brien\\\\'");
	sb_reset(&sb);
	assert_false(pgc_typed_literal(&sb, ftype_make(TYPE_JSON), &v));
	v.isnull = true;
	assert_false(pgc_typed_literal(&sb, ftype_make(TYPE_INT4), &v));
	sb_free(&sb);
}

static conn_range rng(bool lu, int64_t lo, bool li, bool hu, int64_t hi, bool hinc)
{
	conn_range r = {0};
	r.low_unbounded = lu;
	r.high_unbounded = hu;
	r.low_inclusive = li;
	r.high_inclusive = hinc;
	r.low.u.i = lo;
	r.high.u.i = hi;
	return r;
}

static void test_domain_sql(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	ftype i8 = ftype_make(TYPE_INT8);
	conn_range rs[3] = {rng(false, 1, true, false, 1, true), rng(false, 7, true, false, 7, true),
	                    rng(false, 10, false, false, 20, true)};
	conn_column_domain d = {.column = 0, .nranges = 3, .ranges = rs};
	assert_true(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_RANGE, &d));
	assert_string_equal(sb.data, "(\"x\" IN (1, 7) OR (\"x\" > 10 AND \"x\" <= 20))");
	sb_reset(&sb);
	/* equality-only columns refuse the range, keep nothing */
	assert_false(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_EQ, &d));
	assert_int_equal(sb.len, 0);
	d.nranges = 2;
	d.null_allowed = true;
	assert_true(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_EQ, &d));
	assert_string_equal(sb.data, "(\"x\" IN (1, 7) OR \"x\" IS NULL)");
	sb_reset(&sb);
	/* x < 5 */
	conn_range lt = rng(true, 0, false, false, 5, false);
	conn_column_domain d2 = {.column = 0, .nranges = 1, .ranges = &lt};
	assert_true(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_RANGE, &d2));
	assert_string_equal(sb.data, "(\"x\" < 5)");
	sb_reset(&sb);
	/* IS NOT NULL, IS NULL, nothing */
	conn_column_domain nn = {.column = 0, .all = true};
	assert_true(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_RANGE, &nn));
	assert_string_equal(sb.data, "\"x\" IS NOT NULL");
	sb_reset(&sb);
	conn_column_domain isnull = {.column = 0, .null_allowed = true};
	assert_true(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_RANGE, &isnull));
	assert_string_equal(sb.data, "\"x\" IS NULL");
	sb_reset(&sb);
	assert_false(pgc_domain_sql(&sb, "\"x\"", i8, PGC_PUSH_NONE, &isnull));
	sb_free(&sb);
}

static void test_select_sql(void **state)
{
	(void)state;
	conn_column cols[2] = {{.name = "id", .type = {TYPE_INT8}}, {.name = "we\"ird", .type = {TYPE_TEXT}}};
	pgc_colinfo info[2] = {{.select_sql = "\"id\""}, {.select_sql = "\"we\"\"ird\""}};
	pgc_table t = {.base = {.schema = "s", .table = "a\"b", .ncols = 2, .cols = cols}, .info = info,
	               .where = "\"id\" > 3", .limit = 10};
	pgc_split sp = {.page_lo = 100, .page_hi = 200};
	int proj[2] = {1, 0};
	strbuf sb = STRBUF_INIT;
	pgc_select_sql(&t, &sp, 2, proj, &sb);
	assert_string_equal(sb.data, "SELECT \"we\"\"ird\", \"id\" FROM \"s\".\"a\"\"b\" WHERE \"id\" > 3 AND "
	                             "ctid >= '(100,0)'::tid AND ctid < '(200,0)'::tid LIMIT 10");
	sb_reset(&sb);
	t.where = NULL;
	t.limit = -1;
	sp.page_lo = -1;
	pgc_select_sql(&t, &sp, 0, proj, &sb);
	assert_string_equal(sb.data, "SELECT FROM \"s\".\"a\"\"b\" WHERE ctid < '(200,0)'::tid");
	sb_free(&sb);
}

static void test_create_validation(void **state)
{
	(void)state;
	props *p = props_create();
	conn_catalog *c = NULL;
	ferr *e = postgresql_connector_factory.create("pg", p, &c);
	assert_non_null(e); /* no connection-url */
	ferr_free(e);
	assert_null(props_set(p, "connection-url", "jdbc:postgresql://127.0.0.1:1/x"));
	assert_null(props_set(p, "unsupported-type-handling", "FAIL"));
	e = postgresql_connector_factory.create("pg", p, &c);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_PARAMETER_VALUE);
	ferr_free(e);
	assert_null(props_set(p, "unsupported-type-handling", "CONVERT_TO_VARCHAR"));
	assert_null(props_set(p, "connection-pool.max-size", "0"));
	e = postgresql_connector_factory.create("pg", p, &c);
	assert_non_null(e);
	ferr_free(e);
	assert_null(props_set(p, "connection-pool.max-size", "2"));
	/* creating never connects: a dead server still gives a catalog */
	assert_null(postgresql_connector_factory.create("pg", p, &c));
	arena *a = arena_create(NULL, "t");
	int n;
	const char **names;
	e = c->ops->list_schemas(c, a, &n, &names);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_SQLCLIENT_UNABLE_TO_ESTABLISH);
	assert_non_null(strstr(e->message, "catalog 'pg': could not connect to server"));
	ferr_free(e);
	arena_destroy(a);
	c->ops->destroy(c);
	props_destroy(p);
}

static void test_create_table_sql(void **state)
{
	(void)state;
	conn_column cols[4] = {
		{.name = "id", .type = ftype_make(TYPE_INT8), .nullable = false},
		{.name = "we\"ird", .type = ftype_varchar(7), .nullable = true, .comment = "it's \\"},
		{.name = "n", .type = ftype_numeric(12, 2), .nullable = true},
		{.name = "u", .type = ftype_make(TYPE_UNKNOWN), .nullable = true},
	};
	conn_table_def def = {.schema = "s\"; DROP", .table = "a\"b", .ncols = 4, .cols = cols, .comment = "x'y"};
	strbuf sb = STRBUF_INIT;
	const char *bad;
	assert_true(pgc_create_table_sql(&sb, &def, &bad));
	assert_string_equal(sb.data,
	                    "CREATE TABLE \"s\"\"; DROP\".\"a\"\"b\" (\"id\" bigint NOT NULL, \"we\"\"ird\" varchar(7), "
	                    "\"n\" numeric(12,2), \"u\" text); COMMENT ON TABLE \"s\"\"; DROP\".\"a\"\"b\" IS 'x''y'; "
	                    "COMMENT ON COLUMN \"s\"\"; DROP\".\"a\"\"b\".\"we\"\"ird\" IS E'it''s \\\\'");
	sb_reset(&sb);
	/* every Ferry type has a column type whose binary form Ferry sends */
	static const struct {
		ftype t;
		const char *sql;
	} map[] = {
		{{TYPE_BOOL}, "boolean"}, {{TYPE_INT2}, "smallint"}, {{TYPE_INT4}, "integer"},
		{{TYPE_FLOAT4}, "real"}, {{TYPE_FLOAT8}, "double precision"}, {{TYPE_NUMERIC, 0, 6}, "numeric"},
		{{TYPE_NUMERIC, 38, 10}, "numeric(38,10)"}, {{TYPE_VARCHAR, 0, 0, -1}, "varchar"},
		{{TYPE_BPCHAR, 0, 0, 3}, "char(3)"}, {{TYPE_TEXT}, "text"}, {{TYPE_BYTEA}, "bytea"},
		{{TYPE_DATE}, "date"}, {{TYPE_TIME}, "time"}, {{TYPE_TIMESTAMP}, "timestamp"},
		{{TYPE_TIMESTAMPTZ}, "timestamptz"}, {{TYPE_INTERVAL}, "interval"}, {{TYPE_UUID}, "uuid"},
		{{TYPE_JSON}, "json"}, {{TYPE_JSONB}, "jsonb"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		sb_reset(&sb);
		assert_true(pgc_column_type_sql(&sb, map[i].t));
		assert_string_equal(sb.data, map[i].sql);
	}
	sb_reset(&sb);
	assert_false(pgc_column_type_sql(&sb, (ftype){TYPE__COUNT}));
	cols[2].type = (ftype){TYPE__COUNT};
	sb_reset(&sb);
	assert_false(pgc_create_table_sql(&sb, &def, &bad));
	assert_string_equal(bad, "n");
	cols[2].type = ftype_numeric(12, 2);
	cols[1].comment = "bad \xff";
	sb_reset(&sb);
	assert_false(pgc_create_table_sql(&sb, &def, &bad));
	assert_null(bad);
	sb_reset(&sb);
	conn_table t = {.schema = "p", .table = "t\"", .ncols = 4, .cols = cols};
	pgc_copy_in_sql(&sb, &t);
	assert_string_equal(sb.data, "COPY \"p\".\"t\"\"\" (\"id\", \"we\"\"ird\", \"n\", \"u\") FROM STDIN (FORMAT binary)");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jdbc_url),        cmocka_unit_test(test_jdbc_url_forms),
		cmocka_unit_test(test_libpq_forms),     cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_quote_ident),     cmocka_unit_test(test_quote_literal),
		cmocka_unit_test(test_typed_literals),  cmocka_unit_test(test_domain_sql),
		cmocka_unit_test(test_select_sql),      cmocka_unit_test(test_create_validation),
		cmocka_unit_test(test_create_table_sql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
