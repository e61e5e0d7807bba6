/*
 * spill.c — the batch frame format and the spill files of one query (see
 * spill.h). Files live in a directory of their own per query under the
 * spill path and are removed when closed and, at the latest, when the
 * query's context is destroyed (success, error or cancel alike). Nothing
 * read back from a file is trusted: a short or inconsistent frame is
 * XX001, never a wild read.
 */
#include "exec/spill.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "exec/operator.h"

#define FRAME_MAGIC 0x31465246u /* "FRF1" little-endian */
#define FRAME_ZSTD_LEVEL 1      /* spill is write-once, read-once: speed over ratio */
#define FRAME_MAX_PAYLOAD (1u << 30)

static atomic_llong node_spill_bytes;
static atomic_int spill_dir_seq;

/* ---- frames ---- */

/*
 * One zstd context per thread, made on first use and freed when the thread
 * ends: making one per frame costs more than compressing a small frame.
 */
static pthread_key_t cctx_key, dctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void free_cctx(void *p) { ZSTD_freeCCtx(p); }
static void free_dctx(void *p) { ZSTD_freeDCtx(p); }

static void make_ctx_keys(void)
{
	pthread_key_create(&cctx_key, free_cctx);
	pthread_key_create(&dctx_key, free_dctx);
}

static ZSTD_CCtx *thread_cctx(void)
{
	pthread_once(&ctx_once, make_ctx_keys);
	ZSTD_CCtx *c = pthread_getspecific(cctx_key);
	if (!c) {
		c = ZSTD_createCCtx();
		pthread_setspecific(cctx_key, c);
	}
	return c;
}

static ZSTD_DCtx *thread_dctx(void)
{
	pthread_once(&ctx_once, make_ctx_keys);
	ZSTD_DCtx *d = pthread_getspecific(dctx_key);
	if (!d) {
		d = ZSTD_createDCtx();
		pthread_setspecific(dctx_key, d);
	}
	return d;
}

static void put_u32(strbuf *sb, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	sb_append(sb, b, 4);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Raw (uncompressed) payload: row and column counts, then each column. */
static void encode_payload(const batch *b, strbuf *raw)
{
	uint32_t n = (uint32_t)b->count;
	put_u32(raw, n);
	put_u32(raw, (uint32_t)b->ncols);
	size_t words = (n + 63) / 64;
	for (int c = 0; c < b->ncols; c++) {
		const vector *v = &b->cols[c];
		put_u32(raw, (uint32_t)v->type.id);
		put_u32(raw, (uint32_t)(uint16_t)v->type.precision |
		                 (uint32_t)(uint16_t)v->type.scale << 16);
		put_u32(raw, (uint32_t)v->type.length);
		bool nulls = false;
		for (uint32_t i = 0; i < n && !nulls; i++)
			nulls = vector_is_null(v, batch_row(b, (int)i));
		sb_put_u8(raw, nulls);
		if (nulls) {
			for (size_t w = 0; w < words; w++) {
				uint64_t bits = 0;
				for (uint32_t i = (uint32_t)w * 64; i < n && i < (uint32_t)w * 64 + 64; i++)
					if (!vector_is_null(v, batch_row(b, (int)i))) bits |= 1ULL << (i & 63);
				sb_append(raw, &bits, 8);
			}
		}
		if (exec_type_is_string(v->type)) {
			for (uint32_t i = 0; i < n; i++) {
				int r = batch_row(b, (int)i);
				put_u32(raw, vector_is_null(v, r) ? 0 : ((const fstring *)vector_at(v, r))->len);
			}
			for (uint32_t i = 0; i < n; i++) {
				int r = batch_row(b, (int)i);
				if (vector_is_null(v, r)) continue;
				const fstring *s = vector_at(v, r);
				if (s->len) sb_append(raw, s->ptr, s->len);
			}
		} else {
			size_t w = ftype_width(v->type);
			sb_reserve(raw, w * n);
			for (uint32_t i = 0; i < n; i++) {
				int r = batch_row(b, (int)i);
				if (vector_is_null(v, r))
					memset(raw->data + raw->len, 0, w);
				else
					memcpy(raw->data + raw->len, vector_at(v, r), w);
				raw->len += w;
			}
		}
	}
}

ferr *exec_frame_encode(const batch *b, strbuf *out)
{
	strbuf raw = STRBUF_INIT;
	encode_payload(b, &raw);
	if (raw.len > FRAME_MAX_PAYLOAD) {
		sb_free(&raw);
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "batch too large for a frame");
	}
	size_t bound = ZSTD_compressBound(raw.len);
	size_t at = out->len;
	sb_reserve(out, EXEC_FRAME_HEADER + bound);
	size_t clen = ZSTD_compressCCtx(thread_cctx(), out->data + at + EXEC_FRAME_HEADER, bound,
	                                raw.data, raw.len, FRAME_ZSTD_LEVEL);
	if (ZSTD_isError(clen)) {
		sb_free(&raw);
		return ferr_new(SQLSTATE_INTERNAL_ERROR, "zstd compression failed: %s",
		                ZSTD_getErrorName(clen));
	}
	uint8_t *h = (uint8_t *)out->data + at;
	uint32_t hv[3] = {FRAME_MAGIC, (uint32_t)raw.len, (uint32_t)clen};
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 4; k++)
			h[i * 4 + k] = (uint8_t)(hv[i] >> (8 * k));
	out->len = at + EXEC_FRAME_HEADER + clen;
	out->data[out->len] = '\0';
	sb_free(&raw);
	return NULL;
}

