/*
 * local.c — local files behind storage/fs.h: pread for reads, a sorted
 * recursive walk for listings, temp file + rename for writes so a reader
 * never sees half a file. Every error names the path; ENOENT is 58P01.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/strbuf.h"
#include "storage/local/local.h"

#define LOCALFS_MAX_DEPTH 64

struct localfs_file {
	int fd;
	char *path;
};

struct localfs_writer {
	int fd;
	char *path;
	char *tmp;
};

static ferr *errno_error(int err, const char *what, const char *path)
{
	const char *state = err == ENOENT || err == ENOTDIR  ? SQLSTATE_UNDEFINED_FILE
	                    : err == EACCES || err == EPERM  ? SQLSTATE_INSUFFICIENT_PRIVILEGE
	                    : err == ENOSPC || err == EDQUOT ? SQLSTATE_DISK_FULL
	                                                     : SQLSTATE_IO_ERROR;
	if (err == ENOENT) return ferr_new(state, "file \"%s\" does not exist", path);
	return ferr_new(state, "could not %s file \"%s\": %s", what, path, strerror(err));
}

static int64_t mtime_ms(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000 + st->st_mtim.tv_nsec / 1000000;
}

ferr *localfs_stat(const char *path, fs_file_info *out)
{
	struct stat st;
	if (stat(path, &st) != 0) return errno_error(errno, "stat", path);
	if (!S_ISREG(st.st_mode))
		return ferr_new(SQLSTATE_IO_ERROR, "\"%s\" is not a regular file", path);
	out->size = (uint64_t)st.st_size;
	out->mtime_ms = mtime_ms(&st);
	return NULL;
}

ferr *localfs_open(const char *path, localfs_file **out, uint64_t *size)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return errno_error(errno, "open", path);
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ferr_new(SQLSTATE_IO_ERROR, "\"%s\" is not a regular file", path);
	}
	localfs_file *f = xmalloc(sizeof(*f));
	f->fd = fd;
	f->path = xstrdup(path);
	*size = (uint64_t)st.st_size;
	*out = f;
	return NULL;
}

ferr *localfs_read_at(localfs_file *f, uint64_t offset, size_t len, void *buf)
{
	size_t done = 0;
	if (offset > (uint64_t)INT64_MAX - len)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "invalid range at %" PRIu64 " of \"%s\"", offset, f->path);
	while (done < len) {
		ssize_t n = pread(f->fd, (char *)buf + done, len - done, (off_t)(offset + done));
		if (n < 0) {
			if (errno == EINTR) continue;
			return errno_error(errno, "read", f->path);
		}
		if (n == 0) {
			struct stat st;
			uint64_t size =
			    fstat(f->fd, &st) == 0 ? (uint64_t)st.st_size : offset + done;
			return ferr_new(SQLSTATE_IO_ERROR,
			                "cannot read %zu bytes at offset %" PRIu64
			                " of \"%s\": the file is %" PRIu64 " bytes",
			                len, offset, f->path, size);
		}
		done += (size_t)n;
	}
	return NULL;
}

void localfs_close(localfs_file *f)
{
	if (!f) return;
	close(f->fd);
	free(f->path);
	free(f);
}

/* ---------------------------------------------------------------- listing */

typedef struct walk_entry {
	char *path;
	uint64_t size;
	int64_t mtime_ms;
} walk_entry;

typedef struct walk {
	const char *prefix;
	size_t prefix_len;
	walk_entry *v;
	size_t n, cap;
} walk;

/* Can anything under directory d (given with a trailing '/') match the prefix? */
static bool dir_may_match(const walk *w, const char *d, size_t dlen)
{
	size_t k = dlen < w->prefix_len ? dlen : w->prefix_len;
	return strncmp(d, w->prefix, k) == 0;
}

static ferr *walk_dir(walk *w, strbuf *dir, int depth)
{
	if (depth > LOCALFS_MAX_DEPTH)
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                "directory \"%s\" is nested more than %d levels deep", dir->data,
		                LOCALFS_MAX_DEPTH);
	DIR *d = opendir(dir->data);
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return NULL; /* nothing there: nothing listed */
		return errno_error(errno, "list directory", dir->data);
	}
	size_t base = dir->len;
	ferr *err = NULL;
	struct dirent *de;
	while (!err && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
		dir->len = base;
		dir->data[base] = '\0';
		sb_puts(dir, de->d_name);
		struct stat st;
		if (lstat(dir->data, &st) != 0) continue; /* vanished meanwhile */
		if (S_ISDIR(st.st_mode)) {
			sb_putc(dir, '/');
			if (dir_may_match(w, dir->data, dir->len))
				err = walk_dir(w, dir, depth + 1);
			continue;
		}
		/* Symbolic links to files count as files; links to directories are not followed. */
		if (S_ISLNK(st.st_mode) && (stat(dir->data, &st) != 0 || !S_ISREG(st.st_mode)))
			continue;
		if (!S_ISREG(st.st_mode)) continue;
		if (strncmp(dir->data, w->prefix, w->prefix_len) != 0) continue;
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
		}
		w->v[w->n++] =
		    (walk_entry){xstrdup(dir->data), (uint64_t)st.st_size, mtime_ms(&st)};
	}
	closedir(d);
	dir->len = base;
	dir->data[base] = '\0';
	return err;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const walk_entry *)a)->path, ((const walk_entry *)b)->path);
}

