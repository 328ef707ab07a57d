"""Theme ``changes``: communicated before release.

Scored from the change history, not the model: the objects are the breaking changes the
connection's snapshots saw in the window (``RuleContext.changes``, 90 days by default, a
setting per team and connection); the unit is the table each belongs to. With no breaking
change in the window nothing applies and the theme is left out, not counted as 100.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from scoring.rules.base import (
    CHANGES,
    TABLE,
    ChangeFact,
    Outcome,
    Rule,
    Schema,
    Severity,
    Verdict,
    passed,
)

FIX = "Announce the next one with `check_release --announce` before it ships."
RENAMES = frozenset({"table_renamed", "column_renamed"})


def _latest_per_object(changes: tuple[ChangeFact, ...]) -> list[ChangeFact]:
    # Findings are per (rule, object): a column retyped twice in the window counts once,
    # judged by its latest change.
    latest: dict[str, ChangeFact] = {}
    for change in changes:
        known = latest.get(change.object)
        if known is None or change.detected_at >= known.detected_at:
            latest[change.object] = change
    return sorted(latest.values(), key=lambda c: (c.table, c.object))


def _spelled(change: ChangeFact) -> str:
    return change.kind.replace("_", " ")


def check_unannounced(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    for change in _latest_per_object(schema.ctx.changes):
        if change.announced_at is not None:
            yield passed(change.table, change.object)
        else:
            yield Outcome(
                change.table,
                change.object,
                f"{change.object}: {_spelled(change)} on {change.detected_at:%-d %b %Y} "
                "reached the database without an announcement.",
                FIX,
            )


def check_short_notice(schema: Schema, options: Mapping[str, Any]) -> Iterator[Verdict]:
    notice = timedelta(days=options["notice_days"])
    for change in _latest_per_object(schema.ctx.changes):
        if change.announced_at is None:
            continue  # chg-unannounced-breaking's business
        given = change.detected_at - change.announced_at
        if given >= notice:
            yield passed(change.table, change.object)
        else:
            hours = max(given.total_seconds(), 0) / 3600
            said = f"{hours / 24:.1f} days" if hours >= 24 else f"{hours:.0f} hours"
            yield Outcome(
                change.table,
                change.object,
                f"{change.object}: {_spelled(change)} was announced only {said} before a "
                f"snapshot saw it (less than {options['notice_days']} days).",
                FIX,
            )


def check_rename_without_transition(
    schema: Schema, options: Mapping[str, Any]
) -> Iterator[Verdict]:
    for change in _latest_per_object(schema.ctx.changes):
        if change.kind not in RENAMES:
            continue
        if change.transition:
            yield passed(change.table, change.object)
        else:
            what = "view" if change.kind == "table_renamed" else "generated column"
            yield Outcome(
                change.table,
                change.object,
                f"{change.object} was renamed and nothing kept the old name readable.",
                f"Keep the old name for a release: a {what} of the old name, then drop it "
                "once readers moved. " + FIX,
            )


RULES = (
    Rule(
        id="chg-unannounced-breaking",
        title="Breaking change without an announcement",
        theme=CHANGES,
        severity=Severity.ERROR,
        applies_to=TABLE,
        rationale=(
            "A dropped, renamed or narrowed column breaks the dbt models and reports that "
            "read it the morning after. A change counts as announced when a release check "
            "with --announce named it (same kind and object) before a snapshot saw it. "
            "Applies to the breaking changes of the window (90 days by default)."
        ),
        check=check_unannounced,
    ),
    Rule(
        id="chg-short-notice",
        title="Breaking change announced at short notice",
        theme=CHANGES,
        severity=Severity.WARNING,
        applies_to=TABLE,
        rationale=(
            "An announcement the day before a release leaves readers no time to move. "
            "Fails when a breaking change was announced less than the notice period (7 days by default) before a "
            "snapshot saw it. Applies to the announced breaking changes of the window."
        ),
        check=check_short_notice,
        options={"notice_days": 7},
    ),
    Rule(
        id="chg-rename-without-transition",
        title="Rename without a transition",
        theme=CHANGES,
        severity=Severity.INFO,
        applies_to=TABLE,
        rationale=(
            "A rename breaks every reader at once. A view or a generated column of the old "
            "name, kept for a release, lets them move one by one. Applies to the table and "
            "column renames of the window."
        ),
        check=check_rename_without_transition,
    ),
)
