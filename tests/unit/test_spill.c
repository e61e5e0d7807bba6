/*
 * test_spill.c — the batch frame format and spill files: every type with
 * NULLs, selections and constant vectors round-trips exactly; damaged
 * frames are XX001, never a crash; a file reads back its frames in order;
 * the query and node spill limits give 53100; destroying the context
 * removes every file and the query's directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/operator.h"
#include "exec/spill.h"

static arena *A;
static char dir[64];

static int setup(void **st)
{
	(void)st;
	A = arena_create(NULL, "test");
	snprintf(dir, sizeof dir, "/tmp/ferry-test-spillfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	arena_destroy(A);
	rmdir(dir);
	return 0;
}

static const type_id ALL[] = {TYPE_BOOL,      TYPE_INT2,   TYPE_INT4,      TYPE_INT8,
                              TYPE_FLOAT4,    TYPE_FLOAT8, TYPE_NUMERIC,   TYPE_TEXT,
                              TYPE_VARCHAR,   TYPE_BYTEA,  TYPE_DATE,      TYPE_TIME,
                              TYPE_TIMESTAMP, TYPE_TIMESTAMPTZ, TYPE_INTERVAL, TYPE_UUID,
                              TYPE_JSONB};
#define NALL ((int)(sizeof ALL / sizeof ALL[0]))

/* n rows of every type: row i is NULL in column c when (i + c) % 5 == 0. */
static batch *sample(int n)
{
	ftype t[NALL];
	for (int c = 0; c < NALL; c++)
		t[c] = ftype_make(ALL[c]);
	t[6] = (ftype){.id = TYPE_NUMERIC, .precision = 30, .scale = 4, .length = -1};
	t[8].length = 20;
	batch *b = batch_create(A, NALL, t, n);
	for (int c = 0; c < NALL; c++) {
		vector *v = &b->cols[c];
		size_t w = ftype_width(v->type);
		for (int i = 0; i < n; i++) {
			if ((i + c) % 5 == 0) {
				vector_set_null(v, A, i, n);
				continue;
			}
			if (exec_type_is_string(v->type)) {
				char buf[48];
				int len = snprintf(buf, sizeof buf, "value %d of column %d", i * 7919, c);
				vector_set_string(v, A, i, buf, (uint32_t)(i % 3 == 0 ? 0 : len));
			} else {
				unsigned char *p = (unsigned char *)v->data + (size_t)i * w;
				for (size_t k = 0; k < w; k++)
					p[k] = (unsigned char)(i * 31 + c * 7 + (int)k);
				if (v->type.id == TYPE_BOOL) p[0] &= 1;
			}
		}
	}
	b->count = n;
	return b;
}

/* Live row i of a equals row j of b in every column, byte for byte. */
static void assert_row_equal(const batch *a, int i, const batch *b, int j)
{
	assert_int_equal(a->ncols, b->ncols);
	for (int c = 0; c < a->ncols; c++) {
		const vector *va = &a->cols[c], *vb = &b->cols[c];
		assert_int_equal(va->type.id, vb->type.id);
		assert_int_equal(va->type.precision, vb->type.precision);
		assert_int_equal(va->type.scale, vb->type.scale);
		assert_int_equal(va->type.length, vb->type.length);
		bool na = vector_is_null(va, i), nb = vector_is_null(vb, j);
		assert_int_equal(na, nb);
		if (na) continue;
		if (exec_type_is_string(va->type)) {
			const fstring *x = vector_at(va, i), *y = vector_at(vb, j);
			assert_int_equal(x->len, y->len);
			assert_memory_equal(x->ptr, y->ptr, x->len);
		} else {
			assert_memory_equal(vector_at(va, i), vector_at(vb, j), ftype_width(va->type));
		}
	}
}

static void test_frame_round_trip(void **st)
{
	(void)st;
	batch *b = sample(BATCH_CAPACITY);
	strbuf sb = STRBUF_INIT;
	assert_null(exec_frame_encode(b, &sb));
	/* A selection is written as the rows it keeps. */
	batch *v = exec_batch_view(A, b);
	uint16_t sel[3] = {1, 700, 2047};
	v->sel = sel;
	v->count = 3;
	size_t first = sb.len;
	assert_null(exec_frame_encode(v, &sb));
	batch *out;
	size_t used;
	assert_null(exec_frame_decode((const uint8_t *)sb.data, sb.len, A, &out, &used));
	assert_int_equal(used, first);
	assert_int_equal(out->count, BATCH_CAPACITY);
	for (int i = 0; i < BATCH_CAPACITY; i++)
		assert_row_equal(b, i, out, i);
	assert_null(exec_frame_decode((const uint8_t *)sb.data + first, sb.len - first, A, &out,
	                              &used));
	assert_int_equal(out->count, 3);
	for (int i = 0; i < 3; i++)
		assert_row_equal(b, sel[i], out, i);
	assert_true(sb.len < (size_t)BATCH_CAPACITY * 40); /* compressed */
	sb_free(&sb);
}

