from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pytest

from scoring.engine import score_schema, scorecard_to_json, table_scores
from scoring.rules.base import (
    DEMOTE,
    ESCALATE,
    Outcome,
    Rule,
    RuleContext,
    Severity,
    passes,
    table_globs,
)
from tests.builders import col, model, table

EMPTY = model()


def rule(rule_id: str, theme: str, severity: str, *outcomes: Outcome) -> Rule:
    """A rule that reports fixed outcomes: the engine's maths in isolation."""
    return Rule(
        id=rule_id,
        title=rule_id,
        theme=theme,
        severity=Severity(severity),
        applies_to="column",
        rationale="",
        check=lambda schema, options: outcomes,
    )


def ok(unit: str, obj: str) -> Outcome:
    return Outcome(unit, obj)


def bad(unit: str, obj: str, lane: str | None = None) -> Outcome:
    return Outcome(unit, obj, f"{obj} fails", lane=lane)


def test_column_rules_count_the_fraction_of_each_tables_columns_that_fail() -> None:
    wide = [ok("s.a", f"s.a.c{i}") for i in range(3)] + [bad("s.a", "s.a.c3")]
    narrow = [ok("s.b", "s.b.c0"), ok("s.b", "s.b.c1")]
    card = score_schema(EMPTY, rules=[rule("r", "keys", "W", *wide, *narrow)])
    result = card.rules["r"]
    assert (result.passed, result.applicable) == (5, 6)
    assert result.rate == pytest.approx((0.75 + 1.0) / 2)
    assert card.themes == {"keys": pytest.approx(87.5)}
    assert card.total == pytest.approx(87.5)


def test_a_wide_table_is_not_punished_once_per_column() -> None:
    one_bad_in_forty = [bad("s.a", "s.a.c0")] + [ok("s.a", f"s.a.c{i}") for i in range(1, 40)]
    card = score_schema(EMPTY, rules=[rule("r", "docs", "W", *one_bad_in_forty, bad("s.b", "s.b"))])
    assert card.themes["docs"] == pytest.approx(100 * (39 / 40 + 0) / 2)


def test_theme_score_is_the_severity_weighted_mean_of_rule_pass_rates() -> None:
    rules = [
        rule("e", "keys", "E", ok("s.a", "s.a"), bad("s.b", "s.b")),  # 0.5, weight 3
        rule("w", "keys", "W", ok("s.a", "s.a"), ok("s.b", "s.b")),  # 1.0, weight 1
        rule("i", "keys", "I", bad("s.a", "s.a")),  # 0.0, weight 0: shown, never scored
    ]
    card = score_schema(EMPTY, rules=rules)
    assert card.themes["keys"] == pytest.approx(100 * (3 * 0.5 + 1 * 1.0) / 4)  # 62.5
    assert card.rules["i"].rate == 0.0


def test_rules_with_nothing_to_apply_to_and_info_only_themes_are_left_out() -> None:
    rules = [
        rule("w", "keys", "W", ok("s.a", "s.a"), bad("s.b", "s.b")),
        rule("empty", "keys", "E"),
        rule("i", "docs", "I", bad("s.a", "s.a")),
    ]
    card = score_schema(EMPTY, rules=rules)
    assert card.themes == {"keys": pytest.approx(50.0)}
    assert card.total == pytest.approx(50.0)
    assert card.rules["empty"].applicable == 0 and card.rules["empty"].rate is None


def test_database_score_is_the_mean_of_theme_scores_with_adjustable_weights() -> None:
    rules = [
        rule("k", "keys", "W", ok("s.a", "s.a")),
        rule("d", "docs", "W", ok("s.a", "s.a"), bad("s.b", "s.b")),
    ]
    assert score_schema(EMPTY, rules=rules).total == pytest.approx(75.0)
    weighted = score_schema(EMPTY, RuleContext(theme_weights={"docs": 3}), rules=rules)
    assert weighted.total == pytest.approx((100 + 3 * 50) / 4)


def test_no_scored_theme_means_no_score() -> None:
    card = score_schema(EMPTY)
    assert card.total is None and card.themes == {}


def test_waived_objects_pass_and_are_listed_as_waived() -> None:
    rules = [rule("w", "keys", "W", bad("s.a", "s.a"), bad("s.b", "s.b"), bad("x.c", "x.c"))]
    ctx = RuleContext(waivers=frozenset({("w", "s.*"), ("other", "x.*")}))
    card = score_schema(EMPTY, ctx, rules=rules)
    result = card.rules["w"]
    assert (result.passed, result.applicable, result.waived) == (2, 3, 2)
    assert card.themes["keys"] == pytest.approx(100 * 2 / 3)
    assert [f.object for f in card.findings] == ["x.c"]
    assert [f.object for f in card.waived] == ["s.a", "s.b"]
    assert all(f.waived and f.gain == 0 for f in card.waived)


