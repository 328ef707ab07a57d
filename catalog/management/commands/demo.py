from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from catalog.connections import delete_connection
from catalog.demo import DEMO_VERSIONS, apply_demo_version, build_demo_target
from catalog.models import Connection, SchemaChange, Snapshot, Team
from catalog.snapshots import summary_line, take_snapshot
from scoring.runs import score_snapshot

DEMO_CONNECTION = "demo_shop"
DEMO_USER = "demo"


class Command(BaseCommand):
    help = (
        "Prepare the demo: a login, a team, and a bundled shop database snapshotted "
        "through each version of its real history. What `make demo` runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="rebuild the demo history from scratch"
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="where the dashboard will be served, for the closing message",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        team, _ = Team.objects.get_or_create(name="Shop backend", defaults={"slug": "shop-backend"})
        user = User.objects.filter(username=DEMO_USER).first() or User(username=DEMO_USER)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.is_staff = user.is_superuser = True
        user.save()
        team.members.add(user)

        connection = Connection.objects.filter(name=DEMO_CONNECTION).first()
        if options["reset"] and connection is not None:
            delete_connection(connection)
            connection = None
        if connection is None or not connection.snapshots.exists():
            self._build_history(team)
        else:
            self.stdout.write(
                f"The demo history exists already ({connection.snapshots.count()} snapshots); "
                "use --reset to rebuild it."
            )

        preview = self._weekly_email(team, user, options["url"])
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSchemaJoy demo is ready: {options['url']}\n"
                f"  login:    {DEMO_USER}\n  password: {password}\n"
                f"  this week's e-mail: {preview}\n"
            )
        )

    def _weekly_email(self, team: Team, user: User, url: str) -> str:
        """Opt the demo login in and send this week's e-mail (the embedded e-mail backend
        writes it under var/mail/); returns the preview page's address."""
        from scoring.digests import local_week
        from scoring.mailings import send_weekly_digest, team_schedule
        from scoring.models import DigestSubscription

        if not user.email:
            user.email = "demo@example.com"
            user.save(update_fields=["email"])
        DigestSubscription.objects.get_or_create(user=user, team=team)
        site = url.rstrip("/")
        week = local_week(team_schedule(team), timezone.now())
        with override_settings(SITE_URL=site):
            outcome = send_weekly_digest(team, week)
        where = getattr(settings, "EMAIL_FILE_PATH", None)
        self.stdout.write(
            f"Weekly e-mail {outcome.line()}" + (f" (under {where})" if where else "")
        )
        return site + reverse("scoring:digest_preview", args=[team.slug])

    def _build_history(self, team: Team) -> None:
        path = Path(settings.VAR_DIR) / "demo" / "shop.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = Connection.objects.filter(name=DEMO_CONNECTION).first() or Connection(
            name=DEMO_CONNECTION, team=team
        )
        connection.set_dsn(f"sqlite:///{path}")
        # The demo is snapshotted here, version by version; the schedule would only
        # repeat the last one, so it starts paused.
        connection.enabled = False
        connection.save()
        for i, version in enumerate(DEMO_VERSIONS):
            if i == 0:
                build_demo_target(path, upto=version.number)
            else:
                apply_demo_version(path, version)
            snapshot = take_snapshot(connection, trigger="demo")
            backdate(snapshot, days=age_in_days(len(DEMO_VERSIONS) - 1 - i))
            if snapshot.succeeded:
                score_snapshot(snapshot)
            self.stdout.write(f"v{version.number} {version.name}: {summary_line(snapshot)}")


def age_in_days(versions_after: int) -> int:
    """How long ago a demo version was snapshotted: the last three this week (so this
    week's e-mail and "new this week" have the breaking changes), older ones a week apart."""
    return (0, 2, 5)[versions_after] if versions_after < 3 else 7 * (versions_after - 1)


def backdate(snapshot: Snapshot, *, days: int) -> None:
    """Move a demo snapshot (and the changes it found) back in time, before it is scored,
    so the history spans weeks: trends and "this week" read like a real team's."""
    if not days:
        return
    shift = timedelta(days=days, hours=days % 7)  # not all at the same hour
    Snapshot.objects.filter(pk=snapshot.pk).update(
        started_at=F("started_at") - shift, finished_at=F("finished_at") - shift
    )
    SchemaChange.objects.filter(snapshot=snapshot).update(detected_at=F("detected_at") - shift)
    snapshot.refresh_from_db()