bool exec_frame_header(const uint8_t *p, uint32_t *payload_len)
{
	if (get_u32(p) != FRAME_MAGIC) return false;
	*payload_len = get_u32(p + 8);
	return get_u32(p + 4) <= FRAME_MAX_PAYLOAD && *payload_len <= FRAME_MAX_PAYLOAD;
}

/* A cursor over the raw payload that refuses to read past its end. */
typedef struct reader {
	const uint8_t *p, *end;
	bool bad;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	const uint8_t *at = r->p;
	r->p += n;
	return at;
}

static uint32_t take_u32(reader *r)
{
	const uint8_t *p = take(r, 4);
	return p ? get_u32(p) : 0;
}

static ferr *corrupt(const char *what)
{
	return ferr_new(SQLSTATE_DATA_CORRUPTED, "spill frame is corrupt: %s", what);
}

static ferr *decode_column(reader *r, vector *v, arena *a, uint32_t n)
{
	ftype t = {0};
	uint32_t id = take_u32(r), ps = take_u32(r);
	t.length = (int32_t)take_u32(r);
	if (r->bad || id == TYPE_NULL || id >= TYPE__COUNT) return corrupt("column type");
	t.id = (type_id)id;
	t.precision = (int16_t)(ps & 0xffff);
	t.scale = (int16_t)(ps >> 16);
	vector_init(v, a, t, (int)(n ? n : 1));
	const uint8_t *nulls = take(r, 1);
	if (!nulls) return corrupt("truncated");
	size_t words = (n + 63) / 64;
	if (*nulls) {
		const uint8_t *bits = take(r, words * 8);
		if (!bits) return corrupt("truncated validity");
		v->validity = arena_alloc(a, words ? words * 8 : 8);
		memcpy(v->validity, bits, words * 8);
	}
	if (exec_type_is_string(t)) {
		const uint8_t *lens = take(r, (size_t)n * 4);
		if (!lens) return corrupt("truncated string lengths");
		for (uint32_t i = 0; i < n; i++) {
			uint32_t len = get_u32(lens + (size_t)i * 4);
			fstring *s = (fstring *)v->data + i;
			if (vector_is_null(v, (int)i)) {
				s->len = 0;
				s->ptr = "";
				continue;
			}
			const uint8_t *bytes = take(r, len);
			if (!bytes) return corrupt("truncated string");
			/* The payload lives in a as well: point into it, no second copy. */
			s->len = len;
			s->ptr = (const char *)bytes;
		}
	} else {
		size_t w = ftype_width(t);
		const uint8_t *data = take(r, w * n);
		if (!data) return corrupt("truncated values");
		memcpy(v->data, data, w * n);
	}
	return NULL;
}

