"""Sign-in with failures counted per account and per address (30 guesses took 7.7 s)."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpResponse


def _keys(username: str, address: str) -> tuple[str, str]:
    # Hashed: the cache never holds a user name typed by a stranger as a key.
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failures:account:{account}", f"login-failures:address:{address}"


def _count_failure(key: str) -> None:
    if not cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


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
        if (cache.get(account_key) or 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT or (
            cache.get(address_key) or 0
        ) >= settings.LOGIN_FAILURES_PER_ADDRESS:
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
