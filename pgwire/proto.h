/*
 * proto.h — PostgreSQL frontend/backend protocol 3.0 constants: message type
 * bytes, startup request codes, limits. The one place that knows them; no
 * other file writes a protocol byte as a literal. Knows nothing about SQL.
 */
#ifndef FERRY_PGWIRE_PROTO_H
#define FERRY_PGWIRE_PROTO_H

/* Startup-phase request codes (the int32 after the length). */
#define PGW_PROTOCOL_3_0 196608 /* 3 << 16 */
#define PGW_CANCEL_REQUEST_CODE 80877102
#define PGW_SSL_REQUEST_CODE 80877103
#define PGW_GSSENC_REQUEST_CODE 80877104

/* Frontend (client -> server) message types. */
#define PGW_FE_QUERY 'Q'
#define PGW_FE_PARSE 'P'
#define PGW_FE_BIND 'B'
#define PGW_FE_DESCRIBE 'D'
#define PGW_FE_EXECUTE 'E'
#define PGW_FE_CLOSE 'C'
#define PGW_FE_SYNC 'S'
#define PGW_FE_FLUSH 'H'
#define PGW_FE_TERMINATE 'X'
#define PGW_FE_PASSWORD 'p'
#define PGW_FE_COPY_DATA 'd'
#define PGW_FE_COPY_DONE 'c'
#define PGW_FE_COPY_FAIL 'f'
#define PGW_FE_FUNCTION_CALL 'F'

/* Describe/Close targets. */
#define PGW_TARGET_STATEMENT 'S'
#define PGW_TARGET_PORTAL 'P'

/* Backend (server -> client) message types. */
#define PGW_BE_AUTHENTICATION 'R'
#define PGW_BE_PARAMETER_STATUS 'S'
#define PGW_BE_BACKEND_KEY_DATA 'K'
#define PGW_BE_READY_FOR_QUERY 'Z'
#define PGW_BE_ROW_DESCRIPTION 'T'
#define PGW_BE_DATA_ROW 'D'
#define PGW_BE_COMMAND_COMPLETE 'C'
#define PGW_BE_EMPTY_QUERY_RESPONSE 'I'
#define PGW_BE_ERROR_RESPONSE 'E'
#define PGW_BE_NOTICE_RESPONSE 'N'
#define PGW_BE_PARSE_COMPLETE '1'
#define PGW_BE_BIND_COMPLETE '2'
#define PGW_BE_CLOSE_COMPLETE '3'
#define PGW_BE_NO_DATA 'n'
#define PGW_BE_PARAMETER_DESCRIPTION 't'
#define PGW_BE_PORTAL_SUSPENDED 's'
#define PGW_BE_COPY_OUT_RESPONSE 'H'
#define PGW_BE_COPY_DATA 'd'
#define PGW_BE_COPY_DONE 'c'

/* Authentication request subcodes. */
#define PGW_AUTH_OK 0
#define PGW_AUTH_CLEARTEXT 3

/* Answer to SSLRequest/GSSENCRequest when not supported. */
#define PGW_NEGOTIATE_NO 'N'

/* ReadyForQuery transaction status. */
#define PGW_TXN_IDLE 'I'
#define PGW_TXN_BLOCK 'T'
#define PGW_TXN_FAILED 'E'

/* ErrorResponse/NoticeResponse field codes. */
#define PGW_FIELD_SEVERITY 'S'
#define PGW_FIELD_SEVERITY_NONLOCALIZED 'V'
#define PGW_FIELD_SQLSTATE 'C'
#define PGW_FIELD_MESSAGE 'M'
#define PGW_FIELD_DETAIL 'D'
#define PGW_FIELD_HINT 'H'
#define PGW_FIELD_POSITION 'P'

/* Format codes. */
#define PGW_FORMAT_TEXT 0
#define PGW_FORMAT_BINARY 1

/*
 * Largest message body we accept (PostgreSQL's PQ_LARGE_MESSAGE_LIMIT is
 * 1 GiB - 1). Startup packets are much smaller, as in PostgreSQL.
 */
#define PGW_MAX_MESSAGE_LEN (0x3fffffff)
#define PGW_MAX_STARTUP_LEN 10000
/* Flush the output buffer once it holds this much (bounded memory). */
#define PGW_FLUSH_THRESHOLD (64 * 1024)

#endif
