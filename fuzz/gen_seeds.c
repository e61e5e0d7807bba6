/*
 * gen_seeds.c — writes the seed corpora of the fuzz targets into OUTDIR/<target>/:
 * valid column chunks of every template in every encoding and codec the
 * reader supports (fuzz_parquet_pages), small valid Parquet files
 * (fuzz_parquet_footer), startup packets with frontend messages
 * (fuzz_pgwire_startup) and SQL texts (fuzz_sql). Everything is generated
 * here; no file is copied from fixtures. Usage: gen_seeds OUTDIR
 */
#include <brotli/encode.h>
#include <errno.h>
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "fuzz/pq_templates.h"

static const char *outdir;
static int nfiles;

static void write_file(const char *target, const char *name, const void *p, size_t n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
	nfiles++;
}

/* ------------------------------------------------------------- levels */

typedef struct levels {
	int n;
	uint32_t def[8192], rep[8192];
	int max_def, max_rep;
} levels;

static void add(levels *l, uint32_t d, uint32_t r)
{
	l->def[l->n] = d;
	l->rep[l->n] = r;
	l->n++;
}

/* Level entries of leaf `leaf` of template t for `rows` rows (the shapes in pq_templates.h). */
static void make_levels(const pq_template *t, int leaf, int rows, levels *l)
{
	const char *name = t->el[0].name;
	l->n = 0;
	if (strcmp(name, "l") == 0 || strcmp(name, "m") == 0) {
		/* optional group, repeated group, leaf (list element optional; map key required, value optional) */
		bool opt_leaf = strcmp(name, "l") == 0 || leaf == 1;
		l->max_def = opt_leaf ? 3 : 2;
		l->max_rep = 1;
		for (int r = 0; r < rows; r++) {
			if (r % 7 == 0) add(l, 0, 0);
			else if (r % 7 == 1) add(l, 1, 0);
			else
				for (int j = 0; j < 1 + r % 3; j++)
					add(l, (opt_leaf && j == 1 && r % 4 == 0) ? 2 : (uint32_t)l->max_def, j ? 1 : 0);
		}
	} else if (strcmp(name, "st") == 0) {
		l->max_def = 2;
		l->max_rep = 0;
		for (int r = 0; r < rows; r++)
			add(l, r % 6 == 0 ? 0 : (leaf == 0 ? r % 4 == 1 : r % 5 == 2) ? 1 : 2, 0);
	} else if (t->el[0].repetition == PQB_REPEATED) {
		l->max_def = 1;
		l->max_rep = 1;
		for (int r = 0; r < rows; r++) {
			if (r % 4 == 0) add(l, 0, 0);
			else
				for (int j = 0; j < 1 + r % 3; j++) add(l, 1, j ? 1 : 0);
		}
	} else {
		l->max_def = t->el[0].repetition == PQB_OPTIONAL;
		l->max_rep = 0;
		for (int r = 0; r < rows; r++) add(l, l->max_def && r % 5 == 3 ? 0 : (uint32_t)l->max_def, 0);
	}
}

/* ------------------------------------------------------------- values */

static void le(pqb_buf *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++) pqb_u8(b, (uint8_t)(v >> (8 * i)));
}

/* Value k of a leaf as an integer (integer columns, also for DELTA_BINARY_PACKED). */
static int64_t int_value(const pqb_elem *e, int k)
{
	if (e->type == PQB_INT32) return e->converted == 16 ? k * 3 - 50 : (int64_t)k * 7919 - 100000;
	return (int64_t)k * 1000003 - 5 + (k % 3 ? 0 : INT64_C(1) << 40);
}

