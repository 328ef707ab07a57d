"""`manage.py dump_schema DSN -o schema.json`: a database's schema as SchemaJoy stores it.

Introspects read-only, with the same limits as snapshots, and writes the canonical schema
document (``--compact``: without the fields at their default): the candidate `check_release` and the release-check API compare with a snapshot.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog import introspection
from catalog.dumps import compact_document
from catalog.introspection.dsn import InvalidDSN, parse_dsn
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.model import to_document
from catalog.snapshots import target_limits


def describe_target(dsn: str) -> str:
    """How an error names a candidate database: never with its password."""
    try:
        return f"Cannot read {parse_dsn(dsn).redacted()}"
    except InvalidDSN:
        return "Cannot use the connection string"


class Command(BaseCommand):
    help = "Introspect a database (read-only) into a schema file for check_release."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dsn", help="postgresql://…, mysql://…, mariadb://… or sqlite:///…")
        parser.add_argument(
            "-o", "--output", default="-", help="the file to write (default: standard output)"
        )
        parser.add_argument(
            "--compact",
            action="store_true",
            help="leave out fields that hold their default: the same schema in half the bytes "
            "(for the release-check API's body limit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = introspection.introspect(options["dsn"], limits=target_limits())
        except IntrospectionError as exc:
            raise CommandError(f"{describe_target(options['dsn'])}: {exc}", returncode=2) from None
        document = compact_document(model) if options["compact"] else to_document(model)
        output = options["output"]
        if output == "-":
            sys.stdout.write(document + "\n")
            return
        try:
            Path(output).write_text(document + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.", returncode=2) from None
        self.stderr.write(
            f"{output}: {len(model.tables)} tables, {model.column_count} columns ({model.dialect})."
        )
