/*
 * test_postgres_pushdown.c — the postgresql connector's expression and
 * top-N SQL (pg_sql.c), no server: what is sent for each accepted form,
 * hostile literals and LIKE patterns, and every form that must be declined
 * because PostgreSQL could answer differently from Ferry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "connectors/postgres/pg_internal.h"

/* columns: 0 id int8, 1 "we""ird" text collate C, 2 e text (other collation),
 * 3 j json (never pushed), 4 m numeric(12,2), 5 u numeric (unconstrained), 6 ch char(3) */
static conn_column cols[7] = {
	{.name = "id", .type = {TYPE_INT8}},
	{.name = "we\"ird", .type = {TYPE_TEXT}},
	{.name = "e", .type = {TYPE_TEXT}},
	{.name = "j", .type = {TYPE_JSON}},
	{.name = "m", .type = {TYPE_NUMERIC, .precision = 12, .scale = 2}},
	{.name = "u", .type = {TYPE_NUMERIC, .precision = 0, .scale = 6}},
	{.name = "ch", .type = {TYPE_BPCHAR, .length = 3}},
};
static pgc_colinfo info[7] = {
	{.select_sql = "\"id\"", .push = PGC_PUSH_RANGE},
	{.select_sql = "\"we\"\"ird\"", .push = PGC_PUSH_RANGE},
	{.select_sql = "\"e\"", .push = PGC_PUSH_EQ},
	{.select_sql = "\"j\"", .push = PGC_PUSH_NONE},
	{.select_sql = "\"m\"", .push = PGC_PUSH_RANGE},
	{.select_sql = "\"u\"", .push = PGC_PUSH_RANGE},
	{.select_sql = "\"ch\"", .push = PGC_PUSH_RANGE},
};
static pgc_table tab = {.base = {.schema = "s", .table = "a\"b", .ncols = 7, .cols = cols},
                        .info = info, .limit = -1};

static conn_expr pool[64];
static conn_expr *argv_pool[256];
static int npool, nargv;

static conn_expr *node(conn_expr_kind k, ftype t, int nargs, ...)
{
	conn_expr *e = &pool[npool++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->type = t;
	e->nargs = nargs;
	e->args = &argv_pool[nargv];
	nargv += nargs;
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs; i++) e->args[i] = va_arg(ap, conn_expr *);
	va_end(ap);
	return e;
}

static conn_expr *col(int c)
{
	conn_expr *e = node(CONN_EXPR_COLUMN, c >= 0 && c < 7 ? cols[c].type : (ftype){TYPE_INT8}, 0);
	e->column = c;
	return e;
}

static conn_expr *int8k(int64_t v)
{
	conn_expr *e = node(CONN_EXPR_CONST, (ftype){TYPE_INT8}, 0);
	e->value.u.i = v;
	return e;
}

static conn_expr *textk(const char *s)
{
	conn_expr *e = node(CONN_EXPR_CONST, (ftype){TYPE_TEXT}, 0);
	e->value.u.s.ptr = (char *)s;
	e->value.u.s.len = (uint32_t)strlen(s);
	return e;
}

static conn_expr *cmp(conn_cmp op, conn_expr *a, conn_expr *b)
{
	conn_expr *e = node(CONN_EXPR_COMPARE, (ftype){TYPE_BOOL}, 2, a, b);
	e->cmp = op;
	return e;
}

static conn_expr *like(bool neg, bool ci, conn_expr *x, conn_expr *p, conn_expr *esc)
{
	conn_expr *e = esc ? node(CONN_EXPR_LIKE, (ftype){TYPE_BOOL}, 3, x, p, esc)
	                   : node(CONN_EXPR_LIKE, (ftype){TYPE_BOOL}, 2, x, p);
	e->negate = neg;
	e->case_insensitive = ci;
	return e;
}

