"""Theme changes: the chg- rules on hand-built change facts (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scoring.engine import score_schema
from scoring.rules.base import CHANGES, ChangeFact, RuleContext
from tests.builders import applicable, col, failing, model, outcomes, table

SHOP = model(table("rental", col("id", pk=True), col("rental_period", "tstzrange")))
SEEN = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def fact(
    kind: str = "column_dropped",
    obj: str = "public.rental.return_date",
    *,
    announced_days_before: float | None = None,
    transition: bool = False,
    seen: datetime = SEEN,
) -> ChangeFact:
    return ChangeFact(
        kind=kind,
        object=obj,
        table=obj.rsplit(".", 1)[0] if obj.count(".") == 2 else obj,
        detected_at=seen,
        announced_at=(
            None if announced_days_before is None else seen - timedelta(days=announced_days_before)
        ),
        transition=transition,
    )


def ctx(*changes: ChangeFact, **kwargs) -> RuleContext:
    return RuleContext(changes=changes, **kwargs)


def test_an_unannounced_breaking_change_fails_with_the_announce_fix() -> None:
    context = ctx(fact())
    assert failing("chg-unannounced-breaking", SHOP, context) == {"public.rental.return_date"}
    [outcome] = outcomes("chg-unannounced-breaking", SHOP, context)
    assert outcome.unit == "public.rental"
    assert "without an announcement" in outcome.message
    assert "check_release --announce" in outcome.fix


def test_an_announced_breaking_change_passes() -> None:
    context = ctx(fact(announced_days_before=10))
    assert applicable("chg-unannounced-breaking", SHOP, context) == {"public.rental.return_date"}
    assert failing("chg-unannounced-breaking", SHOP, context) == set()


def test_short_notice_fails_under_seven_days_and_passes_at_seven() -> None:
    short = ctx(fact(announced_days_before=2))
    assert failing("chg-short-notice", SHOP, short) == {"public.rental.return_date"}
    assert "2.0 days" in outcomes("chg-short-notice", SHOP, short)[0].message
    enough = ctx(fact(announced_days_before=7))
    assert failing("chg-short-notice", SHOP, enough) == set()
    assert applicable("chg-short-notice", SHOP, enough) == {"public.rental.return_date"}


def test_short_notice_does_not_apply_to_unannounced_changes() -> None:
    assert applicable("chg-short-notice", SHOP, ctx(fact())) == set()


def test_short_notice_days_are_an_option() -> None:
    context = ctx(fact(announced_days_before=10), options={"chg-short-notice": {"notice_days": 14}})
    assert failing("chg-short-notice", SHOP, context) == {"public.rental.return_date"}


def test_rename_without_transition_fails_and_with_one_passes() -> None:
    bare = fact("column_renamed", "public.rental.synopsis")
    kept = fact("table_renamed", "public.client", transition=True)
    dropped = fact()
    context = ctx(bare, kept, dropped)
    assert applicable("chg-rename-without-transition", SHOP, context) == {
        "public.rental.synopsis",
        "public.client",
    }
    assert failing("chg-rename-without-transition", SHOP, context) == {"public.rental.synopsis"}


def test_one_object_changed_twice_in_the_window_counts_once_by_its_latest_change() -> None:
    earlier = fact("type_changed", "public.rental.amount", seen=SEEN - timedelta(days=5))
    later = fact("type_changed", "public.rental.amount", announced_days_before=9)
    assert failing("chg-unannounced-breaking", SHOP, ctx(earlier, later)) == set()


def test_the_theme_is_left_out_without_breaking_changes_in_the_window() -> None:
    card = score_schema(SHOP, RuleContext())
    assert CHANGES not in card.themes


def test_the_theme_enters_the_score_with_its_findings_and_waivers() -> None:
    context = ctx(fact(), fact("column_dropped", "public.rental.note", announced_days_before=30))
    card = score_schema(SHOP, context)
    # E: one of two changes of the unit fails (0.5 x 3); W: the announced one passes (1 x 1).
    assert card.themes[CHANGES] == 62.5
    waived = score_schema(
        SHOP,
        ctx(
            fact(),
            fact("column_dropped", "public.rental.note", announced_days_before=30),
            waivers=frozenset({("chg-unannounced-breaking", "public.rental.return_date")}),
        ),
    )
    assert waived.themes[CHANGES] == 100.0
