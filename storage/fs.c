/*
 * fs.c — storage/fs.h: parses locations and sends each call to the S3
 * client or to the local file system. Holds no mutable state after
 * fs_create, which is what makes an fs shareable between threads.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/arena.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "storage/fs.h"
#include "storage/local/local.h"
#include "storage/s3/s3.h"

struct fs {
	s3_client *s3; /* NULL unless fs.native-s3.enabled */
	int64_t part_size;
};

/* A parsed location: either a local path or bucket + key. */
typedef struct loc {
	fs_scheme scheme;
	char *path;       /* local */
	char *loc_prefix; /* local: what to put before a path to rebuild the location ("",
	                     "file://") */
	char *bucket;     /* s3 */
	char *key;        /* s3, may be "" */
	char *scheme_str; /* s3: "s3", "s3a" or "s3n", as written */
} loc;

struct fs_file {
	fs *fs;
	char *location;
	uint64_t size;
	loc l;
	struct localfs_file *local;
};

struct fs_writer {
	fs *fs;
	char *location;
	loc l;
	struct localfs_writer *local;
	/* S3: the part being filled, the upload once one is needed, and its parts. */
	strbuf part;
	char *upload_id;
	s3_part *parts;
	int nparts, cap;
	bool failed;
	bool prepared;
	char *staging_key; /* S3, a small prepared file: where its bytes wait for commit */
};

static void loc_free(loc *l)
{
	free(l->path);
	free(l->loc_prefix);
	free(l->bucket);
	free(l->key);
	free(l->scheme_str);
	memset(l, 0, sizeof(*l));
}

static const char *s3_scheme_of(const char *location, size_t *skip)
{
	static const char *const schemes[] = {"s3", "s3a", "s3n"};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(schemes[i]);
		if (strncmp(location, schemes[i], n) == 0 && strncmp(location + n, "://", 3) == 0) {
			*skip = n + 3;
			return schemes[i];
		}
	}
	return NULL;
}

fs_scheme fs_location_scheme(const char *location)
{
	size_t skip;
	if (!location) return FS_SCHEME_UNKNOWN;
	if (s3_scheme_of(location, &skip)) return FS_SCHEME_S3;
	if (location[0] == '/' || strncmp(location, "file:/", 6) == 0) return FS_SCHEME_LOCAL;
	return FS_SCHEME_UNKNOWN;
}

static ferr *parse_location(const fs *f, const char *location, bool need_key, loc *out)
{
	memset(out, 0, sizeof(*out));
	if (!location || !*location)
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "empty file location");
	size_t skip;
	const char *scheme = s3_scheme_of(location, &skip);
	if (scheme) {
		if (!f->s3)
			return ferr_hint(
			    ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			             "cannot access %s: the S3 file system is not enabled",
			             location),
			    "Set fs.native-s3.enabled=true (and the s3.* properties) in the "
			    "catalog's properties.");
		const char *b = location + skip;
		const char *slash = strchr(b, '/');
		size_t blen = slash ? (size_t)(slash - b) : strlen(b);
		if (blen == 0)
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			                "invalid S3 location \"%s\": no bucket", location);
		const char *key = slash ? slash + 1 : "";
		if (need_key && !*key)
			return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
			                "invalid S3 location \"%s\": no object key", location);
		if (strlen(key) > 1024)
			return ferr_new(
			    SQLSTATE_INVALID_PARAMETER_VALUE,
			    "invalid S3 location \"%.64s...\": key longer than 1024 bytes",
			    location);
		out->scheme = FS_SCHEME_S3;
		out->scheme_str = xstrdup(scheme);
		out->bucket = xmalloc(blen + 1);
		memcpy(out->bucket, b, blen);
		out->bucket[blen] = '\0';
		out->key = xstrdup(key);
		return NULL;
	}
	const char *path = location;
	const char *prefix = "";
	if (strncmp(location, "file://", 7) == 0) {
		/* file:///p, or file://localhost/p */
		path = location + 7;
		prefix = "file://";
		if (strncmp(path, "localhost/", 10) == 0) {
			path += 9;
			prefix = "file://localhost";
		}
	} else if (strncmp(location, "file:/", 6) == 0) {
		path = location + 5; /* Hadoop's file:/p */
		prefix = "file:";
	}
	if (path[0] != '/') {
		if (strstr(location, "://") || strncmp(location, "file:", 5) == 0)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED,
			                "no file system for location \"%s\"", location);
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "file location \"%s\" is not an absolute path", location);
	}
	out->scheme = FS_SCHEME_LOCAL;
	out->path = xstrdup(path);
	out->loc_prefix = xstrdup(prefix);
	return NULL;
}

