#!/usr/bin/python3
"""Ferry's sqllogictest runner: runs sqllogictest (.test) files against Ferry's memory
catalog, or against a real PostgreSQL, in a fresh schema per file, and compares every
record with the expectations written in the file. It never writes an expected result
itself: the corpus and tests/slt/expected-failures.txt are the only expectations.

Each record ends as passed, failed, unsupported (the server refused it with SQLSTATE
0A000, or its syntax is not in PostgreSQL's grammar: 42601) or skipped (skipif/onlyif,
halt). See tests/slt/README.md for the rules this follows.
"""

import argparse
import hashlib
import math
import os
import re
import sys
import threading
import time
from decimal import Decimal

import psycopg2
import psycopg2.extensions

DBNAME = "postgresql"  # the name skipif/onlyif lines use for this runner
CREATE_RE = re.compile(r"^\s*CREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)
MISSING_RE = re.compile(r'relation "(\w+)" does not exist')
HASH_RE = re.compile(r"^(\d+) values hashing to ([0-9a-f]{32})$")


# --- parsing ---------------------------------------------------------------------------

class Record:
    """One record of a script: kind is statement, query, halt, hash-threshold or unknown."""

    def __init__(self, kind, line, conds):
        self.kind = kind
        self.line = line          # 1-based line of the statement/query/control line
        self.conds = conds        # [(skipif|onlyif, dbname)]
        self.expect_error = False
        self.sql = ""
        self.types = ""
        self.sort = "nosort"
        self.label = None
        self.results = None       # list of expected lines, None when no "----"
        self.arg = None
        self.header = ""


def parse(path):
    """Records of a script. Comment lines are dropped before anything else (they neither
    separate records nor belong to the SQL); trailing white space is trimmed, as the
    reference implementation does."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [(i + 1, l.rstrip()) for i, l in enumerate(f) if not l.startswith("#")]
    records, block = [], []
    for item in lines + [(0, "")]:
        if item[1] != "":
            block.append(item)
            continue
        if block:
            records.append(parse_block(block))
            block = []
    return records


def parse_block(block):
    conds = []
    i = 0
    while i < len(block):
        words = block[i][1].split()
        if words[0] in ("skipif", "onlyif") and len(words) >= 2:
            conds.append((words[0], words[1]))
            i += 1
            continue
        break
    if i == len(block):
        r = Record("unknown", block[-1][0], conds)
        r.header = block[-1][1]
        return r
    lineno, head = block[i]
    words = head.split()
    body = [l for _, l in block[i + 1:]]
    if words[0] == "statement":
        r = Record("statement", lineno, conds)
        r.expect_error = len(words) > 1 and words[1] == "error"
        if len(words) < 2 or words[1] not in ("ok", "error"):
            r.kind = "unknown"
        r.sql = "\n".join(body)
    elif words[0] == "query":
        r = Record("query", lineno, conds)
        r.types = words[1] if len(words) > 1 else ""
        r.sort = words[2] if len(words) > 2 else "nosort"
        r.label = words[3] if len(words) > 3 else None
        if "----" in body:
            k = body.index("----")
            r.sql, r.results = "\n".join(body[:k]), body[k + 1:]
        else:
            r.sql, r.results = "\n".join(body), []
        if r.sort not in ("nosort", "rowsort", "valuesort") or not r.types:
            r.kind = "unknown"
    elif words[0] == "halt":
        r = Record("halt", lineno, conds)
    elif words[0] == "hash-threshold" and len(words) == 2 and words[1].isdigit():
        r = Record("hash-threshold", lineno, conds)
        r.arg = int(words[1])
    else:
        r = Record("unknown", lineno, conds)
    r.header = head
    return r


def applies(conds):
    """skipif NAME skips the record for that database, onlyif NAME for every other one."""
    for kind, db in conds:
        if kind == "skipif" and db == DBNAME:
            return False
        if kind == "onlyif" and db != DBNAME:
            return False
    return True


# --- rendering as the reference runner does ------------------------------------------------
# The reference results come from SQLite: an I column is sqlite3_column_int() of the value
# (reals truncated toward zero, text read as its leading integer), R is printf("%.3f") of
# sqlite3_column_double(), T the value's text. SQLite has no booleans (comparisons are 1/0),
# so true/false render as 1/0 in every column type.

INT_PREFIX = re.compile(r"^\s*[-+]?\d+")
REAL_PREFIX = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def as_int(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, (float, Decimal)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return 0
        if isinstance(v, Decimal) and not v.is_finite():
            return 0
        return int(v)  # truncates toward zero
    m = INT_PREFIX.match(str(v))
    return int(m.group(0)) if m else 0


def as_real(v):
    if isinstance(v, (bool, int, float, Decimal)):
        return float(v)
    m = REAL_PREFIX.match(str(v))
    return float(m.group(0)) if m else 0.0


def sqlite_real_text(f):
    """SQLite's text of a REAL: %!.15g, which keeps a ".0" on integral values."""
    if math.isnan(f) or math.isinf(f):
        return str(f)
    s = "%.15g" % f
    if "e" not in s and "." not in s:
        s += ".0"
    return s


def render(v, t):
    if v is None:
        return "NULL"
    if t == "I":
        return "%d" % as_int(v)
    if t == "R":
        return "%.3f" % as_real(v)
    if isinstance(v, bool):
        s = "1" if v else "0"
    elif isinstance(v, (float, Decimal)):
        s = sqlite_real_text(float(v))
    else:
        s = str(v)
    if s == "":
        return "(empty)"
    return "".join(c if " " <= c <= "~" else "@" for c in s)


def md5_of(values):
    h = hashlib.md5()
    for v in values:
        h.update(v.encode("utf-8", "replace"))
        h.update(b"\n")
    return h.hexdigest()


# --- running -----------------------------------------------------------------------------

class Watchdog(threading.Thread):
    """Cancels the statement in flight after `limit` seconds (a hung query must fail its
    record, not stall the run)."""

    def __init__(self, conn, limit):
        super().__init__(daemon=True)
        self.conn, self.limit = conn, limit
        self.started = None
        self.fired = False
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def arm(self):
        with self.lock:
            self.started, self.fired = time.monotonic(), False

    def disarm(self):
        with self.lock:
            self.started = None

    def run(self):
        while not self.stop.wait(0.5):
            with self.lock:
                if self.started is not None and time.monotonic() - self.started > self.limit:
                    self.fired, self.started = True, None
                    try:
                        self.conn.cancel()
                    except Exception:
                        pass


class Outcome:
    def __init__(self, status, detail="", sqlstate=None):
        self.status, self.detail, self.sqlstate = status, detail, sqlstate


def one_line(s, n=140):
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 3] + "..."


