/*
 * pg_write.c — DDL and writes of the postgresql connector. A statement's
 * rows go through ONE connection inside ONE remote transaction: BEGIN,
 * (CREATE TABLE for CREATE TABLE AS), COPY ... FROM STDIN (FORMAT binary),
 * and COMMIT in finish_write. Every page sink of the statement encodes its
 * batches on its own thread and hands the bytes to that single COPY stream
 * under the write's mutex. Nothing may ever be committed except by
 * finish_write after a COPY that the server acknowledged.
 */
#include <stdlib.h>
#include <string.h>

#include "connectors/postgres/pg_internal.h"

static const char copy_signature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};

/* Encoded rows are handed to libpq in chunks of about this size. */
#define PGC_SINK_CHUNK (256 * 1024)

typedef struct pgc_write {
	conn_write base;
	pgc_catalog *cat;
	arena *a; /* the handle, the target's handle (CREATE TABLE AS) */
	pthread_mutex_t mu;
	PGconn *conn;  /* in COPY IN state while in_copy */
	bool in_copy;
	ferr *failed;  /* first streaming error: later appends and the commit fail with it */
	int64_t rows;  /* rows handed to COPY */
} pgc_write;

typedef struct pgc_sink {
	conn_page_sink base;
	pgc_write *w;
	strbuf buf; /* encoded rows not yet handed to the COPY stream */
} pgc_sink;

/* ---- DDL ---- */

ferr *pgc_create_schema(conn_catalog *cat, const char *schema, int nprops, const char **prop_names,
                        const char **prop_values)
{
	(void)prop_values;
	if (nprops > 0)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "catalog %s: PostgreSQL schemas take no property \"%s\"", cat->name,
		                prop_names[0]);
	strbuf sql = STRBUF_INIT;
	sb_puts(&sql, "CREATE SCHEMA ");
	pgc_quote_ident(&sql, schema);
	ferr *e = pgc_exec((pgc_catalog *)cat, sql.data);
	sb_free(&sql);
	return e;
}

ferr *pgc_drop_schema(conn_catalog *cat, const char *schema, bool cascade)
{
	strbuf sql = STRBUF_INIT;
	sb_puts(&sql, "DROP SCHEMA ");
	pgc_quote_ident(&sql, schema);
	sb_puts(&sql, cascade ? " CASCADE" : " RESTRICT");
	ferr *e = pgc_exec((pgc_catalog *)cat, sql.data);
	sb_free(&sql);
	return e;
}

/* CREATE TABLE text for def, or the error that says why there is none. */
static ferr *create_sql(pgc_catalog *c, const conn_table_def *def, strbuf *sql)
{
	if (def->nprops > 0)
		return ferr_hint(ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                          "catalog '%s': unknown table property \"%s\"", c->base.name,
		                          def->prop_names[0]),
		                 "The postgresql connector has no table properties.");
	const char *bad;
	if (pgc_create_table_sql(sql, def, &bad)) return NULL;
	if (bad) {
		strbuf t = STRBUF_INIT;
		for (int i = 0; i < def->ncols; i++)
			if (def->cols[i].name == bad) ftype_format(def->cols[i].type, &t);
		ferr *e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                   "catalog '%s': column \"%s\" of type %s cannot be stored in PostgreSQL",
		                   c->base.name, bad, t.data ? t.data : "?");
		sb_free(&t);
		return e;
	}
	return ferr_new(SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE,
	                "catalog '%s': a comment is not valid UTF-8 or has a NUL byte", c->base.name);
}

ferr *pgc_create_table(conn_catalog *cat, const conn_table_def *def)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	strbuf sql = STRBUF_INIT;
	ferr *e = create_sql(c, def, &sql);
	if (!e) e = pgc_exec(c, sql.data);
	sb_free(&sql);
	return e;
}

ferr *pgc_drop_table(conn_catalog *cat, const conn_table *t)
{
	strbuf sql = STRBUF_INIT;
	sb_puts(&sql, "DROP TABLE ");
	pgc_qualified_name(&sql, t->schema, t->table);
	ferr *e = pgc_exec((pgc_catalog *)cat, sql.data);
	sb_free(&sql);
	return e;
}

