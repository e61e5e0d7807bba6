/*
 * input.c — parquet_input implementations that need no storage layer: a
 * local file read with pread(2) and an in-memory buffer (tests, caches).
 * storage/ adapts S3 and its own file system to the same two callbacks.
 */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/parquet/parquet.h"

typedef struct local_file {
	int fd;
	char *path;
} local_file;

static ferr *local_read_at(void *ctx, uint64_t offset, size_t len, void *buf)
{
	local_file *lf = ctx;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(lf->fd, (char *)buf + done, len - done, (off_t)(offset + done));
		if (n < 0) {
			if (errno == EINTR) continue;
			return ferr_new(SQLSTATE_IO_ERROR, "could not read file \"%s\": %s", lf->path, strerror(errno));
		}
		if (n == 0)
			return ferr_new(SQLSTATE_IO_ERROR, "could not read file \"%s\": unexpected end of file at %llu",
			                lf->path, (unsigned long long)(offset + done));
		done += (size_t)n;
	}
	return NULL;
}

static void local_close(void *ctx)
{
	local_file *lf = ctx;
	close(lf->fd);
	free(lf->path);
	free(lf);
}

ferr *parquet_input_open_local(const char *path, parquet_input *out)
{
	memset(out, 0, sizeof(*out));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ferr_new(errno == ENOENT ? SQLSTATE_UNDEFINED_FILE : SQLSTATE_IO_ERROR,
		                "could not open file \"%s\": %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ferr_new(SQLSTATE_IO_ERROR, "could not open file \"%s\": not a regular file", path);
	}
	local_file *lf = xmalloc(sizeof(*lf));
	lf->fd = fd;
	lf->path = xstrdup(path);
	out->name = lf->path;
	out->size = (uint64_t)st.st_size;
	out->ctx = lf;
	out->read_at = local_read_at;
	out->close = local_close;
	return NULL;
}

typedef struct mem_input {
	const uint8_t *data;
	size_t len;
} mem_input;

static ferr *mem_read_at(void *ctx, uint64_t offset, size_t len, void *buf)
{
	const mem_input *m = ctx;
	if (offset > m->len || len > m->len - offset)
		return ferr_new(SQLSTATE_IO_ERROR, "read of %zu bytes at %llu beyond the end of a %zu-byte buffer", len,
		                (unsigned long long)offset, m->len);
	memcpy(buf, m->data + offset, len);
	return NULL;
}

static void mem_close(void *ctx) { free(ctx); }

void parquet_input_from_memory(const void *data, size_t len, const char *name, parquet_input *out)
{
	mem_input *m = xmalloc(sizeof(*m));
	m->data = data;
	m->len = len;
	memset(out, 0, sizeof(*out));
	out->name = name;
	out->size = len;
	out->ctx = m;
	out->read_at = mem_read_at;
	out->close = mem_close;
}

void parquet_input_close(parquet_input *in)
{
	if (in->close && in->ctx) in->close(in->ctx);
	in->ctx = NULL;
	in->close = NULL;
}