class FileRun:
    def __init__(self, args, path, name):
        self.args, self.path, self.name = args, path, name
        self.counts = dict(records=0, passed=0, failed=0, unsupported=0, skipped=0)
        self.outcomes = []        # (line, status, reason)
        self.log = []
        self.hash_threshold = 0
        self.labels = {}
        self.lost = None          # why the connection went away, if it did
        self.refused = {}         # table/view name -> line of its unsupported CREATE
        self.listed = {}          # the gate's list: its records are not reported one by one

    def connect(self):
        a = self.args
        if a.target == "postgres":
            conn = psycopg2.connect(a.dsn)
        else:
            conn = psycopg2.connect(host=a.host, port=a.port, user=a.user, dbname=a.dbname,
                                    connect_timeout=10)
        conn.autocommit = True
        return conn

    def run(self):
        records = parse(self.path)
        schema = "slt_%s_%d" % (re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_"), os.getpid())
        t0 = time.monotonic()
        try:
            self.conn = self.connect()
        except Exception as e:
            self.lost = "cannot connect: %s" % one_line(e)
            self.log.append("FAIL %s: %s" % (self.name, self.lost))
            return
        self.dog = Watchdog(self.conn, self.args.timeout)
        self.dog.start()
        cur = self.conn.cursor()
        try:
            cur.execute("CREATE SCHEMA %s" % schema)
            cur.execute("SET search_path = %s" % schema)
        except Exception as e:
            self.lost = "cannot set up schema %s: %s" % (schema, one_line(e))
            self.log.append("FAIL %s: %s" % (self.name, self.lost))
            return
        halted = False
        for r in records:
            if r.kind in ("statement", "query"):
                self.counts["records"] += 1
                if halted or self.lost or not applies(r.conds):
                    self.counts["skipped"] += 1
                    continue
                o = self.run_record(cur, r)
                self.counts[o.status] += 1
                if o.status != "passed":
                    self.outcomes.append((r.line, o.status, o.detail))
                if self.lost:
                    self.log.append("FAIL %s:%d: connection lost (%s); rest of the file not run"
                                    % (self.name, r.line, self.lost))
            elif halted or self.lost or not applies(r.conds):
                continue
            elif r.kind == "halt":
                halted = True
            elif r.kind == "hash-threshold":
                self.hash_threshold = r.arg
            else:
                self.counts["records"] += 1
                self.counts["failed"] += 1
                self.outcomes.append((r.line, "failed", "unknown record: %s" % one_line(r.header)))
                self.log.append("FAIL %s:%d: unknown record %r" % (self.name, r.line, r.header))
        self.elapsed = time.monotonic() - t0
        if not self.lost:
            try:
                cur.execute("RESET search_path")
                cur.execute("DROP SCHEMA %s CASCADE" % schema)
            except Exception as e:
                self.log.append("note %s: DROP SCHEMA %s CASCADE failed: %s" % (self.name, schema, one_line(e)))
        self.dog.stop.set()
        try:
            self.conn.close()
        except Exception:
            pass

    def execute(self, cur, sql):
        """(rows or None, error Outcome or None)."""
        self.dog.arm()
        try:
            cur.execute(sql)
            rows = cur.fetchall() if cur.description is not None else None
            return rows, None
        except psycopg2.Error as e:
            fired = self.dog.fired
            code = getattr(e, "pgcode", None)
            # the message line only: psql's "LINE n:" context and the caret are noise here
            text = (getattr(e, "pgerror", None) or str(e)).strip().split("\n")[0]
            msg = one_line(re.sub(r"^(ERROR|FATAL):\s*", "", text))
            if self.conn.closed:
                self.lost = msg or "server closed the connection"
                return None, Outcome("failed", "connection lost: %s" % self.lost)
            if fired:
                return None, Outcome("failed", "timeout after %ds (cancelled)" % self.args.timeout)
            # 42601 is also PostgreSQL's code for some semantic errors ("multiple assignments
            # to same column"); only a real syntax error means "not PostgreSQL's dialect".
            if code == "0A000" or (code == "42601" and msg.startswith("syntax error")):
                return None, Outcome("unsupported", "%s %s" % (code, msg), code)
            return None, Outcome("failed", "error %s %s" % (code, msg), code)
        finally:
            self.dog.disarm()

    def report(self, r, what, extra=()):
        if self.args.quiet or "%s:%d" % (self.name, r.line) in self.listed:
            return
        out = ["%s %s:%d %s" % ("UNSUPPORTED" if what == "unsupported" else "FAIL", self.name, r.line, r.header)]
        out += ["    " + l for l in r.sql.split("\n")]
        out += ["  " + l for l in extra]
        self.log.append("\n".join(out))

    def run_record(self, cur, r):
        rows, err = self.execute(cur, r.sql)
        m = CREATE_RE.match(r.sql)
        if m and err is not None and err.status == "unsupported":
            self.refused[m.group(1).lower()] = r.line
        if err is not None and err.status == "failed" and err.sqlstate == "42P01":
            # A table whose CREATE was refused as unsupported: what follows from it is too.
            m = MISSING_RE.search(err.detail)
            if m and m.group(1).lower() in self.refused:
                err = Outcome("unsupported", "relation %s: its CREATE at line %d is unsupported"
                              % (m.group(1), self.refused[m.group(1).lower()]), err.sqlstate)
        if r.kind == "statement":
            if err is None and not r.expect_error:
                return Outcome("passed")
            if err is not None and r.expect_error and err.status == "failed" and err.sqlstate:
                return Outcome("passed")
            if err is None:
                o = Outcome("failed", "no error (statement error expected)")
            else:
                o = err
            self.report(r, o.status, [o.detail])
            return o
        if err is not None:
            self.report(r, err.status, [err.detail])
            return err
        return self.check_query(r, rows or [], cur)

    def check_query(self, r, rows, cur):
        ncol = len(cur.description) if cur.description else 0
        if ncol != len(r.types):
            o = Outcome("failed", "%d columns, type string %s says %d" % (ncol, r.types, len(r.types)))
            self.report(r, "failed", [o.detail])
            return o
        rendered = [[render(v, t) for v, t in zip(row, r.types)] for row in rows]
        if r.sort == "rowsort":
            rendered.sort()
        values = [v for row in rendered for v in row]
        if r.sort == "valuesort":
            values.sort()
        digest = md5_of(values)
        # Results are compared in the form the script gives them: the corpus was completed
        # with a hash threshold given on the reference runner's command line (-ht), so a
        # file without a hash-threshold record still holds hashed results.
        m = HASH_RE.match(r.results[0]) if len(r.results) == 1 else None
        if m:
            got = ["%d values hashing to %s" % (len(values), digest)]
        else:
            got = values
        if got != r.results:
            o = Outcome("failed", "wrong result")
            exp_n = int(m.group(1)) if m else len(r.results)
            if exp_n != len(values):
                o.detail = "wrong result: %d values, expected %d" % (len(values), exp_n)
            self.report(r, "failed", ["expected: " + one_line(" ".join(r.results), 400),
                                      "got:      " + one_line(" ".join(got) + (": " + " ".join(values) if m else ""), 400)])
            return o
        if r.label:
            first = self.labels.setdefault(r.label, (digest, r.line))
            if first[0] != digest:
                o = Outcome("failed", "label %s differs from line %d" % (r.label, first[1]))
                self.report(r, "failed", [o.detail])
                return o
        return Outcome("passed")


# --- the expected-failures gate -----------------------------------------------------------

def read_list(path):
    """file:line -> reason, from lines "file:line reason"; '#' starts a comment line."""
    listed = {}
    if not path or not os.path.exists(path):
        return listed
    with open(path) as f:
        for l in f:
            l = l.strip()
            if not l or l.startswith("#"):
                continue
            key, _, reason = l.partition(" ")
            listed[key] = reason
    return listed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.normpath(os.path.join(here, "../../../shared/fixtures/slt/test"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="*", help="scripts, relative to --root or as paths (default: every *.test under --root)")
    p.add_argument("--root", default=default_root, help="corpus root (default %(default)s)")
    p.add_argument("--target", choices=("ferry", "postgres"), default="ferry")
    p.add_argument("--dsn", help="libpq connection string (--target postgres)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("FERRY_PORT", "5433")))
    p.add_argument("--user", default="admin")
    p.add_argument("--dbname", default="memory", help="database (Ferry: the default catalog)")
    p.add_argument("--timeout", type=int, default=60, help="seconds before a statement is cancelled")
    p.add_argument("--quiet", action="store_true", help="no per-record reports, summaries only")
    p.add_argument("--expected-failures", help="the gate's list; prints ok/FAIL slt/<file> per file")
    p.add_argument("--write-expected-failures", metavar="FILE", help="write the failing records of this run as a list")
    p.add_argument("--outcomes", metavar="FILE", help="write every record that did not pass: file:line<TAB>status<TAB>reason")
    p.add_argument("--compare", metavar="FILE", help="--outcomes of a --target postgres run: reasons note whether PostgreSQL fails too")
    args = p.parse_args()
    if args.target == "postgres" and not args.dsn:
        p.error("--target postgres needs --dsn")

    if args.files:
        paths = [f if os.path.exists(f) else os.path.join(args.root, f) for f in args.files]
    else:
        paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.root) for f in fs if f.endswith(".test"))
    names = [os.path.relpath(os.path.abspath(x), os.path.abspath(args.root)) for x in paths]

    listed = read_list(args.expected_failures)
    pg = {}
    if args.compare:
        with open(args.compare) as f:
            for l in f:
                k, st, *_ = l.rstrip("\n").split("\t") + [""]
                pg[k] = st

    totals = dict(records=0, passed=0, failed=0, unsupported=0, skipped=0)
    all_outcomes, gate_lines, regressions, now_pass, broken = [], [], 0, [], False
    for path, name in zip(paths, names):
        fr = FileRun(args, path, name)
        fr.listed = listed
        fr.elapsed = 0.0
        fr.run()
        for l in fr.log:
            print(l, flush=True)
        c = fr.counts
        for k in totals:
            totals[k] += c[k]
        print("summary %s: %d records, %d passed, %d failed, %d unsupported, %d skipped (%.1f s)"
              % (name, c["records"], c["passed"], c["failed"], c["unsupported"], c["skipped"], fr.elapsed),
              flush=True)
        failing = {"%s:%d" % (name, line): (st, why) for line, st, why in fr.outcomes}
        all_outcomes += [(k, st, why) for k, (st, why) in failing.items()]
        if args.expected_failures is not None:
            new = [k for k in failing if k not in listed]
            fixed = [k for k in listed if k.rsplit(":", 1)[0] == name and k not in failing]
            regressions += len(new)
            now_pass += fixed
            if new or fr.lost:
                broken = True
                gate_lines.append("FAIL slt/%s" % name)
                gate_lines += ["    not on the list: %s %s: %s" % (k, *failing[k]) for k in new[:50]]
                if len(new) > 50:
                    gate_lines.append("    ... and %d more" % (len(new) - 50))
                if fr.lost:
                    gate_lines.append("    connection lost: %s" % fr.lost)
            else:
                gate_lines.append("ok slt/%s" % name)
    print("summary total: %d records, %d passed, %d failed, %d unsupported, %d skipped"
          % (totals["records"], totals["passed"], totals["failed"], totals["unsupported"], totals["skipped"]))

    def reason(k, st, why):
        s = "%s: %s" % (st, why)
        if args.compare:
            s += " [PostgreSQL: %s]" % ({"": "passes"}.get(pg.get(k, ""), pg.get(k)))
        return one_line(s, 200)

    if args.outcomes:
        with open(args.outcomes, "w") as f:
            for k, st, why in all_outcomes:
                f.write("%s\t%s\t%s\n" % (k, st, one_line(why, 200)))
    if args.write_expected_failures:
        with open(args.write_expected_failures, "w") as f:
            f.write("# Records of the sqllogictest corpus (../shared/fixtures/slt/test) that fail or are\n"
                    "# unsupported today: file:line status: reason. Generated by tests/slt/run.py\n"
                    "# --write-expected-failures from a real run; remove lines as records start to pass.\n")
            for k, st, why in all_outcomes:
                f.write("%s %s\n" % (k, reason(k, st, why)))
    if args.expected_failures is not None:
        for l in gate_lines:
            print(l)
        if now_pass:
            print("note: %d records on %s now pass; remove them from the list:"
                  % (len(now_pass), os.path.basename(args.expected_failures)))
            for k in now_pass[:100]:
                print("    %s" % k)
        print("gate: %d records not on the list failed, %d listed records now pass"
              % (regressions, len(now_pass)))
        print("%s slt/gate" % ("FAIL" if broken else "ok"))
        return 1 if broken else 0
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
