"""The weekly health e-mail's edge: gather a team's week, render it, and send it once.

Gathering costs the same number of queries per team whatever the number of connections
(bench/digests.py counts them). Sending is idempotent per (team, ISO week):

1. ``prepare_send`` composes the e-mail and records it, with its recipients, in a
   ``DigestSend`` row before anything is sent. The row is unique per (team, week): of two
   workers (or two beats, or a command and a beat) one inserts it and the other finds it.
2. ``deliver`` claims the row with a conditional UPDATE (PENDING, or RETRYING when its
   backoff is over, or SENDING whose claim is older than ``DIGEST_SEND_LEASE_SECONDS``, the
   mark of a worker that died): only the claimer sends. Each recipient gets its own message
   (its own unsubscribe link), and is marked delivered right after the SMTP server accepted
   it, under the claim. A later attempt sends only to the recipients not marked.

The guarantee: each recipient gets the week's e-mail once. Its one gap is a worker that
dies after the SMTP server accepted a message and before the mark was committed (one
UPDATE): that recipient gets it again on recovery. We prefer that to the opposite (losing
a message that was never accepted), and the retry carries the same Message-ID, which mail
stores use to drop the duplicate. A failed attempt is retried with exponential backoff,
``DIGEST_MAX_ATTEMPTS`` times in all; then the row is FAILED and the team page says why.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import css_inline
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalog.changes import absolute_url as absolute
from catalog.models import Announcement, Connection, SchemaChange, Snapshot, Team
from catalog.timespans import describe_interval
from scoring.digests import (
    TOP_FINDINGS,
    TREND_WEEKS,
    AnnouncementItem,
    ChangeItem,
    ConnectionWeek,
    Digest,
    DigestWeek,
    FailedSnapshot,
    FindingItem,
    FixItem,
    RuleMove,
    Schedule,
    StaleConnection,
    compose_digest,
    due_week,
    local_week,
    week_period,
)
from scoring.models import DigestSend, DigestSettings, DigestSubscription, Finding, SnapshotScore
from scoring.rules import RULES_BY_ID
from scoring.trends import (
    ScorePoint,
    latest_points,
    lost_by_rule,
    rule_movements,
    team_series,
    team_shares,
    value_at,
)

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "scoring.digest-unsubscribe"
# Stands for each recipient's own unsubscribe link in the stored e-mail; replaced per message.
UNSUBSCRIBE_MARK = "https://unsubscribe.schemajoy.invalid/each-recipient-own-link"
# The most changes and announcements one e-mail lists (a big migration can hold hundreds).
MAX_CHANGES = 30
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


def team_schedule(team: Team) -> Schedule:
    row = DigestSettings.objects.filter(team=team).first()
    return schedule_of(row)


def schedule_of(row: DigestSettings | None) -> Schedule:
    if row is None:
        return Schedule()
    return Schedule(weekday=row.weekday, hour=row.hour, time_zone=row.time_zone)


# Gathering ------------------------------------------------------------------------


def _findings_url(connection_id: int, *, rule: str, table: str, status: str) -> str:
    query = {"rule": rule, "status": status}
    if table:
        query["table"] = table
    return absolute(reverse("scoring:findings", args=[connection_id])) + "?" + urlencode(query)


def _gain_per_finding(point: ScorePoint | None, rule: str) -> float:
    """A rule's score points per failing object in one scored snapshot (the engine's gains
    are equal within a rule's unit; stored findings do not keep them)."""
    if point is None:
        return 0.0
    result = point.rules.get(rule) or {}
    failing = int(result.get("applicable") or 0) - int(result.get("passed") or 0)
    return float(result.get("lost") or 0.0) / failing if failing > 0 else 0.0


