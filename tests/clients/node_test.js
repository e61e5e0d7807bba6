// Ferry client test with node-postgres (npm pg): simple and parameterized queries.
// Exits 1 on any wrong result or error.
const { Client } = require('pg');

async function main() {
  let failures = 0;
  const check = (ok, what) => { console.log((ok ? 'ok   ' : 'FAIL ') + what); if (!ok) failures++; };
  const c = new Client({ host: '127.0.0.1', port: Number(process.argv[2]), user: 'admin', database: 'tpch' });
  try {
    await c.connect();
    let r = await c.query('SELECT 1 AS one');
    check(r.rows.length === 1 && Number(r.rows[0].one) === 1, 'simple query');
    r = await c.query('SELECT count(*) AS n FROM tpch.tiny.region');
    check(Number(r.rows[0].n) === 5, 'simple count = ' + r.rows[0].n);
    r = await c.query('SELECT name FROM tpch.tiny.nation WHERE nationkey = $1', [3]);
    check(r.rows.length === 1 && r.rows[0].name.trim() === 'CANADA', 'parameterized int');
    r = await c.query({ name: 'by_region', text: 'SELECT count(*) AS n FROM tpch.tiny.nation WHERE regionkey = $1', values: [1] });
    check(Number(r.rows[0].n) === 5, 'named prepared statement');
    r = await c.query({ name: 'by_region', text: 'SELECT count(*) AS n FROM tpch.tiny.nation WHERE regionkey = $1', values: [2] });
    check(Number(r.rows[0].n) === 5, 'named prepared statement reused');
    r = await c.query('SELECT $1::text AS t', ['héllo']);
    check(r.rows[0].t === 'héllo', 'utf-8 text parameter');
  } catch (e) {
    check(false, 'exception: ' + e.code + ' ' + e.message);
  } finally {
    await c.end().catch(() => {});
  }
  process.exit(failures ? 1 : 0);
}
main();
