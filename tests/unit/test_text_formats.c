/*
 * test_text_formats.c — the codecs of formats/text, formats/csv and
 * formats/json on in-memory files: line splitting and split ownership
 * (every line read exactly once whatever the cut points), header and
 * footer lines, gzip and zstd, LazySimpleSerDe escaping, OpenCSV quoting,
 * JSON lines; and hostile input: lines without end, truncated or corrupt
 * compressed data, unterminated quotes, deep nesting, bad escapes, bad
 * UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "common/sqlstate.h"
#include "formats/csv/csv.h"
#include "formats/json/json.h"
#include "formats/text/text.h"

/* An unexpected error fails the test with its message. */
static void ok_at(ferr *e, int line)
{
	if (!e) return;
	print_message("line %d: unexpected error: %s %s\n", line, e->sqlstate, e->message);
	ferr_free(e);
	fail();
}
#define OK(expr) ok_at((expr), __LINE__)

/* The error must carry sqlstate and mention needle. */
static void expect_err(ferr *e, const char *sqlstate, const char *needle)
{
	if (!e) fail_msg("an error %s was expected", sqlstate);
	print_message("  -> %s %s\n", e->sqlstate, e->message);
	bool same = strcmp(e->sqlstate, sqlstate) == 0, named = !needle || strstr(e->message, needle);
	ferr_free(e);
	assert_true(same && named);
}

typedef struct mem {
	const char *p;
	size_t len;
} mem;

static ferr *mem_read(void *ctx, uint64_t off, size_t len, void *buf)
{
	mem *m = ctx;
	if (off + len > m->len) return ferr_new(SQLSTATE_IO_ERROR, "read beyond the end");
	memcpy(buf, m->p + off, len);
	return NULL;
}

static text_input input(mem *m)
{
	return (text_input){.name = "mem.txt", .size = m->len, .ctx = m, .read_at = mem_read};
}

/* All lines of a split joined with '|' into out. */
static ferr *read_lines(mem *m, text_codec codec, const text_reader_options *opt, strbuf *out)
{
	text_input in = input(m);
	text_reader *r;
	TRY(text_reader_open(&in, codec, opt, &r));
	ferr *e;
	for (;;) {
		const char *l;
		size_t n;
		if ((e = text_reader_next(r, &l, &n)) || !l) break;
		sb_append(out, l, n);
		sb_putc(out, '|');
	}
	text_reader_close(r);
	sb_putc(out, 0);
	return e;
}

