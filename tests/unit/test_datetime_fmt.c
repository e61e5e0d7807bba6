/*
 * test_datetime_fmt.c — the to_char/to_timestamp/to_number template engine
 * (exec/datetime_fmt.c, exec/number_fmt.c) against strings a real
 * PostgreSQL 15 printed, and hostile templates and inputs that must give
 * errors with PostgreSQL's SQLSTATEs, never a crash or an overread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/datetime_fmt.h"

static char res[512];

static const char *ts_char(int y, int mo, int d, int h, int mi, int s, int us, const char *fmt)
{
	int64_t ts = (int64_t)date_from_ymd(y, mo, d) * USECS_PER_DAY + ((h * 3600LL + mi * 60 + s) * USECS_PER_SEC) + us;
	dtfmt_tm tm;
	dtfmt_tm_from_ts(ts, &tm);
	strbuf sb = STRBUF_INIT;
	ferr *e = dtfmt_to_char(fmt, strlen(fmt), &tm, &sb);
	snprintf(res, sizeof res, "%s", e ? e->sqlstate : sb.data ? sb.data : "");
	ferr_free(e);
	sb_free(&sb);
	return res;
}

static const char *num_char(int64_t mant, int scale, const char *fmt)
{
	strbuf sb = STRBUF_INIT;
	ferr *e = dtfmt_num_to_char(fmt, strlen(fmt), mant, scale, &sb);
	snprintf(res, sizeof res, "%s", e ? e->sqlstate : sb.data ? sb.data : "");
	ferr_free(e);
	sb_free(&sb);
	return res;
}

static const char *parse(const char *in, const char *fmt)
{
	dtfmt_parsed p;
	ferr *e = dtfmt_parse(in, strlen(in), fmt, strlen(fmt), false, &p);
	if (e) {
		snprintf(res, sizeof res, "%s", e->sqlstate);
		ferr_free(e);
		return res;
	}
	strbuf sb = STRBUF_INIT;
	fmt_settings fs = {0};
	value_out_text(ftype_make(TYPE_TIMESTAMP), &p.local, &fs, &sb);
	snprintf(res, sizeof res, "%s", sb.data);
	sb_free(&sb);
	return res;
}

static const char *to_num(const char *in, const char *fmt)
{
	i128 v;
	int sc;
	ferr *e = dtfmt_to_number(in, strlen(in), fmt, strlen(fmt), &v, &sc);
	if (e) {
		snprintf(res, sizeof res, "%s", e->sqlstate);
		ferr_free(e);
		return res;
	}
	strbuf sb = STRBUF_INIT;
	num_to_text(v, sc, &sb);
	snprintf(res, sizeof res, "%s", sb.data);
	sb_free(&sb);
	return res;
}

static void test_timestamp_templates(void **state)
{
	(void)state;
	assert_string_equal(ts_char(2024, 3, 5, 14, 7, 9, 123456, "YYYY-MM-DD HH24:MI:SS.US"), "2024-03-05 14:07:09.123456");
	assert_string_equal(ts_char(2024, 3, 5, 14, 7, 9, 0, "FMDay, DD Month YYYY HH12:MI:SS AM"),
	                    "Tuesday, 05 March     2024 02:07:09 PM");
	assert_string_equal(ts_char(2000, 1, 1, 0, 0, 0, 0, "Y,YYY YYY YY Y CC IYYY IYY IY I IW ID IDDD J"),
	                    "2,000 000 00 0 20 1999 999 99 9 52 6 363 2451545");
	assert_string_equal(ts_char(2024, 12, 30, 23, 59, 59, 999999, "RM rm Q WW W DDD D"), "XII  xii  4 53 5 365 2");
	assert_string_equal(ts_char(2024, 3, 1, 0, 5, 0, 0, "DDth DDTH HH12 AM p.m. SSSS"), "01st 01ST 12 AM a.m. 300");
	assert_string_equal(ts_char(2013, 1, 12, 0, 0, 0, 0, "DDth"), "12th");
	assert_string_equal(ts_char(44, 3, 15, 10, 0, 0, 0, "YYYY CC AD"), "0044 01 AD");
	assert_string_equal(ts_char(-43, 3, 15, 10, 0, 0, 0, "YYYY CC BC B.C."), "0044 -01 BC B.C.");
	assert_string_equal(ts_char(2024, 3, 1, 0, 0, 0, 0, "Mm Hh24 Y,yYY"), "Mm Hh24 4,424");
	assert_string_equal(ts_char(2024, 3, 1, 0, 0, 0, 0, "\"quoted \\\" YYYY\" \\\"YYYY"), "quoted \" YYYY \"2024");
	assert_string_equal(ts_char(2024, 3, 1, 0, 0, 0, 0, "TMMonth|TZ|TZH|OF"), "March||+00|+00");
}

static void test_interval_templates(void **state)
{
	(void)state;
	finterval iv = {((25 * 60 + 7) * 60 + 8) * USECS_PER_SEC + 500000, 3, 26};
	dtfmt_tm tm;
	dtfmt_tm_from_interval(&iv, &tm);
	strbuf sb = STRBUF_INIT;
	assert_null(dtfmt_to_char("YYYY MM DD HH HH24 MI SS MS RM DDD", 34, &tm, &sb));
	assert_string_equal(sb.data, "0002 02 03 01 25 07 08 500 II   783");
	sb_free(&sb);
	/* calendar-only fields are refused for intervals */
	ferr *e = dtfmt_to_char("Day", 3, &tm, &sb);
	assert_non_null(e);
	ferr_free(e);
	e = dtfmt_to_char("Mon", 3, &tm, &sb);
	assert_string_equal(e->sqlstate, SQLSTATE_INVALID_DATETIME_FORMAT);
	ferr_free(e);
	sb_free(&sb);
}