ferr *exec_frame_decode(const uint8_t *p, size_t n, arena *a, batch **out, size_t *used)
{
	*out = NULL;
	uint32_t clen;
	if (n < EXEC_FRAME_HEADER || !exec_frame_header(p, &clen)) return corrupt("bad header");
	if (n - EXEC_FRAME_HEADER < clen) return corrupt("truncated");
	uint32_t rawlen = get_u32(p + 4);
	uint8_t *raw = arena_alloc(a, rawlen ? rawlen : 1);
	size_t got = ZSTD_decompressDCtx(thread_dctx(), raw, rawlen, p + EXEC_FRAME_HEADER, clen);
	if (ZSTD_isError(got) || got != rawlen) return corrupt("bad compressed data");
	reader r = {raw, raw + rawlen, false};
	uint32_t nrows = take_u32(&r), ncols = take_u32(&r);
	if (r.bad || nrows > (1u << 24) || ncols > 100000) return corrupt("bad batch shape");
	batch *b = arena_zalloc(a, sizeof(*b));
	b->ncols = (int)ncols;
	b->count = (int)nrows;
	b->capacity = nrows ? (int)nrows : 1;
	b->arena = a;
	b->cols = arena_zalloc(a, sizeof(vector) * (ncols ? ncols : 1));
	for (uint32_t c = 0; c < ncols; c++)
		TRY(decode_column(&r, &b->cols[c], a, nrows));
	if (r.p != r.end) return corrupt("trailing bytes");
	*out = b;
	*used = EXEC_FRAME_HEADER + clen;
	return NULL;
}

/* ---- spill files ---- */

struct spill_file {
	exec_spill *owner;
	spill_file *prev, *next; /* the owner's list of open files */
	FILE *fp;
	char *path;
	int64_t bytes, rows;
	bool reading;
	strbuf buf; /* encode and read buffer */
};

struct exec_spill {
	exec_spill_config cfg;
	pthread_mutex_t mu;
	char *dir; /* made at the first file */
	int next_file;
	spill_file *files;
	atomic_llong bytes, peak;
};

exec_spill *exec_spill_create(const exec_spill_config *cfg)
{
	exec_spill *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	s->cfg.path = xstrdup(cfg->path && cfg->path[0] ? cfg->path : "/tmp");
	pthread_mutex_init(&s->mu, NULL);
	return s;
}

static void file_release(spill_file *f)
{
	exec_spill *s = f->owner;
	if (f->fp) fclose(f->fp);
	if (f->path) unlink(f->path);
	atomic_fetch_sub(&s->bytes, f->bytes);
	atomic_fetch_sub(&node_spill_bytes, f->bytes);
	sb_free(&f->buf);
	free(f->path);
	free(f);
}

void exec_spill_destroy(exec_spill *s)
{
	if (!s) return;
	while (s->files) {
		spill_file *f = s->files;
		s->files = f->next;
		file_release(f);
	}
	if (s->dir) {
		/* Anything left behind (a file made by a crashed write) goes too. */
		DIR *d = opendir(s->dir);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d))) {
				if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
				char *p = NULL;
				if (asprintf(&p, "%s/%s", s->dir, de->d_name) > 0) unlink(p);
				free(p);
			}
			closedir(d);
		}
		rmdir(s->dir);
		free(s->dir);
	}
	pthread_mutex_destroy(&s->mu);
	free((char *)s->cfg.path);
	free(s);
}

int64_t exec_spill_bytes(const exec_spill *s) { return atomic_load(&s->bytes); }
int64_t exec_spill_peak_bytes(const exec_spill *s) { return atomic_load(&s->peak); }
int64_t exec_spill_node_bytes(void) { return atomic_load(&node_spill_bytes); }

static ferr *io_error(const char *what, const char *path)
{
	return ferr_new(SQLSTATE_IO_ERROR, "could not %s spill file \"%s\": %s", what, path,
	                strerror(errno));
}

