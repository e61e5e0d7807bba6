/*
 * test_array.c — the array value encoding (canonical bytes, builder and
 * iterator), text input and output against PostgreSQL 15's strings,
 * hostile literals (unbalanced braces, bad escapes, nesting, huge or
 * truncated binary headers) with their SQLSTATEs, binary round trips,
 * ordering and hashing; array_agg keeping NULL values while its filter
 * column (FILTER, decorrelated ARRAY(subquery)) drops rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/agg_funcs.h"
#include "exec/array.h"
#include "exec/types_internal.h"

static arena *A;
static char outbuf[512];

static ftype arr_of(type_id id) { return ftype_array(ftype_make(id)); }

/* Parse s as array type t and print it back, or "ERR sqlstate message [detail]". */
static const char *rt(ftype t, const char *s)
{
	fstring v;
	ferr *e = value_in_text(t, s, strlen(s), A, &v);
	if (e) {
		snprintf(outbuf, sizeof outbuf, "ERR %s %s%s%s", e->sqlstate, e->message, e->detail ? " | " : "",
		         e->detail ? e->detail : "");
		ferr_free(e);
		return outbuf;
	}
	strbuf sb = STRBUF_INIT;
	value_out_text(t, &v, NULL, &sb);
	snprintf(outbuf, sizeof outbuf, "%s", sb.data ? sb.data : "");
	sb_free(&sb);
	return outbuf;
}

static fstring parse(ftype t, const char *s)
{
	fstring v = {0, NULL};
	ferr *e = value_in_text(t, s, strlen(s), A, &v);
	assert_null(e);
	return v;
}

static void test_text_roundtrip(void **state)
{
	(void)state;
	ftype i4 = arr_of(TYPE_INT4), tx = arr_of(TYPE_TEXT);
	assert_string_equal(rt(i4, "{1,2,NULL}"), "{1,2,NULL}");
	assert_string_equal(rt(i4, "  { 1 ,  -2 }  "), "{1,-2}");
	assert_string_equal(rt(i4, "{}"), "{}");
	assert_string_equal(rt(i4, "{ }"), "{}");
	assert_string_equal(rt(tx, "{a,\"b c\",\"\",NULL,\"\\\"q\\\"\",null}"), "{a,\"b c\",\"\",NULL,\"\\\"q\\\"\",NULL}");
	assert_string_equal(rt(tx, "{\"NULL\",\\N\\ULL}"), "{\"NULL\",\"NULL\"}");
	assert_string_equal(rt(tx, "{x\\ ,\" a \"}"), "{\"x \",\" a \"}");
	assert_string_equal(rt(tx, "{a\\,b,\\\\,{}"), "ERR 0A000 multidimensional arrays are not supported");
	assert_string_equal(rt(tx, "{a\\,b,\\\\}"), "{\"a,b\",\"\\\\\"}");
	assert_string_equal(rt(arr_of(TYPE_BOOL), "{t,false,NULL}"), "{t,f,NULL}");
	assert_string_equal(rt(arr_of(TYPE_FLOAT8), "{1.5e3,-0.25}"), "{1500,-0.25}");
	assert_string_equal(rt(arr_of(TYPE_BYTEA), "{\"\\\\x0102\"}"), "{\"\\\\x0102\"}");
	assert_string_equal(rt(ftype_array(ftype_numeric(5, 2)), "{1.239,2}"), "{1.24,2.00}");
	assert_string_equal(rt(arr_of(TYPE_UUID), "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"),
	                    "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}");
}

