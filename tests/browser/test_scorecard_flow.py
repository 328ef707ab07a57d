"""Scoring's key flow in a real browser: scorecard, filter findings, waive one, the score moves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(make_connection, sqlite_target):
    from catalog.snapshots import take_snapshot
    from scoring.runs import score_snapshot

    connection = make_connection(
        sqlite_target(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"
            "CREATE TABLE orders (id INTEGER PRIMARY KEY,"
            " customer_id INTEGER REFERENCES customers(id), shipped_at DATE);"
            "CREATE TABLE audit_log (message TEXT);"
        )
    )
    score_snapshot(take_snapshot(connection))
    return connection


def test_member_filters_findings_waives_one_and_sees_the_score_move(
    page, login, live_server, member, shop
):
    login("alice", "correct horse battery")
    page.goto(f"{live_server.url}/scores/connections/{shop.pk}/")
    expect(page.locator("h1")).to_have_text("Scorecard")
    before = float(page.locator("#total-score").inner_text())
    expect(page.locator("#top-fixes")).to_contain_text("main.audit_log")

    page.click("a.button:has-text('Findings')")
    expect(page.locator("#results")).to_contain_text("ts-date-typed")
    url_before = page.url
    page.select_option("select[name=rule]", "pk-missing")
    # The list is swapped in place by htmx.
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).not_to_contain_text("ts-date-typed")
    assert page.url != url_before and "rule=pk-missing" in page.url  # pushed, shareable

    row = page.locator("#results tbody tr", has_text="main.audit_log")
    row.locator("summary:has-text('Waive')").click()
    row.locator("input[name=reason]").fill("append-only log; rows are never updated")
    row.locator("button:has-text('Waive')").click()
    expect(page.locator(".messages")).to_contain_text("Waived pk-missing on main.audit_log")
    expect(page.locator("#results")).to_contain_text("No open finding matches")

    page.goto(f"{live_server.url}/scores/connections/{shop.pk}/")
    after = float(page.locator("#total-score").inner_text())
    assert after > before
    page.click("a.button:has-text('Waivers')")
    expect(page.locator("table.waivers")).to_contain_text("append-only log; rows are never updated")
    expect(page.locator("table.waivers")).to_contain_text(re.compile(r"alice"))
