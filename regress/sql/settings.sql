-- settings: SET / SHOW / RESET of the session variables clients touch.
SHOW search_path;
SET search_path = tiny;
SHOW search_path;
SELECT count(*) FROM nation;
RESET search_path;
SHOW search_path;
SHOW DateStyle;
SET DateStyle = 'ISO, DMY';
SHOW DateStyle;
RESET DateStyle;
SHOW DateStyle;
SET extra_float_digits = 3;
SHOW extra_float_digits;
RESET extra_float_digits;
SHOW extra_float_digits;
SET statement_timeout = '5s';
SHOW statement_timeout;
RESET statement_timeout;
SHOW statement_timeout;
-- SHOW ALL: only the row count is stable across versions
SHOW ALL \g (tuples_only=on format=unaligned) | awk 'END { print (NR > 10) ? "SHOW ALL: more than 10 rows" : "SHOW ALL: only " NR " rows" }'
-- time settings print in the largest unit that divides them, as PostgreSQL does
SET statement_timeout = 1500;
SHOW statement_timeout;
SET statement_timeout = 60000;
SHOW statement_timeout;
SET statement_timeout = 'soon';
RESET statement_timeout;
