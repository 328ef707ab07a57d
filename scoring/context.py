"""What a connection's scoring runs with: its rules' effective settings and the RuleContext.

A rule's setting is its defaults, under the team's setting, under the connection's override
(one query). The RuleContext adds the descriptions people wrote, the connection's active
waivers, the snapshot's observations and the breaking changes of the changes window: all
the engine reads besides the schema model.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from catalog.models import Column, Connection, SchemaChange, Snapshot, Table
from scoring.models import RuleSetting, Waiver
from scoring.observations import NO_OBSERVATIONS, Observations, observations_from_json
from scoring.options import check_options
from scoring.rules import ALL_RULES
from scoring.rules.base import ChangeFact, Rule, RuleContext, Severity


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
    errors = check_options(options, rule.options, rule.option_kinds)
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
