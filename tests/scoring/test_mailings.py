"""The weekly e-mail against a real history on the local PostgreSQL: its numbers, its
delivery through a real SMTP server, idempotent sending, unsubscribing, the schedule."""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection as db_connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Announcement, Connection, SchemaChange, Snapshot, Team
from catalog.snapshots import take_snapshot
from scoring.digests import compose_digest, format_change, format_score, local_week
from scoring.mailings import (
    UNSUBSCRIBE_MARK,
    deliver,
    due_digests,
    gather_week,
    render_digest,
    send_weekly_digest,
    team_schedule,
)
from scoring.models import DigestSend, DigestSettings, DigestSubscription, Finding, SnapshotScore
from scoring.runs import score_snapshot
from tests.fixtures.postgres_targets import PgTarget, create_database, drop_database, unique_name
from tests.scoring.test_runs import snapshot

pytestmark = pytest.mark.django_db

DAYS_AGO = datetime.timedelta(days=10)


def snap(connection: Connection) -> Snapshot:
    taken = snapshot(connection)
    score_snapshot(taken)
    return taken


def age(connection: Connection, by: datetime.timedelta) -> None:
    """Move a connection's history so far into the past (as if taken ``by`` earlier)."""
    Snapshot.objects.filter(connection=connection).update(started_at=F("started_at") - by)
    Finding.objects.filter(connection=connection).update(opened_at=F("opened_at") - by)
    Connection.objects.filter(pk=connection.pk).update(created_at=timezone.now() - by)


@pytest.fixture
def second_target() -> Iterator[PgTarget]:
    target = PgTarget(database=unique_name("billing"))
    create_database(target.database)
    try:
        yield target
    finally:
        drop_database(target.database)


@pytest.fixture
def history(team, member, pg_target, second_target, make_connection):
    """Two connections; a week ago, then this week's ALTERs: a fix, a new flaw, two
    breaking changes; an announcement still to come; a failed snapshot."""
    pg_target.execute(
        "CREATE TABLE customers (id int PRIMARY KEY, email text, created_at timestamptz,"
        " updated_at timestamptz);"
        "CREATE TABLE orders (id int, customer_id int REFERENCES customers (id), note text,"
        " total varchar(255), created_at timestamptz, updated_at timestamptz);"
    )
    second_target.execute(
        "CREATE TABLE invoices (id int PRIMARY KEY, amount text, created_at date);"
    )
    shop = make_connection(pg_target.dsn)
    billing = make_connection(second_target.dsn, name="billing")
    snap(shop)
    snap(billing)
    age(shop, DAYS_AGO)
    age(billing, DAYS_AGO)

    pg_target.execute(
        "ALTER TABLE orders ADD PRIMARY KEY (id);"  # fixes pk-missing
        "ALTER TABLE orders DROP COLUMN note;"  # breaking
        "ALTER TABLE orders ALTER COLUMN total TYPE varchar(50);"  # breaking: narrows
        "CREATE TABLE audit_log (happened date, what text);"  # new flaws
    )
    snap(shop)
    snap(billing)
    for kind, obj in (("column_added", "amount_cents"), ("column_dropped", "amount")):
        Announcement.objects.create(  # one release check announces both at once
            connection=billing,
            kind=kind,
            object=f"public.invoices.{obj}",
            table="public.invoices",
            breaking=kind == "column_dropped",
            message="We drop invoices.amount on 14 Dec; use amount_cents",
            created_by=member,
        )
    billing.set_dsn(f"{second_target.dsn}_gone")  # a database that does not exist
    billing.save()
    failed = take_snapshot(billing)
    assert not failed.succeeded
    member.email = "alice@example.com"
    member.save()
    DigestSubscription.objects.create(user=member, team=team)
    team.digest_recipients = "data@example.com\nbi@example.com"
    team.save()
    return team, shop, billing, failed


def this_week(team: Team) -> tuple[str, datetime.datetime, datetime.datetime]:
    now = timezone.now()
    return local_week(team_schedule(team), now), now - datetime.timedelta(days=7), now


def expected_team_score(scores: list[SnapshotScore]) -> float:
    weights = [max(s.snapshot.table_count, 1) for s in scores]
    return sum(s.total * w for s, w in zip(scores, weights, strict=True)) / sum(weights)