static void test_text_errors(void **state)
{
	(void)state;
	ftype i4 = arr_of(TYPE_INT4), tx = arr_of(TYPE_TEXT);
	assert_string_equal(rt(i4, "{1,2"), "ERR 22P02 malformed array literal: \"{1,2\" | Unexpected end of input.");
	assert_string_equal(rt(i4, "{"), "ERR 22P02 malformed array literal: \"{\" | Unexpected end of input.");
	assert_string_equal(rt(i4, ""),
	                    "ERR 22P02 malformed array literal: \"\" | Array value must start with \"{\" or dimension information.");
	assert_string_equal(rt(i4, "1,2}"),
	                    "ERR 22P02 malformed array literal: \"1,2}\" | Array value must start with \"{\" or dimension information.");
	assert_string_equal(rt(i4, "{1}}"), "ERR 22P02 malformed array literal: \"{1}}\" | Junk after closing right brace.");
	assert_string_equal(rt(i4, "{1,,2}"), "ERR 22P02 malformed array literal: \"{1,,2}\" | Unexpected \",\" character.");
	assert_string_equal(rt(i4, "{,}"), "ERR 22P02 malformed array literal: \"{,}\" | Unexpected \",\" character.");
	assert_string_equal(rt(i4, "{1,}"), "ERR 22P02 malformed array literal: \"{1,}\" | Unexpected \"}\" character.");
	assert_string_equal(rt(tx, "{\"a\"b}"), "ERR 22P02 malformed array literal: \"{\"a\"b}\" | Unexpected array element.");
	assert_string_equal(rt(tx, "{a\"b\"}"), "ERR 22P02 malformed array literal: \"{a\"b\"}\" | Unexpected \"\"\" character.");
	assert_string_equal(rt(tx, "{\"abc}"), "ERR 22P02 malformed array literal: \"{\"abc}\" | Unexpected end of input.");
	assert_string_equal(rt(tx, "{abc\\"), "ERR 22P02 malformed array literal: \"{abc\\\" | Unexpected end of input.");
	assert_string_equal(rt(i4, "{1,a}"), "ERR 22P02 invalid input syntax for type integer: \"a\"");
	assert_string_equal(rt(i4, "{99999999999}"), "ERR 22003 value \"99999999999\" is out of range for type integer");
	assert_string_equal(rt(i4, "{{1},{2}}"), "ERR 0A000 multidimensional arrays are not supported");
	assert_string_equal(rt(i4, "[1:2]={1,2}"), "ERR 0A000 array dimension decorations are not supported");
	/* deep nesting fails at once, without recursion */
	char deep[4096];
	memset(deep, '{', sizeof deep - 1);
	deep[sizeof deep - 1] = 0;
	assert_string_equal(rt(i4, deep), "ERR 0A000 multidimensional arrays are not supported");
}

static void test_encoding_canonical(void **state)
{
	(void)state;
	ftype t = arr_of(TYPE_INT4);
	fstring a = parse(t, "{1, 2 ,NULL}"), b = parse(t, "{1,2,null}");
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.ptr, b.ptr, a.len);
	assert_int_equal(array_count(a), 3);
	/* 4 count + 1 flags + 1 bitmap + 3 slots of 4 */
	assert_int_equal(a.len, 4 + 1 + 1 + 12);
	fstring c = parse(t, "{1,2}");
	assert_int_equal(c.len, 4 + 1 + 8);
	/* builder gives the same bytes as the parser */
	array_builder ab;
	array_builder_init(&ab, ftype_make(TYPE_INT4), A);
	int32_t one = 1, two = 2;
	array_builder_add(&ab, &one);
	array_builder_add(&ab, &two);
	array_builder_add(&ab, NULL);
	fstring d = array_builder_finish(&ab);
	assert_int_equal(d.len, a.len);
	assert_memory_equal(d.ptr, a.ptr, a.len);
	/* iteration and random access over strings */
	ftype tt = arr_of(TYPE_TEXT);
	fstring s = parse(tt, "{a,NULL,\"ccc\"}");
	array_iter it;
	const void *e;
	assert_true(array_get(tt, s, 2, &it, &e));
	assert_int_equal(((const fstring *)e)->len, 3);
	assert_memory_equal(((const fstring *)e)->ptr, "ccc", 3);
	assert_true(array_get(tt, s, 1, &it, &e));
	assert_null(e);
	assert_false(array_get(tt, s, 3, &it, &e));
	/* many elements grow the builder's buffers */
	array_builder_init(&ab, ftype_make(TYPE_TEXT), A);
	for (int i = 0; i < 5000; i++) {
		fstring x = {(uint32_t)(i % 7), "abcdefg"};
		array_builder_add(&ab, i % 11 ? &x : NULL);
	}
	fstring big = array_builder_finish(&ab);
	assert_int_equal(array_count(big), 5000);
	array_iter_init(&it, tt, big);
	int n = 0, nulls = 0;
	while (array_iter_next(&it, &e)) {
		if (!e)
			nulls++;
		else
			assert_int_equal(((const fstring *)e)->len, (uint32_t)(n % 7));
		n++;
	}
	assert_int_equal(n, 5000);
	assert_int_equal(nulls, 455);
}

