"""Scoring pages through the test client: scorecard, findings filters, waivers, settings, command."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Connection, Snapshot, Table
from catalog.snapshots import take_snapshot
from scoring.context import effective_settings
from scoring.models import Finding, RuleSetting, SnapshotScore, Waiver
from scoring.runs import score_snapshot

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def schema(tables: int = 3) -> str:
    """Tables with a key, a date-typed moment, a reference, and one keyless log table."""
    return "\n".join(
        [
            f"CREATE TABLE t{i:04d} (id INTEGER PRIMARY KEY, name TEXT, parent_id INTEGER "
            f"REFERENCES t{max(i - 1, 0):04d}(id), shipped_at DATE, created_at TIMESTAMP);"
            for i in range(tables)
        ]
        + ["CREATE TABLE audit_log (message TEXT, logged_at TEXT);"]
    )


def scored_connection(
    make_connection, sqlite_target, name: str = "shop", tables: int = 3, **fields
) -> Connection:
    """A scored SQLite connection of ``schema(tables)``; ``fields`` go to make_connection
    (team=..., for another team's)."""
    connection = make_connection(
        sqlite_target(schema(tables), name=f"{name}.db"), name=name, **fields
    )
    score_snapshot(take_snapshot(connection))
    return connection


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    return scored_connection(make_connection, sqlite_target)


def test_scorecard_shows_score_theme_bars_rules_and_top_fixes(member_client, shop):
    score = SnapshotScore.objects.get(connection=shop)
    html = member_client.get(reverse("scoring:scorecard", args=[shop.pk])).content.decode()
    assert f"{score.total:.1f}" in html
    for label in ("Keys", "Time", "Naming", "Soft deletes", "Types", "Docs"):
        assert label in html
    # No breaking change in the window: the changes theme is left out, not counted as 100.
    assert "Changes" in html and "nothing to score" in html
    assert 'class="bar"' in html
    assert "pk-missing" in html and "ts-date-typed" in html
    assert 'id="top-fixes"' in html
    top = score.top_fixes[0]
    assert top["object"] in html
    # Each top fix carries its rule's rationale.
    from scoring.rules import RULES_BY_ID

    assert RULES_BY_ID[top["rule"]].rationale[:40] in html


def test_top_fixes_carry_sql_for_the_dialect(member_client, pg_target, make_connection):
    pg_target.execute(
        "CREATE TABLE orders (id bigint NOT NULL, shipped_at timestamp, created_at timestamptz)"
    )
    connection = make_connection(pg_target.dsn, name="pg")
    score_snapshot(take_snapshot(connection))
    html = member_client.get(reverse("scoring:scorecard", args=[connection.pk])).content.decode()
    assert "ALTER TABLE &quot;orders&quot;" in html


def test_connection_and_table_pages_load_the_score_lazily(member_client, shop):
    detail = member_client.get(shop.get_absolute_url()).content.decode()
    assert reverse("scoring:summary", args=[shop.pk]) in detail
    assert reverse("scoring:scorecard", args=[shop.pk]) in detail
    summary = member_client.get(reverse("scoring:summary", args=[shop.pk]), **HX).content.decode()
    assert "<html" not in summary and "/ 100" in summary

    table = Table.objects.get(connection=shop, name="audit_log")
    page = member_client.get(table.get_absolute_url()).content.decode()
    url = reverse("scoring:table_findings", args=[shop.pk, table.pk])
    assert url in page
    fragment = member_client.get(url, **HX).content.decode()
    assert "<html" not in fragment
    assert "pk-missing" in fragment
    assert "main.audit_log" in fragment
    score = SnapshotScore.objects.get(connection=shop).table_scores["main.audit_log"]
    assert f">{score:.0f}<" in fragment
    # Without JavaScript the link opens a full page.
    assert "<html" in member_client.get(url).content.decode()


def test_findings_filters_return_fragments(member_client, shop):
    url = reverse("scoring:findings", args=[shop.pk])
    full = member_client.get(url).content.decode()
    assert "<html" in full and 'id="results"' in full

    fragment = member_client.get(url, {"rule": "pk-missing"}, **HX).content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="results">')
    assert "main.audit_log" in fragment
    assert "ts-date-typed" not in fragment

    by_theme = member_client.get(url, {"theme": "time", "severity": "E"}, **HX).content.decode()
    assert "ts-date-typed" in by_theme and "pk-missing" not in by_theme

    by_table = member_client.get(url, {"table": "main.t0001"}, **HX).content.decode()
    assert "main.t0001.shipped_at" in by_table and "main.t0002" not in by_table

    assert (
        "No resolved finding"
        in member_client.get(url, {"status": "resolved"}, **HX).content.decode()
    )


def test_findings_are_paginated(member_client, make_connection, sqlite_target):
    connection = scored_connection(make_connection, sqlite_target, name="wide", tables=40)
    url = reverse("scoring:findings", args=[connection.pk])
    total = Finding.objects.filter(connection=connection).open().count()
    assert total > 50
    html = member_client.get(url, **HX).content.decode()
    assert f"page 1 of {(total + 49) // 50}" in html
    assert html.count('class="finding ') == 50


def test_member_waives_a_finding_with_a_reason_and_the_score_moves(
    member_client, shop, django_capture_on_commit_callbacks
):
    before = SnapshotScore.objects.get(connection=shop).total
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("scoring:waivers", args=[shop.pk]),
            {
                "rule": "pk-missing",
                "scope": "finding",
                "pattern": "main.audit_log",
                "reason": "append-only log, no key needed",
                "next": reverse("scoring:findings", args=[shop.pk]),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:findings", args=[shop.pk])
    waiver = Waiver.objects.get()
    assert (waiver.created_by.username, waiver.reason) == (
        "alice",
        "append-only log, no key needed",
    )
    assert SnapshotScore.objects.get(connection=shop).total > before
    finding = Finding.objects.get(rule="pk-missing", object="main.audit_log")
    assert finding.waived and finding.resolved_in_id is None
    waived = member_client.get(
        reverse("scoring:findings", args=[shop.pk]), {"status": "waived"}, **HX
    ).content.decode()
    assert "main.audit_log" in waived

    # Revoking keeps the record, and the finding counts again.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("scoring:waiver_revoke", args=[shop.pk, waiver.pk]))
    waiver.refresh_from_db()
    assert waiver.revoked_at is not None and waiver.revoked_by.username == "alice"
    assert SnapshotScore.objects.get(connection=shop).total == pytest.approx(before)
    assert not Finding.objects.get(rule="pk-missing", object="main.audit_log").waived
    page = member_client.get(reverse("scoring:waivers", args=[shop.pk])).content.decode()
    assert "append-only log, no key needed" in page and "revoked by alice" in page


def test_a_waiver_needs_a_reason(member_client, shop):
    response = member_client.post(
        reverse("scoring:waivers", args=[shop.pk]),
        {"rule": "pk-missing", "scope": "finding", "pattern": "main.audit_log", "reason": "  "},
    )
    assert response.status_code == 400
    assert not Waiver.objects.exists()


def test_outsiders_read_but_cannot_waive_or_change_settings(outsider_client, shop):
    assert outsider_client.get(reverse("scoring:scorecard", args=[shop.pk])).status_code == 200
    assert outsider_client.get(reverse("scoring:findings", args=[shop.pk])).status_code == 200
    waive = outsider_client.post(
        reverse("scoring:waivers", args=[shop.pk]),
        {"rule": "pk-missing", "scope": "finding", "pattern": "main.audit_log", "reason": "no"},
    )
    setting = outsider_client.post(
        reverse("scoring:connection_rules", args=[shop.pk]),
        {"rule": "pk-missing", "enabled": "off"},
    )
    team_setting = outsider_client.post(
        reverse("scoring:team_rules", args=[shop.team.slug]),
        {"rule": "pk-missing", "enabled": "off"},
    )
    assert (waive.status_code, setting.status_code, team_setting.status_code) == (403, 403, 403)
    assert not Waiver.objects.exists() and not RuleSetting.objects.exists()
    findings = outsider_client.get(reverse("scoring:findings", args=[shop.pk])).content.decode()
    assert '<details class="waive">' not in findings


def test_a_connection_override_rescores_at_once(
    member_client, shop, django_capture_on_commit_callbacks
):
    url = reverse("scoring:connection_rules", args=[shop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, {"rule": "pk-missing", "enabled": "off"})
    assert response.status_code == 302
    setting = RuleSetting.objects.get()
    assert (setting.connection_id, setting.enabled) == (shop.pk, False)
    score = SnapshotScore.objects.get(connection=shop)
    assert "pk-missing" not in score.rules
    assert not Finding.objects.filter(rule="pk-missing").current().exists()
    assert "disabled" in member_client.get(url).content.decode()

    # Back to "inherit": the row goes, the rule comes back.
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(url, {"rule": "pk-missing", "enabled": ""})
    assert not RuleSetting.objects.exists()
    assert Finding.objects.filter(rule="pk-missing").current().exists()


def test_team_settings_validate_options_against_the_rules_defaults(
    member_client, shop, django_capture_on_commit_callbacks
):
    url = reverse("scoring:team_rules", args=[shop.team.slug])
    bad = [
        "{not json",
        '["a list"]',
        '{"no_such_option": 1}',
        '{"append_only": "audit_log"}',  # a list of strings
    ]
    for text in bad:
        response = member_client.post(url, {"rule": "ts-updated-missing", "options": text})
        assert response.status_code == 400, text
    assert not RuleSetting.objects.exists()
    threshold = member_client.post(
        url, {"rule": "name-casing-outlier", "options": '{"threshold": 7}'}
    )
    assert threshold.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        ok = member_client.post(
            url,
            {
                "rule": "ts-updated-missing",
                "severity": "E",
                "options": '{"append_only": ["t0000"]}',
            },
        )
    assert ok.status_code == 302
    setting = RuleSetting.objects.get()
    assert setting.connection_id is None and setting.options == {"append_only": ["t0000"]}
    score = SnapshotScore.objects.get(connection=shop)
    assert score.rules["ts-updated-missing"]["severity"] == "E"
    open_rows = Finding.objects.filter(rule="ts-updated-missing").current()
    assert not open_rows.filter(object="main.t0000").exists()
    assert open_rows.filter(object="main.t0001").exists()


def test_score_command_prints_score_themes_and_top_fixes(shop):
    out = StringIO()
    call_command("score", "shop", stdout=out)
    text = out.getvalue()
    score = SnapshotScore.objects.get(connection=shop)
    assert text.startswith(f"shop: score {score.total:.1f} / 100")
    assert "Keys" in text and "Changes       –" in text
    assert "Top fixes:" in text and score.top_fixes[0]["rule"] in text


def test_score_command_json_is_the_stable_interface(shop):
    out = StringIO()
    call_command("score", "shop", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"connection", "snapshot", "score", "themes", "rules", "findings"}
    assert data["connection"] == "shop"
    # soft_delete has no weighted rule with anything to apply to here: left out, not 100.
    assert set(data["themes"]) == {"keys", "time", "naming", "types", "docs"}
    assert all(set(r) == {"severity", "passed", "applicable"} for r in data["rules"].values())
    assert data["findings"] and all(
        set(f) == {"rule", "object", "severity", "message", "fix"} for f in data["findings"]
    )
    assert {"rule": "pk-missing", "object": "main.audit_log"}.items() <= next(
        f for f in data["findings"] if f["rule"] == "pk-missing"
    ).items()
    assert len(data["findings"]) == Finding.objects.filter(connection=shop).open().count()


def test_score_command_fails_without_a_snapshot(make_connection):
    make_connection("sqlite:////nonexistent/x.db", name="empty")
    with pytest.raises(CommandError, match="no successful snapshot"):
        call_command("score", "empty", stdout=StringIO())
    with pytest.raises(CommandError, match="No connection named"):
        call_command("score", "nope", stdout=StringIO())


def count_queries(client, url: str, **extra) -> int:
    with CaptureQueriesContext(db_connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def test_pages_issue_the_same_number_of_queries_for_10_and_1000_tables(
    member_client, make_connection, sqlite_target
):
    counts = []
    for n in (10, 1000):
        connection = scored_connection(make_connection, sqlite_target, name=f"db{n}", tables=n)
        score_snapshot(take_snapshot(connection))  # a history of two
        table = Table.objects.get(connection=connection, name="t0005")
        counts.append(
            (
                count_queries(member_client, reverse("scoring:scorecard", args=[connection.pk])),
                count_queries(member_client, reverse("scoring:findings", args=[connection.pk])),
                count_queries(
                    member_client, reverse("scoring:findings", args=[connection.pk]), **HX
                ),
                count_queries(
                    member_client,
                    reverse("scoring:table_findings", args=[connection.pk, table.pk]),
                    **HX,
                ),
                count_queries(member_client, reverse("scoring:summary", args=[connection.pk])),
            )
        )
    assert counts[0] == counts[1]


def test_connection_list_shows_each_latest_score(member_client, shop, make_connection):
    unscored = make_connection("sqlite:////nonexistent/x.db", name="unscored")
    score = SnapshotScore.objects.get(connection=shop)
    html = member_client.get(reverse("catalog:connection_list")).content.decode()
    link = reverse("scoring:scorecard", args=[shop.pk])
    assert f'<a href="{link}">{score.total:.0f}</a>' in html
    assert reverse("scoring:scorecard", args=[unscored.pk]) not in html


def test_findings_sort_errors_then_warnings_then_info_and_link_their_tables(member_client, shop):
    html = member_client.get(reverse("scoring:findings", args=[shop.pk]), **HX).content.decode()
    severities = re.findall(r'<span class="sev sev-([EWI])">', html)
    ranks = ["EWI".index(s) for s in severities]
    assert ranks == sorted(ranks) and len(set(severities)) > 1
    table = Table.objects.get(connection=shop, name="t0001")
    assert f'<a href="{table.get_absolute_url()}"><code>main.t0001' in html


def test_a_long_finding_message_is_shortened_with_the_whole_text_on_demand(member_client, shop):
    finding = Finding.objects.filter(connection=shop).open().first()
    Finding.objects.filter(pk=finding.pk).update(message="word " * 80 + "THE END")
    html = member_client.get(
        reverse("scoring:findings", args=[shop.pk]), {"rule": finding.rule}, **HX
    ).content.decode()
    assert '<details class="longmsg">' in html and "THE END</details>" in html


def test_writing_a_description_closes_its_docs_finding_at_once_as_documented(
    member_client, shop, django_capture_on_commit_callbacks
):
    table = Table.objects.get(connection=shop, name="t0001")
    current = Finding.objects.filter(connection=shop, rule="doc-table-missing").current()
    assert current.filter(object="main.t0001").exists()
    url = reverse("catalog:table_doc_edit", args=[shop.pk, table.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, {"text": "One row per thing.", "base_version": "0"})

    assert response.status_code == 302
    assert not current.filter(object="main.t0001").exists()
    assert current.filter(object="main.t0002").exists()  # only what was documented
    closed = Finding.objects.get(connection=shop, rule="doc-table-missing", object="main.t0001")
    assert closed.resolution == Finding.Resolution.DOCUMENTED
    findings = member_client.get(
        reverse("scoring:findings", args=[shop.pk]), {"status": "resolved"}, **HX
    ).content.decode()
    assert "resolved (documented)" in findings
    page = member_client.get(
        reverse("scoring:table_findings", args=[shop.pk, table.pk]), **HX
    ).content.decode()
    assert "doc-table-missing" not in page


def test_the_settings_page_saves_typed_options_of_several_rules_with_one_button(
    member_client, shop, django_capture_on_commit_callbacks
):
    url = reverse("scoring:connection_rules", args=[shop.pk])
    page = member_client.get(url).content.decode()
    assert 'name="name-casing-outlier__opt__threshold"' in page
    assert "inherits: <code>0.6</code>" in page
    form = page[page.index('class="rule-settings-form"') :]
    assert form[: form.index("</form>")].count('type="submit"') == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            url,
            {
                "name-casing-outlier__opt__threshold": "0.8",
                "ts-updated-missing__opt__append_only": "t0000\naudit_log",
                "pk-missing__enabled": "off",
            },
        )
    assert response.status_code == 302
    rows = {r.rule: r for r in RuleSetting.objects.filter(connection=shop)}
    assert set(rows) == {"name-casing-outlier", "ts-updated-missing", "pk-missing"}
    assert rows["name-casing-outlier"].options == {"threshold": 0.8}
    assert rows["ts-updated-missing"].options == {"append_only": ["t0000", "audit_log"]}
    assert rows["pk-missing"].enabled is False
    assert "pk-missing" not in SnapshotScore.objects.get(connection=shop).rules
    again = member_client.get(url).content.decode()
    assert "t0000\naudit_log</textarea>" in again


def test_the_settings_page_refuses_a_bad_option_next_to_its_field_and_keeps_the_text(
    member_client, shop
):
    url = reverse("scoring:team_rules", args=[shop.team.slug])
    response = member_client.post(
        url,
        {
            "pk-name-pattern__opt__pk_name_pattern": "(\\w|\\w|\\w|\\w|\\w|\\w)*!",
            "name-casing-outlier__opt__threshold": "lots",
            "pk-missing__enabled": "off",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert 'value="(\\w|\\w|\\w|\\w|\\w|\\w)*!"' in html and 'value="lots"' in html
    assert "Alternatives inside a repeat" in html and "Takes a number such as 0.6." in html
    assert not RuleSetting.objects.exists()
    invalid = member_client.post(url, {"pk-name-pattern__opt__pk_name_pattern": "("})
    assert "Not a valid regular expression" in invalid.content.decode()


def test_the_settings_page_offers_the_casings_and_refuses_any_other_string(member_client, shop):
    url = reverse("scoring:team_rules", args=[shop.team.slug])
    page = member_client.get(url).content.decode()
    field = page[page.index('name="name-casing-outlier__opt__expected"') :]
    assert '<option value="camelCase">' in field[: field.index("</select>")]
    for posted in (
        {"name-casing-outlier__opt__expected": "shouty"},
        {"name-casing-outlier__json": '{"expected": "shouty"}'},
    ):
        response = member_client.post(url, posted)
        assert response.status_code == 400
    assert "Takes one of snake_case" in response.content.decode()
    assert not RuleSetting.objects.exists()
    saved = member_client.post(url, {"name-casing-outlier__opt__expected": "camelCase"})
    assert saved.status_code == 302
    assert RuleSetting.objects.get().options == {"expected": "camelCase"}


def test_a_stored_option_the_form_would_refuse_falls_back_to_the_default(shop):
    RuleSetting.objects.create(
        team=shop.team, rule="pk-name-pattern", options={"pk_name_pattern": "(a+)+$"}
    )
    setting = effective_settings(shop)["pk-name-pattern"]
    assert setting.options["pk_name_pattern"] == r"id|{table}_id"
    RuleSetting.objects.create(
        team=shop.team, rule="name-casing-outlier", options={"expected": "shouty"}
    )
    assert effective_settings(shop)["name-casing-outlier"].options["expected"] is None
    score_snapshot(Snapshot.objects.filter(connection=shop).latest("started_at"))


def test_a_scoring_failure_shows_on_the_scorecard_and_the_connection_page_until_a_run_succeeds(
    member_client, shop, monkeypatch
):
    from scoring import runs

    def broken(*args, **kwargs):
        raise ValueError("rule pk-name-pattern could not run")

    monkeypatch.setattr(runs, "score_schema", broken)
    snapshot = Snapshot.objects.filter(connection=shop).latest("started_at")
    RuleSetting.objects.create(team=shop.team, rule="pk-missing", severity="W")  # new inputs
    with pytest.raises(ValueError):
        score_snapshot(snapshot)
    for url in (
        reverse("scoring:scorecard", args=[shop.pk]),
        reverse("scoring:summary", args=[shop.pk]),
    ):
        html = member_client.get(url).content.decode()
        assert "Scoring failed" in html and "rule pk-name-pattern could not run" in html

    monkeypatch.undo()
    score_snapshot(snapshot)
    html = member_client.get(reverse("scoring:scorecard", args=[shop.pk])).content.decode()
    assert "Scoring failed" not in html
