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
-- SET inside a block is undone by ROLLBACK and kept by COMMIT; SET LOCAL ends with the block
BEGIN;
SET DateStyle = 'ISO, DMY';
SET LOCAL extra_float_digits = 3;
SHOW DateStyle;
SHOW extra_float_digits;
ROLLBACK;
SHOW DateStyle;
BEGIN;
SET DateStyle = 'ISO, YMD';
SET LOCAL extra_float_digits = 3;
COMMIT;
SHOW DateStyle;
SHOW extra_float_digits;
RESET DateStyle;
SET LOCAL extra_float_digits = 2;
SHOW extra_float_digits;
