"""The weekly e-mail's HTML part in headless Chromium: it renders, loads nothing from the
network, and leaves a screenshot under var/ for a person to look at."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from scoring.digests import (
    AnnouncementItem,
    ChangeItem,
    ConnectionWeek,
    DigestWeek,
    FailedSnapshot,
    FindingItem,
    FixItem,
    RuleMove,
    StaleConnection,
    compose_digest,
)
from scoring.mailings import render_digest

pytestmark = [pytest.mark.browser]

SITE = "https://schemajoy.example.com"
UTC = datetime.UTC


def busy_week() -> DigestWeek:
    at = datetime.datetime(2026, 11, 30, 8, tzinfo=UTC)
    return DigestWeek(
        team="Shop backend",
        team_url=f"{SITE}/scores/teams/shop-backend/",
        week="2026-W49",
        period_start=at - datetime.timedelta(days=7),
        period_end=at,
        time_zone="Europe/London",
        score=74.6,
        score_before=71.2,
        coverage=42.0,
        coverage_before=38.5,
        weekly_scores=(None, 61.0, 63.5, 66.0, 65.2, 69.9, 71.2, 74.6),
        connections=(
            ConnectionWeek(
                "shop",
                f"{SITE}/connections/1/",
                78.1,
                72.0,
                (RuleMove("pk-missing", "Primary key", 4.2), RuleMove("ts-date", "Dates", -1.1)),
            ),
            ConnectionWeek("billing", f"{SITE}/connections/2/", 66.0, 69.5),
        ),
        changes=(
            ChangeItem(
                "shop",
                "column_dropped",
                "public.orders.note",
                "dropped: readers of the column break",
                False,
                at - datetime.timedelta(days=2),
                f"{SITE}/c/1",
            ),
            ChangeItem(
                "shop",
                "type_changed",
                "public.orders.total",
                "varchar(255) -> varchar(50) narrows",
                True,
                at - datetime.timedelta(days=3),
                f"{SITE}/c/1",
            ),
        ),  # fmt: skip
        announcements=(
            AnnouncementItem(
                "billing",
                "We drop invoices.amount on 14 Dec; use amount_cents",
                "column dropped public.invoices.amount",
                at - datetime.timedelta(days=1),
                "alice",
                f"{SITE}/c/2",
            ),
        ),
        opened_count=3,
        fixed_count=5,
        opened=(
            FindingItem(
                "shop", "pk-missing", "public.audit_log", "No primary key", 1.2, f"{SITE}/f"
            ),
        ),  # fmt: skip
        fixed=(
            FindingItem("shop", "pk-missing", "public.orders", "No primary key", 2.3, f"{SITE}/f"),
        ),  # fmt: skip
        failures=(
            FailedSnapshot(
                "billing",
                at - datetime.timedelta(hours=5),
                "connection refused (3 times)",
                f"{SITE}/connections/2/",
            ),
        ),  # fmt: skip
        failure_count=3,
        stale=(
            StaleConnection(
                "billing", at - datetime.timedelta(days=2), "every hour", f"{SITE}/connections/2/"
            ),
        ),  # fmt: skip
        next_fix=FixItem(
            "shop",
            "pk-missing",
            "Primary key",
            "public.audit_log",
            "public.audit_log has no primary key",
            "ALTER TABLE public.audit_log ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY "
            "PRIMARY KEY;",
            1.2,
            f"{SITE}/f",
        ),
        preview_url=f"{SITE}/scores/teams/shop-backend/digest/?week=2026-W49",
        settings_url=f"{SITE}/scores/teams/shop-backend/digest/#settings",
    )


def test_the_html_part_renders_offline_with_no_network_request(page):
    rendered = render_digest(
        compose_digest(busy_week()), unsubscribe_url=f"{SITE}/scores/digest/unsubscribe/x/"
    )
    out = Path(settings.VAR_DIR) / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "digest-email.html"
    path.write_text(rendered.html, encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 760, "height": 900})

    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")

    assert requests == [path.as_uri()]  # the file itself, and nothing else
    expect(page.locator("#first-line")).to_contain_text("Shop backend scores 74.6 (+3.4")
    expect(page.locator("#trend td.bar")).to_have_count(7)
    expect(page.locator("#changes")).to_contain_text("unannounced")
    expect(page.locator("#next-fix pre")).to_contain_text("ALTER TABLE public.audit_log")
    heights = [
        box["height"]
        for box in (cell.bounding_box() for cell in page.locator("#trend td.bar").all())
        if box
    ]
    assert heights[-1] > heights[-2] > heights[0]  # the strip rises as the scores do
    page.screenshot(path=str(out / "digest-email.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_preview_page_shows_both_parts_side_by_side(page, login, member, team, settings):
    login("alice", "correct horse battery")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.url + f"scores/teams/{team.slug}/digest/")

    frame = page.frame_locator("#digest-html")
    expect(frame.locator("#first-line")).to_contain_text("Nothing new this week for Shop backend")
    expect(page.locator("#digest-text")).to_contain_text("Nothing new this week for Shop backend")
    expect(page.locator("#send-test")).to_be_visible()
    out = Path(settings.VAR_DIR) / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / "digest-preview.png"), full_page=False)
