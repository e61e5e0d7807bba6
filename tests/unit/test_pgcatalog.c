/*
 * test_pgcatalog.c — the catalog emulation through the SPI over the tpch
 * connector: pg_catalog / information_schema tables and their rows, scans
 * pinned to one relation, the OID registry (stable, in range, collisions
 * probed, resolved back), regclass input and its errors, search_path and
 * current_schemas, pg_stat_activity's and pg_settings' providers, and catalog functions
 * evaluated through the function library (regex errors, the 21000 guard).
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
#include "connectors/pgcatalog/pgcatalog.h"
#include "exec/expr.h"

static arena *A;
static fmt_settings fmt;

/* Rows as text (NULL = SQL NULL), columns in table order. */
typedef struct rows {
	int n, ncols;
	char **v;
} rows;

static const char *cell(const rows *r, int row, int col)
{
	return r->v[row * r->ncols + col];
}

static void rows_free(rows *r)
{
	for (int i = 0; i < r->n * r->ncols; i++) free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof *r);
}

static int col_of(const conn_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0) return i;
	fail_msg("no column %s in %s.%s", name, t->schema, t->table);
	return -1;
}

/* A domain: column = value (text, or a bigint when num). */
static conn_domain *pin(int column, const char *text, int64_t num, bool is_num)
{
	conn_domain *d = arena_zalloc(A, sizeof *d);
	d->ncols = 1;
	d->cols = arena_zalloc(A, sizeof(conn_column_domain));
	d->cols[0].column = column;
	d->cols[0].nranges = 1;
	d->cols[0].ranges = arena_zalloc(A, sizeof(conn_range));
	conn_range *r = d->cols[0].ranges;
	r->low_inclusive = r->high_inclusive = true;
	if (is_num)
		r->low.u.i = num;
	else
		r->low.u.s = (fstring){(uint32_t)strlen(text), text};
	r->high = r->low;
	return d;
}

/* All rows of schema.table of tpch's emulation, after an optional pushed-down domain. */
static ferr *scan(const char *schema, const char *table, conn_domain *d, rows *out,
                  conn_table **tout)
{
	conn_catalog *c = pgcatalog_for("tpch");
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, schema, table, A, &t));
	assert_non_null(t);
	if (d) {
		conn_table *nt = NULL;
		conn_domain *rem = NULL;
		assert_null(c->ops->apply_filter(c, t, d, A, &nt, &rem));
		assert_non_null(rem); /* the engine still evaluates the filter */
		if (nt) t = nt;
	}
	if (tout) *tout = t;
	int cols[64];
	for (int i = 0; i < t->ncols; i++) cols[i] = i;
	int nsplits;
	conn_split **splits;
	assert_null(c->ops->get_splits(c, t, 4, A, &nsplits, &splits));
	conn_page_source *src;
	arena *sa = arena_create(A, "source");
	assert_null(c->ops->open_page_source(c, t, splits[0], t->ncols, cols, sa, &src));
	memset(out, 0, sizeof *out);
	out->ncols = t->ncols;
	int cap = 0;
	ferr *err = NULL;
	strbuf sb = STRBUF_INIT;
	for (;;) {
		batch *b = NULL;
		err = src->ops->next(src, sa, &b);
		if (err || !b) break;
		for (int r = 0; r < b->count; r++) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 64;
				out->v = realloc(out->v, sizeof(char *) * (size_t)(cap * out->ncols));
			}
			for (int j = 0; j < out->ncols; j++) {
				const vector *v = &b->cols[j];
				char **slot = &out->v[out->n * out->ncols + j];
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
	}
	sb_free(&sb);
	src->ops->close(src);
	arena_destroy(sa);
	return err;
}

static void test_tables(void **state)
{
	conn_catalog *c = pgcatalog_for("tpch");
	assert_ptr_equal(c, pgcatalog_for("tpch")); /* one instance per catalog */
	int n;
	const char **names;
	assert_null(c->ops->list_schemas(c, A, &n, &names));
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "pg_catalog");
	assert_string_equal(names[1], "information_schema");
	assert_null(c->ops->list_tables(c, "pg_catalog", A, &n, &names));
	assert_true(n >= 20);
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "pg_catalog", "no_such", A, &t));
	assert_null(t);
	assert_null(c->ops->get_table(c, "information_schema", "pg_class", A, &t));
	assert_null(t);
	assert_true(pgcatalog_is_schema("pg_catalog"));
	assert_false(pgcatalog_is_schema("tiny"));
}