/* Value k of a binary leaf. */
static void bytes_value(const pqb_elem *e, int k, pqb_buf *b)
{
	if (e->type == PQB_FLBA) {
		int64_t v = e->type_length == 5 ? (int64_t)k * 101 - 200 : 0x3c00 + k;
		for (int i = 0; i < e->type_length; i++) {
			if (e->type_length == 16) pqb_u8(b, (uint8_t)(k * 31 + i));
			else if (e->type_length == 2) pqb_u8(b, (uint8_t)(v >> (8 * i))); /* float16, little-endian */
			else pqb_u8(b, (uint8_t)(v >> (8 * (e->type_length - 1 - i)))); /* big-endian decimal */
		}
		return;
	}
	char s[64];
	int n;
	if (e->logical == 5) { /* decimal as big-endian bytes */
		int64_t v = (int64_t)k * 123456789 - 7;
		for (int i = 7; i >= 0; i--) s[7 - i] = (char)(v >> (8 * i));
		n = 8;
	} else {
		n = snprintf(s, sizeof(s), k % 4 == 0 ? "value-%03d" : k % 4 == 1 ? "value-%03d-\xc3\xa9t\xc3\xa9" : "v%d", k);
	}
	pqb_put(b, s, (size_t)n);
}

/* PLAIN encoding of values [0, n) where value i is k[i] (booleans: bits). */
static void plain(const pqb_elem *e, const int *k, int n, pqb_buf *b)
{
	if (e->type == PQB_BOOLEAN) {
		uint32_t *bits = calloc((size_t)n + 8, sizeof(uint32_t));
		for (int i = 0; i < n; i++) bits[i] = k[i] % 3 == 0;
		pqb_pack(b, bits, (size_t)n, 1);
		free(bits);
		return;
	}
	for (int i = 0; i < n; i++) {
		switch (e->type) {
		case PQB_INT32: le(b, (uint64_t)int_value(e, k[i]), 4); break;
		case PQB_INT64: le(b, (uint64_t)int_value(e, k[i]), 8); break;
		case PQB_INT96:
			le(b, (uint64_t)k[i] * 1000000000ull + 123, 8);
			le(b, 2451545u + (uint32_t)k[i], 4);
			break;
		case PQB_FLOAT: {
			float f = (float)k[i] * 0.5f - 3;
			uint32_t u;
			memcpy(&u, &f, 4);
			le(b, u, 4);
			break;
		}
		case PQB_DOUBLE: {
			double d = k[i] * 1.25 - 10;
			uint64_t u;
			memcpy(&u, &d, 8);
			le(b, u, 8);
			break;
		}
		case PQB_BYTE_ARRAY: {
			pqb_buf v = {0};
			bytes_value(e, k[i], &v);
			pqb_le32(b, (uint32_t)v.len);
			pqb_put(b, v.p, v.len);
			pqb_free(&v);
			break;
		}
		default: bytes_value(e, k[i], b); break;
		}
	}
}

/* ------------------------------------------------------------- encodings */

enum { V_PLAIN_V1, V_PLAIN_V2, V_DICT_V1, V_DICT_V2, V_DELTA, V_DELTA_BA, V_BSS, V_RLE_BOOL, V_COUNT };
static const char *variant_names[] = {"plain1", "plain2", "dict1", "dict2", "delta", "deltaba", "bss", "rlebool"};

static bool variant_applies(const pqb_elem *e, int v)
{
	switch (v) {
	case V_DICT_V1: case V_DICT_V2: return e->type != PQB_BOOLEAN;
	case V_DELTA: return e->type == PQB_INT32 || e->type == PQB_INT64 || e->type == PQB_BYTE_ARRAY;
	case V_DELTA_BA: return e->type == PQB_BYTE_ARRAY || e->type == PQB_FLBA;
	case V_BSS: return e->type == PQB_FLOAT || e->type == PQB_DOUBLE || e->type == PQB_INT32 ||
	                   e->type == PQB_INT64 || e->type == PQB_FLBA;
	case V_RLE_BOOL: return e->type == PQB_BOOLEAN;
	default: return true;
	}
}

