/*
 * fuzz_parquet_pages.c — libFuzzer target for the page decoders: the input
 * is a small header (template, codec, counts; see pq_templates.h) and the
 * bytes of a column chunk. The target wraps them in a valid Parquet file of
 * that column shape and reads every row to the end, so mutations land in
 * page headers, levels, dictionaries, encodings and codecs rather than in
 * the footer. Must never accept a finding as "expected".
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_parquet_read.h"
#include "fuzz/pq_templates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < PQT_HEADER_LEN) return 0;
	pqt_header h;
	pqt_header_read(data, &h);
	data += PQT_HEADER_LEN;
	size -= PQT_HEADER_LEN;
	const pq_template *t = &pq_templates[h.tmpl % PQT_COUNT];
	pqb_elem schema[1 + PQT_MAX_ELEMS];
	int nschema = pqt_schema(t, schema);
	bool flat = t->nelems == 1 && t->el[0].repetition != PQB_REPEATED;
	int codec = pqt_codecs[(h.flags >> 1) & 7];
	pqb_chunk ch[2] = {{data, size, flat ? h.rows : h.values, codec, NULL, NULL, 0, 0, -1},
	                   {NULL, 0, h.values, codec, NULL, NULL, 0, 0, -1}};
	if (t->nleaves == 2) {
		size_t split = h.split < size ? h.split : size;
		ch[0].len = split;
		ch[1].data = data + split;
		ch[1].len = size - split;
	}
	pqb_buf file = {0};
	pqb_file(&file, schema, nschema, ch, (h.flags & 1) ? 2 : 1, h.rows, "ferry fuzz");
	parquet_options opt = {.verify_crc = (h.flags & 0x10) != 0, .binary_as_string = (h.flags & 0x20) != 0};
	fuzz_read_parquet(file.p, file.len, &opt);
	pqb_free(&file);
	return 0;
}
