/*
 * msg.c — protocol message writer, bounds-checked reader, startup packet
 * parsing and the backend message builders (see msg.h).
 * Must never read past a client buffer or trust a length from the wire:
 * every malformed input becomes an 08P01 ferr.
 */
#include "pgwire/msg.h"

#include <stdio.h>
#include <string.h>

#include "pgwire/proto.h"

/* ---- writer ---- */

size_t pgw_msg_begin(strbuf *sb, char type)
{
	sb_putc(sb, type);
	size_t start = sb->len;
	sb_put_u32(sb, 0); /* length patched by pgw_msg_end */
	return start;
}

void pgw_put_int8(strbuf *sb, uint8_t v) { sb_put_u8(sb, v); }
void pgw_put_int16(strbuf *sb, int16_t v) { sb_put_u16(sb, (uint16_t)v); }
void pgw_put_int32(strbuf *sb, int32_t v) { sb_put_u32(sb, (uint32_t)v); }
void pgw_put_int64(strbuf *sb, int64_t v) { sb_put_u64(sb, (uint64_t)v); }

void pgw_put_str(strbuf *sb, const char *s)
{
	sb_append(sb, s ? s : "", strlen(s ? s : "") + 1);
}

void pgw_put_bytes(strbuf *sb, const void *p, size_t n)
{
	if (n) sb_append(sb, p, n);
}

void pgw_msg_end(strbuf *sb, size_t start)
{
	uint32_t len = (uint32_t)(sb->len - start);
	uint8_t *p = (uint8_t *)sb->data + start;
	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
}

/* ---- reader ---- */

void pgw_reader_init(pgw_reader *r, const void *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->pos = 0;
	r->err = NULL;
}

/* Records the first error only: later ones are consequences of it. */
static void reader_fail(pgw_reader *r, const char *what)
{
	if (!r->err)
		r->err = ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid message format: %s", what);
	r->pos = r->len;
}

static const uint8_t *reader_take(pgw_reader *r, size_t n, const char *what)
{
	if (r->err) return NULL;
	if (n > r->len - r->pos) {
		reader_fail(r, what);
		return NULL;
	}
	const uint8_t *p = r->data + r->pos;
	r->pos += n;
	return p;
}

uint8_t pgw_get_int8(pgw_reader *r)
{
	const uint8_t *p = reader_take(r, 1, "truncated byte");
	return p ? p[0] : 0;
}

int16_t pgw_get_int16(pgw_reader *r)
{
	const uint8_t *p = reader_take(r, 2, "truncated int16");
	return p ? (int16_t)(((uint16_t)p[0] << 8) | p[1]) : 0;
}

int32_t pgw_get_int32(pgw_reader *r)
{
	const uint8_t *p = reader_take(r, 4, "truncated int32");
	if (!p) return 0;
	return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	                 p[3]);
}

const char *pgw_get_str(pgw_reader *r)
{
	if (r->err) return "";
	const uint8_t *start = r->data + r->pos;
	const uint8_t *nul = memchr(start, 0, r->len - r->pos);
	if (!nul) {
		reader_fail(r, "unterminated string");
		return "";
	}
	r->pos += (size_t)(nul - start) + 1;
	return (const char *)start;
}

const void *pgw_get_bytes(pgw_reader *r, size_t n)
{
	return reader_take(r, n, "truncated value");
}

size_t pgw_remaining(const pgw_reader *r) { return r->len - r->pos; }

void pgw_expect_end(pgw_reader *r)
{
	if (!r->err && r->pos != r->len) reader_fail(r, "trailing bytes");
}

ferr *pgw_reader_error(pgw_reader *r)
{
	ferr *e = r->err;
	r->err = NULL;
	return e;
}

ferr *pgw_check_header(char type, int32_t len, size_t *body_len)
{
	/* The length counts itself; anything below 4 or above the limit is a
	 * broken or hostile client, and we must not allocate for it. */
	if (len < 4 || len > PGW_MAX_MESSAGE_LEN)
		return ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid message length %d for message type \"%c\"",
		                (int)len, (type >= 32 && type < 127) ? type : '?');
	*body_len = (size_t)len - 4;
	return NULL;
}

