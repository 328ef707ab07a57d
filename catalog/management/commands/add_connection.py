from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from catalog.introspection.dsn import InvalidDSN
from catalog.models import Connection, Team
from catalog.timespans import parse_interval


class Command(BaseCommand):
    help = "Add a connection (or update the one with this name). Creates the team if needed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("dsn", help="postgresql://…, mysql://… or sqlite:////path.db")
        parser.add_argument("--team", required=True)
        parser.add_argument(
            "--interval", default="1h", help="snapshot interval: 15m, 1h, 6h, 1d, 1w"
        )
        parser.add_argument("--no-sampling", action="store_true")
        parser.add_argument(
            "--disabled", action="store_true", help="add it paused (no scheduled snapshots)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            interval = parse_interval(options["interval"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        team, _ = Team.objects.get_or_create(
            name=options["team"], defaults={"slug": slugify(options["team"])[:100] or "team"}
        )
        connection = Connection.objects.filter(name=options["name"]).first()
        created = connection is None
        connection = connection or Connection(name=options["name"])
        try:
            connection.set_dsn(options["dsn"])
        except InvalidDSN as exc:
            raise CommandError(str(exc)) from None
        connection.team = team
        connection.schedule_interval = interval
        connection.sampling_enabled = not options["no_sampling"]
        connection.enabled = not options["disabled"]
        connection.save()
        verb = "added" if created else "updated"
        self.stdout.write(
            f"{connection.name}: {verb} ({connection.dsn_redacted}, team {team.name}, every {options['interval']})"
        )
