/*
 * column.c — decoding one column chunk: page headers, decompression,
 * dictionary, definition/repetition levels and values, converted into
 * Ferry's vector layout. Work is done a run of values at a time with one
 * switch per run, never a function pointer per value. Every count and
 * offset read from the file is checked before it is used.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "formats/parquet/parquet_internal.h"

/* Largest page we decompress; real pages are around 1 MiB. */
#define PQ_MAX_PAGE_SIZE (512u << 20)
/* Largest DELTA_BYTE_ARRAY page once its prefixes are expanded. */
#define PQ_MAX_EXPANDED_PAGE (1024u << 20)
#define UNIX_TO_PG_DAYS 10957
#define UNIX_TO_PG_MICROS INT64_C(946684800000000)
#define JULIAN_DAY_2000 INT64_C(2451545)
#define MICROS_PER_DAY INT64_C(86400000000)

static int phys_size(const pq_leaf *lf)
{
	switch (lf->phys) {
	case PT_BOOLEAN: return 1;
	case PT_INT32: case PT_FLOAT: return 4;
	case PT_INT64: case PT_DOUBLE: return 8;
	case PT_INT96: return 12;
	default: return (int)sizeof(fstring);
	}
}

/* Fewest bits one PLAIN value of the leaf can take. */
static uint64_t min_bits(const pq_leaf *lf)
{
	switch (lf->phys) {
	case PT_BOOLEAN: return 1;
	case PT_INT32: case PT_FLOAT: case PT_BYTE_ARRAY: return 32;
	case PT_INT64: case PT_DOUBLE: return 64;
	case PT_INT96: return 96;
	default: return (uint64_t)lf->type_length * 8;
	}
}

void pq_column_init(pq_column *c, const parquet_file *f, int leaf, const pq_chunk *ch, const uint8_t *chunk,
                    size_t chunk_len, uint64_t chunk_offset, arena *a)
{
	/* A column reused for the next row group keeps its buffers. */
	pq_column keep = *c;
	bool reuse = c->defs != NULL;
	memset(c, 0, sizeof(*c));
	if (reuse) {
		c->page_buf = keep.page_buf;
		c->page_cap = keep.page_cap;
		c->dict = keep.dict;
		c->dict_cap = keep.dict_cap;
		c->dict_page = keep.dict_page;
		c->dict_page_cap = keep.dict_page_cap;
		c->eager = keep.eager;
		c->eager_cap = keep.eager_cap;
		c->eager_bytes = keep.eager_bytes;
		c->eager_bytes_cap = keep.eager_bytes_cap;
		c->defs = keep.defs;
		c->reps = keep.reps;
		c->idx = keep.idx;
		c->phys = keep.phys;
	} else {
		c->defs = arena_alloc(a, BATCH_CAPACITY * sizeof(uint16_t));
		c->reps = arena_alloc(a, BATCH_CAPACITY * sizeof(uint16_t));
		c->idx = arena_alloc(a, BATCH_CAPACITY * sizeof(uint32_t));
		c->phys = arena_alloc(a, BATCH_CAPACITY * 16);
	}
	c->f = f;
	c->leaf = &f->in->leaves[leaf];
	c->codec = ch->meta.codec;
	c->chunk = chunk;
	c->chunk_len = chunk_len;
	c->chunk_offset = chunk_offset;
	c->values_total = ch->meta.num_values;
	c->psize = phys_size(c->leaf);
}

void pq_column_free(pq_column *c)
{
	free(c->page_buf);
	free(c->dict);
	free(c->dict_page);
	free(c->eager);
	free(c->eager_bytes);
	c->page_buf = c->dict = c->dict_page = c->eager = c->eager_bytes = NULL;
	c->page_cap = c->dict_cap = c->dict_page_cap = c->eager_cap = c->eager_bytes_cap = 0;
}

static ferr *col_corrupt(pq_column *c, const char *what)
{
	return pq_corrupt(c->f, "column '%s': %s at offset %llu", c->leaf->path, what,
	                  (unsigned long long)(c->chunk_offset + c->pos));
}

/* Grow a malloc'd buffer to at least n bytes (contents not kept). */
static void *grow(uint8_t **buf, size_t *cap, size_t n)
{
	if (n > *cap) {
		free(*buf);
		size_t nc = n < 4096 ? 4096 : n;
		*buf = xmalloc(nc);
		*cap = nc;
	}
	return *buf;
}

static uint32_t load_le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* ------------------------------------------------------------ PLAIN */

/*
 * Decode n PLAIN values from [*pp, end) into dst (physical layout). For
 * BOOLEAN, *bit is the bit position. False when the data is short.
 */
