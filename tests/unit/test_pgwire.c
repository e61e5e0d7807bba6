/*
 * test_pgwire.c — protocol pieces in isolation: message writer layout,
 * reader bounds checks on truncated and hostile input, startup packet
 * parsing (3.0, SSL/GSSENC/Cancel requests, bad lengths), error fields,
 * and the session settings table (validation, normalisation, reporting).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/error.h"
#include "common/strbuf.h"
#include "gateway/settings.h"
#include "pgwire/msg.h"
#include "pgwire/proto.h"

static uint32_t be32(const char *p)
{
	const uint8_t *u = (const uint8_t *)p;
	return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

static void test_writer_length_patched(void **state)
{
	strbuf sb = STRBUF_INIT;
	pgw_write_parameter_status(&sb, "server_encoding", "UTF8");
	assert_int_equal(sb.data[0], 'S');
	/* length = 4 + "server_encoding\0" (16) + "UTF8\0" (5) */
	assert_int_equal(be32(sb.data + 1), 25);
	assert_int_equal(sb.len, 26);
	assert_string_equal(sb.data + 5, "server_encoding");
	assert_string_equal(sb.data + 21, "UTF8");
	sb_free(&sb);
}

static void test_empty_messages_and_rfq(void **state)
{
	strbuf sb = STRBUF_INIT;
	pgw_write_parse_complete(&sb);
	pgw_write_ready_for_query(&sb, PGW_TXN_FAILED);
	assert_int_equal(sb.len, 5 + 6);
	assert_int_equal(sb.data[0], '1');
	assert_int_equal(be32(sb.data + 1), 4);
	assert_int_equal(sb.data[5], 'Z');
	assert_int_equal(be32(sb.data + 6), 5);
	assert_int_equal(sb.data[10], 'E');
	sb_free(&sb);
}

static void test_datarow_with_null(void **state)
{
	strbuf sb = STRBUF_INIT;
	size_t m = pgw_datarow_begin(&sb, 2);
	pgw_datarow_put(&sb, "42", 2);
	pgw_datarow_put_null(&sb);
	pgw_datarow_end(&sb, m);
	assert_int_equal(sb.data[0], 'D');
	assert_int_equal(be32(sb.data + 1), 4 + 2 + 4 + 2 + 4);
	pgw_reader r;
	pgw_reader_init(&r, sb.data + 5, sb.len - 5);
	assert_int_equal(pgw_get_int16(&r), 2);
	assert_int_equal(pgw_get_int32(&r), 2);
	assert_memory_equal(pgw_get_bytes(&r, 2), "42", 2);
	assert_int_equal(pgw_get_int32(&r), -1);
	pgw_expect_end(&r);
	assert_null(pgw_reader_error(&r));
	sb_free(&sb);
}

static void test_error_fields(void **state)
{
	ferr *e = ferr_new(SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"%s\"", "FORM");
	ferr_hint(e, "check it");
	ferr_position(e, 10);
	strbuf sb = STRBUF_INIT;
	pgw_write_error(&sb, e, 0);
	assert_int_equal(sb.data[0], 'E');
	assert_int_equal(be32(sb.data + 1), sb.len - 1);
	pgw_reader r;
	pgw_reader_init(&r, sb.data + 5, sb.len - 5);
	const char *want[][2] = {{"S", "ERROR"}, {"V", "ERROR"}, {"C", "42601"},
	                         {"M", "syntax error at or near \"FORM\""}, {"H", "check it"}, {"P", "10"}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(pgw_get_int8(&r), want[i][0][0]);
		assert_string_equal(pgw_get_str(&r), want[i][1]);
	}
	assert_int_equal(pgw_get_int8(&r), 0);
	pgw_expect_end(&r);
	assert_null(pgw_reader_error(&r));
	sb_reset(&sb);
	pgw_write_error(&sb, e, 1);
	assert_int_equal(sb.data[0], 'N');
	assert_string_equal(sb.data + 6, "NOTICE");
	sb_free(&sb);
	ferr_free(e);
}