static int value_width(const pqb_elem *e)
{
	switch (e->type) {
	case PQB_INT32: case PQB_FLOAT: return 4;
	case PQB_INT64: case PQB_DOUBLE: return 8;
	case PQB_FLBA: return e->type_length;
	default: return 0;
	}
}

/* The value section of a data page of n values k[0..n) in variant v. */
static void encode_values(const pqb_elem *e, int v, const int *k, int n, int dict_n, pqb_buf *b)
{
	switch (v) {
	case V_DICT_V1:
	case V_DICT_V2: {
		int bw = pqb_bit_width((uint32_t)(dict_n > 1 ? dict_n - 1 : 0));
		uint32_t *idx = malloc(sizeof(uint32_t) * ((size_t)n + 1));
		for (int i = 0; i < n; i++) idx[i] = (uint32_t)(k[i] % dict_n);
		pqb_u8(b, (uint8_t)bw);
		pqb_rle(b, idx, (size_t)n, bw);
		free(idx);
		return;
	}
	case V_DELTA:
		if (e->type != PQB_BYTE_ARRAY) {
			int64_t *x = malloc(sizeof(int64_t) * ((size_t)n + 1));
			for (int i = 0; i < n; i++) x[i] = int_value(e, k[i]);
			pqb_delta(b, x, (size_t)n);
			free(x);
			return;
		}
		/* fall through: DELTA_LENGTH_BYTE_ARRAY */
	case V_DELTA_BA: {
		pqb_buf all = {0};
		int64_t *lens = malloc(sizeof(int64_t) * ((size_t)n + 1));
		int64_t *pre = malloc(sizeof(int64_t) * ((size_t)n + 1));
		size_t *start = malloc(sizeof(size_t) * ((size_t)n + 1));
		for (int i = 0; i < n; i++) {
			start[i] = all.len;
			bytes_value(e, k[i], &all);
			lens[i] = (int64_t)(all.len - start[i]);
			pre[i] = 0;
			if (v == V_DELTA_BA && i > 0) {
				while (pre[i] < lens[i] && pre[i] < lens[i - 1] &&
				       all.p[start[i] + (size_t)pre[i]] == all.p[start[i - 1] + (size_t)pre[i]])
					pre[i]++;
			}
		}
		if (v == V_DELTA_BA) {
			pqb_delta(b, pre, (size_t)n);
			int64_t *suf = malloc(sizeof(int64_t) * ((size_t)n + 1));
			for (int i = 0; i < n; i++) suf[i] = lens[i] - pre[i];
			pqb_delta(b, suf, (size_t)n);
			for (int i = 0; i < n; i++) pqb_put(b, all.p + start[i] + pre[i], (size_t)(lens[i] - pre[i]));
			free(suf);
		} else {
			pqb_delta(b, lens, (size_t)n);
			pqb_put(b, all.p, all.len);
		}
		pqb_free(&all);
		free(lens);
		free(pre);
		free(start);
		return;
	}
	case V_BSS: {
		pqb_buf p = {0};
		plain(e, k, n, &p);
		int w = value_width(e);
		for (int byte = 0; byte < w; byte++)
			for (int i = 0; i < n; i++) pqb_u8(b, p.p[(size_t)i * (size_t)w + (size_t)byte]);
		pqb_free(&p);
		return;
	}
	case V_RLE_BOOL: {
		pqb_buf r = {0};
		uint32_t *bits = malloc(sizeof(uint32_t) * ((size_t)n + 1));
		for (int i = 0; i < n; i++) bits[i] = k[i] % 3 == 0;
		pqb_rle(&r, bits, (size_t)n, 1);
		pqb_le32(b, (uint32_t)r.len);
		pqb_put(b, r.p, r.len);
		pqb_free(&r);
		free(bits);
		return;
	}
	default: plain(e, k, n, b); return;
	}
}

static const int encoding_of[] = {0, 0, 8 /* RLE_DICTIONARY */, 8, 5, 7, 9, 3};

