"""Thin Celery tasks: take ids, call one service function, handle retries."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from catalog.diagrams import render_pending
from catalog.models import Connection
from catalog.snapshots import SnapshotAlreadyRunning, release_stale_locks, take_snapshot
from schemajoy_site.celery import BROKER_ERRORS
from scoring.tasks import score_snapshot_task

log = logging.getLogger(__name__)

RETRY_BACKOFF = (30, 120, 600)  # seconds between attempts on transient target errors


# Acknowledged when done, and requeued if its worker dies: a second delivery is safe, as
# take_snapshot recognises its attempt (see take_snapshot).
@shared_task(bind=True, max_retries=len(RETRY_BACKOFF), acks_late=True, reject_on_worker_lost=True)
def snapshot_connection(self, connection_id: int, trigger: str = "schedule") -> int | None:
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return None
    attempt = f"{self.request.id}:{self.request.retries}" if self.request.id else ""
    try:
        snapshot = take_snapshot(connection, trigger=trigger, attempt=attempt)
    except SnapshotAlreadyRunning as exc:
        log.info("%s", exc)
        return None
    if snapshot.transient_error and self.request.retries < self.max_retries:
        raise self.retry(countdown=RETRY_BACKOFF[self.request.retries])
    if snapshot.succeeded:
        score_snapshot_task.delay(snapshot.pk)
    return snapshot.pk


def enqueue_snapshot(connection_id: int, *, trigger: str) -> bool:
    """Queue a snapshot; False when the broker is unreachable (nothing was queued)."""
    try:
        snapshot_connection.delay(connection_id, trigger=trigger)
    except BROKER_ERRORS:
        log.warning("broker unreachable: snapshot of connection %s not queued", connection_id)
        return False
    return True


def claim_due_connections() -> list[int]:
    """Ids of enabled connections whose next snapshot is due, pushed forward so the
    next beat tick does not enqueue them again while they wait in the queue."""
    now = timezone.now()
    with transaction.atomic():
        # Rows another beat holds are skipped (SQLite has no row locks and needs none).
        ids = list(
            Connection.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .filter(Q(next_snapshot_at__isnull=True) | Q(next_snapshot_at__lte=now))
            .values_list("pk", flat=True)
        )
        Connection.objects.filter(pk__in=ids).update(
            next_snapshot_at=Value(now) + F("schedule_interval")
        )
    return ids


@shared_task
def snapshot_due_connections() -> list[int]:
    failed = release_stale_locks()
    if failed:
        log.warning("%d snapshot(s) left running by a stopped worker marked failed", failed)
    ids = claim_due_connections()
    for pk in ids:
        snapshot_connection.delay(pk, trigger="schedule")
    return ids


@shared_task
def render_diagram(cache_key: str) -> bool:
    """Render one queued diagram; safe to run twice (the first run claims it)."""
    return render_pending(cache_key)
