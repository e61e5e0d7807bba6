SELECT partkey, name, brand, size FROM tpch.tiny.part
WHERE brand IN ('Brand#12', 'Brand#23') AND size BETWEEN 5 AND 15 AND name LIKE '%green%'