static void test_number_templates(void **state)
{
	(void)state;
	assert_string_equal(num_char(12345, 1, "9999"), " 1235");
	assert_string_equal(num_char(-12345, 3, "FM9,999.00"), "-12.35");
	assert_string_equal(num_char(0, 0, "FM9.99"), "0.");
	assert_string_equal(num_char(5, 2, "9.99"), "  .05");
	assert_string_equal(num_char(-12345, 3, "0000"), "-0012");
	assert_string_equal(num_char(-12, 0, "9999PR"), "  <12>");
	assert_string_equal(num_char(123456, 0, "9,999"), " #,###");
	assert_string_equal(num_char(12345, 1, "9.99EEEE"), " 1.23e+03");
	assert_string_equal(num_char(-12345, 3, "99V99"), "-1235");
	assert_string_equal(num_char(3, 0, "FM9999TH"), "3RD");
	assert_string_equal(num_char(12, 0, "9999MI"), "  12 ");
	assert_string_equal(num_char(1235, 0, "RN"), "        MCCXXXV");
	assert_string_equal(num_char(-12, 0, "SG9999"), "-  12");
	/* template errors: 42601 */
	assert_string_equal(num_char(12, 0, "9.9.9"), "42601");
	assert_string_equal(num_char(12, 0, "S9S"), "42601");
	assert_string_equal(num_char(12, 0, "9.9EEEE9"), "42601");
	assert_string_equal(num_char(12, 0, "99V9.9"), "42601");
	assert_string_equal(num_char(12, 0, "PR9"), "42601");
}

