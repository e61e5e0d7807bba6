/*
 * postgres.c — the "postgresql" connector: a catalog per remote database.
 * Metadata comes from pg_catalog (parameterised queries, never spliced
 * names), statistics from pg_class/pg_stats, splits are ctid page ranges,
 * and filters/limits are pushed only when PostgreSQL gives exactly Ferry's
 * answer. Page sources live in pg_source.c, SQL text in pg_sql.c.
 */
#include "connectors/postgres/postgres.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/postgres/pg_internal.h"
#include "exec/array.h"

#define PGC_DEFAULT_POOL_SIZE 10
#define PGC_POOL_WAIT_MS 60000
#define PGC_DEFAULT_SPLIT_MIN_PAGES 128
#define PGC_DEFAULT_CACHE_TTL_MS 0 /* Trino's default: off unless configured */
/* a filter pinning the primary key to at most this many values is one split */
#define PGC_LOOKUP_MAX_ROWS 10000

static const char *const pgc_relkinds = "('r','v','m','f','p')";

/* ---- metadata ---- */

static ferr *pgc_list_schemas(conn_catalog *cat, arena *a, int *n, const char ***names)
{
	PGresult *r;
	TRY(pgc_query_cached((pgc_catalog *)cat,
	              "SELECT nspname FROM pg_catalog.pg_namespace "
	              "WHERE nspname NOT IN ('pg_catalog', 'information_schema') "
	              "AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%' "
	              "ORDER BY 1",
	              0, NULL, false, &r));
	int rows = PQntuples(r);
	const char **v = arena_alloc(a, sizeof *v * (size_t)(rows ? rows : 1));
	for (int i = 0; i < rows; i++) v[i] = arena_strdup(a, PQgetvalue(r, i, 0));
	PQclear(r);
	*n = rows;
	*names = v;
	return NULL;
}

static ferr *pgc_list_tables(conn_catalog *cat, const char *schema, arena *a, int *n,
                             const char ***names)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	const char *params[1] = {schema};
	PGresult *r;
	char sql[512];
	/* the first row says whether the schema exists at all */
	snprintf(sql, sizeof sql,
	         "SELECT NULL::name, 0 WHERE EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1) "
	         "UNION ALL SELECT c.relname, 1 FROM pg_catalog.pg_class c "
	         "JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace "
	         "WHERE s.nspname = $1 AND c.relkind IN %s ORDER BY 2, 1",
	         pgc_relkinds);
	TRY(pgc_query(c, sql, 1, params, &r));
	int rows = PQntuples(r);
	if (rows == 0) {
		PQclear(r);
		return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "catalog '%s': schema \"%s\" does not exist",
		                cat->name, schema);
	}
	const char **v = arena_alloc(a, sizeof *v * (size_t)rows);
	for (int i = 1; i < rows; i++) v[i - 1] = arena_strdup(a, PQgetvalue(r, i, 0));
	PQclear(r);
	*n = rows - 1;
	*names = v;
	return NULL;
}

/*
 * Ferry type, decoder and pushdown rule for a PostgreSQL type; false if
 * Ferry has no faithful equivalent. collation: "C" (byte order), "other"
 * (deterministic: equality is byte equality), "nondeterministic" or "".
 */
bool pgc_map_type(uint32_t oid, int32_t typmod, const char *collation, ftype *t, pgc_decode *dec,
                  pgc_push *push)
{
	pgc_push text_push = strcmp(collation, "C") == 0       ? PGC_PUSH_RANGE
	                     : strcmp(collation, "other") == 0 ? PGC_PUSH_EQ
	                                                       : PGC_PUSH_NONE;
	*push = PGC_PUSH_RANGE;
	switch (oid) {
	case OID_BOOL: *t = ftype_make(TYPE_BOOL), *dec = PGC_DEC_BOOL; return true;
	case OID_INT2: *t = ftype_make(TYPE_INT2), *dec = PGC_DEC_INT2; return true;
	case OID_INT4: *t = ftype_make(TYPE_INT4), *dec = PGC_DEC_INT4; return true;
	case OID_INT8: *t = ftype_make(TYPE_INT8), *dec = PGC_DEC_INT8; return true;
	case OID_FLOAT4: *t = ftype_make(TYPE_FLOAT4), *dec = PGC_DEC_FLOAT4; return true;
	case OID_FLOAT8: *t = ftype_make(TYPE_FLOAT8), *dec = PGC_DEC_FLOAT8; return true;
	case OID_DATE: *t = ftype_make(TYPE_DATE), *dec = PGC_DEC_INT4; return true;
	case OID_TIME: *t = ftype_make(TYPE_TIME), *dec = PGC_DEC_INT8; return true;
	case OID_TIMETZ: *t = ftype_make(TYPE_TIMETZ), *dec = PGC_DEC_OTHER; return true;
	case OID_TIMESTAMP: *t = ftype_make(TYPE_TIMESTAMP), *dec = PGC_DEC_INT8; return true;
	case OID_TIMESTAMPTZ: *t = ftype_make(TYPE_TIMESTAMPTZ), *dec = PGC_DEC_INT8; return true;
	case OID_INTERVAL: *t = ftype_make(TYPE_INTERVAL), *dec = PGC_DEC_OTHER; return true;
	case OID_UUID: *t = ftype_make(TYPE_UUID), *dec = PGC_DEC_OTHER; return true;
	case OID_NUMERIC:
		if (!ftype_from_oid(oid, typmod, t)) return false;
		/* numeric(50,2) or a negative scale (PostgreSQL 15) does not fit */
		if (t->precision > 38 || t->scale < 0 || (t->precision > 0 && t->scale > t->precision)) return false;
		*dec = PGC_DEC_OTHER;
		return true;
	case OID_TEXT: *t = ftype_make(TYPE_TEXT), *dec = PGC_DEC_STRING, *push = text_push; return true;
	case OID_VARCHAR:
		*t = ftype_varchar(typmod >= 4 ? typmod - 4 : -1), *dec = PGC_DEC_STRING, *push = text_push;
		return true;
	case OID_BPCHAR:
		if (!ftype_from_oid(oid, typmod, t)) return false;
		*dec = PGC_DEC_STRING, *push = text_push;
		return true;
	case OID_NAME: *t = ftype_name(), *dec = PGC_DEC_STRING, *push = PGC_PUSH_NONE; return true;
	case OID_JSON: *t = ftype_make(TYPE_JSON), *dec = PGC_DEC_STRING, *push = PGC_PUSH_NONE; return true;
	case OID_JSONB: *t = ftype_make(TYPE_JSONB), *dec = PGC_DEC_JSONB, *push = PGC_PUSH_NONE; return true;
	case OID_BYTEA: *t = ftype_make(TYPE_BYTEA), *dec = PGC_DEC_STRING, *push = PGC_PUSH_NONE; return true;
	default:
		/* one-dimensional arrays of the types above (typmod: the element's);
		 * array_in_binary checks each value's element OID and dimensions */
		if (!array_from_oid(oid, typmod, t)) return false;
		*dec = PGC_DEC_OTHER, *push = PGC_PUSH_NONE;
		return true;
	}
}