def latest_scores(connections, *, before=None) -> list[SnapshotScore]:
    result = []
    for connection in connections:
        rows = SnapshotScore.objects.filter(connection=connection).select_related("snapshot")
        if before is not None:
            rows = rows.filter(snapshot__started_at__lte=before)
        result.append(rows.order_by("-snapshot__started_at").first())
    return result


def unsubscribe_link(message) -> str:
    """The List-Unsubscribe address (the header may be folded over lines)."""
    return re.fullmatch(r"<(.+)>", "".join(str(message["List-Unsubscribe"]).split())).group(1)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_email_reports_the_stored_scores_findings_and_changes_in_both_parts(history):
    team, shop, billing, failed = history
    week, start, end = this_week(team)

    data = gather_week(team, week=week, start=start, end=end)
    digest = compose_digest(data)
    rendered = render_digest(digest)

    score = expected_team_score(latest_scores([shop, billing]))
    before = expected_team_score(latest_scores([shop, billing], before=start))
    assert data.score == pytest.approx(score)
    assert data.score_before == pytest.approx(before)
    assert data.weekly_scores[-1] == pytest.approx(score)
    assert data.weekly_scores[-2] == pytest.approx(before)
    assert data.weekly_scores[:-2] == (None,) * 6  # no history before ten days ago
    findings = Finding.objects.filter(connection__team=team)
    opened = findings.filter(opened_at__gte=start, waived=False)
    fixed = findings.filter(resolved_at__gte=start, resolution="fixed")
    assert data.opened_count == opened.count() > 0
    assert data.fixed_count == fixed.count() > 0
    assert ("pk-missing", "public.orders") in set(fixed.values_list("rule", "object"))
    assert {f.object for f in data.fixed} <= set(fixed.values_list("object", flat=True))
    assert data.fixed[0].gain > 0 and data.opened[0].gain > 0
    assert {f.object for f in data.opened} <= set(opened.values_list("object", flat=True))
    assert "public.audit_log" in {f.object for f in data.opened}
    breaking = SchemaChange.objects.filter(connection=shop, breaking=True)
    assert (
        {(c.kind, c.object) for c in data.changes}
        == set(breaking.values_list("kind", "object"))
        >= {("column_dropped", "public.orders.note"), ("type_changed", "public.orders.total")}
    )
    [announcement] = data.announcements
    assert announcement.message == "We drop invoices.amount on 14 Dec; use amount_cents"
    assert announcement.objects == (
        "column dropped public.invoices.amount, column added public.invoices.amount_cents"
    )
    assert announcement.by == "alice"
    [failure] = data.failures
    assert (failure.connection, failure.reason) == ("billing", failed.error_message)
    [shop_week, billing_week] = sorted(data.connections, key=lambda c: c.name, reverse=True)
    assert shop_week.score == latest_scores([shop])[0].total
    assert "pk-missing" in {m.rule for m in shop_week.movements}
    top = max(
        (fix for s in latest_scores([shop, billing]) for fix in s.top_fixes),
        key=lambda fix: fix["gain"],
    )
    assert data.next_fix is not None and data.next_fix.fix

    change = format_change(data.score, data.score_before)
    for part in (rendered.text, plain(rendered.html)):
        assert digest.first_line in part
        assert f"{format_score(score)} / 100" in part
        assert f"{change} since last week" in part
        assert f"{data.opened_count} opened" in part
        assert f"{data.fixed_count} fixed this week" in part
        assert "public.orders.note" in part and "public.orders.total" in part
        assert "We drop invoices.amount on 14 Dec; use amount_cents" in part
        assert failed.error_message.split("\n")[0] in part
        assert data.next_fix.object in part
        assert "shop" in part and "billing" in part
        assert "2 breaking changes" in digest.first_line
    # The next fix's SQL, and an absolute link to its findings.
    assert data.next_fix.fix in rendered.text
    assert data.next_fix.url.startswith("http://testserver/scores/connections/")
    if top["object"] == data.next_fix.object:
        assert top["rule"] == data.next_fix.rule
    # The HTML part: every style inlined, nothing loaded from anywhere.
    assert "<style" not in rendered.html and "<link" not in rendered.html
    assert "<script" not in rendered.html and "<img" not in rendered.html
    assert 'style="' in rendered.html


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_gathering_costs_the_same_queries_at_one_and_at_three_connections(
    team, make_connection, sqlite_target
):
    def add(name: str) -> None:
        script = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE u (x INTEGER);"
        snap(make_connection(sqlite_target(script, name=f"{name}.db"), name=name))

    def count() -> int:
        week, start, end = this_week(team)
        with CaptureQueriesContext(db_connection) as queries:
            gather_week(team, week=week, start=start, end=end)
        return len(queries)

    add("one")
    single = count()
    add("two")
    add("three")
    assert count() == single