ferr *fs_create(const props *config, fs **out)
{
	*out = NULL;
	fs *f = xcalloc(1, sizeof(*f));
	f->part_size = 16 * 1024 * 1024;
	bool s3_on = false;
	ferr *e = config ? props_get_bool(config, "fs.native-s3.enabled", false, &s3_on) : NULL;
	if (!e && s3_on) {
		s3_config cfg;
		e = s3_config_from_props(config, &cfg);
		if (!e) {
			f->part_size = cfg.part_size;
			e = s3_client_create(&cfg, &f->s3);
			s3_config_free(&cfg);
		}
	}
	if (e) {
		fs_destroy(f);
		return e;
	}
	*out = f;
	return NULL;
}

void fs_destroy(fs *f)
{
	if (!f) return;
	s3_client_destroy(f->s3);
	free(f);
}

ferr *fs_stat(fs *f, const char *location, fs_file_info *out)
{
	loc l;
	TRY(parse_location(f, location, true, &l));
	ferr *e;
	if (l.scheme == FS_SCHEME_S3) {
		s3_object_info info;
		e = s3_head(f->s3, l.bucket, l.key, &info);
		if (!e) {
			out->size = info.size;
			out->mtime_ms = info.mtime_ms;
		}
	} else {
		e = localfs_stat(l.path, out);
	}
	loc_free(&l);
	return e;
}

static ferr *open_file(fs *f, const char *location, bool sized, uint64_t size, fs_file **out)
{
	*out = NULL;
	fs_file *file = xcalloc(1, sizeof(*file));
	file->fs = f;
	file->location = xstrdup(location);
	ferr *e = parse_location(f, location, true, &file->l);
	if (!e) {
		if (file->l.scheme == FS_SCHEME_S3) {
			if (sized) {
				file->size = size;
			} else {
				s3_object_info info;
				e = s3_head(f->s3, file->l.bucket, file->l.key, &info);
				file->size = info.size;
			}
		} else {
			e = localfs_open(file->l.path, &file->local, &file->size);
			if (!e && sized)
				file->size =
				    size; /* trust the caller, as for S3: reads beyond fail */
		}
	}
	if (e) {
		fs_close(file);
		return e;
	}
	*out = file;
	return NULL;
}

ferr *fs_open(fs *f, const char *location, fs_file **out)
{
	return open_file(f, location, false, 0, out);
}

ferr *fs_open_sized(fs *f, const char *location, uint64_t size, fs_file **out)
{
	return open_file(f, location, true, size, out);
}

ferr *fs_open_tail(fs *f, const char *location, size_t len, void *buf, size_t *got, fs_file **out)
{
	*got = 0;
	*out = NULL;
	loc l;
	TRY(parse_location(f, location, true, &l));
	bool s3 = l.scheme == FS_SCHEME_S3;
	uint64_t size = 0;
	ferr *e = s3 ? s3_get_tail(f->s3, l.bucket, l.key, len, buf, got, &size) : NULL;
	loc_free(&l);
	if (e) return e;
	if (s3) return open_file(f, location, true, size, out);
	fs_file *file;
	TRY(open_file(f, location, false, 0, &file));
	size_t n = file->size < len ? (size_t)file->size : len;
	e = fs_read_at(file, file->size - n, n, buf);
	if (e) {
		fs_close(file);
		return e;
	}
	*got = n;
	*out = file;
	return NULL;
}

uint64_t fs_file_size(const fs_file *file)
{
	return file->size;
}
const char *fs_file_location(const fs_file *file)
{
	return file->location;
}

void fs_close(fs_file *file)
{
	if (!file) return;
	localfs_close(file->local);
	loc_free(&file->l);
	free(file->location);
	free(file);
}

ferr *fs_read_at(fs_file *file, uint64_t offset, size_t len, void *buf)
{
	if (len == 0) return NULL;
	if (file->l.scheme == FS_SCHEME_S3)
		return s3_get_range(file->fs->s3, file->l.bucket, file->l.key, offset, len, buf);
	return localfs_read_at(file->local, offset, len, buf);
}

