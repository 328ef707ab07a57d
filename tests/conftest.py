from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Connection, Team
from schemajoy_site.celery import app as celery_app

# The broker of the few tests that run a real worker (tests/catalog/test_worker.py), set
# before any task is sent so that the app's producer pool binds to it once.
celery_app.conf.broker_url = os.environ.get("SCHEMAJOY_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _eager_celery() -> Iterator[None]:
    """Tasks run in-process unless a test starts a real worker (tests/catalog/test_worker.py)."""
    celery_app.conf.task_always_eager = True
    yield


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="Shop backend", slug="shop-backend")


# A DSN for connections whose target is never opened (pages, history, tasks that are mocked).
NEVER_OPENED = "sqlite:////nonexistent/schemajoy-never-opened.db"


@pytest.fixture
def make_connection(team: Team) -> Callable[..., Connection]:
    """Saves a connection to ``dsn``, of the ``team`` fixture unless another team is given;
    other keyword arguments are Connection fields (sampling_enabled=False, ...)."""

    def make(
        dsn: str = NEVER_OPENED, *, name: str = "shop", team: Team = team, **fields: Any
    ) -> Connection:
        connection = Connection(name=name, team=team, **fields)
        connection.set_dsn(dsn)
        connection.save()
        return connection

    return make


@pytest.fixture
def sqlite_target(tmp_path: Path) -> Callable[..., str]:
    """Runs an SQL script in a SQLite file under tmp_path and returns the file's DSN; the
    same ``name`` again changes the same database (the script runs on what is there)."""

    def build(script: str, *, name: str = "shop.db") -> str:
        path = tmp_path / name
        with closing(sqlite3.connect(path)) as db:
            db.executescript(script)
        return f"sqlite:///{path}"

    return build


@pytest.fixture
def member(team: Team) -> User:
    user = User.objects.create_user("alice", password="correct horse battery")
    team.members.add(user)
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return User.objects.create_user("mallory", password="correct horse battery")


@pytest.fixture
def member_client(member: User) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture(autouse=True)
def _sqlite_targets_under_the_test_temp_dir(settings, tmp_path_factory) -> None:
    """SQLite targets must lie under SCHEMAJOY_SQLITE_ROOT: the tests' files are in pytest's
    temporary directory, so that is the root while testing (workers get it by environment)."""
    settings.SCHEMAJOY_SQLITE_ROOT = tmp_path_factory.getbasetemp()
