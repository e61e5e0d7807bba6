/*
 * fs.h — one small file-system interface over S3 and the local disk, for
 * the Parquet reader and the Hive/Iceberg connectors.
 *
 * A location is "s3://bucket/key" (also s3a:// and s3n://), "/abs/path" or
 * "file:///abs/path". An fs is configured once from catalog properties
 * (Trino's names: fs.native-s3.enabled, s3.*) and is then safe to use from
 * any number of threads; so is an fs_file (reads are positional). An
 * fs_writer belongs to one thread. Errors name the location and carry
 * SQLSTATE 58P01 (not found), 28000 (access denied), 08001/08006
 * (connection failures) or 58030 (other I/O).
 */
#ifndef FERRY_FS_H
#define FERRY_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/props.h"

typedef struct fs fs;
typedef struct fs_file fs_file;
typedef struct fs_writer fs_writer;

/*
 * config may be NULL (local files only). S3 locations need
 * fs.native-s3.enabled=true, as in Trino; the S3 client is configured
 * from the s3.* properties then (see storage/README.md).
 */
ferr *fs_create(const props *config, fs **out);
/* No file or writer of this fs may be in use any more. */
void fs_destroy(fs *f);

typedef struct fs_file_info {
	uint64_t size;
	int64_t mtime_ms; /* ms since the Unix epoch; 0 if unknown */
} fs_file_info;

/* Size and modification time (S3: HEAD). */
ferr *fs_stat(fs *f, const char *location, fs_file_info *out);

/* Open for reading; learns the size (S3: HEAD; local: open + fstat). */
ferr *fs_open(fs *f, const char *location, fs_file **out);
/* Open when the size is already known (Iceberg manifests record it): no request. */
ferr *fs_open_sized(fs *f, const char *location, uint64_t size, fs_file **out);
/*
 * Open and read the last min(len, size) bytes in one request (S3:
 * "Range: bytes=-len", no HEAD), learning the size on the way: how a
 * Parquet footer is fetched. *got receives the byte count.
 */
ferr *fs_open_tail(fs *f, const char *location, size_t len, void *buf, size_t *got, fs_file **out);
uint64_t fs_file_size(const fs_file *file);
const char *fs_file_location(const fs_file *file);
void fs_close(fs_file *file);

/* Exactly len bytes at offset into buf (pread-like); a short file is an error. */
ferr *fs_read_at(fs_file *file, uint64_t offset, size_t len, void *buf);

typedef struct fs_range {
	uint64_t offset;
	size_t len;
	void *buf;
} fs_range;

/*
 * Several ranges at once: on S3 they are fetched concurrently (one request
 * per range over pooled connections), locally with pread. Returns the
 * first failing range's error; buffers of other ranges may be filled.
 */
ferr *fs_read_ranges(fs_file *file, fs_range *ranges, int n);

/* parquet_input-compatible callbacks: ctx is the fs_file. */
ferr *fs_read_at_cb(void *file, uint64_t offset, size_t len, void *buf);
void fs_close_cb(void *file);

/* A listed file; strings valid during the callback only. */
typedef struct fs_entry {
	const char *location; /* same scheme spelling as the prefix */
	uint64_t size;
	int64_t mtime_ms;
} fs_entry;

typedef ferr *(*fs_list_cb)(void *ctx, const fs_entry *e);

/*
 * Every file whose location starts with prefix, recursively (S3:
 * ListObjectsV2 pages, directory markers skipped; local: a directory walk,
 * sorted by location like S3). Pass a trailing "/" to list a directory. A
 * prefix that matches nothing lists nothing. cb's error stops the listing.
 */
ferr *fs_list(fs *f, const char *prefix, fs_list_cb cb, void *ctx);

/* Write a whole file at once (S3: one PUT; local: temp file + rename). */
ferr *fs_put(fs *f, const char *location, const void *data, size_t len);

/* Delete a file; deleting what does not exist succeeds (as S3 does). */
ferr *fs_delete(fs *f, const char *location);

/*
 * Streaming writer: nothing is visible at location until commit. On S3,
 * data beyond s3.streaming.part-size goes up as a multipart upload whose
 * parts are sent as they fill; smaller files are one PUT. Locally a temp
 * file is renamed into place. commit and abort both free the writer (a
 * failed commit aborts the upload).
 *
 * prepare (optional, before commit) is the slow half of a commit: every
 * byte is stored, still invisible, so that commit is one short step —
 * local: fsync and close the hidden temp file (commit: rename); S3 multipart:
 * upload the last part (commit: CompleteMultipartUpload); a small S3 file:
 * PUT under a hidden staging key ".NAME.ferry-staging-*" next to location
 * (commit: CopyObject to location, then DELETE of the staging key). After
 * a failed prepare the writer must still be aborted, which removes what
 * was staged.
 */
ferr *fs_writer_open(fs *f, const char *location, fs_writer **out);
ferr *fs_writer_write(fs_writer *w, const void *data, size_t len);
ferr *fs_writer_prepare(fs_writer *w);
ferr *fs_writer_commit(fs_writer *w);
void fs_writer_abort(fs_writer *w);

/* Scheme of a location: FS_SCHEME_S3, FS_SCHEME_LOCAL, or FS_SCHEME_UNKNOWN. */
typedef enum { FS_SCHEME_UNKNOWN, FS_SCHEME_LOCAL, FS_SCHEME_S3 } fs_scheme;
fs_scheme fs_location_scheme(const char *location);

#endif
