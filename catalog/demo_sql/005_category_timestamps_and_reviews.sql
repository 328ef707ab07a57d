-- categories gain created_at and updated_at; product reviews arrive.
--
-- The analysts asked for timestamps on every table so incremental models can
-- load only what changed. categories was the last table without any: both
-- columns are added and backfilled. SQLite cannot add a NOT NULL column
-- without a constant default, so they are nullable.
--
-- Product reviews come nightly from the reviews widget. The widget knows our
-- customers only by the id we sent it, as a string, so reviews.customer_id is
-- text with no foreign key, while customers.id is an integer everywhere
-- else. Joining reviews to customers now needs a cast.

ALTER TABLE categories ADD COLUMN created_at TIMESTAMP;
ALTER TABLE categories ADD COLUMN updated_at TIMESTAMP;

UPDATE categories
SET created_at = datetime('2022-05-30 10:10:00', '+' || id || ' minutes'),
    updated_at = datetime('2024-04-02 08:00:00', '+' || id || ' minutes');

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    customer_id VARCHAR(20) NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title VARCHAR(200),
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX reviews_product_id_idx ON reviews (product_id);

-- One review for each of 90 delivered order lines, written a week later.
INSERT INTO reviews
    (id, product_id, customer_id, rating, title, body, created_at, updated_at, deleted_at)
SELECT
    ROW_NUMBER() OVER (ORDER BY oi.id),
    oi.product_id,
    CAST(o.customer_id AS TEXT),
    1 + (oi.id * 7) % 5,
    CASE (oi.id * 7) % 5
        WHEN 0 THEN 'Disappointed'
        WHEN 1 THEN 'Not great'
        WHEN 2 THEN 'Does the job'
        WHEN 3 THEN 'Very good'
        ELSE 'Love it'
    END,
    CASE WHEN oi.id % 4 <> 0 THEN 'Bought this with order ' || o.id || '.' END,
    datetime(o."createdAt", '+7 days'),
    datetime(o."createdAt", '+7 days', '+' || (oi.id % 48) || ' hours'),
    CASE WHEN oi.id % 31 = 0 THEN datetime(o."createdAt", '+9 days') END
FROM order_items AS oi
JOIN orders AS o ON o.id = oi.order_id
WHERE o.status = 'delivered' AND oi.id % 6 = 0
ORDER BY oi.id
LIMIT 90;

INSERT INTO django_migrations (app, name, applied)
VALUES ('shop', '0005_category_timestamps_review', '2024-04-02 08:00:00');