static int pgc_column_index(const conn_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0) return i;
	return -1;
}

/*
 * The primary key and the foreign keys of t from the remote pg_constraint:
 * one row per key column, the primary key first. A key with a column Ferry
 * does not expose (a type it cannot read) is left out.
 */
static ferr *pgc_get_keys(pgc_catalog *c, conn_table *t, arena *a)
{
	const char *params[2] = {t->schema, t->table};
	PGresult *r;
	TRY(pgc_query_cached(c,
	              "SELECT co.contype, co.conname, k.n, a.attname, fs.nspname, fc.relname, fa.attname, "
	              "co.confupdtype, co.confdeltype, co.confmatchtype, "
	              /* int2vector subscripts start at 0 */
	              "coalesce(pg_catalog.array_position(ri.indkey::pg_catalog.int2[], co.confkey[k.n]) "
	              " - pg_catalog.array_lower(ri.indkey::pg_catalog.int2[], 1) + 1, 0), "
	              "coalesce(ri.indisprimary, false) "
	              "FROM pg_catalog.pg_constraint co "
	              "JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
	              "JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace "
	              "CROSS JOIN LATERAL pg_catalog.unnest(co.conkey) WITH ORDINALITY AS k(attnum, n) "
	              "JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum "
	              "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid "
	              "LEFT JOIN pg_catalog.pg_namespace fs ON fs.oid = fc.relnamespace "
	              "LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = co.confrelid "
	              " AND fa.attnum = co.confkey[k.n] "
	              "LEFT JOIN pg_catalog.pg_index ri ON co.contype = 'f' AND ri.indexrelid = co.conindid "
	              "WHERE s.nspname = $1 AND c.relname = $2 AND co.contype IN ('p', 'f') "
	              "ORDER BY co.contype = 'f', co.conname, k.n",
	              2, params, false, &r));
	int rows = PQntuples(r);
	conn_foreign_key *fks = arena_zalloc(a, sizeof *fks * (size_t)(rows ? rows : 1));
	int *pk = arena_zalloc(a, sizeof(int) * (size_t)(rows ? rows : 1));
	int npk = 0, nfk = 0;
	for (int i = 0; i < rows;) {
		/* rows i..j-1 are one constraint */
		int j = i + 1;
		while (j < rows && strcmp(PQgetvalue(r, j, 1), PQgetvalue(r, i, 1)) == 0 &&
		       PQgetvalue(r, j, 0)[0] == PQgetvalue(r, i, 0)[0])
			j++;
		int n = j - i;
		int *cols = arena_alloc(a, sizeof(int) * (size_t)n);
		bool complete = true;
		for (int k = 0; k < n; k++) complete &= (cols[k] = pgc_column_index(t, PQgetvalue(r, i + k, 3))) >= 0;
		if (complete && PQgetvalue(r, i, 0)[0] == 'p' && npk == 0) {
			memcpy(pk, cols, sizeof(int) * (size_t)n);
			npk = n;
		} else if (complete && PQgetvalue(r, i, 0)[0] == 'f' && !PQgetisnull(r, i, 5)) {
			conn_foreign_key *fk = &fks[nfk++];
			const char **ref_cols = arena_alloc(a, sizeof(char *) * (size_t)n);
			int *ref_pos = arena_alloc(a, sizeof(int) * (size_t)n);
			for (int k = 0; k < n; k++) {
				ref_cols[k] = arena_strdup(a, PQgetvalue(r, i + k, 6));
				ref_pos[k] = atoi(PQgetvalue(r, i + k, 10));
			}
			fk->name = arena_strdup(a, PQgetvalue(r, i, 1));
			fk->ncols = n;
			fk->cols = cols;
			fk->ref_schema = arena_strdup(a, PQgetvalue(r, i, 4));
			fk->ref_table = arena_strdup(a, PQgetvalue(r, i, 5));
			fk->ref_cols = ref_cols;
			fk->ref_pos = ref_pos;
			fk->ref_is_pk = PQgetvalue(r, i, 11)[0] == 't';
			fk->on_update = PQgetvalue(r, i, 7)[0];
			fk->on_delete = PQgetvalue(r, i, 8)[0];
			fk->match = PQgetvalue(r, i, 9)[0];
		}
		i = j;
	}
	PQclear(r);
	t->npk = npk;
	t->pk = npk ? pk : NULL;
	t->nfk = nfk;
	t->fk = nfk ? fks : NULL;
	return NULL;
}

