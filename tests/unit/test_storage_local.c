/*
 * test_storage_local.c — storage/fs.h on the local disk: locations
 * (/path, file:///path, file:/path), stat, positional and vectored reads,
 * tails, sorted recursive listings with prefixes, whole-file puts, the
 * temp-file-and-rename writer, deletes, errors with their SQLSTATEs, and
 * configuration errors (S3 not enabled, bad s3.* values).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/props.h"
#include "storage/fs.h"

#define OK(expr)                                                                                   \
	do {                                                                                       \
		ferr *ok_e_ = (expr);                                                              \
		if (ok_e_)                                                                         \
			print_message("unexpected error: %s %s\n", ok_e_->sqlstate,                \
			              ok_e_->message);                                             \
		assert_null(ok_e_);                                                                \
	} while (0)

static char root[256];

static void expect_err(ferr *e, const char *sqlstate, const char *needle)
{
	assert_non_null(e);
	print_message("  -> %s %s%s%s\n", e->sqlstate, e->message, e->hint ? " HINT: " : "",
	              e->hint ? e->hint : "");
	assert_string_equal(e->sqlstate, sqlstate);
	if (needle) assert_non_null(strstr(e->message, needle));
	ferr_free(e);
}

static char *path(const char *rel)
{
	static char buf[8][512];
	static int i;
	char *p = buf[i++ % 8];
	snprintf(p, 512, "%s/%s", root, rel);
	return p;
}

static int setup(void **state)
{
	snprintf(root, sizeof(root), "/tmp/ferry-test-storage-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static void rm_rf(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0) return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(p);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
			char child[1024];
			snprintf(child, sizeof(child), "%s/%s", p, de->d_name);
			rm_rf(child);
		}
		if (d) closedir(d);
		rmdir(p);
	} else {
		unlink(p);
	}
}

static int teardown(void **state)
{
	rm_rf(root);
	return 0;
}

static void test_put_stat_read(void **state)
{
	fs *f;
	OK(fs_create(NULL, &f));
	uint8_t data[5000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	const char *p = path("a/b/c/data.bin"); /* parents are created */
	OK(fs_put(f, p, data, sizeof(data)));
	fs_file_info info;
	OK(fs_stat(f, p, &info));
	assert_int_equal(info.size, 5000);
	assert_true(info.mtime_ms > 0);

	char loc[600];
	snprintf(loc, sizeof(loc), "file://%s", p);
	fs_file *file;
	OK(fs_open(f, loc, &file));
	assert_int_equal(fs_file_size(file), 5000);
	assert_string_equal(fs_file_location(file), loc);
	uint8_t buf[5000];
	OK(fs_read_at(file, 0, 5000, buf));
	assert_memory_equal(buf, data, 5000);
	OK(fs_read_at(file, 4999, 1, buf));
	assert_int_equal(buf[0], data[4999]);
	OK(fs_read_at(file, 5000, 0, buf));
	expect_err(fs_read_at(file, 4990, 20, buf), "58030", "the file is 5000 bytes");
	expect_err(fs_read_at(file, UINT64_MAX - 2, 10, buf), "22023", NULL);

	/* Vectored reads, including an empty range. */
	uint8_t r1[10], r2[100], r3[1];
	fs_range rs[] = {{4000, 10, r1}, {0, 0, r3}, {17, 100, r2}};
	OK(fs_read_ranges(file, rs, 3));
	assert_memory_equal(r1, data + 4000, 10);
	assert_memory_equal(r2, data + 17, 100);
	fs_range bad[] = {{0, 10, r1}, {4999, 2, r2}};
	expect_err(fs_read_ranges(file, bad, 2), "58030", p);

	/* The parquet_input-shaped callbacks. */
	OK(fs_read_at_cb(file, 100, 10, buf));
	assert_memory_equal(buf, data + 100, 10);
	fs_close_cb(file);

	/* Hadoop's file:/path and file://localhost/path spellings. */
	snprintf(loc, sizeof(loc), "file:%s", p);
	OK(fs_stat(f, loc, &info));
	snprintf(loc, sizeof(loc), "file://localhost%s", p);
	OK(fs_stat(f, loc, &info));
	assert_int_equal(info.size, 5000);

	/* Tails: shorter and longer than the file. */
	size_t got;
	uint8_t tail[8000];
	OK(fs_open_tail(f, p, 8, tail, &got, &file));
	assert_int_equal(got, 8);
	assert_memory_equal(tail, data + 4992, 8);
	assert_int_equal(fs_file_size(file), 5000);
	fs_close(file);
	OK(fs_open_tail(f, p, 8000, tail, &got, &file));
	assert_int_equal(got, 5000);
	assert_memory_equal(tail, data, 5000);
	fs_close(file);

	/* Known size: no stat needed; the size is the caller's. */
	OK(fs_open_sized(f, p, 5000, &file));
	assert_int_equal(fs_file_size(file), 5000);
	fs_close(file);

	/* Empty file. */
	OK(fs_put(f, path("empty"), "", 0));
	OK(fs_stat(f, path("empty"), &info));
	assert_int_equal(info.size, 0);
	OK(fs_open_tail(f, path("empty"), 8, tail, &got, &file));
	assert_int_equal(got, 0);
	fs_close(file);
	fs_destroy(f);
}