def test_passes_in_bulk_count_as_one_pass_per_object() -> None:
    one_by_one = rule(
        "r", "keys", "W", *[ok("s.a", f"s.a.c{i}") for i in range(3)], bad("s.a", "s.a.c3")
    )
    bulk = rule(
        "r", "keys", "W", passes("s.a", ("s.a.c0", "s.a.c1", "s.a.c2")), bad("s.a", "s.a.c3")
    )
    a, b = score_schema(EMPTY, rules=[one_by_one]), score_schema(EMPTY, rules=[bulk])
    assert a.rules == b.rules and a.unit_counts == b.unit_counts and a.findings == b.findings
    assert [o.object for o in bulk.outcomes(EMPTY)] == [f"s.a.c{i}" for i in range(4)]
    assert [o.failed for o in bulk.outcomes(EMPTY)] == [False, False, False, True]


@pytest.mark.parametrize(
    ("rule_glob", "object_glob"),
    [("r", "s.a.c1"), ("r*", "s.a.*"), ("?", "s.[ab].c[!0]"), ("x*", "*"), ("r", "S.A.C1")],
)
def test_waivers_match_both_globs_as_fnmatch_does(rule_glob: str, object_glob: str) -> None:
    objects = ["s.a.c0", "s.a.c1", "s.b.c2", "s.a.c1.x"]
    ctx = RuleContext(waivers=frozenset({(rule_glob, object_glob)}))
    card = score_schema(
        EMPTY, ctx, rules=[rule("r", "keys", "W", *[bad(o[:3], o) for o in objects])]
    )
    expected = [o for o in objects if fnmatchcase("r", rule_glob) and fnmatchcase(o, object_glob)]
    assert [f.object for f in card.waived] == expected


def test_table_globs_match_a_name_or_a_qualified_name() -> None:
    ignored = table_globs(("audit_*", "ops.*"))
    names = [("public", "audit_log"), ("ops", "jobs"), ("public", "orders"), ("x", "Audit_log")]
    assert [ignored(table(n, schema=s)) for s, n in names] == [True, True, False, False]
    assert not table_globs(())(table("orders", schema="public"))


def test_severity_overrides_and_disabled_rules() -> None:
    rules = [
        rule("a", "keys", "W", bad("s.a", "s.a")),
        rule("b", "keys", "W", ok("s.a", "s.a")),
        rule("c", "keys", "W", bad("s.a", "s.a")),
    ]
    ctx = RuleContext(severities={"a": "I", "b": "E"}, disabled=frozenset({"c"}))
    card = score_schema(EMPTY, ctx, rules=rules)
    assert set(card.rules) == {"a", "b"}
    assert card.rules["a"].severity == Severity.INFO
    assert card.themes["keys"] == pytest.approx(100.0)
    assert card.findings[0].severity == Severity.INFO


def test_escalated_and_demoted_outcomes_count_at_their_own_severity() -> None:
    outcomes = (
        ok("s.a", "s.a"),  # W lane: 1 of 2 pass
        bad("s.b", "s.b"),
        bad("s.c", "s.c", ESCALATE),  # E lane: 0 of 1
        bad("s.d", "s.d", DEMOTE),  # I lane: never scored
    )
    card = score_schema(EMPTY, rules=[rule("r", "types", "W", *outcomes)])
    # 4 tables: the W lane applies to 2 (weight 1 x 2/4), the E lane to 1 (3 x 1/4). Both
    # are narrow (sum 1.25 < 3): the denominator is the E weight, the rest passes.
    assert card.themes["types"] == pytest.approx(100 * (0.5 * 0.5 + 0.75 * 0.0 + 1.75) / 3)
    assert {f.object: f.severity for f in card.findings} == {
        "s.b": Severity.WARNING,
        "s.c": Severity.ERROR,
        "s.d": Severity.INFO,
    }
    turned_down = score_schema(
        EMPTY, RuleContext(severities={"r": "I"}), rules=[rule("r", "types", "W", *outcomes)]
    )
    assert turned_down.themes == {}  # escalation never overrides a team's "info only"


def test_a_mysql_datetime_is_shown_but_never_scored() -> None:
    m = model(table("orders", col("id", pk=True), col("placed_at", "datetime")), dialect="mysql")
    card = score_schema(m)
    [finding] = [f for f in card.findings if f.rule == "ts-without-tz"]
    assert finding.severity == Severity.INFO and finding.gain == 0