/* ---- the write's connection ---- */

/* Roll back and give the connection back (closed if it is not clean). */
static void write_release(pgc_write *w)
{
	PGconn *c = w->conn;
	w->conn = NULL;
	if (!c) return;
	if (PQstatus(c) != CONNECTION_OK) {
		pgc_pool_discard(&w->cat->pool, c);
		return;
	}
	PGresult *r;
	/* a COPY still open is ended with an error, which aborts the transaction */
	if (w->in_copy) PQputCopyEnd(c, "write aborted by Ferry");
	w->in_copy = false;
	while ((r = PQgetResult(c)) != NULL) PQclear(r);
	if (PQtransactionStatus(c) != PQTRANS_IDLE) PQclear(PQexec(c, "ROLLBACK"));
	pgc_pool_put(&w->cat->pool, c);
}

static void write_free(pgc_write *w)
{
	write_release(w);
	ferr_free(w->failed);
	pthread_mutex_destroy(&w->mu);
	arena_destroy(w->a);
}

/* Run one statement on the write's connection; ok is the status it should give. */
static ferr *write_run(pgc_write *w, const char *sql, ExecStatusType ok, bool *lost)
{
	PGresult *r = PQexec(w->conn, sql);
	if (PQresultStatus(r) == ok) {
		PQclear(r);
		return NULL;
	}
	if (lost) *lost = pgc_conn_lost(w->conn, r);
	ferr *e = pgc_result_error(w->cat->base.name, w->conn, r);
	PQclear(r);
	return e;
}

/*
 * BEGIN, the optional CREATE TABLE, then COPY IN with the binary header
 * sent. A pooled connection found dead at BEGIN is replaced once.
 */
static ferr *write_start(pgc_write *w, const char *create)
{
	for (int attempt = 0;; attempt++) {
		bool reused, lost = false;
		TRY(pgc_pool_get(&w->cat->pool, &w->conn, &reused));
		ferr *e = write_run(w, "BEGIN", PGRES_COMMAND_OK, &lost);
		if (!e) break;
		write_release(w);
		if (lost && reused && attempt == 0) {
			ferr_free(e);
			continue;
		}
		return e;
	}
	if (create) TRY(write_run(w, create, PGRES_COMMAND_OK, NULL));
	strbuf sql = STRBUF_INIT;
	pgc_copy_in_sql(&sql, w->base.table);
	ferr *e = write_run(w, sql.data, PGRES_COPY_IN, NULL);
	sb_free(&sql);
	if (e) return e;
	w->in_copy = true;
	/* signature, flags (no OIDs), no header extension */
	char header[19] = {0};
	memcpy(header, copy_signature, sizeof copy_signature);
	if (PQputCopyData(w->conn, header, sizeof header) != 1)
		return pgc_result_error(w->cat->base.name, w->conn, NULL);
	return NULL;
}

static pgc_write *write_new(pgc_catalog *c)
{
	arena *a = arena_create(NULL, "postgresql write");
	pgc_write *w = arena_zalloc(a, sizeof *w);
	w->a = a;
	w->cat = c;
	pthread_mutex_init(&w->mu, NULL);
	return w;
}

/* Columns that are read through ::text cannot take binary values of their real type. */
static ferr *check_writable(pgc_catalog *c, const pgc_table *t)
{
	for (int i = 0; i < t->base.ncols; i++)
		if (t->info[i].converted)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                "catalog '%s': column \"%s\" of \"%s\".\"%s\" has a type Ferry reads only as "
			                "text and cannot write",
			                c->base.name, t->base.cols[i].name, t->base.schema, t->base.table);
	return NULL;
}

