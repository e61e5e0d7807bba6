/*
 * test_postgres_pushdown.c — the postgresql connector's expression and
 * top-N SQL (pg_sql.c), no server: what is sent for each accepted form,
 * hostile literals and LIKE patterns, and every form that must be declined
 * because PostgreSQL could answer differently from Ferry. Also aggregation
 * over arithmetic (apply_aggregation of a catalog that never connects).
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

/* What fn appends for e over t (after a sentinel it must keep), or "<declined>". */
static const char *render(bool (*fn)(strbuf *, const pgc_table *, const conn_expr *),
                          const pgc_table *t, const conn_expr *e)
{
	static char buf[512];
	strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "x");
	bool ok = fn(&sb, t, e);
	if (ok) snprintf(buf, sizeof buf, "%s", sb.data + 1);
	else snprintf(buf, sizeof buf, "%s", sb.len == 1 ? "<declined>" : "<declined, but wrote>");
	sb_free(&sb);
	return buf;
}

/* The SQL for e, or "<declined>". */
static const char *sql(const conn_expr *e)
{
	const char *r = render(pgc_expr_sql, &tab, e);
	npool = nargv = 0;
	return r;
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


/* ---- aggregation over arithmetic ---- */

/* columns: 0 q numeric(12,2), 1 p numeric(12,2), 2 i int4, 3 f float8,
 * 4 g text (other collation), 5 u numeric (unconstrained), 6 j json, 7 k int8 */
static conn_column acols[8] = {
	{.name = "q", .type = {TYPE_NUMERIC, .precision = 12, .scale = 2}},
	{.name = "p", .type = {TYPE_NUMERIC, .precision = 12, .scale = 2}},
	{.name = "i", .type = {TYPE_INT4}},
	{.name = "f", .type = {TYPE_FLOAT8}},
	{.name = "g", .type = {TYPE_TEXT}},
	{.name = "u", .type = {TYPE_NUMERIC, .precision = 0, .scale = 6}},
	{.name = "j", .type = {TYPE_JSON}},
	{.name = "k", .type = {TYPE_INT8}},
};
static pgc_colinfo ainfo[8] = {
	{.select_sql = "\"q\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_OTHER},
	{.select_sql = "\"p\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_OTHER},
	{.select_sql = "\"i\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_INT4},
	{.select_sql = "\"f\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_FLOAT8},
	{.select_sql = "\"g\"", .push = PGC_PUSH_EQ, .decode = PGC_DEC_STRING},
	{.select_sql = "\"u\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_OTHER},
	{.select_sql = "\"j\"", .push = PGC_PUSH_NONE, .decode = PGC_DEC_STRING},
	{.select_sql = "\"k\"", .push = PGC_PUSH_RANGE, .decode = PGC_DEC_INT8},
};
static pgc_table atab = {.base = {.schema = "s", .table = "l", .ncols = 8, .cols = acols},
                         .info = ainfo, .limit = -1, .where = "(\"k\" >= 3)"};

static ftype num(int p, int s) { return (ftype){TYPE_NUMERIC, .precision = p, .scale = s}; }

static conn_expr *acol(int c)
{
	conn_expr *e = node(CONN_EXPR_COLUMN, acols[c].type, 0);
	e->column = c;
	return e;
}

/* A constant of type t with fvalue.u.i v (integers, narrow numerics: scaled). */
static conn_expr *ik(ftype t, int64_t v)
{
	conn_expr *e = node(CONN_EXPR_CONST, t, 0);
	e->value.u.i = v;
	return e;
}

static conn_expr *op(conn_expr_kind k, ftype t, conn_expr *a, conn_expr *b)
{
	return b ? node(k, t, 2, a, b) : node(k, t, 1, a);
}

static const char *arith(const conn_expr *e) { return render(pgc_arith_sql, &atab, e); }

static void test_arith(void **state)
{
	(void)state;
	ftype i4 = {TYPE_INT4}, i8 = {TYPE_INT8}, i2 = {TYPE_INT2}, f8 = {TYPE_FLOAT8};
	/* TPC-H q01: p * (1 - q) * (1 + q): numeric(13,2), (25,4), (38,6) */
	conn_expr *one = ik(num(10, 0), 1);
	conn_expr *disc = op(CONN_EXPR_MUL, num(25, 4), acol(1), op(CONN_EXPR_SUB, num(13, 2), one, acol(0)));
	assert_string_equal(arith(disc), "(\"p\" * ('1'::numeric - \"q\"))");
	conn_expr *charge = op(CONN_EXPR_MUL, num(38, 6), disc,
	                       op(CONN_EXPR_ADD, num(13, 2), ik(num(10, 0), 1), acol(0)));
	assert_string_equal(arith(charge),
	                    "((\"p\" * ('1'::numeric - \"q\")) * ('1'::numeric + \"q\"))");
	/* a numeric constant keeps its scale (PostgreSQL's dscale) */
	assert_string_equal(arith(op(CONN_EXPR_MUL, num(15, 4), acol(0), ik(num(3, 2), -5))),
	                    "(\"q\" * '-0.05'::numeric)");
	/* integers: literals typed as Ferry typed them, the wider type wins */
	assert_string_equal(arith(op(CONN_EXPR_ADD, i4, acol(2), ik(i4, -2147483647 - 1))),
	                    "(\"i\" + '-2147483648'::int4)");
	assert_string_equal(arith(op(CONN_EXPR_MUL, i8, acol(2), acol(7))), "(\"i\" * \"k\")");
	assert_string_equal(arith(op(CONN_EXPR_SUB, i8, acol(2), ik(i8, 5))), "(\"i\" - '5'::int8)");
	assert_string_equal(arith(op(CONN_EXPR_NEG, i4, acol(2), NULL)), "(- \"i\")");
	assert_string_equal(arith(op(CONN_EXPR_MUL, f8, acol(3), acol(3))), "(\"f\" * \"f\")");
	npool = nargv = 0;
	/* declined: a result type PostgreSQL would not give */
	assert_string_equal(arith(op(CONN_EXPR_MUL, i4, acol(2), acol(7))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_ADD, i2, acol(2), acol(2))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_NEG, i8, acol(2), NULL)), "<declined>");
	/* numeric scale or precision other than the exact result's (Ferry clipped at 38) */
	assert_string_equal(arith(op(CONN_EXPR_MUL, num(24, 2), acol(0), acol(1))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_MUL, num(25, 4), acol(0), acol(1))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_ADD, num(13, 2), acol(0), acol(1))), "(\"q\" + \"p\")");
	conn_expr *big = op(CONN_EXPR_MUL, num(24, 4), acol(0), acol(1));
	conn_expr *clip = op(CONN_EXPR_MUL, num(38, 6), big, op(CONN_EXPR_MUL, num(24, 4), acol(0), acol(1)));
	assert_string_equal(arith(clip), "<declined>");
	/* unconstrained numeric, json, mixed int/numeric, float with int, division-like
	 * per-value scale, comparisons */
	assert_string_equal(arith(op(CONN_EXPR_ADD, num(0, 6), acol(5), acol(5))), "<declined>");
	assert_string_equal(arith(acol(6)), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_ADD, num(14, 2), acol(0), acol(2))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_ADD, f8, acol(3), acol(2))), "<declined>");
	assert_string_equal(arith(op(CONN_EXPR_MUL, ftype_numeric_value_scale(), acol(0), acol(1))),
	                    "<declined>");
	assert_string_equal(arith(cmp(CONN_CMP_EQ, acol(2), acol(2))), "<declined>");
	conn_expr *nk = ik(i4, 0);
	nk->value.isnull = true;
	assert_string_equal(arith(op(CONN_EXPR_ADD, i4, acol(2), nk)), "<declined>");
	/* a column whose declared type differs from the expression's */
	conn_expr *wrong = acol(2);
	wrong->type = i8;
	assert_string_equal(arith(op(CONN_EXPR_ADD, i8, wrong, acol(7))), "<declined>");
	npool = nargv = 0;
}

