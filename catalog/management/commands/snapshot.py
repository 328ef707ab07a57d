from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Connection, Snapshot
from catalog.snapshots import SnapshotAlreadyRunning, take_snapshot
from scoring.runs import score_snapshot


def summary(snapshot: Snapshot) -> str:
    """One line: `pagila: 22 tables, 173 columns, 0.41 s, changed`."""
    name = snapshot.connection.name
    if not snapshot.succeeded:
        return f"{name}: failed after {snapshot.duration or 0:.2f} s: {snapshot.error_message}"
    state = "changed" if snapshot.changed else "unchanged"
    return (
        f"{name}: {snapshot.table_count} tables, {snapshot.column_count} columns, "
        f"{snapshot.duration:.2f} s, {state}"
    )


class Command(BaseCommand):
    help = "Snapshot one connection by name, or every enabled one with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?")
        parser.add_argument("--all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["name"]) == bool(options["all"]):
            raise CommandError("Name one connection, or pass --all.")
        if options["all"]:
            connections = list(Connection.objects.filter(enabled=True))
        else:
            connections = list(Connection.objects.filter(name=options["name"]))
            if not connections:
                raise CommandError(f"No connection named {options['name']!r}.")
        failures = 0
        for connection in connections:
            try:
                snapshot = take_snapshot(connection, trigger="cli")
            except SnapshotAlreadyRunning as exc:
                self.stderr.write(str(exc))
                failures += 1
                continue
            if snapshot.succeeded:
                score_snapshot(snapshot)
                self.stdout.write(summary(snapshot))
            else:
                self.stderr.write(summary(snapshot))
                failures += 1
        if failures:
            raise CommandError(f"{failures} of {len(connections)} snapshots failed.")