def gather_week(
    team: Team,
    *,
    week: str,
    start: datetime.datetime,
    end: datetime.datetime,
    schedule: Schedule | None = None,
) -> DigestWeek:
    """The team's week as plain values: a constant number of queries per team."""
    schedule = schedule or team_schedule(team)
    connections = list(
        Connection.objects.filter(team=team)
        .order_by("name")
        .values("pk", "name", "schedule_interval", "last_snapshot_at", "created_at", "enabled")
    )
    ids = [c["pk"] for c in connections]
    names = {c["pk"]: c["name"] for c in connections}
    first = end - datetime.timedelta(weeks=TREND_WEEKS - 1)
    # Every score of the 8 weeks, light (a connection snapshotted hourly has 1,344), then
    # the rules and fixes of the few that the week's comparisons read.
    light = SnapshotScore.objects.score_points(
        ids, since=min(first, start), until=end, with_baseline=True, with_rules=False
    )
    series = team_series(light)
    firsts: dict[int, ScorePoint] = {}
    for point in light:
        firsts.setdefault(point.connection, point)
    wanted = {
        (p.connection, p.at)
        for p in (
            *latest_points(light, end).values(),
            *latest_points(light, start).values(),
            *firsts.values(),
        )
    }
    details = _score_details(ids, wanted)
    points = [
        replace(p, rules=details[p.connection, p.at][0])
        for p in light
        if (p.connection, p.at) in details
    ]

    # Coverage and rule movements need the rules only where they are compared: at the
    # week's start and end (and a young connection's first score).
    coverage = team_series(points, measure="coverage")
    now_points, before_points = latest_points(points, end), latest_points(points, start)
    # What fixed findings were worth: as the databases stood a week ago, or, for one
    # younger than the week, at its first score (as the team page compares).
    baseline_points = {p.connection: p for p in reversed(points) if p.at <= end}
    baseline_points.update(before_points)
    share_now, share_before = team_shares(now_points), team_shares(baseline_points)

    rows = []
    for c in connections:
        mine = [p for p in points if p.connection == c["pk"]]
        now_point, before_point = now_points.get(c["pk"]), before_points.get(c["pk"])
        # As the team page does: a connection younger than the week compares with its first.
        baseline = start if before_point is not None else (mine[0].at if mine else end)
        rows.append(
            ConnectionWeek(
                name=c["name"],
                url=absolute(reverse("catalog:connection_detail", args=[c["pk"]])),
                score=now_point.total if now_point else None,
                score_before=before_point.total if before_point else None,
                movements=tuple(
                    RuleMove(rule, _rule_title(rule), delta)
                    for rule, delta in rule_movements(
                        lost_by_rule(mine, baseline), lost_by_rule(mine, end), limit=3
                    )
                ),
            )
        )

    opened, fixed, opened_count, fixed_count = _findings(
        ids, names, start=start, end=end, now=now_points, before=baseline_points,
        share_now=share_now, share_before=share_before,
    )  # fmt: skip
    failures, failure_count = _failures(ids, names, start=start, end=end)
    return DigestWeek(
        team=team.name,
        team_url=absolute(reverse("scoring:team_detail", args=[team.slug])),
        week=week,
        period_start=start,
        period_end=end,
        time_zone=schedule.time_zone,
        score=value_at(series, end),
        score_before=value_at(series, start),
        coverage=value_at(coverage, end),
        coverage_before=value_at(coverage, start),
        weekly_scores=tuple(
            value_at(series, end - datetime.timedelta(weeks=k))
            for k in range(TREND_WEEKS - 1, -1, -1)
        ),
        connections=tuple(rows),
        changes=_breaking_changes(ids, names, start=start, end=end),
        announcements=_announcements(ids, names),
        opened_count=opened_count,
        fixed_count=fixed_count,
        opened=opened,
        fixed=fixed,
        failures=failures,
        failure_count=failure_count,
        stale=_stale(connections, end=end),  # type: ignore[arg-type]
        next_fix=_next_fix(
            {c: details[c, p.at][1] for c, p in now_points.items()}, names, share_now
        ),
        preview_url=absolute(reverse("scoring:digest_preview", args=[team.slug])) + f"?week={week}",
        settings_url=absolute(reverse("scoring:digest_preview", args=[team.slug])) + "#settings",
    )


def _rule_title(rule_id: str) -> str:
    rule = RULES_BY_ID.get(rule_id)
    return rule.title if rule else ""


