-- PRIMARY KEY: NOT NULL, duplicates within a statement and against earlier
-- rows (23505), composite keys; a failed statement changes nothing.
CREATE TABLE k1 (a integer PRIMARY KEY, b text);
INSERT INTO k1 VALUES (1, 'x'), (2, 'y');
INSERT INTO k1 VALUES (2, 'z');
INSERT INTO k1 VALUES (3, 'z'), (3, 'w');
INSERT INTO k1 VALUES (NULL, 'n');
INSERT INTO k1 SELECT a + 10, b FROM k1;
SELECT * FROM k1 ORDER BY a;
UPDATE k1 SET a = 2 WHERE a = 11;
DELETE FROM k1 WHERE a > 10;
INSERT INTO k1 VALUES (11, 'again');
SELECT * FROM k1 ORDER BY a;
CREATE TABLE k2 (a integer, b integer, c text, PRIMARY KEY (a, b));
INSERT INTO k2 VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'c');
INSERT INTO k2 VALUES (1, 2, 'c');
INSERT INTO k2 VALUES (1, NULL, 'c');
SELECT * FROM k2 ORDER BY a, b;
CREATE TABLE k3 (a integer PRIMARY KEY, b integer PRIMARY KEY);
CREATE TABLE k4 (a integer, PRIMARY KEY (z));
DROP TABLE k1, k2;
