"""Team API tokens: created and revoked on the team page by members, shown once, stored hashed."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from catalog.models import ApiToken
from catalog.tokens import authenticate_token

pytestmark = pytest.mark.django_db


def create(client: Client, team, name: str = "GitHub Actions"):
    return client.post(reverse("scoring:api_tokens", args=[team.slug]), {"name": name})


def shown_token(response) -> str:
    [token] = re.findall(r"<code>(sjt_[A-Za-z0-9_-]+)</code>", response.content.decode())
    return token


def test_a_member_creates_a_token_that_is_shown_once_and_stored_hashed(team, member_client):
    response = create(member_client, team)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = shown_token(response)
    row = ApiToken.objects.get()
    assert (row.team, row.name, row.created_by.username) == (team, "GitHub Actions", "alice")
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.prefix, row.digest} and token.startswith(row.prefix)
    # Never again: neither the token list nor the team page holds it.
    for url in (
        reverse("scoring:api_tokens", args=[team.slug]),
        reverse("scoring:team_detail", args=[team.slug]),
    ):
        page = member_client.get(url).content.decode()
        assert token not in page
    assert (
        f"{row.prefix}…"
        in member_client.get(reverse("scoring:api_tokens", args=[team.slug])).content.decode()
    )


def test_the_team_page_loads_the_token_section(team, member_client):
    page = member_client.get(reverse("scoring:team_detail", args=[team.slug])).content.decode()

    assert f'hx-get="{reverse("scoring:api_tokens", args=[team.slug])}"' in page


def test_the_htmx_form_gets_the_section_back_with_the_new_token(team, member_client):
    response = member_client.post(
        reverse("scoring:api_tokens", args=[team.slug]), {"name": "ci"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="api-tokens">')
    assert shown_token(response)


def test_a_token_authenticates_until_it_is_revoked(team, member_client):
    token = shown_token(create(member_client, team))
    row = ApiToken.objects.get()
    assert authenticate_token(f"Bearer {token}") == row

    response = member_client.post(reverse("scoring:api_token_revoke", args=[team.slug, row.pk]))

    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert authenticate_token(f"Bearer {token}") is None


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer sjt_wrong", "Basic abc", "Token sjt_x", "Bearer " + "x" * 300]
)
def test_wrong_headers_authenticate_nobody(header, team, member_client):
    create(member_client, team)

    assert authenticate_token(header) is None


def test_outsiders_neither_see_create_nor_revoke_tokens(team, member_client, outsider_client):
    create(member_client, team)
    row = ApiToken.objects.get()

    listing = outsider_client.get(reverse("scoring:api_tokens", args=[team.slug]))
    assert row.prefix not in listing.content.decode()
    assert create(outsider_client, team).status_code == 403
    revoke = outsider_client.post(reverse("scoring:api_token_revoke", args=[team.slug, row.pk]))
    assert revoke.status_code == 403
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None


def test_staff_may_create_tokens_for_any_team(team):
    staff = User.objects.create_user("root", is_staff=True)
    client = Client()
    client.force_login(staff)

    assert create(client, team).status_code == 200
    assert ApiToken.objects.get().created_by == staff


def test_a_token_needs_a_name_and_a_post_with_csrf(team, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert create(client, team).status_code == 403  # no CSRF token
    assert not ApiToken.objects.exists()


def test_a_blank_name_is_refused(team, member_client):
    response = create(member_client, team, name="  ")

    assert response.status_code == 400
    assert "Name the token" in response.content.decode()
    assert not ApiToken.objects.exists()
