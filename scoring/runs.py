"""score_snapshot(): the ORM edge of scoring (the only module of scoring that queries).

Load the snapshot's model, build the RuleContext from the team's rule settings (overridden
per connection), the connection's active waivers and the descriptions people wrote, run the
pure engine, and save: the snapshot's scores, and the findings' lifecycle (see models.py).
Only the latest scored snapshot of a connection moves the lifecycle, so rescoring an older
snapshot never reopens what a newer one resolved. A snapshot whose inputs (schema, settings,
descriptions, waivers, observations, scoring code) equal those of the connection's latest
score copies that score without running the engine: the usual unchanged re-snapshot.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from catalog.bulk import insert_rows, update_rows
from catalog.introspection.model import SchemaModel, from_document, paused_gc
from catalog.models import Column, Connection, SchemaChange, SchemaDocument, Snapshot, Table
from scoring.engine import Scorecard, score_schema
from scoring.models import Finding, RuleSetting, ScoringFailure, SnapshotScore, Waiver
from scoring.observations import NO_OBSERVATIONS, Observations, observations_from_json
from scoring.options import check_options
from scoring.rules import ALL_RULES
from scoring.rules.base import DATABASE, WEIGHTS, ChangeFact, Rule, RuleContext, Severity
from scoring.trends import ScorePoint

TOP_FIXES = 10
_BATCH = 2000


# Settings -------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveSetting:
    """A rule's setting for one connection: rule defaults < team < connection."""

    rule: Rule
    enabled: bool
    severity: Severity
    options: dict[str, Any]
    team: RuleSetting | None = None
    override: RuleSetting | None = None


