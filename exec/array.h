/*
 * array.h — one-dimensional arrays (lower bound 1) of any stored type but
 * arrays: the packed value encoding, PostgreSQL's text and binary forms,
 * ordering and hashing, and a builder that operators and connectors use to
 * make array values. The encoding lives only here; everything else reads
 * arrays through array_iter and writes them through array_builder.
 *
 * A value of TYPE_ARRAY is an fstring (so vectors, exchanges, hashing and
 * copying treat it as a string) holding:
 *
 *   uint32 n          element count (native byte order)
 *   uint8  flags      ARRAY_HAS_NULLS when any element is NULL
 *   bitmap            (n + 7) / 8 bytes, bit i set = element i is NULL;
 *                     present only with ARRAY_HAS_NULLS
 *   elements          fixed-width element types: n slots of the vector
 *                     width (a NULL element's slot is zero bytes);
 *                     string-like ones (text, bytea, json, ...): per
 *                     element a uint32 length and the bytes (NULL: length 0)
 *
 * The encoding is canonical: one array value has one byte string, so byte
 * equality is array equality wherever the element's equality is bytewise.
 */
#ifndef FERRY_ARRAY_H
#define FERRY_ARRAY_H

#include "exec/types.h"

#define ARRAY_HAS_NULLS 1
/* Most elements one array may hold (PostgreSQL's MaxArraySize is larger;
 * Ferry keeps a value well inside its 32-bit string length). */
#define ARRAY_MAX_ELEMS (1u << 26)

/*
 * Arrays that print as PostgreSQL prints records: the SEARCH columns of WITH
 * RECURSIVE (planner/analyze_recursive.c), whose order must be their
 * fields' order. ARRAY_RECORDS(k): every k elements are one record of an
 * array of records ({"(1,2)","(2,3)"}, {(1),(2)}); ARRAY_RECORD_ONE: the
 * elements are the fields of one record ((0,1,2)). Kept in the element
 * modifier's length (array_record_length), which only element types that do
 * not use it may carry (array_record_elem_ok).
 */
#define ARRAY_RECORD_ONE (-999)
#define ARRAY_RECORDS(k) (-1000 - (k))
static inline int array_record_length(ftype arr)
{
	return arr.id == TYPE_ARRAY && arr.length <= ARRAY_RECORD_ONE ? arr.length : 0;
}
bool array_record_elem_ok(ftype elem);
/* record_out's quoting of one field (a NULL field is nothing at all). */
void record_field_out(const char *s, size_t n, strbuf *out);

/* Whether arrays of t exist (every stored type but arrays and unknown). */
bool array_elem_supported(type_id t);
/* The array type of elem (its modifier becomes the array's) and back. */
ftype ftype_array(ftype elem);
ftype ftype_array_elem(ftype arr);
/* PostgreSQL's array type OID for an element type; 0 when it has none. */
uint32_t array_oid_of(ftype elem);
/* The array type an array OID names (element typmod applied); false if none. */
bool array_from_oid(uint32_t oid, int32_t elem_typmod, ftype *out);
/* "_int4", "_text" ...: the array type a pg_type name names; false if none. */
bool array_from_type_name(const char *name, ftype *out);
/* format_type: "integer[]", "character varying(10)[]". */
void array_format_type(ftype arr, strbuf *out);

/* ---- reading ---- */

/* Room for one element in vector layout (the widest is 16 bytes). */
typedef union array_slot {
	fstring s;
	__int128 align;
	char bytes[16];
} array_slot;

typedef struct array_iter {
	ftype elem;
	size_t width; /* vector width of an element */
	bool var;     /* string-like elements: length-prefixed */
	uint32_t n, i;
	const uint8_t *nulls; /* NULL when no element is NULL */
	const char *p;        /* next element */
	array_slot slot; /* the current element in vector layout */
} array_iter;

static inline uint32_t array_count(fstring v)
{
	uint32_t n = 0;
	if (v.len >= 4) __builtin_memcpy(&n, v.ptr, 4);
	return n;
}
void array_iter_init(array_iter *it, ftype arr, fstring v);
/*
 * Advance to the next element: false at the end. *elem is NULL for a NULL
 * element, else it points at the element in vector layout (valid until the
 * next call; string elements point into the array value itself).
 */
bool array_iter_next(array_iter *it, const void **elem);
/* Element i (0-based, i < n) without walking fixed-width arrays. */
bool array_get(ftype arr, fstring v, uint32_t i, array_iter *scratch, const void **elem);

/* ---- building ---- */

typedef struct array_builder {
	ftype elem;
	size_t width;
	bool var;
	arena *a;
	uint32_t n;
	bool has_null;
	uint8_t *nulls;
	size_t nulls_cap;
	char *buf;
	size_t len, cap;
} array_builder;

/*
 * Build an array of elem values in arena a: init, add each element in
 * order (elem_value in vector layout, NULL for a NULL element), finish.
 * The result lives in a; string elements are copied. This is the seam for
 * connectors that produce arrays (catalog tables, remote array columns):
 * set the finished fstring into a vector of type ftype_array(elem).
 */
void array_builder_init(array_builder *ab, ftype elem, arena *a);
void array_builder_add(array_builder *ab, const void *elem_value);
fstring array_builder_finish(array_builder *ab);

/* ---- PostgreSQL's forms, order, hash (called through types.c) ---- */

void array_out_text(ftype arr, fstring v, const fmt_settings *fs, strbuf *out);
/* array_in: PostgreSQL's quoting and escaping; 22P02 "malformed array literal". */
ferr *array_in_text(ftype arr, const char *s, size_t len, arena *a, const fmt_settings *fs, fstring *out);
void array_out_binary(ftype arr, fstring v, strbuf *out);
ferr *array_in_binary(ftype arr, const char *p, size_t len, arena *a, fstring *out);
/* Element by element, a NULL element after every value, then by length. */
int array_compare(ftype arr, fstring x, fstring y);
uint64_t array_hash(ftype arr, fstring v);

#endif