static void page_compress(int codec, const pqb_buf *in, pqb_buf *out)
{
	size_t cap = in->len * 2 + 1024;
	uint8_t *tmp = malloc(cap + 16);
	size_t n = cap;
	switch (codec) {
	case 1: snappy_compress((const char *)in->p, in->len, (char *)tmp, &n); break;
	case 2: {
		/* gzip framing (windowBits 31), as parquet-mr writes it */
		z_stream zs;
		memset(&zs, 0, sizeof(zs));
		deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = in->p;
		zs.avail_in = (uInt)in->len;
		zs.next_out = tmp;
		zs.avail_out = (uInt)cap;
		deflate(&zs, Z_FINISH);
		n = zs.total_out;
		deflateEnd(&zs);
		break;
	}
	case 4: BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, in->len, in->p, &n, tmp); break;
	case 5: { /* hadoop LZ4: [BE ulen][BE clen][block] */
		int c = LZ4_compress_default((const char *)in->p, (char *)tmp + 8, (int)in->len, (int)cap - 8);
		uint32_t u = (uint32_t)in->len, cl = (uint32_t)c;
		uint8_t h[8] = {(uint8_t)(u >> 24), (uint8_t)(u >> 16), (uint8_t)(u >> 8), (uint8_t)u,
		                (uint8_t)(cl >> 24), (uint8_t)(cl >> 16), (uint8_t)(cl >> 8), (uint8_t)cl};
		memcpy(tmp, h, 8);
		n = (size_t)c + 8;
		break;
	}
	case 6: n = ZSTD_compress(tmp, cap, in->p, in->len, 3); break;
	case 7: n = (size_t)LZ4_compress_default((const char *)in->p, (char *)tmp, (int)in->len, (int)cap); break;
	default: memcpy(tmp, in->p, in->len), n = in->len; break;
	}
	pqb_put(out, tmp, n);
	free(tmp);
}

/*
 * A column chunk for leaf `leaf` of template t: rows rows in variant v and
 * codec, in two data pages when there are enough rows (split at a row
 * boundary), after a dictionary page for the dictionary variants.
 * Returns the number of level entries; *nvals gets the present values.
 */
