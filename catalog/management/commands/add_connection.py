from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

from catalog.introspection.dsn import InvalidDSN
from catalog.models import Connection, Team
from catalog.timespans import parse_interval


class Command(BaseCommand):
    help = "Add a connection (or update the one with this name). Creates the team if needed."
    stealth_options = ("stdin",)  # tests hand call_command a stream

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument(
            "dsn",
            nargs="?",
            help="postgresql://…, mysql://… or sqlite:////path.db. Visible to `ps` and the "
            "shell history: prefer --dsn-stdin or the SCHEMAJOY_DSN environment variable",
        )
        parser.add_argument(
            "--dsn-stdin", action="store_true", help="read the connection string from stdin"
        )
        parser.add_argument(
            "--dsn-env",
            default="SCHEMAJOY_DSN",
            metavar="VARIABLE",
            help="environment variable holding the connection string when none is given "
            "(default SCHEMAJOY_DSN)",
        )
        parser.add_argument("--team", required=True, help="the team's slug or name")
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
        limit: int = Connection._meta.get_field("name").max_length  # type: ignore[assignment]
        if not options["name"].strip() or len(options["name"]) > limit:
            raise CommandError(f"A connection's name has 1 to {limit} characters.")
        dsn = self._dsn(options)
        team = self._team(options["team"])
        connection = Connection.objects.filter(name=options["name"]).first()
        created = connection is None
        connection = connection or Connection(name=options["name"])
        try:
            connection.set_dsn(dsn)
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

    def _dsn(self, options: dict[str, Any]) -> str:
        if options["dsn_stdin"]:
            if options["dsn"]:
                raise CommandError(
                    "Give the connection string as an argument or on stdin, not both."
                )
            dsn = (options.get("stdin") or sys.stdin).readline().strip()
        else:
            dsn = options["dsn"] or os.environ.get(options["dsn_env"], "").strip()
        if not dsn:
            raise CommandError(
                f"No connection string: pass it on stdin with --dsn-stdin, or in the "
                f"{options['dsn_env']} environment variable."
            )
        return dsn

    def _team(self, given: str) -> Team:
        """The team with this slug or name; a new one when neither exists and the slug is free."""
        team = (
            Team.objects.filter(slug=given).first()
            or Team.objects.filter(name__iexact=given).first()
        )
        if team is not None:
            return team
        slug = slugify(given)[:100]
        if not slug or len(given) > Team._meta.get_field("name").max_length:  # type: ignore[operator]
            raise CommandError(f"{given!r} is not a usable team name.")
        taken = Team.objects.filter(slug=slug).first()
        if taken is not None:
            raise CommandError(
                f"No team is named {given!r}, and its slug {slug!r} belongs to team "
                f"{taken.name!r}: pass --team {taken.slug} to use that team."
            )
        return Team.objects.create(name=given, slug=slug)