static void test_pg_class_and_namespace(void **state)
{
	rows r;
	conn_table *t;
	assert_null(scan("pg_catalog", "pg_namespace", NULL, &r, &t));
	int nsp = col_of(t, "nspname"), oid = col_of(t, "oid");
	bool tiny = false;
	for (int i = 0; i < r.n; i++) {
		if (strcmp(cell(&r, i, nsp), "pg_catalog") == 0)
			assert_string_equal(cell(&r, i, oid), "11");
		if (strcmp(cell(&r, i, nsp), "tiny") == 0) {
			tiny = true;
			assert_int_equal(atoll(cell(&r, i, oid)),
			                 pgcatalog_oid('n', "tpch", NULL, "tiny"));
		}
	}
	assert_true(tiny);
	rows_free(&r);

	assert_null(scan("pg_catalog", "pg_class", NULL, &r, &t));
	int relname = col_of(t, "relname"), relkind = col_of(t, "relkind"),
	    relnatts = col_of(t, "relnatts"), relns = col_of(t, "relnamespace");
	uint32_t nation = pgcatalog_oid('r', "tpch", "tiny", "nation");
	int found = 0;
	for (int i = 0; i < r.n; i++)
		if ((uint32_t)atoll(cell(&r, i, col_of(t, "oid"))) == nation) {
			found++;
			assert_string_equal(cell(&r, i, relname), "nation");
			assert_string_equal(cell(&r, i, relkind), "r");
			assert_string_equal(cell(&r, i, relnatts), "4");
			assert_int_equal(atoll(cell(&r, i, relns)), pgcatalog_oid('n', "tpch", NULL, "tiny"));
		}
	assert_int_equal(found, 1);
	int all = r.n;
	rows_free(&r);

	/* pinned by OID: that relation alone */
	assert_null(scan("pg_catalog", "pg_class", pin(0, NULL, nation, true), &r, &t));
	assert_int_equal(r.n, 1);
	assert_string_equal(cell(&r, 0, relname), "nation");
	rows_free(&r);
	/* an OID nobody has: nothing, without an error */
	assert_null(scan("pg_catalog", "pg_class", pin(0, NULL, 5, true), &r, &t));
	assert_int_equal(r.n, 0);
	rows_free(&r);
	assert_true(all > 48); /* 6 schemas of 8 tables plus the emulated ones */
}

static void test_attributes_and_columns(void **state)
{
	rows r;
	conn_table *t;
	uint32_t nation = pgcatalog_oid('r', "tpch", "tiny", "nation");
	assert_null(scan("pg_catalog", "pg_attribute", pin(0, NULL, nation, true), &r, &t));
	assert_int_equal(r.n, 4);
	int attname = col_of(t, "attname"), attnum = col_of(t, "attnum"),
	    typid = col_of(t, "atttypid"), typmod = col_of(t, "atttypmod");
	assert_string_equal(cell(&r, 0, attname), "nationkey");
	assert_string_equal(cell(&r, 0, typid), "20");
	assert_string_equal(cell(&r, 1, attnum), "2");
	assert_string_equal(cell(&r, 1, typid), "1043");
	assert_string_equal(cell(&r, 1, typmod), "29"); /* varchar(25) */
	rows_free(&r);

	/* an emulated table's own columns */
	uint32_t pgc = pgcatalog_oid('r', "tpch", "pg_catalog", "pg_class");
	assert_null(scan("pg_catalog", "pg_attribute", pin(0, NULL, pgc, true), &r, &t));
	assert_true(r.n > 20);
	assert_string_equal(cell(&r, 0, attname), "oid");
	rows_free(&r);

	conn_catalog *c = pgcatalog_for("tpch");
	assert_null(c->ops->get_table(c, "information_schema", "columns", A, &t));
	conn_domain *d = pin(col_of(t, "table_name"), "orders", 0, false);
	assert_null(scan("information_schema", "columns", d, &r, &t));
	assert_int_equal(r.n, 9 * 6); /* orders in each of the six schemas */
	int cname = col_of(t, "column_name"), dtype = col_of(t, "data_type"),
	    prec = col_of(t, "numeric_precision"), scale = col_of(t, "numeric_scale"),
	    udt = col_of(t, "udt_name");
	bool price = false;
	for (int i = 0; i < r.n; i++)
		if (strcmp(cell(&r, i, cname), "totalprice") == 0) {
			price = true;
			assert_string_equal(cell(&r, i, dtype), "numeric");
			assert_string_equal(cell(&r, i, prec), "12");
			assert_string_equal(cell(&r, i, scale), "2");
			assert_string_equal(cell(&r, i, udt), "numeric");
		}
	assert_true(price);
	rows_free(&r);
}

