"""Team API tokens: made with `secrets`, stored as a sha256 digest, shown once.

A token is "sjt_" + 32 random bytes (URL-safe base64): far too much entropy to guess,
so a fast hash is enough (a slow password hash would only slow every API call down).
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from catalog.models import ApiToken, Team

PREFIX = "sjt_"
SHOWN = 12  # characters of the token kept in clear, to recognise it


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(team: Team, *, name: str, user: User | None) -> tuple[ApiToken, str]:
    """A new token for ``team``: the row, and the token itself (never stored, shown once)."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        team=team,
        name=name.strip()[:100] or "CI",
        prefix=token[:SHOWN],
        digest=digest_of(token),
        created_by=user,
    )
    return row, token


def revoke_token(row: ApiToken) -> None:
    ApiToken.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate_token(header: str) -> ApiToken | None:
    """The active token an ``Authorization: Bearer …`` header names, or None."""
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > 200:
        return None
    return (
        ApiToken.objects.select_related("team", "created_by")
        .filter(digest=digest_of(token), revoked_at__isnull=True)
        .first()
    )


def touch_token(row: ApiToken) -> None:
    """Remember a successful use (refused requests store nothing, not even this)."""
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