ferr *localfs_list(const char *prefix, const char *loc_prefix, fs_list_cb cb, void *ctx)
{
	if (prefix[0] != '/')
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "local path \"%s\" is not absolute", prefix);
	walk w = {.prefix = prefix, .prefix_len = strlen(prefix)};
	strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(prefix, '/');
	sb_append(&dir, prefix, (size_t)(slash - prefix) + 1);
	ferr *err = walk_dir(&w, &dir, 0);
	sb_free(&dir);
	if (!err && w.n > 1) qsort(w.v, w.n, sizeof(*w.v), cmp_entry);
	strbuf loc = STRBUF_INIT;
	for (size_t i = 0; i < w.n; i++) {
		if (!err) {
			sb_reset(&loc);
			sb_puts(&loc, loc_prefix);
			sb_puts(&loc, w.v[i].path);
			fs_entry e = {loc.data, w.v[i].size, w.v[i].mtime_ms};
			err = cb(ctx, &e);
		}
		free(w.v[i].path);
	}
	sb_free(&loc);
	free(w.v);
	return err;
}

/* ---------------------------------------------------------------- writing */

/* mkdir -p of path's parent directory. */
static ferr *make_parents(const char *path)
{
	char *p = xstrdup(path);
	ferr *err = NULL;
	for (char *s = strchr(p + 1, '/'); s && !err; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			err = errno_error(errno, "create directory for", path);
		else {
			struct stat st;
			if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
				err = ferr_new(SQLSTATE_IO_ERROR,
				               "cannot create \"%s\": \"%s\" is not a directory",
				               path, p);
		}
		*s = '/';
	}
	free(p);
	return err;
}

static atomic_uint tmp_counter;

static ferr *create_temp(const char *path, int *fd, char **tmp)
{
	if (path[0] != '/' || path[strlen(path) - 1] == '/')
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid local file path \"%s\"",
		                path);
	TRY(make_parents(path));
	strbuf t = STRBUF_INIT;
	/* Same directory, so rename is atomic; hidden so listings of readers skip it by name. */
	const char *slash = strrchr(path, '/');
	sb_append(&t, path, (size_t)(slash - path) + 1);
	sb_printf(&t, ".%s.ferry-tmp-%ld-%u", slash + 1, (long)getpid(),
	          atomic_fetch_add(&tmp_counter, 1));
	int f = open(t.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (f < 0) {
		ferr *e = errno_error(errno, "create", path);
		sb_free(&t);
		return e;
	}
	*fd = f;
	*tmp = sb_steal(&t);
	return NULL;
}

static ferr *write_all(int fd, const void *data, size_t len, const char *path)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);
		if (n < 0) {
			if (errno == EINTR) continue;
			return errno_error(errno, "write", path);
		}
		done += (size_t)n;
	}
	return NULL;
}

/* fsync, close and rename into place; the temp file is removed on failure. */
static ferr *finish(int fd, const char *tmp, const char *path)
{
	ferr *e = NULL;
	if (fsync(fd) != 0) e = errno_error(errno, "sync", path);
	if (close(fd) != 0 && !e) e = errno_error(errno, "close", path);
	if (!e && rename(tmp, path) != 0) e = errno_error(errno, "rename into", path);
	if (e) unlink(tmp);
	return e;
}

ferr *localfs_put(const char *path, const void *data, size_t len)
{
	int fd;
	char *tmp;
	TRY(create_temp(path, &fd, &tmp));
	ferr *e = write_all(fd, data, len, path);
	if (e) {
		close(fd);
		unlink(tmp);
	} else {
		e = finish(fd, tmp, path);
	}
	free(tmp);
	return e;
}

ferr *localfs_delete(const char *path)
{
	if (unlink(path) == 0 || errno == ENOENT) return NULL;
	return errno_error(errno, "delete", path);
}

ferr *localfs_writer_open(const char *path, localfs_writer **out)
{
	*out = NULL;
	int fd;
	char *tmp;
	TRY(create_temp(path, &fd, &tmp));
	localfs_writer *w = xmalloc(sizeof(*w));
	w->fd = fd;
	w->tmp = tmp;
	w->path = xstrdup(path);
	*out = w;
	return NULL;
}

ferr *localfs_writer_write(localfs_writer *w, const void *data, size_t len)
{
	return write_all(w->fd, data, len, w->path);
}

static void writer_free(localfs_writer *w)
{
	free(w->tmp);
	free(w->path);
	free(w);
}

ferr *localfs_writer_commit(localfs_writer *w)
{
	ferr *e = w->fd < 0 ? NULL : localfs_writer_prepare(w);
	if (!e && rename(w->tmp, w->path) != 0) {
		e = errno_error(errno, "rename into", w->path);
		unlink(w->tmp);
	}
	writer_free(w);
	return e;
}

/*
 * The data reach the disk (fsync) and the descriptor is closed; the file
 * stays under its hidden temp name until commit renames it. The temp file
 * is removed on failure (the writer must still be aborted or committed).
 */
ferr *localfs_writer_prepare(localfs_writer *w)
{
	if (w->fd < 0) return NULL;
	ferr *e = NULL;
	if (fsync(w->fd) != 0) e = errno_error(errno, "sync", w->path);
	if (close(w->fd) != 0 && !e) e = errno_error(errno, "close", w->path);
	w->fd = -1;
	if (e) unlink(w->tmp);
	return e;
}

void localfs_writer_abort(localfs_writer *w)
{
	if (!w) return;
	if (w->fd >= 0) close(w->fd);
	unlink(w->tmp);
	writer_free(w);
}
