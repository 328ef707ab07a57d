"""Requests refused before any view (or CSRF check) reads them: too big, or holding NUL."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict


class RequestLimitsMiddleware:
    """Refuses bodies over SCHEMAJOY_UPLOAD_MAX_BYTES by their Content-Length, before a byte
    is read (an oversized upload held a web worker), and NUL characters in query parameters
    and form fields (PostgreSQL refuses them in text, which was a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.SCHEMAJOY_UPLOAD_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(
                "Content-Length is not a number.", content_type="text/plain"
            )
        if length > limit:
            return HttpResponse(
                f"Uploads are limited to {limit // (1024 * 1024)} MB; this request has "
                f"{length / (1024 * 1024):.1f} MB.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        if _holds_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _holds_nul(request.POST)  # CsrfViewMiddleware parses it anyway
        ):
            return HttpResponseBadRequest(
                "Query parameters and form fields cannot contain NUL characters.",
                content_type="text/plain",
            )
        return self.get_response(request)


def _holds_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )
