/* version.h — Ferry's version and the PostgreSQL version it presents. */
#ifndef FERRY_VERSION_H
#define FERRY_VERSION_H

#define FERRY_VERSION "0.1.0"
/* server_version as sent in ParameterStatus: PostgreSQL 15 clients parse it. */
#define FERRY_PG_VERSION "15.0"
#define FERRY_PG_VERSION_NUM 150000

#endif
