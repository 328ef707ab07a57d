"""Middleware that answers before any view: SchemaJoy's own database unreachable (a clear
503 page), and requests refused before they are read (too big, or holding NUL)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def unavailable_response() -> HttpResponse:
    # Rendered without the request: context processors would query the missing database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Connects before the session and the user are loaded, so an outage answers 503 here;
    a view whose queries fail with the connection gone answers the same."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if connection.connection is not None and not connection.is_usable():
                connection.close()  # a kept-alive connection the server dropped
            connection.ensure_connection()
        except (OperationalError, InterfaceError):
            log.warning("SchemaJoy's database is unreachable", exc_info=True)
            return unavailable_response()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            log.warning("SchemaJoy's database failed during %s", request.path, exc_info=True)
            connection.close()
            return unavailable_response()
        return None


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
        # The release-check API answers its own limit (RELEASE_API_MAX_BODY_BYTES) as JSON.
        if length > limit and not request.path.startswith("/api/"):
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