static void test_fixed_tables(void **state)
{
	rows r;
	conn_table *t;
	assert_null(scan("pg_catalog", "pg_type", NULL, &r, &t));
	int name = col_of(t, "typname"), arr = col_of(t, "typarray"), elem = col_of(t, "typelem");
	bool int4 = false, aint4 = false;
	for (int i = 0; i < r.n; i++) {
		if (strcmp(cell(&r, i, name), "int4") == 0) {
			int4 = true;
			assert_string_equal(cell(&r, i, arr), "1007");
		}
		if (strcmp(cell(&r, i, name), "_int4") == 0) {
			aint4 = true;
			assert_string_equal(cell(&r, i, elem), "23");
		}
	}
	assert_true(int4 && aint4);
	rows_free(&r);
	assert_null(scan("pg_catalog", "pg_database", NULL, &r, &t));
	assert_int_equal(r.n, 2); /* system and tpch */
	rows_free(&r);
	assert_null(scan("pg_catalog", "pg_constraint", NULL, &r, &t));
	assert_int_equal(r.n, 0);
	rows_free(&r);
	assert_int_equal(pgcatalog_type_oid("integer"), 23);
	assert_int_equal(pgcatalog_type_oid("regclass"), 2205);
	assert_int_equal(pgcatalog_type_oid("nope"), 0);
	assert_int_equal(pgcatalog_array_elem(1015), 1043);
	assert_int_equal(pgcatalog_array_elem(23), 0);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static void test_oids(void **state)
{
	uint32_t a = pgcatalog_oid('r', "cat", "s", "t");
	assert_int_equal(a, pgcatalog_oid('r', "cat", "s", "t"));
	assert_int_equal(a, pgcatalog_oid('v', "cat", "s", "t")); /* one relation name space */
	assert_true(a >= PGC_OID_FIRST && a <= PGC_OID_LAST);
	assert_int_not_equal(a, pgcatalog_oid('r', "cat", "s", "u"));
	assert_int_not_equal(a, pgcatalog_oid('r', "cat2", "s", "t"));
	assert_int_equal(pgcatalog_oid('n', "cat", NULL, "public"), PGC_OID_PUBLIC);
	pgcat_object o;
	assert_true(pgcatalog_lookup_oid(a, A, &o));
	assert_int_equal(o.kind, 'v');
	assert_string_equal(o.catalog, "cat");
	assert_string_equal(o.schema, "s");
	assert_string_equal(o.name, "t");
	assert_true(pgcatalog_lookup_oid(PGC_OID_PG_CATALOG, A, &o));
	assert_string_equal(o.name, "pg_catalog");
	assert_false(pgcatalog_lookup_oid(7, A, &o));
	/* c.s.x139599 and c.s.x322382 hash to the same OID (865142210; found by searching
	 * FNV-1a over the registry's key form): the second is probed to the next free one. */
	uint32_t first = pgcatalog_oid('r', "c", "s", "x139599");
	uint32_t second = pgcatalog_oid('r', "c", "s", "x322382");
	assert_int_equal(first, 865142210u);
	assert_int_equal(second, 865142211u);
	assert_true(pgcatalog_lookup_oid(second, A, &o));
	assert_string_equal(o.name, "x322382");
	assert_int_equal(pgcatalog_oid('r', "c", "s", "x322382"), second); /* stable */
	/* many names: every one gets its own OID and resolves back to its own name */
	enum { N = 150000 };
	uint32_t *oids = malloc(sizeof(uint32_t) * N);
	for (int i = 0; i < N; i++) {
		char name[32];
		snprintf(name, sizeof name, "t%d", i);
		oids[i] = pgcatalog_oid('r', "many", "s", name);
	}
	for (int i = 0; i < N; i += 997) {
		char name[32];
		snprintf(name, sizeof name, "t%d", i);
		assert_int_equal(oids[i], pgcatalog_oid('r', "many", "s", name));
		assert_true(pgcatalog_lookup_oid(oids[i], A, &o));
		assert_string_equal(o.name, name);
	}
	qsort(oids, N, sizeof(uint32_t), cmp_u32);
	for (int i = 1; i < N; i++) assert_int_not_equal(oids[i - 1], oids[i]);
	free(oids);
}

static void test_regclass(void **state)
{
	uint32_t oid;
	assert_null(pgcatalog_regclass("tpch", "tiny", "admin", "nation", &oid));
	assert_int_equal(oid, pgcatalog_oid('r', "tpch", "tiny", "nation"));
	assert_null(pgcatalog_regclass("tpch", NULL, "admin", "\"sf1\".Nation", &oid));
	assert_int_equal(oid, pgcatalog_oid('r', "tpch", "sf1", "nation"));
	assert_null(pgcatalog_regclass("tpch", NULL, NULL, "pg_class", &oid));
	assert_int_equal(oid, pgcatalog_oid('r', "tpch", "pg_catalog", "pg_class"));
	assert_null(pgcatalog_regclass("tpch", NULL, NULL, "tpch.tiny.region", &oid));
	static const struct {
		const char *text, *sqlstate;
	} bad[] = {{"nation", "42P01"}, /* default search_path: no such schema in tpch */
	           {"tiny.nope", "42P01"},
	           {"a.b.c.d", "42601"},
	           {"", "42602"},
	           {"\"open", "42602"},
	           {"other.tiny.nation", "0A000"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ferr *e = pgcatalog_regclass("tpch", NULL, "admin", bad[i].text, &oid);
		assert_non_null(e);
		assert_string_equal(e->sqlstate, bad[i].sqlstate);
		ferr_free(e);
	}
}

/* A memory catalog "mem" with s.t (primary key a) and the view s.v. */
static void make_mem(void)
{
	props *p = props_create();
	props_set(p, "connector.name", "memory");
	assert_null(catalogs_add("mem", p));
	props_destroy(p);
	conn_catalog *c = catalogs_acquire("mem");
	assert_non_null(c);
	assert_null(c->ops->create_schema(c, "s", 0, NULL, NULL));
	conn_column cols[2] = {{"a", ftype_make(TYPE_INT4), false, NULL, false},
	                       {"b", ftype_varchar(10), true, NULL, false}};
	int pk[1] = {0};
	conn_table_def def = {"s", "t", 2, cols, 0, NULL, NULL, NULL, 1, pk};
	assert_null(c->ops->create_table(c, &def));
	conn_view v = {"SELECT a FROM s.t", "mem", "s", 1, cols};
	assert_null(c->ops->create_view(c, "s", "v", &v, false));
	catalogs_release(c);
}

/* 'x_pkey'::regclass: a primary key's index by name, through search_path; and back */
static void test_regclass_index(void **state)
{
	make_mem();
	uint32_t oid, idx = pgcatalog_oid('i', "mem", "s", "t_pkey");
	assert_null(pgcatalog_regclass("mem", "s", "admin", "t_pkey", &oid));
	assert_int_equal(oid, idx);
	assert_null(pgcatalog_regclass("mem", NULL, "admin", "s.t_pkey", &oid));
	assert_int_equal(oid, idx);
	pgcat_object o;
	assert_true(pgcatalog_lookup_oid(oid, A, &o));
	assert_int_equal(o.kind, 'i');
	assert_null(pgcatalog_regclass("mem", "s", "admin", "v", &oid));
	assert_true(pgcatalog_lookup_oid(oid, A, &o));
	assert_int_equal(o.kind, 'v');
	/* a view has no key, a missing table none either, and the path must lead there */
	const char *bad[] = {"v_pkey", "nope_pkey", "_pkey", "s.t_pkey_pkey"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ferr *e = pgcatalog_regclass("mem", "s", "admin", bad[i], &oid);
		assert_non_null(e);
		assert_string_equal(e->sqlstate, "42P01");
		ferr_free(e);
	}
	ferr *e = pgcatalog_regclass("mem", "public", "admin", "t_pkey", &oid);
	assert_non_null(e);
	ferr_free(e);
	pgcatalog_init(); /* the reg* output hooks */
	fmt_settings fs = fmt;
	fs.reg_catalog = "mem";
	fs.reg_search_path = "s";
	strbuf sb = STRBUF_INIT;
	int64_t v = idx;
	value_out_text(ftype_reg(FTYPE_REG_CLASS), &v, &fs, &sb);
	assert_string_equal(sb.data, "t_pkey");
	sb_reset(&sb);
	fs.reg_search_path = "public";
	value_out_text(ftype_reg(FTYPE_REG_CLASS), &v, &fs, &sb);
	assert_string_equal(sb.data, "s.t_pkey");
	sb_free(&sb);
}

/* information_schema's columns have the types PostgreSQL sends for its domains */
static void test_information_schema_types(void **state)
{
	conn_catalog *c = pgcatalog_for("tpch");
	conn_table *t = NULL;
	assert_null(c->ops->get_table(c, "information_schema", "columns", A, &t));
	assert_int_equal(t->ncols, 44);
	ftype name = t->cols[col_of(t, "table_name")].type, yn = t->cols[col_of(t, "is_nullable")].type;
	assert_true(ftype_is_name(name));
	assert_int_equal(ftype_oid(name), OID_NAME);
	assert_int_equal(ftype_oid(yn), OID_VARCHAR);
	assert_int_equal(ftype_typmod(yn), 7); /* varchar(3) */
	assert_int_equal(ftype_oid(t->cols[col_of(t, "ordinal_position")].type), OID_INT4);
	strbuf sb = STRBUF_INIT;
	ftype_format(name, &sb);
	assert_string_equal(sb.data, "name");
	sb_free(&sb);
	assert_null(c->ops->get_table(c, "information_schema", "routines", A, &t));
	assert_int_equal(t->ncols, 82);
	assert_string_equal(t->cols[81].name, "result_cast_dtd_identifier");
}

/* text in and out of a reg* value with the session's catalog and search_path */
static const char *reg_roundtrip(int kind, const fmt_settings *fs, const char *in, ferr **err)
{
	int64_t oid = -1;
	*err = value_in_text_fs(ftype_reg(kind), in, strlen(in), A, &oid, fs);
	if (*err) return NULL;
	strbuf sb = STRBUF_INIT;
	value_out_text(ftype_reg(kind), &oid, fs, &sb);
	const char *r = arena_strndup(A, sb.data ? sb.data : "", sb.len);
	sb_free(&sb);
	return r;
}

static void test_reg_types(void **state)
{
	pgcatalog_init();
	fmt_settings fs = fmt;
	fs.reg_catalog = "tpch";
	fs.reg_search_path = "tiny";
	fs.reg_user = "admin";
	ferr *e;
	/* visible through search_path: bare; otherwise schema-qualified */
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "nation", &e), "nation");
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "sf1.nation", &e), "sf1.nation");
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "pg_catalog.pg_class", &e), "pg_class");
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "12345", &e), "12345");
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "-", &e), "-");
	fs.reg_search_path = "sf1, tiny";
	assert_string_equal(reg_roundtrip(FTYPE_REG_CLASS, &fs, "tiny.nation", &e), "tiny.nation");
	assert_string_equal(reg_roundtrip(FTYPE_REG_TYPE, &fs, "int4", &e), "integer");
	assert_string_equal(reg_roundtrip(FTYPE_REG_TYPE, &fs, "VARCHAR(10)", &e), "character varying");
	assert_string_equal(reg_roundtrip(FTYPE_REG_TYPE, &fs, "pg_catalog.int8[]", &e), "bigint[]");
	assert_string_equal(reg_roundtrip(FTYPE_REG_TYPE, &fs, "\"char\"", &e), "\"char\"");
	assert_string_equal(reg_roundtrip(FTYPE_REG_NAMESPACE, &fs, "tiny", &e), "tiny");
	assert_string_equal(reg_roundtrip(FTYPE_REG_ROLE, &fs, "ferry", &e), "ferry");
	assert_null(reg_roundtrip(FTYPE_REG_PROCEDURE, &fs, "version", &e));
	assert_string_equal(e->sqlstate, "22P02");
	ferr_free(e);
	assert_string_equal(reg_roundtrip(FTYPE_REG_PROC, &fs, "version", &e), "version");
	assert_string_equal(reg_roundtrip(FTYPE_REG_OID, &fs, "-1", &e), "4294967295");
	static const struct {
		int kind;
		const char *text, *sqlstate;
	} bad[] = {{FTYPE_REG_CLASS, "nope", "42P01"},        {FTYPE_REG_TYPE, "nope", "42704"},
	           {FTYPE_REG_TYPE, "integer junk", "42704"}, {FTYPE_REG_NAMESPACE, "nope", "3F000"},
	           {FTYPE_REG_PROC, "nope", "42883"},         {FTYPE_REG_ROLE, "nope", "42704"},
	           {FTYPE_REG_OID, "4294967296", "22003"},    {FTYPE_REG_OID, "abc", "22P02"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(reg_roundtrip(bad[i].kind, &fs, bad[i].text, &e));
		assert_non_null(e);
		assert_string_equal(e->sqlstate, bad[i].sqlstate);
		ferr_free(e);
	}
	/* the types themselves: PostgreSQL's OIDs and names, distinct from bigint */
	assert_int_equal(ftype_oid(ftype_reg(FTYPE_REG_CLASS)), 2205);
	assert_int_equal(ftype_oid(ftype_reg(FTYPE_REG_OID)), 26);
	assert_false(ftype_equal(ftype_reg(FTYPE_REG_OID), ftype_make(TYPE_INT8)));
	ftype t;
	assert_true(ftype_from_oid(4096, -1, &t));
	assert_int_equal(ftype_reg_kind(t), FTYPE_REG_ROLE);
	assert_true(ftype_from_name("regnamespace", &t));
	assert_int_equal(ftype_oid(t), 4089);
	int64_t v = 4000000000LL;
	strbuf sb = STRBUF_INIT;
	value_out_binary(ftype_reg(FTYPE_REG_OID), &v, &sb);
	assert_int_equal(sb.len, 4); /* oid is 4 bytes on the wire */
	int64_t back = 0;
	assert_null(value_in_binary(ftype_reg(FTYPE_REG_OID), sb.data, sb.len, A, &back));
	assert_int_equal(back, v);
	sb_free(&sb);
}