static int encode_chunk(const pq_template *t, int leaf, int rows, int v, int codec, pqb_buf *out, int *nvals)
{
	const pqb_elem *e = NULL;
	for (int i = 0, l = 0; i < t->nelems; i++)
		if (t->el[i].type >= 0 && l++ == leaf) e = &t->el[i];
	static levels lv;
	make_levels(t, leaf, rows, &lv);
	int nv = 0;
	for (int i = 0; i < lv.n; i++) nv += lv.def[i] == (uint32_t)lv.max_def;
	*nvals = nv;
	int dict_n = nv < 5 ? (nv ? nv : 1) : 5;
	if (v == V_DICT_V1 || v == V_DICT_V2) {
		int k[5] = {0, 1, 2, 3, 4};
		pqb_buf d = {0}, c = {0};
		plain(e, k, dict_n, &d);
		page_compress(codec, &d, &c);
		pqb_page pg = {PQB_PAGE_DICT, dict_n, 0, 0, 0, 0, 0, false};
		pqb_write_page(out, &pg, c.p, c.len, d.len);
		pqb_free(&d);
		pqb_free(&c);
	}
	/* page boundaries: entry index where the second page starts (a row start) */
	int cut = lv.n > 10 ? lv.n / 2 : lv.n;
	while (cut < lv.n && lv.rep[cut] != 0) cut++;
	int bounds[3] = {0, cut, lv.n};
	int vi = 0;
	bool v2 = v == V_PLAIN_V2 || v == V_DICT_V2 || v == V_RLE_BOOL || v == V_DELTA_BA;
	/* DELTA on strings is DELTA_LENGTH_BYTE_ARRAY */
	int enc = v == V_DELTA && e->type == PQB_BYTE_ARRAY ? 6 : encoding_of[v];
	int dw = pqb_bit_width((uint32_t)lv.max_def), rw = pqb_bit_width((uint32_t)lv.max_rep);
	for (int p = 0; p < 2; p++) {
		int a = bounds[p], z = bounds[p + 1];
		if (a == z) continue;
		int *k = malloc(sizeof(int) * ((size_t)(z - a) + 1));
		int n = 0, nulls = 0, nrows = 0;
		for (int i = a; i < z; i++) {
			if (lv.def[i] == (uint32_t)lv.max_def) k[n++] = vi++;
			else nulls++;
			nrows += lv.rep[i] == 0;
		}
		pqb_buf vals = {0}, reps = {0}, defs = {0};
		encode_values(e, v, k, n, dict_n, &vals);
		if (lv.max_rep) pqb_rle(&reps, lv.rep + a, (size_t)(z - a), rw);
		if (lv.max_def) pqb_rle(&defs, lv.def + a, (size_t)(z - a), dw);
		pqb_buf body = {0}, c = {0};
		if (!v2) {
			if (lv.max_rep) pqb_le32(&body, (uint32_t)reps.len), pqb_put(&body, reps.p, reps.len);
			if (lv.max_def) pqb_le32(&body, (uint32_t)defs.len), pqb_put(&body, defs.p, defs.len);
			pqb_put(&body, vals.p, vals.len);
			page_compress(codec, &body, &c);
			pqb_page pg = {PQB_PAGE_DATA, z - a, enc, 0, 0, 0, 0, false};
			pqb_write_page(out, &pg, c.p, c.len, body.len);
		} else {
			pqb_put(&c, reps.p, reps.len);
			pqb_put(&c, defs.p, defs.len);
			page_compress(codec, &vals, &c);
			pqb_page pg = {PQB_PAGE_V2, z - a, enc, nulls, nrows, (int32_t)defs.len,
			               (int32_t)reps.len, codec != 0};
			pqb_write_page(out, &pg, c.p, c.len, reps.len + defs.len + vals.len);
		}
		pqb_free(&vals);
		pqb_free(&reps);
		pqb_free(&defs);
		pqb_free(&body);
		pqb_free(&c);
		free(k);
	}
	return lv.n;
}

/* ------------------------------------------------------------- parquet seeds */

