-- SHOW STATS (Trino's statement: one row per column, then a summary row
-- with the row count; NULL where the connector does not know) and ANALYZE.
-- tpch and memory give exact figures; the hive tables are small enough for
-- their HyperLogLog counts to be exact. Expected output checked by hand
-- (PostgreSQL has no SHOW STATS).
SHOW STATS FOR tpch.tiny.nation;
SHOW STATS FOR tpch.tiny.orders;
show stats for tpch.tiny.region;
-- a query: its columns, computed ones unknown; a remaining filter leaves the planner's estimate
SHOW STATS FOR (SELECT nationkey, name, regionkey + 1 AS r FROM tpch.tiny.nation);
SHOW STATS FOR (SELECT nationkey FROM tpch.tiny.nation WHERE regionkey = 1 ORDER BY 1);
-- memory: the row count only
CREATE TABLE memory.default.show_stats_m AS SELECT nationkey, name FROM tpch.tiny.nation WHERE nationkey < 7;
SHOW STATS FOR memory.default.show_stats_m;
DROP TABLE memory.default.show_stats_m;
-- hive: statistics recorded by CREATE TABLE AS, per partition, and by ANALYZE
CREATE SCHEMA hive.stats;
CREATE TABLE hive.stats.nation AS
  SELECT nationkey, name, CAST(nationkey * 1.5 AS numeric(10,2)) AS share, regionkey FROM tpch.tiny.nation;
SHOW STATS FOR hive.stats.nation;
CREATE TABLE hive.stats.by_region WITH (partitioned_by = ARRAY['regionkey']) AS
  SELECT nationkey, name, regionkey FROM tpch.tiny.nation;
SHOW STATS FOR hive.stats.by_region;
-- pruning: the partitions left are summed
SHOW STATS FOR (SELECT * FROM hive.stats.by_region WHERE regionkey IN (1, 3));
INSERT INTO hive.stats.by_region SELECT nationkey + 100, name, regionkey FROM tpch.tiny.nation WHERE regionkey = 1;
SHOW STATS FOR (SELECT * FROM hive.stats.by_region WHERE regionkey = 1);
ANALYZE hive.stats.by_region WITH (partitions = ARRAY[ARRAY['1'], ARRAY['4']]);
ANALYZE hive.stats.by_region;
SHOW STATS FOR hive.stats.by_region;
-- errors
SHOW STATS FOR tpch.tiny.no_such_table;
\echo :LAST_ERROR_SQLSTATE
SHOW STATS FOR no_such_catalog.a.b;
\echo :LAST_ERROR_SQLSTATE
SHOW STATS FOR (SELECT count(*) FROM tpch.tiny.nation);
\echo :LAST_ERROR_SQLSTATE
SHOW STATS FOR (SELECT no_such_column FROM tpch.tiny.nation);
\echo :LAST_ERROR_SQLSTATE
SHOW STATS tpch.tiny.nation;
\echo :LAST_ERROR_SQLSTATE
ANALYZE tpch.tiny.nation;
\echo :LAST_ERROR_SQLSTATE
ANALYZE hive.stats.no_such_table;
\echo :LAST_ERROR_SQLSTATE
ANALYZE hive.stats.nation WITH (partitions = ARRAY[ARRAY['1']]);
\echo :LAST_ERROR_SQLSTATE
ANALYZE hive.stats.by_region WITH (partitions = ARRAY[ARRAY['1', '2']]);
\echo :LAST_ERROR_SQLSTATE
ANALYZE hive.stats.by_region WITH (colour = 'red');
\echo :LAST_ERROR_SQLSTATE
ANALYZE hive.stats.nation (name);
\echo :LAST_ERROR_SQLSTATE
-- what PostgreSQL clients send: ANALYZE of everything is accepted and does nothing
ANALYZE;
ANALYZE VERBOSE;
DROP TABLE hive.stats.nation;
DROP TABLE hive.stats.by_region;
DROP SCHEMA hive.stats;