/* index of value v in column col of r, -1 if none */
static int row_with(const rows *r, int col, const char *v)
{
	for (int i = 0; i < r->n; i++)
		if (cell(r, i, col) && strcmp(cell(r, i, col), v) == 0) return i;
	return -1;
}

/*
 * pg_type's regproc columns name PostgreSQL's type I/O functions, and pg_proc
 * lists each of them with PostgreSQL's OID and types that pg_type lists
 * (pgjdbc's getTypeInfo: typinput = 'pg_catalog.array_in'::regproc).
 */
static void test_type_io(void **state)
{
	pgcatalog_init();
	rows ty, pr;
	conn_table *tt, *pt;
	assert_null(scan("pg_catalog", "pg_type", NULL, &ty, &tt));
	assert_null(scan("pg_catalog", "pg_proc", NULL, &pr, &pt));
	assert_int_equal(ftype_oid(tt->cols[col_of(tt, "typinput")].type), 24); /* regproc */
	int tname = col_of(tt, "typname"), toid = col_of(tt, "oid");
	int pname = col_of(pt, "proname"), poid = col_of(pt, "oid");
	int pret = col_of(pt, "prorettype"), pargs = col_of(pt, "proargtypes");
	const char *io[] = {"typinput", "typoutput", "typreceive", "typsend",
	                    "typmodin", "typmodout", "typanalyze", "typsubscript"};
	for (int i = 0; i < ty.n; i++) {
		for (size_t k = 0; k < sizeof io / sizeof io[0]; k++) {
			const char *f = cell(&ty, i, col_of(tt, io[k]));
			assert_non_null(f);
			if (strcmp(f, "-") == 0) {
				/* every type has input and output; only internal has no binary I/O
				 */
				assert_true(k >= 4 || (k >= 2 && strcmp(cell(&ty, i, tname),
				                                        "internal") == 0));
				continue;
			}
			if (row_with(&pr, pname, f) < 0)
				fail_msg("%s of %s: no %s in pg_proc", io[k], cell(&ty, i, tname),
				         f);
		}
	}
	const struct {
		const char *type, *col, *func;
	} want[] = {{"int4", "typinput", "int4in"},
	            {"_int4", "typinput", "array_in"},
	            {"date", "typoutput", "date_out"},
	            {"_varchar", "typmodin", "varchartypmodin"},
	            {"_text", "typanalyze", "array_typanalyze"},
	            {"name", "typsubscript", "raw_array_subscript_handler"},
	            {"numeric", "typmodout", "numerictypmodout"},
	            {"jsonb", "typsend", "jsonb_send"}};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		int i = row_with(&ty, tname, want[k].type);
		assert_true(i >= 0);
		assert_string_equal(cell(&ty, i, col_of(tt, want[k].col)), want[k].func);
	}
	/* what the length alone does not tell: PostgreSQL's alignment, storage, collation */
	const struct {
		const char *type, *col, *value;
	} more[] = {{"bool", "typalign", "c"},        {"int2", "typalign", "s"},
	            {"_int8", "typalign", "d"},       {"numeric", "typstorage", "m"},
	            {"name", "typelem", "18"},        {"name", "typcollation", "950"},
	            {"_text", "typcollation", "100"}, {"_cstring", "typtype", "b"},
	            {"cstring", "typtype", "p"}};
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
		int i = row_with(&ty, tname, more[k].type);
		assert_true(i >= 0);
		assert_string_equal(cell(&ty, i, col_of(tt, more[k].col)), more[k].value);
	}
	/* PostgreSQL's OIDs and types: array_in(cstring, oid, integer) returns anyarray */
	int ai = row_with(&pr, pname, "array_in");
	assert_true(ai >= 0);
	assert_string_equal(cell(&pr, ai, poid), "750");
	assert_string_equal(cell(&pr, ai, pret), "2277");
	assert_string_equal(cell(&pr, ai, pargs), "{2275,26,23}");
	assert_string_equal(cell(&pr, row_with(&pr, pname, "textout"), poid), "47");
	/* every result and argument type is a pg_type row; OIDs are unique */
	for (int i = 0; i < pr.n; i++) {
		if (row_with(&ty, toid, cell(&pr, i, pret)) < 0)
			fail_msg("%s returns %s", cell(&pr, i, pname), cell(&pr, i, pret));
		char buf[128];
		snprintf(buf, sizeof buf, "%s", cell(&pr, i, pargs) + 1);
		for (char *tok = strtok(buf, ",}"); tok; tok = strtok(NULL, ",}"))
			if (row_with(&ty, toid, tok) < 0)
				fail_msg("%s takes %s", cell(&pr, i, pname), tok);
		assert_int_equal(row_with(&pr, poid, cell(&pr, i, poid)), i);
	}
	rows_free(&ty);
	rows_free(&pr);
	ferr *e;
	assert_string_equal(reg_roundtrip(FTYPE_REG_PROC, &fmt, "pg_catalog.array_in", &e),
	                    "array_in");
	assert_string_equal(
	    reg_roundtrip(FTYPE_REG_PROCEDURE, &fmt, "array_in(cstring, oid, integer)", &e),
	    "array_in(cstring,oid,integer)");
	assert_null(reg_roundtrip(FTYPE_REG_PROCEDURE, &fmt, "array_in(text)", &e));
	assert_string_equal(e->sqlstate, "42883");
	ferr_free(e);
	assert_string_equal(reg_roundtrip(FTYPE_REG_TYPE, &fmt, "cstring", &e), "cstring");
	/* pseudo-types name no column type and no cast */
	assert_int_equal(pgcatalog_type_oid("cstring"), 0);
}

