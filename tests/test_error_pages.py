"""Friendly error pages with DEBUG off (as the demo runs), never Django's debug page."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


@login_not_required
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken)]


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_friendly_not_found_page(member_client):
    response = member_client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html and "/no/such/page/" in html
    assert 'class="header-search"' in html  # the site's own layout
    assert "URLconf" not in html


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_friendly_error_page():
    client = Client(raise_request_exception=False)
    with pytest.raises(RuntimeError):  # the view, not the login redirect, raised
        Client().get("/boom/")
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "boom" not in html and "Traceback" not in html
