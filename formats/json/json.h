/*
 * json.h — JSON lines as Hive's JsonSerDe reads and writes them: one
 * object per line whose members are columns. A small validating scanner
 * of our own (not jansson) so that numbers keep their exact text (a
 * decimal(38,10) must not pass through a double) and nothing is built per
 * member; nesting is bounded, strings are checked for escapes and UTF-8.
 */
#ifndef FERRY_FORMATS_JSON_H
#define FERRY_FORMATS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"

#define JSONL_MAX_DEPTH 64

typedef enum jsonl_kind { JSONL_NULL, JSONL_TRUE, JSONL_FALSE, JSONL_NUMBER, JSONL_STRING, JSONL_NESTED } jsonl_kind;

/* One member: key and string values are the text between the quotes, still escaped. */
typedef struct jsonl_member {
	const char *key;
	size_t key_len;
	jsonl_kind kind;
	const char *val; /* number text, string contents, or the whole nested object/array */
	size_t val_len;
} jsonl_member;

/* Called per member; a non-zero return stops the parse and is returned. */
typedef int (*jsonl_member_cb)(void *ctx, const jsonl_member *m);

/*
 * Parse a line holding one JSON object (whitespace around it allowed).
 * Returns NULL, or a static message with *err_at the byte offset of the
 * problem; *cb_rc gets a callback's non-zero return (then NULL is returned).
 */
const char *jsonl_parse_object(const char *p, size_t len, jsonl_member_cb cb, void *ctx, int *cb_rc,
                               size_t *err_at);
/* Whether a line is only whitespace (skipped by readers). */
bool jsonl_blank(const char *p, size_t len);
/* A string's contents unescaped into out (UTF-8); false on a bad escape or lone surrogate. */
bool jsonl_unescape(const char *p, size_t len, strbuf *out);
/* Append a JSON string literal (quotes included) for UTF-8 text. */
void jsonl_write_string(const char *p, size_t len, strbuf *out);

#endif