static void test_search_path(void **state)
{
	const char **v;
	int n = pgcatalog_search_path("\"$user\", public ,  \"Tiny\"", "admin", A, &v);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "admin");
	assert_string_equal(v[1], "public");
	assert_string_equal(v[2], "Tiny");
	assert_null(pgcatalog_current_schemas("tpch", "nope, tiny, sf1", "admin", true, A, &n, &v));
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "pg_catalog");
	assert_string_equal(v[1], "tiny");
	assert_string_equal(v[2], "sf1");
	const char *s;
	assert_null(pgcatalog_current_schema("tpch", "nope", "admin", A, &s));
	assert_null(s);
	assert_false(pgcatalog_has_relation("tpch", "tiny", "no_such_table"));
	assert_true(pgcatalog_has_relation("tpch", "pg_catalog", "pg_type"));
}

static ferr *two_sessions(arena *a, system_rows *out)
{
	out->ncols = 8;
	out->nrows = 2;
	out->values = arena_zalloc(a, sizeof(char *) * 16);
	const char *r0[8] = {"tpch", "7", "admin", "psql", "active", "SELECT 1",
	                     "2024-01-02 03:04:05+00", NULL};
	const char *r1[8] = {"system", "8", "bob", "", "idle", "", "2024-01-02 03:04:05+00", NULL};
	memcpy(out->values, r0, sizeof r0);
	memcpy(out->values + 8, r1, sizeof r1);
	return NULL;
}

