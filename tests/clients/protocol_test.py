# Ferry protocol test: speaks protocol 3.0 byte by byte over a raw socket and checks the
# message sequences PostgreSQL 15 produces (startup, simple and extended query, row limits,
# errors and skip-until-Sync, transaction status, binary formats). Exits 1 on any mismatch.
import socket, struct, sys, time, datetime, decimal

PORT = int(sys.argv[1])
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


class Conn:
    def __init__(self, params=None, ssl_first=False, gss_first=False):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        self.buf = b""
        self.answers = []
        if gss_first:
            self.s.sendall(struct.pack("!ii", 8, 80877104))
            self.answers.append(self.recvn(1))
        if ssl_first:
            self.s.sendall(struct.pack("!ii", 8, 80877103))
            self.answers.append(self.recvn(1))
        p = {"user": "admin", "database": "tpch", "application_name": "protocol_test"}
        p.update(params or {})
        body = struct.pack("!i", 196608) + b"".join(
            k.encode() + b"\0" + v.encode() + b"\0" for k, v in p.items()) + b"\0"
        self.s.sendall(struct.pack("!i", len(body) + 4) + body)
        self.status = {}
        self.key = None
        msgs = self.until_ready()
        for t, b in msgs:
            if t == "S":
                k, v = b.split(b"\0")[:2]
                self.status[k.decode()] = v.decode()
            elif t == "K":
                self.key = struct.unpack("!ii", b)
        self.startup = msgs

    def recvn(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("server closed the connection")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read(self):
        t = self.recvn(1).decode()
        (n,) = struct.unpack("!i", self.recvn(4))
        return t, self.recvn(n - 4)

    def until_ready(self):
        out = []
        while True:
            t, b = self.read()
            out.append((t, b))
            if t == "Z":
                self.txn = b.decode()
                return out

    def send(self, t, body=b""):
        self.s.sendall(t.encode() + struct.pack("!i", len(body) + 4) + body)

    def query(self, sql):
        self.send("Q", sql.encode() + b"\0")
        return self.until_ready()

    def parse(self, name, sql, oids=()):
        self.send("P", name.encode() + b"\0" + sql.encode() + b"\0" +
                  struct.pack("!h", len(oids)) + b"".join(struct.pack("!I", o) for o in oids))

    def bind(self, portal, stmt, params=(), pformats=(), rformats=()):
        b = portal.encode() + b"\0" + stmt.encode() + b"\0"
        b += struct.pack("!h", len(pformats)) + b"".join(struct.pack("!h", f) for f in pformats)
        b += struct.pack("!h", len(params))
        for p in params:
            b += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
        b += struct.pack("!h", len(rformats)) + b"".join(struct.pack("!h", f) for f in rformats)
        self.send("B", b)

    def describe(self, kind, name):
        self.send("D", kind.encode() + name.encode() + b"\0")

    def execute(self, portal, maxrows=0):
        self.send("E", portal.encode() + b"\0" + struct.pack("!i", maxrows))

    def close_(self, kind, name):
        self.send("C", kind.encode() + name.encode() + b"\0")

    def sync(self):
        self.send("S")
        return self.until_ready()


def types(msgs):
    return "".join(t for t, _ in msgs)


def fields(b):
    """ErrorResponse fields as a dict."""
    out = {}
    for part in b.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode()
    return out


def datarow(b):
    (n,) = struct.unpack("!h", b[:2])
    pos, vals = 2, []
    for _ in range(n):
        (l,) = struct.unpack("!i", b[pos:pos + 4])
        pos += 4
        if l < 0:
            vals.append(None)
        else:
            vals.append(b[pos:pos + l])
            pos += l
    return vals


def rowdesc(b):
    (n,) = struct.unpack("!h", b[:2])
    pos, cols = 2, []
    for _ in range(n):
        end = b.index(b"\0", pos)
        name = b[pos:end].decode()
        pos = end + 1
        tbl, att, oid, size, mod, fmt = struct.unpack("!IhIhih", b[pos:pos + 18])
        pos += 18
        cols.append((name, oid, size, mod, fmt))
    return cols


# --- startup ---------------------------------------------------------------------------
c = Conn(gss_first=True, ssl_first=True)
check(c.answers == [b"N", b"N"], "GSSENCRequest and SSLRequest answered 'N'")
st = c.status
check(st.get("server_version", "").startswith("15.") and "Ferry" in st.get("server_version", ""),
      "server_version 15.x with Ferry's name: %r" % st.get("server_version"))
for k, v in [("server_encoding", "UTF8"), ("client_encoding", "UTF8"), ("DateStyle", "ISO, MDY"),
             ("integer_datetimes", "on"), ("standard_conforming_strings", "on"),
             ("IntervalStyle", "postgres"), ("session_authorization", "admin"),
             ("application_name", "protocol_test")]:
    check(st.get(k) == v, "ParameterStatus %s = %r (got %r)" % (k, v, st.get(k)))
check("TimeZone" in st and "is_superuser" in st, "ParameterStatus TimeZone and is_superuser sent")
check(c.key is not None and types(c.startup)[0] == "R" and c.txn == "I",
      "AuthenticationOk, BackendKeyData, ReadyForQuery 'I'")

# --- simple query ------------------------------------------------------------------------
m = c.query("SELECT 1 AS a; SELECT 'x' AS b")
check(types(m) == "TDCTDCZ", "two statements in one Query: %s" % types(m))
check(rowdesc(m[0][1]) == [("a", 23, 4, -1, 0)], "RowDescription of int4 column: %r" % rowdesc(m[0][1]))
check(m[2][1] == b"SELECT 1\0", "CommandComplete tag SELECT 1")
m = c.query("")
check(types(m) == "IZ", "empty query gives EmptyQueryResponse: %s" % types(m))
m = c.query("SELECT 1; SELEC 2; SELECT 3")
check(types(m) == "TDCEZ", "error skips the rest of the message: %s" % types(m))
e = fields(m[3][1]) if len(m) > 3 else {}
check(e.get("C") == "42601" and e.get("P") == "11" and e.get("S") == "ERROR" and e.get("V") == "ERROR",
      "syntax error 42601 at position 11 of the whole message: %r" % e)
m = c.query("SELECT 1/0")
e = fields([b for t, b in m if t == "E"][0]) if "E" in types(m) else {}
check(e.get("C") == "22012", "1/0 gives 22012: %r" % e.get("C"))
m = c.query("SELECT * FROM tpch.tiny.nosuch")
e = fields([b for t, b in m if t == "E"][0]) if "E" in types(m) else {}
check(e.get("C") == "42P01" and e.get("P") == "15", "unknown table 42P01 at 15: %r" % e)

# --- transactions ------------------------------------------------------------------------
c.query("BEGIN")
check(c.txn == "T", "BEGIN gives status 'T'")
c.query("SELECT 1/0")
check(c.txn == "E", "an error in a block gives status 'E'")
m = c.query("SELECT 1")
e = fields([b for t, b in m if t == "E"][0]) if "E" in types(m) else {}
check(e.get("C") == "25P02" and c.txn == "E", "failed transaction rejects statements with 25P02")
m = c.query("COMMIT")
check(c.txn == "I" and (b"ROLLBACK\0" in [b for t, b in m if t == "C"]),
      "COMMIT of a failed transaction reports ROLLBACK and status 'I'")
m = c.query("COMMIT")
check("N" in types(m) and c.txn == "I", "COMMIT outside a block gives a WARNING notice")

# --- extended query: row limits ------------------------------------------------------------
c.parse("s1", "SELECT nationkey, name FROM tpch.tiny.nation ORDER BY nationkey")
c.describe("S", "s1")
c.bind("p1", "s1", rformats=(1, 0))
c.execute("p1", 10)
c.execute("p1", 10)
c.execute("p1", 10)
m = c.sync()
ty = types(m)
check(ty == "1tT2" + "D" * 10 + "s" + "D" * 10 + "s" + "D" * 5 + "CZ",
      "Parse/Describe/Bind/Execute(10)x3/Sync: %s" % ty)
rows = [datarow(b) for t, b in m if t == "D"]
check(len(rows) == 25 and struct.unpack("!q", rows[24][0])[0] == 24 and rows[24][1].rstrip() == b"UNITED STATES",
      "binary int8 and text columns per result format across suspensions")
check(m[-2][1] == b"SELECT 5\0", "last Execute completes with SELECT 5: %r" % m[-2][1])

# --- extended query: parameters --------------------------------------------------------------
c.parse("s2", "SELECT name FROM tpch.tiny.nation WHERE nationkey = $1", (20,))
c.describe("S", "s2")
c.bind("", "s2", [struct.pack("!q", 7)], (1,))
c.execute("", 0)
c.bind("", "s2", [b"8"], (0,))
c.execute("", 0)
m = c.sync()
ty = types(m)
pd = [b for t, b in m if t == "t"]
check(pd and struct.unpack("!hI", pd[0][:6]) == (1, 20), "ParameterDescription declares int8")
names = [datarow(b)[0].rstrip() for t, b in m if t == "D"]
check(names == [b"GERMANY", b"INDIA"], "binary and text parameters: %r" % names)

c.parse("", "SELECT name FROM tpch.tiny.nation WHERE regionkey = $1 ORDER BY name")
c.describe("S", "")
c.bind("", "", [b"1"])
c.execute("")
m = c.sync()
pd = [b for t, b in m if t == "t"]
check(pd and struct.unpack("!h", pd[0][:2])[0] == 1 and struct.unpack("!I", pd[0][2:6])[0] in (20, 23),
      "inferred parameter type from the column")
check(len([1 for t, b in m if t == "D"]) == 5, "unnamed statement with an inferred parameter: 5 rows")

# --- extended query: now() of a reused named statement is each transaction's --------------
def bound_now(stmt):
    c.bind("", stmt)
    c.execute("")
    m = c.sync()
    return [datarow(b)[0] for t, b in m if t == "D"]

c.parse("snow", "SELECT now()::text")
c.sync()
first = bound_now("snow")
time.sleep(0.05)
second = bound_now("snow")
check(len(first) == 1 and len(second) == 1 and first != second,
      "a named statement's now() is taken at each Bind outside a block: %r %r" % (first, second))
c.query("BEGIN")
time.sleep(0.05)
in1 = bound_now("snow")
time.sleep(0.05)
in2 = bound_now("snow")
m = c.query("SELECT now()::text")
in3 = [datarow(b)[0] for t, b in m if t == "D"]
c.query("COMMIT")
check(in1 == in2 == in3 and in1 != second,
      "inside BEGIN every Bind and query sees the transaction's now(): %r %r %r" % (in1, in2, in3))
c.close_("S", "snow")
c.sync()

# --- extended query: errors skip to Sync ---------------------------------------------------
c.parse("bad", "SELEC 1")
c.bind("", "bad")
c.execute("")
m = c.sync()
check(types(m) == "EZ", "error then skip until Sync: %s" % types(m))
c.bind("", "nosuch")
m = c.sync()
e = fields(m[0][1]) if m and m[0][0] == "E" else {}
check(e.get("C") == "26000", "Bind of an unknown statement gives 26000")
c.close_("S", "s1")
c.bind("", "s1")
m = c.sync()
check(types(m) == "3EZ", "Close statement, then Bind to it fails: %s" % types(m))
c.parse("s3", "SELECT 1")
c.send("H")
t, b = c.read()
check(t == "1", "Flush delivers ParseComplete before Sync")
m = c.sync()
c.parse("s3", "SELECT 2")
m = c.sync()
e = fields(m[0][1]) if m and m[0][0] == "E" else {}
check(e.get("C") == "42P05", "Parse of an existing name gives 42P05")
c.parse("", "SELECT 1; SELECT 2")
m = c.sync()
e = fields(m[0][1]) if m and m[0][0] == "E" else {}
check(e.get("C") == "42601", "multiple commands in one Parse give 42601")
c.parse("", "BEGIN")
c.bind("", "")
c.describe("P", "")
c.execute("")
m = c.sync()
check(types(m) == "12nCZ" and c.txn == "T", "utility statement: NoData, status 'T': %s %s" % (types(m), c.txn))
c.query("ROLLBACK")

# --- binary formats of the core types --------------------------------------------------------
sql = ("SELECT true, 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 12.340::numeric(10,3), "
       "'abc'::text, 'de'::varchar, date '2024-02-29', timestamp '2024-02-29 12:34:56.789', "
       "timestamptz '2024-02-29 12:34:56+00', '\\x0102ff'::bytea")
c.parse("", sql)
c.bind("", "", rformats=(1,))
c.execute("")
m = c.sync()
rows = [datarow(b) for t, b in m if t == "D"]
if rows:
    r = rows[0]
    pg_epoch = datetime.datetime(2000, 1, 1)
    ts = struct.unpack("!q", r[10])[0] if r[10] else None
    expect_ts = int((datetime.datetime(2024, 2, 29, 12, 34, 56, 789000) - pg_epoch).total_seconds() * 1e6)
    num = r[6]
    ndig, weight, sign, dscale = struct.unpack("!hhhh", num[:8]) if num else (0, 0, 0, 0)
    digits = struct.unpack("!%dh" % ndig, num[8:8 + 2 * ndig]) if num else ()
    checks = [
        (r[0] == b"\x01", "bool"), (r[1] == struct.pack("!h", 1), "int2"),
        (r[2] == struct.pack("!i", 2), "int4"), (r[3] == struct.pack("!q", 3), "int8"),
        (r[4] == struct.pack("!f", 1.5), "float4"), (r[5] == struct.pack("!d", 2.25), "float8"),
        ((weight, sign, dscale, digits) == (0, 0, 3, (12, 3400)), "numeric %r" % ((ndig, weight, sign, dscale, digits),)),
        (r[7] == b"abc", "text"), (r[8] == b"de", "varchar"),
        (r[9] == struct.pack("!i", (datetime.date(2024, 2, 29) - datetime.date(2000, 1, 1)).days), "date"),
        (ts == expect_ts, "timestamp"),
        (struct.unpack("!q", r[11])[0] == expect_ts - 789000, "timestamptz"),
        (r[12] == b"\x01\x02\xff", "bytea"),
    ]
    for ok, what in checks:
        check(ok, "binary output of " + what)
else:
    check(False, "binary format query returned rows: %s %r" % (types(m), [fields(b) for t, b in m if t == "E"]))

# binary parameters of the same types round-trip through text output
c.parse("", "SELECT $1::int4, $2::float8, $3::numeric(10,2), $4::date, $5::text, $6::bool", (23, 701, 1700, 1082, 25, 16))
numeric_bin = struct.pack("!hhhhhh", 2, 0, 0x4000, 2, 5, 5000)  # -5.50
c.bind("", "", [struct.pack("!i", -7), struct.pack("!d", 0.5), numeric_bin,
                struct.pack("!i", 1), b"hi", b"\x00"], (1,))
c.execute("")
m = c.sync()
rows = [datarow(b) for t, b in m if t == "D"]
check(rows == [[b"-7", b"0.5", b"-5.50", b"2000-01-02", b"hi", b"f"]],
      "binary parameters decoded: %r %r" % (rows, [fields(b).get("M") for t, b in m if t == "E"]))

# --- SET / SHOW / ParameterStatus ------------------------------------------------------------
m = c.query("SET DateStyle = 'ISO, DMY'")
ps = [b.split(b"\0")[:2] for t, b in m if t == "S"]
check([b"DateStyle", b"ISO, DMY"] in ps, "SET DateStyle reports ParameterStatus")
m = c.query("SHOW datestyle")
check([datarow(b) for t, b in m if t == "D"] == [[b"ISO, DMY"]], "SHOW after SET")
m = c.query("SET no_such_setting = 1")
e = fields(m[0][1]) if m and m[0][0] == "E" else {}
check(e.get("C") == "42704", "unknown setting gives 42704")
m = c.query("SET SESSION join_distribution_type = 'BROADCAST'; SHOW join_distribution_type")
check([datarow(b) for t, b in m if t == "D"] == [[b"BROADCAST"]], "SET SESSION of a Ferry session property")
m = c.query("SET statement_timeout = 1; SELECT count(*) FROM tpch.sf100.lineitem")
e = fields([b for t, b in m if t == "E"][0]) if "E" in types(m) else {}
check(e.get("C") == "57014" and "timeout" in e.get("M", ""), "statement_timeout cancels with 57014: %r" % e.get("M"))
c.query("RESET statement_timeout")

# --- malformed messages ----------------------------------------------------------------------
c.send("B", b"\xff\xff")  # truncated Bind
m = c.sync()
e = fields(m[0][1]) if m and m[0][0] == "E" else {}
check(e.get("C") == "08P01" and c.txn == "I", "truncated Bind gives 08P01 and the session goes on")
m = c.query("SELECT 42")
check([datarow(b) for t, b in m if t == "D"] == [[b"42"]], "session works after malformed input")

c.send("X")
c.s.close()

# --- startup errors ----------------------------------------------------------------------------
def startup_error(params):
    """Startup with params; returns the fields of the ErrorResponse before the close."""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
    p = {"user": "admin", "database": "tpch"}
    p.update(params)
    body = struct.pack("!i", 196608) + b"".join(
        k.encode() + b"\0" + v.encode() + b"\0" for k, v in p.items()) + b"\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    if data[:1] != b"E":
        return {}
    (n,) = struct.unpack("!i", data[1:5])
    return fields(data[5:1 + n])


e = startup_error({"database": "no_such_catalog"})
check(e.get("S") == "FATAL" and e.get("C") == "3D000", "unknown database: FATAL 3D000: %r" % e)
e = startup_error({"no_such_guc": "1"})
check(e.get("S") == "FATAL" and e.get("C") == "42704", "unknown startup parameter: FATAL 42704: %r" % e)
e = startup_error({"options": "-c DateStyle=bogus"})
check(e.get("S") == "FATAL" and e.get("C") == "22023", "bad options value: FATAL 22023: %r" % e)
c = Conn({"options": "-c extra_float_digits=2 --search_path=tiny"})
m = c.query("SHOW extra_float_digits; SHOW search_path")
check([datarow(b) for t, b in m if t == "D"] == [[b"2"], [b"tiny"]], "options -c and -- applied at startup")
c.send("X")
sys.exit(1 if failures else 0)