static void test_lines_and_splits(void **state)
{
	(void)state;
	const char *data = "alpha\nbeta\r\n\ngamma delta\nlast-without-newline";
	mem m = {data, strlen(data)};
	strbuf all = STRBUF_INIT;
	OK(read_lines(&m, TEXT_CODEC_NONE, NULL, &all));
	assert_string_equal(all.data, "alpha|beta||gamma delta|last-without-newline|");
	/* any cut into two splits reads every line exactly once */
	for (uint64_t cut = 1; cut < m.len; cut++) {
		strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		text_reader_options o1 = {.start = 0, .end = cut}, o2 = {.start = cut, .end = 0};
		OK(read_lines(&m, TEXT_CODEC_NONE, &o1, &a));
		OK(read_lines(&m, TEXT_CODEC_NONE, &o2, &b));
		a.len--; /* the NUL */
		sb_puts(&a, b.data);
		if (strcmp(a.data, all.data) != 0) print_message("cut %d: %s\n", (int)cut, a.data);
		assert_string_equal(a.data, all.data);
		sb_free(&a);
		sb_free(&b);
	}
	/* three splits too */
	for (uint64_t c1 = 1; c1 < m.len; c1 += 3)
		for (uint64_t c2 = c1 + 1; c2 < m.len; c2 += 5) {
			strbuf s = STRBUF_INIT;
			uint64_t cuts[4] = {0, c1, c2, m.len};
			for (int k = 0; k < 3; k++) {
				text_reader_options o = {.start = cuts[k], .end = cuts[k + 1]};
				OK(read_lines(&m, TEXT_CODEC_NONE, &o, &s));
				s.len--;
			}
			sb_putc(&s, 0);
			assert_string_equal(s.data, all.data);
			sb_free(&s);
		}
	sb_free(&all);
	/* header and footer lines */
	strbuf hf = STRBUF_INIT;
	text_reader_options o = {.skip_header = 1, .skip_footer = 2};
	OK(read_lines(&m, TEXT_CODEC_NONE, &o, &hf));
	assert_string_equal(hf.data, "beta||");
	sb_reset(&hf);
	o = (text_reader_options){.skip_header = 9, .skip_footer = 0};
	OK(read_lines(&m, TEXT_CODEC_NONE, &o, &hf));
	assert_string_equal(hf.data, "");
	sb_reset(&hf);
	o = (text_reader_options){.skip_footer = 9};
	OK(read_lines(&m, TEXT_CODEC_NONE, &o, &hf));
	assert_string_equal(hf.data, "");
	sb_free(&hf);
	/* empty file */
	mem e = {"", 0};
	strbuf none = STRBUF_INIT;
	OK(read_lines(&e, TEXT_CODEC_NONE, NULL, &none));
	assert_string_equal(none.data, "");
	sb_free(&none);
	assert_int_equal(text_codec_for_path("s3://b/x/part.csv.gz"), TEXT_CODEC_GZIP);
	assert_int_equal(text_codec_for_path("/x/y.ZST"), TEXT_CODEC_ZSTD);
	assert_int_equal(text_codec_for_path("/x/y.gzip"), TEXT_CODEC_NONE);
}

static void test_long_lines(void **state)
{
	(void)state;
	/* 3 MiB without a newline against a 1 MiB bound: an error naming the file, not 3 MiB of buffer */
	size_t n = 3u << 20;
	char *big = malloc(n);
	memset(big, 'x', n);
	mem m = {big, n};
	text_reader_options o = {.max_line = 1u << 20};
	strbuf out = STRBUF_INIT;
	expect_err(read_lines(&m, TEXT_CODEC_NONE, &o, &out), SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "mem.txt");
	sb_free(&out);
	/* a long line is fine within the bound; a split starting inside it skips it without the bound */
	big[n - 1] = '\n';
	big[1000] = '\n';
	o = (text_reader_options){.max_line = 4u << 20};
	OK(read_lines(&m, TEXT_CODEC_NONE, &o, &out));
	assert_int_equal(out.len, 1000 + 1 + (n - 1002) + 1 + 1);
	sb_reset(&out);
	o = (text_reader_options){.max_line = 1u << 10, .start = 2000};
	OK(read_lines(&m, TEXT_CODEC_NONE, &o, &out));
	assert_string_equal(out.data, "");
	sb_free(&out);
	free(big);
}

static size_t gzip(const char *in, size_t len, char *out, size_t cap)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