def test_a_quiet_team_gets_a_short_email_that_says_so_first(team):
    week, start, end = this_week(team)
    rendered = render_digest(compose_digest(gather_week(team, week=week, start=start, end=end)))
    assert rendered.text.startswith("Nothing new this week for Shop backend")
    assert "Nothing new this week for Shop backend" in plain(rendered.html)[:400]
    assert "BREAKING SCHEMA CHANGES" not in rendered.text


# Sending ---------------------------------------------------------------------------


@pytest.fixture
def readers(team, member):
    member.email = "alice@example.com"
    member.save()
    DigestSubscription.objects.create(user=member, team=team)
    bob = User.objects.create_user("bob", email="bob@example.com")
    team.members.add(bob)
    DigestSubscription.objects.create(user=bob, team=team)
    team.digest_recipients = "data@example.com"
    team.save()
    return team


def test_delivers_multipart_alternative_with_both_parts_and_list_unsubscribe(readers, smtp_server):
    week = local_week(team_schedule(readers), timezone.now())
    outcome = send_weekly_digest(readers, week)

    assert outcome.line() == f"shop-backend {week}: sent to 3 recipients"
    received = smtp_server.wait_for(3)
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "alice@example.com",
        "bob@example.com",
        "data@example.com",
    ]
    for message in received:
        assert message.message.get_content_type() == "multipart/alternative"
        types = [part.get_content_type() for part in message.message.iter_parts()]
        assert types == ["text/plain", "text/html"]
        link = unsubscribe_link(message)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body and link in message.html
        assert "Nothing new this week" in message.body.splitlines()[0]
    row = DigestSend.objects.get(team=readers, week=week)
    assert row.status == "sent" and row.delivered == 3 and row.attempts == 1
    assert row.subject == received[0]["Subject"]


