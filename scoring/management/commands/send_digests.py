from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from catalog.models import Team
from scoring.digests import local_week, parse_week, week_bounds
from scoring.mailings import (
    Outcome,
    dry_run,
    due_digests,
    schedule_of,
    send_weekly_digest,
)
from scoring.models import DigestSettings


class Command(BaseCommand):
    help = (
        "Send the weekly health e-mails. With no option: the teams whose send time has come "
        "(what beat does). With --team and/or --week: now, for that week, whatever the "
        "schedule; still once per (team, week) unless --force. Exits 1 if any send failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", help="a team's slug")
        parser.add_argument("--week", help="an ISO week, like 2026-W49 (default: this week)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print who would get what; send nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="send again even if this week's was sent"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        week = options["week"]
        if week is not None:
            try:
                parse_week(week)
            except ValueError as error:
                raise CommandError(str(error)) from None
        teams = Team.objects.order_by("slug")
        if options["team"]:
            teams = teams.filter(slug=options["team"])
            if not teams.exists():
                raise CommandError(f"No team with the slug {options['team']!r}.")
        if options["team"] or week or options["force"]:
            settings = {row.team_id: row for row in DigestSettings.objects.all()}
            jobs = []
            for team in teams:
                schedule = schedule_of(settings.get(team.pk))
                team_week = week or local_week(schedule, now)
                if week_bounds(schedule, team_week)[0] > now:
                    raise CommandError(f"{team_week} has not begun for {team.slug}.")
                jobs.append((team, team_week))
        else:
            by_pk = {team.pk: team for team in teams}
            jobs = [(by_pk[pk], w) for pk, w in due_digests(now) if pk in by_pk]
            if not jobs:
                self.stdout.write("No team's weekly e-mail is due.")
        failed = False
        for team, team_week in jobs:
            outcome: Outcome
            if options["dry_run"]:
                outcome = dry_run(team, team_week, now=now)
            else:
                outcome = send_weekly_digest(
                    team, team_week, now=now, force=options["force"], retry_now=True
                )
            failed |= outcome.status == "failed"
            self.stdout.write(outcome.line())
        if failed:
            sys.exit(1)
