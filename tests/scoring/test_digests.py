"""The weekly e-mail's pure core: the schedule's time maths and the composed content."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from scoring.digests import (
    AnnouncementItem,
    ChangeItem,
    ConnectionWeek,
    DigestWeek,
    FindingItem,
    RuleMove,
    Schedule,
    bar_heights,
    compose_digest,
    due_week,
    local_week,
    next_send,
    parse_time_zone,
    parse_week,
    scheduled_at,
    week_bounds,
    week_period,
)

UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def test_parses_iso_weeks_and_refuses_others():
    assert parse_week("2026-W49") == (2026, 49)
    assert parse_week("2026-W53") == (2026, 53)  # 2026 has 53 ISO weeks
    for bad in ("2025-W53", "2026-W00", "2026-49", "W49", "2026-W7"):
        with pytest.raises(ValueError, match="not an ISO week"):
            parse_week(bad)


def test_refuses_unknown_or_malformed_time_zones():
    assert parse_time_zone("Asia/Tokyo").key == "Asia/Tokyo"
    for bad in ("Mars/Olympus", "../../etc/passwd", "", "Europe/London "):
        with pytest.raises(ValueError):
            parse_time_zone(bad)


def test_los_angeles_monday_eight_follows_the_end_of_daylight_saving():
    schedule = Schedule(weekday=0, hour=8, time_zone="America/Los_Angeles")
    # US daylight saving ends on Sunday 1 Nov 2026: 08:00 is 15:00 UTC before, 16:00 after.
    assert scheduled_at(schedule, "2026-W44") == at(2026, 10, 26, 15)
    assert scheduled_at(schedule, "2026-W45") == at(2026, 11, 2, 16)
    assert due_week(schedule, at(2026, 11, 2, 15, 45)) is None
    assert due_week(schedule, at(2026, 11, 2, 16, 0)) == "2026-W45"


def test_tokyo_monday_eight_is_sunday_evening_in_utc():
    schedule = Schedule(weekday=0, hour=8, time_zone="Asia/Tokyo")
    assert scheduled_at(schedule, "2026-W45") == at(2026, 11, 1, 23)
    # Sunday in UTC is already Monday in Tokyo: the week is Tokyo's.
    assert local_week(schedule, at(2026, 11, 1, 22, 59)) == "2026-W45"
    assert due_week(schedule, at(2026, 11, 1, 22, 59)) is None
    assert due_week(schedule, at(2026, 11, 1, 23, 0)) == "2026-W45"


def test_a_send_hour_skipped_by_daylight_saving_falls_an_hour_later():
    schedule = Schedule(weekday=6, hour=2, time_zone="America/Los_Angeles")
    # 14 Mar 2027: 02:00 does not exist in Los Angeles; the e-mail goes at 03:00 PDT.
    assert scheduled_at(schedule, "2027-W10") == at(2027, 3, 14, 10)


def test_the_period_is_the_seven_days_before_composing_or_before_the_weeks_end():
    schedule = Schedule(time_zone="Asia/Tokyo")
    # Week 49 of 2026 in Tokyo: Sunday 29 Nov 15:00 UTC to Sunday 6 Dec 15:00 UTC.
    assert week_bounds(schedule, "2026-W49") == (at(2026, 11, 29, 15), at(2026, 12, 6, 15))
    now = at(2026, 12, 2, 9)
    assert week_period(schedule, "2026-W49", now) == (at(2026, 11, 25, 9), now)
    later = at(2026, 12, 20)
    assert week_period(schedule, "2026-W49", later) == (at(2026, 11, 29, 15), at(2026, 12, 6, 15))


def week(**overrides) -> DigestWeek:
    values = dict(
        team="Shop backend",
        team_url="https://sj.example/scores/teams/shop-backend/",
        week="2026-W49",
        period_start=at(2026, 11, 30, 8),
        period_end=at(2026, 12, 7, 8),
        time_zone="Europe/London",
        score=72.44,
        score_before=72.41,
        coverage=40.0,
        coverage_before=40.0,
        weekly_scores=(None, None, 60.0, 65.0, 70.0, 72.0, 72.41, 72.44),
        connections=(ConnectionWeek("shop", "https://sj.example/connections/1/", 72.44, 72.41),),
    )
    values.update(overrides)
    return DigestWeek(**values)


def test_a_quiet_week_says_so_in_its_first_line():
    digest = compose_digest(week())
    assert digest.quiet
    assert digest.first_line == "Nothing new this week for Shop backend: the score stays at 72.4."
    assert digest.subject == "Shop backend schema health, 2026-W49: nothing new"
    assert digest.score_change == "unchanged"
    assert digest.trend_line == "– – 60.0 65.0 70.0 72.0 72.4 72.4"


def test_a_busy_week_leads_with_the_score_move_and_the_news():
    change = ChangeItem(
        "shop", "column_dropped", "public.orders.note", "dropped", False, at(2026, 12, 2), "u"
    )
    announced = ChangeItem(
        "shop", "column_renamed", "public.orders.total", "renamed", True, at(2026, 12, 3), "u"
    )
    found = FindingItem("shop", "pk-missing", "public.logs", "no key", 1.5, "u")
    digest = compose_digest(
        week(
            score=75.0,
            score_before=72.5,
            opened_count=1,
            fixed_count=4,
            opened=(found,),
            changes=(announced, change),
            connections=(
                ConnectionWeek(
                    "shop", "u", 75.0, 72.5, (RuleMove("pk-missing", "Primary key", 2.5),)
                ),
            ),
        )
    )
    assert not digest.quiet
    assert digest.first_line == (
        "Shop backend scores 75.0 (+2.5 since last week): 2 breaking changes, "
        "4 findings fixed, 1 finding opened."
    )
    assert digest.subject == "Shop backend schema health, 2026-W49: 75.0 (+2.5)"
    assert [c.object for c in digest.changes] == ["public.orders.note", "public.orders.total"]
    assert digest.unannounced == 1
    assert digest.connections[0]["movements"] == [
        {"rule": "pk-missing", "title": "Primary key", "delta": "+2.50"}
    ]


def test_bars_rise_from_near_the_lowest_score_to_a_hundred():
    # From 40 (ten below the lowest score's tens) to 100: 50 is a sixth of the way up.
    assert bar_heights([None, 50.0, 100.0], tallest=48) == [0, 8, 48]
    # From 60 to 80: a move of two points is a tenth of the strip.
    assert bar_heights([71.0, 73.0, 74.6], tallest=40) == [22, 26, 29]
    assert bar_heights([None, None]) == [0, 0]


def test_a_missed_send_moment_is_caught_up_within_a_day_only():
    schedule = Schedule()  # Monday 08:00 Europe/London (UTC in winter)
    assert due_week(schedule, at(2026, 11, 30, 20)) == "2026-W49"
    assert due_week(schedule, at(2026, 12, 1, 7, 59)) == "2026-W49"
    assert due_week(schedule, at(2026, 12, 1, 8)) is None


def test_the_next_send_is_this_weeks_until_it_passes_then_next_weeks():
    schedule = Schedule(time_zone="America/Los_Angeles")
    assert next_send(schedule, at(2026, 10, 26, 14)) == at(2026, 10, 26, 15)
    assert next_send(schedule, at(2026, 10, 26, 15)) == at(2026, 11, 2, 16)  # after DST ends


def test_an_announcement_made_before_the_week_is_no_news():
    old = AnnouncementItem(
        "shop", "We drop x", "column dropped public.t.x", at(2026, 11, 1), "a", "u"
    )
    assert compose_digest(week(announcements=(old,))).quiet
    new = replace(old, announced_at=at(2026, 12, 1))
    assert not compose_digest(week(announcements=(new,))).quiet