static ferr *pgc_get_table(conn_catalog *cat, const char *schema, const char *table, arena *a,
                           conn_table **out)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	*out = NULL;
	const char *params[2] = {schema, table};
	PGresult *r;
	char sql[2048];
	snprintf(sql, sizeof sql,
	         "SELECT c.relkind, a.attname, "
	         "CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, "
	         "CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, "
	         "a.attnotnull, pg_catalog.format_type(a.atttypid, a.atttypmod), "
	         "CASE WHEN a.attcollation = 0 THEN '' "
	         " WHEN a.attcollation = 100 THEN (SELECT CASE WHEN "
	         "  coalesce(to_jsonb(d)->>'datlocprovider', 'c') = 'c' AND d.datcollate IN ('C', 'POSIX') "
	         "  THEN 'C' ELSE 'other' END FROM pg_catalog.pg_database d WHERE d.datname = current_database()) "
	         " ELSE (SELECT CASE WHEN co.collprovider IN ('c', 'd') AND co.collcollate IN ('C', 'POSIX') THEN 'C' "
	         "  WHEN coalesce((to_jsonb(co)->>'collisdeterministic')::bool, true) THEN 'other' "
	         "  ELSE 'nondeterministic' END FROM pg_catalog.pg_collation co WHERE co.oid = a.attcollation) END, "
	         "pg_catalog.col_description(c.oid, a.attnum), "
	         "CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END "
	         "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace "
	         "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
	         "LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	         "WHERE s.nspname = $1 AND c.relname = $2 AND c.relkind IN %s ORDER BY a.attnum",
	         pgc_relkinds);
	TRY(pgc_query_cached(c, sql, 2, params, true, &r));
	int rows = PQntuples(r);
	if (rows == 0) {
		PQclear(r);
		return NULL;
	}
	pgc_table *h = arena_zalloc(a, sizeof *h);
	h->base.schema = arena_strdup(a, schema);
	h->base.table = arena_strdup(a, table);
	h->relkind = PQgetvalue(r, 0, 0)[0];
	h->base.relkind = h->relkind;
	if (!PQgetisnull(r, 0, 8)) h->base.view_sql = arena_strdup(a, PQgetvalue(r, 0, 8));
	h->limit = -1;
	h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)rows);
	h->info = arena_zalloc(a, sizeof(pgc_colinfo) * (size_t)rows);
	int n = 0;
	for (int i = 0; i < rows; i++) {
		if (PQgetisnull(r, i, 1)) continue; /* a table without columns */
		const char *name = PQgetvalue(r, i, 1);
		uint32_t oid = (uint32_t)strtoul(PQgetvalue(r, i, 2), NULL, 10);
		int32_t typmod = (int32_t)strtol(PQgetvalue(r, i, 3), NULL, 10);
		conn_column *cc = &h->base.cols[n];
		pgc_colinfo *ci = &h->info[n];
		strbuf q = STRBUF_INIT;
		pgc_quote_ident(&q, name);
		if (!pgc_map_type(oid, typmod, PQgetvalue(r, i, 6), &cc->type, &ci->decode, &ci->push)) {
			if (!c->convert_unsupported) {
				sb_free(&q);
				continue;
			}
			/* CONVERT_TO_VARCHAR: the server's text output, never pushed down */
			sb_puts(&q, "::text");
			cc->type = ftype_varchar(-1);
			ci->decode = PGC_DEC_STRING;
			ci->push = PGC_PUSH_NONE;
			ci->converted = true;
		}
		ci->select_sql = arena_strdup(a, q.data);
		sb_free(&q);
		cc->name = arena_strdup(a, name);
		cc->nullable = PQgetvalue(r, i, 4)[0] != 't';
		if (!PQgetisnull(r, i, 7)) cc->comment = arena_strdup(a, PQgetvalue(r, i, 7));
		n++;
	}
	PQclear(r);
	h->base.ncols = n;
	TRY(pgc_get_keys(c, &h->base, a));
	*out = &h->base;
	return NULL;
}

/* A value parsed into vector layout, widened into an fvalue. */
static void pgc_to_fvalue(ftype t, const void *p, fvalue *v)
{
	memset(v, 0, sizeof *v);
	switch (t.id) {
	case TYPE_INT2: v->u.i = *(const int16_t *)p; break;
	case TYPE_INT4: case TYPE_DATE: v->u.i = *(const int32_t *)p; break;
	case TYPE_FLOAT4: v->u.f = *(const float *)p; break;
	case TYPE_FLOAT8: v->u.f = *(const double *)p; break;
	case TYPE_NUMERIC:
		if (numeric_is_wide(t)) memcpy(&v->u.n, p, sizeof v->u.n);
		else v->u.i = *(const int64_t *)p;
		break;
	default: v->u.i = *(const int64_t *)p; break;
	}
}

static bool pgc_range_type(type_id id)
{
	switch (id) {
	case TYPE_INT2: case TYPE_INT4: case TYPE_INT8: case TYPE_FLOAT4: case TYPE_FLOAT8:
	case TYPE_NUMERIC: case TYPE_DATE: case TYPE_TIME: case TYPE_TIMESTAMP: case TYPE_TIMESTAMPTZ:
		return true;
	default: return false;
	}
}