def _findings(
    ids: list[int],
    names: dict[int, str],
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    now: dict[int, ScorePoint],
    before: dict[int, ScorePoint],
    share_now: dict[int, float],
    share_before: dict[int, float],
) -> tuple[tuple[FindingItem, ...], tuple[FindingItem, ...], int, int]:
    """Findings opened and fixed in the week: counts, and the top few by team points.

    Two queries: counts per (connection, rule), then the first objects of the rules
    worth most (a finding's gain is its rule's points per failing object).
    """
    opened_q = Q(opened_at__gte=start, opened_at__lt=end, waived=False)
    fixed_q = Q(resolved_at__gte=start, resolved_at__lt=end, resolution=Finding.Resolution.FIXED)
    groups = list(
        Finding.objects.filter(opened_q | fixed_q, connection_id__in=ids)
        .values("connection_id", "rule")
        .annotate(opened=Count("pk", filter=opened_q), fixed=Count("pk", filter=fixed_q))
        .order_by()
    )
    opened_count = sum(g["opened"] for g in groups)
    fixed_count = sum(g["fixed"] for g in groups)

    def gain(kind: str, connection: int, rule: str) -> float:
        if kind == "opened":
            return _gain_per_finding(now.get(connection), rule) * share_now.get(connection, 0.0)
        return _gain_per_finding(before.get(connection), rule) * share_before.get(connection, 0.0)

    ranked: dict[str, list[tuple[float, int, str]]] = {}
    for kind in ("opened", "fixed"):
        candidates = [
            (gain(kind, g["connection_id"], g["rule"]), g["connection_id"], g["rule"])
            for g in groups
            if g[kind]
        ]
        ranked[kind] = sorted(candidates, key=lambda c: (-c[0], names[c[1]], c[2]))[:TOP_FINDINGS]
    wanted = Q(pk__in=[])
    for kind, q in (("opened", opened_q), ("fixed", fixed_q)):
        for _, connection, rule in ranked[kind]:
            wanted |= q & Q(connection_id=connection, rule=rule)
    rows = (
        Finding.objects.filter(wanted, connection_id__in=ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("connection_id"), F("rule"), F("resolution")],
                order_by=[F("object").asc()],
            )
        )
        .filter(rank__lte=TOP_FINDINGS)
        .values_list("connection_id", "rule", "object", "table", "message", "resolution")
    )
    found: dict[tuple[str, int, str], list[tuple[str, str, str]]] = {}
    for connection, rule, obj, table, message, resolution in rows:
        kind = "fixed" if resolution == Finding.Resolution.FIXED else "opened"
        found.setdefault((kind, connection, rule), []).append((obj, table, message))
    result: dict[str, tuple[FindingItem, ...]] = {}
    for kind in ("opened", "fixed"):
        items = [
            FindingItem(
                connection=names[connection],
                rule=rule,
                object=obj,
                message=message,
                gain=points,
                url=_findings_url(
                    connection,
                    rule=rule,
                    table=table,
                    status="open" if kind == "opened" else "resolved",
                ),
            )
            for points, connection, rule in ranked[kind]
            for obj, table, message in sorted(found.get((kind, connection, rule), []))
        ]
        result[kind] = tuple(items[:TOP_FINDINGS])
    return result["opened"], result["fixed"], opened_count, fixed_count


def _changes_url(connection_id: int, *, table: str = "", breaking: bool = True) -> str:
    query = {"breaking": "on"} if breaking else {}
    if table:
        query["table"] = table
    path = reverse("catalog:connection_changes", args=[connection_id])
    return absolute(path) + ("?" + urlencode(query) if query else "")


def _breaking_changes(
    ids: list[int], names: dict[int, str], *, start: datetime.datetime, end: datetime.datetime
) -> tuple[ChangeItem, ...]:
    """The week's breaking changes, announced or not (the digest puts unannounced first)."""
    rows = (
        SchemaChange.objects.filter(
            connection_id__in=ids, breaking=True, detected_at__gte=start, detected_at__lt=end
        )
        .order_by("-detected_at", "position")
        .values_list(
            "connection_id", "kind", "object", "table", "reason", "announcement_id", "detected_at"
        )[:MAX_CHANGES]
    )
    return tuple(
        ChangeItem(
            connection=names[connection],
            kind=kind,
            object=obj,
            reason=reason,
            announced=announcement is not None,
            detected_at=at,
            url=_changes_url(connection, table=table),
        )
        for connection, kind, obj, table, reason, announcement, at in rows
    )