static void test_parse(void **state)
{
	(void)state;
	assert_string_equal(parse("2024-03-05 14:07:09.123", "YYYY-MM-DD HH24:MI:SS.MS"), "2024-03-05 14:07:09.123");
	assert_string_equal(parse("2000    JUN", "YYYY MON"), "2000-06-01 00:00:00");
	assert_string_equal(parse("2000JUN", "YYYY MON"), "2000-06-01 00:00:00");
	assert_string_equal(parse("24-1-2", "YY-MM-DD"), "2024-01-02 00:00:00");
	assert_string_equal(parse("999", "YYY"), "1999-01-01 00:00:00");
	assert_string_equal(parse("2024 10 3", "IYYY IW ID"), "2024-03-06 00:00:00");
	assert_string_equal(parse("2460000", "J"), "2023-02-24 00:00:00");
	assert_string_equal(parse("44 BC", "YYYY BC"), "0044-01-01 00:00:00 BC");
	assert_string_equal(parse("", ""), "0001-01-01 00:00:00 BC");
	assert_string_equal(parse("10:30:15 PM 2024", "HH12:MI:SS AM YYYY"), "2024-01-01 22:30:15");
	assert_string_equal(parse("12", "MS"), "0001-01-01 00:00:00.12 BC");
	/* errors */
	assert_string_equal(parse("2000JUN", "FXYYYY MON"), "22007");
	assert_string_equal(parse("13:00 pm", "HH:MI am"), "22008");
	assert_string_equal(parse("2024-13-05", "YYYY-MM-DD"), "22008");
	assert_string_equal(parse("05 2024 03 2025", "DD YYYY MM YYYY"), "22007");
	assert_string_equal(parse("99999999999", "YYYY"), "22008");
	assert_string_equal(parse("2024 EST", "YYYY TZ"), "0A000");
	assert_string_equal(parse("2024", "YYYYMMDD"), "2024-01-01 00:00:00");
	assert_string_equal(parse("202", "YYYYMMDD"), "22007");
}

static void test_to_number(void **state)
{
	(void)state;
	assert_string_equal(to_num("12,454.8-", "99G999D9S"), "-12454.8");
	assert_string_equal(to_num("<123>", "999PR"), "-123");
	assert_string_equal(to_num("1234", "99"), "12");
	assert_string_equal(to_num("-.5", "9.9"), "-0.5");
	assert_string_equal(to_num("12", "9.99"), "22003");
	assert_string_equal(to_num("abc", "999"), "22P02");
	assert_string_equal(to_num("1e3", "9EEEE"), "0A000");
}

/* Templates and inputs built to trip a careless parser: unterminated quotes,
 * trailing backslashes, prefixes without keywords, huge repeats. */
static void test_hostile(void **state)
{
	(void)state;
	const char *fmts[] = {"\"", "\\", "FM", "FMFMFMFM", "TH", "\"abc\\", "Y,", "Y,YY", "FF7", "EEEE", "RNRN",
	                      "9999999999999999999999999999999999999999999999.99999999999999999999999", "PRPR", "S", "th9", ",,,,", "V", "9V", "L", "FM9.EEEE", "9EEEE"};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		ts_char(2024, 1, 1, 0, 0, 0, 0, fmts[i]);
		num_char(-123456789, 3, fmts[i]);
		parse("2024-01-01 12:00", fmts[i]);
		parse("", fmts[i]);
		to_num("-1,234.5", fmts[i]);
	}
	char big[4096];
	memset(big, 'Y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(strlen(ts_char(2024, 1, 1, 0, 0, 0, 0, big)) > 0, 1);
	char bigin[4096];
	memset(bigin, '9', sizeof bigin - 1);
	bigin[sizeof bigin - 1] = 0;
	assert_string_equal(parse(bigin, "YYYY"), "22008");
	assert_string_equal(to_num(bigin, big), "22P02");
	memset(big, '9', sizeof big - 1);
	assert_string_equal(to_num(bigin, big), "22003");
	/* a value larger than the template: '#' in every position, not an overrun */
	assert_string_equal(num_char(INT64_MAX, 0, "9"), " #");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamp_templates), cmocka_unit_test(test_interval_templates),
		cmocka_unit_test(test_number_templates),    cmocka_unit_test(test_parse),
		cmocka_unit_test(test_to_number),           cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
