-- order_items.unit_price becomes DECIMAL(10, 2); orders get a customer index.
--
-- Finance found invoice totals a cent off: unit_price was REAL, and binary
-- floating point cannot hold 19.99. The column is retyped to DECIMAL(10, 2)
-- (products.price stays REAL for now: "next sprint").
--
-- SQLite cannot change a column's type in place, so this follows SQLite's
-- documented twelve-step procedure (https://sqlite.org/lang_altertable.html):
-- the view that reads the table is dropped first, a new table is created,
-- the rows are copied, the old table dropped, the new one renamed, and its
-- indexes and the view recreated. The runner turns foreign key enforcement
-- off around the transaction and checks every foreign key before committing.
--
-- The customer page was slow: orders had no index on customer_id.

DROP VIEW order_totals;

CREATE TABLE order_items_new (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price DECIMAL(10, 2) NOT NULL,
    created_at TIMESTAMP NOT NULL
);

INSERT INTO order_items_new (id, order_id, product_id, quantity, unit_price, created_at)
SELECT id, order_id, product_id, quantity, round(unit_price, 2), created_at
FROM order_items
ORDER BY id;

DROP TABLE order_items;

ALTER TABLE order_items_new RENAME TO order_items;

CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE VIEW order_totals AS
SELECT
    o.id AS order_id,
    o.customer_id,
    o.status,
    COUNT(oi.id) AS item_count,
    COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS items_total
FROM orders AS o
LEFT JOIN order_items AS oi ON oi.order_id = o.id
GROUP BY o.id, o.customer_id, o.status;

CREATE INDEX orders_customer_id_idx ON orders (customer_id);

INSERT INTO django_migrations (app, name, applied)
VALUES ('shop', '0004_orderitem_unit_price_decimal', '2024-01-22 09:40:00');
