"""Sign-in with failures counted per account and per address (30 guesses took 7.7 s)."""

from __future__ import annotations

import hashlib
import logging
from contextlib import suppress
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpResponse
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CACHE_DOWN = (RedisError, OSError)


def _keys(username: str, address: str) -> tuple[str, str]:
    # Hashed: the cache never holds a user name typed by a stranger as a key.
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failures:account:{account}", f"login-failures:address:{address}"


def _count_failure(key: str) -> None:
    try:
        if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    except CACHE_DOWN:
        log.warning("login throttle: the cache is unreachable; failure not counted")


def _failures(key: str) -> int:
    try:
        return int(cache.get(key) or 0)
    except CACHE_DOWN:
        # Redis down must not lock everyone out (nor answer 500): sign-in stays open.
        log.warning("login throttle: the cache is unreachable; not throttling")
        return 0


THROTTLED = (
    "Too many failed sign-ins for this account or from this address. "
    "Wait %(minutes)s minutes, then try again."
)


class ThrottledAuthenticationForm(AuthenticationForm):
    throttled = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = (self.request.META.get("REMOTE_ADDR") or "unknown") if self.request else ""
        account_key, address_key = _keys(username, address)
        if (
            _failures(account_key) >= settings.LOGIN_FAILURES_PER_ACCOUNT
            or _failures(address_key) >= settings.LOGIN_FAILURES_PER_ADDRESS
        ):
            # Refused before the password is checked: a right guess cannot be told apart.
            self.throttled = True
            raise forms.ValidationError(
                THROTTLED,
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            _count_failure(account_key)
            _count_failure(address_key)
            raise
        with suppress(*CACHE_DOWN):
            cache.delete(account_key)
        return cleaned


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's sign-in counts against the same limits."""
