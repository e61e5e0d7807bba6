/*
 * typeio.h — the type input/output functions of PostgreSQL 15 (array_in,
 * int4in, textout, numerictypmodin, array_subscript_handler...) for every
 * type the emulated pg_type lists: what pg_type.typinput and friends name
 * and pg_proc lists, with PostgreSQL's OIDs. Internal to connectors/pgcatalog.
 */
#ifndef FERRY_PGCATALOG_TYPEIO_H
#define FERRY_PGCATALOG_TYPEIO_H

#include <stdbool.h>
#include <stdint.h>

/* A built-in function with a fixed OID (as pg_proc.dat gives it). */
typedef struct pgcat_iofunc {
	uint32_t oid;
	const char *name;
	uint32_t rettype;
	const char *argtypes; /* pg_proc.proargtypes: OIDs separated by spaces */
	char volatility;      /* pg_proc.provolatile: 'i' or 's' */
	bool not_strict;      /* pg_proc.proisstrict false (internal_in only) */
} pgcat_iofunc;

/* pg_type's regproc columns of one type (0 is PostgreSQL's "-"), and its typalign and
 * typstorage, which its length alone does not tell. */
typedef struct pgcat_typeio {
	uint32_t type;
	uint32_t input, output, receive, send, modin, modout, subscript, analyze;
	char align, storage;
} pgcat_typeio;

extern const pgcat_iofunc pgcat_iofuncs[];
extern const int pgcat_niofuncs;

/* The functions, alignment and storage of type oid, or of an array type whose
 * element is elem when elem is not 0 (array_in..., the element's typmod
 * functions, 'd' alignment for an array of 'd' elements, storage 'x'); false: a
 * type without an entry (every pg_type row has one: tests/unit/test_pgcatalog.c). */
bool pgcat_typeio_of(uint32_t oid, uint32_t elem, pgcat_typeio *out);

/* The function with OID oid, or NULL. */
const pgcat_iofunc *pgcat_iofunc_by_oid(uint32_t oid);

#endif
