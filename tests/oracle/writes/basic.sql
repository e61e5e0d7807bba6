-- Tables, INSERT, UPDATE, DELETE, TRUNCATE, CREATE TABLE AS and views: the
-- same script runs on Ferry's memory catalog and on PostgreSQL; outputs,
-- command tags and SQLSTATEs must be identical.
CREATE TABLE items (id integer NOT NULL, name varchar(10), price numeric(10,2), qty bigint, added date, note text);
INSERT INTO items VALUES (1, 'apple', 1.25, 10, '2024-01-05', NULL),
                         (2, 'pear', '2.5', 3, DATE '2024-02-01', 'ripe');
INSERT INTO items (qty, id, name) VALUES (7, 3, 'plum');
INSERT INTO items (id, name, price) SELECT id + 10, name || '-x', price * 2 FROM items WHERE price IS NOT NULL;
SELECT * FROM items ORDER BY id;
-- errors: NOT NULL, too long, bad input, type mismatch, arity, unknown column
INSERT INTO items (name) VALUES ('nokey');
INSERT INTO items (id, name) VALUES (4, 'watermelons');
INSERT INTO items (id, qty) VALUES (4, 'many');
INSERT INTO items (id, added) VALUES (4, 5);
INSERT INTO items (id) VALUES (4, 5);
INSERT INTO items (id, colour) VALUES (4, 'red');
INSERT INTO items (id, id) VALUES (4, 5);
-- trailing spaces may be cut; a failed statement leaves nothing behind
INSERT INTO items (id, name) VALUES (5, 'kiwi      ');
INSERT INTO items (id, name) SELECT id + 100, CASE WHEN id = 11 THEN NULL ELSE name END FROM items;
INSERT INTO items (id) SELECT CASE WHEN id = 12 THEN NULL ELSE id END FROM items;
SELECT count(*), sum(id) FROM items;
UPDATE items SET price = price + 1, note = 'sale' WHERE qty >= 7;
UPDATE items SET qty = '42' WHERE id = 2;
UPDATE items SET name = 'toolongname!' WHERE id = 1;
UPDATE items SET qty = qty / (id - 1) WHERE id > 1;
SELECT * FROM items ORDER BY id;
DELETE FROM items WHERE name LIKE '%-x';
DELETE FROM items WHERE price > 100;
SELECT id, name FROM items ORDER BY id;
CREATE TABLE summary AS SELECT name, price * qty AS value FROM items WHERE qty IS NOT NULL;
SELECT * FROM summary ORDER BY name;
CREATE TABLE summary2 (label, total) AS SELECT name, qty FROM items ORDER BY id LIMIT 2;
SELECT * FROM summary2 ORDER BY label;
CREATE TABLE empty_copy AS SELECT * FROM items WITH NO DATA;
SELECT count(*) FROM empty_copy;
CREATE TABLE summary (x int);
CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 3;
SELECT * FROM cheap ORDER BY id;
CREATE VIEW cheap_count (n) AS SELECT count(*) FROM cheap;
SELECT * FROM cheap_count;
INSERT INTO items (id, name, price) VALUES (20, 'fig', 0.5);
SELECT * FROM cheap_count;
DROP TABLE cheap;
DROP VIEW items;
DROP VIEW cheap_count;
DROP VIEW cheap;
TRUNCATE items;
SELECT count(*) FROM items;
DROP TABLE items, summary, summary2, empty_copy;
DROP TABLE items;
SELECT * FROM items;
