from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Team
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
