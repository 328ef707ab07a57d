"""Fixtures of the release-check tests: a connection snapshotted from one real PostgreSQL
database, and a second database standing for the CI database a release's migrations ran on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog.models import Connection
from catalog.snapshots import take_snapshot
from scoring.runs import score_snapshot
from tests.fixtures.postgres_targets import PgTarget, create_database, drop_database, unique_name

SHOP = """
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers,
    status varchar(40) NOT NULL, note varchar(255), created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL);
"""


@pytest.fixture
def ci_database() -> Iterator[PgTarget]:
    """A second database: the CI database a release's migrations ran on."""
    target = PgTarget(database=unique_name("ci"))
    create_database(target.database)
    try:
        yield target
    finally:
        drop_database(target.database)


@pytest.fixture
def release_shop(pg_target, ci_database, make_connection) -> Connection:
    """Connection "shop" snapshotted and scored; ci_database holds the same schema."""
    pg_target.execute(SHOP)
    ci_database.execute(SHOP)
    connection = make_connection(pg_target.dsn)
    score_snapshot(take_snapshot(connection))
    return connection