static void test_compressed(void **state)
{
	(void)state;
	/* many lines so that decoding crosses buffer refills */
	strbuf plain = STRBUF_INIT, want = STRBUF_INIT;
	for (int i = 0; i < 200000; i++) {
		sb_printf(&plain, "line %d\n", i);
		sb_printf(&want, "line %d|", i);
	}
	sb_putc(&want, 0);
	size_t cap = plain.len + 1024;
	char *gz = malloc(cap * 2);
	size_t n1 = gzip(plain.data, plain.len / 2, gz, cap);
	size_t n2 = gzip(plain.data + plain.len / 2, plain.len - plain.len / 2, gz + n1, cap); /* two members */
	mem m = {gz, n1 + n2};
	strbuf got = STRBUF_INIT;
	OK(read_lines(&m, TEXT_CODEC_GZIP, NULL, &got));
	assert_string_equal(got.data, want.data);
	sb_reset(&got);
	m.len = n1 + n2 - 10; /* truncated */
	expect_err(read_lines(&m, TEXT_CODEC_GZIP, NULL, &got), SQLSTATE_DATA_CORRUPTED, "mem.txt");
	sb_reset(&got);
	gz[n1 + 20] ^= 0x55; /* corrupt */
	m.len = n1 + n2;
	ferr *e = read_lines(&m, TEXT_CODEC_GZIP, NULL, &got);
	expect_err(e, SQLSTATE_DATA_CORRUPTED, "mem.txt");
	free(gz);
	/* zstd */
	size_t zcap = ZSTD_compressBound(plain.len);
	char *zs = malloc(zcap);
	size_t zn = ZSTD_compress(zs, zcap, plain.data, plain.len, 3);
	assert_false(ZSTD_isError(zn));
	m = (mem){zs, zn};
	sb_reset(&got);
	OK(read_lines(&m, TEXT_CODEC_ZSTD, NULL, &got));
	assert_string_equal(got.data, want.data);
	sb_reset(&got);
	m.len = zn / 2;
	expect_err(read_lines(&m, TEXT_CODEC_ZSTD, NULL, &got), SQLSTATE_DATA_CORRUPTED, "truncated file");
	sb_reset(&got);
	m = (mem){"not zstd at all\n", 16};
	expect_err(read_lines(&m, TEXT_CODEC_ZSTD, NULL, &got), SQLSTATE_DATA_CORRUPTED, "mem.txt");
	/* a compressed file cannot be split */
	text_input in = input(&m);
	text_reader *r;
	text_reader_options o = {.start = 3};
	expect_err(text_reader_open(&in, TEXT_CODEC_ZSTD, &o, &r), SQLSTATE_INTERNAL_ERROR, "split");
	free(zs);
	sb_free(&got);
	sb_free(&plain);
	sb_free(&want);
}

static void test_lazy_simple_serde(void **state)
{
	(void)state;
	text_serde s = {'\001', -1, "\\N"};
	text_field f[8];
	const char *line = "a\001\\N\001\001c";
	int n = text_split_fields(&s, line, strlen(line), f, 8);
	assert_int_equal(n, 4);
	assert_int_equal(f[0].len, 1);
	assert_true(text_field_is_null(&s, &f[1]));
	assert_int_equal(f[2].len, 0);
	assert_false(text_field_is_null(&s, &f[2]));
	assert_int_equal(text_split_fields(&s, line, strlen(line), f, 2), 4); /* extra fields counted, not stored */
	/* escaping: separator, escape, CR and LF round trip */
	text_serde e = {',', '\\', "NULL"};
	const char *vals[] = {"plain", "a,b", "back\\slash", "two\nlines\r", ",", "\\", ""};
	strbuf line2 = STRBUF_INIT;
	for (int i = 0; i < 7; i++) {
		if (i) sb_putc(&line2, ',');
		text_escape(&e, vals[i], strlen(vals[i]), &line2);
	}
	assert_null(memchr(line2.data, '\n', line2.len));
	n = text_split_fields(&e, line2.data, line2.len, f, 8);
	assert_int_equal(n, 7);
	for (int i = 0; i < 7; i++) {
		strbuf v = STRBUF_INIT;
		text_unescape(&e, &f[i], &v);
		sb_putc(&v, 0);
		assert_string_equal(v.data, vals[i]);
		sb_free(&v);
	}
	sb_free(&line2);
	/* a trailing lone escape stays */
	n = text_split_fields(&e, "ab\\", 3, f, 8);
	assert_int_equal(n, 1);
	strbuf v = STRBUF_INIT;
	text_unescape(&e, &f[0], &v);
	assert_int_equal(v.len, 3);
	sb_free(&v);
}