/* The SQL for e, or "<declined>". */
static const char *sql(const conn_expr *e)
{
	static char buf[512];
	strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "x");
	bool ok = pgc_expr_sql(&sb, &tab, e);
	if (ok) snprintf(buf, sizeof buf, "%s", sb.data + 1);
	else snprintf(buf, sizeof buf, "%s", sb.len == 1 ? "<declined>" : "<declined, but wrote>");
	sb_free(&sb);
	npool = nargv = 0;
	return buf;
}

static void test_comparisons(void **state)
{
	(void)state;
	assert_string_equal(sql(cmp(CONN_CMP_NE, col(0), int8k(3))), "(\"id\" <> 3)");
	assert_string_equal(sql(cmp(CONN_CMP_GE, int8k(-7), col(0))), "(-7 >= \"id\")");
	/* two text columns: compared under "C" whatever their collations */
	assert_string_equal(sql(cmp(CONN_CMP_EQ, col(1), col(2))),
	                    "(\"we\"\"ird\" COLLATE \"C\" = \"e\" COLLATE \"C\")");
	/* ordering needs both sides ordered as Ferry orders them */
	assert_string_equal(sql(cmp(CONN_CMP_LT, col(1), col(2))), "<declined>");
	assert_string_equal(sql(cmp(CONN_CMP_LT, col(2), textk("x"))), "<declined>");
	assert_string_equal(sql(cmp(CONN_CMP_NE, col(2), textk("it's \\ ok"))), "(\"e\" <> E'it''s \\\\ ok')");
	/* never: json, unconstrained numeric (rounded on read), char(n) (padding) */
	assert_string_equal(sql(cmp(CONN_CMP_NE, col(3), col(3))), "<declined>");
	assert_string_equal(sql(cmp(CONN_CMP_NE, col(5), col(5))), "<declined>");
	assert_string_equal(sql(cmp(CONN_CMP_EQ, col(6), col(6))), "<declined>");
	/* different types */
	assert_string_equal(sql(cmp(CONN_CMP_EQ, col(0), col(4))), "<declined>");
	assert_string_equal(sql(cmp(CONN_CMP_EQ, col(4), col(4))), "(\"m\" = \"m\")");
	/* invalid UTF-8 cannot be sent */
	assert_string_equal(sql(cmp(CONN_CMP_EQ, col(2), textk("\xff"))), "<declined>");
}

static void test_boolean_forms(void **state)
{
	(void)state;
	conn_expr *o = node(CONN_EXPR_OR, (ftype){TYPE_BOOL}, 2, cmp(CONN_CMP_EQ, col(0), int8k(1)),
	                    like(false, false, col(2), textk("a%"), NULL));
	assert_string_equal(sql(node(CONN_EXPR_NOT, (ftype){TYPE_BOOL}, 1, o)),
	                    "(NOT ((\"id\" = 1) OR (\"e\" LIKE 'a%')))");
	/* one part that cannot be said declines the whole */
	o = node(CONN_EXPR_OR, (ftype){TYPE_BOOL}, 2, cmp(CONN_CMP_EQ, col(0), int8k(1)),
	         cmp(CONN_CMP_EQ, col(3), col(3)));
	assert_string_equal(sql(o), "<declined>");
	conn_expr *in = node(CONN_EXPR_IN, (ftype){TYPE_BOOL}, 3, col(1), textk("a'b"), textk("c\\d"));
	in->negate = true;
	assert_string_equal(sql(in), "(\"we\"\"ird\" NOT IN ('a''b', E'c\\\\d'))");
	in = node(CONN_EXPR_IN, (ftype){TYPE_BOOL}, 3, col(0), int8k(1), col(0));
	assert_string_equal(sql(in), "<declined>");
	conn_expr *d = node(CONN_EXPR_DISTINCT, (ftype){TYPE_BOOL}, 2, col(0), int8k(5));
	assert_string_equal(sql(d), "(\"id\" IS DISTINCT FROM 5)");
	d = node(CONN_EXPR_DISTINCT, (ftype){TYPE_BOOL}, 2, col(1), col(2));
	d->negate = true;
	assert_string_equal(sql(d), "(\"we\"\"ird\" COLLATE \"C\" IS NOT DISTINCT FROM \"e\" COLLATE \"C\")");
	conn_expr *n = node(CONN_EXPR_IS_NULL, (ftype){TYPE_BOOL}, 1, col(2));
	n->negate = true;
	assert_string_equal(sql(n), "(\"e\" IS NOT NULL)");
}

