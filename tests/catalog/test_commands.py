from __future__ import annotations

import itertools
import re
import sqlite3
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from catalog.models import Connection, Snapshot, Team
from scoring.models import Finding, SnapshotScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT); CREATE VIEW v AS SELECT id FROM a;"
    )
    db.close()
    return f"sqlite:///{path}"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_connection_creates_the_team_and_updates_by_name(sqlite_db):
    assert "app: added" in run(
        "add_connection", "app", sqlite_db, "--team", "Data Platform", "--interval", "6h"
    )
    assert Team.objects.get().slug == "data-platform"

    assert "app: updated" in run(
        "add_connection",
        "app",
        sqlite_db,
        "--team",
        "Data Platform",
        "--interval",
        "1d",
        "--no-sampling",
    )
    connection = Connection.objects.get()
    assert (connection.schedule_interval.days, connection.sampling_enabled) == (1, False)


@pytest.mark.parametrize("interval", ["soon", "0h", "1m"])
def test_add_connection_refuses_bad_intervals(sqlite_db, interval):
    with pytest.raises(CommandError, match="15m|5 minutes"):
        run("add_connection", "app", sqlite_db, "--team", "T", "--interval", interval)


def test_add_connection_refuses_bad_strings_without_echoing_them():
    with pytest.raises(CommandError) as info:
        run("add_connection", "app", "ftp://u:hunter2@h/x", "--team", "T")
    assert "hunter2" not in str(info.value)


def test_snapshot_prints_a_one_line_summary(sqlite_db):
    run("add_connection", "app", sqlite_db, "--team", "T")
    first = run("snapshot", "app")
    assert re.fullmatch(r"app: 2 tables, 3 columns, \d+\.\d\d s, changed\n", first)
    assert run("snapshot", "app").endswith("unchanged\n")


def test_snapshot_fails_with_a_reason_and_nonzero_exit(tmp_path):
    run("add_connection", "gone", f"sqlite:///{tmp_path / 'missing.db'}", "--team", "T")
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 snapshots failed"):
        call_command("snapshot", "gone", stdout=StringIO(), stderr=err)
    assert "gone: failed" in err.getvalue()
    assert Snapshot.objects.get().status == Snapshot.Status.FAILED


def test_snapshot_all_takes_every_enabled_connection(sqlite_db):
    run("add_connection", "one", sqlite_db, "--team", "T")
    run("add_connection", "two", sqlite_db, "--team", "T")
    run("add_connection", "off", sqlite_db, "--team", "T", "--disabled")
    output = run("snapshot", "--all")
    assert "one: 2 tables" in output and "two: 2 tables" in output and "off" not in output


def test_snapshot_needs_a_name_or_all():
    with pytest.raises(CommandError, match="--all"):
        run("snapshot")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("15m", "every 15 minutes"),
        ("1h", "every hour"),
        ("6h", "every 6 hours"),
        ("1d", "every day"),
        ("1w", "every week"),
    ],
)
def test_intervals_read_back_as_people_say_them(text, label):
    from catalog.timespans import describe_interval, parse_interval

    assert describe_interval(parse_interval(text)) == label


def test_demo_builds_a_scored_history_and_prints_a_working_login(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    first = run("demo", "--url", "http://127.0.0.1:8011/")
    assert "SchemaJoy demo is ready: http://127.0.0.1:8011/" in first
    password = re.search(r"password: (\S+)", first).group(1)
    assert authenticate(username="demo", password=password) is not None
    connection = Connection.objects.get(name="demo_shop")
    snapshots = list(connection.snapshots.order_by("started_at"))
    assert [s.status for s in snapshots] == ["succeeded"] * 5
    assert all(s.changed for s in snapshots)
    assert SnapshotScore.objects.filter(snapshot__in=snapshots).count() == 5
    # The history spans weeks, so trends and "this week" look like a real team's.
    now = timezone.now()
    assert (now - snapshots[0].started_at).days >= 20
    assert all(a.started_at < b.started_at for a, b in itertools.pairwise(snapshots))
    assert all((now - s.started_at).days < 7 for s in snapshots[-3:])  # this week's changes
    assert (now - snapshots[-1].started_at).total_seconds() < 600
    first_findings = Finding.objects.filter(connection=connection, opened_in=snapshots[0])
    assert first_findings.exists()
    assert {f.opened_at for f in first_findings} == {snapshots[0].started_at}

    again = run("demo")  # the history stays; only the password is new
    assert "The demo history exists already (5 snapshots)" in again
    assert "SchemaJoy demo is ready: http://127.0.0.1:8000/" in again
    new_password = re.search(r"password: (\S+)", again).group(1)
    assert authenticate(username="demo", password=new_password) is not None
    assert authenticate(username="demo", password=password) is None

    # --reset deletes the connection with its history (it crashed with ProtectedError).
    reset = run("demo", "--reset")
    assert "SchemaJoy demo is ready" in reset
    rebuilt = Connection.objects.get(name="demo_shop")
    assert rebuilt.pk != connection.pk and rebuilt.snapshots.count() == 5
    assert not Snapshot.objects.filter(pk__in=[s.pk for s in snapshots]).exists()


def test_add_connection_reads_the_dsn_from_stdin_or_the_environment(sqlite_db, monkeypatch):
    out = StringIO()
    call_command(
        "add_connection", "piped", "--dsn-stdin", "--team", "T", stdin=StringIO(sqlite_db + "\n"),
        stdout=out,
    )  # fmt: skip
    assert "piped: added" in out.getvalue()
    monkeypatch.setenv("SCHEMAJOY_DSN", sqlite_db)

    assert "from-env: added" in run("add_connection", "from-env", "--team", "T")
    assert {c.get_dsn() for c in Connection.objects.all()} == {sqlite_db}


def test_add_connection_without_any_dsn_says_where_to_put_it(monkeypatch, db):
    monkeypatch.delenv("SCHEMAJOY_DSN", raising=False)

    with pytest.raises(CommandError, match="--dsn-stdin, or in the SCHEMAJOY_DSN"):
        run("add_connection", "none", "--team", "T")


def test_add_connection_takes_a_team_by_slug_or_name_and_refuses_a_taken_slug(sqlite_db):
    team = Team.objects.create(name="Team A", slug="team-a")

    run("add_connection", "by-slug", sqlite_db, "--team", "team-a")
    run("add_connection", "by-name", sqlite_db, "--team", "team a")

    assert set(team.connections.values_list("name", flat=True)) == {"by-slug", "by-name"}
    with pytest.raises(CommandError, match="belongs to team 'Team A': pass --team team-a"):
        run("add_connection", "clash", sqlite_db, "--team", "Team-A!")
    assert Team.objects.count() == 1


def test_add_connection_refuses_a_name_over_the_limit_without_a_traceback(sqlite_db):
    with pytest.raises(CommandError, match="1 to 200 characters"):
        run("add_connection", "n" * 201, sqlite_db, "--team", "T")
    assert not Connection.objects.exists()