static void test_reader_truncated(void **state)
{
	const uint8_t buf[] = {0, 0, 0};
	pgw_reader r;
	pgw_reader_init(&r, buf, sizeof buf);
	assert_int_equal(pgw_get_int32(&r), 0);
	/* Later reads after an error return zero values without reading. */
	assert_int_equal(pgw_get_int16(&r), 0);
	assert_null(pgw_get_bytes(&r, 1));
	ferr *e = pgw_reader_error(&r);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "08P01");
	ferr_free(e);

	const char nonul[] = {'a', 'b', 'c'};
	pgw_reader_init(&r, nonul, sizeof nonul);
	assert_string_equal(pgw_get_str(&r), "");
	e = pgw_reader_error(&r);
	assert_non_null(e);
	ferr_free(e);

	/* A huge length claimed by the client must fail, not overflow. */
	pgw_reader_init(&r, nonul, sizeof nonul);
	assert_int_equal(pgw_get_int8(&r), 'a');
	assert_null(pgw_get_bytes(&r, SIZE_MAX));
	e = pgw_reader_error(&r);
	assert_non_null(e);
	ferr_free(e);

	pgw_reader_init(&r, nonul, sizeof nonul);
	pgw_get_int8(&r);
	pgw_expect_end(&r);
	e = pgw_reader_error(&r);
	assert_non_null(e);
	ferr_free(e);
}

static void test_header_lengths(void **state)
{
	size_t n = 0;
	assert_null(pgw_check_header('Q', 4, &n));
	assert_int_equal(n, 0);
	ferr *e = pgw_check_header('Q', 3, &n);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, "08P01");
	ferr_free(e);
	e = pgw_check_header('Q', -1, &n);
	assert_non_null(e);
	ferr_free(e);
	e = pgw_check_header('Q', 0x40000000, &n);
	assert_non_null(e);
	ferr_free(e);
	e = pgw_check_startup_len(7, &n);
	assert_non_null(e);
	ferr_free(e);
	e = pgw_check_startup_len(1 << 20, &n);
	assert_non_null(e);
	ferr_free(e);
	assert_null(pgw_check_startup_len(8, &n));
	assert_int_equal(n, 4);
}

/* Builds a startup body (everything after the length word). */
static void startup_body(strbuf *sb, int32_t code, const char *const *kv)
{
	sb_reset(sb);
	pgw_put_int32(sb, code);
	if (!kv) return;
	for (int i = 0; kv[i]; i++) pgw_put_str(sb, kv[i]);
	pgw_put_int8(sb, 0);
}

static void test_startup_normal(void **state)
{
	arena *a = arena_create(NULL, "t");
	strbuf sb = STRBUF_INIT;
	const char *kv[] = {"user", "alice", "database", "tpch", "options", "-c search_path=tiny", NULL};
	startup_body(&sb, PGW_PROTOCOL_3_0, kv);
	pgw_startup s;
	assert_null(pgw_parse_startup(a, sb.data, sb.len, &s));
	assert_int_equal(s.kind, PGW_STARTUP_NORMAL);
	assert_int_equal(s.nparams, 3);
	assert_string_equal(pgw_startup_get(&s, "user"), "alice");
	assert_string_equal(pgw_startup_get(&s, "database"), "tpch");
	assert_string_equal(pgw_startup_get(&s, "options"), "-c search_path=tiny");
	assert_null(pgw_startup_get(&s, "application_name"));

	/* Many parameters grow the array. */
	const char *many[41];
	char names[20][8];
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof names[i], "p%d", i);
		many[2 * i] = i == 0 ? "user" : names[i];
		many[2 * i + 1] = "v";
	}
	many[40] = NULL;
	startup_body(&sb, PGW_PROTOCOL_3_0, many);
	assert_null(pgw_parse_startup(a, sb.data, sb.len, &s));
	assert_int_equal(s.nparams, 20);
	assert_string_equal(pgw_startup_get(&s, "p19"), "v");
	sb_free(&sb);
	arena_destroy(a);
}