static bool plain_decode(const pq_leaf *lf, const uint8_t **pp, const uint8_t *end, uint64_t *bit, int64_t n,
                         uint8_t *dst)
{
	const uint8_t *p = *pp;
	size_t avail = (size_t)(end - p);
	switch (lf->phys) {
	case PT_BOOLEAN: {
		if ((*bit + (uint64_t)n + 7) / 8 > avail) return false;
		uint64_t b = *bit;
		for (int64_t i = 0; i < n; i++, b++) dst[i] = (p[b >> 3] >> (b & 7)) & 1;
		*bit = b;
		return true; /* *pp stays; bit position carries the progress */
	}
	case PT_INT32: case PT_FLOAT: case PT_INT64: case PT_DOUBLE: case PT_INT96: {
		size_t w = lf->phys == PT_INT96 ? 12 : (lf->phys == PT_INT64 || lf->phys == PT_DOUBLE) ? 8 : 4;
		if ((uint64_t)n > avail / w) return false;
		memcpy(dst, p, (size_t)n * w);
		*pp = p + (size_t)n * w;
		return true;
	}
	case PT_BYTE_ARRAY: {
		fstring *o = (fstring *)dst;
		for (int64_t i = 0; i < n; i++) {
			if (end - p < 4) return false;
			uint32_t len = load_le32(p);
			p += 4;
			if (len > (size_t)(end - p)) return false;
			o[i].len = len;
			o[i].ptr = (const char *)p;
			p += len;
		}
		*pp = p;
		return true;
	}
	case PT_FLBA: {
		uint32_t w = (uint32_t)lf->type_length;
		if ((uint64_t)n > avail / w) return false;
		fstring *o = (fstring *)dst;
		for (int64_t i = 0; i < n; i++) {
			o[i].len = w;
			o[i].ptr = (const char *)p + (size_t)i * w;
		}
		*pp = p + (size_t)n * w;
		return true;
	}
	default: return false;
	}
}

/* ------------------------------------------------------------ pages */

/* Decompressed bytes of a page body: points into the chunk when stored plain. */
static ferr *page_bytes(pq_column *c, const uint8_t *body, size_t clen, size_t ulen, uint8_t **buf,
                        size_t *cap, const uint8_t **out)
{
	if (c->codec == CODEC_UNCOMPRESSED) {
		if (clen != ulen) return col_corrupt(c, "uncompressed page sizes disagree");
		*out = body;
		return NULL;
	}
	if (ulen > PQ_MAX_PAGE_SIZE) return col_corrupt(c, "page too large");
	uint8_t *dst = grow(buf, cap, ulen + 16);
	if (ulen == 0) {
		/* Nothing to decompress (an empty v2 page may have no valid stream). */
		*out = dst;
		return NULL;
	}
	ferr *e = pq_decompress(c->f, c->codec, body, clen, dst, ulen);
	if (e) return ferr_prefix(e, "column '%s' page at offset %llu", c->leaf->path,
	                          (unsigned long long)(c->chunk_offset + c->pos));
	*out = dst;
	return NULL;
}

static ferr *load_dictionary(pq_column *c, const pq_page_header *h, const uint8_t *body)
{
	if (c->has_dict) return col_corrupt(c, "second dictionary page");
	if (h->encoding != ENC_PLAIN && h->encoding != ENC_PLAIN_DICTIONARY)
		return pq_unsupported(c->f, "column '%s': dictionary encoding %d", c->leaf->path, h->encoding);
	if (h->num_values < 0) return col_corrupt(c, "negative dictionary size");
	const uint8_t *data;
	TRY(page_bytes(c, body, (size_t)h->compressed_size, (size_t)h->uncompressed_size, &c->dict_page,
	               &c->dict_page_cap, &data));
	const uint8_t *end = data + h->uncompressed_size;
	/* Each value takes at least its minimum encoded size: bound before allocating. */
	if ((uint64_t)h->num_values * min_bits(c->leaf) > (uint64_t)h->uncompressed_size * 8)
		return col_corrupt(c, "dictionary size exceeds its page");
	grow(&c->dict, &c->dict_cap, (size_t)(h->num_values ? h->num_values : 1) * (size_t)c->psize);
	uint64_t bit = 0;
	const uint8_t *p = data;
	if (!plain_decode(c->leaf, &p, end, &bit, h->num_values, c->dict))
		return col_corrupt(c, "dictionary page shorter than its values");
	c->dict_n = h->num_values;
	c->has_dict = true;
	if (c->leaf->conv == CONV_STRING) {
		const fstring *s = (const fstring *)c->dict;
		for (int32_t i = 0; i < c->dict_n; i++)
			if (!pq_utf8_valid((const uint8_t *)s[i].ptr, s[i].len))
				return ferr_new(SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE, "parquet file '%s': column '%s': invalid UTF-8 in a text value", c->f->name, c->leaf->path);
		c->dict_utf8_checked = true;
	}
	return NULL;
}

