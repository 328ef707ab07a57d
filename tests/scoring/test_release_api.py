"""The release-check API: token auth (401), team scope (403), body checks (400) that store
nothing, and good requests answering exactly what check_release prints."""

from __future__ import annotations

import gzip
import json
import zlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from catalog.models import Announcement, ApiToken, Connection, SchemaChange, Snapshot, Team, Watch
from catalog.tokens import create_token, revoke_token
from scoring.releases import load_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(release_shop, member) -> str:
    _, token = create_token(release_shop.team, name="CI", user=member)
    return token


@pytest.fixture
def body(release_shop, ci_database, tmp_path) -> bytes:
    ci_database.execute("ALTER TABLE orders DROP COLUMN note")
    schema = tmp_path / "schema.json"
    call_command("dump_schema", ci_database.dsn, "-o", str(schema), stderr=StringIO())
    return schema.read_bytes()


def post(url: str, body: bytes | str, *, token: str | None, **extra) -> object:
    # A client with CSRF checks on and no session: what a CI job is.
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, body, content_type="application/json", **headers, **extra)


def check_url(connection: Connection, query: str = "") -> str:
    return reverse("api_release_check", args=[connection.pk]) + query


def announce_url(connection: Connection, query: str = "") -> str:
    return reverse("api_announce", args=[connection.pk]) + query


def stored() -> tuple[int, ...]:
    return (
        Announcement.objects.count(),
        SchemaChange.objects.count(),
        Snapshot.objects.count(),
        ApiToken.objects.filter(last_used_at__isnull=False).count(),
    )


def command_json(connection: Connection, schema: bytes, tmp_path, *extra: str) -> dict:
    path = tmp_path / "candidate.json"
    path.write_bytes(schema)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "check_release", connection.name, "--candidate", str(path), "--format", "json",
            *extra, stdout=out,
        )  # fmt: skip
    return json.loads(out.getvalue())


def test_a_good_request_returns_the_same_json_as_the_command(release_shop, token, body, tmp_path):
    response = post(check_url(release_shop), body, token=token)

    assert response.status_code == 200
    assert response.json() == command_json(release_shop, body, tmp_path)
    assert response.json()["verdict"] == "fail"
    assert ApiToken.objects.get().last_used_at is not None
    assert (Announcement.objects.count(), SchemaChange.objects.count()) == (0, 0)


def test_max_drop_and_format_come_from_the_query_or_a_json_wrapper(
    release_shop, token, ci_database
):
    ci_database.execute("CREATE TABLE audit_log (message text)")
    document = json.dumps(load_candidate(ci_database.dsn))

    strict = post(check_url(release_shop), document, token=token).json()
    assert strict["verdict"] == "fail" and strict["changes"][0]["kind"] == "table_added"
    lenient = post(check_url(release_shop, "?max_drop=100"), document, token=token).json()
    assert lenient["verdict"] == "pass"
    wrapped = json.dumps({"candidate": json.loads(document), "max_drop": 100})
    assert post(check_url(release_shop), wrapped, token=token).json() == lenient

    markdown = post(check_url(release_shop, "?format=markdown"), document, token=token)
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown["SchemaJoy-Verdict"] == "fail"
    assert markdown.content.decode().startswith("### ❌ SchemaJoy release check fails: shop")


def test_announce_records_and_mails_like_the_command(
    release_shop, token, body, member, smtp_server, django_capture_on_commit_callbacks
):
    member.email = "alice@example.com"
    member.save()
    Watch.objects.create(user=member, connection=release_shop)
    message = "We drop orders.note on 12 Dec"

    with django_capture_on_commit_callbacks(execute=True):
        response = post(announce_url(release_shop), json.dumps({"candidate": json.loads(body),
                        "message": message}), token=token)  # fmt: skip

    assert response.status_code == 200
    result = response.json()
    assert result["announcement"]["author"].startswith("API token 'CI' (sjt_")
    assert result["announcement"]["changes"] == 1
    [row] = Announcement.objects.all()
    assert (row.kind, row.object, row.message, row.created_by) == (
        "column_dropped",
        "public.orders.note",
        message,
        member,
    )
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["alice@example.com"]

    query = post(announce_url(release_shop, "?message=Again%20on%2013%20Dec"), body, token=token)
    assert query.status_code == 200
    assert Announcement.objects.filter(message="Again on 13 Dec").count() == 1


