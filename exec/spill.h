/*
 * spill.h — spilling operator state to disk: the batch frame format
 * (zstd-compressed, self-describing, the format exchanges serialize
 * batches in) and the spill files of one query, written and read back as
 * a sequence of frames under the spill path, counted against
 * query-max-spill-per-node and max-spill-per-node and all removed when
 * the query ends, whatever way it ends.
 */
#ifndef FERRY_SPILL_H
#define FERRY_SPILL_H

#include "exec/batch.h"

/* ---- frames ---- */

/*
 * Append one frame holding the live rows of b to out: a 12-byte header
 * (magic, raw length, compressed length) and the zstd-compressed column
 * data with each column's type. Constant vectors and selections are
 * written as the plain rows they stand for.
 */
ferr *exec_frame_encode(const batch *b, strbuf *out);
/*
 * Decode the frame at p (n bytes available) into a new batch in a (strings
 * point into the decompressed payload, which is in a too).
 * *used is the frame's size. XX001 when the bytes are not a whole, valid
 * frame.
 */
ferr *exec_frame_decode(const uint8_t *p, size_t n, arena *a, batch **out, size_t *used);
/* Bytes of the frame header, and the payload length it announces. */
#define EXEC_FRAME_HEADER 12
bool exec_frame_header(const uint8_t *p, uint32_t *payload_len);

/* ---- spill files of one query ---- */

typedef struct exec_spill exec_spill;
typedef struct spill_file spill_file;

typedef struct exec_spill_config {
	const char *path;         /* spiller-spill-path: a directory */
	int64_t query_max_bytes;  /* query-max-spill-per-node (0 = no limit) */
	int64_t node_max_bytes;   /* max-spill-per-node, over all queries (0 = no limit) */
} exec_spill_config;

/* The context is cheap: nothing touches the disk until a file is made. */
exec_spill *exec_spill_create(const exec_spill_config *cfg);
/* Closes and removes every file of the query and its directory. */
void exec_spill_destroy(exec_spill *s);
/* Compressed bytes the query has on disk now, and at most so far. */
int64_t exec_spill_bytes(const exec_spill *s);
int64_t exec_spill_peak_bytes(const exec_spill *s);
/* Compressed bytes on disk over every query of this process. */
int64_t exec_spill_node_bytes(void);

/* A new empty file for writing (58030 when the directory is unusable). */
ferr *spill_file_create(exec_spill *s, spill_file **out);
/* Append b's live rows as one frame; 53100 past a spill limit, 58030 on I/O. */
ferr *spill_file_write(spill_file *f, const batch *b);
/* Done writing: later reads start from the first frame. */
ferr *spill_file_rewind(spill_file *f);
/* The next frame as a batch in a, or *out = NULL after the last one. */
ferr *spill_file_read(spill_file *f, arena *a, batch **out);
int64_t spill_file_rows(const spill_file *f);
int64_t spill_file_bytes(const spill_file *f);
/* Close and remove the file now (the context would at its end anyway). */
void spill_file_close(spill_file *f);

#endif
