"""The pages people use most, on a real database of hundreds of tables (MusicBrainz).

Pan, zoom and find in a big diagram; a description closing its finding without a
snapshot; the typed rule settings form; header search by qualified name; the main pages
at phone width with no horizontal scroll. Screenshots of the main pages at desktop and
phone widths go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from catalog.models import Connection, Snapshot, Table
from catalog.snapshots import take_snapshot
from scoring.models import Finding, RuleSetting
from scoring.runs import score_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def musicbrainz(make_connection, member, pg_corpus) -> Connection:
    connection = make_connection(pg_corpus("musicbrainz"), name="musicbrainz")
    snapshot = take_snapshot(connection)
    assert snapshot.succeeded
    score_snapshot(snapshot)
    return connection


def table(connection: Connection, name: str) -> Table:
    return Table.objects.get(connection=connection, schema="musicbrainz", name=name)


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def zoom(page) -> float:
    return page.evaluate("document.querySelector('[data-erd]').erd.getSizes().realZoom")


def pan(page) -> dict:
    return page.evaluate("document.querySelector('[data-erd]').erd.getPan()")


def test_a_big_diagram_zooms_pans_and_finds_a_table_whose_box_opens_its_page(
    page, login, live_server, musicbrainz
):
    login("alice", "correct horse battery")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/connections/{musicbrainz.pk}/diagram/?all=1")
    frame = page.locator("[data-erd]")
    expect(frame.locator("svg.erd")).to_be_visible(timeout=60_000)
    page.wait_for_function("document.querySelector('[data-erd]').erd !== undefined")
    # 527 tables open at a readable scale, not fitted into dots.
    assert zoom(page) >= 0.7
    shoot(page, "diagram-database-desktop")

    before = zoom(page)
    page.click("[data-erd-action=out]")
    page.click("[data-erd-action=out]")
    assert zoom(page) < before
    page.click("[data-erd-action=in]")
    assert zoom(page) > 0

    # The wheel zooms, a drag pans, the keyboard fits.
    box = frame.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    wheel_before = zoom(page)
    page.mouse.wheel(0, -400)
    page.wait_for_timeout(200)
    assert zoom(page) > wheel_before
    start = pan(page)
    page.mouse.down()
    page.mouse.move(centre[0] - 200, centre[1] - 120, steps=8)
    page.mouse.up()
    moved = pan(page)
    assert moved["x"] < start["x"] - 100 and moved["y"] < start["y"] - 60
    frame.focus()
    page.keyboard.press("0")
    fitted = zoom(page)
    assert fitted < 0.5  # the whole of MusicBrainz is small when fitted
    shoot(page, "diagram-database-fitted")

    # Find a table: highlighted and centred at a readable scale.
    page.fill("[data-erd-find] input", "musicbrainz.artist_alias")
    page.press("[data-erd-find] input", "Enter")
    hit = page.locator("svg.erd g.erd-hit")
    expect(hit).to_have_count(1)
    assert zoom(page) >= 0.99  # 1, give or take floating point
    page.wait_for_timeout(100)  # svg-pan-zoom draws on the next animation frame
    hit_box, frame_box = hit.bounding_box(), frame.bounding_box()
    assert (
        abs((hit_box["x"] + hit_box["width"] / 2) - (frame_box["x"] + frame_box["width"] / 2)) < 40
    )
    assert (
        abs((hit_box["y"] + hit_box["height"] / 2) - (frame_box["y"] + frame_box["height"] / 2))
        < 40
    )
    shoot(page, "diagram-database-found")
    page.fill("[data-erd-find] input", "no_such_table")
    page.press("[data-erd-find] input", "Enter")
    expect(page.locator("[data-erd-find-status]")).to_contain_text("No table")

    # A click (not a drag) on the box still opens the table page.
    alias = table(musicbrainz, "artist_alias")
    hit.locator("a").first.click()
    page.wait_for_url(live_server.url + alias.get_absolute_url())

    # A hub's neighbourhood is drawn radially and opens centred on the hub.
    artist = table(musicbrainz, "artist")
    page.goto(live_server.url + f"{artist.get_absolute_url()}diagram/")
    expect(page.locator("[data-erd] svg.erd")).to_be_visible(timeout=30_000)
    page.wait_for_function("document.querySelector('[data-erd]').erd !== undefined")
    focus = page.locator("svg.erd g.erd-focus")
    expect(focus).to_have_count(1)
    focus_box, frame_box = focus.bounding_box(), page.locator("[data-erd]").bounding_box()
    assert (
        frame_box["x"]
        < focus_box["x"] + focus_box["width"] / 2
        < frame_box["x"] + frame_box["width"]
    )
    width, height = page.evaluate(
        "(() => { const b = document.querySelector('svg.erd g.graph').getBBox();"
        " return [b.width, b.height]; })()"
    )
    assert max(width / height, height / width) < 3  # not one long strip
    shoot(page, "diagram-artist-neighbourhood")


def test_describing_a_table_closes_its_docs_finding_without_a_snapshot(
    page, login, live_server, musicbrainz
):
    area = table(musicbrainz, "area")
    snapshots = Snapshot.objects.filter(connection=musicbrainz).count()
    login("alice", "correct horse battery")
    page.goto(live_server.url + area.get_absolute_url())
    findings = page.locator("#findings")
    expect(findings).to_contain_text("doc-table-missing")

    page.click(f"#doc-table-{area.pk} >> text=Add a description")
    page.locator(f"#doc-table-{area.pk} textarea").fill("Countries, regions and cities.")
    page.click(f"#doc-table-{area.pk} button:has-text('Save')")

    expect(findings).not_to_contain_text("doc-table-missing")
    page.reload()
    expect(page.locator("#findings")).to_contain_text("Score")
    expect(page.locator("#findings")).not_to_contain_text("doc-table-missing")
    assert Snapshot.objects.filter(connection=musicbrainz).count() == snapshots
    closed = Finding.objects.get(
        connection=musicbrainz, rule="doc-table-missing", object="musicbrainz.area"
    )
    assert closed.resolution == Finding.Resolution.DOCUMENTED
    page.goto(f"{live_server.url}/scores/connections/{musicbrainz.pk}/findings/?status=resolved")
    expect(page.locator("table.findings")).to_contain_text("resolved (documented)")


def test_rule_settings_refuse_a_bad_option_at_its_field_and_save_a_good_one(
    page, login, live_server, musicbrainz
):
    login("alice", "correct horse battery")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/scores/connections/{musicbrainz.pk}/rules/")
    pattern = page.locator("[name='pk-name-pattern__opt__pk_name_pattern']")
    pattern.fill("(\\w|\\w|\\w|\\w|\\w|\\w)*!")
    page.click("button:has-text('Save settings')")

    field = page.locator("#rule-pk-name-pattern .rule-field.invalid")
    expect(field.locator(".field-error")).to_contain_text("Alternatives inside a repeat")
    expect(page.locator("[name='pk-name-pattern__opt__pk_name_pattern']")).to_have_value(
        "(\\w|\\w|\\w|\\w|\\w|\\w)*!"
    )
    assert not RuleSetting.objects.exists()
    field.scroll_into_view_if_needed()
    shoot(page, "rule-settings-error")

    page.locator("[name='pk-name-pattern__opt__pk_name_pattern']").fill("id|{table}_id|pk")
    page.locator("[name='name-casing-outlier__opt__threshold']").fill("0.75")
    page.click("button:has-text('Save settings')")
    expect(page.locator(".messages")).to_contain_text("Saved")
    saved = {r.rule: r.options for r in RuleSetting.objects.filter(connection=musicbrainz)}
    assert saved == {
        "pk-name-pattern": {"pk_name_pattern": "id|{table}_id|pk"},
        "name-casing-outlier": {"threshold": 0.75},
    }
    expect(page.locator("[name='name-casing-outlier__opt__threshold']")).to_have_value("0.75")


def test_header_search_finds_a_qualified_name_and_main_pages_fit_a_phone(
    page, login, live_server, musicbrainz
):
    login("alice", "correct horse battery")
    artist = table(musicbrainz, "artist")
    base = live_server.url
    pages = {
        "overview": "/",
        "connections": "/connections/",
        "teams": "/scores/teams/",
        "connection": musicbrainz.get_absolute_url(),
        "table": artist.get_absolute_url(),
        "scorecard": f"/scores/connections/{musicbrainz.pk}/",
        "findings": f"/scores/connections/{musicbrainz.pk}/findings/",
        "rule-settings": f"/scores/connections/{musicbrainz.pk}/rules/",
        "team": f"/scores/teams/{musicbrainz.team.slug}/",
        "search": "/search/?q=musicbrainz.artist",
        "diagram": f"{artist.get_absolute_url()}diagram/",
    }
    page.set_viewport_size(DESKTOP)
    page.goto(base + pages["findings"])
    page.fill(".header-search input[name=q]", "musicbrainz.artist")
    page.press(".header-search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=musicbrainz.artist")
    first = page.locator("ul.results li a").first
    expect(first).to_have_attribute("href", artist.get_absolute_url())

    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            shoot(page, f"{name}-{width}")
            if width == "phone":
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at 390 px"
    # The navigation is usable at phone width: every link visible without scrolling.
    for link in ("Connections", "Teams"):
        expect(page.locator(f".topbar nav a:text-is('{link}')")).to_be_in_viewport()
