-- Every column of a whole table, row for row (text output of each type must match).
SELECT * FROM tpch.tiny.supplier
