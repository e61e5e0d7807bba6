/*
 * typeio.c — PostgreSQL 15's type I/O functions for the types of the
 * emulated pg_type, with their OIDs, result and argument types and
 * volatility (as pg_proc.dat and pg_type.dat give them), so that
 * pg_type.typinput = 'array_in'::regproc (pgjdbc's getTypeInfo) and joins of
 * pg_type with pg_proc find what PostgreSQL's catalogs hold. Data only: no
 * function here is callable from SQL.
 */
#include "connectors/pgcatalog/typeio.h"

#include <stddef.h>

/* OIDs of the array functions every array type names (pg_type.dat) */
enum {
	IO_ARRAY_IN = 750,
	IO_ARRAY_OUT = 751,
	IO_ARRAY_RECV = 2400,
	IO_ARRAY_SEND = 2401,
	IO_ARRAY_TYPANALYZE = 3816,
	IO_ARRAY_SUBSCRIPT = 6179,
};

const pgcat_iofunc pgcat_iofuncs[] = {
    {31, "byteaout", 2275, "17", 'i'},
    {33, "charout", 2275, "18", 'i'},
    {34, "namein", 19, "2275", 'i'},
    {35, "nameout", 2275, "19", 'i'},
    {38, "int2in", 21, "2275", 'i'},
    {39, "int2out", 2275, "21", 'i'},
    {42, "int4in", 23, "2275", 'i'},
    {43, "int4out", 2275, "23", 'i'},
    {44, "regprocin", 24, "2275", 's'},
    {45, "regprocout", 2275, "24", 's'},
    {46, "textin", 25, "2275", 'i'},
    {47, "textout", 2275, "25", 'i'},
    {109, "unknownin", 705, "2275", 'i'},
    {110, "unknownout", 2275, "705", 'i'},
    {200, "float4in", 700, "2275", 'i'},
    {201, "float4out", 2275, "700", 'i'},
    {214, "float8in", 701, "2275", 'i'},
    {215, "float8out", 2275, "701", 'i'},
    {321, "json_in", 114, "2275", 'i'},
    {322, "json_out", 2275, "114", 'i'},
    {323, "json_recv", 114, "2281", 'i'},
    {324, "json_send", 17, "114", 'i'},
    {460, "int8in", 20, "2275", 'i'},
    {461, "int8out", 2275, "20", 'i'},
    {750, "array_in", 2277, "2275 26 23", 's'},
    {751, "array_out", 2275, "2277", 's'},
    {1044, "bpcharin", 1042, "2275 26 23", 'i'},
    {1045, "bpcharout", 2275, "1042", 'i'},
    {1046, "varcharin", 1043, "2275 26 23", 'i'},
    {1047, "varcharout", 2275, "1043", 'i'},
    {1084, "date_in", 1082, "2275", 's'},
    {1085, "date_out", 2275, "1082", 's'},
    {1143, "time_in", 1083, "2275 26 23", 's'},
    {1144, "time_out", 2275, "1083", 'i'},
    {1150, "timestamptz_in", 1184, "2275 26 23", 's'},
    {1151, "timestamptz_out", 2275, "1184", 's'},
    {1160, "interval_in", 1186, "2275 26 23", 's'},
    {1161, "interval_out", 2275, "1186", 's'},
    {1242, "boolin", 16, "2275", 'i'},
    {1243, "boolout", 2275, "16", 'i'},
    {1244, "byteain", 17, "2275", 'i'},
    {1245, "charin", 18, "2275", 'i'},
    {1312, "timestamp_in", 1114, "2275 26 23", 's'},
    {1313, "timestamp_out", 2275, "1114", 's'},
    {1350, "timetz_in", 1266, "2275 26 23", 's'},
    {1351, "timetz_out", 2275, "1266", 'i'},
    {1701, "numeric_in", 1700, "2275 26 23", 'i'},
    {1702, "numeric_out", 2275, "1700", 'i'},
    {1798, "oidin", 26, "2275", 'i'},
    {1799, "oidout", 2275, "26", 'i'},
    {2212, "regprocedurein", 2202, "2275", 's'},
    {2213, "regprocedureout", 2275, "2202", 's'},
    {2218, "regclassin", 2205, "2275", 's'},
    {2219, "regclassout", 2275, "2205", 's'},
    {2220, "regtypein", 2206, "2275", 's'},
    {2221, "regtypeout", 2275, "2206", 's'},
    {2292, "cstring_in", 2275, "2275", 'i'},
    {2293, "cstring_out", 2275, "2275", 'i'},
    {2296, "anyarray_in", 2277, "2275", 'i'},
    {2297, "anyarray_out", 2275, "2277", 's'},
    {2304, "internal_in", 2281, "2275", 'i', true},
    {2305, "internal_out", 2275, "2281", 'i'},
    {2400, "array_recv", 2277, "2281 26 23", 's'},
    {2401, "array_send", 17, "2277", 's'},
    {2404, "int2recv", 21, "2281", 'i'},
    {2405, "int2send", 17, "21", 'i'},
    {2406, "int4recv", 23, "2281", 'i'},
    {2407, "int4send", 17, "23", 'i'},
    {2408, "int8recv", 20, "2281", 'i'},
    {2409, "int8send", 17, "20", 'i'},
    {2412, "bytearecv", 17, "2281", 'i'},
    {2413, "byteasend", 17, "17", 'i'},
    {2414, "textrecv", 25, "2281", 's'},
    {2415, "textsend", 17, "25", 's'},
    {2416, "unknownrecv", 705, "2281", 'i'},
    {2417, "unknownsend", 17, "705", 'i'},
    {2418, "oidrecv", 26, "2281", 'i'},
    {2419, "oidsend", 17, "26", 'i'},
    {2422, "namerecv", 19, "2281", 's'},
    {2423, "namesend", 17, "19", 's'},
    {2424, "float4recv", 700, "2281", 'i'},
    {2425, "float4send", 17, "700", 'i'},
    {2426, "float8recv", 701, "2281", 'i'},
    {2427, "float8send", 17, "701", 'i'},
    {2430, "bpcharrecv", 1042, "2281 26 23", 's'},
    {2431, "bpcharsend", 17, "1042", 's'},
    {2432, "varcharrecv", 1043, "2281 26 23", 's'},
    {2433, "varcharsend", 17, "1043", 's'},
    {2434, "charrecv", 18, "2281", 'i'},
    {2435, "charsend", 17, "18", 'i'},
    {2436, "boolrecv", 16, "2281", 'i'},
    {2437, "boolsend", 17, "16", 'i'},
    {2444, "regprocrecv", 24, "2281", 'i'},
    {2445, "regprocsend", 17, "24", 'i'},
    {2446, "regprocedurerecv", 2202, "2281", 'i'},
    {2447, "regproceduresend", 17, "2202", 'i'},
    {2452, "regclassrecv", 2205, "2281", 'i'},
    {2453, "regclasssend", 17, "2205", 'i'},
    {2454, "regtyperecv", 2206, "2281", 'i'},
    {2455, "regtypesend", 17, "2206", 'i'},
    {2460, "numeric_recv", 1700, "2281 26 23", 'i'},
    {2461, "numeric_send", 17, "1700", 'i'},
    {2468, "date_recv", 1082, "2281", 'i'},
    {2469, "date_send", 17, "1082", 'i'},
    {2470, "time_recv", 1083, "2281 26 23", 'i'},
    {2471, "time_send", 17, "1083", 'i'},
    {2472, "timetz_recv", 1266, "2281 26 23", 'i'},
    {2473, "timetz_send", 17, "1266", 'i'},
    {2474, "timestamp_recv", 1114, "2281 26 23", 'i'},
    {2475, "timestamp_send", 17, "1114", 'i'},
    {2476, "timestamptz_recv", 1184, "2281 26 23", 'i'},
    {2477, "timestamptz_send", 17, "1184", 'i'},
    {2478, "interval_recv", 1186, "2281 26 23", 'i'},
    {2479, "interval_send", 17, "1186", 'i'},
    {2500, "cstring_recv", 2275, "2281", 's'},
    {2501, "cstring_send", 17, "2275", 's'},
    {2502, "anyarray_recv", 2277, "2281", 's'},
    {2503, "anyarray_send", 17, "2277", 's'},
    {2903, "intervaltypmodin", 23, "1263", 'i'},
    {2904, "intervaltypmodout", 2275, "23", 'i'},
    {2905, "timestamptypmodin", 23, "1263", 'i'},
    {2906, "timestamptypmodout", 2275, "23", 'i'},
    {2907, "timestamptztypmodin", 23, "1263", 'i'},
    {2908, "timestamptztypmodout", 2275, "23", 'i'},
    {2909, "timetypmodin", 23, "1263", 'i'},
    {2910, "timetypmodout", 2275, "23", 'i'},
    {2911, "timetztypmodin", 23, "1263", 'i'},
    {2912, "timetztypmodout", 2275, "23", 'i'},
    {2913, "bpchartypmodin", 23, "1263", 'i'},
    {2914, "bpchartypmodout", 2275, "23", 'i'},
    {2915, "varchartypmodin", 23, "1263", 'i'},
    {2916, "varchartypmodout", 2275, "23", 'i'},
    {2917, "numerictypmodin", 23, "1263", 'i'},
    {2918, "numerictypmodout", 2275, "23", 'i'},
    {2952, "uuid_in", 2950, "2275", 'i'},
    {2953, "uuid_out", 2275, "2950", 'i'},
    {2961, "uuid_recv", 2950, "2281", 'i'},
    {2962, "uuid_send", 17, "2950", 'i'},
    {3803, "jsonb_send", 17, "3802", 'i'},
    {3804, "jsonb_out", 2275, "3802", 'i'},
    {3805, "jsonb_recv", 3802, "2281", 'i'},
    {3806, "jsonb_in", 3802, "2275", 'i'},
    {3816, "array_typanalyze", 16, "2281", 's'},
    {4084, "regnamespacein", 4089, "2275", 's'},
    {4085, "regnamespaceout", 2275, "4089", 's'},
    {4087, "regnamespacerecv", 4089, "2281", 'i'},
    {4088, "regnamespacesend", 17, "4089", 'i'},
    {4092, "regroleout", 2275, "4096", 's'},
    {4094, "regrolerecv", 4096, "2281", 'i'},
    {4095, "regrolesend", 17, "4096", 'i'},
    {4098, "regrolein", 4096, "2275", 's'},
    {6098, "jsonb_subscript_handler", 2281, "2281", 'i'},
    {6179, "array_subscript_handler", 2281, "2281", 'i'},
    {6180, "raw_array_subscript_handler", 2281, "2281", 'i'},
};
const int pgcat_niofuncs = (int)(sizeof pgcat_iofuncs / sizeof pgcat_iofuncs[0]);