static void test_binary(void **state)
{
	(void)state;
	ftype t = arr_of(TYPE_INT4);
	fstring a = parse(t, "{7,NULL,-1}");
	strbuf sb = STRBUF_INIT;
	value_out_binary(t, &a, &sb);
	/* ndim 1, hasnull 1, oid 23, dim 3, lbound 1, then 4|7, -1, 4|-1 */
	static const uint8_t want[] = {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 23, 0, 0, 0, 3, 0, 0, 0, 1,
	                               0, 0, 0, 4, 0, 0, 0, 7, 255, 255, 255, 255, 0, 0, 0, 4, 255, 255, 255, 255};
	assert_int_equal(sb.len, sizeof want);
	assert_memory_equal(sb.data, want, sizeof want);
	fstring back;
	assert_null(value_in_binary(t, sb.data, sb.len, A, &back));
	assert_int_equal(back.len, a.len);
	assert_memory_equal(back.ptr, a.ptr, a.len);
	/* truncated at every length: an error, never a read past the end */
	for (size_t n = 0; n < sb.len; n++) {
		ferr *e = value_in_binary(t, sb.data, n, A, &back);
		assert_non_null(e);
		ferr_free(e);
	}
	/* a huge dimension with no data behind it */
	uint8_t huge[20] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1};
	ferr *e = value_in_binary(t, (const char *)huge, sizeof huge, A, &back);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "54000");
	ferr_free(e);
	huge[12] = 0, huge[13] = 0, huge[14] = 0x10, huge[15] = 0;
	e = value_in_binary(t, (const char *)huge, sizeof huge, A, &back);
	assert_string_equal(e->sqlstate, "22P03");
	ferr_free(e);
	/* wrong element type, two dimensions */
	uint8_t wrong[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25};
	e = value_in_binary(t, (const char *)wrong, sizeof wrong, A, &back);
	assert_string_equal(e->sqlstate, "42804");
	ferr_free(e);
	uint8_t two[12] = {0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 23};
	e = value_in_binary(t, (const char *)two, sizeof two, A, &back);
	assert_string_equal(e->sqlstate, "0A000");
	ferr_free(e);
	/* empty array: ndim 0 */
	sb_reset(&sb);
	fstring empty = parse(t, "{}");
	value_out_binary(t, &empty, &sb);
	assert_int_equal(sb.len, 12);
	assert_null(value_in_binary(t, sb.data, sb.len, A, &back));
	assert_int_equal(array_count(back), 0);
	/* text elements */
	ftype tt = arr_of(TYPE_TEXT);
	fstring s = parse(tt, "{\"a b\",NULL,\"\"}");
	sb_reset(&sb);
	value_out_binary(tt, &s, &sb);
	assert_null(value_in_binary(tt, sb.data, sb.len, A, &back));
	assert_string_equal(rt(tt, "{\"a b\",NULL,\"\"}"), "{\"a b\",NULL,\"\"}");
	assert_int_equal(value_compare(tt, &s, &back), 0);
	sb_free(&sb);
}

static void test_types_and_order(void **state)
{
	(void)state;
	ftype t = arr_of(TYPE_INT4);
	assert_int_equal(ftype_oid(t), 1007);
	assert_int_equal(ftype_oid(arr_of(TYPE_TEXT)), 1009);
	assert_int_equal(ftype_oid(ftype_array(ftype_varchar(10))), 1015);
	assert_int_equal(ftype_typmod(ftype_array(ftype_varchar(10))), 14);
	strbuf sb = STRBUF_INIT;
	ftype_format(ftype_array(ftype_varchar(10)), &sb);
	assert_string_equal(sb.data, "character varying(10)[]");
	sb_free(&sb);
	ftype f;
	assert_true(ftype_from_oid(1016, -1, &f));
	assert_true(ftype_equal(f, arr_of(TYPE_INT8)));
	assert_true(ftype_from_oid(1003, -1, &f));
	assert_true(ftype_equal(f, arr_of(TYPE_TEXT)));
	assert_true(ftype_from_name("_int4", &f));
	assert_true(ftype_equal(f, t));
	assert_false(ftype_equal(t, arr_of(TYPE_INT8)));
	/* PostgreSQL's array order: element-wise, NULL elements last, then length */
	const char *sorted[] = {"{}", "{1}", "{1,2}", "{1,2,3}", "{1,NULL}", "{2}", "{NULL}"};
	int n = (int)(sizeof sorted / sizeof sorted[0]);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			fstring x = parse(t, sorted[i]), y = parse(t, sorted[j]);
			int c = value_compare(t, &x, &y);
			assert_int_equal(c, i < j ? -1 : i > j ? 1 : 0);
			if (i == j) assert_true(value_hash(t, &x) == value_hash(t, &y));
		}
	/* equal values with different element bytes still compare and hash equal */
	ftype nt = ftype_array(ftype_numeric_value_scale());
	fstring p = parse(nt, "{1.50}"), q = parse(nt, "{1.5}");
	assert_int_equal(value_compare(nt, &p, &q), 0);
	assert_true(value_hash(nt, &p) == value_hash(nt, &q));
}

/* array_agg over (x, keep): rows whose filter is false or NULL are dropped,
 * NULL values of kept rows are elements; two partial states merge. */