@pytest.mark.parametrize(
    "header",
    [None, "Bearer sjt_not-a-real-token", "Basic dXNlcjpwYXNz", "revoked"],
)
@pytest.mark.parametrize("endpoint", [check_url, announce_url])
def test_a_missing_wrong_or_revoked_token_gets_401_and_stores_nothing(
    release_shop, token, body, header, endpoint
):
    if header == "revoked":
        revoke_token(ApiToken.objects.get())
        header = f"Bearer {token}"
    before = stored()
    client = Client(enforce_csrf_checks=True)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.post(
        endpoint(release_shop, "?message=x"), body, content_type="application/json", **extra
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "error" in response.json()
    assert stored() == before


@pytest.mark.parametrize("endpoint", [check_url, announce_url])
def test_another_teams_connection_gets_403_revealing_nothing(
    release_shop, body, endpoint, outsider
):
    other_team = Team.objects.create(name="Billing", slug="billing")
    _, other_token = create_token(other_team, name="CI", user=outsider)
    before = stored()

    theirs = post(endpoint(release_shop, "?message=x"), body, token=other_token)
    missing = post(
        reverse("api_release_check", args=[release_shop.pk + 1000]), body, token=other_token
    )

    assert theirs.status_code == missing.status_code == 403
    assert theirs.json() == missing.json() == {"error": "This token cannot use that connection."}
    assert stored() == before


def _wrong_shape(body: bytes) -> bytes:
    data = json.loads(body)
    data["tables"][0]["columns"][0]["nullable"] = "yes"
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("make_body", "query", "message"),
    [
        (lambda b: b"", "", "Send the dump_schema JSON as the request body"),
        (lambda b: b"{not json", "", "not valid JSON"),
        (lambda b: b"[1, 2]", "", "not a dump_schema document: the document: expected an object"),
        (_wrong_shape, "", "tables[0].columns[0].nullable: expected bool, not a string"),
        (lambda b: b'{"candidate": {}, "owner": 1}', "", "Unknown field 'owner'"),
        (lambda b: b, "?max_drop=lots", "max_drop takes score points"),
        (lambda b: b, "?max_drop=-1", "between 0 and 100"),
        (lambda b: b, "?format=xml", "format is json, text or markdown"),
    ],
)
@pytest.mark.parametrize("endpoint", [check_url, announce_url])
def test_a_malformed_body_or_parameter_gets_400_and_stores_nothing(
    release_shop, token, body, make_body, query, message, endpoint
):
    if endpoint is announce_url:
        query += ("&" if query else "?") + "message=Soon"
    before = stored()

    response = post(endpoint(release_shop, query), make_body(body), token=token)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored() == before


def test_an_announcement_without_message_gets_400(release_shop, token, body):
    response = post(announce_url(release_shop), body, token=token)

    assert response.status_code == 400
    assert "needs a message" in response.json()["error"]
    assert not Announcement.objects.exists()


def test_an_oversized_body_is_refused_by_its_content_length_before_reading(
    release_shop, token, settings
):
    settings.RELEASE_API_MAX_BODY_BYTES = 1000
    before = stored()

    class Unreadable:
        def read(self, *args):  # pragma: no cover - the view must not get here
            raise AssertionError("the body was read")

        readline = read

    client = Client(enforce_csrf_checks=True)
    response = client.generic(
        "POST",
        check_url(release_shop),
        b"",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        CONTENT_LENGTH="25000000",
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 400
    assert "at most 1000" in response.json()["error"]
    assert stored() == before


def test_the_endpoints_take_only_post(release_shop, token):
    client = Client()
    response = client.get(check_url(release_shop), HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 405


def test_a_connection_without_snapshot_gets_409(token, body, ci_database, make_connection):
    fresh = make_connection(ci_database.dsn, name="fresh")

    response = post(check_url(fresh), body, token=token)

    assert response.status_code == 409
    assert "no successful snapshot" in response.json()["error"]


def test_pages_stay_behind_the_login(release_shop):
    response = Client().get(release_shop.get_absolute_url())

    assert response.status_code == 302


def test_an_announcement_is_recorded_when_the_token_creator_has_no_email(release_shop, token, body):
    User.objects.filter(pk=ApiToken.objects.get().created_by_id).update(email="")

    response = post(announce_url(release_shop, "?message=Soon"), body, token=token)

    assert response.status_code == 200
    assert response.json()["announcement"]["changes"] == 1


def gzipped_post(url: str, body: bytes, *, token: str, encoding: str = "gzip") -> object:
    return post(url, body, token=token, HTTP_CONTENT_ENCODING=encoding)


def test_a_gzipped_compact_dump_returns_the_same_json_as_the_command(
    release_shop, ci_database, token, body, tmp_path
):
    compact = tmp_path / "compact.json"
    call_command("dump_schema", ci_database.dsn, "--compact", "-o", str(compact), stderr=StringIO())
    assert len(compact.read_bytes()) < len(body)

    response = gzipped_post(
        check_url(release_shop), gzip.compress(compact.read_bytes()), token=token
    )

    assert response.status_code == 200, response.content
    assert response.json() == command_json(release_shop, body, tmp_path)
    assert response.json() == command_json(release_shop, compact.read_bytes(), tmp_path)


def test_a_gzip_bomb_is_refused_quickly_and_stores_nothing(release_shop, token, settings):
    settings.RELEASE_API_MAX_BODY_BYTES = 20 * 1024 * 1024  # the default
    # 200 MB of JSON whitespace in about 200 KB: it must not be inflated whole.
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip, built by the MB
    bomb = b"".join(packer.compress(b" " * 1024 * 1024) for _ in range(200)) + packer.flush()
    assert len(bomb) < settings.RELEASE_API_MAX_BODY_BYTES
    before = stored()

    response = gzipped_post(check_url(release_shop), bomb, token=token)

    assert response.status_code == 400
    assert "inflates to more than 20971520 bytes" in response.json()["error"]
    assert stored() == before


@pytest.mark.parametrize(
    ("encoding", "make", "message"),
    [
        ("gzip", lambda body: gzip.compress(body)[:-20], "ends before the gzip stream does"),
        ("gzip", lambda body: body, "not valid gzip"),
        ("br", lambda body: body, "Content-Encoding 'br' is not taken"),
    ],
)
def test_a_broken_or_unknown_encoding_gets_400_and_stores_nothing(
    release_shop, token, body, encoding, make, message
):
    before = stored()

    response = gzipped_post(check_url(release_shop), make(body), token=token, encoding=encoding)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored() == before


def test_the_limit_applies_to_the_inflated_body(release_shop, token, body, settings):
    settings.RELEASE_API_MAX_BODY_BYTES = len(body) - 1
    packed = gzip.compress(body)
    assert len(packed) < len(body) - 1

    response = gzipped_post(check_url(release_shop), packed, token=token)

    assert response.status_code == 400
    assert f"at most {len(body) - 1}" in response.json()["error"]
