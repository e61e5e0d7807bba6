/*
 * fuzz_sql.c — libFuzzer target for the SQL front end: the input is the
 * text of a simple-query message. It is cut into statements (plan_split),
 * each statement goes through the Trino-style pre-parser
 * (preparse_rewrite) against a fake in-memory catalog "fk" with one table
 * tiny.orders. Each statement is also prepared (plan_prepare: libpg_query,
 * analysis, constant folding) the way the session would, unless
 * FUZZ_SQL_PREPARE=0 is in the environment. Nothing is executed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/catalogs.h"
#include "planner/planner.h"
#include "planner/preparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* ---- fake connector: schema "tiny", table "orders" ---- */

static conn_column fake_cols[3];
static conn_table fake_orders = {"tiny", "orders", 3, fake_cols};

static ferr *fake_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	(void)c;
	*names = arena_zalloc(a, sizeof(char *) * 2);
	(*names)[0] = "tiny";
	*n = 1;
	return NULL;
}

static ferr *fake_list_tables(conn_catalog *c, const char *schema, arena *a, int *n, const char ***names)
{
	(void)c;
	*names = arena_zalloc(a, sizeof(char *) * 2);
	*n = 0;
	if (strcmp(schema, "tiny") == 0) (*names)[(*n)++] = "orders";
	return NULL;
}

static ferr *fake_get_table(conn_catalog *c, const char *schema, const char *table, arena *a, conn_table **out)
{
	(void)c, (void)a;
	*out = (strcmp(schema, "tiny") == 0 && strcmp(table, "orders") == 0) ? &fake_orders : NULL;
	return NULL;
}

static void fake_destroy(conn_catalog *c) { free(c); }

static const conn_catalog_ops fake_ops = {
    .list_schemas = fake_list_schemas,
    .list_tables = fake_list_tables,
    .get_table = fake_get_table,
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
static fmt_settings fmt;
static bool with_prepare;
static props *fake_props; /* a global: reachable, so no leak report at exit */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fake_cols[0] = (conn_column){.name = "orderkey", .type = ftype_make(TYPE_INT8)};
	fake_cols[1] = (conn_column){.name = "custkey", .type = ftype_make(TYPE_INT8), .nullable = true};
	fake_cols[2] = (conn_column){.name = "comment", .type = ftype_varchar(79), .nullable = true};
	conn_register(&fake_factory);
	fake_props = props_create(); /* lives as long as the process, like the catalog */
	props_set(fake_props, "connector.name", "fake");
	ferr *e = catalogs_add("fk", fake_props);
	if (e) abort();
	fmt_settings_default(&fmt);
	const char *pp = getenv("FUZZ_SQL_PREPARE");
	with_prepare = !(pp && *pp == '0');
	session = (plan_session){.user = "u", .catalog = "fk", .search_path = "\"$user\", tiny", .fmt = &fmt};
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A Query message carries a NUL-terminated string: text ends at the first NUL. */
	char *sql = malloc(size + 1);
	memcpy(sql, data, size);
	sql[size] = '\0';
	arena *a = arena_create(NULL, "fuzz sql");
	int n = 0;
	stmt_span *spans = NULL;
	ferr *e = plan_split(sql, a, &n, &spans);
	size_t textlen = strlen(sql);
	for (int i = 0; !e && i < n && i < 8; i++) {
		if (spans[i].offset < 0 || spans[i].length < 0 || (size_t)spans[i].offset + (size_t)spans[i].length > textlen)
			abort(); /* a span outside the text is a bug in plan_split */
		char *stmt = malloc((size_t)spans[i].length + 1);
		memcpy(stmt, sql + spans[i].offset, (size_t)spans[i].length);
		stmt[spans[i].length] = '\0';
		const char *rewritten = NULL;
		ferr *pe = NULL;
		(void)preparse_rewrite(&session, stmt, a, &rewritten, &pe);
		ferr_free(pe);
		if (with_prepare) {
			prepared_stmt *ps = NULL;
			ferr_free(plan_prepare(&session, stmt, 0, NULL, &ps));
			plan_free(ps);
		}
		free(stmt);
	}
	ferr_free(e);
	arena_destroy(a);
	free(sql);
	return 0;
}
