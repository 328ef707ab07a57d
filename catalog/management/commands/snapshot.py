from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Connection
from catalog.snapshots import SnapshotAlreadyRunning, summary_line, take_snapshot
from scoring.runs import score_snapshot


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
                self.stdout.write(summary_line(snapshot))
            else:
                self.stderr.write(summary_line(snapshot))
                failures += 1
        if failures:
            raise CommandError(f"{failures} of {len(connections)} snapshots failed.")