static void test_like(void **state)
{
	(void)state;
	assert_string_equal(sql(like(false, false, col(1), textk("50\\%_o'k%"), NULL)),
	                    "(\"we\"\"ird\" LIKE E'50\\\\%_o''k%')");
	assert_string_equal(sql(like(true, false, col(2), textk("a!%b"), textk("!"))),
	                    "(\"e\" NOT LIKE 'a!%b' ESCAPE '!')");
	assert_string_equal(sql(like(false, false, col(2), textk("a\\b"), textk(""))),
	                    "(\"e\" LIKE E'a\\\\b' ESCAPE '')");
	/* the pattern ends with the escape: an error on both sides, at different rows */
	assert_string_equal(sql(like(false, false, col(2), textk("ab\\"), NULL)), "<declined>");
	assert_string_equal(sql(like(false, false, col(2), textk("ab!"), textk("!"))), "<declined>");
	assert_string_equal(sql(like(false, false, col(2), textk("a!!"), textk("!"))),
	                    "(\"e\" LIKE 'a!!' ESCAPE '!')");
	/* % or _ as the escape, or a multi-byte one: read differently */
	assert_string_equal(sql(like(false, false, col(2), textk("a%"), textk("%"))), "<declined>");
	assert_string_equal(sql(like(false, false, col(2), textk("a"), textk("\xc3\xa9"))), "<declined>");
	/* ILIKE folds case as Ferry does only in collation "C" */
	assert_string_equal(sql(like(false, true, col(1), textk("ab%"), NULL)), "(\"we\"\"ird\" ILIKE 'ab%')");
	assert_string_equal(sql(like(false, true, col(2), textk("ab%"), NULL)), "<declined>");
	/* not a text column, or a pattern that is not a constant */
	assert_string_equal(sql(like(false, false, col(6), textk("a%"), NULL)), "<declined>");
	assert_string_equal(sql(like(false, false, col(1), col(2), NULL)), "<declined>");
}

static void test_order_and_select(void **state)
{
	(void)state;
	conn_sort_item k[2] = {{1, true, false}, {0, false, true}};
	strbuf sb = STRBUF_INIT;
	assert_true(pgc_order_sql(&sb, &tab, 2, k));
	assert_string_equal(sb.data, "\"we\"\"ird\" DESC NULLS LAST, \"id\" ASC NULLS FIRST");
	sb_reset(&sb);
	/* equality-only collation, json, unconstrained numeric, char(n): not ordered as Ferry */
	int bad[] = {2, 3, 5, 6, 7, -1};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		conn_sort_item b = {bad[i], false, false};
		assert_false(pgc_order_sql(&sb, &tab, 1, &b));
		assert_int_equal(sb.len, 0);
	}
	pgc_table t = tab;
	t.where = "(\"e\" LIKE 'a%')";
	t.order_by = "\"id\" ASC NULLS LAST";
	t.limit = 7;
	int proj[1] = {0};
	pgc_select_sql(&t, NULL, 1, proj, &sb);
	assert_string_equal(sb.data, "SELECT \"id\" FROM \"s\".\"a\"\"b\" WHERE (\"e\" LIKE 'a%') "
	                             "ORDER BY \"id\" ASC NULLS LAST LIMIT 7");
	sb_free(&sb);
}

