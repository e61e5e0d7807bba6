# Ferry client test with Debian's psycopg2: typed parameters and a named (server-side)
# cursor. A named cursor uses DECLARE/FETCH; if Ferry lacks them this fails, honestly.
import datetime, decimal, sys
import psycopg2

port = int(sys.argv[1])
failures = 0

def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1

def connect():
    return psycopg2.connect(host="127.0.0.1", port=port, user="admin", dbname="tpch")

try:
    conn = connect()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT name FROM tpch.tiny.nation WHERE nationkey = %s", (7,))
    check(cur.fetchall() == [("GERMANY",)], "int parameter")
    cur.execute("SELECT nationkey FROM tpch.tiny.nation WHERE name = %s", ("JAPAN",))
    check(cur.fetchall() == [(12,)], "str parameter")
    cur.execute("SELECT count(*) FROM tpch.tiny.orders WHERE orderdate = %s",
                (datetime.date(1996, 1, 2),))
    n = cur.fetchone()[0]
    check(isinstance(n, int) and n > 0, "date parameter (%d orders)" % n)
    cur.execute("SELECT %s + 1.25 AS x", (decimal.Decimal("2.50"),))
    v = cur.fetchone()[0]
    check(decimal.Decimal(str(v)) == decimal.Decimal("3.75"), "Decimal parameter -> %r" % (v,))
    cur.execute("SELECT %s::text, %s IS NULL", ("it's", None))
    check(cur.fetchone() == ("it's", True), "quoting and NULL parameter")
    conn.close()
except Exception as e:  # any driver or server error is a failure, with its SQLSTATE
    check(False, "parameters: %s %s" % (getattr(e, "pgcode", ""), e))

try:
    conn = connect()
    cur = conn.cursor(name="ferry_named")
    cur.itersize = 500
    cur.execute("SELECT orderkey FROM tpch.tiny.orders")
    rows = 0
    for _ in cur:
        rows += 1
    check(rows == 15000, "named cursor rows = %d" % rows)
    cur.close()
    conn.commit()
    conn.close()
except Exception as e:
    check(False, "named cursor: %s %s" % (getattr(e, "pgcode", ""), e))

try:
    conn = connect()
    conn.autocommit = True
    cur = conn.cursor()
    # arrays come back as lists (OID 1007/1009/1231); list parameters go as ARRAY[...]
    cur.execute("SELECT ARRAY[1,2,NULL], '{a,\"b c\",\"\"}'::text[], ARRAY[1.5, 2], %s::int[]", ([4, 5],))
    row = cur.fetchone()
    check(row == ([1, 2, None], ["a", "b c", ""], [decimal.Decimal("1.5"), decimal.Decimal("2")], [4, 5]),
          "arrays -> %r" % (row,))
    cur.execute("SELECT name FROM tpch.tiny.nation WHERE nationkey = ANY(%s) ORDER BY 1", ([7, 12],))
    check(cur.fetchall() == [("GERMANY",), ("JAPAN",)], "= ANY(list parameter)")
    cur.execute("SELECT array_agg(nationkey ORDER BY nationkey) FROM tpch.tiny.nation WHERE regionkey = 0")
    check(cur.fetchone()[0] == [0, 5, 14, 15, 16], "array_agg")
    conn.close()
except Exception as e:
    check(False, "arrays: %s %s" % (getattr(e, "pgcode", ""), e))

sys.exit(1 if failures else 0)