static void test_errors(void **state)
{
	fs *f;
	OK(fs_create(NULL, &f));
	fs_file_info info;
	fs_file *file;
	expect_err(fs_stat(f, path("missing"), &info), "58P01", "does not exist");
	expect_err(fs_open(f, path("missing"), &file), "58P01", path("missing"));
	expect_err(fs_stat(f, path("missing/deeper/x"), &info), "58P01", NULL);
	mkdir(path("dir"), 0777);
	expect_err(fs_open(f, path("dir"), &file), "58030", "not a regular file");
	expect_err(fs_stat(f, "relative/path", &info), "22023", "not an absolute path");
	expect_err(fs_stat(f, "", &info), "22023", "empty");
	expect_err(fs_stat(f, "hdfs://nn/x", &info), "0A000", "no file system");
	expect_err(fs_stat(f, "file://otherhost/x", &info), "0A000", NULL);
	ferr *e = fs_stat(f, "s3://bucket/key", &info);
	assert_non_null(e);
	assert_non_null(e->hint);
	assert_non_null(strstr(e->hint, "fs.native-s3.enabled=true"));
	expect_err(e, "0A000", "s3://bucket/key");
	/* A file where a directory is needed. */
	OK(fs_put(f, path("plain"), "x", 1));
	expect_err(fs_put(f, path("plain/child"), "x", 1), "58030", NULL);
	expect_err(fs_put(f, path("trailing/"), "x", 1), "22023", NULL);
	assert_int_equal(fs_location_scheme("s3a://b/k"), FS_SCHEME_S3);
	assert_int_equal(fs_location_scheme("file:///x"), FS_SCHEME_LOCAL);
	assert_int_equal(fs_location_scheme("/x"), FS_SCHEME_LOCAL);
	assert_int_equal(fs_location_scheme("gs://b/k"), FS_SCHEME_UNKNOWN);
	fs_destroy(f);
}

static void test_config_errors(void **state)
{
	props *p = props_create();
	fs *f = NULL;
	OK(props_set(p, "fs.native-s3.enabled", "maybe"));
	expect_err(fs_create(p, &f), "F0000", "fs.native-s3.enabled");
	assert_null(f);
	OK(props_set(p, "fs.native-s3.enabled", "true"));
	OK(props_set(p, "s3.endpoint", "ftp://nope"));
	ferr *e = fs_create(p, &f);
	assert_non_null(e);
	print_message("  -> %s %s\n", e->sqlstate, e->message);
	assert_non_null(strstr(e->message, "s3.endpoint"));
	ferr_free(e);
	assert_null(f);
	/* Valid S3 settings: the fs is created without touching the network. */
	OK(props_set(p, "s3.endpoint", "http://127.0.0.1:1"));
	OK(fs_create(p, &f));
	fs_destroy(f);
	props_destroy(p);
}

typedef struct acc {
	int n;
	char locs[64][600];
	uint64_t sizes[64];
	int stop_at;
} acc;

static ferr *collect(void *ctx, const fs_entry *e)
{
	acc *a = ctx;
	if (a->n == a->stop_at) return ferr_new("57014", "stop");
	if (a->n < 64) {
		snprintf(a->locs[a->n], sizeof(a->locs[0]), "%s", e->location);
		a->sizes[a->n] = e->size;
	}
	a->n++;
	return NULL;
}

static void test_list(void **state)
{
	fs *f;
	OK(fs_create(NULL, &f));
	const char *files[] = {
	    "t/x=1/part-0", "t/x=1/part-1", "t/x=2/part-0", "t/x=10/deep/er/part-0",
	    "t/_SUCCESS",   "t/a",          "tother/z"};
	static const char bytes[] = "0123456789abcdef";
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		OK(fs_put(f, path(files[i]), bytes, i + 1));
	mkdir(path("t/emptydir"), 0777);
	symlink(path("t"), path("t/x=1/loop")); /* a directory symlink is not followed */

	acc a = {.stop_at = -1};
	OK(fs_list(f, path("t/"), collect, &a));
	assert_int_equal(a.n, 6);
	/* Byte order of the whole location, as S3 lists. */
	const char *want[] = {
	    "t/_SUCCESS",  "t/a", "t/x=1/part-0", "t/x=1/part-1", "t/x=10/deep/er/part-0",
	    "t/x=2/part-0"};
	for (int i = 0; i < 6; i++)
		assert_string_equal(a.locs[i], path(want[i]));
	assert_int_equal(a.sizes[1], 6); /* "t/a" was written with 6 bytes */

	/* A prefix that is not a directory: "t/x=1" matches x=1/ and x=10/. */
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("t/x=1"), collect, &a));
	assert_int_equal(a.n, 3);
	/* Without the trailing slash, "t" also matches the sibling "tother". */
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("t"), collect, &a));
	assert_int_equal(a.n, 7);
	/* file:// prefixes give file:// locations. */
	char loc[600];
	snprintf(loc, sizeof(loc), "file://%s", path("t/x=2/"));
	a = (acc){.stop_at = -1};
	OK(fs_list(f, loc, collect, &a));
	assert_int_equal(a.n, 1);
	snprintf(loc, sizeof(loc), "file://%s", path("t/x=2/part-0"));
	assert_string_equal(a.locs[0], loc);
	/* Nothing there: nothing listed. */
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("nope/"), collect, &a));
	OK(fs_list(f, path("t/emptydir/"), collect, &a));
	assert_int_equal(a.n, 0);
	/* The callback's error stops the walk and comes back. */
	a = (acc){.stop_at = 2};
	expect_err(fs_list(f, path("t/"), collect, &a), "57014", "stop");
	assert_int_equal(a.n, 2);
	fs_destroy(f);
}

