"""Snapshot cost end to end: introspect + store + live catalog sync, on PostgreSQL.

SchemaJoy's own data lives in a scratch PostgreSQL database (the production shape);
the target is a synthetic schema of N tables (about 22 columns each).

    python -m bench.snapshot [tables ...]      # default: 1000 5000

Goals (issue 2): first snapshot of 5,000 tables under 15 s, an unchanged
re-snapshot under 3 s, peak memory under 500 MB.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from typing import Any

from bench.scratch import django_app
from bench.synthetic import build_database
from tests.fixtures.postgres_targets import admin_execute, create_database, dsn_for, unique_name


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time_change_recording(changes: Any) -> list[float]:
    """Wrap what take_snapshot calls to record changes, collecting its seconds."""
    spent: list[float] = []
    for name in ("changes_since", "record_changes"):
        original = getattr(changes, name)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        setattr(changes, name, timed)
    return spent


def main(sizes: list[int]) -> None:
    targets = {n: unique_name(f"bench_target_{n}") for n in sizes}
    with django_app(*targets.values()):
        from catalog import changes
        from catalog.models import Connection, Team
        from catalog.snapshots import take_snapshot

        recording = _time_change_recording(changes)

        team = Team.objects.create(name="Bench", slug="bench")
        print(
            f"{'tables':>7} {'columns':>8} {'first':>8} {'re-snap (median)':>17} {'changed 1 col':>14}"
        )
        for n, database in targets.items():
            create_database(database)
            build_database(dsn_for(database), n)
            connection = Connection(name=f"synthetic_{n}", team=team)
            connection.set_dsn(dsn_for(database))
            connection.save()

            started = time.perf_counter()
            first = take_snapshot(connection, trigger="bench")
            first_s = time.perf_counter() - started
            assert first.succeeded, first.error_message
            after_first = peak_mb()
            repeats = []
            for _ in range(3):
                started = time.perf_counter()
                again = take_snapshot(connection, trigger="bench")
                repeats.append(time.perf_counter() - started)
                assert again.succeeded and not again.changed
            admin_execute(
                "ALTER TABLE app.entity_00000 ADD COLUMN bench_added integer", database=database
            )
            recording.clear()
            before_changed = peak_mb()
            started = time.perf_counter()
            changed = take_snapshot(connection, trigger="bench")
            changed_s = time.perf_counter() - started
            assert changed.changed
            assert changed.changes.count() == 1  # column_added: recorded at snapshot time
            print(
                f"{n:>7,} {first.column_count:>8,} {first_s:>7.2f}s {statistics.median(repeats):>16.2f}s "
                f"{changed_s:>13.2f}s"
            )
            spent = sum(recording)
            print(
                f"        of which change recording (diff + rows): {spent:.2f} s "
                f"({100 * spent / changed_s:.1f}% of the snapshot; goal under 10%)"
            )
            print(
                f"        peak memory after the first snapshot: {after_first:.0f} MB, "
                f"before the changed one: {before_changed:.0f} MB"
            )
        print(f"peak memory of this process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
