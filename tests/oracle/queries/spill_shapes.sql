SELECT comment, count(*), sum(quantity), min(orderkey), max(shipdate), count(DISTINCT linenumber) FROM tpch.tiny.lineitem GROUP BY comment;
SELECT orderkey, partkey, sum(extendedprice), max(comment) FROM tpch.tiny.lineitem GROUP BY orderkey, partkey;
SELECT orderkey, linenumber, comment, extendedprice FROM tpch.tiny.lineitem ORDER BY comment, orderkey DESC, linenumber;