/* apply_aggregation of atab: the remote SELECT of the aggregated handle, or "<declined>". */
static const char *agg(conn_catalog *c, arena *a, int ngroups, const int *groups, int naggs,
                       const conn_aggregate *aggs)
{
	static char buf[1024];
	conn_table *out = NULL;
	assert_null(c->ops->apply_aggregation(c, &atab.base, ngroups, groups, naggs, aggs, a, &out));
	if (!out) return "<declined>";
	assert_int_equal(out->ncols, ngroups + naggs);
	int cols[16];
	for (int i = 0; i < out->ncols; i++) cols[i] = i;
	strbuf sb = STRBUF_INIT;
	pgc_select_sql((const pgc_table *)out, NULL, out->ncols, cols, &sb);
	snprintf(buf, sizeof buf, "%s", sb.data);
	sb_free(&sb);
	return buf;
}

static void test_aggregation(void **state)
{
	(void)state;
	props *p = props_create();
	conn_catalog *c = NULL;
	assert_null(props_set(p, "connection-url", "jdbc:postgresql://127.0.0.1:1/x"));
	assert_null(postgresql_connector_factory.create("pg", p, &c)); /* never connects */
	arena *a = arena_create(NULL, "t");
	ftype i8 = {TYPE_INT8}, vs = ftype_numeric_value_scale();
	conn_expr *disc = op(CONN_EXPR_MUL, num(25, 4), acol(1),
	                     op(CONN_EXPR_SUB, num(13, 2), ik(num(10, 0), 1), acol(0)));
	/* q01's shape: GROUP BY, sums of columns and of an expression, avg, count(*) */
	int g[1] = {4};
	conn_aggregate q01[5] = {
		{CONN_AGG_SUM, 0, num(38, 2)},
		{CONN_AGG_SUM, -1, num(38, 4), .arg = disc},
		{CONN_AGG_AVG, 0, vs},
		{CONN_AGG_AVG, 2, vs},
		{CONN_AGG_COUNT_STAR, -1, i8},
	};
	assert_string_equal(agg(c, a, 1, g, 5, q01),
	                    "SELECT \"g\", sum(\"q\"), sum((\"p\" * ('1'::numeric - \"q\"))), avg(\"q\"), "
	                    "avg(\"i\"), count(*) FROM \"s\".\"l\" WHERE (\"k\" >= 3) GROUP BY \"g\"");
	/* global: min/max/count over expressions, count(DISTINCT) */
	conn_expr *sq = op(CONN_EXPR_MUL, (ftype){TYPE_INT8}, acol(2), acol(7));
	conn_aggregate glob[5] = {
		{CONN_AGG_MAX, -1, num(25, 4), .arg = disc},
		{CONN_AGG_MIN, -1, i8, .arg = sq},
		{CONN_AGG_SUM, -1, num(38, 0), .arg = sq},
		{CONN_AGG_COUNT, 4, i8, .distinct = true},
		{CONN_AGG_COUNT, -1, i8, .distinct = true, .arg = disc},
	};
	assert_string_equal(agg(c, a, 0, NULL, 5, glob),
	                    "SELECT max((\"p\" * ('1'::numeric - \"q\"))), min((\"i\" * \"k\")), "
	                    "sum((\"i\" * \"k\")), count(DISTINCT \"g\"), "
	                    "count(DISTINCT (\"p\" * ('1'::numeric - \"q\"))) FROM \"s\".\"l\" "
	                    "WHERE (\"k\" >= 3)");
	/* declined, each alone: all or nothing */
	conn_expr *ff = op(CONN_EXPR_MUL, (ftype){TYPE_FLOAT8}, acol(3), acol(3));
	conn_expr *bad = op(CONN_EXPR_MUL, num(24, 2), acol(0), acol(1));
	const conn_aggregate no[] = {
		{CONN_AGG_SUM, 3, (ftype){TYPE_FLOAT8}},              /* float sum: order of additions */
		{CONN_AGG_SUM, -1, (ftype){TYPE_FLOAT8}, .arg = ff},
		{CONN_AGG_AVG, 3, (ftype){TYPE_FLOAT8}},
		{CONN_AGG_AVG, 0, num(38, 16)},                      /* a fixed-scale avg: two roundings */
		{CONN_AGG_SUM, 5, num(38, 6)},                       /* unconstrained: Ferry rounded each value */
		{CONN_AGG_COUNT, 5, i8, .distinct = true},
		{CONN_AGG_COUNT, 6, i8, .distinct = true},           /* json has no equality */
		{CONN_AGG_SUM, -1, num(38, 2), .arg = bad},          /* not the exact scale */
		{CONN_AGG_SUM, -1, num(38, 2), .arg = disc},         /* result scale is not the argument's */
		{CONN_AGG_MIN, 4, acols[4].type},                    /* ordered only in "C" */
		{CONN_AGG_COUNT_STAR, -1, i8, .distinct = true},
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		assert_string_equal(agg(c, a, 0, NULL, 1, &no[i]), "<declined>");
		conn_aggregate two[2] = {{CONN_AGG_COUNT_STAR, -1, i8}, no[i]};
		assert_string_equal(agg(c, a, 1, g, 2, two), "<declined>");
	}
	/* json is no group key */
	int gj[1] = {6};
	assert_string_equal(agg(c, a, 1, gj, 1, q01 + 4), "<declined>");
	npool = nargv = 0;
	arena_destroy(a);
	c->ops->destroy(c);
	props_destroy(p);
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
		cmocka_unit_test(test_arith),
		cmocka_unit_test(test_aggregation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
