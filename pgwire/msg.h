/*
 * msg.h — typed writer and bounds-checked reader for protocol messages,
 * startup packet parsing and the backend messages built from them.
 * Never trusts a byte from the client: every read is checked and malformed
 * input becomes an 08P01 ferr, never a crash. Knows nothing about SQL.
 */
#ifndef FERRY_PGWIRE_MSG_H
#define FERRY_PGWIRE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"

/* ---- writer (PgBouncer pktbuf style): begin, put_*, end ---- */

/* Starts a message of the given type; returns the offset to pass to end. */
size_t pgw_msg_begin(strbuf *sb, char type);
void pgw_put_int8(strbuf *sb, uint8_t v);
void pgw_put_int16(strbuf *sb, int16_t v);
void pgw_put_int32(strbuf *sb, int32_t v);
void pgw_put_int64(strbuf *sb, int64_t v);
void pgw_put_str(strbuf *sb, const char *s); /* NUL-terminated */
void pgw_put_bytes(strbuf *sb, const void *p, size_t n);
/* Patches the length word of the message started at start. */
void pgw_msg_end(strbuf *sb, size_t start);

/* ---- reader over one received message body ---- */

typedef struct pgw_reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	ferr *err; /* first error; later reads return zero values */
} pgw_reader;

void pgw_reader_init(pgw_reader *r, const void *data, size_t len);
uint8_t pgw_get_int8(pgw_reader *r);
int16_t pgw_get_int16(pgw_reader *r);
int32_t pgw_get_int32(pgw_reader *r);
/* Returns a pointer into the message (NUL-terminated) or "" on error. */
const char *pgw_get_str(pgw_reader *r);
/* Returns a pointer to n bytes in the message or NULL on error. */
const void *pgw_get_bytes(pgw_reader *r, size_t n);
size_t pgw_remaining(const pgw_reader *r);
/* Error if bytes remain (a message longer than its fields is malformed). */
void pgw_expect_end(pgw_reader *r);
/* Takes the reader's error (caller frees); NULL if none. */
ferr *pgw_reader_error(pgw_reader *r);

/*
 * Validates a message header: type byte and the int32 length that includes
 * itself. On success *body_len is the number of body bytes to read.
 */
ferr *pgw_check_header(char type, int32_t len, size_t *body_len);

/* ---- startup ---- */

typedef enum pgw_startup_kind {
	PGW_STARTUP_NORMAL,
	PGW_STARTUP_SSL,
	PGW_STARTUP_GSSENC,
	PGW_STARTUP_CANCEL,
} pgw_startup_kind;

typedef struct pgw_startup_param {
	const char *name;
	const char *value;
} pgw_startup_param;

typedef struct pgw_startup {
	pgw_startup_kind kind;
	int32_t protocol;
	/* NORMAL: name/value pairs (strings in the arena). */
	pgw_startup_param *params;
	int nparams;
	/* CANCEL */
	int32_t cancel_pid;
	int32_t cancel_key;
} pgw_startup;

/*
 * Checks the startup length word (includes itself); *body_len gets the
 * bytes that follow it.
 */
ferr *pgw_check_startup_len(int32_t len, size_t *body_len);
/* Parses the body after the length word (starts with the request code). */
ferr *pgw_parse_startup(arena *a, const void *body, size_t len, pgw_startup *out);
/* Value of a startup parameter or NULL. */
const char *pgw_startup_get(const pgw_startup *s, const char *name);

/* ---- backend messages ---- */

void pgw_write_auth_ok(strbuf *sb);
void pgw_write_parameter_status(strbuf *sb, const char *name, const char *value);
void pgw_write_backend_key_data(strbuf *sb, int32_t pid, int32_t key);
void pgw_write_ready_for_query(strbuf *sb, char txn_status);
/* ErrorResponse ('E') or, with notice set, NoticeResponse ('N'). */
void pgw_write_error(strbuf *sb, const ferr *e, int notice);
void pgw_write_command_complete(strbuf *sb, const char *tag);
void pgw_write_empty_query(strbuf *sb);
void pgw_write_parse_complete(strbuf *sb);
void pgw_write_bind_complete(strbuf *sb);
void pgw_write_close_complete(strbuf *sb);
void pgw_write_no_data(strbuf *sb);
void pgw_write_portal_suspended(strbuf *sb);
void pgw_write_parameter_description(strbuf *sb, const uint32_t *oids, int n);

typedef struct pgw_field {
	const char *name;
	uint32_t table_oid;
	int16_t column_attnum;
	uint32_t type_oid;
	int16_t type_len; /* -1 variable */
	int32_t typmod;   /* -1 none */
	int16_t format;   /* PGW_FORMAT_TEXT / PGW_FORMAT_BINARY */
} pgw_field;

void pgw_write_row_description(strbuf *sb, const pgw_field *fields, int n);

/*
 * DataRow written column by column: begin with the column count, then one
 * put per column (NULL value = SQL NULL), then end.
 */
size_t pgw_datarow_begin(strbuf *sb, int16_t ncols);
void pgw_datarow_put(strbuf *sb, const void *value, int32_t len);
void pgw_datarow_put_null(strbuf *sb);
#define pgw_datarow_end pgw_msg_end

#endif
