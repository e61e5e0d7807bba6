/*
 * arena.h — region allocator, Ferry's memory contexts.
 *
 * Everything allocated from an arena lives until the arena is reset or
 * destroyed; nothing is freed piece by piece. Arenas form a tree: destroying
 * a parent destroys its children. An arena is used by one thread at a time.
 * Allocation failure is reported by arena_alloc returning NULL only when the
 * arena's limit is exceeded; plain out-of-memory from the OS aborts (the
 * process cannot continue meaningfully).
 */
#ifndef FERRY_ARENA_H
#define FERRY_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct arena arena;

/* Memory accounting shared by all arenas of one query (thread-safe). */
typedef struct mem_tracker mem_tracker;

arena *arena_create(arena *parent, const char *name);
void arena_destroy(arena *a);
/* Frees all memory of this arena (children are destroyed), keeps one block. */
void arena_reset(arena *a);

void *arena_alloc(arena *a, size_t size);  /* 16-byte aligned */
void *arena_zalloc(arena *a, size_t size); /* zero-filled */
void *arena_realloc(arena *a, void *old, size_t oldsize, size_t newsize);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vsprintf(arena *a, const char *fmt, va_list ap);

/* Bytes obtained from the OS by this arena (not its children). */
size_t arena_bytes(const arena *a);
/* Peak of arena_bytes over the life of the arena, children included. */
size_t arena_total_bytes(const arena *a);
const char *arena_name(const arena *a);

/*
 * Attach a tracker: every block this arena (and children created after the
 * call) obtains is reported to it. When the tracker's limit is exceeded the
 * tracker's exceeded flag is set; operators check it between batches.
 */
void arena_set_tracker(arena *a, mem_tracker *t);

mem_tracker *mem_tracker_create(const char *name, int64_t limit_bytes);
/*
 * A tracker without a limit of its own that passes every change on to
 * parent as well (one per operator, so a query can tell who holds what).
 * The parent must outlive it.
 */
mem_tracker *mem_tracker_create_child(mem_tracker *parent, const char *name);
const char *mem_tracker_name(const mem_tracker *t);
void mem_tracker_destroy(mem_tracker *t);
void mem_tracker_add(mem_tracker *t, int64_t delta);
int64_t mem_tracker_current(const mem_tracker *t);
int64_t mem_tracker_peak(const mem_tracker *t);
int64_t mem_tracker_limit(const mem_tracker *t);
int mem_tracker_exceeded(const mem_tracker *t);

/* Checked malloc family for long-lived structures outside arenas. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
