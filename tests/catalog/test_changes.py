"""catalog/changes.py: announcements (and, below, recording changes at snapshot time)."""

from __future__ import annotations

import pytest
from django.core.mail import send_mail

from catalog import diff
from catalog.changes import InvalidAnnouncement, announce
from catalog.models import Announcement, Connection

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


def test_announce_records_each_change_with_message_author_and_time(member, make_connection):
    connection = make_connection()

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


def test_announce_without_an_author_records_none(make_connection):
    connection = make_connection()
    [row] = announce(connection, [DROP], message="Dropping it Friday", author=None)
    assert row.created_by is None


@pytest.mark.parametrize(("changes", "message"), [([DROP], "   "), ([], "Dropping it")])
def test_announce_refuses_a_blank_message_or_no_changes_and_stores_nothing(
    changes, message, make_connection
):
    connection = make_connection()
    with pytest.raises(InvalidAnnouncement):
        announce(connection, changes, message=message)
    assert not Announcement.objects.exists()


def test_the_smtp_fixture_receives_what_django_sends(smtp_server):
    send_mail("Hello", "Plain body", "schemajoy@example.com", ["ana@example.com", "bo@example.com"])

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Hello"
    assert received.rcpt_tos == ["ana@example.com", "bo@example.com"]
    assert received.body.strip() == "Plain body"


# The changes command ----------------------------------------------------------------------


def _history(make_connection) -> Connection:
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import SchemaChange, Snapshot

    connection = make_connection()
    for days, kind, obj, breaking in (
        (20, "column_added", "main.orders.note", False),
        (2, "column_dropped", "main.orders.shipped_at", True),
    ):
        at = timezone.now() - timedelta(days=days)
        snapshot = Snapshot.objects.create(
            connection=connection, started_at=at, finished_at=at, status="succeeded"
        )
        SchemaChange.objects.create(
            connection=connection,
            snapshot=snapshot,
            detected_at=at,
            kind=kind,
            object=obj,
            table="main.orders",
            schema="main",
            breaking=breaking,
            reason="why",
            before="DATE" if breaking else "",
            after="" if breaking else "TEXT",
        )
    return connection


def _run(*args: str) -> tuple[str, str]:
    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command("changes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_changes_command_prints_the_json_shape_newest_first(make_connection):
    import json

    connection = _history(make_connection)
    out, _ = _run("shop", "--json")
    data = json.loads(out)
    assert data["connection"] == "shop"
    assert [c["object"] for c in data["changes"]] == ["main.orders.shipped_at", "main.orders.note"]
    first = data["changes"][0]
    assert set(first) == {
        "snapshot",
        "detected_at",
        "kind",
        "object",
        "breaking",
        "reason",
        "before",
        "after",
        "announced",
    }
    assert (first["kind"], first["breaking"], first["before"], first["after"]) == (
        "column_dropped",
        True,
        "DATE",
        None,
    )
    assert first["announced"] is False
    assert first["snapshot"] == connection.snapshots.order_by("-started_at").first().pk


def test_changes_command_filters_breaking_and_since(make_connection):
    import json
    from datetime import timedelta

    from django.utils import timezone

    _history(make_connection)
    breaking = json.loads(_run("shop", "--json", "--breaking")[0])["changes"]
    assert [c["kind"] for c in breaking] == ["column_dropped"]
    since = (timezone.now() - timedelta(days=5)).date().isoformat()
    recent = json.loads(_run("shop", "--json", "--since", since)[0])["changes"]
    assert [c["kind"] for c in recent] == ["column_dropped"]
    text, _ = _run("shop")
    assert "column_dropped       main.orders.shipped_at BREAKING, not announced" in text


def test_changes_command_errors_exit_non_zero_with_a_clear_message(capsys, make_connection):
    from catalog.management.commands.changes import Command

    make_connection()
    for args, message in (
        (["nope"], "No connection named 'nope'."),
        (["shop", "--since", "12/01/2026"], "--since wants a date as YYYY-MM-DD"),
    ):
        with pytest.raises(SystemExit) as exit_:
            Command().run_from_argv(["manage.py", "changes", *args])
        assert exit_.value.code != 0
        err = capsys.readouterr().err
        assert message in err
        assert "Traceback" not in err
