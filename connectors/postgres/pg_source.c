/*
 * pg_source.c — the page source of one split: COPY (SELECT ...) TO STDOUT
 * (FORMAT binary) on a pooled connection, decoded straight into batch
 * vectors. PostgreSQL's binary forms use Ferry's epochs (days / microseconds
 * since 2000-01-01), so fixed-width values are byte swaps. It must always
 * hand its connection back to the pool (or close it), whatever happens.
 */
#include <string.h>

#include "connectors/postgres/pg_internal.h"

static const char copy_signature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};

typedef struct pgc_source {
	conn_page_source base;
	pgc_catalog *cat;
	PGconn *conn; /* NULL once returned to the pool */
	int ncols;
	ftype *types;
	pgc_decode *dec;
	bool header_done, done;
	/* a CopyData message not fully consumed when the batch filled up */
	char *pbuf;
	int plen, ppos;
	int64_t bytes;
} pgc_source;

static inline uint16_t be16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint16_t)(u[0] << 8 | u[1]);
}
static inline uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}
static inline uint64_t be64(const char *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

/* Give the connection back: drain whatever is left of the COPY first. */
static void source_release(pgc_source *s, bool cancel)
{
	if (s->pbuf) {
		PQfreemem(s->pbuf);
		s->pbuf = NULL;
	}
	if (!s->conn) return;
	if (cancel && PQstatus(s->conn) == CONNECTION_OK) {
		PGcancel *cn = PQgetCancel(s->conn);
		char errbuf[256];
		if (cn) {
			PQcancel(cn, errbuf, sizeof errbuf);
			PQfreeCancel(cn);
		}
		char *buf;
		int len;
		while ((len = PQgetCopyData(s->conn, &buf, 0)) >= 0) PQfreemem(buf);
	}
	PGresult *r;
	while (PQstatus(s->conn) == CONNECTION_OK && (r = PQgetResult(s->conn)) != NULL) PQclear(r);
	pgc_pool_put(&s->cat->pool, s->conn);
	s->conn = NULL;
}

/* The COPY is left midway: the connection cannot be trusted (or drained) again. */
static void abandon_copy(pgc_source *s)
{
	pgc_pool_discard(&s->cat->pool, s->conn);
	s->conn = NULL;
	if (s->pbuf) {
		PQfreemem(s->pbuf);
		s->pbuf = NULL;
	}
}

static ferr *bad_data(pgc_source *s, const char *what)
{
	abandon_copy(s);
	/* typically a column whose type changed remotely: re-read the table next time */
	pgc_cache_invalidate(&s->cat->cache);
	return ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION, "catalog '%s': malformed COPY data from server: %s",
	                s->cat->base.name, what);
}

/* Decode one field of length len at p into row of vector v. */
static ferr *decode_field(pgc_source *s, int col, vector *v, arena *a, int row, const char *p, int32_t len)
{
	switch (s->dec[col]) {
	case PGC_DEC_BOOL:
		if (len != 1) return bad_data(s, "bool length");
		((uint8_t *)v->data)[row] = p[0] != 0;
		return NULL;
	case PGC_DEC_INT2:
		if (len != 2) return bad_data(s, "int2 length");
		((int16_t *)v->data)[row] = (int16_t)be16(p);
		return NULL;
	case PGC_DEC_INT4:
	case PGC_DEC_FLOAT4:
		if (len != 4) return bad_data(s, "4-byte value length");
		{
			uint32_t u = be32(p);
			memcpy((char *)v->data + (size_t)row * 4, &u, 4);
		}
		return NULL;
	case PGC_DEC_INT8:
	case PGC_DEC_FLOAT8:
		if (len != 8) return bad_data(s, "8-byte value length");
		{
			uint64_t u = be64(p);
			memcpy((char *)v->data + (size_t)row * 8, &u, 8);
		}
		return NULL;
	case PGC_DEC_STRING:
		vector_set_string(v, a, row, p, (uint32_t)len);
		return NULL;
	case PGC_DEC_JSONB:
		if (len < 1 || p[0] != 1) return bad_data(s, "jsonb version");
		vector_set_string(v, a, row, p + 1, (uint32_t)len - 1);
		return NULL;
	case PGC_DEC_OTHER: {
		ferr *e = value_in_binary(v->type, p, (size_t)len, a, vector_at(v, row));
		if (!e) return NULL;
		abandon_copy(s); /* e.g. a multidimensional array: closing must not wait for the COPY's end */
		return ferr_prefix(e, "catalog '%s'", s->cat->base.name);
	}
	}
	return NULL;
}

