/*
 * reader.c — the line reader of the text formats: buffered positional
 * reads, gzip (concatenated members too) and zstd streams, split ownership
 * of lines, header and footer lines skipped. Memory is bounded by the
 * longest line allowed: a file without newlines cannot make it allocate
 * more than max_line plus one read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

#include "common/arena.h"
#include "common/sqlstate.h"
#include "formats/text/text.h"

#define TEXT_READ_CHUNK (1u << 20)
#define TEXT_MAX_FOOTER 10000

struct text_reader {
	text_input in;
	text_codec codec;
	text_reader_options opt;
	uint64_t pos;      /* next file offset to read */
	uint64_t bytes_read;
	/* compressed input */
	uint8_t *raw;
	size_t raw_len, raw_pos;
	z_stream z;
	bool z_ready, member_done;
	ZSTD_DStream *zs;
	size_t zs_last; /* last ZSTD_decompressStream result: 0 = at a frame end */
	/* decoded bytes: [head, tail) of buf are unread */
	char *buf;
	size_t cap, head, tail, scanned;
	bool eof;        /* no more decoded bytes will come */
	uint64_t offset; /* logical (decoded) offset of buf[head] */
	int64_t line_no;
	bool done;
	/* footer: the last skip_footer lines are held back */
	strbuf *ring;
	int ring_first, ring_count;
	strbuf cur;
};

text_codec text_codec_for_path(const char *path)
{
	size_t n = strlen(path);
	if (n >= 3 && strcasecmp(path + n - 3, ".gz") == 0) return TEXT_CODEC_GZIP;
	if (n >= 4 && strcasecmp(path + n - 4, ".zst") == 0) return TEXT_CODEC_ZSTD;
	return TEXT_CODEC_NONE;
}

static ferr *corrupt(text_reader *r, const char *what)
{
	return ferr_new(SQLSTATE_DATA_CORRUPTED, "text file '%s': %s", r->in.name, what);
}

/* Raw (compressed) bytes: refill r->raw when it is used up. false at the end of the file. */
static ferr *raw_fill(text_reader *r, bool *more)
{
	*more = r->raw_pos < r->raw_len;
	if (*more) return NULL;
	if (r->pos >= r->in.size) return NULL;
	size_t n = r->in.size - r->pos < TEXT_READ_CHUNK ? (size_t)(r->in.size - r->pos) : TEXT_READ_CHUNK;
	TRY(r->in.read_at(r->in.ctx, r->pos, n, r->raw));
	r->pos += n;
	r->bytes_read += n;
	r->raw_len = n;
	r->raw_pos = 0;
	*more = true;
	return NULL;
}

/* One decoding step over the raw bytes at hand into buf[tail, tail + room). */
static ferr *decode_step(text_reader *r, size_t room, size_t *got)
{
	if (r->codec == TEXT_CODEC_ZSTD) {
		ZSTD_inBuffer in = {r->raw, r->raw_len, r->raw_pos};
		ZSTD_outBuffer out = {r->buf + r->tail, room, 0};
		size_t rc = ZSTD_decompressStream(r->zs, &out, &in);
		if (ZSTD_isError(rc)) return corrupt(r, ZSTD_getErrorName(rc));
		r->zs_last = rc;
		r->raw_pos = in.pos;
		*got = out.pos;
		return NULL;
	}
	if (r->member_done) { /* another gzip member follows (concatenated .gz) */
		if (inflateReset(&r->z) != Z_OK) return corrupt(r, "gzip reset failed");
		r->member_done = false;
	}
	r->z.next_in = r->raw + r->raw_pos;
	r->z.avail_in = (uInt)(r->raw_len - r->raw_pos);
	r->z.next_out = (Bytef *)r->buf + r->tail;
	r->z.avail_out = (uInt)room;
	int rc = inflate(&r->z, Z_NO_FLUSH);
	r->raw_pos = r->raw_len - r->z.avail_in;
	*got = room - r->z.avail_out;
	if (rc == Z_STREAM_END) r->member_done = true;
	else if (rc != Z_OK && rc != Z_BUF_ERROR) return corrupt(r, "invalid gzip data");
	return NULL;
}