/* Set up the level decoders of a v1 page: [len][RLE] for each present level. */
static ferr *v1_levels(pq_column *c, const pq_page_header *h, const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	for (int which = 0; which < 2; which++) {
		int maxl = which == 0 ? c->leaf->max_rep : c->leaf->max_def;
		if (maxl == 0) continue;
		int enc = which == 0 ? h->rep_encoding : h->def_encoding;
		if (enc != ENC_RLE)
			return pq_unsupported(c->f, "column '%s': level encoding %d (only RLE)", c->leaf->path, enc);
		if (end - p < 4) return col_corrupt(c, "page too short for its levels");
		uint32_t n = load_le32(p);
		p += 4;
		if (n > (size_t)(end - p)) return col_corrupt(c, "level data exceeds the page");
		int bw = 32 - __builtin_clz((unsigned)maxl);
		pq_rle_init(which == 0 ? &c->rep : &c->def, p, n, bw);
		p += n;
	}
	*pp = p;
	return NULL;
}

/* Decode a DELTA_* value section up front into c->eager. */
static ferr *eager_decode(pq_column *c, const uint8_t *p, const uint8_t *end, int64_t max_n)
{
	const pq_leaf *lf = c->leaf;
	size_t len = (size_t)(end - p);
	int64_t n = 0;
	size_t used = 0;
	if (!pq_delta_count(p, len, &n) || n > max_n) return col_corrupt(c, "malformed delta header");
	/* Constant deltas cost almost no bytes; still, a page cannot expand without bound. */
	if ((uint64_t)n > (uint64_t)len * 64 + (1u << 20)) return col_corrupt(c, "delta page expands too far");
	c->eager_n = 0;
	c->eager_i = 0;
	if (c->enc == ENC_DELTA_BINARY_PACKED) {
		if (lf->phys != PT_INT32 && lf->phys != PT_INT64)
			return col_corrupt(c, "DELTA_BINARY_PACKED on a non-integer column");
		int w = lf->phys == PT_INT32 ? 4 : 8;
		grow(&c->eager, &c->eager_cap, (size_t)(n ? n : 1) * (size_t)w);
		if (!pq_delta_decode(p, len, w, c->eager, max_n, &c->eager_n, &used))
			return col_corrupt(c, "malformed DELTA_BINARY_PACKED data");
		return NULL;
	}
	if (lf->phys != PT_BYTE_ARRAY && !(lf->phys == PT_FLBA && c->enc == ENC_DELTA_BYTE_ARRAY))
		return col_corrupt(c, "delta string encoding on a non-binary column");
	/* Lengths (and for DELTA_BYTE_ARRAY prefix lengths first) as int32 deltas. */
	size_t need = (size_t)(n ? n : 1) * (sizeof(fstring) + 2 * sizeof(int32_t));
	grow(&c->eager, &c->eager_cap, need);
	fstring *out = (fstring *)c->eager;
	int32_t *lens = (int32_t *)(out + n);
	int32_t *prefix = lens + n;
	int64_t got = 0;
	if (c->enc == ENC_DELTA_BYTE_ARRAY) {
		if (!pq_delta_decode(p, len, 4, prefix, max_n, &got, &used) || got != n)
			return col_corrupt(c, "malformed DELTA_BYTE_ARRAY prefix lengths");
		p += used;
		len -= used;
	}
	int64_t m = 0;
	if (!pq_delta_count(p, len, &m) || m != n || !pq_delta_decode(p, len, 4, lens, max_n, &got, &used))
		return col_corrupt(c, "malformed delta string lengths");
	p += used;
	if (c->enc == ENC_DELTA_LENGTH_BYTE_ARRAY) {
		for (int64_t i = 0; i < n; i++) {
			if (lens[i] < 0 || (size_t)lens[i] > (size_t)(end - p))
				return col_corrupt(c, "DELTA_LENGTH_BYTE_ARRAY data shorter than its lengths");
			out[i].len = (uint32_t)lens[i];
			out[i].ptr = (const char *)p;
			p += lens[i];
		}
		c->eager_n = n;
		return NULL;
	}
	/* DELTA_BYTE_ARRAY: each value is a prefix of the previous one plus a suffix. */
	uint64_t total = 0;
	int64_t prev = 0;
	for (int64_t i = 0; i < n; i++) {
		if (lens[i] < 0 || prefix[i] < 0 || prefix[i] > prev)
			return col_corrupt(c, "malformed DELTA_BYTE_ARRAY lengths");
		prev = (int64_t)prefix[i] + lens[i];
		total += (uint64_t)prev;
		if (total > PQ_MAX_EXPANDED_PAGE) return col_corrupt(c, "DELTA_BYTE_ARRAY page expands too far");
	}
	uint8_t *buf = grow(&c->eager_bytes, &c->eager_bytes_cap, (size_t)total + 1);
	const uint8_t *prevp = NULL;
	for (int64_t i = 0; i < n; i++) {
		if ((size_t)lens[i] > (size_t)(end - p))
			return col_corrupt(c, "DELTA_BYTE_ARRAY data shorter than its lengths");
		if (prefix[i]) memcpy(buf, prevp, (size_t)prefix[i]);
		memcpy(buf + prefix[i], p, (size_t)lens[i]);
		p += lens[i];
		out[i].len = (uint32_t)(prefix[i] + lens[i]);
		out[i].ptr = (const char *)buf;
		if (lf->phys == PT_FLBA && out[i].len != (uint32_t)lf->type_length)
			return col_corrupt(c, "DELTA_BYTE_ARRAY value of the wrong fixed length");
		prevp = buf;
		buf += out[i].len;
	}
	c->eager_n = n;
	return NULL;
}