/* ---- startup ---- */

ferr *pgw_check_startup_len(int32_t len, size_t *body_len)
{
	/* 4 for the length, 4 for the request code at least. */
	if (len < 8 || len > PGW_MAX_STARTUP_LEN)
		return ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid length of startup packet");
	*body_len = (size_t)len - 4;
	return NULL;
}

ferr *pgw_parse_startup(arena *a, const void *body, size_t len, pgw_startup *out)
{
	memset(out, 0, sizeof *out);
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	int32_t code = pgw_get_int32(&r);
	out->protocol = code;
	if (r.err) return pgw_reader_error(&r);
	switch (code) {
	case PGW_SSL_REQUEST_CODE:
		out->kind = PGW_STARTUP_SSL;
		pgw_expect_end(&r);
		return pgw_reader_error(&r);
	case PGW_GSSENC_REQUEST_CODE:
		out->kind = PGW_STARTUP_GSSENC;
		pgw_expect_end(&r);
		return pgw_reader_error(&r);
	case PGW_CANCEL_REQUEST_CODE:
		out->kind = PGW_STARTUP_CANCEL;
		out->cancel_pid = pgw_get_int32(&r);
		out->cancel_key = pgw_get_int32(&r);
		pgw_expect_end(&r);
		return pgw_reader_error(&r);
	default:
		break;
	}
	if ((code >> 16) != 3)
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
		                "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0",
		                code >> 16, code & 0xffff);
	out->kind = PGW_STARTUP_NORMAL;
	/* name/value pairs; the list ends with an empty name. */
	int cap = 8;
	out->params = arena_alloc(a, sizeof(pgw_startup_param) * (size_t)cap);
	for (;;) {
		const char *name = pgw_get_str(&r);
		if (r.err) return pgw_reader_error(&r);
		if (!*name) break;
		const char *value = pgw_get_str(&r);
		if (r.err) return pgw_reader_error(&r);
		if (out->nparams == cap) {
			out->params = arena_realloc(a, out->params, sizeof(pgw_startup_param) * (size_t)cap,
			                            sizeof(pgw_startup_param) * (size_t)cap * 2);
			cap *= 2;
		}
		out->params[out->nparams].name = arena_strdup(a, name);
		out->params[out->nparams].value = arena_strdup(a, value);
		out->nparams++;
	}
	pgw_expect_end(&r);
	if (r.err) return pgw_reader_error(&r);
	if (!pgw_startup_get(out, "user"))
		return ferr_new(SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
		                "no PostgreSQL user name specified in startup packet");
	return NULL;
}

const char *pgw_startup_get(const pgw_startup *s, const char *name)
{
	for (int i = 0; i < s->nparams; i++)
		if (strcmp(s->params[i].name, name) == 0) return s->params[i].value;
	return NULL;
}

/* ---- backend messages ---- */

void pgw_write_auth_ok(strbuf *sb)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_AUTHENTICATION);
	pgw_put_int32(sb, PGW_AUTH_OK);
	pgw_msg_end(sb, m);
}

void pgw_write_parameter_status(strbuf *sb, const char *name, const char *value)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_PARAMETER_STATUS);
	pgw_put_str(sb, name);
	pgw_put_str(sb, value);
	pgw_msg_end(sb, m);
}

void pgw_write_backend_key_data(strbuf *sb, int32_t pid, int32_t key)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_BACKEND_KEY_DATA);
	pgw_put_int32(sb, pid);
	pgw_put_int32(sb, key);
	pgw_msg_end(sb, m);
}

void pgw_write_ready_for_query(strbuf *sb, char txn_status)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_READY_FOR_QUERY);
	pgw_put_int8(sb, (uint8_t)txn_status);
	pgw_msg_end(sb, m);
}

static void put_field(strbuf *sb, char code, const char *value)
{
	if (!value) return;
	pgw_put_int8(sb, (uint8_t)code);
	pgw_put_str(sb, value);
}

