#!/usr/bin/python3
"""Ferry benchmarks: the measuring half of bench/run.sh (see bench/README.md).

  bench.py write-parquet   the CSV data as zstd Parquet, one folder per table (DuckDB writes it)
  bench.py run             TPC-H on every engine, federation, protocol; OUT.json, OUT.md, OUT.dat
  bench.py docs            docs/BENCHMARKS.md from OUT.json

run.sh starts the servers and passes everything through the environment (SF, SCHEMA, RUNS,
TIMEOUT, DATA, OUT, FERRY_PORT, FERRY_PID, PG_HOST, PG_PORT, HIVE, PGBENCH_SECONDS).
Every figure printed comes from a measurement made here; a failure or a timeout is recorded
as such, never as a number. Answers of every engine are compared with PostgreSQL's and a
difference is printed as an ERROR line and kept in the results.
"""
import datetime
import decimal
import glob
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time

import psycopg2

ENV = os.environ
TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = ENV.get("FERRY_FIXTURES", os.path.normpath(os.path.join(HERE, "..", "..", "shared", "fixtures")))
QDIR = os.path.join(FIXTURES, "tpch", "queries-duckdb-dialect")


def log(msg):
    print(msg, flush=True)


# --- process memory ----------------------------------------------------------------------

def reset_hwm(pid):
    """Resets the peak RSS (VmHWM) of pid; Linux: writing 5 to clear_refs."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def read_hwm_mb(pid):
    """VmHWM of pid in MiB, or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


# --- engines -----------------------------------------------------------------------------

class QueryTimeout(Exception):
    pass


class PgEngine:
    """An engine reached over the PostgreSQL protocol (Ferry or PostgreSQL itself)."""

    def __init__(self, name, label, mem_pid_fn, **conn):
        self.name, self.label = name, label
        self.conn = psycopg2.connect(**conn)
        self.conn.autocommit = True
        self.mem_pid = mem_pid_fn(self.conn)

    def query(self, sql, timeout):
        """(seconds, rows) of sql; raises QueryTimeout or the driver's error."""
        fired = threading.Event()

        def cancel():
            fired.set()
            self.conn.cancel()
        timer = threading.Timer(timeout, cancel)
        cur = self.conn.cursor()
        timer.start()
        try:
            t0 = time.perf_counter()
            cur.execute(sql)
            rows = cur.fetchall() if cur.description else []
            secs = time.perf_counter() - t0
        except psycopg2.Error:
            if fired.is_set():
                raise QueryTimeout()
            raise
        finally:
            timer.cancel()
            cur.close()
        return secs, rows