static void test_startup_requests(void **state)
{
	arena *a = arena_create(NULL, "t");
	strbuf sb = STRBUF_INIT;
	pgw_startup s;
	startup_body(&sb, PGW_SSL_REQUEST_CODE, NULL);
	assert_null(pgw_parse_startup(a, sb.data, sb.len, &s));
	assert_int_equal(s.kind, PGW_STARTUP_SSL);
	startup_body(&sb, PGW_GSSENC_REQUEST_CODE, NULL);
	assert_null(pgw_parse_startup(a, sb.data, sb.len, &s));
	assert_int_equal(s.kind, PGW_STARTUP_GSSENC);
	startup_body(&sb, PGW_CANCEL_REQUEST_CODE, NULL);
	pgw_put_int32(&sb, 77);
	pgw_put_int32(&sb, -12345);
	assert_null(pgw_parse_startup(a, sb.data, sb.len, &s));
	assert_int_equal(s.kind, PGW_STARTUP_CANCEL);
	assert_int_equal(s.cancel_pid, 77);
	assert_int_equal(s.cancel_key, -12345);
	sb_free(&sb);
	arena_destroy(a);
}

static void expect_startup_error(arena *a, const void *body, size_t len, const char *sqlstate)
{
	pgw_startup s;
	ferr *e = pgw_parse_startup(a, body, len, &s);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, sqlstate);
	ferr_free(e);
}

static void test_startup_hostile(void **state)
{
	arena *a = arena_create(NULL, "t");
	strbuf sb = STRBUF_INIT;
	/* Cancel request missing the key. */
	startup_body(&sb, PGW_CANCEL_REQUEST_CODE, NULL);
	pgw_put_int32(&sb, 1);
	expect_startup_error(a, sb.data, sb.len, "08P01");
	/* Protocol 2.0. */
	startup_body(&sb, 2 << 16, NULL);
	expect_startup_error(a, sb.data, sb.len, "0A000");
	/* Unterminated parameter list. */
	startup_body(&sb, PGW_PROTOCOL_3_0, NULL);
	pgw_put_str(&sb, "user");
	sb_append(&sb, "bob", 3);
	expect_startup_error(a, sb.data, sb.len, "08P01");
	/* No user. */
	const char *kv[] = {"database", "x", NULL};
	startup_body(&sb, PGW_PROTOCOL_3_0, kv);
	expect_startup_error(a, sb.data, sb.len, "28000");
	/* Too short for a code. */
	expect_startup_error(a, "ab", 2, "08P01");
	/* Random bytes never crash. */
	srand(1);
	uint8_t junk[64];
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % (int)sizeof junk);
		for (size_t i = 0; i < n; i++) junk[i] = (uint8_t)rand();
		if (round % 2 && n >= 4) { /* half with a valid code, to reach the pairs */
			junk[0] = 0; junk[1] = 3; junk[2] = 0; junk[3] = 0;
		}
		pgw_startup s;
		ferr *e = pgw_parse_startup(a, junk, n, &s);
		ferr_free(e);
	}
	sb_free(&sb);
	arena_destroy(a);
}

static void test_row_description(void **state)
{
	pgw_field f[2] = {{"id", 0, 0, 23, 4, -1, PGW_FORMAT_BINARY},
	                  {"name", 0, 0, 25, -1, -1, PGW_FORMAT_TEXT}};
	strbuf sb = STRBUF_INIT;
	pgw_write_row_description(&sb, f, 2);
	assert_int_equal(sb.data[0], 'T');
	pgw_reader r;
	pgw_reader_init(&r, sb.data + 5, sb.len - 5);
	assert_int_equal(pgw_get_int16(&r), 2);
	assert_string_equal(pgw_get_str(&r), "id");
	assert_int_equal(pgw_get_int32(&r), 0);
	assert_int_equal(pgw_get_int16(&r), 0);
	assert_int_equal(pgw_get_int32(&r), 23);
	assert_int_equal(pgw_get_int16(&r), 4);
	assert_int_equal(pgw_get_int32(&r), -1);
	assert_int_equal(pgw_get_int16(&r), 1);
	assert_string_equal(pgw_get_str(&r), "name");
	pgw_get_bytes(&r, 18);
	pgw_expect_end(&r);
	assert_null(pgw_reader_error(&r));
	sb_free(&sb);
}

static void expect_set_error(settings *s, const char *name, const char *value, const char *sqlstate)
{
	int rep = -1;
	ferr *e = settings_set(s, name, value, &rep);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, sqlstate);
	ferr_free(e);
}

