"""score_snapshot(): score a snapshot and save the result (the ORM edge of the engine).

Load the snapshot's model, build its RuleContext (context.py), run the pure engine, and
save: the snapshot's scores, and the findings' lifecycle (findings.py). Only the latest
scored snapshot of a connection moves the lifecycle, so rescoring an older snapshot never
reopens what a newer one resolved. A snapshot whose inputs (inputs.py) equal those of the
connection's latest score copies that score without running the engine: the usual
unchanged re-snapshot.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.introspection.model import SchemaModel, from_document, paused_gc
from catalog.models import Connection, SchemaDocument, Snapshot
from scoring.context import rule_context, snapshot_observations
from scoring.engine import score_schema, table_scores
from scoring.findings import sync_findings
from scoring.inputs import inputs_digest
from scoring.models import Finding, ScoringFailure, SnapshotScore
from scoring.scorecards import stored_scores
from scoring.waivers import follow_renames

# The last parsed models by fingerprint: an unchanged schema (most snapshots) is parsed
# once per worker, not once per scoring. Models are immutable, so sharing them is safe.
_PARSED: dict[str, SchemaModel] = {}
_PARSED_MAX = 2


def load_model(snapshot: Snapshot) -> SchemaModel:
    model = _PARSED.get(snapshot.fingerprint)
    if model is None:
        document = SchemaDocument.objects.values_list("document", flat=True).get(
            pk=snapshot.document_id
        )
        model = from_document(document)
        while len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[snapshot.fingerprint] = model
    # Row estimates stay out: no rule reads them (a test holds it), so they are not an
    # input of the scorecard, and a busy database's changing counts never defeat the copy
    # of an unchanged snapshot's score.
    return model


def score_snapshot(
    snapshot: Snapshot,
    *,
    today: datetime.date | None = None,
    reason: str = Finding.Resolution.SETTINGS,
) -> SnapshotScore:
    """Score a succeeded snapshot and save its scores and the findings' lifecycle.

    Safe to run twice (a rescore replaces the snapshot's scores and moves only the
    findings whose state changed). ``today`` decides which waivers have expired. When the
    connection's latest score came from the same inputs (an unchanged schema re-snapshotted,
    the common case), its results are copied and the engine does not run. ``reason`` is
    why a rescore closes findings: a settings change, or a description written here.
    """
    # Hundreds of thousands of acyclic rows and findings: see paused_gc.
    try:
        with paused_gc():
            score = _score_snapshot(snapshot, today, reason)
    except Exception as exc:
        _record_failure(snapshot, exc)
        raise
    ScoringFailure.objects.filter(connection_id=snapshot.connection_id).delete()
    return score


def _record_failure(snapshot: Snapshot, exc: Exception) -> None:
    """Keep why scoring failed where the scorecard and the connection page show it."""
    ScoringFailure.objects.update_or_create(
        connection_id=snapshot.connection_id,
        defaults={
            "snapshot_id": snapshot.pk,
            "failed_at": timezone.now(),
            "error": f"{type(exc).__name__}: {exc}"[:500],
        },
    )


def _score_snapshot(snapshot: Snapshot, today: datetime.date | None, reason: str) -> SnapshotScore:
    started = time.perf_counter()
    snapshot = Snapshot.objects.select_related("connection").get(pk=snapshot.pk)
    connection = snapshot.connection
    follow_renames(snapshot)
    ctx = rule_context(
        connection,
        observations=snapshot_observations(snapshot),
        today=today,
        at=snapshot.finished_at or snapshot.started_at,
    )
    digest = inputs_digest(snapshot, ctx)
    with transaction.atomic():
        _lock_scoring(connection)
        copied = _copy_unchanged(snapshot, digest, started)
    if copied is not None:
        return copied
    card = score_schema(load_model(snapshot), ctx)
    tables = table_scores(card)
    with transaction.atomic():
        _lock_scoring(connection)
        latest = not SnapshotScore.objects.filter(
            connection=connection, snapshot__started_at__gt=snapshot.started_at
        ).exists()
        if latest:
            rescoring = SnapshotScore.objects.filter(pk=snapshot.pk).exists()
            sync_findings(connection, snapshot, card, rescoring=rescoring, reason=reason)
            _clear_older_table_scores(snapshot)
        score = _save_score(
            snapshot,
            started,
            **stored_scores(card),
            table_scores=tables if latest else {},
            inputs_digest=digest,
        )
    return score


def _lock_scoring(connection: Connection) -> None:
    # One scoring run per connection at a time: a task and a waiver's rescore could race.
    Connection.objects.select_for_update().filter(pk=connection.pk).first()


def _clear_older_table_scores(snapshot: Snapshot) -> None:
    # Per-table scores live on the latest score only.
    SnapshotScore.objects.filter(connection_id=snapshot.connection_id).exclude(
        pk=snapshot.pk
    ).exclude(table_scores={}).update(table_scores={})


def _copy_unchanged(snapshot: Snapshot, digest: str, started: float) -> SnapshotScore | None:
    """Store the connection's latest score again for ``snapshot`` if it came from the same
    inputs (None otherwise). The engine would only repeat it, and the findings already
    hold its state, so they are left alone. Runs under the scoring lock."""
    previous = SnapshotScore.objects.annotate(started_at=F("snapshot__started_at")).latest_of(
        snapshot.connection_id
    )
    if previous is None or previous.inputs_digest != digest:
        return None
    if previous.pk == snapshot.pk:  # rescored with nothing changed
        previous.scored_at = timezone.now()
        previous.duration = time.perf_counter() - started
        previous.save(update_fields=["scored_at", "duration"])
        return previous
    latest = previous.started_at <= snapshot.started_at  # type: ignore[attr-defined]
    if latest:
        _clear_older_table_scores(snapshot)
    return _save_score(
        snapshot,
        started,
        total=previous.total,
        themes=previous.themes,
        rules=previous.rules,
        open_findings=previous.open_findings,
        waived_findings=previous.waived_findings,
        top_fixes=previous.top_fixes,
        table_scores=previous.table_scores if latest else {},
        inputs_digest=digest,
    )


_SCORE_FIELDS = [f.name for f in SnapshotScore._meta.concrete_fields if not f.primary_key]


def _save_score(snapshot: Snapshot, started: float, **values: Any) -> SnapshotScore:
    """Insert the snapshot's score, or replace it when rescored: one statement."""
    score = SnapshotScore(
        snapshot=snapshot,
        connection_id=snapshot.connection_id,
        scored_at=timezone.now(),
        duration=time.perf_counter() - started,
        **values,
    )
    SnapshotScore.objects.bulk_create(
        [score], update_conflicts=True, unique_fields=["snapshot"], update_fields=_SCORE_FIELDS
    )
    return score


# Entry points -------------------------------------------------------------------


def latest_snapshot(connection: Connection) -> Snapshot | None:
    return Snapshot.objects.filter(connection=connection).latest_succeeded()


def rescore_latest(
    connection: Connection, *, reason: str = Finding.Resolution.SETTINGS
) -> SnapshotScore | None:
    """Rescore the latest succeeded snapshot (after a waiver, a setting or a description
    changed); ``reason`` labels the findings this closes."""
    snapshot = latest_snapshot(connection)
    return score_snapshot(snapshot, reason=reason) if snapshot is not None else None