class DuckDbEngine:
    """DuckDB in a node process (bench/duckdb_runner.mjs), over views on the Parquet folders."""

    def __init__(self, parquet_dir=None):
        self.name, self.label = "duckdb", "DuckDB (Parquet)"
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "duckdb_runner.mjs")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.mem_pid = self.proc.pid
        if parquet_dir:
            for t in TABLES:
                self.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{parquet_dir}/{t}/*.parquet')")

    def _call(self, req):
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("duckdb runner exited")
        return json.loads(line)

    def execute(self, sql):
        r = self._call({"op": "exec", "sql": sql})
        if not r["ok"]:
            raise RuntimeError(r["error"])

    def query(self, sql, timeout):
        r = self._call({"op": "query", "sql": sql, "timeout": timeout})
        if r.get("timeout"):
            raise QueryTimeout()
        if not r["ok"]:
            raise RuntimeError(r["error"])
        return r["secs"], r["rows"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def ferry(name, label, dbname, search_path):
    return PgEngine(name, label, lambda c: int(ENV["FERRY_PID"]), host="127.0.0.1",
                    port=ENV["FERRY_PORT"], user="admin", dbname=dbname,
                    options=f"-c search_path={search_path}")


def backend_pid(conn):
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    return cur.fetchone()[0]


def postgres(dbname="tpch"):
    return PgEngine("postgresql", "PostgreSQL 15", backend_pid, host=ENV["PG_HOST"],
                    port=ENV["PG_PORT"], user="postgres", dbname=dbname)


# --- comparing answers -------------------------------------------------------------------

NUM_RE = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def norm_cell(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float, decimal.Decimal)):
        return float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    s = str(v)
    return float(s) if NUM_RE.match(s) else s.rstrip()


def sort_key(row):
    # Numbers are rounded in the key only, so that two engines' last-digit differences cannot
    # reorder rows; the comparison itself uses a tolerance.
    return tuple((0, "") if c is None else (1, round(c, 2)) if isinstance(c, float) else (2, str(c))
                 for c in row)


def same_cell(a, b):
    if isinstance(a, float) and isinstance(b, float):
        # numeric display scales differ between engines (avg of a numeric(12,2)); doubles
        # summed in a different order differ in the last digits
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.01)
    return a == b


def compare(ref, got):
    """None when got has the rows of ref (in any order), else a one-line difference."""
    ref = sorted((tuple(norm_cell(c) for c in r) for r in ref), key=sort_key)
    got = sorted((tuple(norm_cell(c) for c in r) for r in got), key=sort_key)
    if len(ref) != len(got):
        return f"{len(got)} rows, PostgreSQL has {len(ref)}"
    for i, (a, b) in enumerate(zip(ref, got)):
        if len(a) != len(b) or not all(same_cell(x, y) for x, y in zip(a, b)):
            return f"row {i}: {list(b)} but PostgreSQL has {list(a)}"
    return None


# --- measuring ---------------------------------------------------------------------------

def measure(engine, sql, runs, timeout):
    """Runs sql up to `runs` times on engine: a dict with status, median secs, peak MiB, rows."""
    times, peak, rows = [], None, None
    for i in range(runs):
        reset_hwm(engine.mem_pid)
        try:
            secs, got = engine.query(sql, timeout)
        except QueryTimeout:
            return {"status": "timeout", "error": f"over {timeout} s", "runs": i}
        except Exception as e:  # the engine's own error text is the result
            return {"status": "error", "error": str(e).strip().splitlines()[0][:200], "runs": i}
        hwm = read_hwm_mb(engine.mem_pid)
        peak = hwm if peak is None or (hwm or 0) > peak else peak
        times.append(secs)
        if rows is None:
            rows = got
        # A query slower than a fifth of the timeout is not repeated: the whole bench must fit
        # its time budget. The JSON says how many runs the median is of.
        if secs > timeout / 5:
            break
    return {"status": "ok", "secs": statistics.median(times), "all_secs": times,
            "runs": len(times), "peak_mb": peak, "_rows": rows}


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def tpch(engines, runs, timeout):
    results = {}
    for q in sorted(glob.glob(os.path.join(QDIR, "q*.sql"))):
        name = os.path.basename(q)[:-4]
        sql = open(q).read().strip().rstrip(";")
        results[name] = {}
        ref = None
        for e in engines:
            r = measure(e, sql, runs, timeout)
            if e.name == "postgresql" and r["status"] == "ok":
                ref = r["_rows"]
            results[name][e.name] = r
        for e in engines:
            r = results[name][e.name]
            if r["status"] == "ok":
                r["rows"] = len(r["_rows"])
                if ref is not None and e.name != "postgresql":
                    diff = compare(ref, r.pop("_rows"))
                    if diff:
                        r["mismatch"] = diff
                        log(f"ERROR {name} {e.name}: answer differs from PostgreSQL: {diff}")
                r.pop("_rows", None)
        log(f"{name}: " + "  ".join(f"{e.name}={fmt_cell(results[name][e.name])}" for e in engines))
        # kept as the run goes, so that an interrupted run still leaves its figures
        with open(ENV["OUT"] + ".partial.json", "w") as f:
            json.dump(results, f, indent=1)
    return results


def fmt_cell(r):
    if r is None:
        return "not available"
    if r["status"] != "ok":
        return r["status"]
    s = f"{r['secs']:.3f}"
    return s + " (wrong answer)" if "mismatch" in r else s


# --- federation ---------------------------------------------------------------------------

FED_JOIN = """SELECT o.o_orderkey, o.o_orderdate, p.name, p.price, o.o_totalprice * p.price AS value,
       o.o_totalprice - p.price AS diff
FROM {orders} o JOIN {products} p ON o.o_custkey = p.productkey
WHERE p.category = 'tools' AND p.price > 100 AND o.o_orderdate < DATE '1995-01-01'
  AND o.o_orderstatus = 'F'
ORDER BY value DESC, o.o_orderkey"""


def federation(fe_tpch, fe_pg, pg, runs, timeout, fe_s3=None):
    """The seeds' federated join in Ferry against PostgreSQL doing it alone: orders (Parquet on
    S3; tpch) with products from PostgreSQL against both tables loaded into PostgreSQL (the
    ETL-first baseline), and orders and products in two PostgreSQL databases against
    postgres_fdw. Each Ferry answer is compared with PostgreSQL's."""
    pgc = pg.conn.cursor()
    pgc.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw")
    pgc.execute(f"CREATE SERVER tpch2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS "
                f"(host '127.0.0.1', port '{ENV['PG_PORT']}', dbname 'tpch2')")
    pgc.execute("CREATE USER MAPPING FOR postgres SERVER tpch2 OPTIONS (user 'postgres')")
    pgc.execute("CREATE SCHEMA fdw")
    pgc.execute("IMPORT FOREIGN SCHEMA public LIMIT TO (products) FROM SERVER tpch2 INTO fdw")
    pgc.close()
    cases = []
    if fe_s3:
        cases.append(("Parquet orders on S3 x PostgreSQL products", fe_s3,
                      FED_JOIN.format(orders="hive_s3.tpch.orders", products="pg.public.products"),
                      "PostgreSQL, both tables loaded into it",
                      FED_JOIN.format(orders="orders", products="products")))
    cases += [
        ("tpch orders x PostgreSQL products",
         fe_tpch, FED_JOIN.format(orders=f"tpch_std.{ENV['SCHEMA']}.orders", products="pg.public.products"),
         "PostgreSQL, both tables local", FED_JOIN.format(orders="orders", products="products")),
        ("PostgreSQL db tpch orders x db tpch2 products",
         fe_pg, FED_JOIN.format(orders="pg.public.orders", products="pg2.public.products"),
         "PostgreSQL + postgres_fdw", FED_JOIN.format(orders="orders", products="fdw.products")),
    ]
    out = []
    for title, fe, fsql, pg_label, psql in cases:
        p = measure(pg, psql, runs, timeout)
        f = measure(fe, fsql, runs, timeout)
        if f["status"] == "ok" and p["status"] == "ok":
            diff = compare(p["_rows"], f["_rows"])
            if diff:
                f["mismatch"] = diff
                log(f"ERROR federation '{title}': answer differs from PostgreSQL: {diff}")
            f["rows"] = p["rows"] = len(p["_rows"])
        f.pop("_rows", None)
        p.pop("_rows", None)
        out.append({"join": title, "ferry": f, "other": p, "other_label": pg_label})
        log(f"federation {title}: ferry={fmt_cell(f)} {pg_label}={fmt_cell(p)}")
    return out


# --- protocol -----------------------------------------------------------------------------

def pgbench(script, port, host, user, db, mode, clients, seconds):
    """Transactions per second of one pgbench run, or the error text."""
    env = dict(ENV, PGOPTIONS="")
    cmd = ["pgbench", "-n", "-M", mode, "-c", str(clients), "-j", str(min(clients, 2)),
           "-T", str(seconds), "-h", host, "-p", str(port), "-U", user, "-f", script, db]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds * 4 + 60)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "error": f"pgbench -T {seconds} still running after {seconds * 4 + 60} s"}
    m = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)", p.stdout, re.M)
    failed = re.search(r"^number of failed transactions: (\d+)", p.stdout, re.M)
    done = re.search(r"^number of transactions actually processed: (\d+)", p.stdout, re.M)
    if p.returncode == 0 and done and int(done.group(1)) == 0:
        conn = re.search(r"^initial connection time = ([0-9.]+) ms", p.stdout, re.M)
        return {"status": "error", "error": f"no transaction completed within -T {seconds}"
                + (f" (initial connection time {conn.group(1)} ms)" if conn else "")}
    if p.returncode != 0 or not m or (failed and int(failed.group(1)) > 0):
        err = (p.stderr.strip().splitlines() or p.stdout.strip().splitlines() or ["no output"])[-1]
        return {"status": "error", "error": f"exit status {p.returncode}: {err[:200]}"}
    lat = re.search(r"^latency average = ([0-9.]+) ms", p.stdout, re.M)
    return {"status": "ok", "tps": float(m.group(1)), "latency_ms": float(lat.group(1)) if lat else None}


def protocol(runs):
    secs = int(ENV.get("PGBENCH_SECONDS", "5"))
    maxkey = int(6000000 * float(ENV["SF"]))
    scripts = {}
    for name, body in [("select1", "SELECT 1;\n"),
                       ("point_ferry", f"\\set k random(1, {maxkey})\n"
                                       "SELECT o_orderkey, o_totalprice, o_orderdate FROM pg.public.orders WHERE o_orderkey = :k;\n"),
                       ("point_pg", f"\\set k random(1, {maxkey})\n"
                                    "SELECT o_orderkey, o_totalprice, o_orderdate FROM orders WHERE o_orderkey = :k;\n")]:
        path = os.path.join(ENV["DATA"], f"pgbench-{name}.sql")
        with open(path, "w") as f:
            f.write(body)
        scripts[name] = path
    ferry_srv = ("127.0.0.1", ENV["FERRY_PORT"], "admin", "tpch_std")
    pg_srv = (ENV["PG_HOST"], ENV["PG_PORT"], "postgres", "tpch")
    out = []
    for query, fscript, pscript in [("SELECT 1", "select1", "select1"),
                                    ("point query on orders (Ferry: postgresql catalog)", "point_ferry", "point_pg")]:
        for mode in ["simple", "extended", "prepared"]:
            for clients in [1, 8, 32]:
                f = pgbench(scripts[fscript], ENV["FERRY_PORT"], ferry_srv[0], "admin", "tpch_std", mode, clients, secs)
                p = pgbench(scripts[pscript], pg_srv[1], pg_srv[0], "postgres", "tpch", mode, clients, secs)
                out.append({"query": query, "mode": mode, "clients": clients, "ferry": f, "postgresql": p})
                log(f"pgbench {query} -M {mode} -c {clients}: ferry={f.get('tps', f.get('error'))} "
                    f"postgresql={p.get('tps', p.get('error'))}")
    # rows per second of a large result streamed to psql
    nrows = count_csv_rows("lineitem")
    stream = []
    for label, host, port, user, db, sql in [
            ("Ferry (tpch)", "127.0.0.1", ENV["FERRY_PORT"], "admin", "tpch_std",
             f"SELECT * FROM tpch_std.{ENV['SCHEMA']}.lineitem"),
            ("Ferry (postgresql catalog)", "127.0.0.1", ENV["FERRY_PORT"], "admin", "pg",
             "SELECT * FROM pg.public.lineitem"),
            ("PostgreSQL 15", ENV["PG_HOST"], ENV["PG_PORT"], "postgres", "tpch", "SELECT * FROM lineitem")]:
        times, err = [], None
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run(["psql", "-X", "-q", "-At", "-h", host, "-p", str(port), "-U", user, "-d", db,
                                "-c", sql], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            t = time.perf_counter() - t0
            if p.returncode != 0:
                err = p.stderr.strip()[:200]
                break
            times.append(t)
            if t > 12:  # as a slow TPC-H query: one run is enough to read its rate
                break
        r = {"engine": label, "rows": nrows}
        r.update({"status": "error", "error": err} if err else
                 {"status": "ok", "secs": statistics.median(times), "rows_per_sec": nrows / statistics.median(times)})
        stream.append(r)
        log(f"stream lineitem to psql, {label}: {r.get('rows_per_sec', r.get('error'))}")
    return {"pgbench": out, "pgbench_seconds": secs, "stream": stream}


def count_csv_rows(table):
    with open(os.path.join(ENV["DATA"], "csv", f"{table}.csv"), "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b"")) - 1


# --- the machine ----------------------------------------------------------------------------

def load_text(res):
    """The load averages measured around the run, when the results have them (older ones do not)."""
    if "load" not in res:
        return ""
    f = lambda la: "/".join(f"{x:.2f}" for x in la)
    return (f" Load average (1/5/15 min) {f(res['load']['start'])} when the queries started and "
            f"{f(res['load']['end'])} when they ended, on {res['machine']['cores']} cores: more than the "
            f"core count means other work competed with the engines.")


def machine(duck):
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    ferry_v = subprocess.run([ENV.get("FERRY_BIN", "build/ferry"), "--version"], capture_output=True, text=True).stdout.strip()
    pg = postgres()
    pgv = pg.query("SELECT version()", 30)[1][0][0]
    pg.conn.close()
    dv = duck.query("SELECT version()", 30)[1][0][0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 1048576, 1),
            "kernel": platform.release(), "ferry": ferry_v, "ferry_commit": commit,
            "postgresql": pgv, "duckdb": dv, "python": platform.python_version()}


# --- commands -------------------------------------------------------------------------------

def duck_type(t):
    t = t.lower()
    if t.startswith("numeric"):
        return "DECIMAL" + t[len("numeric"):]
    if "char" in t or t == "text":
        return "VARCHAR"
    return t.upper()


PARQUET_FILE_BYTES = os.environ.get("PARQUET_FILE_BYTES", "16MB")


def write_parquet():
    duck = DuckDbEngine()
    duck.execute("SET preserve_insertion_order = false")
    for t in TABLES:
        cols = []
        for line in open(os.path.join(ENV["DATA"], "csv", f"{t}.desc")):
            f = line.rstrip("\n").split("|")
            cols.append(f"'{f[0]}': '{duck_type(f[1])}'")
        os.makedirs(os.path.join(ENV["DATA"], "parquet", t), exist_ok=True)
        # Files of at most PARQUET_FILE_BYTES, as a table written by several writers would be: the
        # S3 server (moto) reads a whole object for every ranged GET, so one 150 MB lineitem file
        # makes every request slow there, which would measure moto, not the reader.
        duck.execute(f"COPY (SELECT * FROM read_csv('{ENV['DATA']}/csv/{t}.csv', header = true, "
                     f"columns = {{{', '.join(cols)}}})) TO '{ENV['DATA']}/parquet/{t}' "
                     f"(FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES '{PARQUET_FILE_BYTES}', "
                     f"OVERWRITE_OR_IGNORE true)")
    duck.close()


ENGINE_COLS = [("ferry_tpch", "Ferry (tpch)"), ("ferry_pg", "Ferry (postgresql)"),
               ("ferry_hive", "Ferry (hive/Parquet)"), ("ferry_s3", "Ferry (hive/S3)"),
               ("duckdb", "DuckDB (Parquet)"), ("postgresql", "PostgreSQL 15")]
RATIOS = [("ferry_tpch", "duckdb"), ("ferry_tpch", "postgresql"), ("ferry_pg", "postgresql"),
          ("ferry_hive", "duckdb"), ("ferry_s3", "duckdb"), ("ferry_s3", "ferry_hive")]
# DuckDB reads the S3 copy of its files only through its httpfs extension, which is not
# installed here and cannot be downloaded offline: stated in the table, never a figure.
DUCKDB_S3 = ("DuckDB (S3)", "not measured: DuckDB's httpfs extension is not installed and cannot "
             "be downloaded without internet access, so DuckDB can neither write nor read S3 here "
             "(the S3 objects are DuckDB's local files uploaded byte for byte)")


def present(res):
    """The engine columns of a result: those it measured (older results: hive flag only)."""
    if "engines" in res:
        return [c for c in ENGINE_COLS if c[0] in res["engines"]]
    return [c for c in ENGINE_COLS if c[0] != "ferry_s3" and (res.get("hive") or c[0] != "ferry_hive")]


def run():
    runs, timeout = int(ENV["RUNS"]), float(ENV["TIMEOUT"])
    started = time.time()
    duck = DuckDbEngine(os.path.join(ENV["DATA"], "parquet"))
    engines = [ferry("ferry_tpch", "Ferry (tpch)", "tpch_std", ENV["SCHEMA"]),
               ferry("ferry_pg", "Ferry (postgresql)", "pg", "public")]
    if ENV.get("HIVE") == "yes":
        engines.append(ferry("ferry_hive", "Ferry (hive/Parquet)", "hive", "tpch"))
    s3 = ENV.get("S3", "not available")
    if s3 == "yes":
        engines.append(ferry("ferry_s3", "Ferry (hive/S3)", "hive_s3", "tpch"))
    engines += [duck, postgres()]
    res = {"date": datetime.date.today().isoformat(), "sf": ENV["SF"], "runs": runs, "timeout_s": timeout,
           "machine": machine(duck), "hive": ENV.get("HIVE") == "yes", "s3": s3,
           "engines": [e.name for e in engines],
           "command": f"make bench SF={ENV['SF']} RUNS={runs} TIMEOUT={ENV['TIMEOUT']} "
                      f"PGBENCH_SECONDS={ENV.get('PGBENCH_SECONDS', '5')}"}
    load_start = list(os.getloadavg())
    res["tpch"] = tpch(engines, runs, timeout)
    res["federation"] = federation(engines[0], engines[1], engines[-1], runs, timeout,
                                   next((e for e in engines if e.name == "ferry_s3"), None))
    res["protocol"] = protocol(runs)
    res["elapsed_s"] = round(time.time() - started)
    res["load"] = {"start": load_start, "end": list(os.getloadavg())}
    duck.close()
    os.unlink(ENV["OUT"] + ".partial.json")
    with open(ENV["OUT"] + ".json", "w") as f:
        json.dump(res, f, indent=1)
    with open(ENV["OUT"] + ".md", "w") as f:
        f.write(markdown(res))
    with open(ENV["OUT"] + ".dat", "w") as f:
        f.write(chart_data(res))
    print(markdown(res))
    bad = mismatches(res)
    for b in bad:
        log(f"ERROR {b}")
    log(f"bench: {len(bad)} answer(s) differ between engines" if bad else "bench: every answer matched")
    sys.exit(1 if bad else 0)


def mismatches(res):
    """One line per answer that differs from the reference engine's, over the whole run."""
    out = [f"{q} {c}: answer differs from PostgreSQL: {x['mismatch']}"
           for q, r in res["tpch"].items() for c, x in r.items() if x and "mismatch" in x]
    out += [f"federation '{f['join']}': answer differs from {f['other_label']}: {f['ferry']['mismatch']}"
            for f in res["federation"] if "mismatch" in f["ferry"]]
    return out


def ratio(a, b):
    if a and b and a.get("status") == "ok" and b.get("status") == "ok" and "mismatch" not in a:
        return a["secs"] / b["secs"]
    return None


def slowdowns(tp, a, b, timeout):
    """(ratio, is_lower_bound, query) of a over b; a timeout of a counts as the timeout's ratio,
    a lower bound."""
    out = []
    for q, r in tp.items():
        v = ratio(r.get(a), r.get(b))
        if v is not None:
            out.append((v, False, q))
        elif r.get(a) and r[a]["status"] == "timeout" and r.get(b) and r[b]["status"] == "ok":
            out.append((timeout / r[b]["secs"], True, q))
    return out


def markdown(res):
    cols = present(res)
    have = {c for c, _ in cols}
    ratios = [(a, b) for a, b in RATIOS if a in have and b in have]
    L = [f"# Ferry benchmarks, TPC-H SF {res['sf']}, {res['date']}", "",
         f"`{res['command']}` on {res['machine']['cores']} cores, {res['machine']['ram_gib']} GiB RAM "
         f"({res['machine']['cpu']}); {res['machine']['ferry']} ({res['machine']['ferry_commit']}), "
         f"{res['machine']['postgresql'].split(',')[0]}, DuckDB {res['machine']['duckdb']}. "
         f"Median of {res['runs']} runs (a query slower than {res['timeout_s'] / 5:.0f} s runs once), "
         f"timeout {res['timeout_s']:.0f} s per query.{load_text(res)} Total {res['elapsed_s']} s.", ""]
    if "ferry_hive" not in have:
        L += ["Ferry (hive/Parquet): not available (this build has no hive connector).", ""]
    if "ferry_s3" not in have and res.get("s3"):
        L += [f"Ferry (hive/S3): {res['s3']}.", ""]
    L += ["## TPC-H: wall time in seconds (peak RSS MiB)", ""]
    label = dict(ENGINE_COLS)
    s3col = "ferry_s3" in have
    head = (["query"] + [c[1] for c in cols] + ([DUCKDB_S3[0]] if s3col else []) +
            [f"{label[a]} / {label[b]}" for a, b in ratios])
    L += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    tp = res["tpch"]
    for q, r in tp.items():
        cells = [q]
        for c, _ in cols:
            cells.append(fmt_measure(r[c]) if r.get(c) else fmt_cell(None))
        if s3col:
            cells.append("not measured¹")
        for a, b in ratios:
            v = ratio(r.get(a), r.get(b))
            cells.append(f"{v:.2f}" if v is not None else "—")
        L.append("| " + " | ".join(cells) + " |")
    # geometric means: each engine over the queries every engine answered correctly
    common = [q for q, r in tp.items() if all(r.get(c) and r[c]["status"] == "ok" and "mismatch" not in r[c]
                                                 for c, _ in cols)]
    cells = [f"geomean ({len(common)} common)"]
    for c, _ in cols:
        g = geomean([tp[q][c]["secs"] for q in common])
        cells.append(f"{g:.3f}" if g else "—")
    if s3col:
        cells.append("—")
    for a, b in ratios:
        rs = [ratio(r.get(a), r.get(b)) for r in tp.values()]
        rs = [x for x in rs if x is not None]
        g = geomean(rs)
        cells.append(f"{g:.2f} ({len(rs)})" if g else "—")
    L += ["| " + " | ".join(cells) + " |", ""]
    L += ["Ratios above 1 mean Ferry is slower; a ratio's geomean is over the queries both engines "
          "answered correctly (count in brackets). Peak RSS: Ferry's process, DuckDB's (in-process, "
          "node) process, PostgreSQL's backend (parallel workers and shared buffers read by others not "
          "counted). Ferry (postgresql) counts Ferry only, not the PostgreSQL backends that serve it.", ""]
    if s3col:
        L += [f"¹ {DUCKDB_S3[0]}: {DUCKDB_S3[1]}. Ferry (hive/S3) reads those objects from moto_server "
              "(signature-checking mode, on this machine), so its figures include the S3 protocol "
              "but no network latency.", ""]
    worst = sorted(slowdowns(tp, "ferry_tpch", "duckdb", res["timeout_s"]), reverse=True)[:3]
    if worst:
        L += ["Slowest relative to DuckDB (Ferry over tpch): " +
              ", ".join(f"{q} ({'over ' if lb else ''}{v:.1f}x{', timed out' if lb else ''})"
                        for v, lb, q in worst) + ".", ""]
    errors = [(q, c, r[c]) for q, r in tp.items() for c, _ in cols
              if r.get(c) and (r[c]["status"] != "ok" or "mismatch" in r[c])]
    if errors:
        L += ["Failures, timeouts and wrong answers:", ""]
        L += [f"- ERROR {q} {c}: answer differs from PostgreSQL: {x['mismatch']}" if "mismatch" in x
              else f"- {q} {c}: {x['status']}: {x['error']}" for q, c, x in errors]
        L.append("")
    L += ["## Federated joins: wall time in seconds (peak RSS MiB)", "",
          "| join | Ferry | other | other engine | Ferry/other |", "|---|---|---|---|---|"]
    for f in res["federation"]:
        v = ratio(f["ferry"], f["other"])
        fe, ot = fmt_measure(f["ferry"]), fmt_measure(f["other"])
        L.append(f"| {f['join']} | {fe} | {ot} | {f['other_label']} | {'%.2f' % v if v else '—'} |")
    for f in res["federation"]:
        if "mismatch" in f["ferry"]:
            L.append(f"\nERROR federation {f['join']}: {f['ferry']['mismatch']}")
    if res["federation"] and all("rows" in f["ferry"] for f in res["federation"]):
        L += ["", "Rows per answer: " + ", ".join(f"{f['join']} {f['ferry']['rows']}" for f in res["federation"]) +
              "; every Ferry answer is compared with PostgreSQL's. Peak RSS: Ferry's process; "
              "PostgreSQL's backend (with postgres_fdw, the backend running the query, not the one "
              "serving the foreign table)."]
    pr = res["protocol"]
    L += ["", f"## Protocol: pgbench transactions per second (-T {pr['pgbench_seconds']})", "",
          "| query | mode | clients | Ferry | PostgreSQL | Ferry/PostgreSQL |", "|---|---|---|---|---|---|"]
    for b in pr["pgbench"]:
        f, p = b["ferry"], b["postgresql"]
        fv = fmt_tps(f)
        pv = fmt_tps(p)
        r = f"{f['tps'] / p['tps']:.3g}" if f["status"] == "ok" and p["status"] == "ok" and p["tps"] else "—"
        L.append(f"| {b['query']} | {b['mode']} | {b['clients']} | {fv} | {pv} | {r} |")
    L += ["", "## Protocol: lineitem streamed to psql (rows per second)", "",
          "| source | rows | seconds | rows/s |", "|---|---|---|---|"]
    for s in pr["stream"]:
        if s["status"] == "ok":
            L.append(f"| {s['engine']} | {s['rows']} | {s['secs']:.2f} | {s['rows_per_sec']:.0f} |")
        else:
            L.append(f"| {s['engine']} | {s['rows']} | error: {s['error']} | — |")
    return "\n".join(L) + "\n"


def fmt_measure(x):
    """A measurement as a table cell: seconds (peak MiB), or what went wrong."""
    if x["status"] != "ok":
        return f"{x['status']}: {x['error']}".replace("|", "\\|")
    cell = fmt_cell(x)
    return cell + (f" ({x['peak_mb']:.0f})" if x.get("peak_mb") is not None else "")


def fmt_tps(b):
    if b["status"] != "ok":
        return f"{b['status']}: {b['error']}"
    return f"{b['tps']:.0f}" if b["tps"] >= 100 else f"{b['tps']:.3g}"


def chart_data(res):
    """gnuplot input: one line per query, seconds per engine ('-' when no figure)."""
    cols = [c for c, _ in present(res)]
    lines = ["query " + " ".join('"%s"' % dict(ENGINE_COLS)[c] for c in cols)]
    for q, r in res["tpch"].items():
        vals = [("%.4f" % r[c]["secs"]) if r.get(c) and r[c]["status"] == "ok" else "-" for c in cols]
        lines.append(q + " " + " ".join(vals))
    return "\n".join(lines) + "\n"


def md():
    """OUT.md and OUT.dat again from OUT.json (after a change to the report's form)."""
    res = json.load(open(ENV["OUT"] + ".json"))
    with open(ENV["OUT"] + ".md", "w") as f:
        f.write(markdown(res))
    with open(ENV["OUT"] + ".dat", "w") as f:
        f.write(chart_data(res))


def docs():
    res = json.load(open(ENV["OUT"] + ".json"))
    m = res["machine"]
    body = markdown(res).split("\n", 2)[2]
    text = f"""# Benchmarks

The latest full run of `bench/` (bench/README.md says what is measured and how). Reproduce with

```sh
{res['command']}
```

Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}, Debian 12;
{m['ferry']} at {m['ferry_commit']}; {m['postgresql']}; DuckDB {m['duckdb']} (npm @duckdb/node-api).
Raw figures: `bench/results/{os.path.basename(ENV['OUT'])}.json`; chart:
`bench/results/{os.path.basename(ENV['OUT'])}.png`.

![TPC-H times](../bench/results/{os.path.basename(ENV['OUT'])}.png)

## TPC-H SF {res['sf']}, {res['date']}

{body}"""
    # The hand-written part (notes on runs, profiles) from the marker on survives a rewrite.
    try:
        kept = open("docs/BENCHMARKS.md").read()
    except OSError:
        kept = ""
    at = kept.find(NOTES_MARKER)
    text += "\n" + (kept[at:] if at >= 0 else NOTES_MARKER + "\n")
    with open("docs/BENCHMARKS.md", "w") as f:
        f.write(text)


NOTES_MARKER = "<!-- Written by hand from here on: bench.py docs keeps this part when it rewrites the page. -->"


if __name__ == "__main__":
    {"write-parquet": write_parquet, "run": run, "docs": docs, "md": md}[sys.argv[1]]()