def test_the_unsubscribe_link_works_without_a_session_and_removes_only_that_recipient(
    readers, smtp_server
):
    send_weekly_digest(readers, local_week(team_schedule(readers), timezone.now()))
    by_address = {r.rcpt_tos[0]: r for r in smtp_server.wait_for(3)}
    anonymous = Client()

    for address in ("bob@example.com", "data@example.com"):
        link = unsubscribe_link(by_address[address])
        response = anonymous.get(link.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert f"{address}</strong> will no longer receive" in response.content.decode()

    readers.refresh_from_db()
    assert readers.recipient_list() == []
    assert list(
        DigestSubscription.objects.filter(team=readers).values_list("user__email", flat=True)
    ) == ["alice@example.com"]
    # Mail clients' one-click POST (RFC 8058) works too, and a forged token changes nothing.
    link = unsubscribe_link(by_address["alice@example.com"])
    forged = link.rstrip("/")[:-3] + "xyz/"
    assert anonymous.post(forged.removeprefix("http://testserver")).status_code == 400
    assert DigestSubscription.objects.filter(team=readers).count() == 1
    response = anonymous.post(
        link.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not DigestSubscription.objects.filter(team=readers).exists()


def test_sending_twice_sends_once(readers, smtp_server):
    week = local_week(team_schedule(readers), timezone.now())
    assert send_weekly_digest(readers, week).status == "sent"
    assert send_weekly_digest(readers, week).line() == f"shop-backend {week}: already sent"
    smtp_server.wait_for(3)
    assert len(smtp_server.messages) == 3
    assert send_weekly_digest(readers, week, force=True).status == "sent"
    assert len(smtp_server.wait_for(6)) == 6


@pytest.mark.django_db(transaction=True)
def test_two_racing_sends_send_exactly_one_email_per_recipient(readers, smtp_server):
    week = local_week(team_schedule(readers), timezone.now())
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def send() -> None:
        try:
            start.wait()
            outcomes.append(send_weekly_digest(Team.objects.get(pk=readers.pk), week).status)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    smtp_server.wait_for(3)
    assert sorted(r.rcpt_tos[0] for r in smtp_server.messages) == [
        "alice@example.com",
        "bob@example.com",
        "data@example.com",
    ]
    assert outcomes.count("sent") == 1
    assert DigestSend.objects.get(team=readers, week=week).attempts == 1


def test_a_failed_send_is_retried_with_backoff_then_shown_on_the_team_page(
    readers, settings, member_client, smtp_server
):
    settings.EMAIL_PORT = 9  # nothing listens there: connection refused
    settings.DIGEST_MAX_ATTEMPTS = 2
    now = timezone.now()
    week = local_week(team_schedule(readers), now)

    first = send_weekly_digest(readers, week, now=now)
    row = DigestSend.objects.get(team=readers, week=week)
    assert first.status == "failed" and "Connection refused" in first.reason
    assert row.status == "retrying" and row.attempts == 1
    assert row.next_attempt_at == now + datetime.timedelta(seconds=settings.DIGEST_RETRY_SECONDS)
    assert deliver(row.pk, now=now) == (row, False)  # not before the backoff is over
    assert (readers.pk, week) not in due_digests(now)
    later = row.next_attempt_at
    assert (readers.pk, week) in due_digests(later)

    row, attempted = deliver(row.pk, now=later)
    assert attempted and (row.status, row.attempts) == ("failed", 2)
    page = member_client.get(reverse("scoring:team_detail", args=[readers.slug])).content.decode()
    assert f"The e-mail of {week} failed after 2 attempts" in page
    assert "Connection refused" in page

    settings.EMAIL_PORT = smtp_server.port  # the operator fixes it and forces a resend
    assert send_weekly_digest(readers, week, force=True).status == "sent"


def test_the_command_prints_one_line_per_team_and_exits_1_on_failure(
    readers, settings, smtp_server, capsys
):
    Team.objects.create(name="Quiet", slug="quiet")  # no recipients
    call_command("send_digests", "--team", "shop-backend", "--week", "2026-W49", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("shop-backend 2026-W49: would send to 3 (alice@example.com,")
    assert not DigestSend.objects.exists() and not smtp_server.messages

    call_command("send_digests", "--week", "2026-W49")
    assert capsys.readouterr().out.splitlines() == [
        "quiet 2026-W49: skipped: No recipients: nobody opted in and no extra address.",
        "shop-backend 2026-W49: sent to 3 recipients",
    ]
    call_command("send_digests", "--team", "shop-backend", "--week", "2026-W49")
    assert capsys.readouterr().out == "shop-backend 2026-W49: already sent\n"

    settings.EMAIL_PORT = 9
    with pytest.raises(SystemExit) as exit_:
        call_command("send_digests", "--team", "shop-backend", "--week", "2026-W48")
    assert exit_.value.code == 1
    assert capsys.readouterr().out.startswith("shop-backend 2026-W48: failed: ConnectionRefused")
    settings.EMAIL_PORT = smtp_server.port  # fixed: the command retries without the backoff
    call_command("send_digests", "--team", "shop-backend", "--week", "2026-W48")
    assert capsys.readouterr().out == "shop-backend 2026-W48: sent to 3 recipients\n"


def test_teams_in_los_angeles_and_tokyo_get_theirs_at_their_local_hour_across_dst(db, smtp_server):
    la = Team.objects.create(name="LA", slug="la", digest_recipients="la@example.com")
    tokyo = Team.objects.create(name="Tokyo", slug="tokyo", digest_recipients="jp@example.com")
    DigestSettings.objects.create(team=la, time_zone="America/Los_Angeles")
    DigestSettings.objects.create(team=tokyo, time_zone="Asia/Tokyo")

    def beat(*moment: int) -> list[str]:
        now = datetime.datetime(*moment, tzinfo=datetime.UTC)
        sent = []
        for team_id, week in due_digests(now):
            team = Team.objects.get(pk=team_id)
            if send_weekly_digest(team, week, now=now).status == "sent":
                sent.append(f"{team.slug} {week}")
        return sent

    # Before the change: Monday 26 Oct 2026, 08:00 PDT is 15:00 UTC.
    assert beat(2026, 10, 25, 22, 45) == []
    assert beat(2026, 10, 25, 23, 0) == ["tokyo 2026-W44"]  # Monday 08:00 in Tokyo
    assert beat(2026, 10, 26, 14, 45) == []
    assert beat(2026, 10, 26, 15, 0) == ["la 2026-W44"]
    assert beat(2026, 10, 26, 15, 15) == []  # beat again: nothing twice
    # US daylight saving ends on 1 Nov: Monday 2 Nov 08:00 PST is 16:00 UTC.
    assert beat(2026, 11, 1, 23, 0) == ["tokyo 2026-W45"]
    assert beat(2026, 11, 2, 15, 0) == []
    assert beat(2026, 11, 2, 15, 45) == []
    assert beat(2026, 11, 2, 16, 0) == ["la 2026-W45"]
    assert sorted(r.rcpt_tos[0] for r in smtp_server.wait_for(4)) == [
        "jp@example.com",
        "jp@example.com",
        "la@example.com",
        "la@example.com",
    ]
    # Dates read on the team's clock: Tokyo's week 45 e-mail covers up to Monday 2 Nov.
    [tokyo_w45] = [
        r
        for r in smtp_server.messages
        if "W45" in r["Subject"] and r.rcpt_tos == ["jp@example.com"]
    ]
    assert "week 2026-W45 (26 Oct - 2 Nov 2026, Asia/Tokyo)" in tokyo_w45.body


def test_the_beat_runs_every_15_minutes_and_a_failed_task_waits_for_its_backoff(readers, settings):
    from schemajoy_site.celery import app
    from scoring.tasks import send_digest_task

    entry = settings.CELERY_BEAT_SCHEDULE["send-weekly-digests"]
    assert entry["schedule"] == 900 and entry["task"] in app.tasks
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # refused
    week = local_week(team_schedule(readers), timezone.now())

    line = send_digest_task.delay(readers.pk, week).get()  # eager, as in embedded mode
    assert line.startswith(f"shop-backend {week}: failed: ConnectionRefusedError")
    row = DigestSend.objects.get(team=readers, week=week)
    assert (row.status, row.attempts) == ("retrying", 1)  # once, then beat after the backoff


def test_a_forced_resend_is_a_new_message_and_a_resumed_one_is_not(readers, smtp_server):
    week = local_week(team_schedule(readers), timezone.now())
    send_weekly_digest(readers, week)
    first = {r["Message-ID"] for r in smtp_server.wait_for(3)}
    send_weekly_digest(readers, week, force=True)
    second = {r["Message-ID"] for r in smtp_server.wait_for(6)[3:]}
    assert len(first) == len(second) == 3 and not first & second


def test_every_link_of_the_email_opens_a_dashboard_page(history, member_client):
    team = history[0]
    week, start, end = this_week(team)
    rendered = render_digest(compose_digest(gather_week(team, week=week, start=start, end=end)))
    links = set(re.findall(r'href="([^"]+)"', rendered.html))
    links.discard(UNSUBSCRIBE_MARK)
    assert len(links) > 8
    for link in sorted(links):
        assert link.startswith("http://testserver/"), link
        response = member_client.get(link.replace("&amp;", "&").removeprefix("http://testserver"))
        assert response.status_code == 200, link


def test_an_unsubscribe_can_be_undone_from_its_page(readers, smtp_server):
    send_weekly_digest(readers, local_week(team_schedule(readers), timezone.now()))
    by_address = {r.rcpt_tos[0]: r for r in smtp_server.wait_for(3)}
    anonymous = Client(enforce_csrf_checks=True)
    for address in ("bob@example.com", "data@example.com"):
        path = unsubscribe_link(by_address[address]).removeprefix("http://testserver")
        page = anonymous.get(path).content.decode()
        undo = re.search(r'<form method="post" action="([^"]+)">', page).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = anonymous.post(undo, {"csrfmiddlewaretoken": token})
        assert response.status_code == 200
        assert f"{address}</strong> receives the weekly health e-mail" in response.content.decode()
    readers.refresh_from_db()
    assert readers.recipient_list() == ["data@example.com"]
    assert sorted(
        DigestSubscription.objects.filter(team=readers).values_list("user__email", flat=True)
    ) == ["alice@example.com", "bob@example.com"]


def test_the_next_fix_is_an_error_before_a_warning_worth_more_points() -> None:
    from scoring.mailings import _next_fix

    marker = {"rule": "sd-marker-shape", "object": "public.k.deleted", "severity": "W",
              "gain": 0.12, "message": "", "fix": "", "table": "public.k"}  # fmt: skip
    key = {"rule": "pk-missing", "object": "public.t", "severity": "E", "gain": 0.09,
           "message": "", "fix": "", "table": "public.t"}  # fmt: skip
    fix = _next_fix({1: [marker, key]}, {1: "synapse"}, {1: 1.0})
    assert fix is not None and fix.rule == "pk-missing"
