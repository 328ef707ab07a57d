"""`manage.py changes NAME [--since YYYY-MM-DD] [--breaking] [--json]`: a connection's history.

The JSON form is a stable interface (issue 9), newest first:
{"connection": NAME, "changes": [{"snapshot", "detected_at", "kind", "object", "breaking",
 "reason", "before", "after", "announced"}]}
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.changes import filter_changes
from catalog.models import Connection, SchemaChange


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since wants a date as YYYY-MM-DD, not {text!r}.") from None


def change_json(change: SchemaChange) -> dict[str, Any]:
    return {
        "snapshot": change.snapshot_id,
        "detected_at": change.detected_at.isoformat(),
        "kind": change.kind,
        "object": change.object,
        "breaking": change.breaking,
        "reason": change.reason,
        "before": change.before or None,
        "after": change.after or None,
        "announced": change.announcement_id is not None,
    }


class Command(BaseCommand):
    help = "Print the change history of a connection, newest first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--since", help="only changes seen on or after this day (YYYY-MM-DD)")
        parser.add_argument("--breaking", action="store_true", help="only breaking changes")
        parser.add_argument("--json", action="store_true", help="the stable JSON form")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"]) if options["since"] else None
        connection = Connection.objects.filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.")
        history = filter_changes(
            SchemaChange.objects.filter(connection=connection),
            breaking=options["breaking"],
            since=since,
        ).order_by("-detected_at", "-snapshot_id", "position")
        changes = [change_json(c) for c in history]
        if options["json"]:
            data = {"connection": connection.name, "changes": changes}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if not changes:
            self.stdout.write(f"{connection.name}: no change recorded.")
            return
        for c in changes:
            flags = " BREAKING" if c["breaking"] else ""
            if c["breaking"]:
                flags += ", announced" if c["announced"] else ", not announced"
            self.stdout.write(
                f"{c['detected_at'][:16].replace('T', ' ')}  {c['kind']:<20} {c['object']}{flags}"
            )
            self.stdout.write(f"    {c['reason']}")