static void test_writer_and_delete(void **state)
{
	fs *f;
	OK(fs_create(NULL, &f));
	const char *p = path("w/out.bin");
	fs_writer *w;
	OK(fs_writer_open(f, p, &w));
	char chunk[1000];
	memset(chunk, 'q', sizeof(chunk));
	for (int i = 0; i < 100; i++)
		OK(fs_writer_write(w, chunk, sizeof(chunk)));
	fs_file_info info;
	expect_err(fs_stat(f, p, &info), "58P01", NULL); /* invisible until commit */
	OK(fs_writer_commit(w));
	OK(fs_stat(f, p, &info));
	assert_int_equal(info.size, 100000);

	/* Overwrite through the writer, then abort: the old content stays. */
	OK(fs_writer_open(f, p, &w));
	OK(fs_writer_write(w, "short", 5));
	fs_writer_abort(w);
	OK(fs_stat(f, p, &info));
	assert_int_equal(info.size, 100000);
	/* No temp files are left behind. */
	acc a = {.stop_at = -1};
	OK(fs_list(f, path("w/"), collect, &a));
	assert_int_equal(a.n, 1);

	/* prepare: synced under the hidden temp name; commit renames; abort unlinks */
	const char *q = path("w/prepared.bin");
	OK(fs_writer_open(f, q, &w));
	OK(fs_writer_write(w, "abc", 3));
	OK(fs_writer_prepare(w));
	OK(fs_writer_prepare(w));
	expect_err(fs_writer_write(w, "d", 1), "58030", NULL); /* nothing after prepare */
	fs_writer_abort(w);
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("w/"), collect, &a));
	assert_int_equal(a.n, 1);
	OK(fs_writer_open(f, q, &w));
	OK(fs_writer_write(w, "abc", 3));
	OK(fs_writer_prepare(w));
	expect_err(fs_stat(f, q, &info), "58P01", NULL);
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("w/"), collect, &a));
	assert_int_equal(a.n, 2);
	assert_non_null(strstr(a.locs[0], "/w/.prepared.bin.ferry-tmp-"));
	OK(fs_writer_commit(w));
	OK(fs_stat(f, q, &info));
	assert_int_equal(info.size, 3);
	a = (acc){.stop_at = -1};
	OK(fs_list(f, path("w/"), collect, &a));
	assert_int_equal(a.n, 2);
	OK(fs_delete(f, q));

	OK(fs_delete(f, p));
	expect_err(fs_stat(f, p, &info), "58P01", NULL);
	OK(fs_delete(f, p)); /* already gone: fine */
	mkdir(path("w/sub"), 0777);
	expect_err(fs_delete(f, path("w/sub")), "58030", NULL);
	fs_destroy(f);
}

typedef struct job {
	fs_file *file;
	int bad;
	int seed;
} job;

static void *reader(void *arg)
{
	job *j = arg;
	uint8_t buf[256];
	for (int i = 0; i < 2000; i++) {
		uint64_t off = (uint64_t)((j->seed * 7919 + i * 104729) % (65536 - 256));
		ferr *e = fs_read_at(j->file, off, 256, buf);
		for (int k = 0; !e && k < 256; k++)
			if (buf[k] != (uint8_t)((off + (uint64_t)k) * 13)) {
				j->bad++;
				break;
			}
		if (e) {
			j->bad++;
			ferr_free(e);
		}
	}
	return NULL;
}

static void test_concurrent_reads(void **state)
{
	fs *f;
	OK(fs_create(NULL, &f));
	static uint8_t data[65536];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	OK(fs_put(f, path("shared.bin"), data, sizeof(data)));
	fs_file *file;
	OK(fs_open(f, path("shared.bin"), &file));
	pthread_t th[8];
	job jobs[8];
	for (int t = 0; t < 8; t++) {
		jobs[t] = (job){file, 0, t + 1};
		pthread_create(&th[t], NULL, reader, &jobs[t]);
	}
	for (int t = 0; t < 8; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(jobs[t].bad, 0);
	}
	fs_close(file);
	fs_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_stat_read),     cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_config_errors),     cmocka_unit_test(test_list),
	    cmocka_unit_test(test_writer_and_delete), cmocka_unit_test(test_concurrent_reads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
