"""Thin Celery tasks: take ids, call one function of runs.py."""

from __future__ import annotations

from celery import shared_task

from catalog.models import Connection, Snapshot
from scoring.runs import connections_with_lapsed_waivers, rescore_latest, score_snapshot


# Scoring is idempotent (a rescore replaces the snapshot's scores): a task whose worker died
# is simply delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def score_snapshot_task(snapshot_id: int) -> float | None:
    """Score one succeeded snapshot; returns its total (None when skipped or nothing applied)."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.SUCCEEDED).first()
    if snapshot is None:
        return None
    return score_snapshot(snapshot).total


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rescore_connection_task(connection_id: int) -> float | None:
    """Rescore a connection's latest snapshot after a waiver or a rule setting changed."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None
    score = rescore_latest(connection)
    return score.total if score is not None else None


@shared_task
def rescore_lapsed_waivers() -> list[int]:
    """Beat: rescore connections whose waivers expired, so their findings come back today."""
    ids = connections_with_lapsed_waivers()
    for pk in ids:
        rescore_connection_task.delay(pk)
    return ids
