"""The release-check API for CI jobs, and the team tokens it takes.

Tokens are created and revoked on the team page by its members (session, CSRF). The two
API endpoints take ``Authorization: Bearer <token>`` instead: they are the only views
exempt from CSRF and from the login middleware, and they check, in this order, the token
(401), that the connection belongs to the token's team (403, the same for a connection
that does not exist), and the body (400), before anything is stored.
"""

from __future__ import annotations

import zlib
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.dumps import SchemaFileError, check_schema_document
from catalog.http import SignedInRequest
from catalog.models import ApiToken, Connection, Team
from catalog.tokens import authenticate_token, create_token, revoke_token, touch_token
from scoring.releases import FORMATS, ReleaseCheckError, announce_release, run_release_check

# Tokens ---------------------------------------------------------------------


def _tokens_page(request: SignedInRequest, team: Team, **extra: Any) -> HttpResponse:
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
def api_tokens(request: SignedInRequest, slug: str) -> HttpResponse:
    """GET: the team's tokens. POST: a new one, shown in this response and never again."""
    team = get_object_or_404(Team, slug=slug)
    if request.method == "GET":
        return _tokens_page(request, team)
    team.require_edit(request.user, to="create its API tokens")
    name = request.POST.get("name", "").strip()
    if not name:
        return _tokens_page(request, team, error="Name the token after where it is used.")
    row, token = create_token(team, name=name, user=request.user)
    response = _tokens_page(request, team, new_token=token, new_token_row=row)
    # The page holds a secret: never from a cache.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request: SignedInRequest, slug: str, token_pk: int) -> HttpResponse:
    team = get_object_or_404(Team, slug=slug)
    team.require_edit(request.user, to="revoke its API tokens")
    revoke_token(get_object_or_404(ApiToken, pk=token_pk, team=team))
    if request.htmx:
        return _tokens_page(request, team)
    return redirect("scoring:api_tokens", team.slug)


# The API ----------------------------------------------------------------------


class BadRequest(Exception):
    pass


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SchemaJoy"'
    return response


def _read_body(request: HttpRequest) -> bytes:
    """The body, refused by its Content-Length before a byte is read when too big.

    ``Content-Encoding: gzip`` is decompressed here, chunk by chunk, and the limit applies
    to the decompressed size: a body that inflates past it (a gzip bomb) is refused as soon
    as it does, having cost at most the limit in memory.
    """
    limit = settings.RELEASE_API_MAX_BODY_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("The Content-Length header is not a number.") from None
    if length <= 0:
        raise BadRequest(
            "Send the dump_schema JSON as the request body (curl --data-binary @schema.json)."
        )
    if length > limit:
        raise BadRequest(
            f"The body is {length} bytes; this server takes at most {limit} "
            "(RELEASE_API_MAX_BODY_BYTES)."
        )
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding == "identity":
        # Read the stream ourselves: request.body would apply DATA_UPLOAD_MAX_MEMORY_SIZE.
        return request.read(length)
    if encoding not in ("gzip", "x-gzip"):
        raise BadRequest(f"Content-Encoding {encoding!r} is not taken; send gzip or nothing.")
    return _gunzip(request, length, limit)


_CHUNK = 64 * 1024