/* Arrays marked to print as records (WITH RECURSIVE ... SEARCH): text, OIDs, binary, order. */
static void test_record_arrays(void **state)
{
	(void)state;
	ftype many = arr_of(TYPE_INT4), one = arr_of(TYPE_INT4), texts = arr_of(TYPE_TEXT);
	many.length = ARRAY_RECORDS(2);
	one.length = ARRAY_RECORD_ONE;
	texts.length = ARRAY_RECORDS(1);
	fstring v = parse(arr_of(TYPE_INT4), "{1,2,NULL,3}");
	strbuf sb = STRBUF_INIT;
	value_out_text(many, &v, NULL, &sb);
	assert_string_equal(sb.data, "{\"(1,2)\",\"(,3)\"}");
	sb_reset(&sb);
	value_out_text(one, &v, NULL, &sb);
	assert_string_equal(sb.data, "(1,2,,3)");
	sb_reset(&sb);
	fstring t = parse(arr_of(TYPE_TEXT), "{a,\"b c\",\"\",\"x\\\"y\"}");
	value_out_text(texts, &t, NULL, &sb);
	assert_string_equal(sb.data, "{(a),\"(\\\"b c\\\")\",\"(\\\"\\\")\",\"(\\\"x\\\"\\\"y\\\")\"}");
	assert_int_equal(ftype_oid(many), OID_RECORD_ARRAY);
	assert_int_equal(ftype_oid(one), OID_RECORD);
	assert_false(ftype_equal(many, arr_of(TYPE_INT4)));
	/* binary: array_send of two record_send elements of two int4 fields */
	sb_reset(&sb);
	value_out_binary(many, &v, &sb);
	assert_int_equal(sb.len, 20 + 2 * (4 + 4 + 2 * 12) - 4);
	const uint8_t *p = (const uint8_t *)sb.data;
	assert_int_equal(p[11], OID_RECORD & 0xff);
	assert_int_equal(p[15], 2); /* two records */
	assert_int_equal(p[27], 2); /* the first has two fields */
	sb_reset(&sb);
	value_out_binary(one, &v, &sb);
	assert_int_equal(sb.len, 4 + 3 * 12 + 8);
	sb_free(&sb);
	/* order stays the element order of the plain array */
	fstring w = parse(arr_of(TYPE_INT4), "{1,10}");
	assert_true(value_compare(many, &v, &w) < 0);
}

static void test_array_agg_filter(void **state)
{
	(void)state;
	agg_call c = {.kind = AGG_ARRAY_AGG, .arg = 0, .result = arr_of(TYPE_INT4), .name = "array_agg"};
	c.x.has_filter = true;
	c.x.filter_col = 1;
	size_t sz = agg_state_size(&c);
	void *p1 = arena_alloc(A, sz), *p2 = arena_alloc(A, sz);
	agg_init(&c, p1);
	agg_init(&c, p2);
	vector cols[2];
	vector_init(&cols[0], A, ftype_make(TYPE_INT4), BATCH_CAPACITY);
	vector_init(&cols[1], A, ftype_make(TYPE_BOOL), BATCH_CAPACITY);
	/* x: 1, NULL, 3, NULL, 5; keep: t, t, f, NULL, t */
	int32_t xs[5] = {1, 0, 3, 0, 5};
	bool keep[5] = {true, true, false, false, true};
	for (int i = 0; i < 5; i++) {
		((int32_t *)cols[0].data)[i] = xs[i];
		((bool *)cols[1].data)[i] = keep[i];
	}
	vector_set_null(&cols[0], A, 1, BATCH_CAPACITY);
	vector_set_null(&cols[0], A, 3, BATCH_CAPACITY);
	vector_set_null(&cols[1], A, 3, BATCH_CAPACITY);
	void *states[5] = {p1, p1, p1, p2, p2};
	batch b = {.ncols = 2, .cols = cols, .count = 5, .capacity = BATCH_CAPACITY};
	assert_null(agg_update(&c, states, &cols[0], &b, A));
	assert_null(agg_merge(&c, p1, p2, A));
	vector out;
	vector_init(&out, A, c.result, BATCH_CAPACITY);
	agg_finalize(&c, p1, &out, 0, A);
	strbuf sb = STRBUF_INIT;
	value_out_text(c.result, out.data, NULL, &sb);
	assert_string_equal(sb.data, "{1,NULL,5}");
	sb_free(&sb);
	/* a group whose rows were all filtered out is NULL (ARRAY() turns it into {}) */
	void *p3 = arena_alloc(A, sz);
	agg_init(&c, p3);
	void *only[1] = {p3};
	uint16_t sel = 2;
	batch one = {.ncols = 2, .cols = cols, .count = 1, .capacity = BATCH_CAPACITY, .sel = &sel};
	assert_null(agg_update(&c, only, &cols[0], &one, A));
	agg_finalize(&c, p3, &out, 1, A);
	assert_true(vector_is_null(&out, 1));
}

int main(void)
{
	A = arena_create(NULL, "test_array");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_roundtrip), cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_encoding_canonical), cmocka_unit_test(test_binary),
		cmocka_unit_test(test_types_and_order), cmocka_unit_test(test_array_agg_filter),
		cmocka_unit_test(test_record_arrays),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_destroy(A);
	return rc;
}