/* Prepare the value decoder of a data page whose value bytes are [p, end). */
static ferr *start_values(pq_column *c, int enc, const uint8_t *p, const uint8_t *end, int64_t num_values)
{
	const pq_leaf *lf = c->leaf;
	c->enc = enc;
	c->vp = p;
	c->vend = end;
	c->bool_bit = 0;
	c->values_utf8_checked = false;
	switch (enc) {
	case ENC_PLAIN: return NULL;
	case ENC_PLAIN_DICTIONARY:
	case ENC_RLE_DICTIONARY:
		if (!c->has_dict) return col_corrupt(c, "dictionary-encoded page without a dictionary");
		if (p >= end) {
			pq_rle_init(&c->vrle, p, 0, 0); /* only nulls follow; any value read fails */
			c->vrle.bw = -1;
			return NULL;
		}
		if (*p > 32) return col_corrupt(c, "dictionary index bit width over 32");
		pq_rle_init(&c->vrle, p + 1, (size_t)(end - p - 1), *p);
		c->values_utf8_checked = c->dict_utf8_checked;
		return NULL;
	case ENC_RLE:
		if (lf->phys != PT_BOOLEAN) return col_corrupt(c, "RLE values on a non-boolean column");
		if (end - p < 4) return col_corrupt(c, "RLE boolean data too short");
		{
			uint32_t n = load_le32(p);
			if (n > (size_t)(end - p - 4)) return col_corrupt(c, "RLE boolean length exceeds the page");
			pq_rle_init(&c->vrle, p + 4, n, 1);
		}
		return NULL;
	case ENC_BYTE_STREAM_SPLIT: {
		size_t w = lf->phys == PT_FLBA ? (size_t)lf->type_length : (size_t)c->psize;
		if (lf->phys == PT_BOOLEAN || lf->phys == PT_BYTE_ARRAY || lf->phys == PT_INT96)
			return col_corrupt(c, "BYTE_STREAM_SPLIT on an unsupported type");
		if ((size_t)(end - p) % w != 0) return col_corrupt(c, "BYTE_STREAM_SPLIT data not a multiple of the width");
		c->bss_n = (size_t)(end - p) / w;
		c->bss_i = 0;
		if (lf->phys == PT_FLBA) {
			/* Reassemble into contiguous values once; fstrings then point at them. */
			grow(&c->eager_bytes, &c->eager_bytes_cap, (size_t)(end - p) + 1);
			for (size_t k = 0; k < w; k++)
				for (size_t i = 0; i < c->bss_n; i++) c->eager_bytes[i * w + k] = p[k * c->bss_n + i];
		}
		return NULL;
	}
	case ENC_DELTA_BINARY_PACKED:
	case ENC_DELTA_LENGTH_BYTE_ARRAY:
	case ENC_DELTA_BYTE_ARRAY: return eager_decode(c, p, end, num_values);
	default:
		return pq_unsupported(c->f, "column '%s': value encoding %d is not supported", lf->path, enc);
	}
}