ferr *pgc_begin_insert(conn_catalog *cat, const conn_table *t, conn_write_mode mode,
                       conn_write **out)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	*out = NULL;
	/*
	 * REPLACE would be DELETE of every row and COPY of the survivors: it
	 * fires ON DELETE actions (cascading deletes of referencing rows) and
	 * loses rows written between the engine's read and the delete.
	 */
	if (mode != CONN_WRITE_APPEND)
		return ferr_hint(ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                          "catalog '%s': the postgresql connector cannot replace the rows of a table",
		                          c->base.name),
		                 "DELETE, UPDATE and TRUNCATE must run on the PostgreSQL server itself.");
	TRY(check_writable(c, (const pgc_table *)t));
	pgc_write *w = write_new(c);
	w->base.table = t;
	ferr *e = write_start(w, NULL);
	if (e) {
		write_free(w);
		return e;
	}
	*out = &w->base;
	return NULL;
}

ferr *pgc_begin_create_table(conn_catalog *cat, const conn_table_def *def, conn_write **out)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	*out = NULL;
	pgc_write *w = write_new(c);
	strbuf create = STRBUF_INIT;
	ferr *e = create_sql(c, def, &create);
	if (e) goto fail;
	/* the target's handle: the sink layout is def's columns in order */
	pgc_table *h = arena_zalloc(w->a, sizeof *h);
	h->base.schema = arena_strdup(w->a, def->schema);
	h->base.table = arena_strdup(w->a, def->table);
	h->base.ncols = def->ncols;
	h->base.cols = arena_zalloc(w->a, sizeof(conn_column) * (size_t)(def->ncols ? def->ncols : 1));
	h->info = arena_zalloc(w->a, sizeof(pgc_colinfo) * (size_t)(def->ncols ? def->ncols : 1));
	h->relkind = 'r';
	h->limit = -1;
	for (int i = 0; i < def->ncols; i++) {
		conn_column *cc = &h->base.cols[i];
		*cc = def->cols[i];
		cc->name = arena_strdup(w->a, def->cols[i].name);
		cc->comment = NULL;
		strbuf q = STRBUF_INIT;
		pgc_quote_ident(&q, cc->name);
		h->info[i].select_sql = arena_strdup(w->a, q.data);
		sb_free(&q);
		ftype mapped;
		if (!pgc_map_type(ftype_oid(cc->type), ftype_typmod(cc->type), "other", &mapped,
		                  &h->info[i].decode, &h->info[i].push))
			h->info[i].push = PGC_PUSH_NONE;
	}
	w->base.table = &h->base;
	e = write_start(w, create.data);
	if (e) goto fail;
	sb_free(&create);
	*out = &w->base;
	return NULL;
fail:
	sb_free(&create);
	write_free(w);
	return e;
}

/* ---- sinks ---- */

