/*
 * fuzz_parquet_footer.c — libFuzzer target for the Thrift compact footer
 * decoder: the input is a whole Parquet file, opened from memory with
 * parquet_open (footer, schema tree, type mapping, statistics) and, when
 * that succeeds, read to the end. Seeds are generated files; the
 * parquet-testing data directory makes a good extra corpus.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_parquet_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_parquet(data, size, NULL);
	return 0;
}
