"""Fixture plugins shared by the whole suite (pytest only allows this at the root)."""

from __future__ import annotations

pytest_plugins = [
    "tests.fixtures.postgres_targets",
    "tests.fixtures.mysql_targets",
    "tests.fixtures.smtp",
]