/* Hand bytes to the COPY stream; the first failure sticks to the write. */
static ferr *write_send(pgc_write *w, const char *p, size_t n, int64_t rows)
{
	pthread_mutex_lock(&w->mu);
	ferr *e = NULL;
	if (w->failed) {
		e = ferr_copy(w->failed);
	} else if (!w->conn) {
		e = ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': write already ended", w->cat->base.name);
	} else {
		/* blocking mode: a slow server holds the sinks back here (back-pressure) */
		if (n > 0 && PQputCopyData(w->conn, p, (int)n) != 1) {
			w->failed = pgc_result_error(w->cat->base.name, w->conn, NULL);
			e = ferr_copy(w->failed);
		} else {
			w->rows += rows;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return e;
}

/* Append the COPY binary form of row of b to out. */
static void encode_row(strbuf *out, const batch *b, int row)
{
	sb_put_u16(out, (uint16_t)b->ncols);
	for (int c = 0; c < b->ncols; c++) {
		const vector *v = &b->cols[c];
		if (vector_is_null(v, row)) {
			sb_put_u32(out, 0xFFFFFFFFu);
			continue;
		}
		size_t at = out->len;
		sb_put_u32(out, 0); /* length, patched below */
		value_out_binary(v->type, vector_at(v, row), out);
		uint32_t n = (uint32_t)(out->len - at - 4);
		unsigned char *lp = (unsigned char *)out->data + at;
		lp[0] = (unsigned char)(n >> 24), lp[1] = (unsigned char)(n >> 16);
		lp[2] = (unsigned char)(n >> 8), lp[3] = (unsigned char)n;
	}
}

static ferr *sink_append(conn_page_sink *sink, const batch *b)
{
	pgc_sink *s = (pgc_sink *)sink;
	const conn_table *t = s->w->base.table;
	if (b->ncols != t->ncols)
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': batch of %d columns for a table of %d",
		                s->w->cat->base.name, b->ncols, t->ncols);
	int64_t rows = 0;
	for (int i = 0; i < b->count; i++) {
		encode_row(&s->buf, b, batch_row(b, i));
		rows++;
		if (s->buf.len >= PGC_SINK_CHUNK) {
			TRY(write_send(s->w, s->buf.data, s->buf.len, rows));
			sb_reset(&s->buf);
			rows = 0;
		}
	}
	if (s->buf.len > 0) {
		TRY(write_send(s->w, s->buf.data, s->buf.len, rows));
		sb_reset(&s->buf);
	}
	return NULL;
}

/* Every append was sent already; a failure seen since is reported now. */
static ferr *sink_finish(conn_page_sink *sink) { return write_send(((pgc_sink *)sink)->w, NULL, 0, 0); }

static void sink_close(conn_page_sink *sink)
{
	pgc_sink *s = (pgc_sink *)sink;
	sb_free(&s->buf);
	free(s);
}

/* The sink's rows already went into the COPY: abort_write rolls them back. */
static void sink_abort(conn_page_sink *sink) { sink_close(sink); }

static const conn_page_sink_ops pgc_sink_ops = {sink_append, sink_finish, sink_abort, sink_close};

ferr *pgc_open_page_sink(conn_catalog *cat, conn_write *cw, conn_page_sink **out)
{
	(void)cat;
	pgc_sink *s = xcalloc(1, sizeof *s);
	s->base.ops = &pgc_sink_ops;
	s->w = (pgc_write *)cw;
	*out = &s->base;
	return NULL;
}

/* ---- commit / abort ---- */

ferr *pgc_finish_write(conn_catalog *cat, conn_write *cw)
{
	(void)cat;
	pgc_write *w = (pgc_write *)cw;
	const char *name = w->cat->base.name;
	ferr *e = NULL;
	pthread_mutex_lock(&w->mu);
	if (w->failed) {
		e = w->failed;
		w->failed = NULL;
		goto out;
	}
	char trailer[2] = {'\377', '\377'};
	if (PQputCopyData(w->conn, trailer, 2) != 1 || PQputCopyEnd(w->conn, NULL) != 1) {
		e = pgc_result_error(name, w->conn, NULL);
		goto out;
	}
	w->in_copy = false;
	/* the COPY's own result: a constraint or type error shows here */
	PGresult *r = PQgetResult(w->conn);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) e = pgc_result_error(name, w->conn, r);
	PQclear(r);
	while ((r = PQgetResult(w->conn)) != NULL) PQclear(r);
	if (e) goto out;
	r = PQexec(w->conn, "COMMIT");
	/* COMMIT of an aborted transaction says COMMAND_OK with tag ROLLBACK */
	if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			e = ferr_new(SQLSTATE_INTERNAL_ERROR, "catalog '%s': the remote transaction was rolled back",
			             name);
		else if (pgc_conn_lost(w->conn, r))
			e = ferr_detail(pgc_result_error(name, w->conn, r),
			                "The connection was lost during COMMIT: whether the rows were stored is unknown.");
		else
			e = pgc_result_error(name, w->conn, r);
	}
	PQclear(r);
out:
	pthread_mutex_unlock(&w->mu);
	/* new rows (and a new table) change sizes and statistics */
	pgc_cache_invalidate(&w->cat->cache);
	write_free(w);
	return e;
}

void pgc_abort_write(conn_catalog *cat, conn_write *cw)
{
	(void)cat;
	pgc_write *w = (pgc_write *)cw;
	pthread_mutex_lock(&w->mu);
	write_release(w);
	pthread_mutex_unlock(&w->mu);
	pgc_cache_invalidate(&w->cat->cache);
	write_free(w);
}