/* Pushed DELETE / UPDATE: the statement text, hostile values, and the declined forms. */
static void test_dml(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	pgc_table t = tab;
	pgc_delete_sql(&sb, &t);
	assert_string_equal(sb.data, "DELETE FROM \"s\".\"a\"\"b\"");
	sb_reset(&sb);
	t.where = "\"id\" IN (1, 2) AND (\"e\" LIKE 'a%')";
	pgc_delete_sql(&sb, &t);
	assert_string_equal(sb.data, "DELETE FROM \"s\".\"a\"\"b\" WHERE \"id\" IN (1, 2) AND (\"e\" LIKE 'a%')");
	sb_reset(&sb);
	/* text with a quote and a backslash, a numeric at its scale, NULL, a padded char(3) */
	fvalue v[4] = {{0}};
	v[0].u.s.ptr = "it's \\ \"q\"";
	v[0].u.s.len = (uint32_t)strlen(v[0].u.s.ptr);
	v[1].u.i = 4246; /* 42.46 at scale 2 */
	v[2].isnull = true;
	v[3].u.s.ptr = "x  ";
	v[3].u.s.len = 3;
	int set[4] = {1, 4, 0, 6};
	assert_true(pgc_update_sql(&sb, &t, 4, set, v));
	assert_string_equal(sb.data, "UPDATE \"s\".\"a\"\"b\" SET \"we\"\"ird\" = E'it''s \\\\ \"q\"', \"m\" = "
	                             "'42.46'::numeric, \"id\" = NULL, \"ch\" = 'x  ' WHERE \"id\" IN (1, 2) "
	                             "AND (\"e\" LIKE 'a%')");
	sb_reset(&sb);
	/* json, unconstrained numeric (Ferry holds it rounded), a bad index, nothing to set,
	 * a value that cannot be text (NUL byte) */
	fvalue one = {0};
	one.u.s.ptr = "{}";
	one.u.s.len = 2;
	int bad[] = {3, 5, 7, -1};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(pgc_update_sql(&sb, &t, 1, &bad[i], &one));
		assert_int_equal(sb.len, 0);
	}
	assert_false(pgc_update_sql(&sb, &t, 0, set, v));
	fvalue nul = {0};
	nul.u.s.ptr = "a\0b";
	nul.u.s.len = 3;
	int textcol = 1;
	assert_false(pgc_update_sql(&sb, &t, 1, &textcol, &nul));
	assert_int_equal(sb.len, 0);
	/* a column read through ::text (CONVERT_TO_VARCHAR) is never written */
	pgc_colinfo conv[7];
	memcpy(conv, info, sizeof conv);
	conv[1].converted = true;
	t.info = conv;
	assert_false(pgc_update_sql(&sb, &t, 1, &textcol, &v[0]));
	t.info = info;
	sb_free(&sb);

	/* only a plain filtered table handle is deleted from or updated */
	arena *a = arena_create(NULL, "dml");
	conn_table *out = NULL;
	assert_null(pgc_apply_delete(NULL, &t.base, a, &out));
	assert_non_null(out);
	const pgc_table *h = (const pgc_table *)out;
	assert_int_equal(out->ncols, 1);
	assert_int_equal(out->cols[0].type.id, TYPE_INT8);
	assert_string_equal(h->dml, "DELETE FROM \"s\".\"a\"\"b\" WHERE \"id\" IN (1, 2) AND (\"e\" LIKE 'a%')");
	conn_table *again = NULL;
	assert_null(pgc_apply_delete(NULL, out, a, &again));
	assert_null(again);
	pgc_table lim = tab, grp = tab, joined = tab, top = tab;
	lim.limit = 3;
	grp.group_by = "\"id\"";
	joined.from = "(SELECT 1) AS l JOIN (SELECT 1) AS r ON true";
	top.order_by = "\"id\" ASC NULLS LAST";
	const pgc_table *declined[] = {&lim, &grp, &joined, &top};
	for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++) {
		out = NULL;
		assert_null(pgc_apply_delete(NULL, &declined[i]->base, a, &out));
		assert_null(out);
		assert_null(pgc_apply_update(NULL, &declined[i]->base, 1, set, v, a, &out));
		assert_null(out);
	}
	out = NULL;
	assert_null(pgc_apply_update(NULL, &tab.base, 1, &bad[0], &one, a, &out));
	assert_null(out);
	assert_null(pgc_apply_update(NULL, &tab.base, 1, &set[2], &v[2], a, &out));
	assert_non_null(out);
	assert_string_equal(((const pgc_table *)out)->dml, "UPDATE \"s\".\"a\"\"b\" SET \"id\" = NULL");
	arena_destroy(a);
}

