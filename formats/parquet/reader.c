/*
 * reader.c — the row-group reader: plans which byte ranges of the file the
 * projection needs (one range per column chunk, neighbours closer than the
 * coalescing gap merged into one request), reads them, and fills batches
 * column by column. It never reads a column that was not projected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/parquet/parquet_internal.h"

typedef struct reader_col {
	int col;
	bool nested;
	int nleaves;
	pq_column *leaves;
	pq_nested *nd;
} reader_col;

typedef struct io_range {
	uint64_t start, end;
	int buf; /* index of the merged read holding it */
} io_range;

struct parquet_reader {
	const parquet_file *f;
	arena *a;
	int nrgs;          /* row groups to read, in order */
	int *rgs;
	int rg_next;       /* index into rgs of the next row group to open */
	int ncols;
	int *colidx;
	reader_col *cols;
	ftype *types;
	int64_t num_rows, rows_done; /* of the current row group */
	arena *rg_arena;   /* per-row-group state (nested columns) */
	int nranges;
	io_range *ranges;
	io_range **order;
	int nbufs;
	uint8_t **bufs;    /* read buffers, reused from one row group to the next */
	size_t *buf_cap;
	uint64_t *buf_start, *buf_end;
	uint64_t bytes_read;
	int requests;
	bool failed;
};