def shop() -> object:
    return model(
        table("customers", col("id", pk=True), col("name", "text"), col("createdAt", "timestamp")),
        table(
            "orders",
            col("id", "bigint", pk=True),
            col("customer_id", "text"),
            col("shipped_at", "date"),
            col("price", "double precision"),
            col("is_deleted", "boolean"),
            col("deleted_at", "timestamptz"),
            col("created_at", "timestamptz", nullable=False),
            comment="One row per order.",
        ),
        table(
            "order_item", col("order_id", "bigint", fk="orders.id", on_delete="CASCADE"), col("qty")
        ),
        table("django_migrations", col("id", pk=True), col("app", "text")),
    )


def test_each_findings_gain_is_exactly_the_score_won_by_fixing_it() -> None:
    m = shop()
    card = score_schema(m)
    assert card.findings
    for finding in card.findings:
        rescored = score_schema(m, RuleContext(waivers=frozenset({(finding.rule, finding.object)})))
        assert rescored.total - card.total == pytest.approx(finding.gain, abs=1e-9), finding


def test_lost_points_add_up_to_the_gap_to_one_hundred_per_theme() -> None:
    card = score_schema(shop(), RuleContext(theme_weights={}))
    n = len(card.themes)
    for theme, score in card.themes.items():
        lost = sum(f.gain for f in card.findings if f.theme == theme)
        assert lost * n == pytest.approx(100 - score)


def test_top_fixes_put_errors_first_then_order_by_gain_and_skip_info_findings() -> None:
    card = score_schema(shop())
    fixes = card.top_fixes(1000)
    assert len(fixes) >= 5
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    assert [order[f.severity] for f in fixes] == sorted(order[f.severity] for f in fixes)
    for severity in order:
        gains = [f.gain for f in fixes if f.severity is severity]
        assert gains == sorted(gains, reverse=True)
    errors = [f for f in card.findings if f.severity is Severity.ERROR]
    assert fixes[0].gain == max(f.gain for f in errors)


def test_an_error_outranks_a_warning_worth_more_points_in_a_lighter_theme() -> None:
    tables = [f"s.t{i}" for i in range(100)]
    rules = [
        # keys: an E rule and a W rule over every table; one table has no key.
        rule("pk", "keys", "E", bad("s.t0", "s.t0"), *(ok(t, t) for t in tables[1:])),
        rule("sub", "keys", "W", *(ok(t, t) for t in tables)),
        # soft_delete: one marker of the wrong shape, the only weighted lane of its theme.
        rule("shape", "soft_delete", "W", bad("s.t5", "s.t5.deleted")),
    ]
    card = score_schema(EMPTY, rules=rules)
    gains = {f.rule: f.gain for f in card.findings}
    # Points: the marker's theme has less weight, so each of its units is worth more ...
    assert gains["shape"] == pytest.approx(100 / 2 / 100)
    assert gains["pk"] == pytest.approx(100 / 2 * 3 / 100 / 4)
    assert gains["shape"] > gains["pk"]
    # ... but an expert fixes the missing key first.
    assert [f.rule for f in card.top_fixes()] == ["pk", "shape"]


def test_a_narrow_rule_alone_in_its_theme_moves_it_by_at_most_its_tables_share() -> None:
    tables = [f"s.t{i}" for i in range(134)]
    rules = [
        rule("everywhere", "keys", "E", *(ok(t, t) for t in tables)),
        rule("one", "soft_delete", "W", bad("s.t0", "s.t0.deleted")),
        rule("two", "types", "E", bad("s.t1", "s.t1"), ok("s.t2", "s.t2")),
    ]
    card = score_schema(EMPTY, rules=rules)
    # One failing table of 134: its theme loses 100/134 points, not all of them.
    assert card.themes["soft_delete"] == pytest.approx(100 - 100 / 134)
    # An E rule on two tables, one failing: half a share of 2/134.
    assert card.themes["types"] == pytest.approx(100 - 100 * (2 / 134) * 0.5)
    [shape] = [f for f in card.findings if f.rule == "one"]
    assert shape.gain == pytest.approx((100 - card.themes["soft_delete"]) / 3)


def test_a_rule_weighs_its_severity_times_the_share_of_tables_it_applies_to() -> None:
    tables = [f"s.t{i}" for i in range(138)]
    rules = [
        # One smallint marker of 138 tables, failing: worth 1/138 of a rule on every table.
        rule("narrow", "soft_delete", "W", bad("s.t0", "s.t0.deleted")),
        rule("wide", "soft_delete", "W", *(ok(t, t) for t in tables)),
    ]
    card = score_schema(EMPTY, rules=rules)
    share = 1 / 138
    assert card.themes["soft_delete"] == pytest.approx(100 * 1 / (1 + share))
    [finding] = card.findings
    assert finding.gain == pytest.approx(100 - card.themes["soft_delete"])
    assert finding.gain < 1