static void test_settings(void **state)
{
	settings *s = settings_create();
	const char *v;
	int rep;
	assert_null(settings_get(s, "datestyle", &v));
	assert_string_equal(v, "ISO, MDY");
	assert_null(settings_set(s, "DATESTYLE", "iso,dmy", &rep));
	assert_int_equal(rep, 1);
	assert_null(settings_get(s, "DateStyle", &v));
	assert_string_equal(v, "ISO, DMY");
	assert_null(settings_set(s, "client_encoding", "unicode", &rep));
	assert_null(settings_get(s, "client_encoding", &v));
	assert_string_equal(v, "UTF8");
	expect_set_error(s, "client_encoding", "LATIN1", "22023");
	assert_null(settings_set(s, "extra_float_digits", "3", &rep));
	assert_int_equal(rep, 0);
	expect_set_error(s, "extra_float_digits", "4", "22023");
	expect_set_error(s, "extra_float_digits", "2x", "22023");
	assert_null(settings_set(s, "standard_conforming_strings", "TRUE", &rep));
	assert_null(settings_get(s, "standard_conforming_strings", &v));
	assert_string_equal(v, "on");
	expect_set_error(s, "standard_conforming_strings", "maybe", "22023");
	expect_set_error(s, "no_such_thing", "1", "42704");
	expect_set_error(s, "server_version", "16", "55P02");
	assert_null(settings_set(s, "application_name", "psql", &rep));
	assert_int_equal(rep, 1);
	assert_null(settings_reset(s, "application_name", &rep));
	assert_null(settings_get(s, "application_name", &v));
	assert_string_equal(v, "");
	assert_null(settings_get(s, "server_version_num", &v));
	assert_string_equal(v, "150000");
	ferr *e = settings_get(s, "nope", &v);
	assert_non_null(e);
	ferr_free(e);
	/* Every default passes its own validation (except read-only ones). */
	for (int i = 0; i < settings_count(); i++) {
		e = settings_set(s, settings_name(i), settings_value_at(s, i), &rep);
		if (e) {
			assert_string_equal(e->sqlstate, "55P02");
			ferr_free(e);
		}
		assert_non_null(settings_description(i));
	}
	settings_destroy(s);
}

/* Time settings parse and print as PostgreSQL's GUC code does. */
static void test_settings_durations(void **state)
{
	(void)state;
	struct {
		const char *in;
		const char *shown; /* NULL: rejected */
	} cases[] = {{"5s", "5s"}, {"1500", "1500ms"}, {"60000", "1min"}, {"1.5s", "1500ms"},
	             {"2h", "2h"}, {"0", "0"}, {"86400000", "1d"}, {"x", NULL}, {"5 parsecs", NULL},
	             {"-1", NULL}, {"3000000000", NULL}};
	settings *st = settings_create();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int reported;
		ferr *e = settings_set(st, "statement_timeout", cases[i].in, &reported);
		if (!cases[i].shown) {
			assert_non_null(e);
			assert_string_equal(e->sqlstate, SQLSTATE_INVALID_PARAMETER_VALUE);
			ferr_free(e);
			continue;
		}
		assert_null(e);
		const char *v;
		assert_null(settings_get(st, "statement_timeout", &v));
		assert_string_equal(v, cases[i].shown);
	}
	settings_destroy(st);
}

/* Snapshots: assign restores every value; a clone is independent of its source. */
static void test_settings_snapshot(void **state)
{
	(void)state;
	settings *st = settings_create();
	settings *snap = settings_clone(st);
	int reported;
	assert_null(settings_set(st, "DateStyle", "iso, dmy", &reported));
	assert_true(reported);
	const char *v;
	assert_null(settings_get(snap, "DateStyle", &v));
	assert_string_equal(v, "ISO, MDY");
	settings_assign(st, snap);
	assert_null(settings_get(st, "DateStyle", &v));
	assert_string_equal(v, "ISO, MDY");
	settings_destroy(snap);
	settings_destroy(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_length_patched),
		cmocka_unit_test(test_empty_messages_and_rfq),
		cmocka_unit_test(test_datarow_with_null),
		cmocka_unit_test(test_error_fields),
		cmocka_unit_test(test_reader_truncated),
		cmocka_unit_test(test_header_lengths),
		cmocka_unit_test(test_startup_normal),
		cmocka_unit_test(test_startup_requests),
		cmocka_unit_test(test_startup_hostile),
		cmocka_unit_test(test_row_description),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_settings_durations),
		cmocka_unit_test(test_settings_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
