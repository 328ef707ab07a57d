"""The weekly e-mail's pages: preview, send me a test, schedule, opt-in on the account page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Team
from scoring.digests import local_week
from scoring.mailings import send_weekly_digest, team_schedule
from scoring.models import DigestSend, DigestSettings, DigestSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_the_preview_shows_this_weeks_email_with_both_parts(member_client, team):
    response = member_client.get(reverse("scoring:digest_preview", args=[team.slug]))
    html = response.content.decode()
    week = local_week(team_schedule(team), timezone.now())
    assert response.status_code == 200
    assert f"Shop backend schema health, {week}: nothing new" in html
    assert 'sandbox=""' in html and f"digest/html/?week={week}" in html
    assert "Nothing new this week for Shop backend" in html  # the text part, side by side
    assert "Not sent. This is the e-mail as it would go out now" in html

    frame = member_client.get(reverse("scoring:digest_html", args=[team.slug]))
    assert frame["Content-Security-Policy"].startswith("sandbox; default-src 'none'")
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert frame.content.decode().startswith("<!DOCTYPE html>")


def test_a_past_week_is_shown_as_it_was_sent(member_client, team, smtp_server):
    team.digest_recipients = "data@example.com"
    team.save()
    send_weekly_digest(team, "2026-W40")
    DigestSend.objects.filter(team=team, week="2026-W40").update(
        text="the text as it went out", html="<p>the html as it went out</p>"
    )
    page = member_client.get(
        reverse("scoring:digest_preview", args=[team.slug]) + "?week=2026-W40"
    ).content.decode()
    assert "the text as it went out" in page and "Sent</strong>" in page
    frame = member_client.get(reverse("scoring:digest_html", args=[team.slug]) + "?week=2026-W40")
    assert frame.content == b"<p>the html as it went out</p>"
    bad = member_client.get(reverse("scoring:digest_preview", args=[team.slug]) + "?week=W40")
    assert bad.status_code == 404
    # The team page lists the e-mails sent, with their status.
    team_page = member_client.get(reverse("scoring:team_detail", args=[team.slug])).content
    assert b"2026-W40" in team_page and b"Sent" in team_page


def test_send_me_a_test_mails_the_member_only_and_records_nothing(
    member, member_client, outsider_client, team, smtp_server
):
    member.email = "alice@example.com"
    member.save()
    url = reverse("scoring:digest_test", args=[team.slug])
    assert outsider_client.post(url).status_code == 403
    response = member_client.post(url, follow=True)
    assert "Sent this week&#x27;s e-mail to alice@example.com" in response.content.decode()
    [message] = smtp_server.wait_for(1)
    assert message.rcpt_tos == ["alice@example.com"]
    assert message["Subject"].startswith("[test] Shop backend schema health")
    assert message.message.get_content_type() == "multipart/alternative"
    assert not DigestSend.objects.exists()


def test_the_schedule_form_validates_the_time_zone_and_addresses(member_client, team):
    url = reverse("scoring:digest_settings", args=[team.slug])
    form = {"enabled": "on", "weekday": "4", "hour": "17", "time_zone": "Mars/Olympus"}
    response = member_client.post(url, {**form, "extra_addresses": "a@example.com"}, follow=True)
    assert "Unknown time zone" in response.content.decode()
    assert not DigestSettings.objects.exists()
    response = member_client.post(url, {**form, "time_zone": "Asia/Tokyo", "extra_addresses": "x"})
    assert not DigestSettings.objects.exists()

    member_client.post(
        url, {**form, "time_zone": "Asia/Tokyo", "extra_addresses": "a@example.com\nb@example.com"}
    )
    row = DigestSettings.objects.get(team=team)
    assert (row.weekday, row.hour, row.time_zone) == (4, 17, "Asia/Tokyo")
    team.refresh_from_db()
    assert team.recipient_list() == ["a@example.com", "b@example.com"]


def test_outsiders_cannot_change_the_schedule(outsider_client, team):
    url = reverse("scoring:digest_settings", args=[team.slug])
    form = {"weekday": "1", "hour": "9", "time_zone": "Europe/Paris", "extra_addresses": ""}
    assert outsider_client.post(url, form).status_code == 403
    assert not DigestSettings.objects.exists()


def test_the_preview_needs_a_login(team):
    response = Client().get(reverse("scoring:digest_preview", args=[team.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_members_opt_in_on_their_account_page_for_their_own_teams_only(member, member_client, team):
    other = Team.objects.create(name="Billing", slug="billing")
    account = member_client.get(reverse("account")).content.decode()
    assert reverse("scoring:digest_subscriptions") in account

    url = reverse("scoring:digest_subscriptions")
    fragment = member_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Shop backend" in fragment and "Billing" not in fragment
    member_client.post(url, {"team": [str(team.pk), str(other.pk)]})
    assert list(DigestSubscription.objects.values_list("team__slug", flat=True)) == [team.slug]
    member_client.post(url, {})
    assert not DigestSubscription.objects.exists()


def test_the_admin_lists_sends_read_only(admin_client, team, smtp_server):
    team.digest_recipients = "data@example.com"
    team.save()
    send_weekly_digest(team, "2026-W40")
    row = DigestSend.objects.get()
    listing = admin_client.get(reverse("admin:scoring_digestsend_changelist"))
    assert listing.status_code == 200 and b"2026-W40" in listing.content
    page = admin_client.get(reverse("admin:scoring_digestsend_change", args=[row.pk]))
    assert page.status_code == 200 and b'name="status"' not in page.content
