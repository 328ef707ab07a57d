"""A live catalog from a hand-built SchemaModel, through the real sync code (no target needed)."""

from __future__ import annotations

from django.utils import timezone

from catalog.introspection.model import SchemaModel
from catalog.models import Connection, Snapshot, Team
from catalog.snapshots import sync_live_catalog
from tests.builders import col, model, table

DSNS = {
    "postgresql": "postgresql://app@db.invalid:5432/shop",
    "mysql": "mysql://app@db.invalid:3306/shop",
    "sqlite": "sqlite:////nonexistent/shop.db",
}


def make_catalog(team: Team, schema: SchemaModel, *, name: str = "shop") -> Connection:
    connection = Connection(name=name, team=team)
    connection.set_dsn(DSNS[schema.dialect])
    connection.save()
    snapshot = Snapshot.objects.create(
        connection=connection,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        status=Snapshot.Status.SUCCEEDED,
    )
    sync_live_catalog(connection, snapshot, schema)
    return connection


def shop_model(dialect: str = "postgresql", *, tables: int = 0) -> SchemaModel:
    """customers and orders (with keys, an FK and updated_at), plus `tables` filler tables."""
    return model(
        table(
            "customers",
            col("id", "bigint", pk=True),
            col("email", "text", nullable=False, comment="Login e-mail"),
            col("updated_at", "timestamp with time zone"),
            comment="People who buy",
        ),
        table(
            "orders",
            col("id", "bigint", pk=True),
            col("customer_id", "bigint", nullable=False, fk="customers.id"),
            col("status", "text", default="'new'"),
            col("shipped_at", "date"),
        ),
        *(
            table(f"filler_{i:04d}", col("id", "integer", pk=True), col("name", "text"))
            for i in range(tables)
        ),
        dialect=dialect,
    )
