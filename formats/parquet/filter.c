/*
 * filter.c — row-group skipping by footer statistics. A row group is
 * skipped only when its statistics prove that no row can satisfy the
 * predicate; missing or unusable statistics always mean "read it".
 */
#include "formats/parquet/parquet_internal.h"

bool parquet_row_group_can_skip(const parquet_file *f, int row_group, const parquet_col_range *ranges,
                                int nranges)
{
	if (row_group < 0 || row_group >= f->nrow_groups) return false;
	const parquet_row_group *rg = &f->row_groups[row_group];
	if (rg->num_rows == 0) return true;
	for (int i = 0; i < nranges; i++) {
		const parquet_col_range *r = &ranges[i];
		if (r->col < 0 || r->col >= f->ncols) continue;
		const parquet_column *col = &f->cols[r->col];
		const parquet_stats *st = &rg->stats[r->col];
		bool all_null = st->has_null_count && st->null_count == rg->num_rows;
		bool no_null = st->has_null_count && st->null_count == 0;
		if (r->only_null) {
			if (no_null || !col->nullable) return true;
			continue;
		}
		if (all_null) {
			if (!r->null_allowed) return true;
			continue;
		}
		if (!st->has_range || r->null_allowed) continue;
		ftype t = col->type;
		if (r->has_lo && !r->lo.isnull && value_compare(t, fvalue_ptr(t, &st->max), fvalue_ptr(t, &r->lo)) < 0)
			return true;
		if (r->has_hi && !r->hi.isnull && value_compare(t, fvalue_ptr(t, &st->min), fvalue_ptr(t, &r->hi)) > 0)
			return true;
	}
	return false;
}
