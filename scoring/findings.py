"""sync_findings(): the findings' lifecycle (see models.Finding) moved by one scorecard.

Only the latest scored snapshot of a connection moves it (runs.py decides), so rescoring
an older snapshot never reopens what a newer one resolved.
"""

from __future__ import annotations

from catalog.bulk import insert_rows, update_rows
from catalog.models import Connection, Snapshot
from scoring.engine import Scorecard
from scoring.models import Finding
from scoring.rules.base import Severity

_BATCH = 2000
_FINDING_FIELDS = (
    "connection_id",
    "rule",
    "theme",
    "object",
    "table",
    "severity",
    "message",
    "fix",
    "waived",
    "opened_in_id",
    "opened_at",
)
_STATE = ("severity", "message", "fix", "waived")
# Plain strings: psycopg would dump an enum by its name.
_SEVERITY_TEXT = {severity: str(severity) for severity in Severity}


def sync_findings(
    connection: Connection,
    snapshot: Snapshot,
    card: Scorecard,
    *,
    rescoring: bool = False,
    reason: str = Finding.Resolution.SETTINGS,
) -> None:
    """Open new findings, resolve vanished ones, update changed ones; leave the rest alone.

    A finding that vanishes on a new snapshot was fixed; one that vanishes when the same
    snapshot is rescored, or whose rule is switched off, went with a settings change (so
    "fixed this week" counts only what the schema fixed).
    """
    # Rows as (rule, object, pk, *state): compared by slice, without a tuple per row.
    existing = {
        (row[0], row[1]): row
        for row in Finding.objects.filter(
            connection=connection, resolved_in__isnull=True
        ).values_list("rule", "object", "pk", *_STATE)
    }
    connection_id, snapshot_id, opened_at = connection.pk, snapshot.pk, snapshot.started_at
    to_create = []
    to_update = []
    for f in (*card.findings, *card.waived):
        row = existing.pop((f.rule, f.object), None)
        state = (_SEVERITY_TEXT[f.severity], f.message, f.fix or "", f.waived)
        if row is None:
            to_create.append(
                (connection_id, f.rule, f.theme, f.object, f.table, *state, snapshot_id, opened_at)
            )
        elif row[3:] != state:
            to_update.append((row[2], *state))
    # What is left failed before and passes now.
    fixed = [] if rescoring else [row[2] for row in existing.values() if row[0] in card.rules]
    # A rule switched off is a settings change whatever started the rescore.
    by_reason = [row[2] for row in existing.values() if rescoring and row[0] in card.rules]
    by_settings = [row[2] for row in existing.values() if row[0] not in card.rules]
    for pks, resolution in (
        (fixed, Finding.Resolution.FIXED),
        (by_reason, reason),
        (by_settings, Finding.Resolution.SETTINGS),
    ):
        for i in range(0, len(pks), _BATCH):
            Finding.objects.filter(pk__in=pks[i : i + _BATCH]).update(
                resolved_in=snapshot, resolved_at=snapshot.started_at, resolution=resolution
            )
    update_rows(Finding, _STATE, to_update)
    insert_rows(Finding, _FINDING_FIELDS, to_create)
