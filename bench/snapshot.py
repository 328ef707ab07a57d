"""Snapshot cost end to end: introspect + store + live catalog sync, on PostgreSQL.

SchemaJoy's own data lives in a scratch PostgreSQL database (the production shape);
the target is a synthetic schema of N tables (about 22 columns each).

    python -m bench.snapshot [tables ...]      # default: 1000 5000

Goals (issue 2): first snapshot of 5,000 tables under 15 s, an unchanged
re-snapshot under 3 s, peak memory under 500 MB.
"""

from __future__ import annotations

import os
import resource
import secrets
import statistics
import subprocess
import sys
import time

from bench.synthetic import build_database

ADMIN = os.environ.get("SCHEMAJOY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BASE = ADMIN.rsplit("/", 1)[0]


def psql(sql: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-d", ADMIN, "-c", sql], check=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(sizes: list[int]) -> None:
    app_db = f"sjb_app_{secrets.token_hex(3)}"
    targets = {n: f"sjb_target_{n}_{secrets.token_hex(3)}" for n in sizes}
    psql(f"CREATE DATABASE {app_db}")
    os.environ["DATABASE_URL"] = f"{BASE}/{app_db}".replace("postgresql://", "postgres://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schemajoy_site.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from catalog.models import Connection, Team
        from catalog.snapshots import take_snapshot

        call_command("migrate", verbosity=0)
        team = Team.objects.create(name="Bench", slug="bench")
        print(
            f"{'tables':>7} {'columns':>8} {'first':>8} {'re-snap (median)':>17} {'changed 1 col':>14}"
        )
        for n, database in targets.items():
            psql(f"CREATE DATABASE {database}")
            build_database(f"{BASE}/{database}", n)
            connection = Connection(name=f"synthetic_{n}", team=team)
            connection.set_dsn(f"{BASE}/{database}")
            connection.save()

            started = time.perf_counter()
            first = take_snapshot(connection, trigger="bench")
            first_s = time.perf_counter() - started
            assert first.succeeded, first.error_message
            repeats = []
            for _ in range(3):
                started = time.perf_counter()
                again = take_snapshot(connection, trigger="bench")
                repeats.append(time.perf_counter() - started)
                assert again.succeeded and not again.changed
            subprocess.run(
                [
                    "psql",
                    "-X",
                    "-q",
                    "-d",
                    f"{BASE}/{database}",
                    "-c",
                    "ALTER TABLE app.entity_00000 ADD COLUMN bench_added integer",
                ],
                check=True,
            )
            started = time.perf_counter()
            changed = take_snapshot(connection, trigger="bench")
            changed_s = time.perf_counter() - started
            assert changed.changed
            print(
                f"{n:>7,} {first.column_count:>8,} {first_s:>7.2f}s {statistics.median(repeats):>16.2f}s "
                f"{changed_s:>13.2f}s"
            )
        print(f"peak memory of this process: {peak_mb():.0f} MB")
    finally:
        from django.db import connections

        connections.close_all()
        for database in [app_db, *targets.values()]:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
