"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from schemajoy_site.celery import broker_available


def background_work(request: HttpRequest) -> dict[str, object]:
    """`background_paused`: the broker is unreachable, so snapshots and scoring wait."""
    if not request.user.is_authenticated:
        return {}
    return {"background_paused": not broker_available(max_age=settings.BROKER_CHECK_SECONDS)}
