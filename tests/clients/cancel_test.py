# Ferry cancel test: a long query (count over tpch.sf100.lineitem, 600M rows) is cancelled
# from another thread after 1 s; SQLSTATE 57014 must reach the client within 1 s of it.
import sys, threading, time
import psycopg2

port = int(sys.argv[1])
conn = psycopg2.connect(host="127.0.0.1", port=port, user="admin", dbname="tpch")
conn.autocommit = True
cancelled_at = []

def cancel_later():
    time.sleep(1.0)
    cancelled_at.append(time.monotonic())
    conn.cancel()

t = threading.Thread(target=cancel_later)
t.start()
cur = conn.cursor()
code = None
try:
    cur.execute("SELECT count(*) FROM tpch.sf100.lineitem")
    print("FAIL query finished before the cancel: %r" % (cur.fetchall(),))
except psycopg2.Error as e:
    code = e.pgcode
    ended = time.monotonic()
t.join()
if code is None:
    sys.exit(1)
if code != "57014":
    print("FAIL expected 57014, got %s" % code)
    sys.exit(1)
delay = ended - cancelled_at[0]
print("%s 57014 arrived %.3f s after the cancel" % ("ok  " if delay <= 1.0 else "FAIL", delay))
# The session must survive the cancel.
cur.execute("SELECT 1")
ok = cur.fetchone() == (1,)
print(("ok   " if ok else "FAIL ") + "SELECT 1 after cancel")
sys.exit(0 if delay <= 1.0 and ok else 1)
