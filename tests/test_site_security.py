"""The site's own defences: deploy checks, CSP, debug masking, sign-in throttling, sessions."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from tests.test_docker_compose import env_example

BASE = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_at_warning_level_with_the_production_environment(tmp_path):
    env = {k: v for k, v in env_example().items() if v}
    env.update(
        SECURE_COOKIES="true",  # the production shape: served over HTTPS
        SECRET_KEY="x" * 20 + Fernet.generate_key().decode(),
        SCHEMAJOY_FERNET_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL="postgres://schemajoy@127.0.0.1:1/unused",
        SCHEMAJOY_VAR_DIR=str(tmp_path),
        PATH=os.environ["PATH"],
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy_without_inline_script(member_client):
    policy = member_client.get(reverse("catalog:connection_list"))["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_templates_hold_no_inline_script_style_attribute_or_event_handler():
    import re

    for path in (BASE / "templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        if "emails" in path.parts:
            continue  # mail clients need inline styles; the preview frame has its own CSP
        assert not re.search(r"\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path


def test_the_debug_page_masks_broker_urls_and_dsn_variables(settings):
    # Made up here, so that the traceback's source lines cannot hold them.
    broker_secret, dsn_secret = uuid.uuid4().hex, uuid.uuid4().hex
    settings.DEBUG = True
    settings.REDIS_URL = f"redis://:{broker_secret}@redis:6379/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    request = RequestFactory().get("/", REDIS_URL=settings.REDIS_URL)

    def fail(dsn: str) -> None:
        raise RuntimeError("boom")

    try:
        fail(f"postgresql://app:{dsn_secret}@db/shop")
    except RuntimeError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()

    assert broker_secret not in html and dsn_secret not in html
    assert "REDIS_URL" in html and "CELERY_BROKER_URL" in html


# Sign-in ------------------------------------------------------------------------------


@pytest.fixture
def own_cache(settings):
    """A private in-memory cache, so that counts neither leak in nor out of this test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "login-throttle-tests",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


def _sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_sign_in_pauses_an_account_after_repeated_failures_even_for_the_right_password(
    own_cache, settings
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    User.objects.create_user("alice", password="correct horse battery")
    client = Client()
    for _ in range(5):
        assert _sign_in(client, "alice", "wrong").status_code == 200

    refused = _sign_in(client, "Alice", "correct horse battery", address="10.0.0.2")

    assert refused.status_code == 429
    assert "Too many failed sign-ins for this account or from this address" in (
        refused.content.decode()
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_pauses_an_address_that_tries_many_accounts(own_cache, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    User.objects.create_user("bob", password="correct horse battery")
    client = Client()
    for name in ("a", "b", "c"):
        _sign_in(client, name, "guess")

    assert _sign_in(client, "bob", "correct horse battery").status_code == 429
    assert _sign_in(client, "bob", "correct horse battery", address="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_accounts_failures(own_cache, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    User.objects.create_user("carol", password="correct horse battery")
    client = Client()
    _sign_in(client, "carol", "wrong")
    _sign_in(client, "carol", "wrong")
    assert _sign_in(client, "carol", "correct horse battery").status_code == 302
    Client().post(reverse("logout"))

    _sign_in(client, "carol", "wrong")
    _sign_in(client, "carol", "wrong")
    assert _sign_in(Client(), "carol", "correct horse battery").status_code == 302


@pytest.mark.django_db
def test_the_admin_sign_in_is_throttled_too(own_cache, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    User.objects.create_superuser("root", "r@example.com", "correct horse battery")
    client = Client()
    url = reverse("admin:login")
    for _ in range(2):
        client.post(url, {"username": "root", "password": "x"}, REMOTE_ADDR="10.0.0.3")

    response = client.post(
        url, {"username": "root", "password": "correct horse battery"}, REMOTE_ADDR="10.0.0.3"
    )

    assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.django_db
def test_logout_works_on_post_only_and_sessions_expire(member_client, settings):
    assert member_client.get(reverse("logout")).status_code == 405
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert member_client.get(reverse("catalog:connection_list")).status_code == 200

    assert member_client.post(reverse("logout")).status_code == 302
    assert member_client.get(reverse("catalog:connection_list")).status_code == 302


@pytest.mark.django_db
def test_sign_in_still_works_when_the_throttles_redis_is_down(settings):
    # A port nothing listens on: the cache raises, sign-in goes on unthrottled.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    User.objects.create_user("dora", password="correct horse battery")

    assert _sign_in(Client(), "dora", "wrong").status_code == 200
    assert _sign_in(Client(), "dora", "correct horse battery").status_code == 302