void pgw_write_error(strbuf *sb, const ferr *e, int notice)
{
	const char *sev = e->severity ? e->severity : (notice ? "NOTICE" : "ERROR");
	size_t m = pgw_msg_begin(sb, notice ? PGW_BE_NOTICE_RESPONSE : PGW_BE_ERROR_RESPONSE);
	put_field(sb, PGW_FIELD_SEVERITY, sev);
	/* V is the untranslated severity (protocol 3.0, PostgreSQL >= 9.6). */
	put_field(sb, PGW_FIELD_SEVERITY_NONLOCALIZED, sev);
	put_field(sb, PGW_FIELD_SQLSTATE, e->sqlstate[0] ? e->sqlstate : "XX000");
	put_field(sb, PGW_FIELD_MESSAGE, e->message ? e->message : "");
	put_field(sb, PGW_FIELD_DETAIL, e->detail);
	put_field(sb, PGW_FIELD_HINT, e->hint);
	if (e->position > 0) {
		char pos[16];
		snprintf(pos, sizeof pos, "%d", e->position);
		put_field(sb, PGW_FIELD_POSITION, pos);
	}
	pgw_put_int8(sb, 0);
	pgw_msg_end(sb, m);
}

void pgw_write_command_complete(strbuf *sb, const char *tag)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_COMMAND_COMPLETE);
	pgw_put_str(sb, tag);
	pgw_msg_end(sb, m);
}

/* Messages with no body. */
static void write_empty(strbuf *sb, char type)
{
	size_t m = pgw_msg_begin(sb, type);
	pgw_msg_end(sb, m);
}

void pgw_write_empty_query(strbuf *sb) { write_empty(sb, PGW_BE_EMPTY_QUERY_RESPONSE); }
void pgw_write_parse_complete(strbuf *sb) { write_empty(sb, PGW_BE_PARSE_COMPLETE); }
void pgw_write_bind_complete(strbuf *sb) { write_empty(sb, PGW_BE_BIND_COMPLETE); }
void pgw_write_close_complete(strbuf *sb) { write_empty(sb, PGW_BE_CLOSE_COMPLETE); }
void pgw_write_no_data(strbuf *sb) { write_empty(sb, PGW_BE_NO_DATA); }
void pgw_write_portal_suspended(strbuf *sb) { write_empty(sb, PGW_BE_PORTAL_SUSPENDED); }

void pgw_write_parameter_description(strbuf *sb, const uint32_t *oids, int n)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_PARAMETER_DESCRIPTION);
	pgw_put_int16(sb, (int16_t)n);
	for (int i = 0; i < n; i++) pgw_put_int32(sb, (int32_t)oids[i]);
	pgw_msg_end(sb, m);
}

void pgw_write_row_description(strbuf *sb, const pgw_field *fields, int n)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_ROW_DESCRIPTION);
	pgw_put_int16(sb, (int16_t)n);
	for (int i = 0; i < n; i++) {
		const pgw_field *f = &fields[i];
		pgw_put_str(sb, f->name);
		pgw_put_int32(sb, (int32_t)f->table_oid);
		pgw_put_int16(sb, f->column_attnum);
		pgw_put_int32(sb, (int32_t)f->type_oid);
		pgw_put_int16(sb, f->type_len);
		pgw_put_int32(sb, f->typmod);
		pgw_put_int16(sb, f->format);
	}
	pgw_msg_end(sb, m);
}

size_t pgw_datarow_begin(strbuf *sb, int16_t ncols)
{
	size_t m = pgw_msg_begin(sb, PGW_BE_DATA_ROW);
	pgw_put_int16(sb, ncols);
	return m;
}

void pgw_datarow_put(strbuf *sb, const void *value, int32_t len)
{
	pgw_put_int32(sb, len);
	pgw_put_bytes(sb, value, (size_t)len);
}

void pgw_datarow_put_null(strbuf *sb) { pgw_put_int32(sb, -1); }