/* ---- pushed DELETE / UPDATE (apply_delete, apply_update) ----
 *
 * A DELETE or UPDATE whose WHERE the filter pushdown took entirely runs as
 * one statement on the server: the handle carries it and a scan of the
 * handle runs it once, in its own implicit transaction (so ON DELETE
 * actions, triggers and constraints are the server's), returning the count
 * PostgreSQL reported. It is never retried: a statement whose connection
 * was lost may have committed.
 */

static bool dml_allowed(const pgc_table *h)
{
	/* only a plain table scan with pushed filters says which rows to change */
	return !h->dml && !h->group_by && !h->from && !h->order_by && h->limit < 0;
}

static conn_table *dml_handle(const pgc_table *h, const char *sql, arena *a)
{
	pgc_table *nh = arena_alloc(a, sizeof *nh);
	*nh = *h;
	nh->base.ncols = 1;
	nh->base.cols = arena_zalloc(a, sizeof(conn_column));
	nh->base.cols[0] = (conn_column){.name = "rows", .type = ftype_make(TYPE_INT8), .nullable = false};
	nh->base.npk = 0;
	nh->base.pk = NULL;
	nh->info = arena_zalloc(a, sizeof(pgc_colinfo));
	nh->info[0] = (pgc_colinfo){.select_sql = "rows", .decode = PGC_DEC_INT8, .push = PGC_PUSH_NONE};
	nh->dml = arena_strdup(a, sql);
	return &nh->base;
}

ferr *pgc_apply_delete(conn_catalog *cat, const conn_table *t, arena *a, conn_table **out)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	if (!dml_allowed(h)) return NULL;
	strbuf sql = STRBUF_INIT;
	pgc_delete_sql(&sql, h);
	*out = dml_handle(h, sql.data, a);
	sb_free(&sql);
	return NULL;
}

ferr *pgc_apply_update(conn_catalog *cat, const conn_table *t, int nset, const int *cols,
                       const fvalue *values, arena *a, conn_table **out)
{
	(void)cat;
	const pgc_table *h = (const pgc_table *)t;
	*out = NULL;
	if (!dml_allowed(h)) return NULL;
	strbuf sql = STRBUF_INIT;
	if (pgc_update_sql(&sql, h, nset, cols, values)) *out = dml_handle(h, sql.data, a);
	sb_free(&sql);
	return NULL;
}

typedef struct pgc_dml_source {
	conn_page_source base;
	pgc_catalog *cat;
	const char *sql;
	bool done;
} pgc_dml_source;

static ferr *dml_next(conn_page_source *src, arena *a, batch **out)
{
	pgc_dml_source *s = (pgc_dml_source *)src;
	*out = NULL;
	if (s->done) return NULL;
	s->done = true;
	PGconn *conn;
	bool reused;
	TRY(pgc_pool_get(&s->cat->pool, &conn, &reused));
	PGresult *r = PQexec(conn, s->sql);
	ferr *e = NULL;
	int64_t rows = 0;
	if (PQresultStatus(r) == PGRES_COMMAND_OK) rows = strtoll(PQcmdTuples(r), NULL, 10);
	else e = pgc_result_error(s->cat->base.name, conn, r);
	PQclear(r);
	pgc_pool_put(&s->cat->pool, conn);
	pgc_cache_invalidate(&s->cat->cache);
	if (e) return e;
	ftype t = ftype_make(TYPE_INT8);
	batch *b = batch_create(a, 1, &t, 1);
	*(int64_t *)vector_at(&b->cols[0], 0) = rows;
	b->count = 1;
	*out = b;
	return NULL;
}

static void dml_close(conn_page_source *src) { (void)src; }
static int64_t dml_bytes(conn_page_source *src)
{
	(void)src;
	return 0;
}

static const conn_page_source_ops pgc_dml_ops = {dml_next, dml_close, dml_bytes};

ferr *pgc_open_dml_source(conn_catalog *cat, const pgc_table *t, arena *a, conn_page_source **out)
{
	pgc_dml_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &pgc_dml_ops;
	s->cat = (pgc_catalog *)cat;
	s->sql = arena_strdup(a, t->dml);
	*out = &s->base;
	return NULL;
}