static ferr *pgc_get_statistics(conn_catalog *cat, const conn_table *t, arena *a,
                                conn_table_stats *out)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	const char *params[2] = {t->schema, t->table};
	PGresult *r;
	TRY(pgc_query_cached(c,
	              "SELECT c.reltuples FROM pg_catalog.pg_class c "
	              "JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace "
	              "WHERE s.nspname = $1 AND c.relname = $2",
	              2, params, false, &r));
	double rows = PQntuples(r) ? strtod(PQgetvalue(r, 0, 0), NULL) : -1;
	PQclear(r);
	out->row_count = rows >= 0 ? rows : -1; /* -1: never analyzed (PostgreSQL 14+) */
	out->ncols = t->ncols;
	out->cols = arena_zalloc(a, sizeof(conn_column_stats) * (size_t)(t->ncols ? t->ncols : 1));
	for (int i = 0; i < t->ncols; i++) {
		out->cols[i].distinct_count = -1;
		out->cols[i].null_fraction = -1;
		out->cols[i].avg_width = -1;
	}
	/* min/max from the histogram's ends: an estimate, fine for the optimizer */
	TRY(pgc_query_cached(c,
	              "SELECT attname, null_frac, n_distinct, avg_width, "
	              "(histogram_bounds::text::text[])[1], "
	              "(histogram_bounds::text::text[])[array_length(histogram_bounds::text::text[], 1)] "
	              "FROM pg_catalog.pg_stats WHERE schemaname = $1 AND tablename = $2 "
	              "ORDER BY inherited DESC",
	              2, params, false, &r));
	for (int i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		for (int k = 0; k < t->ncols; k++) {
			if (strcmp(t->cols[k].name, name) != 0) continue;
			conn_column_stats *cs = &out->cols[k];
			if (cs->null_fraction >= 0) break; /* inherited row came first */
			cs->null_fraction = strtod(PQgetvalue(r, i, 1), NULL);
			double nd = strtod(PQgetvalue(r, i, 2), NULL);
			cs->distinct_count = nd > 0 ? nd : nd < 0 && rows > 0 ? -nd * rows : -1;
			cs->avg_width = strtod(PQgetvalue(r, i, 3), NULL);
			ftype ft = t->cols[k].type;
			if (pgc_range_type(ft.id) && !PQgetisnull(r, i, 4) && !PQgetisnull(r, i, 5)) {
				_Alignas(16) char lo[16], hi[16];
				ferr *e1 = value_in_text(ft, PQgetvalue(r, i, 4), (size_t)PQgetlength(r, i, 4), a, lo);
				ferr *e2 = e1 ? NULL : value_in_text(ft, PQgetvalue(r, i, 5), (size_t)PQgetlength(r, i, 5), a, hi);
				if (!e1 && !e2) {
					pgc_to_fvalue(ft, lo, &cs->min);
					pgc_to_fvalue(ft, hi, &cs->max);
					cs->has_range = true;
				}
				ferr_free(e1);
				ferr_free(e2);
			}
			break;
		}
	}
	PQclear(r);
	return NULL;
}

/* ---- pushdown ---- */

static pgc_table *pgc_copy_handle(const conn_table *t, arena *a)
{
	pgc_table *h = arena_alloc(a, sizeof *h);
	*h = *(const pgc_table *)t; /* columns are immutable: shared */
	return h;
}

/*
 * At most how many rows a filter lets through when it pins every primary key
 * column to a list of values (taken, not left in rest): the product of the
 * list lengths; 0 when it does not.
 */
static int64_t pgc_key_rows(const pgc_table *h, const conn_domain *d, const conn_column_domain *rest,
                            int nrest)
{
	if (h->base.npk <= 0 || d->none) return 0;
	int64_t rows = 1;
	for (int k = 0; k < h->base.npk; k++) {
		int col = h->base.pk[k];
		int64_t n = 0;
		for (int i = 0; i < d->ncols && !n; i++)
			if (d->cols[i].column == col) n = pgc_domain_points(h->base.cols[col].type, &d->cols[i]);
		for (int i = 0; i < nrest && n; i++)
			if (rest[i].column == col) n = 0;
		if (n <= 0 || rows > INT64_MAX / n) return 0;
		rows *= n;
	}
	return rows;
}

static ferr *pgc_apply_filter(conn_catalog *cat, const conn_table *t, const conn_domain *d, arena *a,
                              conn_table **out, conn_domain **remaining)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	*remaining = NULL;
	/* grouped: that would be HAVING; limited: the filter would apply after
	 * the limit picked its rows. The engine filters. */
	if (h->group_by || h->limit >= 0 || h->dml) return NULL;
	strbuf w = STRBUF_INIT;
	if (h->where) sb_puts(&w, h->where);
	int accepted = 0, nrest = 0;
	conn_column_domain *rest = arena_alloc(a, sizeof *rest * (size_t)(d->ncols ? d->ncols : 1));
	if (d->none) {
		sb_reset(&w);
		sb_puts(&w, "FALSE");
		accepted = 1;
	}
	for (int i = 0; i < d->ncols && !d->none; i++) {
		const conn_column_domain *cd = &d->cols[i];
		if (cd->column < 0 || cd->column >= t->ncols) {
			rest[nrest++] = *cd;
			continue;
		}
		strbuf one = STRBUF_INIT;
		const pgc_colinfo *ci = &h->info[cd->column];
		if (pgc_domain_sql(&one, ci->select_sql, t->cols[cd->column].type, ci->push, cd)) {
			accepted++;
			if (strcmp(one.data, "TRUE") != 0) {
				if (w.len) sb_puts(&w, " AND ");
				sb_append(&w, one.data, one.len);
			}
		} else {
			rest[nrest++] = *cd;
		}
		sb_free(&one);
	}
	if (accepted) {
		pgc_table *nh = pgc_copy_handle(t, a);
		nh->where = w.len ? arena_strdup(a, w.data) : NULL;
		int64_t k = pgc_key_rows(h, d, rest, nrest);
		if (k > 0 && (nh->key_rows <= 0 || k < nh->key_rows)) nh->key_rows = k;
		*out = &nh->base;
	}
	if (nrest) {
		conn_domain *rd = arena_zalloc(a, sizeof *rd);
		rd->ncols = nrest;
		rd->cols = rest;
		*remaining = rd;
	}
	sb_free(&w);
	return NULL;
}