def freeze_options(value: Any) -> Any:
    """JSON lists become tuples, as the rules' own defaults are."""
    if isinstance(value, list):
        return tuple(freeze_options(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze_options(v) for k, v in value.items()}
    return value


def effective_settings(
    connection: Connection | None, *, team_id: int | None = None
) -> dict[str, EffectiveSetting]:
    """Every rule's effective setting for a connection (or for a team alone): one query."""
    team_id = team_id if connection is None else connection.team_id
    rows = RuleSetting.objects.filter(team_id=team_id)  # type: ignore[misc]
    rows = (
        rows.filter(Q(connection__isnull=True) | Q(connection=connection))
        if connection is not None
        else rows.filter(connection__isnull=True)
    )
    team_rows: dict[str, RuleSetting] = {}
    overrides: dict[str, RuleSetting] = {}
    for row in rows:
        (team_rows if row.connection_id is None else overrides)[row.rule] = row
    result = {}
    for rule in ALL_RULES:
        enabled, severity, options = True, rule.severity, dict(rule.options)
        for row in (team_rows.get(rule.id), overrides.get(rule.id)):  # type: ignore[assignment]
            if row is None:
                continue
            if row.enabled is not None:
                enabled = row.enabled
            if row.severity:
                severity = Severity(row.severity)
            options.update(freeze_options(_valid_options(rule, row.options)))
        result[rule.id] = EffectiveSetting(
            rule, enabled, severity, options, team_rows.get(rule.id), overrides.get(rule.id)
        )
    return result


def _valid_options(rule: Rule, options: Any) -> dict[str, Any]:
    """The stored options the rule can run with: a value the forms would refuse (saved
    through the admin, or before a check existed) falls back to the default."""
    if not isinstance(options, Mapping):
        return {}
    errors = check_options(options, rule.options)
    return {k: v for k, v in options.items() if k in rule.options and k not in errors}


def descriptions(connection: Connection) -> tuple[dict[str, str], dict[str, str]]:
    """SchemaJoy's own and dbt's descriptions by object name, in two queries.

    The database comment ranks between the two and already sits in the model.
    """
    own: dict[str, str] = {}
    dbt: dict[str, str] = {}
    # Dropped rows need no filter: a name is never live and dropped at once (the rows are
    # unique by name and revived in place). Without it, and unordered, the planner keeps
    # to the table_id index even before the catalog tables have statistics.
    written = ~Q(description="") | ~Q(dbt_description="")
    for schema, name, text, dbt_text in (
        Table.objects.filter(written, connection=connection)
        .order_by()
        .values_list("schema", "name", "description", "dbt_description")
    ):
        key = f"{schema}.{name}"
        if text.strip():
            own[key] = text
        if dbt_text.strip():
            dbt[key] = dbt_text
    for schema, table, name, text, dbt_text in (
        Column.objects.filter(written, table__connection=connection)
        .order_by()
        .values_list("table__schema", "table__name", "name", "description", "dbt_description")
    ):
        key = f"{schema}.{table}.{name}"
        if text.strip():
            own[key] = text
        if dbt_text.strip():
            dbt[key] = dbt_text
    return own, dbt


def active_waivers(
    connection: Connection, today: datetime.date | None = None
) -> frozenset[tuple[str, str]]:
    return frozenset(
        pair for waiver in Waiver.objects.filter(connection=connection).active(today)
        for pair in waiver.globs()
    )  # fmt: skip


def snapshot_observations(snapshot: Snapshot) -> Observations:
    return (
        observations_from_json(snapshot.observations)
        if snapshot.observations
        else (NO_OBSERVATIONS)
    )


def change_facts(connection: Connection, at: datetime.datetime) -> tuple[ChangeFact, ...]:
    """The breaking changes of the connection's changes window ending at ``at``, oldest first
    (the ``changes`` theme's objects)."""
    rows = (
        SchemaChange.objects.filter(
            connection=connection,
            breaking=True,
            detected_at__gt=at - connection.changes_window,
            detected_at__lte=at,
        )
        .select_related("announcement")
        .order_by("detected_at", "snapshot_id", "position")
    )
    return tuple(
        ChangeFact(
            kind=row.kind,
            object=row.object,
            table=row.table,
            detected_at=row.detected_at,
            announced_at=row.announcement.created_at if row.announcement else None,
            transition=row.transition,
        )
        for row in rows
    )


def follow_renames(snapshot: Snapshot) -> int:
    """Point the connection's waivers at the new names of what this snapshot saw renamed.

    Waivers name objects; a renamed table or column keeps its waivers as it keeps its
    documentation. Glob waivers are patterns a person wrote: left as written. Safe to run
    twice (a moved waiver no longer names the old object). Returns the waivers moved.
    """
    renames = SchemaChange.objects.filter(
        snapshot=snapshot, kind__in=("table_renamed", "column_renamed")
    ).values_list("kind", "object", "table", "before")
    return sum(
        move_waivers(
            snapshot.connection_id,
            before if kind == "table_renamed" else f"{table}.{before}",
            obj,
            table=kind == "table_renamed",
        )
        for kind, obj, table, before in renames
    )


def move_waivers(connection_id: int, old: str, new: str, *, table: bool) -> int:
    """Waivers of object ``old`` (and, for a table, of its columns) now name ``new``."""
    waivers = Waiver.objects.filter(connection_id=connection_id)
    if not table:
        return waivers.filter(scope=Waiver.Scope.FINDING, pattern=old).update(pattern=new)
    moved = waivers.filter(
        scope__in=(Waiver.Scope.FINDING, Waiver.Scope.TABLE), pattern=old
    ).update(pattern=new)
    for waiver in waivers.filter(scope=Waiver.Scope.FINDING, pattern__startswith=f"{old}."):
        waiver.pattern = new + waiver.pattern[len(old) :]
        waiver.save(update_fields=["pattern"])
        moved += 1
    return moved


def rule_context(
    connection: Connection,
    *,
    observations: Observations = NO_OBSERVATIONS,
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> RuleContext:
    settings = effective_settings(connection)
    own, dbt = descriptions(connection)
    return RuleContext(
        options={rule_id: s.options for rule_id, s in settings.items()},
        severities={
            rule_id: str(s.severity)
            for rule_id, s in settings.items()
            if s.severity != s.rule.severity
        },
        disabled=frozenset(rule_id for rule_id, s in settings.items() if not s.enabled),
        descriptions=own,
        dbt_descriptions=dbt,
        waivers=active_waivers(connection, today),
        observations=observations,
        changes=change_facts(connection, at or timezone.now()),
    )


# Scoring ----------------------------------------------------------------------


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


def table_scores(card: Scorecard) -> dict[str, float]:
    """Each table's score, by the engine's maths restricted to that table.

    Per theme, the severity-weighted mean over the rules that apply to the table of
    1 - failing / applicable objects (waived ones pass); then the weighted mean of themes.
    A table that no weighted rule applies to has no score. It uses each rule's severity
    (after overrides) for all its objects, where the engine splits escalated or demoted
    outcomes into lanes: close enough for a table's badge, exact for the database total.
    Failures count in scored lanes only; applicable objects in all lanes.
    """
    sums: dict[str, dict[str, list[float]]] = {}
    for rule_id, lanes in card.unit_counts.items():
        result = card.rules.get(rule_id)
        weight = WEIGHTS[result.severity] if result else 0
        if not weight:
            continue
        theme = result.theme  # type: ignore[union-attr]
        if len(lanes) == 1:
            [(lane, units)] = lanes.items()
            cells: Iterable[tuple[str, int, int]] = (
                (unit, a, f if WEIGHTS[lane] else 0) for unit, (a, f) in units.items()
            )
        else:
            merged: dict[str, list[int]] = {}
            for lane, units in lanes.items():
                scored = bool(WEIGHTS[lane])
                for unit, (a, f) in units.items():
                    cell = merged.get(unit)
                    if cell is None:
                        cell = merged[unit] = [0, 0]
                    cell[0] += a
                    if scored:
                        cell[1] += f
            cells = ((unit, a, f) for unit, (a, f) in merged.items())
        for unit, applicable, failing in cells:
            if unit == DATABASE:
                continue
            themes = sums.get(unit)
            if themes is None:
                themes = sums[unit] = {}
            acc = themes.get(theme)
            if acc is None:
                acc = themes[theme] = [0.0, 0.0]
            acc[0] += weight * (1 - failing / applicable)
            acc[1] += weight
    scores = {}
    for unit, themes in sums.items():
        weights = {t: card.theme_weights.get(t, 1.0) for t in themes}
        total = sum(weights.values())
        scores[unit] = round(
            sum(weights[t] * 100 * s / w for t, (s, w) in themes.items()) / total, 1
        )
    return scores


def _rules_json(card: Scorecard) -> dict[str, dict[str, Any]]:
    # Score points each rule costs (the gains of its open findings): what team pages
    # compare week on week to say which rules moved a score.
    lost: dict[str, float] = {}
    for f in card.findings:
        if not f.waived:
            lost[f.rule] = lost.get(f.rule, 0.0) + f.gain
    return {
        rule_id: {
            "severity": str(r.severity),
            "passed": r.passed,
            "applicable": r.applicable,
            "waived": r.waived,
            "rate": None if r.rate is None else round(r.rate, 4),
            "lost": round(lost.get(rule_id, 0.0), 3),
        }
        for rule_id, r in card.rules.items()
    }


def _top_fixes_json(card: Scorecard) -> list[dict[str, Any]]:
    return [
        {
            "rule": f.rule,
            "object": f.object,
            "table": f.table,
            "theme": f.theme,
            "severity": str(f.severity),
            "message": f.message,
            "fix": f.fix,
            "gain": round(f.gain, 3),
        }
        for f in card.top_fixes(TOP_FIXES)
    ]


# Every module whose source decides a scorecard from its inputs: a deploy that changes any
# of them must rescore rather than copy. scoring.rules stands for all its modules.
_SCORING_CODE = (
    "scoring.rules",
    "scoring.engine",
    "scoring.fixes",
    "scoring.observations",
    "scoring.runs",
    "catalog.relations",
    "catalog.inflection",
    "catalog.introspection.model",
    "catalog.sampling.parsing",
)


def scoring_code_files() -> list[Path]:
    paths: list[Path] = []
    for name in _SCORING_CODE:
        path = Path(str(importlib.import_module(name).__file__))
        paths += sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    return paths


@functools.cache
def scoring_code_digest() -> str:
    """sha256 of the scoring code's source files, read once per process."""
    digest = hashlib.sha256()
    for path in scoring_code_files():
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    # What orjson cannot serialise itself, in a canonical order.
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot digest {type(value).__name__}")


def inputs_digest(snapshot: Snapshot, context: RuleContext) -> str:
    """sha256 of everything a snapshot's scorecard is a function of.

    The schema (by its fingerprint; row estimates are not read), the whole RuleContext (settings,
    descriptions, the waivers active today, observations...) and the scoring code.
    """
    payload = {
        "code": scoring_code_digest(),
        "schema": snapshot.fingerprint,
        "context": context,
    }
    options = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    return hashlib.sha256(orjson.dumps(payload, default=_plain, option=options)).hexdigest()


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
            total=None if card.total is None else round(card.total, 2),
            themes={t: round(s, 2) for t, s in card.themes.items()},
            rules=_rules_json(card),
            open_findings=len(card.findings),
            waived_findings=len(card.waived),
            top_fixes=_top_fixes_json(card),
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
    previous = (
        SnapshotScore.objects.filter(connection_id=snapshot.connection_id)
        .annotate(started_at=F("snapshot__started_at"))
        .order_by("-snapshot__started_at", "-snapshot_id")
        .first()
    )
    if previous is None or previous.inputs_digest != digest:
        return None
    if previous.pk == snapshot.pk:  # rescored with nothing changed
        previous.scored_at = timezone.now()
        previous.duration = time.perf_counter() - started
        previous.save(update_fields=["scored_at", "duration"])
        return previous
    latest = previous.started_at <= snapshot.started_at
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


_STATE = ("severity", "message", "fix", "waived")
# Plain strings: psycopg would dump an enum by its name.
_SEVERITY_TEXT = {severity: str(severity) for severity in Severity}


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


def connections_with_lapsed_waivers(today: datetime.date | None = None) -> list[int]:
    """Connections holding a waiver that expired since their latest score: they must be
    rescored for the waived findings to come back (one query)."""
    today = today or timezone.localdate()
    scored_at = (
        SnapshotScore.objects.filter(connection=OuterRef("connection"))
        .order_by("-scored_at")
        .values("scored_at")[:1]
    )
    lapsed = (
        Waiver.objects.filter(revoked_at__isnull=True, expires_on__lte=today)
        .annotate(scored_at=Subquery(scored_at))
        .filter(scored_at__date__lt=F("expires_on"))
    )
    return sorted(set(lapsed.values_list("connection_id", flat=True)))


def latest_score(connection: Connection) -> SnapshotScore | None:
    return (
        SnapshotScore.objects.filter(connection=connection)
        .defer("table_scores")
        .order_by("-snapshot__started_at", "-snapshot_id")
        .first()
    )


def score_points(
    connection_ids: list[int],
    *,
    since: datetime.datetime,
    until: datetime.datetime | None = None,
    with_baseline: bool = False,
    with_rules: bool = True,
) -> list[ScorePoint]:
    """The scored snapshots of these connections from ``since`` (to ``until``), oldest
    first: one query. ``with_baseline`` adds each connection's last point before ``since``,
    so a trend starts from where the databases stood rather than from nothing. Without
    ``with_rules`` the points' rules are left empty (and unread: the bulk of each row)."""
    window = Q(snapshot__started_at__gte=since)
    if with_baseline:
        before = (
            SnapshotScore.objects.filter(
                connection=OuterRef("connection"), snapshot__started_at__lt=since
            )
            .order_by("-snapshot__started_at", "-snapshot_id")
            .values("snapshot_id")[:1]
        )
        window |= Q(snapshot_id=Subquery(before))
    rows = SnapshotScore.objects.filter(window, connection_id__in=connection_ids)
    if until is not None:
        rows = rows.filter(snapshot__started_at__lte=until)
    fields = ["connection_id", "snapshot__started_at", "total", "snapshot__table_count"]
    rows = rows.order_by("snapshot__started_at", "snapshot_id")
    if not with_rules:
        return [ScorePoint(*row, {}) for row in rows.values_list(*fields)]  # type: ignore[call-arg]
    return [ScorePoint(*row) for row in rows.values_list(*fields, "rules")]


def week_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=7)


def rules_in_theme(theme: str) -> list[Rule]:
    return [rule for rule in ALL_RULES if rule.theme == theme]
