-- explain: the plan format may change; check only that the distributed plan shows fragments.
EXPLAIN SELECT count(*) FROM tpch.tiny.lineitem \g (tuples_only=on format=unaligned) | awk '/Fragment/ { n++ } END { print (n > 0) ? "EXPLAIN shows Fragment lines" : "EXPLAIN has no Fragment line" }'
