-- Shipments get their own table; customers gain a marketing opt-in.
--
-- Orders started to ship in several parcels, so the warehouse team asked for
-- a shipments table keyed by the carrier's tracking number. Nobody added a
-- primary key: "the tracking number is unique anyway", so there is only a
-- UNIQUE NOT NULL constraint. shipped_at copies the DATE of orders.shipped_at,
-- since the warehouse still books days, not moments.
--
-- Marketing imported the newsletter tool's CSV into customers.marketing_opt_in
-- as it came: a text column holding 'yes'/'no', 'Y'/'N' and 'true'/'false'
-- depending on which form the customer signed up with.

CREATE TABLE shipments (
    tracking_number VARCHAR(40) NOT NULL UNIQUE,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    carrier VARCHAR(16) NOT NULL,
    shipped_at DATE NOT NULL,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);

-- Backfill one parcel per shipped order, and a second parcel for every
-- seventh order (the large ones went in two boxes).
INSERT INTO shipments
    (tracking_number, order_id, carrier, shipped_at, delivered_at, created_at, updated_at)
WITH RECURSIVE parcel(p) AS (SELECT 1 UNION ALL SELECT p + 1 FROM parcel WHERE p < 2)
SELECT
    CASE WHEN o.id % 2 = 0
        THEN '1Z' || printf('%06d', o.id * 104729 % 1000000) || printf('%02d', parcel.p) || 'US'
        ELSE '94' || printf('%010d', o.id * 15485863 % 10000000000) || printf('%02d', parcel.p)
    END,
    o.id,
    CASE WHEN o.id % 2 = 0 THEN 'ups' ELSE 'usps' END,
    o.shipped_at,
    CASE WHEN o.status IN ('delivered', 'refunded')
        THEN datetime(o.shipped_at, '+' || (2 + o.id % 3) || ' days', '+' || (9 + o.id % 9) || ' hours')
    END,
    datetime(o.shipped_at, '+8 hours'),
    datetime(o.shipped_at, '+' || (2 + o.id % 3) || ' days', '+20 hours')
FROM orders AS o
JOIN parcel ON parcel.p = 1 OR o.id % 7 = 0
WHERE o.shipped_at IS NOT NULL
ORDER BY o.id, parcel.p;

ALTER TABLE customers ADD COLUMN marketing_opt_in VARCHAR(5);

UPDATE customers SET marketing_opt_in = CASE id % 7
    WHEN 0 THEN 'yes'
    WHEN 1 THEN 'no'
    WHEN 2 THEN 'Y'
    WHEN 3 THEN 'N'
    WHEN 4 THEN 'true'
    WHEN 5 THEN 'false'
    ELSE NULL
END;

INSERT INTO django_migrations (app, name, applied)
VALUES ('shop', '0002_shipments_marketing_opt_in', '2023-06-12 16:20:00');
