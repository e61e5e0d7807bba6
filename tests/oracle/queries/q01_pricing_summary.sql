-- TPC-H Q1 on tpch.tiny; float sums are rounded so summation order cannot matter.
SELECT returnflag, linestatus,
       round(CAST(sum(quantity) AS numeric), 2) AS sum_qty,
       round(CAST(sum(extendedprice) AS numeric), 2) AS sum_base_price,
       round(CAST(sum(extendedprice * (1 - discount)) AS numeric), 2) AS sum_disc_price,
       round(CAST(avg(discount) AS numeric), 6) AS avg_disc,
       count(*) AS count_order
FROM tpch.tiny.lineitem
WHERE shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
GROUP BY returnflag, linestatus
