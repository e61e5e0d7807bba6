/*
 * encoding.c — Parquet's integer encodings: the RLE / bit-packed hybrid
 * (levels, dictionary indices, booleans) and DELTA_BINARY_PACKED, plus
 * UTF-8 validation for text columns. Decoders work on whole runs and never
 * read outside [p, end): a truncated or malformed stream makes them return
 * false, which callers turn into a "corrupt page" error.
 */
#include <string.h>

#include "formats/parquet/parquet_internal.h"

static bool read_uvarint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (p >= end) return false;
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*pp = p;
			*out = v;
			return true;
		}
	}
	return false;
}

static bool read_zigzag(const uint8_t **pp, const uint8_t *end, int64_t *out)
{
	uint64_t v;
	if (!read_uvarint(pp, end, &v)) return false;
	*out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
	return true;
}

/* bw bits (<= 32) at bit offset off of a little-endian bit stream of len bytes. */
static inline uint32_t get_bits32(const uint8_t *p, size_t len, uint64_t off, int bw)
{
	size_t byte = (size_t)(off >> 3);
	uint64_t w = 0;
	if (byte + 8 <= len) {
		memcpy(&w, p + byte, 8);
	} else {
		for (size_t i = 0; i < 8 && byte + i < len; i++) w |= (uint64_t)p[byte + i] << (8 * i);
	}
	w >>= off & 7;
	return bw == 32 ? (uint32_t)w : (uint32_t)(w & ((UINT64_C(1) << bw) - 1));
}

/* bw bits (<= 64) at bit offset off. */
static inline uint64_t get_bits64(const uint8_t *p, size_t len, uint64_t off, int bw)
{
	if (bw == 0) return 0;
	size_t byte = (size_t)(off >> 3);
	int shift = (int)(off & 7);
	unsigned __int128 w = 0;
	if (byte + 16 <= len) {
		memcpy(&w, p + byte, 16);
	} else {
		for (size_t i = 0; i < 16 && byte + i < len; i++) w |= (unsigned __int128)p[byte + i] << (8 * i);
	}
	w >>= shift;
	return bw == 64 ? (uint64_t)w : (uint64_t)w & ((UINT64_C(1) << bw) - 1);
}

void pq_unpack32(const uint8_t *in, size_t in_len, int bw, uint32_t *out, int n)
{
	if (bw == 0) {
		memset(out, 0, (size_t)n * sizeof(uint32_t));
		return;
	}
	for (int i = 0; i < n; i++) out[i] = get_bits32(in, in_len, (uint64_t)i * (uint64_t)bw, bw);
}

/* ------------------------------------------------------------ RLE hybrid */

void pq_rle_init(pq_rle *d, const uint8_t *p, size_t len, int bit_width)
{
	memset(d, 0, sizeof(*d));
	d->p = p;
	d->end = p + len;
	d->bw = bit_width;
}

static bool rle_next_run(pq_rle *d)
{
	uint64_t h;
	if (d->bw < 0 || d->bw > 32) return false;
	if (!read_uvarint(&d->p, d->end, &h)) return false;
	if (h & 1) {
		uint64_t groups = h >> 1;
		if (groups == 0 || groups > (UINT32_MAX / 8)) return false;
		uint64_t bytes = groups * (uint64_t)d->bw;
		size_t avail = (size_t)(d->end - d->p);
		uint64_t count = groups * 8;
		if (bytes > avail) {
			/* Last run cut short by the writer: only whole values present count. */
			if (d->bw == 0) return false;
			count = (uint64_t)avail * 8 / (uint64_t)d->bw;
			bytes = avail;
			if (count == 0) return false;
		}
		d->bp = d->p;
		d->bp_end = d->p + bytes;
		d->bp_left = (uint32_t)count;
		d->bp_pos = 0;
		d->p += bytes;
	} else {
		uint64_t count = h >> 1;
		if (count == 0 || count > UINT32_MAX) return false;
		int nbytes = (d->bw + 7) / 8;
		if (d->end - d->p < nbytes) return false;
		uint32_t v = 0;
		for (int i = 0; i < nbytes; i++) v |= (uint32_t)d->p[i] << (8 * i);
		d->p += nbytes;
		if (d->bw < 32) v &= (UINT32_C(1) << d->bw) - 1;
		d->rle_value = v;
		d->rle_left = (uint32_t)count;
	}
	return true;
}

#define RLE_GET(NAME, T)                                                                     \
	bool NAME(pq_rle *d, T *out, int n)                                                      \
	{                                                                                        \
		while (n > 0) {                                                                      \
			if (d->rle_left) {                                                               \
				int k = (uint32_t)n < d->rle_left ? n : (int)d->rle_left;                    \
				T v = (T)d->rle_value;                                                       \
				for (int i = 0; i < k; i++) out[i] = v;                                      \
				out += k;                                                                    \
				n -= k;                                                                      \
				d->rle_left -= (uint32_t)k;                                                  \
			} else if (d->bp_left) {                                                         \
				int k = (uint32_t)n < d->bp_left ? n : (int)d->bp_left;                      \
				size_t len = (size_t)(d->bp_end - d->bp);                                    \
				uint64_t off = (uint64_t)d->bp_pos * (uint64_t)d->bw;                        \
				if (d->bw == 0) {                                                            \
					memset(out, 0, (size_t)k * sizeof(T));                                   \
				} else {                                                                     \
					for (int i = 0; i < k; i++, off += (uint64_t)d->bw)                      \
						out[i] = (T)get_bits32(d->bp, len, off, d->bw);                      \
				}                                                                            \
				out += k;                                                                    \
				n -= k;                                                                      \
				d->bp_left -= (uint32_t)k;                                                   \
				d->bp_pos += (uint32_t)k;                                                    \
			} else if (!rle_next_run(d)) {                                                   \
				return false;                                                                \
			}                                                                                \
		}                                                                                    \
		return true;                                                                         \
	}