def _announcements(ids: list[int], names: dict[int, str]) -> tuple[AnnouncementItem, ...]:
    """Announced changes that no snapshot has seen yet: what is still to come. One release
    check announces each of its changes under one message: they are listed together."""
    rows = (
        Announcement.objects.filter(connection_id__in=ids, matched_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list(
            "connection_id", "message", "kind", "object", "created_at", "created_by__username"
        )[: MAX_CHANGES * 5]
    )
    grouped: dict[tuple[int, str], list[Any]] = {}
    for connection, message, kind, obj, at, username in rows:
        entry = grouped.setdefault((connection, message), [at, username, []])
        entry[2].append(f"{kind.replace('_', ' ')} {obj}")
    return tuple(
        AnnouncementItem(
            connection=names[connection],
            message=message,
            objects=", ".join(objects),
            announced_at=at,
            by=username or "someone",
            url=_changes_url(connection, breaking=False),
        )
        for (connection, message), (at, username, objects) in list(grouped.items())[:MAX_CHANGES]
    )


def _failures(
    ids: list[int], names: dict[int, str], *, start: datetime.datetime, end: datetime.datetime
) -> tuple[tuple[FailedSnapshot, ...], int]:
    """Failed snapshots of the week, one line per (connection, reason), latest first."""
    rows = list(
        Snapshot.objects.filter(
            connection_id__in=ids,
            status=Snapshot.Status.FAILED,
            started_at__gte=start,
            started_at__lt=end,
        )
        .values("connection_id", "error_message")
        .annotate(n=Count("pk"), last=Max("started_at"))
        .order_by("-last")
    )
    return (
        tuple(
            FailedSnapshot(
                connection=names[r["connection_id"]],
                at=r["last"],
                reason=(r["error_message"] or "no reason recorded")
                + (f" ({r['n']} times)" if r["n"] > 1 else ""),
                url=absolute(reverse("catalog:connection_detail", args=[r["connection_id"]])),
            )
            for r in rows[:10]
        ),
        sum(r["n"] for r in rows),
    )


def _stale(
    connections: list[dict[str, Any]], *, end: datetime.datetime
) -> tuple[StaleConnection, ...]:
    """Enabled connections whose last good snapshot is older than twice their interval."""
    stale = []
    for c in connections:
        since = c["last_snapshot_at"] or c["created_at"]
        if c["enabled"] and since < end - 2 * c["schedule_interval"]:
            stale.append(
                StaleConnection(
                    connection=c["name"],
                    last_snapshot_at=c["last_snapshot_at"],
                    interval=describe_interval(c["schedule_interval"]),
                    url=absolute(reverse("catalog:connection_detail", args=[c["pk"]])),
                )
            )
    return tuple(stale)


def _score_details(
    ids: list[int], wanted: set[tuple[int, datetime.datetime]]
) -> dict[tuple[int, datetime.datetime], tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(rules, top fixes) of the scores named by (connection, snapshot start): one query."""
    if not wanted:
        return {}
    rows = SnapshotScore.objects.filter(
        connection_id__in=ids, snapshot__started_at__in=sorted({at for _, at in wanted})
    ).values_list("connection_id", "snapshot__started_at", "rules", "top_fixes")
    return {(c, at): (rules, fixes or []) for c, at, rules, fixes in rows if (c, at) in wanted}


def _next_fix(
    fixes_of: dict[int, list[dict[str, Any]]], names: dict[int, str], share: dict[int, float]
) -> FixItem | None:
    """The open finding to fix first: the connections' best fixes (kept with each score),
    errors before warnings as in the top fixes, then the one that raises the team score
    most, weighted by each connection's share of the team score."""
    best: tuple[int, float, str, str, int, dict[str, Any]] | None = None
    for connection, fixes in fixes_of.items():
        for fix in fixes:
            points = float(fix.get("gain") or 0.0) * share.get(connection, 0.0)
            rank = 0 if fix.get("severity") == "E" else 1
            key = (rank, points, names[connection], fix.get("object", ""), connection, fix)
            if points > 0 and (
                best is None
                or (key[0], -key[1], key[2], key[3]) < (best[0], -best[1], best[2], best[3])
            ):
                best = key
    if best is None:
        return None
    _, points, name, _, connection, fix = best
    return FixItem(
        connection=name,
        rule=fix["rule"],
        title=_rule_title(fix["rule"]),
        object=fix.get("object", ""),
        message=fix.get("message", ""),
        fix=fix.get("fix", ""),
        gain=points,
        url=_findings_url(connection, rule=fix["rule"], table=fix.get("table", ""), status="open"),
    )


# Rendering ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def render_digest(digest: Digest, *, unsubscribe_url: str = UNSUBSCRIBE_MARK) -> Rendered:
    """Both parts from the templates; the HTML part's CSS inlined (no style sheet left)."""
    context = {"digest": digest, "unsubscribe_url": unsubscribe_url}
    html = _INLINER.inline(render_to_string("emails/digest.html", context))
    text = render_to_string("emails/digest.txt", context)
    return Rendered(digest.subject, html, text)


def personalise(text: str, unsubscribe_url: str) -> str:
    return text.replace(UNSUBSCRIBE_MARK, unsubscribe_url)


def compose_for_team(
    team: Team, *, week: str, now: datetime.datetime, schedule: Schedule | None = None
) -> tuple[Rendered, datetime.datetime, datetime.datetime]:
    schedule = schedule or team_schedule(team)
    start, end = week_period(schedule, week, now)
    digest = compose_digest(gather_week(team, week=week, start=start, end=end, schedule=schedule))
    return render_digest(digest), start, end


# Recipients and unsubscribing ---------------------------------------------------------------


def recipients(team: Team) -> list[dict[str, Any]]:
    """Members who opted in, then the team's extra addresses; each address once."""
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for user_id, email in (
        DigestSubscription.objects.filter(team=team, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user_id", "user__email")
    ):
        if email.lower() not in seen:
            seen.add(email.lower())
            result.append({"address": email, "user_id": user_id, "sent_at": None})
    for address in team.recipient_list():
        if address.lower() not in seen:
            seen.add(address.lower())
            result.append({"address": address, "user_id": None, "sent_at": None})
    return result


def unsubscribe_token(team_id: int, recipient: dict[str, Any]) -> str:
    return signing.dumps(
        {"t": team_id, "a": recipient["address"], "u": recipient.get("user_id")},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def unsubscribe_url(team_id: int, recipient: dict[str, Any]) -> str:
    token = unsubscribe_token(team_id, recipient)
    return absolute(reverse("scoring:digest_unsubscribe", args=[token]))


@dataclass(frozen=True)
class Unsubscribed:
    team: Team
    address: str
    removed: bool  # False: it was not subscribed any more


def unsubscribe(token: str) -> Unsubscribed:
    """Remove the token's recipient (and only it) from the team's e-mail.

    A member's subscription is deleted; an extra address leaves the team's list. Raises
    signing.BadSignature for a forged or damaged token.
    """
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    with transaction.atomic():
        team = Team.objects.select_for_update().filter(pk=data["t"]).first()
        if team is None:
            raise signing.BadSignature("unknown team")
        address = str(data["a"])
        if data.get("u"):
            removed, _ = DigestSubscription.objects.filter(team=team, user_id=data["u"]).delete()
            return Unsubscribed(team, address, bool(removed))
        lines = team.digest_recipients.replace(",", "\n").splitlines()
        kept = [
            line.strip()
            for line in lines
            if line.strip() and line.strip().lower() != address.lower()
        ]
        removed = len(kept) != len([line for line in lines if line.strip()])
        if removed:
            team.digest_recipients = "\n".join(kept)
            team.save(update_fields=["digest_recipients"])
        return Unsubscribed(team, address, removed)


def resubscribe(token: str) -> Unsubscribed:
    """Undo ``unsubscribe`` (a mail scanner may have followed the link): the member's
    subscription, while still a member, or the extra address, comes back. ``removed``
    of the result is False when nothing had to come back."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    with transaction.atomic():
        team = Team.objects.select_for_update().filter(pk=data["t"]).first()
        if team is None:
            raise signing.BadSignature("unknown team")
        address = str(data["a"])
        if data.get("u"):
            if not team.members.filter(pk=data["u"]).exists():
                return Unsubscribed(team, address, False)
            _, added = DigestSubscription.objects.get_or_create(team=team, user_id=data["u"])
            return Unsubscribed(team, address, added)
        if address.lower() in {a.lower() for a in team.recipient_list()}:
            return Unsubscribed(team, address, False)
        team.digest_recipients = "\n".join([*team.recipient_list(), address])
        team.save(update_fields=["digest_recipients"])
        return Unsubscribed(team, address, True)


# Sending --------------------------------------------------------------------------


def _message(row: DigestSend, index: int, recipient: dict[str, Any]) -> EmailMultiAlternatives:
    link = unsubscribe_url(row.team_id, recipient)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "schemajoy"
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=personalise(row.text, link),
        to=[recipient["address"]],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{row.team.slug} weekly health <{row.team.slug}.digest.{domain}>",
            # The same on every attempt: a mail store drops a duplicate of a retried send.
            "Message-ID": f"<digest-{row.pk}-{row.composed_at:%Y%m%d%H%M%S%f}-{index}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(personalise(row.html, link), "text/html")
    return message


def _backoff(attempts: int) -> datetime.timedelta:
    """5 min, 10 min, 20 min...: an SMTP outage gets time to pass."""
    return datetime.timedelta(seconds=settings.DIGEST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def prepare_send(
    team: Team, week: str, *, now: datetime.datetime, force: bool = False
) -> tuple[DigestSend, bool]:
    """Record the team's e-mail of ``week`` (composed now) unless it exists: (row, created).

    ``force`` composes it again and sends it anew to everyone, unless an attempt is
    running right now (its claim has not expired).
    """
    existing = DigestSend.objects.filter(team=team, week=week).first()
    if existing is not None and not force:
        return existing, False
    rendered, start, end = compose_for_team(team, week=week, now=now)
    people = recipients(team)
    values = {
        "period_start": start,
        "period_end": end,
        "recipients": people,
        "subject": rendered.subject,
        "html": rendered.html,
        "text": rendered.text,
        "status": DigestSend.Status.PENDING if people else DigestSend.Status.SKIPPED,
        "error": "" if people else "No recipients: nobody opted in and no extra address.",
        "attempts": 0,
        "next_attempt_at": None,
        "sent_at": None,
        "forced": force,
        "composed_at": timezone.now(),
    }
    if existing is not None:
        live = Q(status=DigestSend.Status.SENDING, claimed_at__gte=now - _lease())
        updated = DigestSend.objects.filter(pk=existing.pk).exclude(live).update(**values)
        existing.refresh_from_db()
        return existing, bool(updated)
    try:
        with transaction.atomic():
            return DigestSend.objects.create(team=team, week=week, **values), True
    except IntegrityError:  # another worker recorded it first
        return DigestSend.objects.get(team=team, week=week), False


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.DIGEST_SEND_LEASE_SECONDS)


def claimable(now: datetime.datetime, *, retry_now: bool = False) -> Q:
    """Rows an attempt may take: new, due for a retry (any retry with ``retry_now``), or
    held by a worker that died."""
    retry = Q(status=DigestSend.Status.RETRYING)
    if not retry_now:
        retry &= Q(next_attempt_at__lte=now)
    return (
        Q(status=DigestSend.Status.PENDING)
        | retry
        | Q(status=DigestSend.Status.SENDING, claimed_at__lt=now - _lease())
    )


def deliver(
    send_id: int, *, now: datetime.datetime | None = None, retry_now: bool = False
) -> tuple[DigestSend, bool]:
    """Send a recorded e-mail to its recipients not yet served, if this call can claim it:
    (the row as it ends, whether this call made the attempt)."""
    now = now or timezone.now()
    claimed = DigestSend.objects.filter(claimable(now, retry_now=retry_now), pk=send_id).update(
        status=DigestSend.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    row = DigestSend.objects.select_related("team").get(pk=send_id)
    if claimed != 1:
        return row, False
    mine = DigestSend.objects.filter(pk=send_id, status=DigestSend.Status.SENDING, claimed_at=now)
    people = list(row.recipients)
    started = time.monotonic()
    try:
        with get_connection(fail_silently=False) as smtp:
            for index, person in enumerate(people):
                if person.get("sent_at"):
                    continue
                smtp.send_messages([_message(row, index, person)])
                person["sent_at"] = timezone.now().isoformat()
                # Marked at once, only while the claim is still ours, and the claim renewed:
                # a long send is not taken for a dead one.
                renewed = now + datetime.timedelta(seconds=time.monotonic() - started)
                if not mine.update(recipients=people, claimed_at=renewed):
                    log.warning("digest %s: claim lost, stopping", send_id)
                    return DigestSend.objects.select_related("team").get(pk=send_id), True
                mine = DigestSend.objects.filter(
                    pk=send_id, status=DigestSend.Status.SENDING, claimed_at=renewed
                )
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"[:2000]
        # row.attempts counts this attempt already (the claim added it).
        last = row.attempts >= settings.DIGEST_MAX_ATTEMPTS
        mine.update(
            status=DigestSend.Status.FAILED if last else DigestSend.Status.RETRYING,
            error=reason,
            next_attempt_at=None if last else now + _backoff(row.attempts),
        )
        log.warning("digest %s %s attempt %s: %s", row.team.slug, row.week, row.attempts, reason)
        if not isinstance(error, (OSError, smtplib.SMTPException)):
            raise  # a bug, not the mail server: recorded, and reported loudly
    else:
        mine.update(status=DigestSend.Status.SENT, sent_at=timezone.now(), error="")
    return DigestSend.objects.select_related("team").get(pk=send_id), True


@dataclass(frozen=True)
class Outcome:
    team: str
    week: str
    status: str  # "sent", "already sent", "failed", "skipped", "in progress", "would send"
    recipients: int = 0
    reason: str = ""
    addresses: tuple[str, ...] = ()
    subject: str = ""

    def line(self) -> str:
        head = f"{self.team} {self.week}: "
        if self.status == "sent":
            return (
                head + f"sent to {self.recipients} recipient{'s' if self.recipients != 1 else ''}"
            )
        if self.status == "failed":
            return head + f"failed: {self.reason}"
        if self.status == "would send":
            who = ", ".join(self.addresses) or "nobody"
            return head + f"would send to {self.recipients} ({who}): {self.subject}"
        if self.status == "skipped":
            return head + f"skipped: {self.reason}"
        return head + self.status


def send_weekly_digest(
    team: Team,
    week: str,
    *,
    now: datetime.datetime | None = None,
    force: bool = False,
    retry_now: bool = False,
) -> Outcome:
    """Record and send the team's e-mail of ``week``, at most once unless ``force``.

    ``retry_now`` (the command) retries a failed send without waiting for its backoff.
    """
    now = now or timezone.now()
    row, _ = prepare_send(team, week, now=now, force=force)
    if row.status == DigestSend.Status.SKIPPED:
        return Outcome(team.slug, week, "skipped", reason=row.error)
    if row.status == DigestSend.Status.SENT:
        return Outcome(team.slug, week, "already sent", row.delivered)
    row, attempted = deliver(row.pk, now=now, retry_now=retry_now)
    if row.status == DigestSend.Status.SENT:
        return Outcome(team.slug, week, "sent" if attempted else "already sent", row.delivered)
    if row.status in (DigestSend.Status.RETRYING, DigestSend.Status.FAILED):
        return Outcome(team.slug, week, "failed", reason=row.error)
    return Outcome(team.slug, week, "in progress")


def dry_run(team: Team, week: str, *, now: datetime.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    existing = DigestSend.objects.filter(team=team, week=week).first()
    if existing is not None and existing.status == DigestSend.Status.SENT:
        return Outcome(team.slug, week, "already sent", existing.delivered)
    rendered, _, _ = compose_for_team(team, week=week, now=now)
    people = recipients(team)
    return Outcome(
        team.slug,
        week,
        "would send",
        len(people),
        addresses=tuple(p["address"] for p in people),
        subject=rendered.subject,
    )


def send_test(team: Team, address: str, *, now: datetime.datetime | None = None) -> None:
    """This week's e-mail, as it would be sent now, to one address (nothing recorded)."""
    now = now or timezone.now()
    schedule = team_schedule(team)
    rendered, _, _ = compose_for_team(team, week=local_week(schedule, now), now=now)
    message = EmailMultiAlternatives(
        subject=f"[test] {rendered.subject}",
        body=personalise(
            rendered.text, absolute(reverse("scoring:digest_preview", args=[team.slug]))
        ),
        to=[address],
    )
    message.attach_alternative(
        personalise(rendered.html, absolute(reverse("scoring:digest_preview", args=[team.slug]))),
        "text/html",
    )
    message.send(fail_silently=False)


# The schedule -------------------------------------------------------------------------


def due_digests(now: datetime.datetime | None = None) -> list[tuple[int, str]]:
    """(team id, week) of every e-mail to send or resume now: two queries.

    A team is due once its local send moment of the current week has come and the week
    has no row yet; a recorded row is due again while it can be claimed (see claimable).
    """
    now = now or timezone.now()
    teams = list(Team.objects.select_related("digest_settings").order_by("pk"))
    weeks: dict[int, str] = {}
    for team in teams:
        row = getattr(team, "digest_settings", None)
        if row is not None and not row.enabled:
            continue
        week = due_week(schedule_of(row), now)
        if week is not None:
            weeks[team.pk] = week
    recorded = set(
        DigestSend.objects.filter(team_id__in=list(weeks)).values_list("team_id", "week")
    )
    due = [(pk, week) for pk, week in weeks.items() if (pk, week) not in recorded]
    resumable = DigestSend.objects.filter(claimable(now)).values_list("team_id", "week")
    return sorted(set(due) | set(resumable))
