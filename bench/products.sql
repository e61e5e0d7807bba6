-- The federated-join seed's products table (tests/clients/test_postgresql.sh), sized so that
-- its keys cover every customer key up to SF 1; bench/run.sh creates it in both databases.
CREATE TABLE products (productkey bigint PRIMARY KEY, name text NOT NULL,
  price numeric(10,2), category varchar(20));
INSERT INTO products
  SELECT i, 'product ' || i, (i * 37 % 250) + 0.99, CASE WHEN i % 4 = 0 THEN 'tools' ELSE 'toys' END
  FROM generate_series(1, 150000) i;
ANALYZE products;