static ferr *pgc_apply_limit(conn_catalog *cat, const conn_table *t, int64_t limit, arena *a,
                             conn_table **out, bool *limit_guaranteed)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	/* a limited scan is one split (see get_splits), so the limit holds overall */
	*limit_guaranteed = true;
	if (limit < 0 || (h->limit >= 0 && h->limit <= limit) || h->dml) return NULL;
	pgc_table *nh = pgc_copy_handle(t, a);
	nh->limit = limit;
	*out = &nh->base;
	return NULL;
}

/*
 * A top-N: ORDER BY with every NULLS spelled out (PostgreSQL's default puts
 * NULLs last ascending, Ferry's request says which), over sort keys ordered
 * exactly as Ferry orders them. The handle gets a LIMIT, so it is one split.
 */
static ferr *pgc_apply_topn(conn_catalog *cat, const conn_table *t, int nkeys,
                            const conn_sort_item *keys, int64_t limit, arena *a, conn_table **out)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	/* a limited scan's rows are already chosen: ordering them is not a top-N */
	if (limit < 0 || h->limit >= 0 || h->dml) return NULL;
	strbuf o = STRBUF_INIT;
	if (pgc_order_sql(&o, h, nkeys, keys)) {
		pgc_table *nh = pgc_copy_handle(t, a);
		nh->order_by = arena_strdup(a, o.data);
		nh->limit = limit;
		*out = &nh->base;
	}
	sb_free(&o);
	return NULL;
}

/*
 * Filter expressions: each conjunct that pg_sql.c can say exactly is ANDed
 * into the WHERE; the others stay with the engine.
 */
static ferr *pgc_apply_filter_expr(conn_catalog *cat, const conn_table *t, int n,
                                   const conn_expr *const *conj, arena *a, conn_table **out,
                                   bool *accepted)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	for (int i = 0; i < n; i++) accepted[i] = false;
	if (h->group_by || h->limit >= 0 || h->dml) return NULL; /* as in apply_filter */
	strbuf w = STRBUF_INIT;
	if (h->where) sb_puts(&w, h->where);
	int taken = 0;
	for (int i = 0; i < n; i++) {
		strbuf one = STRBUF_INIT;
		if (pgc_expr_sql(&one, h, conj[i])) {
			if (w.len) sb_puts(&w, " AND ");
			sb_append(&w, one.data, one.len);
			accepted[i] = true;
			taken++;
		}
		sb_free(&one);
	}
	if (taken) {
		pgc_table *nh = pgc_copy_handle(t, a);
		nh->where = arena_strdup(a, w.data);
		*out = &nh->base;
	}
	sb_free(&w);
	return NULL;
}

/* The decoder of a pgc_arith_sql result of type t. */
static pgc_decode arith_decode(ftype t)
{
	switch (t.id) {
	case TYPE_INT2: return PGC_DEC_INT2;
	case TYPE_INT4: return PGC_DEC_INT4;
	case TYPE_INT8: return PGC_DEC_INT8;
	case TYPE_FLOAT8: return PGC_DEC_FLOAT8;
	default: return PGC_DEC_OTHER;
	}
}

/* numeric(p,s): each value exact at scale s on both sides (unconstrained
 * numeric is rounded to 6 places on the way in). */
static bool fixed_numeric_type(ftype t)
{
	return t.id == TYPE_NUMERIC && t.precision > 0 && !numeric_has_value_scale(t);
}

/*
 * The SQL of one aggregate whose PostgreSQL result decodes to exactly the
 * engine's value, or NULL. The argument is a column or an arithmetic
 * expression pgc_arith_sql can say exactly. avg of integers and
 * numeric(p,s) is pushed when the engine's result has a per-value scale:
 * both sides then divide the same exact sum by the count at PostgreSQL's
 * select_div_scale, and decoding keeps the server's dscale. Float sums and
 * averages depend on the order of additions, so they are not pushed.
 * DISTINCT needs the argument's equality to be Ferry's (filter pushdown's
 * rule; unconstrained numeric values are equal in Ferry once rounded).
 */