static int cmp_range(const void *a, const void *b)
{
	const io_range *x = *(io_range *const *)a, *y = *(io_range *const *)b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

/* True for "parquet-mr" writers older than 1.2.9 (or without a version). */
static bool old_parquet_mr(const char *created_by)
{
	if (!created_by || strncmp(created_by, "parquet-mr", 10) != 0) return false;
	const char *v = strstr(created_by, "version ");
	int maj = 0, min = 0, patch = 0;
	if (!v || sscanf(v + 8, "%d.%d.%d", &maj, &min, &patch) < 2) return true;
	return maj < 1 || (maj == 1 && (min < 2 || (min == 2 && patch < 9)));
}

/* Byte range of a column chunk, checked against the file. */
static ferr *chunk_range(const parquet_file *f, int rg, int leaf, io_range *out)
{
	const pq_chunk *ch = &f->in->row_groups[rg].chunks[leaf];
	const pq_leaf *lf = &f->in->leaves[leaf];
	if (ch->encrypted) return pq_unsupported(f, "column '%s' is encrypted", lf->path);
	if (ch->file_path) return pq_unsupported(f, "column '%s' lives in another file ('%s')", lf->path, ch->file_path);
	if (!ch->meta.present) return pq_corrupt(f, "column '%s' in row group %d has no metadata", lf->path, rg);
	const pq_column_meta *m = &ch->meta;
	int64_t start = m->data_page_offset;
	/* Some writers store 0 for "no dictionary"; a dictionary comes before the data. */
	if (m->dictionary_page_offset > 0 && m->dictionary_page_offset < start) start = m->dictionary_page_offset;
	uint64_t size = f->in->input.size;
	if (start < 4 || m->total_compressed_size <= 0 || (uint64_t)start >= size ||
	    (uint64_t)m->total_compressed_size > size - (uint64_t)start)
		return pq_corrupt(f, "column '%s' in row group %d: byte range %lld+%lld is outside the file", lf->path, rg,
		                  (long long)start, (long long)m->total_compressed_size);
	if (m->num_values < 0) return pq_corrupt(f, "column '%s': negative value count", lf->path);
	out->start = (uint64_t)start;
	out->end = (uint64_t)start + (uint64_t)m->total_compressed_size;
	/* PARQUET-816: parquet-mr before 1.2.9 left the dictionary page header out
	 * of total_compressed_size; read a little further (as parquet-cpp does). */
	if (old_parquet_mr(f->created_by)) {
		uint64_t pad = size - out->end < 100 ? size - out->end : 100;
		out->end += pad;
	}
	return NULL;
}

/* Plan, read and set up the decoders of row group rg. */
static ferr *open_row_group(parquet_reader *r, int rg)
{
	const parquet_file *f = r->f;
	r->num_rows = f->row_groups[rg].num_rows;
	r->rows_done = 0;
	if (r->rg_arena) arena_destroy(r->rg_arena);
	r->rg_arena = arena_create(r->a, "parquet row group");
	if (r->num_rows == 0) return NULL; /* nothing to read; some writers leave such chunks empty */

	int ri = 0;
	for (int i = 0; i < r->ncols; i++) {
		const parquet_column *pc = &f->cols[r->colidx[i]];
		for (int l = 0; l < pc->nleaves; l++, ri++) {
			TRY(chunk_range(f, rg, pc->first_leaf + l, &r->ranges[ri]));
			r->order[ri] = &r->ranges[ri];
		}
	}

	/* Merge neighbouring ranges into requests. */
	qsort(r->order, (size_t)r->nranges, sizeof(io_range *), cmp_range);
	uint64_t gap = f->in->opt.coalesce_gap;
	int nb = 0;
	for (int i = 0; i < r->nranges; i++) {
		io_range *x = r->order[i];
		if (nb > 0 && x->start <= r->buf_end[nb - 1] + gap) {
			if (x->end > r->buf_end[nb - 1]) r->buf_end[nb - 1] = x->end;
		} else {
			r->buf_start[nb] = x->start;
			r->buf_end[nb] = x->end;
			nb++;
		}
		x->buf = nb - 1;
	}
	const parquet_input *in = &f->in->input;
	for (int b = 0; b < nb; b++) {
		size_t len = (size_t)(r->buf_end[b] - r->buf_start[b]);
		if (len > r->buf_cap[b]) {
			free(r->bufs[b]);
			r->bufs[b] = xmalloc(len);
			r->buf_cap[b] = len;
		}
		if (b >= r->nbufs) r->nbufs = b + 1;
		ferr *e = in->read_at(in->ctx, r->buf_start[b], len, r->bufs[b]);
		if (e) return ferr_prefix(e, "parquet file '%s'", f->name);
		r->bytes_read += len;
		r->requests++;
	}

	/* Column decoders over their slices. */
	ri = 0;
	for (int i = 0; i < r->ncols; i++) {
		const parquet_column *pc = &f->cols[r->colidx[i]];
		reader_col *rc = &r->cols[i];
		for (int l = 0; l < pc->nleaves; l++, ri++) {
			io_range *x = &r->ranges[ri];
			int leaf = pc->first_leaf + l;
			pq_column_init(&rc->leaves[l], f, leaf, &f->in->row_groups[rg].chunks[leaf],
			               r->bufs[x->buf] + (x->start - r->buf_start[x->buf]), (size_t)(x->end - x->start),
			               x->start, r->a);
		}
		if (!pc->nested && rc->leaves[0].values_total != r->num_rows)
			return pq_corrupt(f, "column '%s' in row group %d has %lld values for %lld rows", pc->name, rg,
			                  (long long)rc->leaves[0].values_total, (long long)r->num_rows);
		rc->nd = NULL;
		if (pc->nested) TRY(pq_nested_open(f, r->colidx[i], rc->leaves, r->num_rows, r->rg_arena, &rc->nd));
	}
	return NULL;
}

ferr *parquet_reader_open_groups(const parquet_file *f, const int *row_groups, int nrow_groups, const int *cols,
                                 int ncols, arena *a, parquet_reader **out)
{
	*out = NULL;
	for (int g = 0; g < nrow_groups; g++)
		if (row_groups[g] < 0 || row_groups[g] >= f->nrow_groups)
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "parquet file '%s': no row group %d", f->name,
			                row_groups[g]);
	int nranges = 0;
	for (int i = 0; i < ncols; i++) {
		if (cols[i] < 0 || cols[i] >= f->ncols)
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "parquet file '%s': no column %d", f->name, cols[i]);
		const parquet_column *pc = &f->cols[cols[i]];
		if (pc->unsupported) return pq_unsupported(f, "column '%s': %s", pc->name, pc->unsupported);
		nranges += pc->nleaves;
	}
	parquet_reader *r = arena_zalloc(a, sizeof(*r));
	r->f = f;
	r->a = a;
	r->nrgs = nrow_groups;
	r->rgs = arena_alloc(a, (size_t)(nrow_groups ? nrow_groups : 1) * sizeof(int));
	if (nrow_groups) memcpy(r->rgs, row_groups, (size_t)nrow_groups * sizeof(int));
	r->ncols = ncols;
	r->colidx = arena_alloc(a, (size_t)(ncols ? ncols : 1) * sizeof(int));
	if (ncols) memcpy(r->colidx, cols, (size_t)ncols * sizeof(int));
	r->cols = arena_zalloc(a, (size_t)(ncols ? ncols : 1) * sizeof(reader_col));
	r->types = arena_zalloc(a, (size_t)(ncols ? ncols : 1) * sizeof(ftype));
	for (int i = 0; i < ncols; i++) {
		const parquet_column *pc = &f->cols[cols[i]];
		r->types[i] = pc->type;
		r->cols[i].col = cols[i];
		r->cols[i].nested = pc->nested;
		r->cols[i].nleaves = pc->nleaves;
		r->cols[i].leaves = arena_zalloc(a, (size_t)pc->nleaves * sizeof(pq_column));
	}
	size_t n = (size_t)(nranges ? nranges : 1);
	r->nranges = nranges;
	r->ranges = arena_zalloc(a, n * sizeof(io_range));
	r->order = arena_zalloc(a, n * sizeof(io_range *));
	r->bufs = arena_zalloc(a, n * sizeof(uint8_t *));
	r->buf_cap = arena_zalloc(a, n * sizeof(size_t));
	r->buf_start = arena_zalloc(a, n * sizeof(uint64_t));
	r->buf_end = arena_zalloc(a, n * sizeof(uint64_t));
	*out = r; /* from here on the caller closes it, also on error */
	if (r->nrgs > 0) {
		r->rg_next = 1;
		ferr *e = open_row_group(r, r->rgs[0]);
		if (e) {
			r->failed = true;
			return e;
		}
	}
	return NULL;
}