/* pgc_join_sql: each side's subquery, aliased columns, the ON list; declined keys */
static void test_join(void **state)
{
	(void)state;
	arena *a = arena_create(NULL, "test_join");
	pgc_table l = tab, r = tab;
	l.where = "(\"id\" > 3)";
	r.base.table = "r";
	int lc[2] = {0, 1}, rc[2] = {2, 1};
	const char *sel[4];
	conn_join_cond on[2] = {{0, 1}, {1, 1}};
	strbuf sb = STRBUF_INIT;
	/* id = "we""ird": types differ */
	assert_false(pgc_join_sql(&sb, &l, 2, lc, &r, 2, rc, false, 1, on, a, sel));
	assert_int_equal(sb.len, 0);
	on[0] = (conn_join_cond){1, 2}; /* "we""ird" = e: text under "C" */
	assert_true(pgc_join_sql(&sb, &l, 2, lc, &r, 2, rc, true, 2, on, a, sel));
	assert_string_equal(sb.data,
	                    "(SELECT \"id\" AS c0, \"we\"\"ird\" AS c1 FROM \"s\".\"a\"\"b\" WHERE (\"id\" > 3)) AS l "
	                    "LEFT JOIN (SELECT \"e\" AS c0, \"we\"\"ird\" AS c1 FROM \"s\".\"r\") AS r "
	                    "ON (l.c1 COLLATE \"C\" = r.c0 COLLATE \"C\") AND (l.c1 COLLATE \"C\" = r.c1 COLLATE \"C\")");
	assert_string_equal(sel[0], "l.c0");
	assert_string_equal(sel[3], "r.c1");
	/* a joined handle reads as one statement with no ctid ranges */
	pgc_table j = {.base = {.schema = "s", .table = "x", .ncols = 0}, .from = sb.data, .limit = 2};
	pgc_split sp = {.page_lo = 5, .page_hi = 9};
	strbuf q = STRBUF_INIT;
	pgc_select_sql(&j, &sp, 0, NULL, &q);
	assert_non_null(strstr(q.data, "SELECT FROM (SELECT"));
	assert_null(strstr(q.data, "ctid"));
	assert_non_null(strstr(q.data, "LIMIT 2"));
	sb_free(&q);
	sb_reset(&sb);
	/* json, unconstrained numeric and char(n) keys; a key not projected; no key */
	int bad[][2] = {{3, 3}, {5, 5}, {6, 6}};
	int all[7] = {0, 1, 2, 3, 4, 5, 6};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		conn_join_cond c = {bad[i][0], bad[i][1]};
		assert_false(pgc_join_sql(&sb, &l, 7, all, &r, 7, all, false, 1, &c, a, sel));
	}
	conn_join_cond c4 = {4, 4};
	assert_false(pgc_join_sql(&sb, &l, 2, lc, &r, 7, all, false, 1, &c4, a, sel));
	assert_false(pgc_join_sql(&sb, &l, 7, all, &r, 7, all, false, 0, &c4, a, sel));
	assert_int_equal(sb.len, 0);
	sb_free(&sb);
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_boolean_forms),
		cmocka_unit_test(test_like),
		cmocka_unit_test(test_order_and_select),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_dml),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
