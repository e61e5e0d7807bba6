/*
 * local.h — the local-disk side of storage/fs.h: POSIX calls on absolute
 * paths (fs.c strips "file://"). Stateless apart from open descriptors,
 * so every function is thread-safe; pread makes reads positional.
 */
#ifndef FERRY_LOCALFS_H
#define FERRY_LOCALFS_H

#include "storage/fs.h"

typedef struct localfs_file localfs_file;
typedef struct localfs_writer localfs_writer;

ferr *localfs_stat(const char *path, fs_file_info *out);
ferr *localfs_open(const char *path, localfs_file **out, uint64_t *size);
ferr *localfs_read_at(localfs_file *f, uint64_t offset, size_t len, void *buf);
void localfs_close(localfs_file *f);

/* Regular files under the directory part of prefix whose path starts with
 * prefix, sorted by path; each entry's location is loc_prefix + path. */
ferr *localfs_list(const char *prefix, const char *loc_prefix, fs_list_cb cb, void *ctx);

ferr *localfs_put(const char *path, const void *data, size_t len);
ferr *localfs_delete(const char *path);

ferr *localfs_writer_open(const char *path, localfs_writer **out);
ferr *localfs_writer_write(localfs_writer *w, const void *data, size_t len);
/* fsync and close; still hidden under the temp name until commit */
ferr *localfs_writer_prepare(localfs_writer *w);
ferr *localfs_writer_commit(localfs_writer *w); /* frees w */
void localfs_writer_abort(localfs_writer *w);   /* frees w */

#endif
