/*
 * test_common.c — arenas, memory tracking, errors, string buffers and the
 * properties reader (including ${ENV:...} and malformed input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/props.h"
#include "common/strbuf.h"

static void test_arena_alloc_and_reset(void **state)
{
	arena *a = arena_create(NULL, "t");
	char *p = arena_alloc(a, 10);
	assert_non_null(p);
	assert_int_equal(((uintptr_t)p) % 16, 0);
	/* Many small allocations and one large one all stay valid. */
	int *ints[1000];
	for (int i = 0; i < 1000; i++) {
		ints[i] = arena_alloc(a, sizeof(int));
		*ints[i] = i;
	}
	char *big = arena_alloc(a, 4 << 20);
	memset(big, 7, 4 << 20);
	for (int i = 0; i < 1000; i++) assert_int_equal(*ints[i], i);
	assert_true(arena_bytes(a) >= (4u << 20));
	arena_reset(a);
	assert_true(arena_bytes(a) < (1u << 20));
	assert_string_equal(arena_sprintf(a, "%d-%s", 42, "x"), "42-x");
	arena_destroy(a);
}

static void test_arena_children_and_tracker(void **state)
{
	mem_tracker *t = mem_tracker_create("q", 1 << 20);
	arena *root = arena_create(NULL, "root");
	arena_set_tracker(root, t);
	arena *child = arena_create(root, "child");
	arena_alloc(child, 512 * 1024);
	assert_false(mem_tracker_exceeded(t));
	arena_alloc(child, 900 * 1024);
	assert_true(mem_tracker_exceeded(t));
	int64_t peak = mem_tracker_peak(t);
	arena_destroy(root); /* destroys child too, returning its memory */
	assert_int_equal(mem_tracker_current(t), 0);
	assert_true(peak >= 1400 * 1024);
	mem_tracker_destroy(t);
}

static void test_error_fields(void **state)
{
	ferr *e = ferr_new(SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", "x");
	ferr_position(ferr_hint(ferr_detail(e, "d%d", 1), "h"), 15);
	ferr_prefix(e, "catalog %s", "pg");
	assert_string_equal(e->sqlstate, "42P01");
	assert_string_equal(e->message, "catalog pg: relation \"x\" does not exist");
	assert_string_equal(e->detail, "d1");
	assert_string_equal(e->hint, "h");
	ferr *c = ferr_copy(e);
	ferr_free(e);
	assert_int_equal(c->position, 15);
	ferr_free(c);
}

static void test_strbuf(void **state)
{
	strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "ab");
	sb_printf(&sb, "%05d", 42);
	sb_put_u32(&sb, 0x01020304);
	assert_int_equal(sb.len, 11);
	assert_memory_equal(sb.data, "ab00042\x01\x02\x03\x04", 11);
	for (int i = 0; i < 10000; i++) sb_putc(&sb, 'x');
	assert_int_equal(sb.len, 10011);
	sb_free(&sb);
}

static void test_props_parse(void **state)
{
	setenv("FERRY_TEST_SECRET", "s3cr=t", 1);
	props *p = props_create();
	const char *text = "# comment\n"
	                   "! also a comment\n"
	                   "a=1\n"
	                   "  b : two words  \n"
	                   "c = line \\\n"
	                   "    continued\n"
	                   "key\\=with\\:escapes=v\n"
	                   "secret=${ENV:FERRY_TEST_SECRET}/x\n"
	                   "a=3\n"
	                   "empty=\n";
	assert_null(props_load_string(p, text, "test"));
	assert_string_equal(props_get(p, "a"), "3");
	assert_string_equal(props_get(p, "b"), "two words");
	assert_string_equal(props_get(p, "c"), "line continued");
	assert_string_equal(props_get(p, "key=with:escapes"), "v");
	assert_string_equal(props_get(p, "secret"), "s3cr=t/x");
	assert_string_equal(props_get(p, "empty"), "");
	assert_null(props_get(p, "missing"));
	int64_t n;
	assert_null(props_get_int(p, "a", 0, &n));
	assert_int_equal(n, 3);
	ferr *e = props_get_int(p, "b", 0, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "F0000");
	ferr_free(e);
	assert_null(props_set(p, "mem", "512MB"));
	assert_null(props_get_bytes(p, "mem", 0, &n));
	assert_int_equal(n, 512LL << 20);
	assert_null(props_set(p, "t", "250ms"));
	assert_null(props_get_duration_ms(p, "t", 0, &n));
	assert_int_equal(n, 250);
	props_destroy(p);
}

static void test_props_env_errors(void **state)
{
	unsetenv("FERRY_TEST_UNSET");
	props *p = props_create();
	ferr *e = props_load_string(p, "x=${ENV:FERRY_TEST_UNSET}\n", "cfg");
	assert_non_null(e);
	assert_non_null(strstr(e->message, "FERRY_TEST_UNSET"));
	assert_non_null(strstr(e->message, "cfg:1"));
	ferr_free(e);
	e = props_load_string(p, "y=${ENV:OPEN\n", "cfg");
	assert_non_null(e);
	ferr_free(e);
	e = props_load_file(p, "/nonexistent/ferry.properties");
	assert_non_null(e);
	ferr_free(e);
	props_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_and_reset),
		cmocka_unit_test(test_arena_children_and_tracker),
		cmocka_unit_test(test_error_fields),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_props_parse),
		cmocka_unit_test(test_props_env_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
