"""Connection strings encrypted at rest with Fernet; the key list rotates (first encrypts)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UndecryptableSecret(Exception):
    """No configured key decrypts the value: SCHEMAJOY_FERNET_KEYS lost the key it was made with."""


class CredentialsErased(UndecryptableSecret):
    """The connection's credentials were erased on purpose (it was disabled, not deleted)."""

    def __init__(self) -> None:
        super().__init__(
            "This connection's credentials were erased: edit it and enter a connection "
            "string to take snapshots again."
        )


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FERNET_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableSecret(
            "The stored connection string cannot be decrypted with the configured keys "
            "(SCHEMAJOY_FERNET_KEYS). Add the old key back or enter the connection string again."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt with the first key, so that old keys can be retired."""
    return _fernet().rotate(token.encode()).decode()