/* Advance to the next data page (loading a dictionary on the way). */
static ferr *next_page(pq_column *c)
{
	for (;;) {
		if (c->pos >= c->chunk_len)
			return pq_corrupt(c->f, "column '%s': column chunk ends after %lld values", c->leaf->path,
			                  (long long)c->entries_read);
		pq_page_header h;
		size_t hlen;
		uint64_t at = c->chunk_offset + c->pos;
		TRY(pq_decode_page_header(c->f, c->chunk + c->pos, c->chunk_len - c->pos, at, &h, &hlen));
		if ((uint64_t)h.compressed_size > c->chunk_len - c->pos - hlen)
			return pq_corrupt(c->f, "corrupt page header at offset %llu: page extends past its column chunk",
			                  (unsigned long long)at);
		const uint8_t *body = c->chunk + c->pos + hlen;
		c->pos += hlen + (size_t)h.compressed_size;
		if (c->f->in->opt.verify_crc && h.has_crc &&
		    (uint32_t)crc32(0, body, (uInt)h.compressed_size) != h.crc)
			return pq_corrupt(c->f, "column '%s': page checksum mismatch at offset %llu", c->leaf->path,
			                  (unsigned long long)at);
		if (h.type == PAGE_DICTIONARY) {
			TRY(load_dictionary(c, &h, body));
			continue;
		}
		if (h.type != PAGE_DATA && h.type != PAGE_DATA_V2) continue; /* index pages, newer types */
		if (h.num_values == 0) continue;
		if (h.num_values > c->values_total - c->entries_read)
			return col_corrupt(c, "page holds more values than its column chunk");
		const uint8_t *data, *end;
		if (h.type == PAGE_DATA) {
			TRY(page_bytes(c, body, (size_t)h.compressed_size, (size_t)h.uncompressed_size, &c->page_buf,
			               &c->page_cap, &data));
			end = data + h.uncompressed_size;
			TRY(v1_levels(c, &h, &data, end));
		} else {
			uint64_t lv = (uint64_t)h.rep_len + (uint64_t)h.def_len;
			if (lv > (uint64_t)h.compressed_size || lv > (uint64_t)h.uncompressed_size)
				return col_corrupt(c, "v2 page levels exceed the page");
			/* Levels a column cannot have (some writers emit empty runs) are skipped. */
			if (c->leaf->max_rep > 0)
				pq_rle_init(&c->rep, body, (size_t)h.rep_len, 32 - __builtin_clz((unsigned)c->leaf->max_rep));
			if (c->leaf->max_def > 0)
				pq_rle_init(&c->def, body + h.rep_len, (size_t)h.def_len,
				            32 - __builtin_clz((unsigned)c->leaf->max_def));
			size_t clen = (size_t)h.compressed_size - lv, ulen = (size_t)h.uncompressed_size - lv;
			if (h.is_compressed && c->codec != CODEC_UNCOMPRESSED) {
				TRY(page_bytes(c, body + lv, clen, ulen, &c->page_buf, &c->page_cap, &data));
			} else {
				if (clen != ulen) return col_corrupt(c, "uncompressed v2 page sizes disagree");
				data = body + lv;
			}
			end = data + ulen;
		}
		TRY(start_values(c, h.encoding, data, end, h.num_values));
		c->page_left = h.num_values;
		return NULL;
	}
}

/* ------------------------------------------------------------ values */

