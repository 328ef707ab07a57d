"""The weekly health e-mail, composed from plain values (pure: no Django, no database).

``scoring/mailings.py`` gathers a team's week into a ``DigestWeek`` (a constant number of
queries per team), ``compose_digest`` turns it into a ``Digest`` (every number and line the
e-mail shows, already worded), and the templates under ``templates/emails/`` only lay it
out. The schedule's time maths live here too: a team's send moment is a weekday and an
hour in its own time zone, and one e-mail belongs to each ISO week of that time zone.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TREND_WEEKS = 8
TOP_FINDINGS = 5
TOP_MOVEMENTS = 3
# Score moves smaller than this read as "unchanged" (scores are shown to one decimal).
STEADY = 0.05
# How long after its send moment a week's e-mail may still go out (beat down, deploys).
CATCH_UP = datetime.timedelta(days=1)

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")


# The schedule -------------------------------------------------------------------------


def parse_week(text: str) -> tuple[int, int]:
    """``2026-W49`` -> (2026, 49); ValueError with a clear message otherwise."""
    match = _WEEK.match(text.strip())
    if match:
        year, week = int(match.group(1)), int(match.group(2))
        try:
            datetime.date.fromisocalendar(year, week, 1)
        except ValueError:
            pass
        else:
            return year, week
    raise ValueError(f"{text!r} is not an ISO week like 2026-W49")


def week_label(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_time_zone(name: str) -> ZoneInfo:
    """An IANA time zone by name (``Europe/London``); ValueError with a clear message."""
    if not _ZONE.match(name or ""):
        raise ValueError(f"{name!r} is not a time zone name like Europe/London")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {name!r}: use a name like Europe/London") from None


@dataclass(frozen=True)
class Schedule:
    """When a team's e-mail goes out: weekday (0 = Monday) and hour, local to ``time_zone``."""

    weekday: int = 0
    hour: int = 8
    time_zone: str = "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        return parse_time_zone(self.time_zone)


def scheduled_at(schedule: Schedule, week: str) -> datetime.datetime:
    """The send moment of ``week`` (an ISO week of the team's time zone), in UTC.

    A local hour that a DST change skips (02:00 on a spring-forward night) falls an hour
    later; one that happens twice is taken the first time (fold 0).
    """
    year, number = parse_week(week)
    day = datetime.date.fromisocalendar(year, number, schedule.weekday + 1)
    local = datetime.datetime.combine(day, datetime.time(schedule.hour), tzinfo=schedule.zone)
    return local.astimezone(datetime.UTC)


def local_week(schedule: Schedule, now: datetime.datetime) -> str:
    """The ISO week that ``now`` falls in, on the team's clock."""
    return week_label(now.astimezone(schedule.zone).date())


def due_week(
    schedule: Schedule, now: datetime.datetime, *, catch_up: datetime.timedelta = CATCH_UP
) -> str | None:
    """The week whose e-mail is due at ``now``: from its local send moment for ``catch_up``.

    A beat that was down at the send moment catches up within that time; later, the week's
    e-mail is not sent any more (its news is stale, and a team created mid-week waits for
    its first send moment rather than getting an e-mail at once).
    """
    week = local_week(schedule, now)
    moment = scheduled_at(schedule, week)
    return week if moment <= now < moment + catch_up else None


def next_send(schedule: Schedule, now: datetime.datetime) -> datetime.datetime:
    """The first send moment after ``now`` (this week's, or else next week's)."""
    moment = scheduled_at(schedule, local_week(schedule, now))
    if moment > now:
        return moment
    following = (moment + datetime.timedelta(days=7)).astimezone(schedule.zone).date()
    return scheduled_at(schedule, week_label(following))


