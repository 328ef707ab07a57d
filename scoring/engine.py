"""The scoring maths of RULES.md's "Scoring" section, and nothing else (pure).

Definitions, exactly as computed here:

- A rule's outcomes are grouped by **lane** (the severity each outcome counts at: the rule's
  severity after team overrides, or E/I where RULES.md escalates or demotes one) and by
  **unit** (the table an object belongs to, or the database). Waived failures pass.
- Unit pass value = 1 - failing / applicable objects of that unit. So for a column rule a
  table with 1 failing column out of 40 counts 0.975, not one full failure per column;
  for a table rule each unit has one object and the value is 0 or 1.
- Lane pass rate r = mean of its units' pass values. A lane with no units is left out.
- Lane weight w = severity weight (E 3, W 1, I 0) x share, where share = the lane's units /
  the database's tables (the tables and views in scope; a database-level unit counts as
  all of them; at most 1). The changes theme's objects are the window's breaking changes
  (RULES.md), so there the share is of the tables those changes touched. So a rule that applies to 1 table of 138 weighs 1/138 of one
  that applies to all of them, and fixing one table's error is worth about the same
  whichever E rule it is.
- Theme score = 100 x (sum(w x r) + D - sum(w)) / D over the theme's lanes, where
  D = max(sum(w), the heaviest severity weight among its lanes). When some lane of the
  heaviest severity applies to every table (pk-missing, doc-table-missing) D = sum(w) and
  this is the weighted mean 100 x sum(w x r) / sum(w) of RULES.md. When every lane is
  narrow, the weight D lacks counts as passing: the tables a narrow rule does not apply to
  do not fail it. A theme with no weighted lane is left out (not counted as 100).
- Bound: a lane moves its theme by 100 x w x (1 - r) / D <= 100 x share x (1 - r), since
  w = severity weight x share and D >= that severity weight. So a rule that applies to one
  table of 134 moves its theme by at most 100/134 points however few other rules the theme
  has (alone, an smallint marker on one table used to decide a whole theme: 0 or 100).
  Every unit of every lane weighs severity weight / (tables x D).
- Database score = weighted mean of the theme scores (theme weights default to 1).
- Gain of a finding = how much the database score rises when that one object passes:
  theme_weight / sum(theme weights) x 100 x w / D / (lane units x the unit's applicable
  objects). It is exact (fixing one object changes no applicability, so no share and no
  D), and every lost point is attributable to a (rule, object): a theme's gains add up
  to 100 - its score, over the number of themes.
- Top fixes are the open findings worth at least ``MIN_GAIN`` (0.01 point, shown with two
  decimals: on a 500-table database a single table's fix is worth a few hundredths, and
  0.1 left such a list empty), **errors before warnings**, then by gain. Gains alone would
  not read as an expert orders them: themes weigh the same in the total, so a unit of a
  theme with little weight is worth more points than one of a heavy theme. On Synapse
  (134 tables) one smallint marker in soft_delete (D = 1) is worth 100/6/134 = +0.12,
  a table without a primary key in keys (D = 3 + 1 + 6/134 = 4.04: pk-missing,
  pk-unique-substitute over the same tables, pk-misleading-id on 6) 100/6 x 3/134/4.04
  = +0.09. RULES.md's severities are the catalogue's own
  order of importance (E 3, W 1), so they order the list and the gain orders within a
  severity. Info findings are never among them (their gain is 0) and are listed apart.

``RuleResult.passed`` and ``applicable`` count objects (columns for a column rule), as
people read them ("238 of 240 columns"); ``rate`` is the unit-weighted rate the score uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple, cast

from catalog.introspection.model import SchemaModel, paused_gc
from scoring.rules import ALL_RULES
from scoring.rules.base import (
    DATABASE,
    THEMES,
    WEIGHTS,
    Outcome,
    Passes,
    Rule,
    RuleContext,
    Schema,
    Severity,
    lane_severity,
)

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
# Top fixes list findings worth at least this (shown with two decimals, never "+0.00").
MIN_GAIN = 0.01


class Finding(NamedTuple):
    """One failing (rule, object); a NamedTuple since a bad schema has 100,000 of them."""

    rule: str
    object: str
    severity: Severity
    message: str
    fix: str | None
    theme: str
    table: str  # the unit: schema.table, or "" for the database
    waived: bool = False
    gain: float = 0.0  # database score points won by fixing it


@dataclass(frozen=True)
class LaneResult:
    severity: Severity
    units: int
    rate: float


@dataclass(frozen=True)
class RuleResult:
    rule: str
    theme: str
    severity: Severity  # after the team's override
    passed: int  # objects, waived included
    applicable: int
    waived: int
    rate: float | None  # unit-weighted over all lanes; None when nothing applied
    lanes: tuple[LaneResult, ...] = ()


@dataclass(frozen=True)
class Scorecard:
    total: float | None
    themes: dict[str, float]
    rules: dict[str, RuleResult]
    findings: tuple[Finding, ...]  # open (not waived), in rule order then object
    waived: tuple[Finding, ...] = ()
    theme_weights: dict[str, float] = field(default_factory=dict)
    # Per rule id and lane: unit -> [applicable objects, open failures], the counts the
    # rates come from (per-table scores reuse them rather than counting outcomes again).
    unit_counts: dict[str, dict[Severity, dict[str, list[int]]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def top_fixes(self, n: int = 10) -> list[Finding]:
        """The open findings worth at least MIN_GAIN: errors before warnings, then the ones
        whose fix raises the score most (see the module docstring)."""
        ranked = sorted(
            (f for f in self.findings if f.gain >= MIN_GAIN),
            key=lambda f: (_SEVERITY_ORDER[f.severity], -f.gain, f.rule, f.object),
        )
        return ranked[:n]


_APPLICABLE = itemgetter(0)


class _Tally:
    """Per lane and unit: [applicable, failing] counts of one rule."""

    __slots__ = ("lanes", "applicable", "failed", "waived")

    def __init__(self) -> None:
        self.lanes: dict[Severity, dict[str, list[int]]] = {}
        self.applicable = 0
        self.failed = 0
        self.waived = 0

    def rate(self, units: dict[str, list[int]]) -> float:
        # fsum: exact, so the rate does not depend on the order rules report units in; and
        # exact, the clean units' 1.0 terms can be added as one number (most units are clean).
        failing = [1 - f / a for a, f in units.values() if f]
        return math.fsum([len(units) - len(failing), *failing]) / len(units)

    def overall_rate(self) -> float | None:
        if len(self.lanes) == 1:
            [units] = self.lanes.values()
            return self.rate(units)
        merged: dict[str, list[int]] = {}
        for units in self.lanes.values():
            for unit, (a, f) in units.items():
                cell = merged.setdefault(unit, [0, 0])
                cell[0] += a
                cell[1] += f
        return self.rate(merged) if merged else None


# Failures of one rule: those at the rule's severity and not waived (nearly all, so kept
# as bare outcomes), and the rest with their lane's severity and whether a waiver covers them.
_Failures = tuple[list[Outcome], list[tuple[Outcome, Severity, bool]]]


def _run(rule: Rule, schema: Schema, ctx: RuleContext, base: Severity) -> tuple[_Tally, _Failures]:
    tally = _Tally()
    plain: list[Outcome] = []
    other: list[tuple[Outcome, Severity, bool]] = []
    is_waived = ctx.waiver_matcher(rule.id)
    lanes = tally.lanes
    current: dict[str, list[int]] = lanes.setdefault(base, {})
    failed = waived = 0
    # Outcomes of one table come in a row: remember the last cell (a hot loop, 10^6 turns).
    last_unit: str | None = None
    last_units: dict[str, list[int]] | None = None
    cell: list[int] = [0, 0]
    for outcome in rule.check(schema, ctx.options_for(rule)):
        if not isinstance(outcome, Outcome):  # passed(unit, object) or passes(unit, objects)
            unit = outcome[0]
            if unit is not last_unit or current is not last_units:
                found = current.get(unit)
                if found is None:
                    found = current[unit] = [0, 0]
                cell, last_unit, last_units = found, unit, current
            cell[0] += len(outcome.objects) if isinstance(outcome, Passes) else 1
            continue
        unit, obj, message, _fix, lane = outcome
        if lane is None:
            severity, units = base, current
        else:
            severity = lane_severity(base, lane)
            units = lanes.setdefault(severity, {})
        if unit is not last_unit or units is not last_units:
            found = units.get(unit)
            if found is None:
                found = units[unit] = [0, 0]
            cell, last_unit, last_units = found, unit, units
        cell[0] += 1
        if message is None:
            continue
        if is_waived is not None and is_waived(obj):
            waived += 1
            other.append((outcome, severity, True))
        else:
            cell[1] += 1
            failed += 1
            if units is current:
                plain.append(outcome)
            else:
                other.append((outcome, severity, False))
    for severity in [s for s, units in lanes.items() if not units]:
        del lanes[severity]
    tally.failed, tally.waived = failed, waived
    tally.applicable = sum(sum(map(_APPLICABLE, units.values())) for units in lanes.values())
    return tally, (plain, other)


def score_schema(
    model: SchemaModel,
    context: RuleContext | None = None,
    *,
    rules: Iterable[Rule] = ALL_RULES,
) -> Scorecard:
    # Millions of short-lived acyclic objects (outcomes, findings): see paused_gc.
    with paused_gc():
        return _score(model, context or RuleContext(), rules)


def _score(model: SchemaModel, ctx: RuleContext, rules: Iterable[Rule]) -> Scorecard:
    schema = Schema(model, ctx)
    results: dict[str, RuleResult] = {}
    runs: list[tuple[Rule, _Tally, _Failures, dict[Severity, float]]] = []
    for rule in rules:
        if rule.id in ctx.disabled:
            continue
        base = ctx.severity_of(rule)
        tally, failures = _run(rule, schema, ctx, base)
        rates = {severity: tally.rate(units) for severity, units in tally.lanes.items()}
        runs.append((rule, tally, failures, rates))
        results[rule.id] = RuleResult(
            rule=rule.id,
            theme=rule.theme,
            severity=base,
            passed=tally.applicable - tally.failed,
            applicable=tally.applicable,
            waived=tally.waived,
            rate=next(iter(rates.values())) if len(rates) == 1 else tally.overall_rate(),
            lanes=tuple(
                LaneResult(severity, len(tally.lanes[severity]), rates[severity])
                for severity in sorted(rates, key=_SEVERITY_ORDER.__getitem__)
            ),
        )

    # Theme scores: lane rates weighted by severity x share of the tables, over a
    # denominator of at least the heaviest lane's severity weight (see the docstring).
    tables = _table_count(schema, runs)
    universes = _own_universes(runs)
    weights: dict[tuple[str, Severity], float] = {}
    # theme -> [sum of weight x rate, sum of weights, heaviest lane's severity weight]
    sums: dict[str, list[float]] = {}
    for rule, tally, _, rates in runs:
        for severity, rate in rates.items():
            if not WEIGHTS[severity]:
                continue
            units = tally.lanes[severity]
            universe = universes.get(rule.theme, tables)
            span = universe if DATABASE in units else len(units)
            weight = weights[rule.id, severity] = WEIGHTS[severity] * min(1.0, span / universe)
            acc = sums.setdefault(rule.theme, [0.0, 0.0, 0.0])
            acc[0] += weight * rate
            acc[1] += weight
            acc[2] = max(acc[2], WEIGHTS[severity])
    # D = max(sum of weights, heaviest severity weight); the weight D lacks passes.
    denominators = {theme: max(acc[1], acc[2]) for theme, acc in sums.items() if acc[1]}
    themes = {
        theme: 100 * (sums[theme][0] + (denominators[theme] - sums[theme][1])) / denominators[theme]
        for theme in THEMES
        if theme in denominators
    }
    theme_weights = {theme: float(ctx.theme_weights.get(theme, 1.0)) for theme in themes}
    weight_total = sum(theme_weights.values())
    total = (
        sum(theme_weights[t] * s for t, s in themes.items()) / weight_total
        if weight_total
        else None
    )

    findings: list[Finding] = []
    waived: list[Finding] = []
    for rule, tally, failures, _ in runs:
        # Gain = factor / applicable objects of the finding's unit (see the module docstring).
        factors = {
            severity: theme_weights[rule.theme]
            / weight_total
            * 100
            * weights[rule.id, severity]
            / denominators[rule.theme]
            / len(units)
            for severity, units in tally.lanes.items()
            if WEIGHTS[severity] and rule.theme in themes
        }
        plain, other = failures
        rule_id, theme, base = rule.id, rule.theme, results[rule.id].severity
        found: list[Finding] = []
        if plain:
            factor = factors.get(base, 0.0)
            cells = tally.lanes[base]
            found = [
                Finding(
                    rule_id, obj, base, cast(str, message), fix, theme, unit, False,
                    factor / cells[unit][0] if factor else 0.0,
                )
                for unit, obj, message, fix, _ in plain
            ]  # fmt: skip
        for (unit, obj, message, fix, _), severity, is_waived in other:
            factor = 0.0 if is_waived else factors.get(severity, 0.0)
            gain = factor / tally.lanes[severity][unit][0] if factor else 0.0
            found.append(
                Finding(
                    rule_id, obj, severity, cast(str, message), fix, theme, unit, is_waived, gain
                )
            )
        found.sort(key=itemgetter(1))  # by object
        for finding in found:
            (waived if finding.waived else findings).append(finding)
    return Scorecard(
        total=total,
        themes=themes,
        rules=results,
        findings=tuple(findings),
        waived=tuple(waived),
        theme_weights=theme_weights,
        unit_counts={rule.id: tally.lanes for rule, tally, _, _ in runs},
    )


# Themes whose objects are not the schema's tables: RULES.md's changes theme judges the
# window's breaking changes, so a lane's share is of the tables those changes touched.
OWN_UNIVERSE_THEMES = frozenset({"changes"})


def _own_universes(runs: list[Any]) -> dict[str, int]:
    """Per theme of OWN_UNIVERSE_THEMES: how many tables its weighted lanes touch."""
    touched: dict[str, set[str]] = {}
    for rule, tally, _, _ in runs:
        if rule.theme in OWN_UNIVERSE_THEMES:
            for severity, units in tally.lanes.items():
                if WEIGHTS[severity]:
                    touched.setdefault(rule.theme, set()).update(units)
    return {theme: max(1, len(units - {DATABASE})) for theme, units in touched.items()}


def _table_count(schema: Schema, runs: list[Any]) -> int:
    """The database's tables in scope, the denominator of a lane's share; a hand-built run
    over no model counts the units its rules reported instead."""
    if schema.tables:
        return len(schema.tables)
    units = {u for _, tally, _, _ in runs for lane in tally.lanes.values() for u in lane}
    units.discard(DATABASE)
    return max(1, len(units))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def scorecard_to_json(scorecard: Scorecard, *, connection: str, snapshot: Any) -> dict[str, Any]:
    """The stable JSON interface of ``manage.py score --json`` (a dict ready for json.dumps)."""
    return {
        "connection": connection,
        "snapshot": snapshot,
        "score": _round(scorecard.total),
        "themes": {theme: _round(score) for theme, score in scorecard.themes.items()},
        "rules": {
            rule_id: {
                "severity": str(result.severity),
                "passed": result.passed,
                "applicable": result.applicable,
            }
            for rule_id, result in scorecard.rules.items()
        },
        "findings": [
            {
                "rule": f.rule,
                "object": f.object,
                "severity": str(f.severity),
                "message": f.message,
                "fix": f.fix,
            }
            for f in scorecard.findings
        ],
    }


def table_scores(card: Scorecard) -> dict[str, float]:
    """Each table's score: the database score's maths restricted to that table's units.

    Within one table every lane's share is the same (one unit of the database's tables), so
    a lane weighs its severity weight alone: the table's theme score is 100 x the mean of
    its lanes' unit pass values weighted by severity, and its score the weighted mean of
    those themes by the card's theme weights. Database-level units belong to no table; a
    table that no weighted lane applies to has no score. Rounded to 0.1, as pages show it.
    """
    sums: dict[str, dict[str, list[float]]] = {}  # table -> theme -> [sum w x r, sum w]
    for rule_id, lanes in card.unit_counts.items():
        theme = card.rules[rule_id].theme
        for severity, units in lanes.items():
            weight = WEIGHTS[severity]
            if not weight:
                continue
            for unit, (applicable, failing) in units.items():
                if unit == DATABASE:
                    continue
                acc = sums.setdefault(unit, {}).setdefault(theme, [0.0, 0.0])
                acc[0] += weight * (1 - failing / applicable)
                acc[1] += weight
    scores = {}
    for unit, themes in sums.items():
        weights = {theme: card.theme_weights.get(theme, 1.0) for theme in themes}
        total = sum(weights.values())
        scores[unit] = round(
            sum(weights[t] * 100 * s / w for t, (s, w) in themes.items()) / total, 1
        )
    return scores
