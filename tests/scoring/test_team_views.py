"""Team pages: score, trend charts, rules that moved the score, the overview ranking."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Connection, Snapshot, Team
from catalog.snapshots import take_snapshot
from scoring.runs import score_snapshot

pytestmark = pytest.mark.django_db


def keyed_tables(tables: int, *, with_pk: bool) -> str:
    """DDL (re)creating tables t0000... with or without a primary key."""
    key = "id INTEGER PRIMARY KEY" if with_pk else "id INTEGER"
    return "\n".join(
        f"DROP TABLE IF EXISTS t{i:04d}; CREATE TABLE t{i:04d} ({key}, name TEXT, created_at TIMESTAMP);"
        for i in range(tables)
    )


def snapshot_and_score(connection: Connection) -> Snapshot:
    snapshot = take_snapshot(connection)
    assert snapshot.succeeded, snapshot.error_message
    score_snapshot(snapshot)
    return snapshot


def test_team_page_shows_score_trend_and_what_moved_it(
    member_client, team, make_connection, sqlite_target
):
    shop = make_connection(sqlite_target(keyed_tables(4, with_pk=False)))
    first = snapshot_and_score(shop)
    Snapshot.objects.filter(pk=first.pk).update(
        started_at=first.started_at - datetime.timedelta(days=8)
    )
    sqlite_target(keyed_tables(4, with_pk=True))  # the team adds primary keys
    snapshot_and_score(shop)

    response = member_client.get(reverse("scoring:team_detail", args=[team.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "since last week" in html
    context = response.context
    assert context["delta"] > 0
    moved = {m["rule_id"]: m["delta"] for m in context["movements"]}
    assert moved["pk-missing"] > 0  # points won by adding the keys
    svg = html[
        html.index("<svg", html.index('id="score-trend"')) : html.index(
            "</svg>", html.index('id="score-trend"')
        )
        + 6
    ]
    assert len(ET.fromstring(svg).findall("{http://www.w3.org/2000/svg}circle")) == 2


def test_a_connection_added_this_week_is_reported_apart_from_rule_movements(
    member_client, team, make_connection, sqlite_target
):
    shop = make_connection(sqlite_target(keyed_tables(4, with_pk=True)))
    first = snapshot_and_score(shop)
    Snapshot.objects.filter(pk=first.pk).update(
        started_at=first.started_at - datetime.timedelta(days=8)
    )
    snapshot_and_score(shop)  # nothing changed in shop
    legacy = make_connection(
        sqlite_target(keyed_tables(6, with_pk=False), name="l.db"), name="legacy"
    )
    snapshot_and_score(legacy)

    response = member_client.get(reverse("scoring:team_detail", args=[team.slug]))

    context = response.context
    assert [c.name for c in context["added"]] == ["legacy"]
    assert context["added_effect"] < 0  # keyless tables pulled the team down
    # pk-missing did not move in shop: the loss is the new connection's, not a rule's.
    assert "pk-missing" not in {m["rule_id"] for m in context["movements"]}
    assert 'id="connections-added"' in response.content.decode()


def test_overview_ranks_teams_by_score(member_client, team, make_connection, sqlite_target):
    other = Team.objects.create(name="Billing", slug="billing")
    snapshot_and_score(
        make_connection(sqlite_target(keyed_tables(3, with_pk=True), name="a.db"), name="good")
    )
    snapshot_and_score(
        make_connection(
            sqlite_target(keyed_tables(3, with_pk=False), name="b.db"), name="bad", team=other
        )
    )

    rows = member_client.get(reverse("scoring:team_list")).context["rows"]

    assert [r["team"].name for r in rows] == ["Shop backend", "Billing"]
    assert rows[0]["score"] > rows[1]["score"]


def test_team_pages_are_for_logged_in_users_only(team):
    for url in (reverse("scoring:team_list"), reverse("scoring:team_detail", args=[team.slug])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(db_connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_team_pages_issue_the_same_queries_for_10_and_1000_tables(
    member_client, team, make_connection, sqlite_target
):
    counts = []
    for n in (10, 1000):
        t = Team.objects.create(name=f"T{n}", slug=f"t{n}")
        t.members.add(*team.members.all())
        c = make_connection(
            sqlite_target(keyed_tables(n, with_pk=True), name=f"{n}.db"), name=f"db{n}", team=t
        )
        snapshot_and_score(c)
        snapshot_and_score(c)
        counts.append(count_queries(member_client, reverse("scoring:team_detail", args=[t.slug])))
    counts.append(count_queries(member_client, reverse("scoring:team_list")))
    assert counts[0] == counts[1]


def test_staff_create_a_team_and_manage_its_members_on_its_page(admin_client, member):
    response = admin_client.post(reverse("scoring:team_create"), {"name": "Data Platform"})
    team = Team.objects.get(name="Data Platform")
    assert response["Location"] == reverse("scoring:team_detail", args=["data-platform"])
    duplicate = admin_client.post(reverse("scoring:team_create"), {"name": "Data  platform!"})
    assert duplicate.status_code == 400 and "already uses the address" in duplicate.content.decode()

    add = reverse("scoring:team_member_add", args=[team.slug])
    admin_client.post(add, {"user": "ALICE"})
    assert list(team.members.values_list("username", flat=True)) == ["alice"]
    page = admin_client.get(reverse("scoring:team_detail", args=[team.slug])).content.decode()
    assert 'id="members"' in page and "alice" in page
    missing = admin_client.post(add, {"user": "nobody"}, follow=True).content.decode()
    assert "No user &#x27;nobody&#x27;" in missing

    admin_client.post(reverse("scoring:team_member_remove", args=[team.slug, member.pk]))
    assert not team.members.exists()


def test_members_may_not_create_teams_or_change_membership(member_client, team, member):
    assert member_client.post(reverse("scoring:team_create"), {"name": "X"}).status_code == 403
    add = reverse("scoring:team_member_add", args=[team.slug])
    assert member_client.post(add, {"user": "alice"}).status_code == 403
    remove = reverse("scoring:team_member_remove", args=[team.slug, member.pk])
    assert member_client.post(remove).status_code == 403
    assert not Team.objects.filter(name="X").exists() and team.members.count() == 1