static ferr *wrong_shape(arena *a, system_rows *out)
{
	out->ncols = 3;
	out->nrows = 0;
	return NULL;
}

static void test_activity(void **state)
{
	rows r;
	conn_table *t;
	pgcatalog_set_activity_provider(NULL);
	assert_null(scan("pg_catalog", "pg_stat_activity", NULL, &r, &t));
	assert_int_equal(r.n, 0);
	rows_free(&r);
	pgcatalog_set_activity_provider(two_sessions);
	assert_null(scan("pg_catalog", "pg_stat_activity", NULL, &r, &t));
	assert_int_equal(r.n, 2);
	assert_string_equal(cell(&r, 0, col_of(t, "pid")), "7");
	assert_string_equal(cell(&r, 1, col_of(t, "usename")), "bob");
	assert_null(cell(&r, 0, col_of(t, "query_start")));
	rows_free(&r);
	pgcatalog_set_activity_provider(wrong_shape);
	ferr *e = scan("pg_catalog", "pg_stat_activity", NULL, &r, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "XX000");
	ferr_free(e);
	rows_free(&r);
	pgcatalog_set_activity_provider(NULL);
}

/* Settings of session 42 only: name, setting, boot_val, reset_val, short_desc. */
static ferr *session_42(int32_t session, arena *a, system_rows *out)
{
	static const char *const v[] = {
	    "statement_timeout", "5s", "0", "0", "timeout",
	    "search_path", "tiny", "\"$user\", public", "\"$user\", public", "path",
	    "application_name", "psql", "", "psql", "app",
	    "is_superuser", "off", "off", "off", "hidden",
	    "join_distribution_type", "AUTOMATIC", "AUTOMATIC", "AUTOMATIC", "Ferry session property",
	};
	out->ncols = 5;
	out->nrows = session == 42 ? 5 : 0;
	out->values = arena_alloc(a, sizeof v);
	memcpy(out->values, v, sizeof v);
	return NULL;
}