static void parquet_seeds(void)
{
	char name[128];
	static const int codecs[] = {1, 2, 4, 5, 6, 7};
	for (int ti = 0; ti < PQT_COUNT; ti++) {
		const pq_template *t = &pq_templates[ti];
		const pqb_elem *leaf0 = NULL;
		for (int i = 0; i < t->nelems && !leaf0; i++)
			if (t->el[i].type >= 0) leaf0 = &t->el[i];
		for (int v = 0; v < V_COUNT; v++) {
			if (!variant_applies(leaf0, v)) continue;
			if (t->nleaves == 2 && !variant_applies(&t->el[t->nelems - 1], v)) continue;
			/* uncompressed in every variant; each codec on the plain v1 and dictionary v2 variants */
			for (int ci = -1; ci < (int)(sizeof(codecs) / sizeof(codecs[0])); ci++) {
				int codec = ci < 0 ? 0 : codecs[ci];
				if (ci >= 0 && v != V_PLAIN_V1 && v != V_DICT_V2) continue;
				int rows = v == V_PLAIN_V1 && ci < 0 && ti < 3 ? 2100 : 40; /* one crosses a batch */
				pqb_buf c0 = {0}, c1 = {0};
				int nv0, nv1 = 0;
				int entries = encode_chunk(t, 0, rows, v, codec, &c0, &nv0);
				if (t->nleaves == 2) encode_chunk(t, 1, rows, v, codec, &c1, &nv1);
				pqt_header h = {(uint8_t)ti, (uint8_t)(codec == 0 ? 0 : 0), (uint16_t)rows, (uint16_t)entries,
				                (uint16_t)c0.len};
				for (int k = 0; k < 8; k++)
					if (pqt_codecs[k] == codec) {
						h.flags = (uint8_t)(k << 1);
						break;
					}
				if (v == V_DICT_V1) h.flags |= 1; /* two row groups: buffers reused */
				pqb_buf in = {0};
				pqt_header_write(&in, &h);
				pqb_put(&in, c0.p, c0.len);
				pqb_put(&in, c1.p, c1.len);
				snprintf(name, sizeof(name), "%s-%s-%d", t->el[0].name, variant_names[v], codec);
				write_file("fuzz_parquet_pages", name, in.p, in.len);
				pqb_free(&in);
				/* A whole file of the plain variant for the footer target, with statistics. */
				if (v == V_PLAIN_V1 && ci < 0) {
					pqb_elem schema[1 + PQT_MAX_ELEMS];
					int ns = pqt_schema(t, schema);
					pqb_buf minv = {0}, maxv = {0};
					int k0 = 0, k1 = nv0 - 1;
					if (t->nelems == 1 && leaf0->type != PQB_BOOLEAN) {
						plain(leaf0, &k0, 1, &minv);
						plain(leaf0, &k1, 1, &maxv);
					}
					size_t skip = leaf0->type == PQB_BYTE_ARRAY ? 4 : 0;
					pqb_chunk ch[2] = {{c0.p, c0.len, entries, 0, minv.p ? minv.p + skip : NULL,
					                    maxv.p ? maxv.p + skip : NULL, minv.len - skip, maxv.len - skip,
					                    entries - nv0},
					                   {c1.p, c1.len, entries, 0, NULL, NULL, 0, 0, -1}};
					pqb_buf file = {0};
					pqb_file(&file, schema, ns, ch, 1, rows, "parquet-mr version 1.12.3 (build ferry-fuzz)");
					snprintf(name, sizeof(name), "%s.parquet", t->el[0].name);
					write_file("fuzz_parquet_footer", name, file.p, file.len);
					pqb_free(&file);
					pqb_free(&minv);
					pqb_free(&maxv);
				}
				pqb_free(&c0);
				pqb_free(&c1);
			}
		}
	}

	/* One file with every template as a column, two row groups, mixed encodings. */
	pqb_elem schema[1 + PQT_COUNT * PQT_MAX_ELEMS];
	pqb_chunk chunks[PQT_COUNT * 2];
	pqb_buf bufs[PQT_COUNT * 2];
	memset(bufs, 0, sizeof(bufs));
	int ns = 1, nl = 0;
	schema[0] = (pqb_elem){"schema", -1, 0, -1, PQT_COUNT, -1, 0, 0, 0, 0, false};
	for (int ti = 0; ti < PQT_COUNT; ti++) {
		const pq_template *t = &pq_templates[ti];
		for (int i = 0; i < t->nelems; i++) schema[ns++] = t->el[i];
		for (int l = 0; l < t->nleaves; l++) {
			const pqb_elem *e = NULL;
			for (int i = 0, m = 0; i < t->nelems; i++)
				if (t->el[i].type >= 0 && m++ == l) e = &t->el[i];
			int v = ti % 3 == 0 ? V_PLAIN_V1 : ti % 3 == 1 ? V_DICT_V1 : V_PLAIN_V2;
			if (!variant_applies(e, v)) v = V_PLAIN_V1;
			int nv;
			int entries = encode_chunk(t, l, 30, v, ti % 2 ? 1 : 6, &bufs[nl], &nv);
			chunks[nl] = (pqb_chunk){bufs[nl].p, bufs[nl].len, entries, ti % 2 ? 1 : 6, NULL, NULL, 0, 0, -1};
			nl++;
		}
	}
	pqb_buf file = {0};
	pqb_file(&file, schema, ns, chunks, 2, 30, "parquet-cpp-arrow version 14.0.0");
	write_file("fuzz_parquet_footer", "all.parquet", file.p, file.len);
	pqb_free(&file);
	for (int i = 0; i < nl; i++) pqb_free(&bufs[i]);
}

