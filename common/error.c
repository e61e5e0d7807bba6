/*
 * error.c — construction and disposal of ferr values (see error.h).
 */
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"

static char *vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) n = 0;
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

ferr *ferr_newv(const char *sqlstate, const char *fmt, va_list ap)
{
	ferr *e = xcalloc(1, sizeof(ferr));
	snprintf(e->sqlstate, sizeof e->sqlstate, "%s", sqlstate ? sqlstate : SQLSTATE_INTERNAL_ERROR);
	e->message = vfmt(fmt, ap);
	return e;
}

ferr *ferr_new(const char *sqlstate, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ferr *e = ferr_newv(sqlstate, fmt, ap);
	va_end(ap);
	return e;
}

ferr *ferr_detail(ferr *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(e->detail);
	e->detail = vfmt(fmt, ap);
	va_end(ap);
	return e;
}

ferr *ferr_hint(ferr *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(e->hint);
	e->hint = vfmt(fmt, ap);
	va_end(ap);
	return e;
}

ferr *ferr_position(ferr *e, int position)
{
	e->position = position;
	return e;
}

ferr *ferr_prefix(ferr *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *prefix = vfmt(fmt, ap);
	va_end(ap);
	size_t n = strlen(prefix) + strlen(e->message) + 3;
	char *m = xmalloc(n);
	snprintf(m, n, "%s: %s", prefix, e->message);
	free(prefix);
	free(e->message);
	e->message = m;
	return e;
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

ferr *ferr_copy(const ferr *e)
{
	ferr *c = xcalloc(1, sizeof(ferr));
	memcpy(c->sqlstate, e->sqlstate, sizeof c->sqlstate);
	c->message = xstrdup(e->message);
	c->detail = dup_or_null(e->detail);
	c->hint = dup_or_null(e->hint);
	c->severity = dup_or_null(e->severity);
	c->position = e->position;
	return c;
}

void ferr_free(ferr *e)
{
	if (!e) return;
	free(e->message);
	free(e->detail);
	free(e->hint);
	free(e->severity);
	free(e);
}
