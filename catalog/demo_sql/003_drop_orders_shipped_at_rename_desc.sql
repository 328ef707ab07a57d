-- orders.shipped_at is dropped; products."desc" is renamed to description.
--
-- Since version 2 every parcel has its own shipped_at in shipments, and the
-- copy on orders drifted from it whenever an order went out in two boxes. The
-- backend team dropped orders.shipped_at without telling anyone; the
-- analysts' "days to ship" model broke the next morning.
--
-- "desc" is a reserved word, so every query (and every dbt model) had to
-- quote it. Renamed to description; the data stays where it is.

ALTER TABLE products RENAME COLUMN "desc" TO description;

ALTER TABLE orders DROP COLUMN shipped_at;

INSERT INTO django_migrations (app, name, applied)
VALUES ('shop', '0003_remove_order_shipped_at_rename_desc', '2023-09-04 11:05:00');