def week_bounds(schedule: Schedule, week: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The ISO week on the team's clock, Monday 00:00 to the next Monday 00:00, in UTC."""
    year, number = parse_week(week)
    monday = datetime.date.fromisocalendar(year, number, 1)

    def midnight(day: datetime.date) -> datetime.datetime:
        local = datetime.datetime.combine(day, datetime.time(0), tzinfo=schedule.zone)
        return local.astimezone(datetime.UTC)

    return midnight(monday), midnight(monday + datetime.timedelta(days=7))


def week_period(
    schedule: Schedule, week: str, now: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """The 7 days an e-mail of ``week`` reports on: those before it is composed (at the send
    moment, the usual case), or before the week's end for a week that is over."""
    end = min(now, week_bounds(schedule, week)[1])
    return end - datetime.timedelta(days=7), end


# What the edge gathers ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleMove:
    rule: str
    title: str
    delta: float  # score points won (+) or lost (-)


@dataclass(frozen=True)
class ConnectionWeek:
    name: str
    url: str
    score: float | None
    score_before: float | None
    movements: tuple[RuleMove, ...] = ()


@dataclass(frozen=True)
class ChangeItem:
    connection: str
    kind: str
    object: str
    reason: str
    announced: bool
    detected_at: datetime.datetime
    url: str


@dataclass(frozen=True)
class AnnouncementItem:
    connection: str
    message: str
    objects: str  # what it names, one line
    announced_at: datetime.datetime
    by: str
    url: str


@dataclass(frozen=True)
class FindingItem:
    connection: str
    rule: str
    object: str
    message: str
    gain: float  # team score points
    url: str


@dataclass(frozen=True)
class FixItem:
    connection: str
    rule: str
    title: str
    object: str
    message: str
    fix: str
    gain: float  # team score points
    url: str


@dataclass(frozen=True)
class FailedSnapshot:
    connection: str
    at: datetime.datetime
    reason: str
    url: str


@dataclass(frozen=True)
class StaleConnection:
    connection: str
    last_snapshot_at: datetime.datetime | None
    interval: str  # "every hour"
    url: str


@dataclass(frozen=True)
class DigestWeek:
    """Everything a team's e-mail of one week says, as plain values."""

    team: str
    team_url: str
    week: str
    period_start: datetime.datetime
    period_end: datetime.datetime
    time_zone: str
    score: float | None
    score_before: float | None
    coverage: float | None
    coverage_before: float | None
    # The team's score at the end of each of the last TREND_WEEKS weeks, oldest first.
    weekly_scores: tuple[float | None, ...] = ()
    connections: tuple[ConnectionWeek, ...] = ()
    changes: tuple[ChangeItem, ...] = ()
    announcements: tuple[AnnouncementItem, ...] = ()
    opened_count: int = 0
    fixed_count: int = 0
    opened: tuple[FindingItem, ...] = ()  # best first, all of them or the top few
    fixed: tuple[FindingItem, ...] = ()
    failures: tuple[FailedSnapshot, ...] = ()
    failure_count: int = 0
    stale: tuple[StaleConnection, ...] = ()
    next_fix: FixItem | None = None
    preview_url: str = ""
    settings_url: str = ""


# What the e-mail shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str  # the week's Monday, "30 Nov"
    value: str  # "72.4" or "–"
    height: int  # pixels, 0 for no score


@dataclass(frozen=True)
class Digest:
    subject: str
    first_line: str
    quiet: bool
    week: DigestWeek
    score: str
    score_change: str  # "+1.3", "-0.4", "unchanged", "" (no score a week ago)
    coverage: str
    coverage_change: str
    bars: tuple[Bar, ...] = ()
    trend_line: str = ""  # the text part's row of numbers
    connections: tuple[dict[str, object], ...] = ()
    changes: tuple[ChangeItem, ...] = ()  # unannounced first
    unannounced: int = 0
    findings_opened: tuple[FindingItem, ...] = field(default_factory=tuple)
    findings_fixed: tuple[FindingItem, ...] = field(default_factory=tuple)


def format_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def format_change(now: float | None, before: float | None, *, unit: str = "") -> str:
    """ "+1.3", "-0.4" (points), "unchanged", or "" when there is nothing to compare."""
    if now is None or before is None:
        return ""
    delta = now - before
    if abs(delta) < STEADY:
        return "unchanged"
    return f"{delta:+.1f}{unit}"


def bar_heights(values: Sequence[float | None], *, tallest: int = 48) -> list[int]:
    """Bar heights in pixels, from ten below the lowest score's tens to the highest's next
    ten, so a week's move of a point or two shows (bars of 0-100 would look flat)."""
    known = [v for v in values if v is not None]
    if not known:
        return [0 for _ in values]
    floor = max(0.0, (min(known) // 10) * 10 - 10)
    top = min(100.0, (max(known) // 10) * 10 + 10)
    span = max(top - floor, 1.0)
    return [0 if v is None else max(3, round(tallest * (v - floor) / span)) for v in values]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def is_quiet(week: DigestWeek) -> bool:
    """Nothing new: no score move, no finding opened or fixed, no change or announcement
    made this week, no failed or overdue snapshot."""
    steady = format_change(week.score, week.score_before) in ("unchanged", "")
    return (
        steady
        and not week.opened_count
        and not week.fixed_count
        and not week.changes
        and not any(a.announced_at >= week.period_start for a in week.announcements)
        and not week.failure_count
        and not week.stale
    )


def _headline(week: DigestWeek, score_change: str, quiet: bool) -> str:
    score = format_score(week.score)
    if quiet:
        if week.score is None:
            return f"Nothing new this week for {week.team}: no database has a score yet."
        return f"Nothing new this week for {week.team}: the score stays at {score}."
    parts = []
    if week.score is not None:
        moved = f" ({score_change} since last week)" if score_change else ""
        parts.append(f"{week.team} scores {score}{moved}")
    else:
        parts.append(f"{week.team} has no score yet")
    news = []
    breaking = len(week.changes)
    if breaking:
        news.append(_plural(breaking, "breaking change"))
    if week.fixed_count:
        news.append(_plural(week.fixed_count, "finding") + " fixed")
    if week.opened_count:
        news.append(_plural(week.opened_count, "finding") + " opened")
    if week.failure_count:
        news.append(_plural(week.failure_count, "failed snapshot"))
    if week.stale:
        news.append(_plural(len(week.stale), "connection") + " not snapshotted")
    return parts[0] + (": " + ", ".join(news) if news else "") + "."


def compose_digest(week: DigestWeek) -> Digest:
    """Every line and number of the team's e-mail for ``week``."""
    quiet = is_quiet(week)
    score_change = format_change(week.score, week.score_before)
    heights = bar_heights(week.weekly_scores)
    # Each bar is the score as it stood a week apart, up to the period's end (team's clock).
    first_day = (
        week.period_end.astimezone(parse_time_zone(week.time_zone))
        - datetime.timedelta(weeks=TREND_WEEKS - 1)
    ).date()
    bars = tuple(
        Bar(
            label=(first_day + datetime.timedelta(weeks=i)).strftime("%d %b").lstrip("0"),
            value=format_score(value),
            height=height,
        )
        for i, (value, height) in enumerate(zip(week.weekly_scores, heights, strict=True))
    )
    subject_score = format_score(week.score)
    if score_change and score_change != "unchanged":
        subject_score += f" ({score_change})"
    subject = f"{week.team} schema health, {week.week}: " + (
        "nothing new" if quiet else subject_score
    )
    changes = tuple(sorted(week.changes, key=lambda c: (c.announced, -c.detected_at.timestamp())))
    return Digest(
        subject=subject,
        first_line=_headline(week, score_change, quiet),
        quiet=quiet,
        week=week,
        score=format_score(week.score),
        score_change=score_change,
        coverage="–" if week.coverage is None else f"{week.coverage:.0f}%",
        coverage_change=format_change(week.coverage, week.coverage_before, unit=" pts"),
        bars=bars,
        trend_line=" ".join(bar.value for bar in bars),
        connections=tuple(
            {
                "name": c.name,
                "url": c.url,
                "score": format_score(c.score),
                "change": format_change(c.score, c.score_before) or "new this week",
                "movements": [
                    {"rule": m.rule, "title": m.title, "delta": f"{m.delta:+.2f}"}
                    for m in c.movements[:TOP_MOVEMENTS]
                ],
            }
            for c in week.connections
        ),
        changes=changes,
        unannounced=sum(1 for c in changes if not c.announced),
        findings_opened=week.opened[:TOP_FINDINGS],
        findings_fixed=week.fixed[:TOP_FINDINGS],
    )
