-- The shop's first release: customers, a catalogue, orders and payments.
--
-- Django owns auth_user and django_migrations (its DDL is copied verbatim
-- from `manage.py sqlmigrate`); the shop tables were written by hand because
-- the first backend developer preferred SQL. Decisions taken in a hurry that
-- analysts will pay for later:
--   * orders was modelled after the JavaScript checkout's payload, hence the
--     camelCase "orderTotal" and "createdAt" beside snake_case columns;
--   * shipped_at is a DATE because the warehouse spreadsheet only had days;
--   * prices are REAL ("we will fix money later");
--   * payments keeps the provider's id in a column named id, while our own
--     key is payment_id;
--   * order_events is an append-only log with no primary key;
--   * products.stock_qty is text because the ERP export sends strings;
--   * deleting a customer deletes their addresses (ON DELETE CASCADE);
--   * "desc" is a reserved word: every query has to quote it.
--
-- Seed data is generated in SQL from arithmetic on row numbers, never
-- random(), so every build holds exactly the same rows.

CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);

CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES auth_user (id) ON DELETE SET NULL,
    email VARCHAR(254) NOT NULL UNIQUE,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    phone VARCHAR(32),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX customers_user_id_idx ON customers (user_id);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind VARCHAR(16) NOT NULL DEFAULT 'shipping',
    line1 VARCHAR(200) NOT NULL,
    line2 VARCHAR(200),
    city VARCHAR(100) NOT NULL,
    zip_code VARCHAR(10) NOT NULL,
    country_code CHAR(2) NOT NULL DEFAULT 'US',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX addresses_customer_id_idx ON addresses (customer_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories (id),
    name VARCHAR(100) NOT NULL,
    slug VARCHAR(100) NOT NULL UNIQUE
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    "desc" TEXT,
    price REAL NOT NULL,
    stock_qty VARCHAR(10),
    is_deleted BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_category_id_idx ON products (category_id);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    shipping_address_id INTEGER REFERENCES addresses (id),
    status VARCHAR(16) NOT NULL,
    "orderTotal" REAL NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP NOT NULL,
    shipped_at DATE,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price REAL NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_items_order_id_idx ON order_items (order_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);

CREATE TABLE payments (
    payment_id INTEGER PRIMARY KEY,
    id VARCHAR(40) NOT NULL UNIQUE,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    amount REAL NOT NULL,
    currency CHAR(3) NOT NULL DEFAULT 'USD',
    method VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    paid_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_order_id_idx ON payments (order_id);

CREATE TABLE order_events (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    event VARCHAR(32) NOT NULL,
    payload TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX order_events_order_id_idx ON order_events (order_id);

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

-- Seed data ---------------------------------------------------------------

INSERT INTO django_migrations (app, name, applied) VALUES
    ('contenttypes', '0001_initial', '2022-05-30 10:00:01'),
    ('auth', '0001_initial', '2022-05-30 10:00:02'),
    ('admin', '0001_initial', '2022-05-30 10:00:03'),
    ('contenttypes', '0002_remove_content_type_name', '2022-05-30 10:00:04'),
    ('auth', '0002_alter_permission_name_max_length', '2022-05-30 10:00:05'),
    ('sessions', '0001_initial', '2022-05-30 10:00:06'),
    ('shop', '0001_initial', '2022-05-30 10:00:07');

-- Two staff accounts, then one login for each of the first 40 customers.
INSERT INTO auth_user
    (id, password, last_login, is_superuser, username, last_name, email,
     is_staff, is_active, date_joined, first_name)
VALUES
    (1, '!demo-unusable-password', '2024-03-01 09:00:00', 1, 'admin', 'Admin',
     'admin@shop.example', 1, 1, '2022-05-30 10:05:00', 'Shop'),
    (2, '!demo-unusable-password', '2024-02-27 14:30:00', 0, 'support', 'Desk',
     'support@shop.example', 1, 1, '2022-06-01 08:00:00', 'Support');

CREATE TEMP TABLE first_names (i INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO first_names VALUES
    (0, 'Ada'), (1, 'Ben'), (2, 'Chloe'), (3, 'Dev'), (4, 'Elena'), (5, 'Farid'),
    (6, 'Grace'), (7, 'Hiro'), (8, 'Ines'), (9, 'Jonas'), (10, 'Keisha'),
    (11, 'Luca'), (12, 'Mei'), (13, 'Nia'), (14, 'Omar'), (15, 'Priya');
CREATE TEMP TABLE last_names (i INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO last_names VALUES
    (0, 'Okafor'), (1, 'Schmidt'), (2, 'Tanaka'), (3, 'Garcia'), (4, 'Novak'),
    (5, 'Haddad'), (6, 'Lindqvist'), (7, 'Moreau'), (8, 'Kowalski'), (9, 'Rossi'),
    (10, 'Nguyen'), (11, 'Byrne'), (12, 'Silva'), (13, 'Cohen'), (14, 'Patel'),
    (15, 'Jensen');

INSERT INTO customers
    (id, user_id, email, first_name, last_name, phone, created_at, updated_at, deleted_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
SELECT
    n.i,
    CASE WHEN n.i <= 40 THEN n.i + 2 END,
    lower(f.name) || '.' || lower(l.name) || n.i || '@example.com',
    f.name,
    l.name,
    CASE WHEN n.i % 5 <> 0 THEN '+1-555-' || printf('%04d', (n.i * 7919) % 10000) END,
    datetime('2022-06-01 00:00:00', '+' || n.i || ' days', '+' || ((n.i * 3607) % 86400) || ' seconds'),
    datetime('2022-06-01 00:00:00', '+' || (n.i + (n.i * 11) % 90) || ' days', '+' || ((n.i * 3607) % 86400) || ' seconds'),
    CASE WHEN n.i % 17 = 0 THEN datetime('2023-11-01 12:00:00', '+' || n.i || ' hours') END
FROM n
JOIN first_names AS f ON f.i = n.i % 16
JOIN last_names AS l ON l.i = (n.i * 7) % 16
ORDER BY n.i;

INSERT INTO auth_user
    (id, password, last_login, is_superuser, username, last_name, email,
     is_staff, is_active, date_joined, first_name)
SELECT
    c.user_id, '!demo-unusable-password',
    datetime(c.created_at, '+' || (c.id * 13 % 400) || ' days'),
    0, substr(c.email, 1, instr(c.email, '@') - 1), c.last_name, c.email,
    0, CASE WHEN c.deleted_at IS NULL THEN 1 ELSE 0 END, c.created_at, c.first_name
FROM customers AS c
WHERE c.user_id IS NOT NULL
ORDER BY c.id;

-- Cities with their real three-digit ZIP prefixes: New England codes start
-- with 0, so zip_code must stay text.
CREATE TEMP TABLE cities (i INTEGER PRIMARY KEY, city TEXT NOT NULL, zip_prefix TEXT NOT NULL);
INSERT INTO cities VALUES
    (0, 'Boston', '021'), (1, 'Hartford', '061'), (2, 'Portland', '041'),
    (3, 'Newark', '071'), (4, 'Burlington', '054'), (5, 'Providence', '029'),
    (6, 'New York', '100'), (7, 'Chicago', '606'), (8, 'Austin', '787'),
    (9, 'Seattle', '981');
CREATE TEMP TABLE streets (i INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO streets VALUES
    (0, 'Main St'), (1, 'Oak Ave'), (2, 'Maple Dr'), (3, 'Elm St'), (4, 'Pine Rd'),
    (5, 'Cedar Ln'), (6, 'Harbor Way'), (7, 'Mill St'), (8, 'Park Pl'), (9, 'River Rd');

-- One shipping address per customer, then 30 billing addresses.
INSERT INTO addresses
    (id, customer_id, kind, line1, line2, city, zip_code, country_code, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
SELECT
    n.i,
    CASE WHEN n.i <= 120 THEN n.i ELSE (n.i - 120) * 4 END,
    CASE WHEN n.i <= 120 THEN 'shipping' ELSE 'billing' END,
    ((n.i * 37) % 900 + 100) || ' ' || s.name,
    CASE WHEN n.i % 6 = 0 THEN 'Apt ' || (n.i % 40 + 1) END,
    c.city,
    c.zip_prefix || printf('%02d', (n.i * 13) % 100),
    'US',
    cu.created_at,
    cu.updated_at
FROM n
JOIN cities AS c ON c.i = n.i % 10
JOIN streets AS s ON s.i = (n.i * 3) % 10
JOIN customers AS cu ON cu.id = CASE WHEN n.i <= 120 THEN n.i ELSE (n.i - 120) * 4 END
ORDER BY n.i;

INSERT INTO categories (id, parent_id, name, slug) VALUES
    (1, NULL, 'Apparel', 'apparel'),
    (2, 1, 'Shirts', 'shirts'),
    (3, 1, 'Shoes', 'shoes'),
    (4, NULL, 'Home', 'home'),
    (5, 4, 'Kitchen', 'kitchen'),
    (6, 4, 'Garden', 'garden'),
    (7, NULL, 'Books', 'books'),
    (8, NULL, 'Gift cards', 'gift-cards');

CREATE TEMP TABLE adjectives (i INTEGER PRIMARY KEY, word TEXT NOT NULL);
INSERT INTO adjectives VALUES
    (0, 'Classic'), (1, 'Organic'), (2, 'Vintage'), (3, 'Everyday'), (4, 'Deluxe'),
    (5, 'Compact'), (6, 'Recycled'), (7, 'Handmade');
CREATE TEMP TABLE leaf_categories (i INTEGER PRIMARY KEY, category_id INTEGER NOT NULL, noun TEXT NOT NULL);
INSERT INTO leaf_categories VALUES
    (0, 2, 'T-shirt'), (1, 3, 'Sneaker'), (2, 5, 'Skillet'), (3, 6, 'Planter'),
    (4, 7, 'Notebook'), (5, 8, 'Gift card');

INSERT INTO products
    (id, category_id, sku, name, "desc", price, stock_qty, is_deleted, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
SELECT
    n.i,
    lc.category_id,
    'SKU-' || printf('%05d', n.i * 37),
    a.word || ' ' || lc.noun || ' ' || n.i,
    CASE WHEN n.i % 9 <> 0 THEN a.word || ' ' || lower(lc.noun) || ', from our own range.' END,
    round(((n.i * 733) % 9000) / 100.0 + 4.99, 2),
    CASE WHEN n.i % 13 <> 0 THEN CAST((n.i * 53) % 250 AS TEXT) END,
    CASE WHEN n.i % 19 = 0 THEN 1 ELSE 0 END,
    datetime('2022-06-15 09:00:00', '+' || (n.i * 3) || ' days'),
    datetime('2022-06-15 09:00:00', '+' || (n.i * 3 + n.i % 30) || ' days')
FROM n
JOIN adjectives AS a ON a.i = n.i % 8
JOIN leaf_categories AS lc ON lc.i = n.i % 6
ORDER BY n.i;

-- 300 orders from March 2023: the last 15 are still pending, every 25th is
-- cancelled, every 25th from the 13th was refunded, 271..285 are on their way.
INSERT INTO orders
    (id, customer_id, shipping_address_id, status, "orderTotal", "createdAt",
     shipped_at, updated_at, deleted_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300),
o AS (
    SELECT
        i,
        (i * 37) % 120 + 1 AS customer_id,
        CASE
            WHEN i > 285 THEN 'pending'
            WHEN i % 25 = 0 THEN 'cancelled'
            WHEN i % 25 = 13 THEN 'refunded'
            WHEN i > 270 THEN 'shipped'
            ELSE 'delivered'
        END AS status,
        datetime('2023-03-01 00:00:00', '+' || i || ' days', '+' || ((i * 7919) % 86400) || ' seconds') AS created
    FROM n
)
SELECT
    i, customer_id, customer_id, status, 0, created,
    CASE WHEN status IN ('shipped', 'delivered', 'refunded') THEN date(created, '+' || (1 + i % 4) || ' days') END,
    datetime(created, '+' || (2 + i % 9) || ' days'),
    CASE WHEN status = 'cancelled' AND i % 50 = 0 THEN datetime(created, '+30 days') END
FROM o
ORDER BY i;

-- Each order has 1 to 4 lines, priced at the product's price.
INSERT INTO order_items (order_id, product_id, quantity, unit_price, created_at)
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 4)
SELECT o.id, p.id, 1 + (o.id + k.j) % 3, p.price, o."createdAt"
FROM orders AS o
JOIN k ON k.j <= 1 + o.id % 4
JOIN products AS p ON p.id = (o.id * 13 + k.j * 7) % 60 + 1
ORDER BY o.id, k.j;

UPDATE orders SET "orderTotal" = (
    SELECT round(SUM(oi.quantity * oi.unit_price), 2)
    FROM order_items AS oi
    WHERE oi.order_id = orders.id
);

CREATE TEMP TABLE payment_methods (i INTEGER PRIMARY KEY, method TEXT NOT NULL);
INSERT INTO payment_methods VALUES (0, 'card'), (1, 'card'), (2, 'paypal'), (3, 'card'), (4, 'gift_card');

-- Multiplying by an odd constant modulo 2^32 is a bijection, so provider ids
-- are unique and look random.
INSERT INTO payments (id, order_id, amount, currency, method, status, paid_at, created_at)
SELECT
    'pi_' || printf('%08x', (o.id * 2654435761) % 4294967296),
    o.id,
    o."orderTotal",
    'USD',
    m.method,
    CASE WHEN o.status = 'refunded' THEN 'refunded' ELSE 'captured' END,
    datetime(o."createdAt", '+' || (30 + o.id % 600) || ' seconds'),
    o."createdAt"
FROM orders AS o
JOIN payment_methods AS m ON m.i = o.id % 5
WHERE o.status IN ('shipped', 'delivered', 'refunded')
ORDER BY o.id;

INSERT INTO order_events (order_id, event, payload, created_at)
SELECT order_id, event, payload, created_at FROM (
    SELECT id AS order_id, 'created' AS event,
           '{"source": "' || CASE WHEN id % 3 = 0 THEN 'app' ELSE 'web' END || '"}' AS payload,
           "createdAt" AS created_at, 1 AS step
    FROM orders
    UNION ALL
    SELECT order_id, 'paid', '{"payment": "' || id || '"}', paid_at, 2
    FROM payments
    UNION ALL
    SELECT id, 'shipped', NULL, datetime(shipped_at, '+10 hours'), 3
    FROM orders WHERE shipped_at IS NOT NULL
    UNION ALL
    SELECT id, 'cancelled', '{"reason": "customer request"}', updated_at, 3
    FROM orders WHERE status = 'cancelled'
    UNION ALL
    SELECT id, 'refunded', '{"reason": "damaged"}', updated_at, 4
    FROM orders WHERE status = 'refunded'
)
ORDER BY order_id, step;

DROP TABLE first_names;
DROP TABLE last_names;
DROP TABLE cities;
DROP TABLE streets;
DROP TABLE adjectives;
DROP TABLE leaf_categories;
DROP TABLE payment_methods;
