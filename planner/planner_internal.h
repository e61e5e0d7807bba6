/*
 * planner_internal.h — the analyzed statement shared by prepare.c (which
 * builds it) and physical.c (which turns it into a phys_plan). Never
 * included outside planner/.
 */
#ifndef FERRY_PLANNER_INTERNAL_H
#define FERRY_PLANNER_INTERNAL_H

#include "planner/planner.h"

/* One output column of an analyzed SELECT: a table column or a constant. */
typedef struct plan_out_col {
	int table_col;  /* index into table->cols, or -1 for a constant */
	expr *value;    /* constant expression when table_col < 0 */
} plan_out_col;

typedef struct plan_query {
	conn_catalog *catalog; /* acquired; released by plan_free */
	conn_table *table;     /* NULL: SELECT without FROM */
	double est_rows;       /* from connector statistics, < 0 unknown */
	int ncols;
	plan_out_col *cols;
	const char **names;
} plan_query;

#endif
