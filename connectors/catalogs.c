/*
 * catalogs.c — the node's catalogs: name → connector instance.
 *
 * Each entry is reference counted: catalogs_acquire takes a reference that
 * a query holds for its whole life, so dropping a catalog while queries use
 * it only unlinks it; the last release destroys it. The "system" catalog is
 * always present.
 */
#include "connectors/catalogs.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

typedef struct entry {
	conn_catalog *cat;
	char *name;
	char *connector;
	props *props;
	int refs; /* 1 for the registry's own reference while linked */
	struct entry *next;
} entry;

static entry *entries;
static entry *dropped; /* unlinked, still referenced by running queries */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static bool valid_name(const char *name)
{
	if (!name[0]) return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static void entry_unref(entry *e)
{
	/* lock held */
	if (--e->refs > 0) return;
	if (e->cat && e->cat->ops->destroy) e->cat->ops->destroy(e->cat);
	props_destroy(e->props);
	free(e->name);
	free(e->connector);
	free(e);
}

ferr *catalogs_add(const char *name, const props *p)
{
	if (!valid_name(name))
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "invalid catalog name \"%s\": use lower-case letters, digits, _ and -",
		                name);
	const char *cn = props_get(p, "connector.name");
	if (!cn)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "catalog \"%s\": property connector.name is missing", name);
	const conn_factory *f = conn_find_factory(cn);
	if (!f)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR,
		                "catalog \"%s\": no connector named \"%s\"", name, cn);
	pthread_mutex_lock(&lock);
	for (entry *e = entries; e; e = e->next)
		if (strcmp(e->name, name) == 0) {
			pthread_mutex_unlock(&lock);
			return ferr_new(SQLSTATE_DUPLICATE_OBJECT, "catalog \"%s\" already exists", name);
		}
	pthread_mutex_unlock(&lock);

	entry *e = xcalloc(1, sizeof(entry));
	e->name = xstrdup(name);
	e->connector = xstrdup(cn);
	e->props = props_copy(p);
	e->refs = 1;
	ferr *err = f->create(e->name, e->props, &e->cat);
	if (err) {
		props_destroy(e->props);
		free(e->name);
		free(e->connector);
		free(e);
		return ferr_prefix(err, "catalog \"%s\"", name);
	}
	pthread_mutex_lock(&lock);
	for (entry *o = entries; o; o = o->next)
		if (strcmp(o->name, name) == 0) {
			e->refs = 1;
			entry_unref(e);
			pthread_mutex_unlock(&lock);
			return ferr_new(SQLSTATE_DUPLICATE_OBJECT, "catalog \"%s\" already exists", name);
		}
	e->next = entries;
	entries = e;
	pthread_mutex_unlock(&lock);
	log_info("catalog %s loaded (connector %s)", name, cn);
	return NULL;
}

ferr *catalogs_drop(const char *name)
{
	if (strcmp(name, "system") == 0)
		return ferr_new(SQLSTATE_INSUFFICIENT_PRIVILEGE, "catalog \"system\" cannot be dropped");
	pthread_mutex_lock(&lock);
	for (entry **pp = &entries; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			entry *e = *pp;
			*pp = e->next;
			if (e->refs > 1) {
				e->next = dropped;
				dropped = e;
				e->refs--;
			} else {
				entry_unref(e);
			}
			pthread_mutex_unlock(&lock);
			log_info("catalog %s dropped", name);
			return NULL;
		}
	}
	pthread_mutex_unlock(&lock);
	return ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "catalog \"%s\" does not exist", name);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n > m && strcmp(s + n - m, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

ferr *catalogs_load_dir(const char *dir)
{
	if (!catalogs_connector("system", NULL)) {
		props *sp = props_create();
		props_set(sp, "connector.name", "system");
		ferr *e = catalogs_add("system", sp);
		props_destroy(sp);
		if (e) return e;
	}
	DIR *d = opendir(dir);
	if (!d) return NULL; /* no catalog directory: only system */
	char **names = NULL;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".properties")) continue;
		names = xrealloc(names, sizeof(char *) * (size_t)(n + 1));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmp_str);
	ferr *err = NULL;
	for (int i = 0; i < n && !err; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		char *cat = xstrdup(names[i]);
		cat[strlen(cat) - strlen(".properties")] = '\0';
		props *p = props_create();
		err = props_load_file(p, path);
		if (!err) err = catalogs_add(cat, p);
		props_destroy(p);
		free(cat);
	}
	for (int i = 0; i < n; i++) free(names[i]);
	free(names);
	return err;
}

conn_catalog *catalogs_acquire(const char *name)
{
	conn_catalog *c = NULL;
	pthread_mutex_lock(&lock);
	for (entry *e = entries; e; e = e->next)
		if (strcmp(e->name, name) == 0) {
			e->refs++;
			c = e->cat;
			break;
		}
	pthread_mutex_unlock(&lock);
	return c;
}

void catalogs_release(conn_catalog *c)
{
	if (!c) return;
	pthread_mutex_lock(&lock);
	for (entry *e = entries; e; e = e->next)
		if (e->cat == c) {
			entry_unref(e);
			pthread_mutex_unlock(&lock);
			return;
		}
	for (entry **pp = &dropped; *pp; pp = &(*pp)->next)
		if ((*pp)->cat == c) {
			entry *e = *pp;
			if (e->refs == 1) *pp = e->next;
			entry_unref(e);
			break;
		}
	pthread_mutex_unlock(&lock);
}

int catalogs_list(arena *a, const char ***names)
{
	pthread_mutex_lock(&lock);
	int n = 0;
	for (entry *e = entries; e; e = e->next) n++;
	const char **out = arena_alloc(a, sizeof(char *) * (size_t)(n ? n : 1));
	int i = 0;
	for (entry *e = entries; e; e = e->next) out[i++] = arena_strdup(a, e->name);
	pthread_mutex_unlock(&lock);
	qsort(out, (size_t)n, sizeof(char *), cmp_str);
	*names = out;
	return n;
}

const char *catalogs_connector(const char *name, arena *a)
{
	const char *r = NULL;
	pthread_mutex_lock(&lock);
	for (entry *e = entries; e; e = e->next)
		if (strcmp(e->name, name) == 0) r = a ? arena_strdup(a, e->connector) : "";
	pthread_mutex_unlock(&lock);
	return r;
}

void catalogs_shutdown(void)
{
	pthread_mutex_lock(&lock);
	while (entries) {
		entry *e = entries;
		entries = e->next;
		entry_unref(e);
	}
	pthread_mutex_unlock(&lock);
}