/* Parse the first record of data; fields joined with '|'. */
static ferr *csv_first(const csv_options *o, const char *data, strbuf *out, int *nrec)
{
	mem m = {data, strlen(data)};
	text_input in = input(&m);
	text_reader *r;
	TRY(text_reader_open(&in, TEXT_CODEC_NONE, NULL, &r));
	csv_record rec = {0};
	ferr *e = NULL;
	*nrec = 0;
	for (;;) {
		const char *l;
		size_t n;
		if ((e = text_reader_next(r, &l, &n)) || !l) break;
		if ((e = csv_parse_record(o, r, l, n, 1u << 20, &rec))) break;
		for (int i = 0; i < rec.n; i++) {
			sb_append(out, rec.buf.data + rec.off[i], rec.len[i]);
			sb_putc(out, i + 1 < rec.n ? '|' : ';');
		}
		(*nrec)++;
	}
	sb_putc(out, 0);
	csv_record_free(&rec);
	text_reader_close(r);
	return e;
}

static void test_csv(void **state)
{
	(void)state;
	csv_options o = {',', '"', '\\'};
	strbuf out = STRBUF_INIT;
	int n;
	OK(csv_first(&o, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\\\"y\",,\"multi\nline\"\nnext,row\n", &out, &n));
	assert_int_equal(n, 2);
	assert_string_equal(out.data, "a|b,c|say \"hi\"|x\"y||multi\nline;next|row;");
	sb_reset(&out);
	expect_err(csv_first(&o, "ok\n\"never closed,\nstill open\n", &out, &n), SQLSTATE_BAD_COPY_FILE_FORMAT,
	           "line 2");
	/* round trip through the writer, other characters */
	csv_options p = {';', '\'', '\''};
	const char *vals[] = {"plain", "semi;colon", "it's", "new\nline", "", "back\\slash"};
	strbuf line = STRBUF_INIT;
	for (int i = 0; i < 6; i++) {
		if (i) sb_putc(&line, ';');
		csv_write_field(&p, vals[i], strlen(vals[i]), &line);
	}
	sb_putc(&line, '\n');
	sb_putc(&line, 0);
	sb_reset(&out);
	OK(csv_first(&p, line.data, &out, &n));
	assert_int_equal(n, 1);
	assert_string_equal(out.data, "plain|semi;colon|it's|new\nline||back\\slash;");
	/* default options: the escape character escapes quotes and itself */
	sb_reset(&line);
	csv_write_field(&o, "a\"b\\c", 5, &line);
	sb_putc(&line, 0);
	assert_string_equal(line.data, "\"a\\\"b\\\\c\"");
	sb_free(&line);
	sb_free(&out);
}

typedef struct jctx {
	strbuf out;
	int stop_at;
	int seen;
} jctx;

static int collect(void *ctx, const jsonl_member *m)
{
	jctx *j = ctx;
	sb_printf(&j->out, "%.*s:%d:%.*s;", (int)m->key_len, m->key, (int)m->kind, (int)m->val_len, m->val);
	return ++j->seen == j->stop_at ? 7 : 0;
}

static const char *jparse(const char *line, jctx *j, int *rc)
{
	size_t at;
	sb_reset(&j->out);
	j->seen = 0;
	const char *err = jsonl_parse_object(line, strlen(line), collect, j, rc, &at);
	sb_putc(&j->out, 0);
	return err;
}

