from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.dbt import export_dbt
from catalog.models import Connection


class Command(BaseCommand):
    help = "Write a connection's live catalog as a dbt sources.yml (version 2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the connection's name")
        parser.add_argument("-o", "--output", help="file to write; standard output when left out")
        parser.add_argument("--schema", help="only this schema")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.")
        text = export_dbt(connection, schema=options["schema"])
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(text, ending="")
