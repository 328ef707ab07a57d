"""Test connection must not let a team member scan ports or test files (issue 15)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.urls import reverse

from catalog.introspection import IntrospectionError, introspect
from catalog.introspection.dsn import InvalidDSN, check_target_allowed, parse_dsn
from catalog.introspection.limits import Limits
from catalog.models import Connection

LIMITS = Limits(connect_timeout=1)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listener that accepts TCP and never answers: the connect timeout's case."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _message(dsn: str, limits: Limits = LIMITS) -> str:
    with pytest.raises(IntrospectionError) as caught:
        introspect(dsn, limits=limits)
    return caught.value.message


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_refused_silent_and_unknown_hosts_read_alike(dialect, silent_port):
    messages = {
        _message(f"{dialect}://u:pw@{host}:{port}/db").replace(f"{host}:{port}", "ADDRESS")
        for host, port in [
            ("127.0.0.1", _closed_port()),
            ("127.0.0.1", silent_port),
            ("no-such-host.invalid", 5432),
        ]
    }

    assert len(messages) == 1, messages
    assert "(refused, no answer, or unknown host)" in messages.pop()


def test_sqlite_paths_outside_the_root_are_refused_before_any_file_is_touched(tmp_path):
    limits = Limits(sqlite_root=str(tmp_path / "root"))
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "link.db").symlink_to("/etc/passwd")

    for path in ("/etc/passwd", tmp_path / "root" / ".." / "x.db", tmp_path / "root/link.db"):
        assert _message(f"sqlite:///{path}", limits) == (
            f"SQLite databases must lie under {tmp_path / 'root'} (SCHEMAJOY_SQLITE_ROOT); "
            "copy the file there or ask an administrator to change the setting."
        )


def test_hosts_outside_the_allow_list_are_refused_without_connecting():
    limits = Limits(allowed_hosts=("db.internal", "10.0.0.5"))

    check_target_allowed(parse_dsn("postgresql://u@DB.internal/x"), limits)
    with pytest.raises(InvalidDSN, match="only to these hosts.*: 10.0.0.5, db.internal."):
        check_target_allowed(parse_dsn("mysql://u@127.0.0.1:22/x"), limits)


@pytest.mark.django_db
def test_the_connection_form_refuses_files_outside_the_root(member_client, team, settings):
    response = member_client.post(
        reverse("catalog:connection_create"),
        {
            "name": "etc",
            "team": team.pk,
            "dsn": "sqlite:////etc/passwd",
            "schedule_interval": "3600",
        },
    )

    assert "SQLite databases must lie under" in response.content.decode()
    assert not Connection.objects.exists()


@pytest.mark.django_db
def test_snapshots_of_a_stored_path_outside_the_root_fail_with_the_reason(
    settings, make_connection
):
    from catalog.snapshots import take_snapshot

    # Stored before the root existed.
    connection = make_connection("sqlite:////etc/passwd", name="old")

    snapshot = take_snapshot(connection)

    assert snapshot.error_message.startswith("SQLite databases must lie under")