/* Decoded bytes of a compressed file; eof once the input ends at a frame or member end. */
static ferr *fill_compressed(text_reader *r, size_t room, size_t *got)
{
	*got = 0;
	while (*got == 0) {
		bool more;
		TRY(raw_fill(r, &more));
		if (more) {
			TRY(decode_step(r, room, got));
			continue;
		}
		bool complete = r->codec == TEXT_CODEC_GZIP ? r->member_done : r->zs_last == 0;
		if (!complete) return corrupt(r, "compressed data end early (truncated file)");
		r->eof = true;
		return NULL;
	}
	return NULL;
}

/* More decoded bytes after tail; keeps the unread part, grows up to the line bound. */
static ferr *fill(text_reader *r)
{
	if (r->head > 0) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->tail -= r->head;
		r->scanned -= r->head;
		r->head = 0;
	}
	if (r->cap - r->tail < TEXT_READ_CHUNK / 4) {
		size_t ncap = r->cap * 2;
		if (ncap > r->opt.max_line + 2 * (size_t)TEXT_READ_CHUNK) ncap = r->opt.max_line + 2 * (size_t)TEXT_READ_CHUNK;
		if (ncap > r->cap) {
			r->buf = xrealloc(r->buf, ncap);
			r->cap = ncap;
		}
	}
	size_t room = r->cap - r->tail, got = 0;
	if (r->codec != TEXT_CODEC_NONE) {
		TRY(fill_compressed(r, room, &got));
	} else if (r->pos >= r->in.size) {
		r->eof = true;
	} else {
		got = r->in.size - r->pos < room ? (size_t)(r->in.size - r->pos) : room;
		TRY(r->in.read_at(r->in.ctx, r->pos, got, r->buf + r->tail));
		r->pos += got;
		r->bytes_read += got;
	}
	r->tail += got;
	return NULL;
}

static ferr *too_long(text_reader *r)
{
	return ferr_hint(ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
	                          "text file '%s': line %lld is longer than %zu bytes", r->in.name,
	                          (long long)r->line_no + 1, r->opt.max_line),
	                 "The file may not be a text file, or its line terminators are not \\n.");
}

/*
 * The next raw line: *line = NULL at the end of the file. *start gets the
 * line's offset. skip: discard it without the length bound.
 */
static ferr *raw_line(text_reader *r, bool skip, const char **line, size_t *len, uint64_t *start)
{
	*line = NULL;
	for (;;) {
		char *nl = memchr(r->buf + r->scanned, '\n', r->tail - r->scanned);
		size_t end = nl ? (size_t)(nl - r->buf) : r->tail;
		if (!skip && end - r->head > r->opt.max_line) return too_long(r);
		if (nl || (r->eof && r->tail > r->head)) {
			*line = r->buf + r->head;
			*len = end - r->head;
			*start = r->offset;
			size_t used = end - r->head + (nl ? 1 : 0);
			r->offset += used;
			r->head += used;
			r->scanned = r->head;
			if (*len && (*line)[*len - 1] == '\r') (*len)--;
			return NULL;
		}
		if (r->eof) return NULL;
		if (skip) { /* a skipped line need not fit: drop what was scanned */
			r->offset += r->tail - r->head;
			r->head = r->scanned = r->tail;
		} else {
			r->scanned = r->tail;
		}
		TRY(fill(r));
	}
}

