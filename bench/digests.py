"""Weekly e-mails: compose 200 teams' e-mails (5 connections each), and count the queries
gathering one team's week costs at 1 and at 20 connections (they must be equal).

    python -m bench.digests              # 200 teams x 5 connections
    python -m bench.digests 50           # fewer teams

Goal (issue 10): all 200 composed (gathered, composed, both parts rendered, CSS inlined)
in under 30 s on this machine. SchemaJoy's own data sits in a scratch PostgreSQL database;
the history is written as rows (9 weekly scored snapshots per connection, a failed one,
findings opened and fixed this week, breaking changes, an announcement), so no target
database is needed.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time

from bench.scratch import django_app

WEEKS = 9
FINDINGS = 60  # per connection: a third opened this week, a sixth fixed


def build(
    teams: int, connections: int, *, prefix: str, per_week: int = 1, seed: int = 7
) -> list[int]:
    """Teams with a realistic history, as rows; returns the team ids."""
    from django.utils import timezone

    from catalog.models import Announcement, Connection, SchemaChange, Snapshot, Team
    from scoring.models import Finding, SnapshotScore
    from scoring.rules import ALL_RULES

    rnd = random.Random(seed)
    now = timezone.now()
    dsn = Connection(name="x")
    dsn.set_dsn("sqlite:////nonexistent/bench.db")
    team_rows = Team.objects.bulk_create(
        Team(name=f"{prefix} {i}", slug=f"{prefix}-{i}", digest_recipients=f"t{i}@example.com")
        for i in range(teams)
    )
    conns = Connection.objects.bulk_create(
        Connection(
            team=team,
            name=f"{prefix}-{i}-{j}",
            dialect="sqlite",
            dsn_encrypted=dsn.dsn_encrypted,
            dsn_redacted=dsn.dsn_redacted,
            last_snapshot_at=now - datetime.timedelta(hours=rnd.choice([1, 1, 1, 30])),
        )
        for i, team in enumerate(team_rows)
        for j in range(connections)
    )
    snapshots = []
    for c in conns:
        for k in range(WEEKS * per_week, 0, -1):
            at = now - datetime.timedelta(hours=k * 168 / per_week - rnd.random())
            snapshots.append(
                Snapshot(connection=c, started_at=at, status="succeeded", table_count=40)
            )
        snapshots.append(
            Snapshot(
                connection=c,
                started_at=now - datetime.timedelta(hours=3),
                status="failed",
                error_message="connection refused",
            )
        )
    snapshots = Snapshot.objects.bulk_create(snapshots, batch_size=2000)
    scores = []
    for s in snapshots:
        if s.status != "succeeded":
            continue
        rules = {}
        for rule in ALL_RULES:
            applicable = rnd.randint(0, 400)
            passed = rnd.randint(0, applicable)
            rules[rule.id] = {
                "severity": str(rule.severity),
                "passed": passed,
                "applicable": applicable,
                "waived": 0,
                "rate": round(passed / applicable, 4) if applicable else None,
                "lost": round(rnd.random() * 2, 3),
            }
        fixes = [
            {
                "rule": rule.id,
                "object": f"public.t{k}",
                "table": f"public.t{k}",
                "theme": rule.theme,
                "severity": str(rule.severity),
                "message": f"public.t{k} fails {rule.id}",
                "fix": f"ALTER TABLE public.t{k} ADD PRIMARY KEY (id);",
                "gain": round(rnd.random() * 3, 3),
            }
            for k, rule in enumerate(rnd.sample(ALL_RULES, 10))
        ]
        scores.append(
            SnapshotScore(
                snapshot=s,
                connection_id=s.connection_id,
                scored_at=s.started_at,
                total=rnd.uniform(50, 90),
                themes={},
                rules=rules,
                top_fixes=fixes,
            )
        )
    SnapshotScore.objects.bulk_create(scores, batch_size=1000)
    last = {s.connection_id: s for s in snapshots if s.status == "succeeded"}
    findings, changes, announcements = [], [], []
    for c in conns:
        snap = last[c.pk]
        for k in range(FINDINGS):
            rule = ALL_RULES[k % len(ALL_RULES)]
            fresh = k % 3 == 0
            fixed = k % 6 == 1
            findings.append(
                Finding(
                    connection=c,
                    rule=rule.id,
                    theme=rule.theme,
                    object=f"public.t{k}",
                    table=f"public.t{k}",
                    severity=str(rule.severity),
                    message=f"public.t{k} fails {rule.id}",
                    opened_in=snap,
                    opened_at=snap.started_at if fresh else now - datetime.timedelta(weeks=6),
                    resolved_in=snap if fixed else None,
                    resolved_at=snap.started_at if fixed else None,
                    resolution="fixed" if fixed else "",
                )
            )
        for k in range(3):
            changes.append(
                SchemaChange(
                    connection=c,
                    snapshot=snap,
                    detected_at=snap.started_at,
                    kind="column_dropped",
                    object=f"public.t{k}.note",
                    table=f"public.t{k}",
                    schema="public",
                    breaking=True,
                    reason="dropped: readers of the column break",
                    position=k,
                )
            )
        announcements.append(
            Announcement(
                connection=c,
                kind="column_dropped",
                object="public.t9.legacy",
                table="public.t9",
                breaking=True,
                message="We drop t9.legacy next week",
            )
        )
    Finding.objects.bulk_create(findings, batch_size=5000)
    SchemaChange.objects.bulk_create(changes, batch_size=5000)
    Announcement.objects.bulk_create(announcements, batch_size=5000)
    return [t.pk for t in team_rows]


def compose(team_id: int) -> int:
    from django.utils import timezone

    from catalog.models import Team
    from scoring.digests import local_week
    from scoring.mailings import compose_for_team, team_schedule

    team = Team.objects.get(pk=team_id)
    now = timezone.now()
    rendered, _, _ = compose_for_team(team, week=local_week(team_schedule(team), now), now=now)
    return len(rendered.html) + len(rendered.text)


def queries_per_team(team_id: int) -> int:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    compose(team_id)  # warm
    with CaptureQueriesContext(db) as ctx:
        compose(team_id)
    return len(ctx.captured_queries)


def main(teams: int) -> int:
    with django_app():
        started = time.perf_counter()
        ids = build(teams, 5, prefix="t")
        [one] = build(1, 1, prefix="one")
        # Snapshotted every 6 hours: 224 scores per connection over the 8 weeks.
        [twenty] = build(1, 20, prefix="twenty", per_week=28)
        print(f"history written in {time.perf_counter() - started:.1f} s")

        q1, q20 = queries_per_team(one), queries_per_team(twenty)
        print(f"queries per team: {q1} at 1 connection, {q20} at 20 connections  "
              f"{'same' if q1 == q20 else 'NOT THE SAME'}")  # fmt: skip
        t = time.perf_counter()
        compose(twenty)
        print(f"a team of 20 connections snapshotted every 6 hours (4,480 scores in the 8 "
              f"weeks): composed in {(time.perf_counter() - t) * 1000:.0f} ms")  # fmt: skip

        per_team = []
        started = time.perf_counter()
        size = 0
        for pk in ids:
            t = time.perf_counter()
            size += compose(pk)
            per_team.append(time.perf_counter() - t)
        total = time.perf_counter() - started
        print(
            f"{teams} teams x 5 connections composed in {total:.1f} s "
            f"(goal < 30 s: {'met' if total < 30 else 'MISSED'}); per team median "
            f"{statistics.median(per_team) * 1000:.0f} ms, max {max(per_team) * 1000:.0f} ms; "
            f"{size / teams / 1024:.0f} KiB of e-mail per team"
        )
        return 0 if q1 == q20 and total < 30 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
