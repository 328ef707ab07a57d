"""`manage.py check_release NAME --candidate DSN_OR_FILE`: is this release safe for readers?

Compares the candidate (a database, introspected read-only, or a dump_schema file) with the
latest good snapshot of connection NAME. Exit 0: nothing breaking and the score drops by no
more than --max-drop; 1: otherwise; 2: the check could not run (the reason on stderr).
The JSON form is a stable interface (see issue 9 and scoring/releases.py).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Connection
from scoring.releases import (
    FAIL,
    FORMATS,
    ReleaseCheckError,
    announce_release,
    load_candidate,
    run_release_check,
)


def _points(value: str) -> float:
    try:
        points = float(value)
    except ValueError:
        raise CommandError(f"--max-drop takes points, not {value!r}.", returncode=2) from None
    if not 0 <= points <= 100:
        raise CommandError("--max-drop is between 0 and 100 points.", returncode=2)
    return points


class Command(BaseCommand):
    help = "Compare a candidate schema with a connection's latest snapshot, for CI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the connection's name")
        parser.add_argument(
            "--candidate", required=True, help="a connection string, or a dump_schema file"
        )
        parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
        parser.add_argument(
            "--max-drop", default="0", help="score points the release may cost (default 0)"
        )
        parser.add_argument(
            "--announce",
            metavar="MESSAGE",
            help="record the candidate's changes as announced and e-mail who should know",
        )
        parser.add_argument(
            "--author", help="the SchemaJoy username announcing (default: none recorded)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_drop = _points(options["max_drop"])
        connection = Connection.objects.select_related("team").filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.", returncode=2)
        author = None
        if options["author"]:
            author = get_user_model().objects.filter(username=options["author"]).first()
            if author is None:
                raise CommandError(f"No user named {options['author']!r}.", returncode=2)
        if options["announce"] is not None and not options["announce"].strip():
            raise CommandError(
                "--announce needs a message saying what changes and when.", returncode=2
            )
        try:
            candidate = load_candidate(options["candidate"])
            check = run_release_check(connection, candidate, max_drop=max_drop)
            result = check.result
            if options["announce"] is not None:
                result["announcement"] = announce_release(
                    check,
                    message=options["announce"],
                    author=author,
                    author_label=author.get_username() if author else "manage.py check_release",
                )
        except ReleaseCheckError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(FORMATS[options["format"]](result))
        if result["verdict"] == FAIL:
            sys.exit(1)
