"""The release-check API for CI jobs, and the team tokens it takes.

Tokens are created and revoked on the team page by its members (session, CSRF). The two
API endpoints take ``Authorization: Bearer <token>`` instead: they are the only views
exempt from CSRF and from the login middleware, and they check, in this order, the token
(401), that the connection belongs to the token's team (403, the same for a connection
that does not exist), and the body (400), before anything is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.models import ApiToken, Team
from catalog.tokens import create_token, revoke_token

# Tokens ---------------------------------------------------------------------


def _tokens_page(request: HttpRequest, team: Team, **extra: Any) -> HttpResponse:
    can_edit = team.can_edit(request.user)
    context = {
        "team": team,
        "can_edit": can_edit,
        # Only members see the team's tokens (names and prefixes are no one else's business).
        "tokens": list(ApiToken.objects.filter(team=team).select_related("created_by"))
        if can_edit
        else [],
        **extra,
    }
    template = "scoring/api_tokens.html"
    status = 400 if extra.get("error") else 200
    return render(
        request, template + "#tokens" if request.htmx else template, context, status=status
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the team's tokens. POST: a new one, shown in this response and never again."""
    team = get_object_or_404(Team, slug=slug)
    if request.method == "GET":
        return _tokens_page(request, team)
    if not team.can_edit(request.user):
        raise PermissionDenied("Only members of this team can create its API tokens.")
    name = request.POST.get("name", "").strip()
    if not name:
        return _tokens_page(request, team, error="Name the token after where it is used.")
    row, token = create_token(team, name=name, user=request.user)
    response = _tokens_page(request, team, new_token=token, new_token_row=row)
    # The page holds a secret: never from a cache.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request: HttpRequest, slug: str, token_pk: int) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    if not team.can_edit(request.user):
        raise PermissionDenied("Only members of this team can revoke its API tokens.")
    revoke_token(get_object_or_404(ApiToken, pk=token_pk, team=team))
    if request.htmx:
        return _tokens_page(request, team)
    return redirect("scoring:api_tokens", team.slug)
