from __future__ import annotations

import pytest

from catalog.introspection.dsn import InvalidDSN, parse_dsn, redact_dsn


@pytest.mark.parametrize(
    ("dsn", "redacted"),
    [
        ("postgresql://app_ro:secret@db:5432/shop", "postgresql://app_ro:***@db:5432/shop"),
        ("postgres://app@db/shop", "postgresql://app@db:5432/shop"),
        ("mariadb://root:p%40ss@127.0.0.1/Chinook", "mysql://root:***@127.0.0.1:3306/Chinook"),
        ("sqlite:////var/lib/app.db", "sqlite:////var/lib/app.db"),
        ("sqlite:///relative.db", "sqlite:///relative.db"),
    ],
)
def test_redacted_form_hides_the_password(dsn, redacted):
    assert redact_dsn(dsn) == redacted


def test_password_is_url_decoded():
    assert parse_dsn("mysql://root:p%40ss@h/db").password == "p@ss"


@pytest.mark.parametrize(
    "dsn",
    ["", "oracle://u:p@h/db", "postgresql://u:p@h:port/db", "postgresql://u:p@h", "sqlite://"],
)
def test_invalid_strings_are_refused_without_echoing_secrets(dsn):
    with pytest.raises(InvalidDSN) as info:
        parse_dsn(dsn)
    assert ":p@" not in str(info.value)
