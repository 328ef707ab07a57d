"""In Chromium: the pages satisfy the Content-Security-Policy; a connection is deleted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import htmx_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(make_connection, sqlite_target, live_server):
    from catalog.snapshots import take_snapshot
    from scoring.runs import score_snapshot

    connection = make_connection(
        sqlite_target(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);"
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER"
            " REFERENCES customers(id), status TEXT, shipped_at DATE);"
        )
    )
    score_snapshot(take_snapshot(connection))
    return connection


def test_main_pages_raise_no_content_security_policy_violation(page, login, member, shop):
    from django.urls import reverse

    from catalog.models import Table

    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(page.url + " " + m.text)
            if "Content Security Policy" in m.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective"
        " + ' ' + e.blockedURI))"
    )
    login("alice", "correct horse battery")
    base = page.url.rstrip("/")
    orders = Table.objects.get(connection=shop, name="orders")
    for url in [
        reverse("catalog:connection_list"),
        shop.get_absolute_url(),
        orders.get_absolute_url(),
        reverse("catalog:connection_diagram", args=[shop.pk]),
        reverse("catalog:search") + "?q=order",
        reverse("catalog:docs_coverage", args=[shop.pk]),
        reverse("catalog:dbt_import", args=[shop.pk]),
        reverse("catalog:connection_delete", args=[shop.pk]),
        reverse("scoring:team_list"),
        reverse("scoring:scorecard", args=[shop.pk]),
    ]:
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        # htmx ran, with its indicator styles off (CSS ships them instead).
        assert page.evaluate("typeof htmx") == "object", url
        assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    # An htmx swap too: the inline editor and its live preview.
    page.goto(base + orders.get_absolute_url())
    page.locator("text=Add a description").first.click()
    page.locator("textarea").first.wait_for()
    htmx_settled(page)
    page.locator("textarea").first.fill("**bold**")
    expect(page.locator(".doc-preview strong").first).to_have_text("bold")

    assert violations == []


def test_member_deletes_a_connection_through_the_confirmation_page(page, login, member, shop):
    from catalog.models import Connection, Snapshot, Table

    login("alice", "correct horse battery")
    page.goto(page.url.rstrip("/") + shop.get_absolute_url())
    page.click("text=Delete…")

    expect(page.locator("h1")).to_have_text("Delete shop?")
    expect(page.locator("#removed")).to_contain_text("1 snapshot, with 1 score")
    expect(page.locator("#removed")).to_contain_text("2 tables and 6 columns")
    expect(page.locator("text=Nothing in the database shop points at is touched")).to_be_visible()
    page.screenshot(path=str(_screenshot_dir() / "connection_delete.png"), full_page=True)
    page.click("button:has-text('Delete shop and its history')")

    expect(page.locator(".messages")).to_contain_text(
        "Connection shop and its history were deleted."
    )
    assert not Connection.objects.filter(pk=shop.pk).exists()
    assert not Snapshot.objects.exists() and not Table.objects.exists()


def _screenshot_dir():
    from django.conf import settings

    path = settings.VAR_DIR / "screenshots"
    path.mkdir(exist_ok=True)
    return path
