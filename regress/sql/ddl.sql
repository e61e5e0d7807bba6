-- DDL and writes across catalogs, in Trino's spellings where PostgreSQL's
-- grammar has none (catalog-qualified schemas, ARRAY-valued properties).
-- Expected output written from Ferry and checked by hand: these statements
-- do not run on PostgreSQL (PostgreSQL's own forms are compared against a
-- real server in tests/oracle/writes.sh).
CREATE SCHEMA memory.rt;
CREATE SCHEMA memory.rt;
CREATE SCHEMA IF NOT EXISTS memory.rt;
CREATE SCHEMA memory.rt2 WITH (location = '/tmp/x');
CREATE SCHEMA tpch.rt;
CREATE TABLE memory.rt.nation AS SELECT nationkey, name, regionkey FROM tpch.tiny.nation;
SELECT count(*), sum(nationkey) FROM memory.rt.nation;
CREATE TABLE memory.rt.t (k int NOT NULL, v varchar(5)) WITH (partitioned_by = ARRAY['k']);
CREATE TABLE memory.rt.t (k int NOT NULL, v varchar(5), CHECK (k > 0));
CREATE TABLE memory.rt.t (k int NOT NULL, v varchar(5));
-- federated: rows from tpch joined with the memory table
INSERT INTO memory.rt.t SELECT n.nationkey, substr(r.name, 1, 5)
  FROM memory.rt.nation n JOIN tpch.tiny.region r ON n.regionkey = r.regionkey WHERE n.nationkey < 6;
SELECT * FROM memory.rt.t ORDER BY k;
UPDATE memory.rt.t SET v = lower(v) WHERE k % 2 = 0;
DELETE FROM memory.rt.t WHERE v = 'AFRIC';
SELECT * FROM memory.rt.t ORDER BY k;
-- a write inside a transaction block commits with its statement
BEGIN;
INSERT INTO memory.rt.t VALUES (42, 'txn');
ROLLBACK;
SELECT count(*) FROM memory.rt.t WHERE k = 42;
-- an error in a block aborts the block; the table is unchanged
BEGIN;
INSERT INTO memory.rt.t VALUES (NULL, 'x');
INSERT INTO memory.rt.t VALUES (43, 'y');
ROLLBACK;
SELECT count(*) FROM memory.rt.t;
-- views resolve names where they were created
CREATE VIEW memory.rt.big AS SELECT name FROM memory.rt.nation WHERE nationkey > 20;
SELECT * FROM memory.rt.big ORDER BY 1;
-- a view redefined over itself is refused when used (54001), not a crash
CREATE VIEW memory.rt.loop AS SELECT 1 AS a;
CREATE OR REPLACE VIEW memory.rt.loop AS SELECT a FROM memory.rt.loop;
SELECT * FROM memory.rt.loop;
DROP VIEW memory.rt.loop;
SHOW TABLES FROM memory.rt;
-- writes to a read-only catalog
INSERT INTO tpch.tiny.region VALUES (9, 'X', 'y');
DELETE FROM tpch.tiny.region;
CREATE TABLE tpch.tiny.x (a int);
DROP TABLE tpch.tiny.region;
DROP SCHEMA memory.rt;
DROP SCHEMA memory.rt CASCADE;
DROP SCHEMA IF EXISTS memory.rt;
SELECT * FROM memory.rt.t;