RLE_GET(pq_rle_get_u32, uint32_t)
RLE_GET(pq_rle_get_u16, uint16_t)

/* ---------------------------------------------------- DELTA_BINARY_PACKED */

typedef struct delta_hdr {
	uint64_t block_size, miniblocks, total;
	int64_t first;
} delta_hdr;

static bool delta_header(const uint8_t **p, const uint8_t *end, delta_hdr *h)
{
	if (!read_uvarint(p, end, &h->block_size) || !read_uvarint(p, end, &h->miniblocks) ||
	    !read_uvarint(p, end, &h->total) || !read_zigzag(p, end, &h->first))
		return false;
	if (h->block_size == 0 || h->block_size % 128 != 0 || h->block_size > (1u << 20)) return false;
	if (h->miniblocks == 0 || h->block_size % h->miniblocks != 0) return false;
	if ((h->block_size / h->miniblocks) % 32 != 0) return false;
	return true;
}

bool pq_delta_count(const uint8_t *p, size_t len, int64_t *n)
{
	delta_hdr h;
	const uint8_t *q = p;
	if (!delta_header(&q, p + len, &h) || h.total > INT64_MAX) return false;
	*n = (int64_t)h.total;
	return true;
}

bool pq_delta_decode(const uint8_t *start, size_t len, int width, void *outv, int64_t max_n, int64_t *n_out,
                     size_t *used)
{
	const uint8_t *p = start, *end = start + len;
	delta_hdr h;
	if (!delta_header(&p, end, &h)) return false;
	if (h.total > (uint64_t)max_n) return false;
	int64_t *o64 = width == 8 ? outv : NULL;
	int32_t *o32 = width == 4 ? outv : NULL;
	uint64_t total = h.total, done = 0;
	uint64_t cur = (uint64_t)h.first;
	uint64_t vpm = h.block_size / h.miniblocks;
	int maxbw = width * 8;
	if (total > 0) {
		if (o64) o64[0] = (int64_t)cur;
		else o32[0] = (int32_t)cur;
		done = 1;
	}
	while (done < total) {
		int64_t min_delta;
		if (!read_zigzag(&p, end, &min_delta)) return false;
		if ((uint64_t)(end - p) < h.miniblocks) return false;
		const uint8_t *widths = p;
		p += h.miniblocks;
		for (uint64_t m = 0; m < h.miniblocks && done < total; m++) {
			int bw = widths[m];
			if (bw > maxbw) return false;
			uint64_t bytes = vpm * (uint64_t)bw / 8;
			size_t avail = (size_t)(end - p);
			size_t mlen = bytes < avail ? (size_t)bytes : avail;
			uint64_t k = total - done < vpm ? total - done : vpm;
			/* Values must be present in full, except the padding after the last one. */
			if ((k * (uint64_t)bw + 7) / 8 > mlen) return false;
			if (o64) {
				for (uint64_t i = 0; i < k; i++) {
					cur += (uint64_t)min_delta + get_bits64(p, mlen, i * (uint64_t)bw, bw);
					o64[done + i] = (int64_t)cur;
				}
			} else if (bw <= 32) {
				for (uint64_t i = 0; i < k; i++) {
					cur += (uint64_t)min_delta + get_bits32(p, mlen, i * (uint64_t)bw, bw);
					o32[done + i] = (int32_t)(uint32_t)cur;
				}
			}
			done += k;
			p += mlen;
		}
	}
	*n_out = (int64_t)total;
	*used = (size_t)(p - start);
	return true;
}

/* ----------------------------------------------------------------- UTF-8 */

bool pq_utf8_valid(const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII fast path, 8 bytes at a time. */
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			/* no high bit and no zero byte */
			uint64_t zero = (w - UINT64_C(0x0101010101010101)) & ~w;
			if (!((w | zero) & UINT64_C(0x8080808080808080))) {
				i += 8;
				continue;
			}
		}
		uint8_t c = p[i];
		if (c == 0) return false; /* PostgreSQL text cannot hold NUL bytes */
		if (c < 0x80) {
			i++;
			continue;
		}
		int n;
		uint32_t cp;
		if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
		else return false;
		if (i + (size_t)n >= len) return false;
		for (int k = 1; k <= n; k++) {
			uint8_t cc = p[i + (size_t)k];
			if ((cc & 0xc0) != 0x80) return false;
			cp = cp << 6 | (cc & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += (size_t)n + 1;
	}
	return true;
}