static const char *setting_of(const rows *r, const conn_table *t, const char *name, const char *col)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(cell(r, i, col_of(t, "name")), name) == 0) return cell(r, i, col_of(t, col));
	return "(no row)";
}

static void test_settings(void **state)
{
	rows r;
	conn_table *t;
	pgcatalog_set_settings_provider(session_42);
	pgcatalog_set_thread_session(42);
	assert_null(scan("pg_catalog", "pg_settings", NULL, &r, &t));
	assert_int_equal(r.n, 4 + 2); /* is_superuser hidden; max_index_keys, block_size */
	assert_string_equal(setting_of(&r, t, "statement_timeout", "setting"), "5000");
	assert_string_equal(setting_of(&r, t, "statement_timeout", "unit"), "ms");
	assert_string_equal(setting_of(&r, t, "statement_timeout", "source"), "session");
	assert_string_equal(setting_of(&r, t, "statement_timeout", "max_val"), "2147483647");
	assert_string_equal(setting_of(&r, t, "search_path", "source"), "session");
	assert_string_equal(setting_of(&r, t, "application_name", "source"), "client");
	assert_string_equal(setting_of(&r, t, "application_name", "category"),
	                    "Reporting and Logging / What to Log");
	assert_string_equal(setting_of(&r, t, "join_distribution_type", "category"),
	                    "Ferry Session Properties");
	assert_string_equal(setting_of(&r, t, "max_index_keys", "setting"), "32");
	assert_string_equal(setting_of(&r, t, "is_superuser", "setting"), "(no row)");
	rows_free(&r);
	/* another session's scan sees only the presets */
	pgcatalog_set_thread_session(7);
	assert_null(scan("pg_catalog", "pg_settings", NULL, &r, &t));
	assert_int_equal(r.n, 2);
	rows_free(&r);
	pgcatalog_set_thread_session(0);

	const char *v = NULL;
	assert_null(pgcatalog_setting(42, "SEARCH_PATH", false, A, &v));
	assert_string_equal(v, "tiny");
	assert_null(pgcatalog_setting(42, "is_superuser", false, A, &v));
	assert_string_equal(v, "off");
	assert_null(pgcatalog_setting(42, "no_such", true, A, &v));
	assert_null(v);
	ferr *e = pgcatalog_setting(42, "no_such", false, A, &v);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "42704");
	ferr_free(e);
	pgcatalog_set_settings_provider(NULL);
}

