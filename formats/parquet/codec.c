/*
 * codec.c — page decompression through the standard libraries (snappy,
 * zlib, zstd, lz4, brotli). The output size is always the page header's
 * uncompressed size: a codec that produces more or fewer bytes means a
 * corrupt page, never a larger buffer.
 */
#include <brotli/decode.h>
#include <lz4.h>
#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "formats/parquet/parquet_internal.h"

const char *pq_codec_name(int codec)
{
	switch (codec) {
	case CODEC_UNCOMPRESSED: return "UNCOMPRESSED";
	case CODEC_SNAPPY: return "SNAPPY";
	case CODEC_GZIP: return "GZIP";
	case CODEC_LZO: return "LZO";
	case CODEC_BROTLI: return "BROTLI";
	case CODEC_LZ4: return "LZ4";
	case CODEC_ZSTD: return "ZSTD";
	case CODEC_LZ4_RAW: return "LZ4_RAW";
	default: return "unknown";
	}
}

/* gzip or zlib streams, several gzip members one after another allowed. */
static bool inflate_all(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK) return false; /* 32: detect gzip or zlib header */
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)src_len;
	zs.next_out = dst;
	zs.avail_out = (uInt)dst_len;
	bool ok = false;
	for (;;) {
		int rc = inflate(&zs, Z_FINISH);
		if (rc == Z_STREAM_END) {
			if (zs.avail_in > 0 && zs.avail_out > 0) {
				/* Another member follows. */
				if (inflateReset(&zs) != Z_OK) break;
				continue;
			}
			ok = zs.avail_out == 0;
			break;
		}
		if (rc == Z_BUF_ERROR && zs.avail_out == 0 && zs.avail_in == 0) {
			ok = true;
			break;
		}
		if (rc != Z_OK) break;
	}
	inflateEnd(&zs);
	return ok;
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Hadoop's LZ4 codec: blocks of [BE uncompressed size][BE compressed size]
 * [lz4 block]. Older writers (parquet-cpp before 1.5) used raw LZ4 blocks
 * under the same codec id, so a raw block is tried when framing fails.
 */
static bool lz4_hadoop(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len)
{
	size_t in = 0, out = 0;
	while (in + 8 <= src_len) {
		uint32_t ulen = load_be32(src + in), clen = load_be32(src + in + 4);
		in += 8;
		if (clen > src_len - in || ulen > dst_len - out) return false;
		if (clen > INT32_MAX || ulen > INT32_MAX) return false;
		int n = LZ4_decompress_safe((const char *)src + in, (char *)dst + out, (int)clen, (int)ulen);
		if (n < 0 || (uint32_t)n != ulen) return false;
		in += clen;
		out += ulen;
	}
	return in == src_len && out == dst_len;
}

ferr *pq_decompress(const parquet_file *f, int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                    size_t dst_len)
{
	bool ok = false;
	switch (codec) {
	case CODEC_UNCOMPRESSED:
		ok = src_len == dst_len;
		if (ok && dst_len) memcpy(dst, src, dst_len);
		break;
	case CODEC_SNAPPY: {
		size_t n = 0;
		if (snappy_uncompressed_length((const char *)src, src_len, &n) == SNAPPY_OK && n == dst_len) {
			size_t out = dst_len;
			ok = snappy_uncompress((const char *)src, src_len, (char *)dst, &out) == SNAPPY_OK &&
			     out == dst_len;
		}
		break;
	}
	case CODEC_GZIP: ok = inflate_all(src, src_len, dst, dst_len); break;
	case CODEC_ZSTD: {
		size_t n = ZSTD_decompress(dst, dst_len, src, src_len);
		ok = !ZSTD_isError(n) && n == dst_len;
		break;
	}
	case CODEC_LZ4_RAW:
		if (src_len <= INT32_MAX && dst_len <= INT32_MAX) {
			int n = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
			ok = n >= 0 && (size_t)n == dst_len;
		}
		break;
	case CODEC_LZ4:
		ok = lz4_hadoop(src, src_len, dst, dst_len);
		if (!ok && src_len <= INT32_MAX && dst_len <= INT32_MAX) {
			int n = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
			ok = n >= 0 && (size_t)n == dst_len;
		}
		break;
	case CODEC_BROTLI: {
		size_t out = dst_len;
		ok = BrotliDecoderDecompress(src_len, src, &out, dst) == BROTLI_DECODER_RESULT_SUCCESS &&
		     out == dst_len;
		break;
	}
	default: return pq_unsupported(f, "compression codec %s (%d) is not supported", pq_codec_name(codec), codec);
	}
	if (!ok)
		return pq_corrupt(f, "%s decompression failed (%zu bytes to %zu)", pq_codec_name(codec), src_len,
		                  dst_len);
	return NULL;
}
