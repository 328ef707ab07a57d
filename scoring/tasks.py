"""Thin Celery tasks: take ids, call one function of runs.py."""

from __future__ import annotations

from celery import shared_task

from catalog.models import Connection, Snapshot
from scoring.runs import connections_with_lapsed_waivers, rescore_latest, score_snapshot


@shared_task
def score_snapshot_task(snapshot_id: int) -> float | None:
    """Score one succeeded snapshot; returns its total (None when skipped or nothing applied)."""
    snapshot = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.SUCCEEDED).first()
    if snapshot is None:
        return None
    return score_snapshot(snapshot).total


@shared_task
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
