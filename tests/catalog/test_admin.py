from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        User.objects.create_superuser("root", "root@example.com", "pw-for-tests-only")
    )
    return client


def test_admin_test_connection_action_reports_success_and_the_posture(
    admin_client, pg_target, make_connection
):
    ok = make_connection(pg_target.dsn, name="ok")  # as postgres: a superuser
    down = make_connection("postgresql://app:hunter2@127.0.0.1:1/db", name="down")

    response = admin_client.post(
        reverse("admin:catalog_connection_changelist"),
        {"action": "test_connection", "_selected_action": [ok.pk, down.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("ok: connected") and "superuser" in m for m in messages)
    assert any(m.startswith("down: ") and "127.0.0.1" in m for m in messages)
    assert not any("hunter2" in m for m in messages)


def test_admin_never_shows_the_connection_string(admin_client, make_connection):
    connection = make_connection("postgresql://app:hunter2@db:5432/shop", name="prod")
    html = admin_client.get(
        reverse("admin:catalog_connection_change", args=[connection.pk])
    ).content.decode()
    assert "hunter2" not in html
    assert "postgresql://app:***@db:5432/shop" in html


@pytest.mark.parametrize("model", ["schemachange", "announcement", "watch"])
def test_admin_lists_the_change_history_announcements_and_watches(admin_client, model):
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"))
    assert response.status_code == 200