/* Parse rows from the pending message into b until it or the batch is used up. */
static ferr *parse_rows(pgc_source *s, batch *b, arena *a, int *n)
{
	const char *buf = s->pbuf;
	int pos = s->ppos, len = s->plen;
	if (!s->header_done) {
		if (len - pos < 19 || memcmp(buf + pos, copy_signature, 11) != 0) return bad_data(s, "no header");
		uint32_t ext = be32(buf + pos + 15);
		if (ext > (uint32_t)(len - pos - 19)) return bad_data(s, "header extension");
		pos += 19 + (int)ext;
		s->header_done = true;
	}
	while (pos < len && *n < BATCH_CAPACITY) {
		if (len - pos < 2) return bad_data(s, "truncated row");
		int16_t nf = (int16_t)be16(buf + pos);
		pos += 2;
		if (nf == -1) { /* trailer */
			pos = len;
			break;
		}
		if (nf != s->ncols) return bad_data(s, "unexpected field count");
		for (int c = 0; c < s->ncols; c++) {
			if (len - pos < 4) return bad_data(s, "truncated field");
			int32_t fl = (int32_t)be32(buf + pos);
			pos += 4;
			vector *v = &b->cols[c];
			if (fl == -1) {
				vector_set_null(v, a, *n, b->capacity);
				continue;
			}
			if (fl < 0 || fl > len - pos) return bad_data(s, "field length");
			TRY(decode_field(s, c, v, a, *n, buf + pos, fl));
			pos += fl;
		}
		(*n)++;
	}
	s->ppos = pos;
	if (pos >= len) {
		PQfreemem(s->pbuf);
		s->pbuf = NULL;
	}
	return NULL;
}

static ferr *source_next(conn_page_source *src, arena *a, batch **out)
{
	pgc_source *s = (pgc_source *)src;
	*out = NULL;
	if (s->done) return NULL;
	batch *b = batch_create(a, s->ncols, s->types, BATCH_CAPACITY);
	int n = 0;
	while (n < BATCH_CAPACITY) {
		if (!s->pbuf) {
			char *buf;
			int len = PQgetCopyData(s->conn, &buf, 0);
			if (len == -1) {
				/* end of COPY: the final result tells whether it succeeded */
				PGresult *r = PQgetResult(s->conn);
				ferr *e = NULL;
				if (PQresultStatus(r) != PGRES_COMMAND_OK) e = pgc_result_error(s->cat->base.name, s->conn, r);
				PQclear(r);
				source_release(s, false);
				s->done = true;
				if (e) return e;
				break;
			}
			if (len < 0) {
				ferr *e = pgc_result_error(s->cat->base.name, s->conn, NULL);
				source_release(s, false);
				s->done = true;
				return e;
			}
			s->pbuf = buf;
			s->plen = len;
			s->ppos = 0;
			s->bytes += len;
		}
		ferr *e = parse_rows(s, b, a, &n);
		if (e) {
			s->done = true;
			return e;
		}
	}
	b->count = n;
	if (n > 0 || !s->done) *out = b;
	return NULL;
}

static void source_close(conn_page_source *src)
{
	pgc_source *s = (pgc_source *)src;
	source_release(s, !s->done);
	s->done = true;
}

static int64_t source_bytes(conn_page_source *src) { return ((pgc_source *)src)->bytes; }

static const conn_page_source_ops pgc_source_ops = {source_next, source_close, source_bytes};

ferr *pgc_open_page_source(conn_catalog *cat, const conn_table *t, const conn_split *split,
                           int ncols, const int *cols, arena *a, conn_page_source **out)
{
	pgc_catalog *c = (pgc_catalog *)cat;
	const pgc_table *h = (const pgc_table *)t;
	if (h->dml) return pgc_open_dml_source(cat, h, a, out); /* a pushed DELETE / UPDATE */
	for (int i = 0; i < ncols; i++)
		if (cols[i] < 0 || cols[i] >= t->ncols)
			return ferr_new(SQLSTATE_INTERNAL_ERROR, "postgresql: bad column index %d", cols[i]);
	pgc_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &pgc_source_ops;
	s->cat = c;
	s->ncols = ncols;
	s->types = arena_alloc(a, sizeof(ftype) * (size_t)(ncols ? ncols : 1));
	s->dec = arena_alloc(a, sizeof(pgc_decode) * (size_t)(ncols ? ncols : 1));
	for (int i = 0; i < ncols; i++) {
		s->types[i] = t->cols[cols[i]].type;
		s->dec[i] = h->info[cols[i]].decode;
	}
	strbuf sql = STRBUF_INIT;
	sb_puts(&sql, "COPY (");
	pgc_select_sql(h, (const pgc_split *)split, ncols, cols, &sql);
	sb_puts(&sql, ") TO STDOUT (FORMAT binary)");
	ferr *err = NULL;
	for (int attempt = 0;; attempt++) {
		bool reused;
		err = pgc_pool_get(&c->pool, &s->conn, &reused);
		if (err) break;
		PGresult *r = NULL;
		if (PQsendQuery(s->conn, sql.data)) r = PQgetResult(s->conn);
		if (r && PQresultStatus(r) == PGRES_COPY_OUT) {
			PQclear(r);
			break;
		}
		bool lost = pgc_conn_lost(s->conn, r);
		err = pgc_result_error(c->base.name, s->conn, r);
		PQclear(r);
		source_release(s, false);
		/* the table may have changed remotely (42P01, 42703): re-read it next time */
		if (!lost) pgc_cache_invalidate(&c->cache);
		if (lost && reused && attempt == 0) {
			ferr_free(err);
			err = NULL;
			continue;
		}
		break;
	}
	sb_free(&sql);
	if (err) return err;
	*out = &s->base;
	return NULL;
}
