-- errors: SQLSTATE and position of common errors; the session keeps working after each.
SELECT 'after connect' AS ok;
SELEC 1;
\echo :LAST_ERROR_SQLSTATE
SELECT 'after syntax error' AS ok;
SELECT 1 FROM tpch.tiny.no_such_table;
\echo :LAST_ERROR_SQLSTATE
SELECT 'after unknown table' AS ok;
SELECT no_such_column FROM tpch.tiny.nation;
\echo :LAST_ERROR_SQLSTATE
SELECT 'after unknown column' AS ok;
SELECT 1/0;
\echo :LAST_ERROR_SQLSTATE
SELECT 'after division by zero' AS ok;
SELECT count(*) FROM tpch.tiny.region;
-- constant folding of a division near numeric's 38-digit limit must not overflow
SELECT 1/444444444444444444444444444444444444.4 IS NOT NULL AS computed;
SELECT interval '111111111111111111111 years';
\echo :LAST_ERROR_SQLSTATE