ferr *spill_file_create(exec_spill *s, spill_file **out)
{
	*out = NULL;
	pthread_mutex_lock(&s->mu);
	if (!s->dir) {
		char *dir = NULL;
		if (mkdir(s->cfg.path, 0700) != 0 && errno != EEXIST) {
			ferr *e = io_error("create the directory of", s->cfg.path);
			pthread_mutex_unlock(&s->mu);
			return e;
		}
		if (asprintf(&dir, "%s/ferry-spill-%ld-%d", s->cfg.path, (long)getpid(),
		             atomic_fetch_add(&spill_dir_seq, 1)) < 0)
			dir = NULL;
		if (!dir || mkdir(dir, 0700) != 0) {
			ferr *e = io_error("create the directory of", dir ? dir : s->cfg.path);
			free(dir);
			pthread_mutex_unlock(&s->mu);
			return e;
		}
		s->dir = dir;
	}
	spill_file *f = xcalloc(1, sizeof(*f));
	f->owner = s;
	if (asprintf(&f->path, "%s/%d.spill", s->dir, s->next_file++) < 0) f->path = NULL;
	f->fp = f->path ? fopen(f->path, "w+b") : NULL;
	if (!f->fp) {
		ferr *e = io_error("create", f->path ? f->path : s->dir);
		free(f->path);
		free(f);
		pthread_mutex_unlock(&s->mu);
		return e;
	}
	f->next = s->files;
	if (s->files) s->files->prev = f;
	s->files = f;
	pthread_mutex_unlock(&s->mu);
	*out = f;
	return NULL;
}

static ferr *limit_error(const char *which, int64_t limit)
{
	ferr *e = ferr_new(SQLSTATE_DISK_FULL, "Query exceeded %s limit of %lldMB", which,
	                   (long long)(limit >> 20));
	return ferr_hint(e, "Raise %s or lower the query's memory use.", which);
}

ferr *spill_file_write(spill_file *f, const batch *b)
{
	if (f->reading) return ferr_new(SQLSTATE_INTERNAL_ERROR, "spill file written after rewind");
	if (b->count == 0) return NULL;
	sb_reset(&f->buf);
	TRY(exec_frame_encode(b, &f->buf));
	int64_t n = (int64_t)f->buf.len;
	exec_spill *s = f->owner;
	long long q = atomic_fetch_add(&s->bytes, n) + n;
	long long node = atomic_fetch_add(&node_spill_bytes, n) + n;
	f->bytes += n; /* counted now, so release always gives back what was taken */
	long long peak = atomic_load(&s->peak);
	while (q > peak && !atomic_compare_exchange_weak(&s->peak, &peak, q)) {
	}
	if (s->cfg.query_max_bytes > 0 && q > s->cfg.query_max_bytes)
		return limit_error("query-max-spill-per-node", s->cfg.query_max_bytes);
	if (s->cfg.node_max_bytes > 0 && node > s->cfg.node_max_bytes)
		return limit_error("max-spill-per-node", s->cfg.node_max_bytes);
	if (fwrite(f->buf.data, 1, f->buf.len, f->fp) != f->buf.len) return io_error("write", f->path);
	f->rows += b->count;
	return NULL;
}

ferr *spill_file_rewind(spill_file *f)
{
	if (fflush(f->fp) != 0 || fseeko(f->fp, 0, SEEK_SET) != 0) return io_error("read", f->path);
	f->reading = true;
	return NULL;
}

ferr *spill_file_read(spill_file *f, arena *a, batch **out)
{
	*out = NULL;
	if (!f->reading) return ferr_new(SQLSTATE_INTERNAL_ERROR, "spill file read before rewind");
	uint8_t h[EXEC_FRAME_HEADER];
	size_t got = fread(h, 1, sizeof h, f->fp);
	if (got == 0 && feof(f->fp)) return NULL;
	if (got != sizeof h) return ferror(f->fp) ? io_error("read", f->path) : corrupt("truncated");
	uint32_t clen;
	if (!exec_frame_header(h, &clen)) return corrupt("bad header");
	sb_reset(&f->buf);
	sb_reserve(&f->buf, sizeof h + clen);
	memcpy(f->buf.data, h, sizeof h);
	if (fread(f->buf.data + sizeof h, 1, clen, f->fp) != clen)
		return ferror(f->fp) ? io_error("read", f->path) : corrupt("truncated");
	size_t used;
	return exec_frame_decode((const uint8_t *)f->buf.data, sizeof h + clen, a, out, &used);
}

int64_t spill_file_rows(const spill_file *f) { return f->rows; }
int64_t spill_file_bytes(const spill_file *f) { return f->bytes; }

void spill_file_close(spill_file *f)
{
	if (!f) return;
	exec_spill *s = f->owner;
	pthread_mutex_lock(&s->mu);
	if (f->prev)
		f->prev->next = f->next;
	else
		s->files = f->next;
	if (f->next) f->next->prev = f->prev;
	pthread_mutex_unlock(&s->mu);
	file_release(f);
}
