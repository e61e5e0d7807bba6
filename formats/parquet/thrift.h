/*
 * thrift.h — a bounded reader for Thrift's compact protocol, enough to
 * decode Parquet's footer and page headers. It never reads past the bytes
 * it was given, never recurses deeper than THRIFT_MAX_DEPTH and never
 * trusts a length or count beyond what the remaining bytes could hold.
 * Errors are sticky: the first one is kept in r->error and every later
 * call returns a zero value, so decoders check once at the end.
 */
#ifndef FERRY_PARQUET_THRIFT_H
#define FERRY_PARQUET_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define THRIFT_MAX_DEPTH 32

/* Compact protocol type codes. */
enum {
	TT_STOP = 0,
	TT_TRUE = 1,
	TT_FALSE = 2,
	TT_BYTE = 3,
	TT_I16 = 4,
	TT_I32 = 5,
	TT_I64 = 6,
	TT_DOUBLE = 7,
	TT_BINARY = 8,
	TT_LIST = 9,
	TT_SET = 10,
	TT_MAP = 11,
	TT_STRUCT = 12
};

typedef struct thrift_reader {
	const uint8_t *start;
	const uint8_t *p;
	const uint8_t *end;
	int depth;
	const char *error; /* first error (static string), NULL while fine */
	size_t error_at;   /* byte offset of the error from start */
} thrift_reader;

void thrift_init(thrift_reader *r, const void *p, size_t len);
void thrift_fail(thrift_reader *r, const char *what);
static inline bool thrift_ok(const thrift_reader *r) { return r->error == NULL; }
static inline size_t thrift_consumed(const thrift_reader *r) { return (size_t)(r->p - r->start); }

/*
 * Struct iteration:
 *   int16_t last = 0, id; int type;
 *   if (!thrift_struct_begin(r)) ...;
 *   while (thrift_field(r, &last, &id, &type)) switch (id) { ... default: thrift_skip(r, type); }
 *   thrift_struct_end(r);
 * thrift_field returns false at the STOP byte or on error.
 */
bool thrift_struct_begin(thrift_reader *r);
bool thrift_field(thrift_reader *r, int16_t *last_id, int16_t *id, int *type);
void thrift_struct_end(thrift_reader *r);

/* Field values; type is the field's (or list element's) type code. A type
 * that does not fit the request is an error. */
int64_t thrift_int(thrift_reader *r, int type); /* BYTE, I16, I32, I64 */
int32_t thrift_i32(thrift_reader *r, int type); /* also checks the value fits */
bool thrift_bool(thrift_reader *r, int type);   /* a struct field's bool */
double thrift_double(thrift_reader *r, int type);
/* BINARY/string: points into the input; false on error. */
bool thrift_binary(thrift_reader *r, int type, const uint8_t **p, uint32_t *len);
/* LIST or SET header: element type and count (bounded by the bytes left). */
uint32_t thrift_list(thrift_reader *r, int type, int *elem_type);
/* Skip a field value of the given type (structs, lists, maps recursively). */
void thrift_skip(thrift_reader *r, int type);

#endif
