-- transactions: an error inside BEGIN puts the session in the failed state (25P02)
-- until ROLLBACK, after which it works again.
BEGIN;
SELECT name FROM tpch.tiny.region ORDER BY regionkey LIMIT 1;
SELECT 1/0;
\echo :LAST_ERROR_SQLSTATE
SELECT 1;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT 'after rollback' AS ok;
BEGIN;
SELECT 2;
COMMIT;
