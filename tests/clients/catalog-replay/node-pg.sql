-- node-pg: connect, SELECT 1, close; captured by capture-drivers.sh from a PostgreSQL 15
-- statement log (log_statement = all)
-- next
SELECT 1