ferr *parquet_reader_open(const parquet_file *f, int row_group, const int *cols, int ncols, arena *a,
                          parquet_reader **out)
{
	return parquet_reader_open_groups(f, &row_group, 1, cols, ncols, a, out);
}

ferr *parquet_reader_next(parquet_reader *r, arena *ba, batch **out)
{
	*out = NULL;
	if (r->failed)
		return ferr_new(SQLSTATE_DATA_CORRUPTED, "parquet file '%s': reader used after an error", r->f->name);
	while (r->rows_done >= r->num_rows) {
		if (r->rg_next >= r->nrgs) return NULL;
		ferr *e = open_row_group(r, r->rgs[r->rg_next++]);
		if (e) {
			r->failed = true;
			return e;
		}
	}
	int n = r->num_rows - r->rows_done < BATCH_CAPACITY ? (int)(r->num_rows - r->rows_done) : BATCH_CAPACITY;
	batch *b = batch_create(ba, r->ncols, r->types, BATCH_CAPACITY);
	for (int i = 0; i < r->ncols; i++) {
		reader_col *rc = &r->cols[i];
		ferr *e = rc->nested ? pq_nested_read(rc->nd, &b->cols[i], n, BATCH_CAPACITY, ba)
		                     : pq_column_read_flat(&rc->leaves[0], &b->cols[i], 0, n, BATCH_CAPACITY, ba);
		if (e) {
			r->failed = true;
			return e;
		}
	}
	b->count = n;
	r->rows_done += n;
	*out = b;
	return NULL;
}

void parquet_reader_close(parquet_reader *r)
{
	if (!r) return;
	for (int i = 0; i < r->ncols; i++)
		if (r->cols[i].leaves)
			for (int l = 0; l < r->cols[i].nleaves; l++) pq_column_free(&r->cols[i].leaves[l]);
	for (int b = 0; b < r->nbufs; b++) free(r->bufs[b]);
	r->nbufs = 0;
	if (r->rg_arena) arena_destroy(r->rg_arena);
	r->rg_arena = NULL;
}

uint64_t parquet_reader_bytes_read(const parquet_reader *r) { return r->bytes_read; }
int parquet_reader_requests(const parquet_reader *r) { return r->requests; }