static const char *agg_sql(const pgc_table *h, const conn_aggregate *g, arena *a, pgc_decode *dec)
{
	if (g->func == CONN_AGG_COUNT_STAR) {
		*dec = PGC_DEC_INT8;
		return g->result.id == TYPE_INT8 && !g->distinct ? "count(*)" : NULL;
	}
	ftype arg, res = g->result;
	pgc_push push;
	pgc_decode argdec;
	strbuf x = STRBUF_INIT;
	if (g->arg) {
		if (!pgc_arith_sql(&x, h, g->arg)) return NULL;
		arg = g->arg->type;
		push = PGC_PUSH_RANGE; /* numbers */
		argdec = arith_decode(arg);
	} else {
		if (g->column < 0 || g->column >= h->base.ncols) return NULL;
		const pgc_colinfo *ci = &h->info[g->column];
		arg = h->base.cols[g->column].type;
		push = ci->push;
		argdec = ci->decode;
		sb_puts(&x, ci->select_sql);
	}
	const char *fn = NULL;
	bool num = fixed_numeric_type(arg);
	if (g->distinct && (push == PGC_PUSH_NONE || (arg.id == TYPE_NUMERIC && !num))) goto done;
	switch (g->func) {
	case CONN_AGG_COUNT:
		if (res.id == TYPE_INT8) fn = "count", *dec = PGC_DEC_INT8;
		break;
	case CONN_AGG_SUM:
		if (push == PGC_PUSH_NONE) break;
		/* sum(int2/int4) is bigint, sum(int8) and sum(numeric) exact numeric */
		if ((arg.id == TYPE_INT2 || arg.id == TYPE_INT4) && res.id == TYPE_INT8)
			fn = "sum", *dec = PGC_DEC_INT8;
		else if ((arg.id == TYPE_INT8 || num) && fixed_numeric_type(res) &&
		         res.scale == (arg.id == TYPE_INT8 ? 0 : arg.scale))
			fn = "sum", *dec = PGC_DEC_OTHER;
		break;
	case CONN_AGG_AVG:
		if (push == PGC_PUSH_NONE || !numeric_has_value_scale(res)) break;
		if (arg.id == TYPE_INT2 || arg.id == TYPE_INT4 || arg.id == TYPE_INT8 || num)
			fn = "avg", *dec = PGC_DEC_OTHER;
		break;
	case CONN_AGG_MIN:
	case CONN_AGG_MAX: {
		/* min/max order as ranges do: only where a range would be pushed */
		bool text = arg.id == TYPE_TEXT || arg.id == TYPE_VARCHAR || arg.id == TYPE_BPCHAR;
		if (push != PGC_PUSH_RANGE || !ftype_equal(arg, res) || !(text || pgc_range_type(arg.id)))
			break;
		fn = g->func == CONN_AGG_MIN ? "min" : "max";
		*dec = argdec;
		break;
	}
	default: break;
	}
done:;
	const char *out = fn ? arena_sprintf(a, "%s(%s%s)", fn, g->distinct ? "DISTINCT " : "", x.data) : NULL;
	sb_free(&x);
	return out;
}

static ferr *pgc_apply_aggregation(conn_catalog *cat, const conn_table *t, int ngroups, const int *groups,
                                   int naggs, const conn_aggregate *aggs, arena *a, conn_table **out)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	if (h->group_by || h->limit >= 0 || h->dml) return NULL; /* would aggregate the limited rows */
	int n = ngroups + naggs;
	conn_column *cols = arena_zalloc(a, sizeof *cols * (size_t)(n ? n : 1));
	pgc_colinfo *info = arena_zalloc(a, sizeof *info * (size_t)(n ? n : 1));
	strbuf gb = STRBUF_INIT;
	bool ok = true;
	for (int i = 0; i < ngroups && ok; i++) {
		int g = groups[i];
		/* grouping is equality: any deterministic collation groups as Ferry does */
		ok = g >= 0 && g < t->ncols && h->info[g].push != PGC_PUSH_NONE;
		if (!ok) break;
		cols[i] = t->cols[g];
		info[i] = h->info[g];
		sb_printf(&gb, "%s%s", i ? ", " : "", h->info[g].select_sql);
	}
	for (int i = 0; i < naggs && ok; i++) {
		conn_column *cc = &cols[ngroups + i];
		pgc_colinfo *ci = &info[ngroups + i];
		ci->select_sql = agg_sql(h, &aggs[i], a, &ci->decode);
		ok = ci->select_sql != NULL;
		cc->name = arena_sprintf(a, "_agg%d", i);
		cc->type = aggs[i].result;
		cc->nullable = true;
		ci->push = PGC_PUSH_NONE;
	}
	if (ok) {
		pgc_table *nh = pgc_copy_handle(t, a);
		nh->base.ncols = n;
		nh->base.cols = cols;
		nh->info = info;
		nh->group_by = arena_strdup(a, gb.data ? gb.data : "");
		*out = &nh->base;
	}
	sb_free(&gb);
	return NULL;
}

/*
 * A join of two handles of this catalog as one remote SELECT: the columns
 * keep their types, decoders and pushdown rules (so filters, a limit, a
 * top-N or an aggregation can still be pushed onto the joined handle: they
 * apply to the join's rows, as the engine's would); a LEFT join's right
 * columns become nullable.
 */