def test_fixing_one_tables_error_is_worth_the_same_whichever_e_rule_it_is() -> None:
    tables = [f"s.t{i}" for i in range(10)]
    rules = [
        rule("few", "keys", "E", bad("s.t0", "s.t0"), ok("s.t1", "s.t1")),
        rule("all", "keys", "E", bad("s.t0", "s.t0"), *(ok(t, t) for t in tables[1:])),
    ]
    gains = {f.rule: f.gain for f in score_schema(EMPTY, rules=rules).findings}
    assert gains["few"] == pytest.approx(gains["all"])


def test_a_database_level_outcome_weighs_as_the_whole_database() -> None:
    rules = [
        rule("db", "naming", "W", bad("", "")),
        rule(
            "tables",
            "naming",
            "W",
            *(ok(f"s.t{i}", f"s.t{i}") for i in range(9)),
            bad("s.x", "s.x"),
        ),
    ]
    card = score_schema(EMPTY, rules=rules)
    assert card.themes["naming"] == pytest.approx(100 * (0 + 0.9) / 2)


def test_the_changes_theme_weighs_shares_of_the_tables_its_changes_touched() -> None:
    tables = [f"s.t{i}" for i in range(100)]
    rules = [
        rule("everywhere", "keys", "E", *(ok(t, t) for t in tables)),
        # One breaking change, unannounced: the window's only object fails.
        rule("unannounced", "changes", "E", bad("s.t3", "s.t3.note")),
        rule("short", "changes", "W", ok("s.t3", "s.t3.note")),
    ]
    card = score_schema(EMPTY, rules=rules)
    assert card.themes["changes"] == pytest.approx(100 * 1 / 4)


def test_top_fixes_list_only_findings_worth_a_hundredth_of_a_point() -> None:
    def one_failing_of(n: int):
        outcomes = [bad("s.t0", "s.t0")] + [ok(f"s.t{i}", f"s.t{i}") for i in range(1, n)]
        return score_schema(EMPTY, rules=[rule("w", "keys", "W", *outcomes)])

    listed = one_failing_of(2000)  # +0.05: a few hundredths, shown as "+0.05"
    assert 0.01 <= listed.findings[0].gain < 0.1
    assert listed.top_fixes() == list(listed.findings)
    card = one_failing_of(20000)
    [finding] = card.findings
    assert 0 < finding.gain < 0.01  # would read "+0.00"
    assert card.top_fixes() == []


def test_bookkeeping_tables_are_excluded_and_the_list_is_editable() -> None:
    card = score_schema(shop())
    assert not [f for f in card.findings if "django_migrations" in f.object]
    included = score_schema(shop(), RuleContext(excluded=()))
    assert [f for f in included.findings if "django_migrations" in f.object]
    sqlite = model(table("sqlite_sequence", col("name", "text")), dialect="sqlite")
    assert score_schema(sqlite).findings == ()


def test_json_form_is_the_stable_interface() -> None:
    card = score_schema(shop())
    data = scorecard_to_json(card, connection="shop", snapshot=7)
    assert list(data) == ["connection", "snapshot", "score", "themes", "rules", "findings"]
    assert data["connection"] == "shop" and data["snapshot"] == 7
    assert data["score"] == round(card.total, 1)
    assert set(data["themes"]) <= {
        "keys",
        "time",
        "naming",
        "soft_delete",
        "types",
        "changes",
        "docs",
    }
    assert data["rules"]["pk-missing"] == {"severity": "E", "passed": 2, "applicable": 3}
    finding = next(f for f in data["findings"] if f["rule"] == "pk-missing")
    assert finding == {
        "rule": "pk-missing",
        "object": "public.order_item",
        "severity": "E",
        "message": "No primary key and no unique NOT NULL substitute.",
        "fix": None,
    }
    json.dumps(data)  # serialisable as is


def test_a_lone_tables_score_is_the_database_score_lanes_and_all() -> None:
    # An escalated failure weighs as an error and a demoted one not at all, for the
    # table as for the database.
    rules = [
        rule(
            "cols",
            "keys",
            "W",
            ok("s.t", "s.t.c0"),
            bad("s.t", "s.t.c1"),
            bad("s.t", "s.t.c2", lane=ESCALATE),
            bad("s.t", "s.t.c3", lane=DEMOTE),
        ),
        rule("doc", "docs", "E", ok("s.t", "s.t")),
    ]
    card = score_schema(EMPTY, rules=rules)
    assert card.total is not None
    assert table_scores(card) == {"s.t": round(card.total, 1)}


def test_each_table_is_scored_on_its_own_units_and_the_database_unit_on_none() -> None:
    rules = [
        rule("key", "keys", "W", bad("s.a", "s.a"), ok("s.b", "s.b")),
        rule("db", "naming", "W", bad("", "")),
        rule("note", "docs", "I", bad("s.c", "s.c")),
    ]
    assert table_scores(score_schema(EMPTY, rules=rules)) == {"s.a": 0.0, "s.b": 100.0}
