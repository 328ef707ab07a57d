from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from catalog import crypto
from catalog.models import Connection

pytestmark = pytest.mark.django_db


def test_connection_string_is_encrypted_at_rest(make_connection):
    make_connection("postgresql://app_ro:hunter2@db:5432/shop")

    stored = Connection.objects.values("dsn_encrypted", "dsn_redacted").get()
    assert "hunter2" not in stored["dsn_encrypted"]
    assert stored["dsn_redacted"] == "postgresql://app_ro:***@db:5432/shop"
    assert Connection.objects.get().get_dsn() == "postgresql://app_ro:hunter2@db:5432/shop"


def test_keys_rotate_old_tokens_still_decrypt(settings):
    old_key = settings.FERNET_KEYS[0]
    token = crypto.encrypt("postgresql://u:p@h/d")
    settings.FERNET_KEYS = [Fernet.generate_key().decode(), old_key]

    assert crypto.decrypt(token) == "postgresql://u:p@h/d"
    rotated = crypto.rotate(token)
    settings.FERNET_KEYS = settings.FERNET_KEYS[:1]
    assert crypto.decrypt(rotated) == "postgresql://u:p@h/d"


def test_lost_key_gives_a_clear_error(settings):
    token = crypto.encrypt("postgresql://u:p@h/d")
    settings.FERNET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableSecret, match="SCHEMAJOY_FERNET_KEYS"):
        crypto.decrypt(token)
