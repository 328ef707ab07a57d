"""Team trends from per-snapshot scores (pure: plain values in, plain values out).

A team's score is the table-weighted mean of its databases' latest scores, so the
team's history is a step function: each newly scored snapshot replaces that
connection's score and the mean is taken again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The docs rules whose pass rates are the documentation coverage.
COVERAGE_RULES = ("doc-table-missing", "doc-column-missing")


@dataclass(frozen=True)
class ScorePoint:
    """One scored snapshot of one connection."""

    connection: int
    at: datetime.datetime
    total: float | None
    tables: int
    rules: Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class TrendPoint:
    at: datetime.datetime
    value: float


def weighted_mean(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    """Table-weighted mean; databases without a score (nothing applied) are left out."""
    total = weight = 0.0
    for value, tables in pairs:
        if value is not None:
            total += value * max(tables, 1)
            weight += max(tables, 1)
    return total / weight if weight else None


def coverage(rules: Mapping[str, Mapping[str, Any]]) -> float | None:
    """Share of documented objects, in percent, from the docs rules' pass counts."""
    passed = applicable = 0
    for rule in COVERAGE_RULES:
        result = rules.get(rule) or {}
        passed += int(result.get("passed") or 0)
        applicable += int(result.get("applicable") or 0)
    return 100.0 * passed / applicable if applicable else None


def team_series(points: Iterable[ScorePoint], *, measure: str = "total") -> list[TrendPoint]:
    """The team's score (or docs coverage) after each scored snapshot, oldest first."""
    latest: dict[int, tuple[float | None, int]] = {}
    series: list[TrendPoint] = []
    for point in sorted(points, key=lambda p: p.at):
        value = point.total if measure == "total" else coverage(point.rules)
        latest[point.connection] = (value, point.tables)
        mean = weighted_mean(latest.values())
        if mean is not None:
            series.append(TrendPoint(point.at, mean))
    return series


def value_at(series: list[TrendPoint], when: datetime.datetime) -> float | None:
    """The series' value as it stood at ``when`` (None before its first point)."""
    value = None
    for point in series:
        if point.at > when:
            break
        value = point.value
    return value


def lost_by_rule(points: Iterable[ScorePoint], when: datetime.datetime) -> dict[str, float]:
    """Points each rule cost the team as its databases stood at ``when`` (table-weighted)."""
    latest: dict[int, ScorePoint] = {}
    for point in points:
        if point.at <= when:
            latest[point.connection] = point
    weight = sum(max(p.tables, 1) for p in latest.values() if p.total is not None)
    lost: dict[str, float] = {}
    for p in latest.values():
        if p.total is None:
            continue
        for rule, result in p.rules.items():
            lost[rule] = (
                lost.get(rule, 0.0) + float(result.get("lost") or 0.0) * max(p.tables, 1) / weight
            )
    return lost


def rule_movements(
    before: Mapping[str, float], after: Mapping[str, float], *, limit: int = 5
) -> list[tuple[str, float]]:
    """Rules whose lost points changed most, as (rule, points won (+) or lost (-))."""
    moved = {
        rule: before.get(rule, 0.0) - after.get(rule, 0.0) for rule in set(before) | set(after)
    }
    ranked = sorted(
        ((rule, delta) for rule, delta in moved.items() if abs(delta) >= 0.05),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    return ranked[:limit]
