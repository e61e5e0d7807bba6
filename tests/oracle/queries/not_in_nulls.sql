SELECT x FROM (VALUES (1), (2), (3)) t(x) WHERE x NOT IN (SELECT y FROM (VALUES (1), (NULL)) u(y));
SELECT x FROM (VALUES (1), (2), (3)) t(x) WHERE x NOT IN (SELECT y FROM (VALUES (1), (4)) u(y));
SELECT x FROM (VALUES (1), (NULL), (3)) t(x) WHERE x IN (SELECT y FROM (VALUES (1), (NULL), (3)) u(y));
