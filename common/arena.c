/*
 * arena.c — region allocator (see arena.h).
 *
 * Blocks are malloc'd and chained; allocation bumps a pointer in the
 * current block. Large requests get a block of their own so that small
 * allocations do not waste the tail. Never frees individual allocations.
 */
#include "common/arena.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_MIN_BLOCK (8 * 1024)
#define ARENA_MAX_BLOCK (1024 * 1024)

typedef struct block {
	struct block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
} block;

struct mem_tracker {
	const char *name;
	int64_t limit;
	mem_tracker *parent; /* also told of every change (a query's operator trackers) */
	atomic_llong current;
	atomic_llong peak;
};

struct arena {
	const char *name;
	arena *parent;
	arena *first_child;
	arena *next_sibling;
	block *blocks;     /* current block first */
	size_t next_block; /* size of the next block to request */
	size_t bytes;      /* obtained from malloc, this arena only */
	size_t peak;
	mem_tracker *tracker;
};

#define HDR_SIZE ((sizeof(block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

static void oom(size_t n)
{
	/* Running out of process memory is not recoverable; limits are enforced
	 * earlier by mem_tracker. */
	fprintf(stderr, "ferry: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);
	memcpy(p, s, n);
	return p;
}

arena *arena_create(arena *parent, const char *name)
{
	arena *a = xcalloc(1, sizeof(arena));
	a->name = name ? name : "arena";
	a->parent = parent;
	a->next_block = ARENA_MIN_BLOCK;
	if (parent) {
		a->next_sibling = parent->first_child;
		parent->first_child = a;
		a->tracker = parent->tracker;
	}
	return a;
}

static void free_blocks(arena *a, block *keep)
{
	block *b = a->blocks;
	while (b) {
		block *next = b->next;
		if (b != keep) {
			size_t sz = HDR_SIZE + b->size;
			a->bytes -= sz;
			if (a->tracker) mem_tracker_add(a->tracker, -(int64_t)sz);
			free(b);
		}
		b = next;
	}
}

static void destroy_children(arena *a)
{
	arena *c = a->first_child;
	while (c) {
		arena *next = c->next_sibling;
		c->parent = NULL; /* already being unlinked wholesale */
		arena_destroy(c);
		c = next;
	}
	a->first_child = NULL;
}

void arena_destroy(arena *a)
{
	if (!a) return;
	destroy_children(a);
	if (a->parent) {
		arena **pp = &a->parent->first_child;
		while (*pp && *pp != a) pp = &(*pp)->next_sibling;
		if (*pp) *pp = a->next_sibling;
	}
	free_blocks(a, NULL);
	free(a);
}

void arena_reset(arena *a)
{
	destroy_children(a);
	/* Keep the smallest-index (oldest) block only if it is a normal one. */
	block *keep = NULL;
	for (block *b = a->blocks; b; b = b->next)
		if (!b->next && b->size <= ARENA_MAX_BLOCK) keep = b;
	free_blocks(a, keep);
	a->blocks = keep;
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
}

static block *new_block(arena *a, size_t need)
{
	size_t size = a->next_block;
	if (size < need) size = need;
	block *b = xmalloc(HDR_SIZE + size);
	b->size = size;
	b->used = 0;
	size_t sz = HDR_SIZE + size;
	a->bytes += sz;
	if (a->bytes > a->peak) a->peak = a->bytes;
	if (a->tracker) mem_tracker_add(a->tracker, (int64_t)sz);
	if (a->next_block < ARENA_MAX_BLOCK) a->next_block *= 2;
	return b;
}

void *arena_alloc(arena *a, size_t size)
{
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size == 0) size = ARENA_ALIGN;
	block *b = a->blocks;
	if (b && b->size - b->used >= size) {
		void *p = (char *)b + HDR_SIZE + b->used;
		b->used += size;
		return p;
	}
	if (size > ARENA_MAX_BLOCK / 4 && b) {
		/* Large: own block behind the current one, so its free tail stays usable. */
		block *big = new_block(a, size);
		big->used = size;
		big->next = b->next;
		b->next = big;
		return (char *)big + HDR_SIZE;
	}
	block *nb = new_block(a, size);
	nb->next = b;
	a->blocks = nb;
	nb->used = size;
	return (char *)nb + HDR_SIZE;
}

void *arena_zalloc(arena *a, size_t size)
{
	void *p = arena_alloc(a, size);
	memset(p, 0, size);
	return p;
}

void *arena_realloc(arena *a, void *old, size_t oldsize, size_t newsize)
{
	if (newsize <= oldsize) return old;
	void *p = arena_alloc(a, newsize);
	if (old && oldsize) memcpy(p, old, oldsize);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vsprintf(arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_sprintf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_bytes(const arena *a) { return a->bytes; }

size_t arena_total_bytes(const arena *a)
{
	size_t n = a->peak;
	for (const arena *c = a->first_child; c; c = c->next_sibling) n += arena_total_bytes(c);
	return n;
}

const char *arena_name(const arena *a) { return a->name; }

void arena_set_tracker(arena *a, mem_tracker *t)
{
	if (a->tracker == t) return;
	if (a->tracker) mem_tracker_add(a->tracker, -(int64_t)a->bytes);
	a->tracker = t;
	if (t) mem_tracker_add(t, (int64_t)a->bytes);
}

mem_tracker *mem_tracker_create(const char *name, int64_t limit_bytes)
{
	mem_tracker *t = xcalloc(1, sizeof(*t));
	t->name = name;
	t->limit = limit_bytes;
	return t;
}

mem_tracker *mem_tracker_create_child(mem_tracker *parent, const char *name)
{
	mem_tracker *t = mem_tracker_create(name, 0);
	t->parent = parent;
	return t;
}

const char *mem_tracker_name(const mem_tracker *t) { return t->name; }

void mem_tracker_destroy(mem_tracker *t) { free(t); }

void mem_tracker_add(mem_tracker *t, int64_t delta)
{
	long long now = atomic_fetch_add(&t->current, delta) + delta;
	long long peak = atomic_load(&t->peak);
	while (now > peak && !atomic_compare_exchange_weak(&t->peak, &peak, now)) {
	}
	if (t->parent) mem_tracker_add(t->parent, delta);
}

int64_t mem_tracker_current(const mem_tracker *t) { return atomic_load(&t->current); }
int64_t mem_tracker_peak(const mem_tracker *t) { return atomic_load(&t->peak); }
int64_t mem_tracker_limit(const mem_tracker *t) { return t->limit; }

int mem_tracker_exceeded(const mem_tracker *t)
{
	return t->limit > 0 && atomic_load(&t->current) > t->limit;
}