/* Decode n physical values of the current page into dst. */
static ferr *decode_values(pq_column *c, int n, uint8_t *dst)
{
	if (n == 0) return NULL;
	const pq_leaf *lf = c->leaf;
	int ps = c->psize;
	switch (c->enc) {
	case ENC_PLAIN:
		if (!plain_decode(lf, &c->vp, c->vend, &c->bool_bit, n, dst))
			return col_corrupt(c, "page has fewer values than its levels");
		return NULL;
	case ENC_PLAIN_DICTIONARY:
	case ENC_RLE_DICTIONARY: {
		if (c->vrle.bw < 0 || !pq_rle_get_u32(&c->vrle, c->idx, n))
			return col_corrupt(c, "malformed dictionary indices");
		uint32_t maxi = 0;
		for (int i = 0; i < n; i++) maxi = c->idx[i] > maxi ? c->idx[i] : maxi;
		if (maxi >= (uint32_t)c->dict_n) return col_corrupt(c, "dictionary index out of range");
		const uint32_t *ix = c->idx;
		switch (ps) {
		case 1: for (int i = 0; i < n; i++) dst[i] = c->dict[ix[i]]; break;
		case 4: {
			uint32_t *o = (uint32_t *)dst;
			const uint32_t *d = (const uint32_t *)c->dict;
			for (int i = 0; i < n; i++) o[i] = d[ix[i]];
			break;
		}
		case 8: {
			uint64_t *o = (uint64_t *)dst;
			const uint64_t *d = (const uint64_t *)c->dict;
			for (int i = 0; i < n; i++) o[i] = d[ix[i]];
			break;
		}
		case 16: {
			fstring *o = (fstring *)dst;
			const fstring *d = (const fstring *)c->dict;
			for (int i = 0; i < n; i++) o[i] = d[ix[i]];
			break;
		}
		default:
			for (int i = 0; i < n; i++) memcpy(dst + (size_t)i * ps, c->dict + (size_t)ix[i] * ps, (size_t)ps);
			break;
		}
		return NULL;
	}
	case ENC_RLE:
		if (!pq_rle_get_u32(&c->vrle, c->idx, n)) return col_corrupt(c, "malformed RLE booleans");
		for (int i = 0; i < n; i++) dst[i] = (uint8_t)(c->idx[i] & 1);
		return NULL;
	case ENC_BYTE_STREAM_SPLIT: {
		if ((size_t)n > c->bss_n - c->bss_i) return col_corrupt(c, "page has fewer values than its levels");
		if (lf->phys == PT_FLBA) {
			size_t w = (size_t)lf->type_length;
			fstring *o = (fstring *)dst;
			for (int i = 0; i < n; i++) {
				o[i].len = (uint32_t)w;
				o[i].ptr = (const char *)c->eager_bytes + (c->bss_i + (size_t)i) * w;
			}
		} else {
			const uint8_t *base = c->vp + c->bss_i;
			size_t N = c->bss_n;
			for (int k = 0; k < ps; k++) {
				const uint8_t *s = base + (size_t)k * N;
				for (int i = 0; i < n; i++) dst[(size_t)i * ps + k] = s[i];
			}
		}
		c->bss_i += (size_t)n;
		return NULL;
	}
	default: /* DELTA_*: decoded when the page was loaded */
		if (n > c->eager_n - c->eager_i) return col_corrupt(c, "page has fewer values than its levels");
		memcpy(dst, c->eager + (size_t)c->eager_i * ps, (size_t)n * ps);
		c->eager_i += n;
		return NULL;
	}
}

/* ---------------------------------------------------------- conversion */

static float half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
	if (exp == 0) {
		if (mant == 0) bits = sign;
		else {
			/* subnormal: normalise */
			int e = -1;
			do {
				e++;
				mant <<= 1;
			} while (!(mant & 0x400));
			bits = sign | (uint32_t)(127 - 15 - e) << 23 | (mant & 0x3ff) << 13;
		}
	} else if (exp == 31) bits = sign | 0x7f800000u | mant << 13;
	else bits = sign | (exp - 15 + 127) << 23 | mant << 13;
	float f;
	memcpy(&f, &bits, 4);
	return f;
}

static int64_t int96_to_ts(const uint8_t *p)
{
	int64_t nanos;
	int32_t jd;
	memcpy(&nanos, p, 8);
	memcpy(&jd, p + 8, 4);
	/* Wrapping arithmetic: a hostile day number gives a wrong value, not UB. */
	return (int64_t)(((uint64_t)(int64_t)jd - (uint64_t)JULIAN_DAY_2000) * (uint64_t)MICROS_PER_DAY +
	                 (uint64_t)(nanos / 1000));
}

/*
 * Store k rows at [off, off+k) of v from nn dense physical values; defs
 * (NULL when nn == k) marks present rows with maxdef. Rows without a value
 * are set to zero bytes.
 */
#define SCATTER(TOUT, TIN, EXPR)                                                  \
	do {                                                                          \
		TOUT *o_ = (TOUT *)v->data + off;                                         \
		const TIN *in_ = (const TIN *)phys;                                       \
		if (!defs) {                                                              \
			for (int i_ = 0; i_ < k; i_++) {                                      \
				TIN x = in_[i_];                                                  \
				o_[i_] = (TOUT)(EXPR);                                            \
			}                                                                     \
		} else {                                                                  \
			int j_ = 0;                                                           \
			for (int i_ = 0; i_ < k; i_++) {                                      \
				if (defs[i_] == maxdef) {                                         \
					TIN x = in_[j_++];                                            \
					o_[i_] = (TOUT)(EXPR);                                        \
				} else {                                                          \
					memset(&o_[i_], 0, sizeof(TOUT));                             \
				}                                                                 \
			}                                                                     \
		}                                                                         \
	} while (0)

