from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

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


# Passwords with reserved characters (issue 15): never shown, whatever is in them.


def test_an_unencoded_slash_in_the_password_is_refused_with_how_to_encode_it():
    with pytest.raises(InvalidDSN, match="percent-encoded.*/ as %2F") as info:
        parse_dsn("postgresql://app:/S3cret@host:5432/db")

    assert "S3cret" not in str(info.value)
    assert redact_dsn("postgresql://app:/S3cret@host:5432/db") == "(invalid connection string)"


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://app:x@evil/y@host/db",
        "postgresql://app:pa?ss@host/db",
        "postgresql://app:pa#ss@host/db",
        "mysql://app:pa[ss@host/db",
    ],
)
def test_ambiguous_user_information_is_refused_rather_than_guessed(dsn):
    with pytest.raises(InvalidDSN, match="percent-encode"):
        parse_dsn(dsn)


def test_an_at_sign_in_the_password_ends_at_the_last_at_of_the_authority():
    target = parse_dsn("postgresql://app:p@ss:w@host:5433/db?sslmode=require&cert=a@b")

    assert (target.password, target.host, target.port, target.database) == (
        "p@ss:w",
        "host",
        5433,
        "db",
    )
    assert target.redacted() == "postgresql://app:***@host:5433/db"


PASSWORDS = st.text(min_size=1, max_size=40).filter(lambda p: "\x00" not in p)
TEMPLATE = "postgresql://app:{}@db.example:5432/shop"


@settings(max_examples=300, deadline=None)
@given(password=PASSWORDS)
def test_no_masked_form_holds_a_password_typed_as_is(password):
    dsn = TEMPLATE.format(password)
    # Short passwords ("#", "as") occur in the fixed texts by chance; the reserved
    # characters alone are tested above.
    assume(len(password) >= 6 and password not in TEMPLATE.format("***"))
    try:
        target = parse_dsn(dsn)
    except InvalidDSN as exc:
        assert password not in str(exc)
        return
    assert password not in target.redacted()
    assert password not in redact_dsn(dsn)


@settings(max_examples=300, deadline=None)
@given(password=PASSWORDS)
def test_a_percent_encoded_password_round_trips_and_is_masked(password):
    dsn = TEMPLATE.format(quote(password, safe=""))

    target = parse_dsn(dsn)

    assert target.password == password
    assert redact_dsn(dsn) == "postgresql://app:***@db.example:5432/shop"