static void test_json(void **state)
{
	(void)state;
	jctx j = {STRBUF_INIT, 0, 0};
	int rc;
	assert_null(jparse(" {\"a\": 1.50e3, \"B\":\"x\\\"y\", \"n\":null,\"t\":true,\"o\":{\"k\":[1,2,{}]},\"f\":false} ",
	                   &j, &rc));
	assert_string_equal(j.out.data, "a:3:1.50e3;B:4:x\\\"y;n:0:null;t:1:true;o:5:{\"k\":[1,2,{}]};f:2:false;");
	assert_null(jparse("{}", &j, &rc));
	assert_string_equal(j.out.data, "");
	j.stop_at = 1;
	assert_null(jparse("{\"a\":1,\"b\":2}", &j, &rc));
	assert_int_equal(rc, 7);
	j.stop_at = 0;
	const char *bad[] = {"", "[1]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
	                     "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":[1,]}",
	                     "{\"a\":\"tab\there\"}", "{\"a\":{\"b\":1]}"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *err = jparse(bad[i], &j, &rc);
		if (!err) print_message("accepted: %s\n", bad[i]);
		assert_non_null(err);
	}
	/* nesting is bounded (no stack overflow on a line of '[') */
	size_t deep = 100000;
	char *d = malloc(deep + 8);
	memcpy(d, "{\"a\":", 5);
	memset(d + 5, '[', deep);
	d[deep + 5] = 0;
	assert_non_null(jparse(d, &j, &rc));
	free(d);
	/* strings */
	strbuf s = STRBUF_INIT;
	assert_true(jsonl_unescape("a\\n\\u00e9\\ud83d\\ude00\\/", 24, &s));
	sb_putc(&s, 0);
	assert_string_equal(s.data, "a\n\xc3\xa9\xf0\x9f\x98\x80/");
	const char *bad_str[] = {"\\x", "\\u12", "\\ud83d", "\\ude00", "\\u0000", "end\\"};
	for (size_t i = 0; i < sizeof bad_str / sizeof *bad_str; i++) {
		sb_reset(&s);
		assert_false(jsonl_unescape(bad_str[i], strlen(bad_str[i]), &s));
	}
	sb_reset(&s);
	jsonl_write_string("q\"b\\n\n\x01", 7, &s);
	sb_putc(&s, 0);
	assert_string_equal(s.data, "\"q\\\"b\\\\n\\n\\u0001\"");
	/* what the writer makes, the parser reads back */
	strbuf back = STRBUF_INIT;
	assert_true(jsonl_unescape(s.data + 1, s.len - 3, &back));
	assert_int_equal(back.len, 7);
	assert_memory_equal(back.data, "q\"b\\n\n\x01", 7);
	sb_free(&back);
	sb_free(&s);
	sb_free(&j.out);
}

static void test_utf8_base64(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", 15));
	assert_int_equal(text_utf8_invalid_at("ab\xff", 3), 2);
	assert_int_equal(text_utf8_invalid_at("a\0b", 3), 1);            /* NUL */
	assert_int_equal(text_utf8_invalid_at("\xc0\xaf", 2), 0);        /* overlong */
	assert_int_equal(text_utf8_invalid_at("\xed\xa0\x80", 3), 0);    /* surrogate */
	assert_int_equal(text_utf8_invalid_at("x\xe2\x82", 3), 1);       /* truncated */
	assert_int_equal(text_utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* beyond U+10FFFF */
	for (size_t len = 0; len < 10; len++) {
		uint8_t raw[10];
		for (size_t i = 0; i < len; i++) raw[i] = (uint8_t)(i * 37 + 250);
		strbuf enc = STRBUF_INIT, dec = STRBUF_INIT;
		text_base64_encode(raw, len, &enc);
		assert_int_equal(enc.len, (len + 2) / 3 * 4);
		assert_true(text_base64_decode(enc.data ? enc.data : "", enc.len, &dec));
		assert_int_equal(dec.len, len);
		if (len) assert_memory_equal(dec.data, raw, len);
		sb_free(&enc);
		sb_free(&dec);
	}
	strbuf d = STRBUF_INIT;
	assert_false(text_base64_decode("ab$d", 4, &d));
	assert_false(text_base64_decode("abcde", 5, &d));
	sb_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lines_and_splits), cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_compressed),       cmocka_unit_test(test_lazy_simple_serde),
	    cmocka_unit_test(test_csv),              cmocka_unit_test(test_json),
	    cmocka_unit_test(test_utf8_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