static ferr *convert(pq_column *c, vector *v, int off, int k, const uint16_t *defs, int maxdef,
                     const uint8_t *phys, int nn, arena *a)
{
	const pq_leaf *lf = c->leaf;
	switch (lf->conv) {
	case CONV_COPY:
		switch (c->psize) {
		case 1: SCATTER(uint8_t, uint8_t, x); break;
		case 4: SCATTER(uint32_t, uint32_t, x); break;
		default: SCATTER(uint64_t, uint64_t, x); break;
		}
		break;
	case CONV_I32_TO_I16: {
		int bad = 0;
		SCATTER(int16_t, int32_t, (bad |= (x != (int16_t)x), x));
		if (bad) return pq_corrupt(c->f, "column '%s': value out of range for smallint", lf->path);
		break;
	}
	case CONV_I32_TO_I64: SCATTER(int64_t, int32_t, x); break;
	case CONV_U32_TO_I64: SCATTER(int64_t, uint32_t, x); break;
	case CONV_I32_TO_I128: SCATTER(__int128, int32_t, x); break;
	case CONV_I64_TO_I128: SCATTER(__int128, int64_t, x); break;
	case CONV_U64_TO_I128: SCATTER(__int128, uint64_t, x); break;
	case CONV_DATE: SCATTER(int32_t, int32_t, (int32_t)((uint32_t)x - UNIX_TO_PG_DAYS)); break;
	case CONV_TIME_MILLIS: SCATTER(int64_t, int32_t, (int64_t)x * 1000); break;
	case CONV_TIME_NANOS: SCATTER(int64_t, int64_t, x / 1000); break;
	case CONV_TS_MILLIS:
		SCATTER(int64_t, int64_t, (int64_t)((uint64_t)x * 1000u - (uint64_t)UNIX_TO_PG_MICROS));
		break;
	case CONV_TS_MICROS: SCATTER(int64_t, int64_t, (int64_t)((uint64_t)x - (uint64_t)UNIX_TO_PG_MICROS)); break;
	case CONV_TS_NANOS:
		SCATTER(int64_t, int64_t, (int64_t)((uint64_t)(x / 1000 - (x % 1000 < 0)) - (uint64_t)UNIX_TO_PG_MICROS));
		break;
	case CONV_INT96_TS: {
		int64_t *o = (int64_t *)v->data + off;
		int j = 0;
		for (int i = 0; i < k; i++) {
			if (!defs || defs[i] == maxdef) o[i] = int96_to_ts(phys + (size_t)(j++) * 12);
			else o[i] = 0;
		}
		break;
	}
	case CONV_FLOAT16:
		SCATTER(float, fstring, half_to_float((uint16_t)((uint8_t)x.ptr[0] | (uint8_t)x.ptr[1] << 8)));
		break;
	case CONV_STRING:
	case CONV_BINARY: {
		const fstring *in = (const fstring *)phys;
		uint64_t total = 0;
		for (int j = 0; j < nn; j++) total += in[j].len;
		bool check = lf->conv == CONV_STRING && !c->values_utf8_checked;
		char *buf = arena_alloc(a, total ? (size_t)total : 1);
		fstring *o = (fstring *)v->data + off;
		int j = 0;
		for (int i = 0; i < k; i++) {
			if (defs && defs[i] != maxdef) {
				o[i].len = 0;
				o[i].ptr = buf;
				continue;
			}
			const fstring *s = &in[j++];
			if (check && !pq_utf8_valid((const uint8_t *)s->ptr, s->len))
				return ferr_new(SQLSTATE_CHARACTER_NOT_IN_REPERTOIRE, "parquet file '%s': column '%s': invalid UTF-8 in a text value", c->f->name, lf->path);
			memcpy(buf, s->ptr, s->len);
			o[i].len = s->len;
			o[i].ptr = buf;
			buf += s->len;
		}
		break;
	}
	case CONV_DECIMAL_BIN: {
		const fstring *in = (const fstring *)phys;
		bool wide = numeric_is_wide(lf->type);
		int j = 0;
		for (int i = 0; i < k; i++) {
			__int128 x = 0;
			if (!defs || defs[i] == maxdef) {
				const fstring *s = &in[j++];
				if (!pq_decimal_from_be((const uint8_t *)s->ptr, s->len, &x) ||
				    (!wide && (x < INT64_MIN || x > INT64_MAX)))
					return pq_corrupt(c->f, "column '%s': decimal value out of range", lf->path);
			}
			if (wide) ((__int128 *)v->data)[off + i] = x;
			else ((int64_t *)v->data)[off + i] = (int64_t)x;
		}
		break;
	}
	case CONV_UUID: {
		const fstring *in = (const fstring *)phys;
		fuuid *o = (fuuid *)v->data + off;
		int j = 0;
		for (int i = 0; i < k; i++) {
			if (!defs || defs[i] == maxdef) memcpy(o[i].b, in[j++].ptr, 16);
			else memset(o[i].b, 0, 16);
		}
		break;
	}
	}
	return NULL;
}