ferr *fs_read_ranges(fs_file *file, fs_range *ranges, int n)
{
	if (n <= 0) return NULL;
	if (file->l.scheme == FS_SCHEME_LOCAL) {
		for (int i = 0; i < n; i++)
			TRY(fs_read_at(file, ranges[i].offset, ranges[i].len, ranges[i].buf));
		return NULL;
	}
	s3_range *rs = xcalloc((size_t)n, sizeof(*rs));
	for (int i = 0; i < n; i++)
		rs[i] = (s3_range){ranges[i].offset, ranges[i].len, ranges[i].buf, NULL};
	ferr *e = s3_get_ranges(file->fs->s3, file->l.bucket, file->l.key, rs, n);
	for (int i = 0; i < n; i++)
		ferr_free(rs[i].err);
	free(rs);
	return e;
}

ferr *fs_read_at_cb(void *file, uint64_t offset, size_t len, void *buf)
{
	return fs_read_at(file, offset, len, buf);
}
void fs_close_cb(void *file)
{
	fs_close(file);
}

typedef struct s3_list_ctx {
	const loc *l;
	fs_list_cb cb;
	void *ctx;
	strbuf location;
} s3_list_ctx;

static ferr *s3_list_entry_cb(void *ctx, const s3_list_entry *e)
{
	s3_list_ctx *c = ctx;
	size_t n = strlen(e->key);
	if (n && e->key[n - 1] == '/') return NULL; /* a "directory" marker object, not a file */
	sb_reset(&c->location);
	sb_printf(&c->location, "%s://%s/%s", c->l->scheme_str, c->l->bucket, e->key);
	fs_entry fe = {c->location.data, e->size, e->mtime_ms};
	return c->cb(c->ctx, &fe);
}

ferr *fs_list(fs *f, const char *prefix, fs_list_cb cb, void *ctx)
{
	loc l;
	TRY(parse_location(f, prefix, false, &l));
	ferr *e;
	if (l.scheme == FS_SCHEME_S3) {
		s3_list_ctx c = {&l, cb, ctx, STRBUF_INIT};
		e = s3_list(f->s3, l.bucket, l.key, 0, s3_list_entry_cb, &c);
		sb_free(&c.location);
	} else {
		e = localfs_list(l.path, l.loc_prefix, cb, ctx);
	}
	loc_free(&l);
	return e;
}

ferr *fs_put(fs *f, const char *location, const void *data, size_t len)
{
	loc l;
	TRY(parse_location(f, location, true, &l));
	ferr *e = l.scheme == FS_SCHEME_S3 ? s3_put(f->s3, l.bucket, l.key, data, len)
	                                   : localfs_put(l.path, data, len);
	loc_free(&l);
	return e;
}

ferr *fs_delete(fs *f, const char *location)
{
	loc l;
	TRY(parse_location(f, location, true, &l));
	ferr *e =
	    l.scheme == FS_SCHEME_S3 ? s3_delete(f->s3, l.bucket, l.key) : localfs_delete(l.path);
	loc_free(&l);
	return e;
}

/* ---------------------------------------------------------------- writers */

ferr *fs_writer_open(fs *f, const char *location, fs_writer **out)
{
	*out = NULL;
	fs_writer *w = xcalloc(1, sizeof(*w));
	w->fs = f;
	w->location = xstrdup(location);
	ferr *e = parse_location(f, location, true, &w->l);
	if (!e && w->l.scheme == FS_SCHEME_LOCAL) e = localfs_writer_open(w->l.path, &w->local);
	if (e) {
		loc_free(&w->l);
		free(w->location);
		free(w);
		return e;
	}
	*out = w;
	return NULL;
}

/* Upload the filled part buffer as the next part (starting the upload if needed). */
static ferr *flush_part(fs_writer *w)
{
	s3_client *c = w->fs->s3;
	if (!w->upload_id) TRY(s3_multipart_create(c, w->l.bucket, w->l.key, &w->upload_id));
	if (w->nparts == 10000)
		return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED,
		                "%s: more than 10000 parts; raise s3.streaming.part-size",
		                w->location);
	char *etag;
	TRY(s3_multipart_upload_part(c, w->l.bucket, w->l.key, w->upload_id, w->nparts + 1,
	                             w->part.data, w->part.len, &etag));
	if (w->nparts == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->parts = xrealloc(w->parts, (size_t)w->cap * sizeof(*w->parts));
	}
	w->parts[w->nparts].number = w->nparts + 1;
	w->parts[w->nparts].etag = etag;
	w->nparts++;
	sb_reset(&w->part);
	return NULL;
}

