"""The request types views are annotated with (django-htmx's documented typing pattern).

HtmxMiddleware gives every request ``htmx``; LoginRequiredMiddleware lets only signed-in
users reach a view unless it is marked ``login_not_required``, so such views may say
``SignedInRequest`` and read ``request.user`` as a ``User``.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class SignedInRequest(HtmxHttpRequest):
    user: User