ferr *text_reader_open(const text_input *in, text_codec codec, const text_reader_options *opt,
                       text_reader **out)
{
	*out = NULL;
	text_reader *r = xcalloc(1, sizeof *r);
	r->in = *in;
	r->codec = codec;
	if (opt) r->opt = *opt;
	if (!r->opt.max_line) r->opt.max_line = TEXT_DEFAULT_MAX_LINE;
	if (!r->opt.end || r->opt.end > in->size) r->opt.end = in->size;
	if (codec != TEXT_CODEC_NONE) r->opt.end = UINT64_MAX; /* offsets count decoded bytes */
	ferr *e = NULL;
	if (codec != TEXT_CODEC_NONE && r->opt.start != 0)
		e = ferr_new(SQLSTATE_INTERNAL_ERROR, "text file '%s': a compressed file cannot be split", in->name);
	else if (r->opt.start != 0 && (r->opt.skip_header || r->opt.skip_footer))
		e = ferr_new(SQLSTATE_INTERNAL_ERROR, "text file '%s': a file with header or footer lines cannot be split",
		             in->name);
	else if (r->opt.skip_header < 0 || r->opt.skip_footer < 0 || r->opt.skip_footer > TEXT_MAX_FOOTER)
		e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "text file '%s': footer line count must be 0..%d", in->name,
		             TEXT_MAX_FOOTER);
	if (e) {
		free(r);
		return e;
	}
	r->cap = TEXT_READ_CHUNK;
	r->buf = xmalloc(r->cap);
	if (codec == TEXT_CODEC_GZIP) {
		r->raw = xmalloc(TEXT_READ_CHUNK);
		if (inflateInit2(&r->z, 15 + 32) != Z_OK) e = corrupt(r, "cannot start gzip decoding");
		r->z_ready = !e;
		r->member_done = true; /* an empty file is an empty stream */
	} else if (codec == TEXT_CODEC_ZSTD) {
		r->raw = xmalloc(TEXT_READ_CHUNK);
		r->zs = ZSTD_createDStream();
		if (!r->zs || ZSTD_isError(ZSTD_initDStream(r->zs))) e = corrupt(r, "cannot start zstd decoding");
	}
	const char *line;
	size_t len;
	uint64_t at;
	if (!e && r->opt.start > 0) { /* the line holding byte start-1 belongs to the previous split */
		r->pos = r->offset = r->opt.start - 1;
		e = raw_line(r, true, &line, &len, &at);
	}
	for (int i = 0; i < r->opt.skip_header && !e; i++) {
		e = raw_line(r, true, &line, &len, &at);
		if (!line) break;
	}
	if (!e && r->opt.skip_footer) {
		r->ring = xcalloc((size_t)r->opt.skip_footer, sizeof *r->ring);
		for (int i = 0; i < r->opt.skip_footer; i++) sb_init(&r->ring[i]);
	}
	if (e) {
		text_reader_close(r);
		return e;
	}
	*out = r;
	return NULL;
}

static ferr *next_line(text_reader *r, bool honour_end, const char **line, size_t *len)
{
	*line = NULL;
	*len = 0;
	if (r->done) return NULL;
	uint64_t start;
	if (!r->ring) {
		TRY(raw_line(r, false, line, len, &start));
		if (*line && honour_end && start >= r->opt.end) *line = NULL;
		if (!*line) r->done = honour_end;
		else r->line_no++;
		return NULL;
	}
	/* hold back skip_footer lines: a line is returned once that many follow it */
	const char *l;
	size_t n;
	while (r->ring_count < r->opt.skip_footer) {
		TRY(raw_line(r, false, &l, &n, &start));
		if (!l) {
			r->done = true;
			return NULL;
		}
		strbuf *slot = &r->ring[(r->ring_first + r->ring_count++) % r->opt.skip_footer];
		sb_reset(slot);
		sb_append(slot, l, n);
	}
	TRY(raw_line(r, false, &l, &n, &start));
	if (!l) {
		r->done = true;
		return NULL;
	}
	strbuf *oldest = &r->ring[r->ring_first];
	sb_reset(&r->cur);
	sb_append(&r->cur, oldest->data ? oldest->data : "", oldest->len);
	sb_reset(oldest);
	sb_append(oldest, l, n);
	r->ring_first = (r->ring_first + 1) % r->opt.skip_footer;
	r->line_no++;
	*line = r->cur.data ? r->cur.data : "";
	*len = r->cur.len;
	return NULL;
}

ferr *text_reader_next(text_reader *r, const char **line, size_t *len) { return next_line(r, true, line, len); }

ferr *text_reader_next_continued(text_reader *r, const char **line, size_t *len)
{
	return next_line(r, false, line, len);
}

int64_t text_reader_line(const text_reader *r) { return r->line_no; }
const char *text_reader_name(const text_reader *r) { return r->in.name; }
uint64_t text_reader_bytes_read(const text_reader *r) { return r->bytes_read; }

void text_reader_close(text_reader *r)
{
	if (!r) return;
	if (r->z_ready) inflateEnd(&r->z);
	if (r->zs) ZSTD_freeDStream(r->zs);
	for (int i = 0; r->ring && i < r->opt.skip_footer; i++) sb_free(&r->ring[i]);
	free(r->ring);
	sb_free(&r->cur);
	free(r->raw);
	free(r->buf);
	free(r);
}