static ferr *pgc_apply_join(conn_catalog *cat, conn_join_type jt, const conn_table *lt, int nl,
                            const int *lcols, const conn_table *rt, int nr, const int *rcols,
                            int nconds, const conn_join_cond *conds, arena *a, conn_table **out)
{
	(void)cat;
	const pgc_table *l = (const pgc_table *)lt, *r = (const pgc_table *)rt;
	*out = NULL;
	if ((jt != CONN_JOIN_INNER && jt != CONN_JOIN_LEFT) || l->dml || r->dml) return NULL;
	int n = nl + nr;
	const char **sel = arena_zalloc(a, sizeof *sel * (size_t)(n + 1));
	strbuf from = STRBUF_INIT;
	if (pgc_join_sql(&from, l, nl, lcols, r, nr, rcols, jt == CONN_JOIN_LEFT, nconds, conds, a, sel)) {
		pgc_table *nh = arena_zalloc(a, sizeof *nh);
		nh->base.schema = l->base.schema;
		nh->base.table = arena_sprintf(a, "%s JOIN %s", l->base.table, r->base.table);
		nh->base.ncols = n;
		nh->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)(n + 1));
		nh->info = arena_zalloc(a, sizeof(pgc_colinfo) * (size_t)(n + 1));
		for (int i = 0; i < n; i++) {
			const pgc_table *side = i < nl ? l : r;
			int col = i < nl ? lcols[i] : rcols[i - nl];
			nh->base.cols[i] = side->base.cols[col];
			nh->base.cols[i].hidden = false;
			if (i >= nl && jt == CONN_JOIN_LEFT) nh->base.cols[i].nullable = true;
			nh->info[i] = side->info[col];
			nh->info[i].select_sql = sel[i];
		}
		nh->relkind = 'j';
		nh->limit = -1;
		nh->from = arena_strdup(a, from.data);
		*out = &nh->base;
	}
	sb_free(&from);
	return NULL;
}

/* ---- splits ---- */

static ferr *pgc_get_splits(conn_catalog *cat, const conn_table *t, int desired, arena *a, int *n,
                            conn_split ***splits)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	const pgc_table *h = (const pgc_table *)t;
	int64_t pages = 0;
	double tuples = -1;
	/* an aggregated handle is one split: ranges would give partial groups */
	bool ctid = (h->relkind == 'r' || h->relkind == 'm' || h->relkind == 'p') && !h->group_by && !h->from && !h->dml;
	/* a key lookup reads a few rows through the key's index: ranges only add statements */
	bool lookup = h->key_rows > 0 && h->key_rows <= PGC_LOOKUP_MAX_ROWS;
	if (lookup) tuples = (double)h->key_rows;
	if (ctid && !lookup && h->limit < 0 && desired > 1) {
		const char *params[2] = {t->schema, t->table};
		PGresult *r;
		/* the size now, not relpages: a table loaded but not yet vacuumed has relpages 0 */
		TRY(pgc_query_cached(c,
		              "SELECT CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(max(pg_catalog.pg_relation_size(pt.relid)), 0) "
		              "  FROM pg_catalog.pg_partition_tree(c.oid) pt WHERE pt.isleaf) "
		              " ELSE pg_catalog.pg_relation_size(c.oid) END "
		              " / current_setting('block_size')::int8, c.reltuples "
		              "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace "
		              "WHERE s.nspname = $1 AND c.relname = $2",
		              2, params, false, &r));
		if (PQntuples(r) > 0) {
			pages = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			tuples = strtod(PQgetvalue(r, 0, 1), NULL);
		}
		PQclear(r);
	}
	int k = 1;
	if (pages > 0 && desired > 1) {
		int64_t by_size = pages / (c->split_min_pages > 0 ? c->split_min_pages : 1);
		k = by_size < desired ? (int)by_size : desired;
		if (k < 1) k = 1;
	}
	conn_split **v = arena_alloc(a, sizeof *v * (size_t)k);
	for (int i = 0; i < k; i++) {
		pgc_split *s = arena_zalloc(a, sizeof *s);
		/* first and last are open so rows added after planning are still read once */
		s->page_lo = i == 0 ? -1 : pages * i / k;
		s->page_hi = i == k - 1 ? -1 : pages * (i + 1) / k;
		s->base.estimated_rows = tuples > 0 ? (int64_t)(tuples / k) : -1;
		if (k == 1)
			s->base.description = arena_sprintf(a, "postgresql %s.%s", t->schema, t->table);
		else
			s->base.description = arena_sprintf(a, "postgresql %s.%s pages [%lld, %s%lld)", t->schema, t->table,
			                                    (long long)(s->page_lo < 0 ? 0 : s->page_lo),
			                                    s->page_hi < 0 ? "end:" : "",
			                                    (long long)(s->page_hi < 0 ? pages : s->page_hi));
		v[i] = &s->base;
	}
	*n = k;
	*splits = v;
	return NULL;
}

/* ---- explain, JSON ---- */

static void pgc_explain(conn_catalog *cat, const conn_table *t, strbuf *out)
{
	(void)cat;
	int *cols = malloc(sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
	for (int i = 0; i < t->ncols; i++) cols[i] = i;
	sb_puts(out, "postgresql: ");
	if (((const pgc_table *)t)->dml) {
		sb_puts(out, ((const pgc_table *)t)->dml);
		free(cols);
		return;
	}
	pgc_select_sql((const pgc_table *)t, NULL, t->ncols, cols, out);
	free(cols);
}

static json_t *pgc_table_json(conn_catalog *cat, const conn_table *t)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	json_t *cols = json_array();
	for (int i = 0; i < t->ncols; i++) {
		const conn_column *cc = &t->cols[i];
		json_array_append_new(cols, json_pack("{s:s,s:i,s:i,s:i,s:i,s:b,s:s,s:i,s:i}", "name", cc->name, "type",
		                                      (int)cc->type.id, "precision", (int)cc->type.precision, "scale",
		                                      (int)cc->type.scale, "length", (int)cc->type.length, "nullable",
		                                      cc->nullable, "select", h->info[i].select_sql, "decode",
		                                      (int)h->info[i].decode, "push", (int)h->info[i].push));
	}
	char kind[2] = {h->relkind, 0};
	return json_pack("{s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "schema", t->schema, "table", t->table, "relkind",
	                 kind, "where", h->where ? json_string(h->where) : json_null(), "limit", (json_int_t)h->limit,
	                 "group_by", h->group_by ? json_string(h->group_by) : json_null(), "order_by",
	                 h->order_by ? json_string(h->order_by) : json_null(), "from",
	                 h->from ? json_string(h->from) : json_null(), "dml",
	                 h->dml ? json_string(h->dml) : json_null(), "columns", cols);
}

