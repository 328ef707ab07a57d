"""SchemaJoy's own database unreachable: a clear 503 page instead of a traceback or a 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
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