/* name(args) through the function library, evaluated as a constant. */
static ferr *call(const char *name, int nargs, expr **args, fvalue *out, ftype *type)
{
	ftype types[8];
	for (int i = 0; i < nargs; i++) types[i] = args[i]->type;
	func_match m;
	TRY(func_lookup(name, nargs, types, &m));
	expr *e = arena_zalloc(A, sizeof *e);
	e->kind = EXPR_FUNC;
	e->type = m.result;
	e->func = m.func;
	e->nargs = nargs;
	e->args = args;
	*type = m.result;
	expr_ctx ctx = {.fmt = &fmt};
	return expr_eval_const(e, &ctx, A, out);
}

static expr *text_const(const char *s)
{
	expr *e = arena_zalloc(A, sizeof *e);
	e->kind = EXPR_CONST;
	e->type = ftype_make(TYPE_TEXT);
	e->value.u.s = (fstring){(uint32_t)strlen(s), s};
	return e;
}

static void test_functions(void **state)
{
	fvalue v;
	ftype t;
	expr *args[2] = {text_const("pg_toast"), text_const("^pg_")};
	assert_null(call("~", 2, args, &v, &t));
	assert_true(v.u.b);
	assert_null(call("!~", 2, args, &v, &t));
	assert_false(v.u.b);
	args[1] = text_const("(");
	ferr *e = call("~", 2, args, &v, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "2201B");
	assert_string_equal(e->message, "invalid regular expression: parentheses () not balanced");
	ferr_free(e);
	expr *one[1] = {text_const("x")};
	e = call("ferry_more_than_one_row", 1, one, &v, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "21000");
	ferr_free(e);
	expr *q[1] = {text_const("Mixed Case")};
	assert_null(call("quote_ident", 1, q, &v, &t));
	assert_int_equal(v.u.s.len, 12);
	assert_memory_equal(v.u.s.ptr, "\"Mixed Case\"", 12);
	expr *arr[2] = {text_const("{a,\"b,c\",NULL,d}"), text_const("|")};
	assert_null(call("array_to_string", 2, arr, &v, &t));
	assert_int_equal(v.u.s.len, 7);
	assert_memory_equal(v.u.s.ptr, "a|b,c|d", 7);
	arr[0] = text_const("not an array");
	e = call("array_to_string", 2, arr, &v, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "22P02");
	ferr_free(e);
	expr *priv[2] = {text_const("tiny"), text_const("USAGE, CREATE WITH GRANT OPTION")};
	assert_null(call("has_schema_privilege", 2, priv, &v, &t));
	assert_true(v.u.b);
	priv[1] = text_const("USAGE WITH");
	e = call("has_schema_privilege", 2, priv, &v, &t);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "22023");
	ferr_free(e);
	/* DBeaver's table queries: rules, partition keys and access statistics Ferry has none of */
	expr *oid = arena_zalloc(A, sizeof *oid);
	oid->kind = EXPR_CONST;
	oid->type = ftype_make(TYPE_INT8);
	oid->value.u.i = 16384;
	const struct {
		const char *name;
		type_id result;
	} none[] = {{"pg_get_ruledef", TYPE_TEXT},
	            {"pg_get_partkeydef", TYPE_TEXT},
	            {"pg_stat_get_numscans", TYPE_INT8}};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		assert_null(call(none[i].name, 1, &oid, &v, &t));
		assert_true(v.isnull);
		assert_int_equal(t.id, none[i].result);
	}
	/* pg_depend and pg_policies: PostgreSQL's columns, no rows */
	rows r;
	conn_table *tab;
	assert_null(scan("pg_catalog", "pg_depend", NULL, &r, &tab));
	assert_int_equal(r.n, 0);
	assert_int_equal(tab->ncols, 7);
	assert_int_equal(col_of(tab, "refobjsubid"), 5);
	assert_null(scan("pg_catalog", "pg_policies", NULL, &r, &tab));
	assert_int_equal(r.n, 0);
	assert_int_equal(col_of(tab, "with_check"), 7);
}

static int setup(void **state)
{
	log_set_level(LOG_ERROR);
	A = arena_create(NULL, "test_pgcatalog");
	fmt_settings_default(&fmt);
	conn_register_builtin();
	ferr *e = catalogs_load_dir("/nonexistent/ferry-test"); /* adds system */
	if (e) return -1;
	props *p = props_create();
	props_set(p, "connector.name", "tpch");
	e = catalogs_add("tpch", p);
	props_destroy(p);
	return e ? -1 : 0;
}

static int teardown(void **state)
{
	pgcatalog_shutdown();
	catalogs_shutdown();
	arena_destroy(A);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_pg_class_and_namespace),
	    cmocka_unit_test(test_attributes_and_columns),
	    cmocka_unit_test(test_fixed_tables),
	    cmocka_unit_test(test_oids),
	    cmocka_unit_test(test_regclass),
	    cmocka_unit_test(test_regclass_index),
	    cmocka_unit_test(test_information_schema_types),
	    cmocka_unit_test(test_reg_types),
	    cmocka_unit_test(test_type_io),
	    cmocka_unit_test(test_search_path),
	    cmocka_unit_test(test_activity),
	    cmocka_unit_test(test_settings),
	    cmocka_unit_test(test_functions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
