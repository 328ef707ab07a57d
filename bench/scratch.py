"""SchemaJoy's own data in a scratch PostgreSQL database, as in production, for benchmarks.

Target databases (create, load, drop) come from the test fixtures,
tests/fixtures/postgres_targets.py, which read the admin connection from SCHEMAJOY_TEST_PG.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tests.fixtures.postgres_targets import create_database, drop_database, dsn_for, unique_name


@contextmanager
def django_app(*targets: str) -> Iterator[None]:
    """Django set up and migrated against a new scratch database. On the way out, that
    database and every target database named here (created or not) are dropped."""
    app_db = unique_name("bench_app")
    create_database(app_db)
    os.environ["DATABASE_URL"] = dsn_for(app_db).replace("postgresql://", "postgres://", 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schemajoy_site.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django may not have started; drop the databases anyway
            print(f"could not close connections: {exc}", file=sys.stderr)
        for database in (app_db, *targets):
            drop_database(database)
