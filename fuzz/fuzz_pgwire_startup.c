/*
 * fuzz_pgwire_startup.c — libFuzzer target for the wire-protocol reader:
 * the input is what a client sends on a fresh connection, a startup packet
 * (length word, request code, parameters) followed by frontend messages
 * (type, length, body). Each piece goes through the same checks the
 * session applies (pgw_check_startup_len, pgw_parse_startup,
 * pgw_check_header) and each message body is read field by field with
 * pgw_reader the way the session reads that message type.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pgwire/msg.h"
#include "pgwire/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int32_t be32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

/* Read one message body by its type, as gateway/session.c does. */
static void read_message(char type, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	switch (type) {
	case PGW_FE_QUERY: (void)pgw_get_str(&r); break;
	case PGW_FE_PARSE: {
		(void)pgw_get_str(&r);
		(void)pgw_get_str(&r);
		int16_t n = pgw_get_int16(&r);
		for (int i = 0; i < n && !r.err; i++) (void)pgw_get_int32(&r);
		break;
	}
	case PGW_FE_BIND: {
		(void)pgw_get_str(&r);
		(void)pgw_get_str(&r);
		int16_t nfmt = pgw_get_int16(&r);
		for (int i = 0; i < nfmt && !r.err; i++) (void)pgw_get_int16(&r);
		int16_t np = pgw_get_int16(&r);
		for (int i = 0; i < np && !r.err; i++) {
			int32_t l = pgw_get_int32(&r);
			if (l > 0) (void)pgw_get_bytes(&r, (size_t)l);
		}
		int16_t nrf = pgw_get_int16(&r);
		for (int i = 0; i < nrf && !r.err; i++) (void)pgw_get_int16(&r);
		break;
	}
	case PGW_FE_DESCRIBE:
	case PGW_FE_CLOSE:
		(void)pgw_get_int8(&r);
		(void)pgw_get_str(&r);
		break;
	case PGW_FE_EXECUTE:
		(void)pgw_get_str(&r);
		(void)pgw_get_int32(&r);
		break;
	case PGW_FE_PASSWORD:
	case PGW_FE_COPY_FAIL: (void)pgw_get_str(&r); break;
	case PGW_FE_COPY_DATA: (void)pgw_get_bytes(&r, pgw_remaining(&r)); break;
	default: break; /* Sync, Flush, Terminate, CopyDone: no body */
	}
	pgw_expect_end(&r);
	ferr_free(pgw_reader_error(&r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4) return 0;
	size_t body_len;
	ferr *e = pgw_check_startup_len(be32(data), &body_len);
	if (e) {
		ferr_free(e);
		return 0;
	}
	data += 4;
	size -= 4;
	if (body_len > size) body_len = size; /* the connection would wait; parse what came */
	arena *a = arena_create(NULL, "fuzz startup");
	pgw_startup st;
	/* Copies of each piece, so that reading past one is caught by ASan. */
	uint8_t *copy = malloc(body_len ? body_len : 1);
	memcpy(copy, data, body_len);
	e = pgw_parse_startup(a, copy, body_len, &st);
	if (!e && st.kind == PGW_STARTUP_NORMAL) {
		/* What the session echoes back from the parameters. */
		strbuf sb = STRBUF_INIT;
		const char *user = pgw_startup_get(&st, "user");
		const char *db = pgw_startup_get(&st, "database");
		for (int i = 0; i < st.nparams; i++) pgw_write_parameter_status(&sb, st.params[i].name, st.params[i].value);
		pgw_write_parameter_status(&sb, "user", user ? user : "");
		pgw_write_parameter_status(&sb, "database", db ? db : "");
		sb_free(&sb);
	}
	ferr_free(e);
	free(copy);
	data += body_len;
	size -= body_len;
	/* Frontend messages after the startup packet. */
	while (size >= 5) {
		char type = (char)data[0];
		size_t len;
		e = pgw_check_header(type, be32(data + 1), &len);
		if (e) {
			ferr_free(e);
			break;
		}
		data += 5;
		size -= 5;
		if (len > size) len = size;
		uint8_t *body = malloc(len ? len : 1);
		memcpy(body, data, len);
		read_message(type, body, len);
		free(body);
		data += len;
		size -= len;
	}
	arena_destroy(a);
	return 0;
}