static json_t *pgc_split_json(conn_catalog *cat, const conn_split *s)
{
	(void)cat;
	const pgc_split *sp = (const pgc_split *)s;
	return json_pack("{s:I,s:I,s:I}", "page_lo", (json_int_t)sp->page_lo, "page_hi", (json_int_t)sp->page_hi,
	                 "estimated_rows", (json_int_t)sp->base.estimated_rows);
}

/*
 * ANALYZE of a table: forwarded as PostgreSQL's ANALYZE of the remote
 * table, whose pg_class/pg_stats get_statistics reads. Takes no
 * properties; the rows PostgreSQL sampled are not reported (*rows -1).
 */
static ferr *pgc_analyze(conn_catalog *cat, const conn_table *t, int nprops, const char **prop_names,
                         const char **prop_values, int64_t *rows)
{
	(void)prop_values;
	*rows = -1;
	if (nprops > 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "catalog '%s': analyze property '%s' does not exist",
		                cat->name, prop_names[0]);
	strbuf sql = STRBUF_INIT;
	sb_puts(&sql, "ANALYZE ");
	pgc_quote_ident(&sql, t->schema);
	sb_putc(&sql, '.');
	pgc_quote_ident(&sql, t->table);
	ferr *e = pgc_exec((pgc_catalog *)cat, sql.data);
	sb_free(&sql);
	return e;
}

static void pgc_destroy(conn_catalog *cat)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	pgc_cache_destroy(&c->cache);
	pgc_pool_destroy(&c->pool);
	free(c);
}

static const conn_catalog_ops pgc_ops = {
	.list_schemas = pgc_list_schemas,
	.list_tables = pgc_list_tables,
	.get_table = pgc_get_table,
	.get_statistics = pgc_get_statistics,
	.analyze = pgc_analyze,
	.apply_filter = pgc_apply_filter,
	.apply_limit = pgc_apply_limit,
	.apply_aggregation = pgc_apply_aggregation,
	.apply_topn = pgc_apply_topn,
	.apply_filter_expr = pgc_apply_filter_expr,
	.apply_join = pgc_apply_join,
	.apply_delete = pgc_apply_delete,
	.apply_update = pgc_apply_update,
	.get_splits = pgc_get_splits,
	.open_page_source = pgc_open_page_source,
	.create_schema = pgc_create_schema,
	.drop_schema = pgc_drop_schema,
	.create_table = pgc_create_table,
	.drop_table = pgc_drop_table,
	.begin_create_table = pgc_begin_create_table,
	.begin_insert = pgc_begin_insert,
	.open_page_sink = pgc_open_page_sink,
	.finish_write = pgc_finish_write,
	.abort_write = pgc_abort_write,
	.explain = pgc_explain,
	.table_to_json = pgc_table_json,
	.split_to_json = pgc_split_json,
	.destroy = pgc_destroy,
};

/*
 * Build a catalog from its properties. Nothing connects here: a catalog
 * whose server is down still loads, and its queries fail with 08001.
 */
static ferr *pgc_create(const char *name, const props *p, conn_catalog **out)
{
	const char *handling = props_get_default(p, "unsupported-type-handling", "IGNORE");
	bool convert;
	if (!strcasecmp(handling, "IGNORE")) convert = false;
	else if (!strcasecmp(handling, "CONVERT_TO_VARCHAR")) convert = true;
	else
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "unsupported-type-handling must be IGNORE or CONVERT_TO_VARCHAR, not \"%s\"", handling);
	int64_t pool_size, min_pages, ttl_ms;
	bool cache_missing;
	TRY(props_get_duration_ms(p, "metadata.cache-ttl", PGC_DEFAULT_CACHE_TTL_MS, &ttl_ms));
	if (ttl_ms < 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "metadata.cache-ttl must not be negative");
	TRY(props_get_bool(p, "metadata.cache-missing", false, &cache_missing));
	TRY(props_get_int(p, "connection-pool.max-size", PGC_DEFAULT_POOL_SIZE, &pool_size));
	if (pool_size < 1 || pool_size > 1000)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "connection-pool.max-size must be between 1 and 1000");
	TRY(props_get_int(p, "postgresql.split-min-pages", PGC_DEFAULT_SPLIT_MIN_PAGES, &min_pages));
	if (min_pages < 1)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "postgresql.split-min-pages must be at least 1");
	pgc_conninfo ci;
	TRY(pgc_conninfo_parse(props_get(p, "connection-url"), props_get(p, "connection-user"),
	                       props_get(p, "connection-password"), &ci));
	pgc_catalog *c = xcalloc(1, sizeof *c);
	c->base.ops = &pgc_ops;
	c->base.name = name;
	c->base.connector = "postgresql";
	c->convert_unsupported = convert;
	c->split_min_pages = min_pages;
	pgc_pool_init(&c->pool, name, ci, (int)pool_size, PGC_POOL_WAIT_MS);
	pgc_cache_init(&c->cache, ttl_ms, cache_missing);
	*out = &c->base;
	return NULL;
}

const conn_factory postgresql_connector_factory = {"postgresql", pgc_create};
