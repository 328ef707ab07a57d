"""check_release end to end: a connection snapshotted from one real PostgreSQL database, a
candidate from another (or from its dump_schema file); exit codes, the JSON, the markdown,
dbt downstream impact, and --announce with its e-mail through a real SMTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection as db_connection

from catalog.changes import notify_watchers
from catalog.lineage import read_lineage, store_lineage
from catalog.models import Announcement, Connection, SchemaChange, Table, Watch
from catalog.snapshots import take_snapshot
from scoring.models import Finding
from scoring.releases import format_markdown
from scoring.runs import score_snapshot
from tests.fixtures.postgres_targets import PgTarget
from tests.scoring.conftest import SHOP

pytestmark = pytest.mark.django_db

BASE = Path(__file__).resolve().parents[2]
MANIFEST = BASE / "tests" / "catalog" / "fixtures" / "dbt" / "manifest.json"
CHANGE_KEYS = {"kind", "object", "breaking", "reason", "before", "after", "downstream"}
FINDING_KEYS = {"rule", "object", "severity", "message", "fix"}


@pytest.fixture
def shop(release_shop) -> Connection:
    return release_shop


@pytest.fixture
def candidate(ci_database) -> PgTarget:
    return ci_database


def check(*args: str) -> tuple[int, str]:
    """(exit code, stdout) of check_release; errors (exit 2) raise CommandError."""
    out = StringIO()
    try:
        call_command("check_release", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_an_unchanged_candidate_passes_with_exit_0(shop, candidate):
    code, out = check("shop", "--candidate", candidate.dsn, "--format", "json")

    assert code == 0
    result = json.loads(out)
    assert result["verdict"] == "pass"
    assert result["changes"] == result["findings_added"] == result["findings_fixed"] == []
    assert result["score_before"] == result["score_after"] is not None
    assert result["reasons"] == []


def test_a_breaking_release_fails_with_exit_1_and_the_json_of_the_issue(shop, candidate):
    candidate.execute(
        "ALTER TABLE orders DROP COLUMN note;"
        "ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);"
        "ALTER TABLE orders ADD COLUMN channel text;"
    )

    code, out = check("shop", "--candidate", candidate.dsn, "--format", "json")

    assert code == 1
    result = json.loads(out)
    assert set(result) == {
        "connection", "baseline_snapshot", "changes", "findings_added", "findings_fixed",
        "score_before", "score_after", "verdict", "reasons",
    }  # fmt: skip
    assert result["connection"] == "shop"
    assert result["baseline_snapshot"] == shop.snapshots.get().started_at.isoformat()
    assert all(set(c) == CHANGE_KEYS for c in result["changes"])
    assert [(c["kind"], c["object"], c["breaking"]) for c in result["changes"]] == [
        ("column_dropped", "public.orders.note", True),
        ("type_changed", "public.orders.status", True),
        ("column_added", "public.orders.channel", False),
    ]
    status = result["changes"][1]
    assert (status["before"], status["after"]) == (
        "character varying(40)",
        "character varying(20)",
    )
    assert "narrows" in status["reason"]
    # The new column is undocumented; the dropped one's finding goes with it.
    assert all(set(f) == FINDING_KEYS for f in result["findings_added"] + result["findings_fixed"])
    assert ("doc-column-missing", "public.orders.channel") in {
        (f["rule"], f["object"]) for f in result["findings_added"]
    }
    assert ("doc-column-missing", "public.orders.note") in {
        (f["rule"], f["object"]) for f in result["findings_fixed"]
    }
    assert result["verdict"] == "fail"
    assert result["reasons"][:2] == [
        "breaking: column_dropped public.orders.note: " + result["changes"][0]["reason"],
        "breaking: type_changed public.orders.status: " + status["reason"],
    ]


def test_a_score_drop_over_max_drop_fails_and_under_it_passes(shop, candidate):
    candidate.execute("CREATE TABLE audit_log (message text)")  # no key, no timestamps

    code, out = check("shop", "--candidate", candidate.dsn, "--format", "json")
    result = json.loads(out)
    drop = result["score_before"] - result["score_after"]
    assert code == 1 and drop > 0
    assert [c["kind"] for c in result["changes"]] == ["table_added"]
    assert result["reasons"] == [
        f"the score drops by {drop:.1f} points ({result['score_before']:.1f} -> "
        f"{result['score_after']:.1f}), more than the 0 allowed"
    ]

    code, out = check("shop", "--candidate", candidate.dsn, "--max-drop", f"{drop + 0.1:.1f}")
    assert code == 0
    assert "release check PASS" in out


def test_the_candidate_can_be_a_dump_schema_file(shop, candidate, tmp_path):
    candidate.execute("ALTER TABLE customers RENAME COLUMN email TO email_address")
    schema = tmp_path / "schema.json"
    call_command("dump_schema", candidate.dsn, "-o", str(schema), stderr=StringIO())

    from_file = check("shop", "--candidate", str(schema), "--format", "json")
    from_database = check("shop", "--candidate", candidate.dsn, "--format", "json")

    assert from_file == from_database
    code, out = from_file
    assert code == 1
    [change] = json.loads(out)["changes"]
    assert (change["kind"], change["object"], change["before"]) == (
        "column_renamed",
        "public.customers.email_address",
        "email",
    )
    # Another database's attnums mean nothing here: the rename is recognised by its shape.
    assert "probably" in change["reason"]


def test_markdown_is_a_verdict_line_a_table_of_breaking_changes_and_the_rest_folded(
    shop, candidate
):
    candidate.execute("ALTER TABLE orders DROP COLUMN note; CREATE INDEX ON orders (status)")

    code, out = check("shop", "--candidate", candidate.dsn, "--format", "markdown")

    assert code == 1
    head, _, details = out.partition("<details>")
    assert head.startswith("### ❌ SchemaJoy release check fails: shop\n")
    assert "**1 breaking change** of 2" in head
    assert "| Change | Object | Why it breaks | Downstream in dbt |" in head
    assert "| column_dropped | `public.orders.note` |" in head
    assert "index_added" not in head
    assert "| index_added | `public.orders` | no |" in details
    assert details.rstrip().endswith("</details>")


def test_each_change_names_the_dbt_sources_and_models_downstream(shop, candidate):
    store_lineage(shop, read_lineage(MANIFEST.read_bytes()), file_name="manifest.json")
    candidate.execute("ALTER TABLE orders DROP COLUMN note")

    _, out = check("shop", "--candidate", candidate.dsn, "--format", "json")
    [change] = json.loads(out)["changes"]
    assert change["downstream"] == {
        "sources": ["shop.order_facts"],
        "models": ["fct_orders", "stg_orders"],
    }

    _, text = check("shop", "--candidate", candidate.dsn)
    assert (
        "read by 1 dbt source (shop.order_facts), 2 models downstream: fct_orders, stg_orders"
        in text
    )
    _, markdown = check("shop", "--candidate", candidate.dsn, "--format", "markdown")
    assert "2 models downstream: fct_orders, stg_orders |" in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope", "--candidate", "x.json"], "No connection named 'nope'"),
        (["shop", "--candidate", "/nonexistent/schema.json"], "No such file"),
        (["shop", "--candidate", "postgresql://ci:pw@127.0.0.1:1/x"], "Cannot read the candidate"),
        (["shop", "--candidate", "oracle://db/x"], "connection string is unusable"),
        (["shop", "--candidate", "schema.json", "--max-drop", "a lot"], "--max-drop takes"),
        (["shop", "--candidate", "schema.json", "--announce", " "], "needs a message"),
    ],
)
def test_errors_exit_2_with_the_reason(shop, args, message, tmp_path):
    with pytest.raises(CommandError, match=message) as raised:
        check(*args)
    assert raised.value.returncode == 2
    assert "pw" not in str(raised.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"dialect": "postgresql", "database": "x", "tables": [{"name": "t"}]}', "missing field"),
        ('{"dialect": "sqlite", "database": "x", "tables": []}', "is a sqlite schema"),
    ],
)
def test_a_wrong_file_exits_2_and_announces_nothing(shop, tmp_path, content, message):
    schema = tmp_path / "schema.json"
    schema.write_text(content)

    with pytest.raises(CommandError, match=message) as raised:
        check("shop", "--candidate", str(schema), "--announce", "Dropping things")
    assert raised.value.returncode == 2
    assert not Announcement.objects.exists()


def test_a_connection_without_snapshot_exits_2(candidate, make_connection):
    make_connection(candidate.dsn, name="fresh")

    with pytest.raises(CommandError, match="no successful snapshot") as raised:
        check("fresh", "--candidate", candidate.dsn)
    assert raised.value.returncode == 2


def test_announce_records_the_changes_and_sends_one_e_mail_to_watchers_and_the_team(
    shop, candidate, smtp_server, django_capture_on_commit_callbacks
):
    shop.team.digest_recipients = "data-team@example.com"
    shop.team.save()
    orders, customers = Table.objects.get(name="orders"), Table.objects.get(name="customers")
    note = orders.columns.get(name="note")
    watchers = {
        "table": User.objects.create_user("t", email="table@example.com"),
        "column": User.objects.create_user("c", email="column@example.com"),
        "whole": User.objects.create_user("w", email="whole@example.com"),
        "other": User.objects.create_user("o", email="other@example.com"),
        "other_column": User.objects.create_user("oc", email="other-column@example.com"),
    }
    Watch.objects.create(user=watchers["table"], connection=shop, table=orders)
    Watch.objects.create(user=watchers["column"], connection=shop, table=orders, column=note)
    Watch.objects.create(user=watchers["whole"], connection=shop)
    Watch.objects.create(user=watchers["other"], connection=shop, table=customers)
    Watch.objects.create(
        user=watchers["other_column"],
        connection=shop,
        table=orders,
        column=orders.columns.get(name="status"),
    )
    store_lineage(shop, read_lineage(MANIFEST.read_bytes()), file_name="manifest.json")
    author = User.objects.create_user("dev")
    candidate.execute("ALTER TABLE orders DROP COLUMN note")
    message = "We drop orders.note on 12 Dec; use order_notes instead"

    with django_capture_on_commit_callbacks(execute=True):  # e-mails leave after the commit
        code, out = check(
            "shop", "--candidate", candidate.dsn, "--format", "json",
            "--announce", message, "--author", "dev",
        )  # fmt: skip

    assert code == 1  # announcing does not make a breaking change pass
    result = json.loads(out)
    [row] = Announcement.objects.all()
    assert (row.kind, row.object, row.message, row.created_by) == (
        "column_dropped",
        "public.orders.note",
        message,
        author,
    )
    assert result["announcement"] == {
        "message": message,
        "author": "dev",
        "announced_at": row.created_at.isoformat(),
        "changes": 1,
    }
    # One e-mail per address: the watchers of the table, of the column, of the connection,
    # and the team's list; not the watchers of another table or another column.
    mails = smtp_server.wait_for(4)
    assert sorted(address for mail in mails for address in mail.rcpt_tos) == [
        "column@example.com",
        "data-team@example.com",
        "table@example.com",
        "whole@example.com",
    ]
    for mail in mails:
        assert message in mail.body
        assert "column_dropped public.orders.note" in mail.body
        assert (
            "read by 1 dbt source (shop.order_facts); 2 models downstream: fct_orders, "
            "stg_orders" in mail.body
        )


def test_announcing_a_candidate_without_changes_exits_2_and_stores_nothing(
    shop, candidate, smtp_server
):
    with pytest.raises(CommandError, match="nothing to announce") as raised:
        check("shop", "--candidate", candidate.dsn, "--announce", "Nothing really")
    assert raised.value.returncode == 2
    assert not Announcement.objects.exists()
    assert smtp_server.messages == []


def test_check_release_stores_nothing(shop, candidate):
    candidate.execute("ALTER TABLE orders DROP COLUMN note")
    before = (shop.snapshots.count(), SchemaChange.objects.count(), Table.objects.count())

    check("shop", "--candidate", candidate.dsn)

    assert (shop.snapshots.count(), SchemaChange.objects.count(), Table.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_the_command_line_exits_1_on_fail_and_2_on_errors_without_traceback(
    pg_target, candidate, make_connection
):
    pg_target.execute(SHOP)
    candidate.execute(SHOP + "ALTER TABLE orders DROP COLUMN note;")
    connection = make_connection(pg_target.dsn)
    score_snapshot(take_snapshot(connection))
    db = db_connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "check_release", *args],
            cwd=BASE, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip

    failed = run("shop", "--candidate", candidate.dsn, "--format", "json")
    assert failed.returncode == 1, failed.stderr
    assert json.loads(failed.stdout)["verdict"] == "fail"
    passed = run("shop", "--candidate", pg_target.dsn)
    assert passed.returncode == 0, passed.stderr
    for args in (("nope", "--candidate", "x"), ("shop", "--candidate", "/nonexistent.json")):
        error = run(*args)
        assert error.returncode == 2
        assert error.stderr.startswith("CommandError: ")
        assert "Traceback" not in error.stderr


def test_markdown_escapes_cells_and_folds_long_lists():
    change = {
        "kind": "column_added", "object": "public.t.a|b", "breaking": False,
        "reason": "new column", "before": None, "after": "text",
        "downstream": {"sources": [], "models": []},
    }  # fmt: skip
    result = {
        "connection": "shop", "baseline_snapshot": "2026-12-05T08:00:00+00:00",
        "changes": [change] * 130, "findings_added": [], "findings_fixed": [],
        "score_before": 80.0, "score_after": 80.0, "verdict": "pass", "reasons": [],
    }  # fmt: skip

    markdown = format_markdown(result)

    assert markdown.startswith("### ✅ SchemaJoy release check passes: shop")
    assert "`public.t.a\\|b`" in markdown
    assert markdown.count("| column_added |") == 100
    assert "… and 30 more (the JSON form lists them all)." in markdown


def _ship(shop: Connection, pg_target, sql: str):
    """The release reaches production: the same ALTER there, then a snapshot and its score."""
    pg_target.execute(sql)
    snapshot = take_snapshot(shop)
    return snapshot, score_snapshot(snapshot)


def test_an_announced_change_is_marked_when_a_snapshot_sees_it_and_the_theme_moves(
    shop, candidate, pg_target
):
    candidate.execute("ALTER TABLE orders DROP COLUMN note")
    check("shop", "--candidate", candidate.dsn, "--announce", "We drop orders.note on 12 Dec")

    snapshot, score = _ship(shop, pg_target, "ALTER TABLE orders DROP COLUMN note")

    [change] = SchemaChange.objects.filter(snapshot=snapshot)
    assert (change.kind, change.object) == ("column_dropped", "public.orders.note")
    assert change.announcement == Announcement.objects.get()
    assert Announcement.objects.get().matched_at is not None
    # Announced (so chg-unannounced-breaking passes), but minutes before: short notice.
    assert score.themes["changes"] == 75.0
    open_rules = set(
        Finding.objects.filter(connection=shop, resolved_in__isnull=True).values_list(
            "rule", flat=True
        )
    )
    assert "chg-unannounced-breaking" not in open_rules
    assert "chg-short-notice" in open_rules


def test_an_unannounced_change_fails_the_changes_theme(shop, pg_target):
    snapshot, score = _ship(shop, pg_target, "ALTER TABLE orders DROP COLUMN note")

    assert SchemaChange.objects.get(snapshot=snapshot).announcement is None
    assert score.themes["changes"] == 0.0
    assert Finding.objects.filter(
        connection=shop, rule="chg-unannounced-breaking", object="public.orders.note"
    ).exists()


def test_the_score_after_counts_the_release_in_the_changes_theme_announced_or_not(shop, candidate):
    candidate.execute("ALTER TABLE orders DROP COLUMN note")

    _, out = check("shop", "--candidate", candidate.dsn, "--format", "json")
    unannounced = json.loads(out)
    assert {"rule": "chg-unannounced-breaking", "object": "public.orders.note"}.items() <= next(
        f for f in unannounced["findings_added"] if f["rule"] == "chg-unannounced-breaking"
    ).items()

    check("shop", "--candidate", candidate.dsn, "--announce", "Soon")
    _, out = check("shop", "--candidate", candidate.dsn, "--format", "json")
    announced = json.loads(out)
    assert "chg-unannounced-breaking" not in {f["rule"] for f in announced["findings_added"]}
    assert announced["score_after"] > unannounced["score_after"]


def test_watchers_e_mail_about_a_breaking_change_names_who_reads_it_in_dbt(
    shop, pg_target, smtp_server
):
    store_lineage(shop, read_lineage(MANIFEST.read_bytes()), file_name="manifest.json")
    Watch.objects.create(user=User.objects.create_user("w", email="w@example.com"), connection=shop)
    pg_target.execute("ALTER TABLE orders DROP COLUMN note")
    snapshot = take_snapshot(shop)

    notify_watchers(snapshot.pk)

    [mail] = smtp_server.wait_for(1)
    assert "column_dropped public.orders.note" in mail.body
    assert (
        "read by 1 dbt source (shop.order_facts); 2 models downstream: fct_orders, stg_orders"
        in mail.body
    )