static void test_frame_constant_vector(void **st)
{
	(void)st;
	ftype t[1] = {ftype_make(TYPE_TEXT)};
	batch *b = batch_create(A, 1, t, 1);
	vector_set_string(&b->cols[0], A, 0, "same", 4);
	b->cols[0].is_const = true;
	b->count = 5;
	strbuf sb = STRBUF_INIT;
	assert_null(exec_frame_encode(b, &sb));
	batch *out;
	size_t used;
	assert_null(exec_frame_decode((const uint8_t *)sb.data, sb.len, A, &out, &used));
	assert_int_equal(out->count, 5);
	assert_false(out->cols[0].is_const);
	for (int i = 0; i < 5; i++)
		assert_row_equal(b, 0, out, i);
	sb_free(&sb);
}

static void test_frame_damage_is_xx001(void **st)
{
	(void)st;
	batch *b = sample(100);
	strbuf sb = STRBUF_INIT;
	assert_null(exec_frame_encode(b, &sb));
	batch *out;
	size_t used;
	/* Every truncation, and a flipped byte anywhere, is refused cleanly. */
	for (size_t n = 0; n < sb.len; n += 7) {
		ferr *e = exec_frame_decode((const uint8_t *)sb.data, n, A, &out, &used);
		assert_non_null(e);
		assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
		ferr_free(e);
	}
	for (size_t k = 0; k < sb.len; k += 3) {
		sb.data[k] ^= 0x5a;
		ferr *e = exec_frame_decode((const uint8_t *)sb.data, sb.len, A, &out, &used);
		if (e) {
			assert_string_equal(e->sqlstate, SQLSTATE_DATA_CORRUPTED);
			ferr_free(e);
		}
		sb.data[k] ^= 0x5a;
	}
	sb_free(&sb);
}

static int entries(const char *path)
{
	DIR *d = opendir(path);
	if (!d) return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
	closedir(d);
	return n;
}

static void test_file_round_trip_and_cleanup(void **st)
{
	(void)st;
	exec_spill_config cfg = {.path = dir};
	exec_spill *s = exec_spill_create(&cfg);
	assert_int_equal(entries(dir), 0); /* nothing on disk before the first file */
	spill_file *f, *g;
	assert_null(spill_file_create(s, &f));
	assert_null(spill_file_create(s, &g));
	assert_int_equal(entries(dir), 1); /* the query's directory */
	batch *b = sample(BATCH_CAPACITY);
	for (int k = 0; k < 5; k++)
		assert_null(spill_file_write(f, b));
	assert_int_equal(spill_file_rows(f), 5 * BATCH_CAPACITY);
	assert_true(spill_file_bytes(f) > 0);
	assert_int_equal(exec_spill_bytes(s), spill_file_bytes(f));
	assert_int_equal(exec_spill_node_bytes(), spill_file_bytes(f));
	assert_null(spill_file_rewind(f));
	int frames = 0;
	for (;;) {
		arena *a = arena_create(NULL, "frame");
		batch *out;
		assert_null(spill_file_read(f, a, &out));
		if (!out) {
			arena_destroy(a);
			break;
		}
		assert_int_equal(out->count, BATCH_CAPACITY);
		assert_row_equal(b, 17, out, 17);
		assert_row_equal(b, 2000, out, 2000);
		arena_destroy(a);
		frames++;
	}
	assert_int_equal(frames, 5);
	/* Writing after the rewind is a bug, reported, not a corruption. */
	ferr *e = spill_file_write(f, b);
	assert_non_null(e);
	ferr_free(e);
	spill_file_close(f);
	assert_int_equal(exec_spill_bytes(s), 0);
	/* g is still open: destroying the context removes it and the directory. */
	assert_null(spill_file_write(g, b));
	exec_spill_destroy(s);
	assert_int_equal(entries(dir), 0);
	assert_int_equal(exec_spill_node_bytes(), 0);
}

static void test_spill_limits(void **st)
{
	(void)st;
	batch *b = sample(BATCH_CAPACITY);
	exec_spill_config q = {.path = dir, .query_max_bytes = 1024};
	exec_spill *s = exec_spill_create(&q);
	spill_file *f;
	assert_null(spill_file_create(s, &f));
	ferr *e = spill_file_write(f, b);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DISK_FULL);
	assert_non_null(strstr(e->message, "query-max-spill-per-node"));
	ferr_free(e);
	exec_spill_destroy(s);
	exec_spill_config n = {.path = dir, .node_max_bytes = 1024};
	s = exec_spill_create(&n);
	assert_null(spill_file_create(s, &f));
	e = spill_file_write(f, b);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_DISK_FULL);
	assert_non_null(strstr(e->message, "max-spill-per-node"));
	ferr_free(e);
	exec_spill_destroy(s);
	assert_int_equal(entries(dir), 0);
	assert_int_equal(exec_spill_node_bytes(), 0);
}

static void test_unusable_path_is_58030(void **st)
{
	(void)st;
	char file[96];
	snprintf(file, sizeof file, "%s/plain-file", dir);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	char sub[128];
	snprintf(sub, sizeof sub, "%s/below", file); /* a directory under a regular file */
	exec_spill_config cfg = {.path = sub};
	exec_spill *s = exec_spill_create(&cfg);
	spill_file *f;
	ferr *e = spill_file_create(s, &f);
	assert_non_null(e);
	assert_string_equal(e->sqlstate, SQLSTATE_IO_ERROR);
	ferr_free(e);
	exec_spill_destroy(s);
	unlink(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_frame_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_frame_constant_vector, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_frame_damage_is_xx001, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_round_trip_and_cleanup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spill_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unusable_path_is_58030, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
