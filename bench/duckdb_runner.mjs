// duckdb_runner.mjs — DuckDB, in-process, as one of bench.py's engines. Reads one JSON
// request per stdin line and answers one JSON line on stdout; never exits on a SQL error.
//   {"op":"exec","sql":S}                     run S, answer {"ok":true} or {"ok":false,"error":E}
//   {"op":"query","sql":S,"timeout":SECONDS}  run S, answer {"ok":true,"secs":T,"rows":[[...]]}
//                                             (rows in DuckDB's JSON form: decimals and big
//                                             integers as strings, dates as YYYY-MM-DD);
//                                             past the timeout the query is interrupted and
//                                             the answer is {"ok":false,"timeout":true}
// The wall time covers running the query and materialising every row in this process, the
// same work a client does on the other engines (there without the protocol hop).
import { DuckDBInstance } from '@duckdb/node-api';
import readline from 'node:readline';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const send = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const rl = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of rl) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  let timer = null;
  let timedOut = false;
  try {
    if (req.op === 'exec') {
      await conn.run(req.sql);
      send({ ok: true });
      continue;
    }
    if (req.timeout) {
      timer = setTimeout(() => { timedOut = true; conn.interrupt(); }, req.timeout * 1000);
    }
    const t0 = process.hrtime.bigint();
    const reader = await conn.runAndReadAll(req.sql);
    const rows = reader.getRowsJson();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    send({ ok: true, secs, rows });
  } catch (e) {
    send(timedOut ? { ok: false, timeout: true, error: 'timeout' } : { ok: false, error: String(e.message || e) });
  } finally {
    if (timer) clearTimeout(timer);
  }
}