/* ------------------------------------------------------------- pgwire seeds */

static void be32(pqb_buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	pqb_put(b, x, 4);
}

static void be16(pqb_buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	pqb_put(b, x, 2);
}

static void cstr(pqb_buf *b, const char *s) { pqb_put(b, s, strlen(s) + 1); }

/* A message: type, then its body with the length word patched in. */
static size_t msg_begin(pqb_buf *b, char type)
{
	pqb_u8(b, (uint8_t)type);
	size_t at = b->len;
	be32(b, 0);
	return at;
}

static void msg_end(pqb_buf *b, size_t at)
{
	uint32_t n = (uint32_t)(b->len - at);
	b->p[at] = (uint8_t)(n >> 24), b->p[at + 1] = (uint8_t)(n >> 16), b->p[at + 2] = (uint8_t)(n >> 8),
	b->p[at + 3] = (uint8_t)n;
}

static void startup(pqb_buf *b, const char *const *kv, int n)
{
	size_t at = b->len;
	be32(b, 0);
	be32(b, 196608);
	for (int i = 0; i < n; i++) cstr(b, kv[i]);
	pqb_u8(b, 0);
	uint32_t len = (uint32_t)(b->len - at);
	b->p[at] = (uint8_t)(len >> 24), b->p[at + 1] = (uint8_t)(len >> 16), b->p[at + 2] = (uint8_t)(len >> 8),
	b->p[at + 3] = (uint8_t)len;
}

static void pgwire_seeds(void)
{
	static const char *const kv[] = {"user", "alice", "database", "tpch", "application_name", "psql",
	                                 "client_encoding", "UTF8", "options", "-c search_path=tiny"};
	pqb_buf b = {0};
	/* startup + simple query + terminate */
	startup(&b, kv, 10);
	size_t m = msg_begin(&b, 'Q');
	cstr(&b, "SELECT 1; SHOW TABLES");
	msg_end(&b, m);
	m = msg_begin(&b, 'X');
	msg_end(&b, m);
	write_file("fuzz_pgwire_startup", "simple", b.p, b.len);
	b.len = 0;
	/* startup + extended protocol */
	startup(&b, kv, 4);
	m = msg_begin(&b, 'P');
	cstr(&b, "s1");
	cstr(&b, "SELECT $1::int + $2");
	be16(&b, 2);
	be32(&b, 23);
	be32(&b, 0);
	msg_end(&b, m);
	m = msg_begin(&b, 'B');
	cstr(&b, "p1");
	cstr(&b, "s1");
	be16(&b, 1);
	be16(&b, 1);
	be16(&b, 2);
	be32(&b, 4);
	be32(&b, 42);
	be32(&b, 0xffffffffu); /* NULL */
	be16(&b, 1);
	be16(&b, 0);
	msg_end(&b, m);
	m = msg_begin(&b, 'D');
	pqb_u8(&b, 'P');
	cstr(&b, "p1");
	msg_end(&b, m);
	m = msg_begin(&b, 'E');
	cstr(&b, "p1");
	be32(&b, 100);
	msg_end(&b, m);
	m = msg_begin(&b, 'C');
	pqb_u8(&b, 'S');
	cstr(&b, "s1");
	msg_end(&b, m);
	m = msg_begin(&b, 'S');
	msg_end(&b, m);
	m = msg_begin(&b, 'p');
	cstr(&b, "secret");
	msg_end(&b, m);
	m = msg_begin(&b, 'd');
	pqb_put(&b, "a\tb\n", 4);
	msg_end(&b, m);
	m = msg_begin(&b, 'f');
	cstr(&b, "copy failed");
	msg_end(&b, m);
	write_file("fuzz_pgwire_startup", "extended", b.p, b.len);
	b.len = 0;
	/* SSL, GSSENC and cancel requests */
	be32(&b, 8);
	be32(&b, 80877103);
	write_file("fuzz_pgwire_startup", "ssl", b.p, b.len);
	b.len = 0;
	be32(&b, 8);
	be32(&b, 80877104);
	write_file("fuzz_pgwire_startup", "gssenc", b.p, b.len);
	b.len = 0;
	be32(&b, 16);
	be32(&b, 80877102);
	be32(&b, 1234);
	be32(&b, 0xdeadbeef);
	write_file("fuzz_pgwire_startup", "cancel", b.p, b.len);
	b.len = 0;
	/* protocol 2.0 and a packet without user */
	be32(&b, 8);
	be32(&b, 131072);
	write_file("fuzz_pgwire_startup", "v2", b.p, b.len);
	b.len = 0;
	startup(&b, kv + 2, 2);
	write_file("fuzz_pgwire_startup", "nouser", b.p, b.len);
	pqb_free(&b);
}

