"""Thin Celery tasks: take ids, call one service function (runs.py, waivers.py)."""

from __future__ import annotations

from celery import shared_task

from catalog.models import Connection, Snapshot, Team
from scoring.mailings import due_digests, send_weekly_digest
from scoring.runs import rescore_latest, score_snapshot
from scoring.waivers import connections_with_lapsed_waivers


# Scoring is idempotent (a rescore replaces the snapshot's scores): a task whose worker died
# is simply delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def score_snapshot_task(snapshot_id: int) -> float | None:
    """Score one succeeded snapshot; returns its total (None when skipped or nothing applied)."""
    snapshot = Snapshot.objects.succeeded().filter(pk=snapshot_id).first()
    if snapshot is None:
        return None
    return score_snapshot(snapshot).total


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rescore_connection_task(connection_id: int, reason: str = "settings") -> float | None:
    """Rescore a connection's latest snapshot after a waiver, a rule setting or a
    description changed (``reason``: a Finding.Resolution value)."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None
    score = rescore_latest(connection, reason=reason)
    return score.total if score is not None else None


@shared_task
def rescore_lapsed_waivers() -> list[int]:
    """Beat: rescore connections whose waivers expired, so their findings come back today."""
    ids = connections_with_lapsed_waivers()
    for pk in ids:
        rescore_connection_task.delay(pk)
    return ids


@shared_task
def send_due_digests() -> list[tuple[int, str]]:
    """Beat, every 15 minutes: one task per team whose weekly e-mail is due (or resumable)."""
    due = due_digests()
    for team_id, week in due:
        send_digest_task.delay(team_id, week)
    return due


@shared_task
def send_digest_task(team_id: int, week: str) -> str:
    """Record and send one team's e-mail of one week (safe to run twice: see mailings.py).

    A failed send is not retried from here: beat finds it again once its backoff is over,
    which also covers a worker that died, and an eager run cannot loop on it.
    """
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return "no such team"
    return send_weekly_digest(team, week).line()
