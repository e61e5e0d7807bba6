// duckdb_sql.mjs SQL... — runs each argument as one DuckDB statement in an in-memory database
// (from @duckdb/node-api) and prints the last statement's rows, one per line, values separated
// by '|' (NULL prints as empty). Test suites use it to build data sets and to compute the
// answer Ferry must give, so that no expected value is written down by hand.
// Exit 0 on success; on any DuckDB error: the message on stderr and exit 1.
import { DuckDBInstance } from '@duckdb/node-api';

const stmts = process.argv.slice(2);
if (stmts.length === 0) {
  process.stderr.write('usage: duckdb_sql.mjs SQL...\n');
  process.exit(2);
}
try {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  let reader = null;
  for (const sql of stmts) reader = await conn.runAndReadAll(sql);
  for (const row of reader.getRowsJS()) {
    process.stdout.write(row.map((v) => (v === null ? '' : String(v))).join('|') + '\n');
  }
} catch (e) {
  process.stderr.write(`duckdb: ${e.message}\n`);
  process.exit(1);
}