static void set_nulls(vector *v, arena *a, int off, int k, const uint16_t *defs, int maxdef, int capacity)
{
	if (!v->validity) {
		size_t words = ((size_t)capacity + 63) / 64;
		v->validity = arena_alloc(a, words * sizeof(uint64_t));
		memset(v->validity, 0xff, words * sizeof(uint64_t));
	}
	for (int i = 0; i < k; i++)
		if (defs[i] != maxdef) {
			int r = off + i;
			v->validity[r >> 6] &= ~((uint64_t)1 << (r & 63));
		}
}

/* Levels of k entries; counts entries whose def is maxdef. */
static ferr *read_levels(pq_column *c, int k, uint16_t *defs, uint16_t *reps, int *nn)
{
	const pq_leaf *lf = c->leaf;
	if (lf->max_rep > 0) {
		if (!pq_rle_get_u16(&c->rep, reps, k)) return col_corrupt(c, "malformed repetition levels");
		uint16_t mx = 0;
		for (int i = 0; i < k; i++) mx = reps[i] > mx ? reps[i] : mx;
		if (mx > lf->max_rep) return col_corrupt(c, "repetition level out of range");
	}
	if (lf->max_def == 0) {
		*nn = k;
		return NULL;
	}
	if (!pq_rle_get_u16(&c->def, defs, k)) return col_corrupt(c, "malformed definition levels");
	int cnt = 0, bad = 0, md = lf->max_def;
	for (int i = 0; i < k; i++) {
		cnt += defs[i] == md;
		bad |= defs[i] > md;
	}
	if (bad) return col_corrupt(c, "definition level out of range");
	*nn = cnt;
	return NULL;
}

ferr *pq_column_read_flat(pq_column *c, vector *v, int off, int n, int capacity, arena *a)
{
	const pq_leaf *lf = c->leaf;
	size_t w = ftype_width(v->type);
	while (n > 0) {
		if (c->page_left == 0) TRY(next_page(c));
		int k = c->page_left < n ? (int)c->page_left : n;
		int nn = k;
		if (lf->max_def > 0) TRY(read_levels(c, k, c->defs, c->reps, &nn));
		bool direct = lf->conv == CONV_COPY && nn == k && (size_t)c->psize == w;
		uint8_t *dst = direct ? (uint8_t *)v->data + (size_t)off * w : c->phys;
		TRY(decode_values(c, nn, dst));
		if (!direct) {
			const uint16_t *defs = nn == k ? NULL : c->defs;
			TRY(convert(c, v, off, k, defs, lf->max_def, c->phys, nn, a));
			if (defs) set_nulls(v, a, off, k, defs, lf->max_def, capacity);
		}
		c->page_left -= k;
		c->entries_read += k;
		off += k;
		n -= k;
	}
	return NULL;
}

ferr *pq_column_read_entries(pq_column *c, int n, uint16_t *defs, uint16_t *reps, vector *v, int64_t *nvals,
                             arena *a, int *got)
{
	const pq_leaf *lf = c->leaf;
	*got = 0;
	if (c->page_left == 0) {
		if (c->entries_read >= c->values_total) return NULL;
		TRY(next_page(c));
	}
	if (n > BATCH_CAPACITY) n = BATCH_CAPACITY;
	int k = c->page_left < n ? (int)c->page_left : n;
	int nn = k;
	TRY(read_levels(c, k, c->defs, c->reps, &nn));
	if (lf->max_def == 0) memset(defs, 0, (size_t)k * sizeof(uint16_t));
	else memcpy(defs, c->defs, (size_t)k * sizeof(uint16_t));
	if (lf->max_rep == 0) memset(reps, 0, (size_t)k * sizeof(uint16_t));
	else memcpy(reps, c->reps, (size_t)k * sizeof(uint16_t));
	TRY(decode_values(c, nn, c->phys));
	TRY(convert(c, v, (int)*nvals, nn, NULL, lf->max_def, c->phys, nn, a));
	*nvals += nn;
	c->page_left -= k;
	c->entries_read += k;
	*got = k;
	return NULL;
}
