"""catalog/changes.py: announcements (and, below, recording changes at snapshot time)."""

from __future__ import annotations

import pytest
from django.core.mail import send_mail

from catalog import diff
from catalog.changes import InvalidAnnouncement, announce
from catalog.models import Announcement, Connection, Team

pytestmark = pytest.mark.django_db

DROP = diff.Change(
    diff.COLUMN_DROPPED,
    "public.rental.return_date",
    "public.rental",
    before="timestamp with time zone",
    breaking=True,
    reason="column dropped: every query that selects it fails",
)
ADD = diff.Change(
    diff.COLUMN_ADDED, "public.rental.rental_period", "public.rental", after="tstzrange"
)


def make_connection(team: Team, name: str = "shop") -> Connection:
    connection = Connection(name=name, team=team)
    connection.set_dsn("sqlite:////tmp/schemajoy-never-opened.db")
    connection.save()
    return connection


def test_announce_records_each_change_with_message_author_and_time(team, member):
    connection = make_connection(team)

    rows = announce(
        connection,
        [DROP, ADD],
        message="  We drop rental.return_date on 12 Dec; use rental_period instead ",
        author=member,
    )

    assert [(a.kind, a.object, a.breaking) for a in rows] == [
        ("column_dropped", "public.rental.return_date", True),
        ("column_added", "public.rental.rental_period", False),
    ]
    stored = Announcement.objects.get(kind="column_dropped")
    assert stored.message == "We drop rental.return_date on 12 Dec; use rental_period instead"
    assert stored.created_by == member
    assert stored.table == "public.rental"
    assert stored.before == "timestamp with time zone" and stored.after == ""
    assert stored.created_at is not None and stored.matched_at is None


def test_announce_without_an_author_records_none(team):
    connection = make_connection(team)
    [row] = announce(connection, [DROP], message="Dropping it Friday", author=None)
    assert row.created_by is None


@pytest.mark.parametrize(("changes", "message"), [([DROP], "   "), ([], "Dropping it")])
def test_announce_refuses_a_blank_message_or_no_changes_and_stores_nothing(team, changes, message):
    connection = make_connection(team)
    with pytest.raises(InvalidAnnouncement):
        announce(connection, changes, message=message)
    assert not Announcement.objects.exists()


def test_the_smtp_fixture_receives_what_django_sends(smtp_server):
    send_mail("Hello", "Plain body", "schemajoy@example.com", ["ana@example.com", "bo@example.com"])

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Hello"
    assert received.rcpt_tos == ["ana@example.com", "bo@example.com"]
    assert received.body.strip() == "Plain body"