ferr *fs_writer_write(fs_writer *w, const void *data, size_t len)
{
	if (w->failed)
		return ferr_new(SQLSTATE_IO_ERROR, "write to %s after an earlier failure",
		                w->location);
	if (w->prepared)
		return ferr_new(SQLSTATE_IO_ERROR, "write to %s after its last byte was stored",
		                w->location);
	if (w->local) {
		ferr *e = localfs_writer_write(w->local, data, len);
		if (e) w->failed = true;
		return e;
	}
	const char *p = data;
	size_t part = (size_t)w->fs->part_size;
	while (len > 0) {
		size_t room = part - w->part.len;
		size_t take = len < room ? len : room;
		sb_append(&w->part, p, take);
		p += take;
		len -= take;
		if (w->part.len == part) {
			ferr *e = flush_part(w);
			if (e) {
				w->failed = true;
				return e;
			}
		}
	}
	return NULL;
}

static void writer_free(fs_writer *w)
{
	for (int i = 0; i < w->nparts; i++)
		free(w->parts[i].etag);
	free(w->parts);
	free(w->upload_id);
	free(w->staging_key);
	sb_free(&w->part);
	loc_free(&w->l);
	free(w->location);
	free(w);
}

static _Atomic unsigned staging_counter;

/* ".NAME.ferry-staging-<pid>-<n>" beside the key: hidden from Hive-style readers. */
static char *staging_key_for(const char *key)
{
	strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(key, '/');
	const char *name = slash ? slash + 1 : key;
	sb_append(&sb, key, (size_t)(name - key));
	sb_printf(&sb, ".%s.ferry-staging-%ld-%u", name, (long)getpid(),
	          atomic_fetch_add(&staging_counter, 1));
	return sb_steal(&sb);
}

ferr *fs_writer_prepare(fs_writer *w)
{
	if (w->failed)
		return ferr_new(SQLSTATE_IO_ERROR, "cannot commit %s after a failed write",
		                w->location);
	if (w->prepared) return NULL;
	ferr *e = NULL;
	if (w->local) {
		e = localfs_writer_prepare(w->local);
	} else if (w->upload_id) {
		if (w->part.len > 0) e = flush_part(w);
	} else {
		s3_client *c = w->fs->s3;
		char *key = staging_key_for(w->l.key);
		e = s3_put(c, w->l.bucket, key, w->part.data ? w->part.data : "", w->part.len);
		if (e) ferr_free(s3_delete(c, w->l.bucket, key)); /* a retried PUT may have landed */
		if (e) free(key);
		else w->staging_key = key;
	}
	if (e) {
		w->failed = true;
		return e;
	}
	sb_free(&w->part);
	w->prepared = true;
	return NULL;
}

ferr *fs_writer_commit(fs_writer *w)
{
	ferr *e = fs_writer_prepare(w);
	if (e) {
		fs_writer_abort(w);
		return e;
	}
	if (w->local) {
		e = localfs_writer_commit(w->local);
		w->local = NULL;
		writer_free(w);
		return e;
	}
	s3_client *c = w->fs->s3;
	if (w->staging_key) {
		e = s3_copy_object(c, w->l.bucket, w->staging_key, w->l.key);
		/* published or not, the staging object goes; a failed delete leaves a hidden key */
		ferr *de = s3_delete(c, w->l.bucket, w->staging_key);
		if (de) {
			log_warn("%s: staging object %s not deleted: %s", w->location, w->staging_key,
			         de->message);
			ferr_free(de);
		}
	} else {
		e = s3_multipart_complete(c, w->l.bucket, w->l.key, w->upload_id, w->parts, w->nparts);
		if (e) ferr_free(s3_multipart_abort(c, w->l.bucket, w->l.key, w->upload_id));
	}
	writer_free(w);
	return e;
}

void fs_writer_abort(fs_writer *w)
{
	if (!w) return;
	if (w->local) {
		localfs_writer_abort(w->local);
		w->local = NULL;
	} else if (w->upload_id) {
		ferr_free(s3_multipart_abort(w->fs->s3, w->l.bucket, w->l.key, w->upload_id));
	} else if (w->staging_key) {
		ferr_free(s3_delete(w->fs->s3, w->l.bucket, w->staging_key));
	}
	writer_free(w);
}
