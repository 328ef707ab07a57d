"""A team's page in a real browser: the ranking leads to the team, whose trend chart draws."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalog.snapshots import take_snapshot
from scoring.runs import score_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_the_team_trend_chart(page, login, member, make_connection, sqlite_target):
    connection = make_connection(sqlite_target("CREATE TABLE orders (id INTEGER, shipped_at DATE)"))
    score_snapshot(take_snapshot(connection))
    sqlite_target("CREATE TABLE customers (id INTEGER PRIMARY KEY, created_at TIMESTAMP)")
    score_snapshot(take_snapshot(connection))
    login("alice", "correct horse battery")

    page.click("nav >> text=Teams")
    page.click("#team-ranking >> text=Shop backend")

    expect(page.locator("h1")).to_have_text("Shop backend")
    chart = page.locator("#score-trend svg")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(2)
    expect(chart.locator("circle").last.locator("title")).to_contain_text(":")
