from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.diagrams import FORMATS, MAX_DEPTH, DiagramUnavailable, View, get_diagram
from catalog.models import Connection, Diagram, Table


def find_table(connection: Connection, name: str) -> Table:
    """``schema.table``, or a bare table name when exactly one schema holds it.

    Live tables win over dropped ones of the same name.
    """
    tables = list(Table.objects.filter(connection=connection).only("schema", "name", "dropped_in"))
    for group in (
        [t for t in tables if t.dropped_in_id is None],
        [t for t in tables if t.dropped_in_id is not None],
    ):
        exact = [t for t in group if t.qualified_name == name]
        if exact:
            return exact[0]
        bare = [t for t in group if t.name == name]
        if len(bare) == 1:
            return bare[0]
        if bare:
            candidates = ", ".join(sorted(t.qualified_name for t in bare))
            raise CommandError(
                f"Table name {name!r} is ambiguous in {connection.name}: {candidates}. "
                "Pass SCHEMA.TABLE."
            )
    close = sorted(t.qualified_name for t in tables if name.lower() in t.qualified_name.lower())
    hint = f" Did you mean: {', '.join(close[:10])}?" if close else ""
    raise CommandError(f"No table {name!r} in {connection.name}.{hint}")


class Command(BaseCommand):
    help = (
        "Draw a connection's ERD from its latest snapshot: the whole database, one schema, "
        "one subject area, or a table's neighbourhood."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the connection's name")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--schema", help="only this schema")
        scope.add_argument("--table", help="the neighbourhood of SCHEMA.TABLE (or TABLE)")
        scope.add_argument("--area", help="one subject area, by its slug (schema:prefix_*)")
        parser.add_argument("--depth", type=int, help=f"with --table: 1 to {MAX_DEPTH}")
        parser.add_argument("--compact", action="store_true", help="names and key columns only")
        parser.add_argument("--format", choices=FORMATS, default="svg")
        parser.add_argument("-o", "--output", required=True, help="a file, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.")
        if options["depth"] is not None and not options["table"]:
            raise CommandError("--depth goes with --table.")
        depth = options["depth"] or 1
        if not 1 <= depth <= MAX_DEPTH:
            raise CommandError(f"--depth must be between 1 and {MAX_DEPTH}.")
        common: dict[str, Any] = {
            "format": options["format"],
            "compact": True if options["compact"] else None,
        }
        table = None
        if options["table"]:
            table = find_table(connection, options["table"])
            view = View(scope="table", focus=(table.schema, table.name), depth=depth, **common)
        elif options["schema"]:
            view = View(scope="schema", schema=options["schema"], **common)
        elif options["area"]:
            view = View(scope="area", area=options["area"], **common)
        else:
            view = View(scope="database", **common)
        try:
            row = get_diagram(connection, view, table=table)
        except DiagramUnavailable as exc:
            raise CommandError(exc.message) from None
        if row.status != Diagram.Status.READY:
            raise CommandError(row.error or f"The diagram is {row.get_status_display().lower()}.")
        content = bytes(row.content)
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
            return
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            f"{options['output']}: {view.describe()} of {connection.name}, "
            f"{len(content):,} bytes ({row.format})"
        )
