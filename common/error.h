/*
 * error.h — errors as values.
 *
 * A function that can fail returns ferr * (NULL on success). The error owns
 * its strings (malloc'd) and travels up to the client unchanged: SQLSTATE,
 * message, detail, hint, cursor position. Errors are never raised with
 * longjmp and never end the process.
 */
#ifndef FERRY_ERROR_H
#define FERRY_ERROR_H

#include <stdarg.h>

#include "common/sqlstate.h"

typedef struct ferr {
	char sqlstate[6];
	char *message;
	char *detail;   /* may be NULL */
	char *hint;     /* may be NULL */
	int position;   /* 1-based character offset into the statement, 0 = none */
	char *severity; /* "ERROR" unless set; "FATAL" closes the session */
} ferr;

ferr *ferr_new(const char *sqlstate, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ferr *ferr_newv(const char *sqlstate, const char *fmt, va_list ap);
ferr *ferr_detail(ferr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ferr *ferr_hint(ferr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ferr *ferr_position(ferr *e, int position);
/* Prefix the message with "context: " (e.g. a catalog or file name). */
ferr *ferr_prefix(ferr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ferr *ferr_copy(const ferr *e);
void ferr_free(ferr *e);

/* Propagate: if (expr) returns an error, return it. */
#define TRY(expr)                         \
	do {                                  \
		ferr *try_err_ = (expr);          \
		if (try_err_) return try_err_;    \
	} while (0)

#endif
