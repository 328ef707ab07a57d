from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from scoring.charts import line_chart
from scoring.trends import (
    ScorePoint,
    TrendPoint,
    coverage,
    rule_movements,
    team_moves,
    team_scores,
    team_series,
    team_shares,
    value_at,
)

T0 = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def day(n: int) -> datetime.datetime:
    return T0 + datetime.timedelta(days=n)


def point(connection, n, total, tables, rules=None) -> ScorePoint:
    return ScorePoint(connection, day(n), total, tables, rules or {})


def test_team_score_is_the_table_weighted_mean_of_each_databases_latest_score():
    series = team_series([point(1, 0, 80.0, 10), point(2, 1, 40.0, 30), point(1, 2, 100.0, 10)])
    assert [round(p.value, 2) for p in series] == [80.0, 50.0, 55.0]


def test_databases_with_nothing_scored_are_left_out():
    assert [p.value for p in team_series([point(1, 0, None, 5), point(2, 1, 70.0, 5)])] == [70.0]


def test_coverage_comes_from_the_docs_rules_pass_counts():
    rules = {
        "doc-table-missing": {"passed": 3, "applicable": 4},
        "doc-column-missing": {"passed": 5, "applicable": 16},
    }
    assert coverage(rules) == 40.0
    assert coverage({}) is None
    series = team_series([point(1, 0, 90.0, 1, rules)], measure="coverage")
    assert series[0].value == 40.0


def test_value_at_reads_the_step_function():
    series = [TrendPoint(day(0), 10.0), TrendPoint(day(3), 20.0)]
    assert (value_at(series, day(-1)), value_at(series, day(1)), value_at(series, day(5))) == (
        None,
        10.0,
        20.0,
    )


def test_rule_movements_rank_by_points_won_or_lost():
    before = {"pk-missing": 6.0, "ts-without-tz": 1.0, "doc-table-missing": 2.0}
    after = {"pk-missing": 1.0, "ts-without-tz": 3.5, "doc-table-missing": 2.01}
    assert rule_movements(before, after) == [("pk-missing", 5.0), ("ts-without-tz", -2.5)]


def test_chart_is_valid_svg_with_a_titled_point_each():
    svg = line_chart(
        [TrendPoint(day(0), 50.0), TrendPoint(day(7), 75.5)], label='Team <"A"> & co', unit=" pts"
    )
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    circles = root.findall(f"{ns}circle") or root.findall("circle")
    assert len(circles) == 2
    assert "75.5 pts" in svg
    assert '<"A">' not in svg and "Team &lt;&quot;A&quot;&gt; &amp; co" in svg


def test_chart_without_points_says_so():
    assert "No scores yet" in line_chart([], label="x")


def test_team_shares_weigh_each_scored_database_by_its_tables():
    latest = {1: point(1, 0, 80.0, 10), 2: point(2, 0, None, 5), 3: point(3, 0, 50.0, 30)}
    assert team_shares(latest) == {1: 0.25, 3: 0.75}
    assert team_shares({2: point(2, 0, None, 5)}) == {}


def test_team_moves_compare_the_rules_of_databases_scored_a_week_ago():
    points = [
        point(1, 0, 80.0, 10, {"r": {"lost": 4.0}}),
        point(1, 8, 90.0, 10, {"r": {"lost": 2.0}}),
        point(2, 9, 40.0, 10, {"r": {"lost": 6.0}}),  # arrived since: moved the score apart
    ]
    moves = team_moves(points, now=day(10), before=day(3))
    assert (moves.baseline, moves.present) == (day(3), {1})
    assert moves.movements == [("r", 2.0)]
    assert moves.arrivals_effect == pytest.approx(65.0 - 90.0)


def test_a_team_younger_than_a_week_moves_from_its_first_scored_state():
    points = [point(1, 8, 90.0, 10, {"r": {"lost": 3.0}}), point(1, 9, 95.0, 10, {"r": {}})]
    moves = team_moves(points, now=day(10), before=day(3))
    assert (moves.baseline, moves.present) == (day(8), {1})
    assert moves.movements == [("r", 3.0)]
    assert moves.arrivals_effect == 0.0
    scores = team_scores(points, now=day(10), before=day(3))
    assert (scores.score, scores.score_before, scores.delta) == (95.0, None, None)
