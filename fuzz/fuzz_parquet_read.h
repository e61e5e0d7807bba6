/*
 * fuzz_parquet_read.h — what both Parquet fuzz targets do with a file: open
 * it from memory and read every column of every row group to the end, the
 * way a scan does (buffers reused across row groups). Errors are expected
 * and dropped; only a crash, a sanitizer report, a leak or a hang is a
 * finding. Never writes anywhere.
 */
#ifndef FERRY_FUZZ_PARQUET_READ_H
#define FERRY_FUZZ_PARQUET_READ_H

#include <stdio.h>

#include "formats/parquet/parquet.h"

static inline void fuzz_read_parquet(const uint8_t *data, size_t size, const parquet_options *opt)
{
	parquet_input in;
	parquet_input_from_memory(data, size, "fuzz.parquet", &in);
	arena *a = arena_create(NULL, "fuzz parquet");
	parquet_file *f = NULL;
	ferr *e = parquet_open(&in, opt, a, &f);
	if (!e && f->nrow_groups > 0) {
		int *cols = arena_alloc(a, sizeof(int) * (size_t)(f->ncols + 1));
		int ncols = 0;
		for (int i = 0; i < f->ncols; i++)
			if (!f->cols[i].unsupported) cols[ncols++] = i;
		int *rgs = arena_alloc(a, sizeof(int) * (size_t)f->nrow_groups);
		for (int g = 0; g < f->nrow_groups; g++) rgs[g] = g;
		/* Row-group skipping reads the decoded statistics too. */
		for (int g = 0; g < f->nrow_groups; g++) {
			parquet_col_range rng = {.col = 0, .null_allowed = false, .only_null = true};
			if (f->ncols > 0) (void)parquet_row_group_can_skip(f, g, &rng, 1);
		}
		parquet_reader *r = NULL;
		e = parquet_reader_open_groups(f, rgs, f->nrow_groups, cols, ncols, a, &r);
		arena *ba = arena_create(a, "fuzz batches");
		batch *b = NULL;
		while (!e && !(e = parquet_reader_next(r, ba, &b)) && b) arena_reset(ba);
		parquet_reader_close(r);
	}
#ifdef FUZZ_REPORT_ERRORS
	/* Seed checking (fuzz/README.md): a seed that fails is a seed that fuzzes nothing. */
	if (e) fprintf(stderr, "error: %s\n", e->message);
#endif
	ferr_free(e);
	arena_destroy(a);
	parquet_input_close(&in);
}

#endif