/* ------------------------------------------------------------- SQL seeds */

static void sql_seeds(void)
{
	static const char *const sql[] = {
	    "SELECT 1",
	    "select orderkey, custkey from tiny.orders where orderkey > 10 order by 2 desc limit 5",
	    "SELECT count(*), sum(orderkey) FROM orders GROUP BY custkey HAVING count(*) > 1",
	    "SELECT o.orderkey FROM fk.tiny.orders o JOIN orders p ON o.orderkey = p.custkey",
	    "SELECT * FROM orders WHERE comment LIKE 'a%' AND custkey IN (1, 2, 3) OR custkey IS NULL",
	    "WITH x AS (SELECT orderkey FROM orders) SELECT * FROM x UNION ALL SELECT 1",
	    "SELECT CASE WHEN orderkey > 1 THEN 'a' ELSE NULL END, coalesce(custkey, 0) FROM orders",
	    "SELECT $1::int + $2, E'a\\'b', $$dollar$$, $tag$x;y$tag$, U&'\\0041', B'101', X'1f'",
	    "SELECT 1; SELECT 2;; /* comment ; */ SELECT '3;' -- tail ;\n; SELECT \"a;b\" FROM orders",
	    "SHOW CATALOGS",
	    "SHOW SCHEMAS FROM fk LIKE 't%'",
	    "SHOW TABLES FROM fk.tiny",
	    "SHOW COLUMNS FROM tiny.orders",
	    "DESCRIBE orders",
	    "DESCRIBE INPUT s1",
	    "SET search_path = tiny, public",
	    "SET SESSION fk.some_property = 'x'",
	    "RESET ALL",
	    "SHOW ALL",
	    "BEGIN; COMMIT; ROLLBACK",
	    "EXPLAIN ANALYZE SELECT * FROM orders",
	    "DECLARE c CURSOR WITH HOLD FOR SELECT * FROM orders; FETCH 10 FROM c; CLOSE c",
	    "DISCARD ALL",
	    ("SELECT orderkey::text || 'x', cast(custkey AS numeric(10,2)), date '2024-01-01' + 1, "
	     "interval '1 day', now() FROM orders"),
	    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y) WHERE x = ANY (ARRAY[1,2])",
	    "SELECT row_number() OVER (PARTITION BY custkey ORDER BY orderkey) FROM orders",
	    "SELECT EXISTS (SELECT 1 FROM orders WHERE orderkey = o.custkey) FROM orders o",
	    "/* unterminated comment",
	    "SELECT 'unterminated",
	};
	char name[32];
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		snprintf(name, sizeof(name), "q%02zu.sql", i);
		write_file("fuzz_sql", name, sql[i], strlen(sql[i]));
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	parquet_seeds();
	pgwire_seeds();
	sql_seeds();
	printf("gen_seeds: %d seed files in %s\n", nfiles, outdir);
	return 0;
}
