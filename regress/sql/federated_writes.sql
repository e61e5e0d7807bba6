-- Writes into the harness's PostgreSQL through the postgresql catalog, from
-- other catalogs. Expected output written from Ferry and checked by hand
-- (the same rows are compared with PostgreSQL's own count and sum).
CREATE SCHEMA postgresql.fw;
CREATE TABLE postgresql.fw.nat AS SELECT nationkey, name, regionkey FROM tpch.tiny.nation;
INSERT INTO postgresql.fw.nat SELECT nationkey + 100, name, regionkey FROM tpch.tiny.nation WHERE regionkey = 1;
SELECT count(*), sum(nationkey), min(name), max(name) FROM postgresql.fw.nat;
-- a failing statement leaves nothing behind: rows before the bad one are not visible
CREATE TABLE postgresql.fw.t (a int NOT NULL, b varchar(3));
INSERT INTO postgresql.fw.t VALUES (1, 'a'), (NULL, 'b');
INSERT INTO postgresql.fw.t SELECT CASE WHEN nationkey = 24 THEN NULL ELSE nationkey END, 'x' FROM tpch.tiny.nation;
INSERT INTO postgresql.fw.t VALUES (2, 'abcd');
SELECT count(*) FROM postgresql.fw.t;
-- a join of the written table with memory and tpch
CREATE TABLE memory.public.regions AS SELECT regionkey, name AS region FROM tpch.tiny.region;
SELECT r.region, count(*) FROM postgresql.fw.nat n JOIN memory.public.regions r ON n.regionkey = r.regionkey
GROUP BY r.region ORDER BY 1;
DELETE FROM postgresql.fw.nat;
DROP TABLE memory.public.regions;
DROP SCHEMA postgresql.fw CASCADE;
SELECT * FROM postgresql.fw.nat;