/* type, input, output, receive, send, typmodin, typmodout, subscript, analyze (0 for every
 * base type), typalign, typstorage */
static const pgcat_typeio typeio[] = {
    {16, 1242, 1243, 2436, 2437, 0, 0, 0, 0, 'c', 'p'},
    {17, 1244, 31, 2412, 2413, 0, 0, 0, 0, 'i', 'x'},
    {18, 1245, 33, 2434, 2435, 0, 0, 0, 0, 'c', 'p'},
    {19, 34, 35, 2422, 2423, 0, 0, 6180, 0, 'c', 'p'},
    {20, 460, 461, 2408, 2409, 0, 0, 0, 0, 'd', 'p'},
    {21, 38, 39, 2404, 2405, 0, 0, 0, 0, 's', 'p'},
    {23, 42, 43, 2406, 2407, 0, 0, 0, 0, 'i', 'p'},
    {24, 44, 45, 2444, 2445, 0, 0, 0, 0, 'i', 'p'},
    {25, 46, 47, 2414, 2415, 0, 0, 0, 0, 'i', 'x'},
    {26, 1798, 1799, 2418, 2419, 0, 0, 0, 0, 'i', 'p'},
    {114, 321, 322, 323, 324, 0, 0, 0, 0, 'i', 'x'},
    {700, 200, 201, 2424, 2425, 0, 0, 0, 0, 'i', 'p'},
    {701, 214, 215, 2426, 2427, 0, 0, 0, 0, 'd', 'p'},
    {705, 109, 110, 2416, 2417, 0, 0, 0, 0, 'c', 'p'},
    {1042, 1044, 1045, 2430, 2431, 2913, 2914, 0, 0, 'i', 'x'},
    {1043, 1046, 1047, 2432, 2433, 2915, 2916, 0, 0, 'i', 'x'},
    {1082, 1084, 1085, 2468, 2469, 0, 0, 0, 0, 'i', 'p'},
    {1083, 1143, 1144, 2470, 2471, 2909, 2910, 0, 0, 'd', 'p'},
    {1114, 1312, 1313, 2474, 2475, 2905, 2906, 0, 0, 'd', 'p'},
    {1184, 1150, 1151, 2476, 2477, 2907, 2908, 0, 0, 'd', 'p'},
    {1186, 1160, 1161, 2478, 2479, 2903, 2904, 0, 0, 'd', 'p'},
    {1266, 1350, 1351, 2472, 2473, 2911, 2912, 0, 0, 'd', 'p'},
    {1700, 1701, 1702, 2460, 2461, 2917, 2918, 0, 0, 'i', 'm'},
    {2202, 2212, 2213, 2446, 2447, 0, 0, 0, 0, 'i', 'p'},
    {2205, 2218, 2219, 2452, 2453, 0, 0, 0, 0, 'i', 'p'},
    {2206, 2220, 2221, 2454, 2455, 0, 0, 0, 0, 'i', 'p'},
    {2275, 2292, 2293, 2500, 2501, 0, 0, 0, 0, 'c', 'p'},
    {2277, 2296, 2297, 2502, 2503, 0, 0, 0, 0, 'd', 'x'},
    {2281, 2304, 2305, 0, 0, 0, 0, 0, 0, 'd', 'p'},
    {2950, 2952, 2953, 2961, 2962, 0, 0, 0, 0, 'c', 'p'},
    {3802, 3806, 3804, 3805, 3803, 0, 0, 6098, 0, 'i', 'x'},
    {4089, 4084, 4085, 4087, 4088, 0, 0, 0, 0, 'i', 'p'},
    {4096, 4098, 4092, 4094, 4095, 0, 0, 0, 0, 'i', 'p'},
};
#define NTYPEIO ((int)(sizeof typeio / sizeof typeio[0]))

bool pgcat_typeio_of(uint32_t oid, uint32_t elem, pgcat_typeio *out)
{
	for (int i = 0; i < NTYPEIO; i++) {
		if (typeio[i].type != (elem ? elem : oid)) continue;
		if (!elem) {
			*out = typeio[i];
			return true;
		}
		/* an array: array_in & co., the element's typmod functions (varchar(10)[]) */
		*out = (pgcat_typeio){oid,
		                      IO_ARRAY_IN,
		                      IO_ARRAY_OUT,
		                      IO_ARRAY_RECV,
		                      IO_ARRAY_SEND,
		                      typeio[i].modin,
		                      typeio[i].modout,
		                      IO_ARRAY_SUBSCRIPT,
		                      IO_ARRAY_TYPANALYZE,
		                      typeio[i].align == 'd' ? 'd' : 'i',
		                      'x'};
		return true;
	}
	return false;
}

const pgcat_iofunc *pgcat_iofunc_by_oid(uint32_t oid)
{
	/* sorted by OID */
	int lo = 0, hi = pgcat_niofuncs - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (pgcat_iofuncs[mid].oid == oid) return &pgcat_iofuncs[mid];
		if (pgcat_iofuncs[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}