def _gunzip(request: HttpRequest, length: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    out = bytearray()
    left = length

    def too_big() -> BadRequest:
        return BadRequest(
            f"The body inflates to more than {limit} bytes; this server takes at most {limit} "
            "(RELEASE_API_MAX_BODY_BYTES, applied to the decompressed body)."
        )

    try:
        while left > 0 and not inflater.eof:
            chunk = request.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            # max_length bounds each step's output: never more than the limit plus one chunk.
            data = chunk
            while data and not inflater.eof:
                out += inflater.decompress(data, limit + 1 - len(out))
                if len(out) > limit:
                    raise too_big()
                data = inflater.unconsumed_tail
    except zlib.error as exc:
        raise BadRequest(f"The body is not valid gzip: {exc}.") from None
    if not inflater.eof:
        raise BadRequest("The body is not valid gzip: it ends before the gzip stream does.")
    return bytes(out)


def _parameters(request: HttpRequest, *, announce: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(candidate schema document, {"max_drop", "message", "format"}) from the body and the
    query.

    The body is the dump_schema JSON itself, or {"candidate": <it>, "max_drop": …,
    "message": …}; query parameters of the same names win over the JSON ones.
    """
    try:
        data = orjson.loads(_read_body(request))
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}.") from None
    extra: dict[str, Any] = {}
    if isinstance(data, dict) and "candidate" in data:
        extra = {k: v for k, v in data.items() if k != "candidate"}
        unknown = sorted(set(extra) - {"max_drop", "message"})
        if unknown:
            raise BadRequest(f"Unknown field {unknown[0]!r} beside 'candidate'.")
        data = data["candidate"]
    try:
        check_schema_document(data)
    except SchemaFileError as exc:
        raise BadRequest(f"The body is not a dump_schema document: {exc}") from None
    raw_drop = request.GET.get("max_drop", extra.get("max_drop", 0))
    try:
        max_drop = float(raw_drop)
    except (TypeError, ValueError):
        raise BadRequest(f"max_drop takes score points, not {raw_drop!r}.") from None
    if not 0 <= max_drop <= 100:
        raise BadRequest("max_drop is between 0 and 100 points.")
    message = request.GET.get("message", extra.get("message", ""))
    if not isinstance(message, str):
        raise BadRequest("message is text.")
    if announce and not message.strip():
        raise BadRequest("An announcement needs a message saying what changes and when.")
    output = request.GET.get("format", "json")
    if output not in ("json", "text", "markdown"):
        raise BadRequest("format is json, text or markdown.")
    return data, {"max_drop": max_drop, "message": message, "format": output}


def _release_api(request: HttpRequest, pk: int, *, announce: bool) -> HttpResponse:
    token = authenticate_token(request.headers.get("Authorization", ""))
    if token is None:
        return _error(401, "Send a valid team token: Authorization: Bearer <token>.")
    # Someone else's connection and no connection look the same: nothing is revealed.
    connection = (
        Connection.objects.select_related("team").filter(pk=pk, team_id=token.team_id).first()
    )
    if connection is None:
        return _error(403, "This token cannot use that connection.")
    try:
        candidate, params = _parameters(request, announce=announce)
    except BadRequest as exc:
        return _error(400, str(exc))
    try:
        check = run_release_check(connection, candidate, max_drop=params["max_drop"])
        result = check.result
        if announce:
            result["announcement"] = announce_release(
                check,
                message=params["message"],
                author=token.created_by,
                author_label=f"API token {token.name!r} ({token.prefix}…)",
            )
    except ReleaseCheckError as exc:
        return _error(409, str(exc))
    touch_token(token)
    if params["format"] == "json":
        response: HttpResponse = JsonResponse(result, json_dumps_params={"ensure_ascii": False})
    else:
        content_type = "text/markdown" if params["format"] == "markdown" else "text/plain"
        response = HttpResponse(
            FORMATS[params["format"]](result), content_type=f"{content_type}; charset=utf-8"
        )
    # A CI job that asked for markdown (to post it) still learns the verdict.
    response["SchemaJoy-Verdict"] = result["verdict"]
    return response


@csrf_exempt  # token-authenticated, no cookies: CSRF does not apply
@login_not_required
@require_POST
def release_check_api(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /api/connections/<id>/release-check: the JSON of `check_release --format json`."""
    return _release_api(request, pk, announce=False)


@csrf_exempt
@login_not_required
@require_POST
def announce_api(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /api/connections/<id>/announce: the release check, with its changes announced."""
    return _release_api(request, pk, announce=True)
