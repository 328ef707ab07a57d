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


def _weight(tables: int) -> int:
    return max(tables, 1)  # an empty database still counts, as one table


def weighted_mean(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    """Table-weighted mean; databases without a score (nothing applied) are left out."""
    total = weight = 0.0
    for value, tables in pairs:
        if value is not None:
            total += value * _weight(tables)
            weight += _weight(tables)
    return total / weight if weight else None


def team_shares(latest: Mapping[int, ScorePoint]) -> dict[int, float]:
    """Each connection's share of the team score (the weights of ``weighted_mean``), from
    its latest point; a connection without a score has none."""
    weights = {c: _weight(p.tables) for c, p in latest.items() if p.total is not None}
    total = sum(weights.values())
    return {c: w / total for c, w in weights.items()} if total else {}


def latest_points(points: Iterable[ScorePoint], when: datetime.datetime) -> dict[int, ScorePoint]:
    """Each connection's point as it stood at ``when`` (points oldest first)."""
    latest: dict[int, ScorePoint] = {}
    for point in points:
        if point.at <= when:
            latest[point.connection] = point
    return latest


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
    latest = latest_points(points, when)
    lost: dict[str, float] = {}
    for connection, share in team_shares(latest).items():
        for rule, result in latest[connection].rules.items():
            lost[rule] = lost.get(rule, 0.0) + float(result.get("lost") or 0.0) * share
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


@dataclass(frozen=True)
class TeamScores:
    """A team's score and docs-rule coverage series, read now and a week before."""

    series: list[TrendPoint]
    coverage_series: list[TrendPoint]
    score: float | None
    score_before: float | None
    coverage: float | None

    @property
    def delta(self) -> float | None:
        if self.score is None or self.score_before is None:
            return None
        return self.score - self.score_before


def team_scores(
    points: list[ScorePoint], *, now: datetime.datetime, before: datetime.datetime
) -> TeamScores:
    series = team_series(points)
    coverage_series = team_series(points, measure="coverage")
    return TeamScores(
        series=series,
        coverage_series=coverage_series,
        score=value_at(series, now),
        score_before=value_at(series, before),
        coverage=value_at(coverage_series, now),
    )


@dataclass(frozen=True)
class TeamMoves:
    """What moved a team's score between ``baseline`` and now.

    The baseline is a week before, or the team's first scored state when it is younger.
    Connections scored only after the baseline moved the score by arriving, not by any
    rule: ``present`` are the others, whose rules the movements compare, and
    ``arrivals_effect`` is how far the team score stands from theirs alone.
    """

    baseline: datetime.datetime
    present: frozenset[int]
    movements: list[tuple[str, float]]
    arrivals_effect: float | None


def team_moves(
    points: list[ScorePoint], *, now: datetime.datetime, before: datetime.datetime
) -> TeamMoves:
    """``points`` oldest first, as SnapshotScore.objects.score_points gives them."""
    baseline = before if any(p.at <= before for p in points) else (points[0].at if points else now)
    present = frozenset(p.connection for p in points if p.at <= baseline)
    kept = [p for p in points if p.connection in present]
    effect = None
    if kept:
        with_arrivals, without = (
            value_at(team_series(points), now),
            value_at(team_series(kept), now),
        )
        if with_arrivals is not None and without is not None:
            effect = with_arrivals - without
    return TeamMoves(
        baseline=baseline,
        present=present,
        movements=rule_movements(lost_by_rule(kept, baseline), lost_by_rule(kept, now)),
        arrivals_effect=effect,
    )
