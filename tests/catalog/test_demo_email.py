"""`make demo` leaves this week's e-mail under var/mail/ and prints its preview's address."""

from __future__ import annotations

import io
from email import message_from_binary_file, policy

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_leaves_this_weeks_email_under_var_mail_and_prints_the_preview(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    out = io.StringIO()
    call_command("demo", "--url", "http://127.0.0.1:8011/", stdout=out)

    printed = out.getvalue()
    assert "this week's e-mail: http://127.0.0.1:8011/scores/teams/shop-backend/digest/" in printed
    assert "password: " in printed
    [path] = (tmp_path / "mail").iterdir()
    with path.open("rb") as file:
        message = message_from_binary_file(file, policy=policy.default)
    assert message["To"] == "demo@example.com"
    assert message["Subject"].startswith("Shop backend schema health, ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "main.orders.shipped_at" in text  # the demo history's breaking changes
    assert "http://127.0.0.1:8011/scores/teams/shop-backend/" in text
