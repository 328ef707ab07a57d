"""Every URL of the project x {anonymous, owning team's member, other team's member, staff}
x {GET, POST}, with ids of the owning team's objects (IDOR), against the access table below.

The URLs come from walking the resolver, so a URL added anywhere without a rule here fails
this test. The rules, as README "Safety" documents them:
- anonymous: only the sign-in page; everything else redirects to it;
- any signed-in user reads every team's pages (schemas are shared knowledge in a company);
- only the owning team's members and staff write (edit, snapshot, delete, import, settle);
- the admin is for staff.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from catalog.documentation import set_table_doc
from catalog.models import ApiToken, Column, Diagram, DocRevision, SchemaChange, Table, Team, Watch
from catalog.tokens import create_token
from scoring.models import Waiver
from tests.catalog.docs_catalog import make_catalog, shop_model

pytestmark = pytest.mark.django_db

ANY = "any signed-in user"  # read: everyone who is signed in
TEAM = "owning team or staff"  # write: members of the object's team, and staff
PUBLIC = "anyone"
NONE = "method not allowed"
SIGN_OUT = "signs anyone out, then shows the sign-in page"
STAFF = "staff only"
NONE_PUBLIC = "method not allowed, signed in or not"
TOKEN = "a team's API token (Bearer), never a session"
# POSTs that need no CSRF token, and why: mail clients one-click unsubscribe (RFC 8058,
# the signed token is the check); CI jobs authenticate with a Bearer token, not a cookie.
CSRF_EXEMPT = {"scoring:digest_unsubscribe", "api_release_check", "api_announce"}

# URL name -> (who may GET, who may POST)
ACCESS: dict[str, tuple[str, str]] = {
    "login": (PUBLIC, PUBLIC),
    "logout": (NONE, SIGN_OUT),
    "catalog:connection_list": (ANY, NONE),
    "catalog:connection_create": (ANY, ANY),  # into one of the user's own teams
    "catalog:connection_detail": (ANY, NONE),
    "catalog:connection_edit": (TEAM, TEAM),
    "catalog:connection_delete": (TEAM, TEAM),
    "catalog:snapshot_now": (NONE, TEAM),
    "catalog:snapshot_status": (ANY, NONE),
    "catalog:connection_test": (NONE, TEAM),
    "catalog:table_detail": (ANY, NONE),
    "catalog:connection_diagram": (ANY, NONE),
    "catalog:diagram_status": (ANY, NONE),
    "catalog:diagram_file": (ANY, NONE),
    "catalog:table_diagram": (ANY, NONE),
    "catalog:search": (ANY, NONE),
    "catalog:doc_preview": (ANY, ANY),
    "catalog:table_doc": (ANY, NONE),
    "catalog:table_doc_edit": (TEAM, TEAM),
    "catalog:column_doc": (ANY, NONE),
    "catalog:column_doc_edit": (TEAM, TEAM),
    "catalog:doc_history": (ANY, NONE),
    "catalog:doc_revert": (NONE, TEAM),
    "catalog:comment_sql": (ANY, NONE),
    "catalog:dbt_export": (ANY, NONE),
    "catalog:dbt_import": (TEAM, TEAM),
    "catalog:dbt_import_apply": (NONE, TEAM),
    "catalog:docs_coverage": (ANY, NONE),
    "catalog:undocumented": (ANY, NONE),
    "scoring:scorecard": (ANY, NONE),
    "scoring:summary": (ANY, NONE),
    "scoring:findings": (ANY, NONE),
    "scoring:table_findings": (ANY, NONE),
    "scoring:waivers": (ANY, TEAM),
    "scoring:waiver_revoke": (NONE, TEAM),
    "scoring:connection_rules": (ANY, TEAM),
    "scoring:team_list": (ANY, NONE),
    "scoring:team_detail": (ANY, NONE),
    "scoring:team_rules": (ANY, TEAM),
    "scoring:team_create": (STAFF, STAFF),
    "scoring:team_member_add": (NONE, STAFF),
    "scoring:team_member_remove": (NONE, STAFF),
    "scoring:api_tokens": (ANY, TEAM),
    "scoring:api_token_revoke": (NONE, TEAM),
    "scoring:digest_preview": (ANY, NONE),
    "scoring:digest_html": (ANY, NONE),
    "scoring:digest_test": (NONE, TEAM),
    "scoring:digest_settings": (NONE, TEAM),
    "scoring:digest_subscriptions": (ANY, ANY),  # the user's own opt-ins
    "scoring:digest_unsubscribe": (PUBLIC, PUBLIC),  # the signed token decides
    "scoring:digest_resubscribe": (NONE_PUBLIC, PUBLIC),
    "overview": (ANY, NONE),
    "account": (ANY, NONE),
    "catalog:dbt_lineage": (ANY, TEAM),
    "catalog:connection_changes": (ANY, NONE),
    "catalog:table_changes": (ANY, NONE),
    "catalog:undo_rename": (NONE, TEAM),
    "catalog:connection_watch": (ANY, ANY),  # one's own watch
    "catalog:table_watch": (ANY, ANY),
    "catalog:unwatch": (NONE, ANY),  # only one's own watch is removed
    "api_release_check": (NONE_PUBLIC, TOKEN),
    "api_announce": (NONE_PUBLIC, TOKEN),
}
# Django's admin checks its own model permissions; the matrix checks its door.
DELEGATED_NAMESPACES = {"admin"}


def walk(resolver: URLResolver, namespace: str = "", route: str = "") -> list[tuple[str, str]]:
    """(qualified name, route) of every URL pattern; unnamed ones by their route."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in DELEGATED_NAMESPACES:
                continue
            ns = entry.namespace or ""
            found += walk(
                entry, f"{namespace}{ns}:" if ns else namespace, route + str(entry.pattern)
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"(unnamed) {route}{entry.pattern}"
            found.append((name, route + str(entry.pattern)))
    return found


def project_urls() -> list[tuple[str, str]]:
    return walk(get_resolver())


def test_every_url_of_the_project_has_a_declared_access_rule():
    undeclared = [f"{name} ({route})" for name, route in project_urls() if name not in ACCESS]

    assert not undeclared, (
        "These URLs have no access rule in tests/test_permissions.py ACCESS; declare who may "
        "GET and POST them (and check the view enforces it): " + ", ".join(undeclared)
    )
    stale = set(ACCESS) - {name for name, _ in project_urls()}
    assert not stale, f"ACCESS names URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(team):
    """Team A owns a catalog with every kind of object; team B owns another."""
    owner = User.objects.create_user("owner", password="x")
    team.members.add(owner)
    other_team = Team.objects.create(name="Other", slug="other")
    stranger = User.objects.create_user("stranger", password="x")
    other_team.members.add(stranger)
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    mine = make_catalog(team, shop_model())
    theirs = make_catalog(other_team, shop_model(), name="theirs")
    table = Table.objects.get(connection=mine, name="orders")
    set_table_doc(table, "Orders", user=owner, base_version=0)
    Diagram.objects.create(
        cache_key="k" * 40, connection=mine, fingerprint="f", params={}, format="svg",
        status=Diagram.Status.READY, content=b"<svg></svg>",
    )  # fmt: skip
    waiver = Waiver.objects.create(
        connection=mine, rule="pk-missing", pattern="public.orders", reason="legacy"
    )
    # A second member for staff to remove: the owner stays a member through the matrix.
    leaver = User.objects.create_user("leaver", password="x")
    team.members.add(leaver)
    _, _secret = create_token(team, name="ci", user=owner)
    snapshot = mine.snapshots.first()
    change = SchemaChange.objects.create(
        connection=mine, snapshot=snapshot, detected_at=timezone.now(), kind="column_dropped",
        object="public.orders.note", table="public.orders", schema="public", breaking=True,
        reason="dropped",
    )  # fmt: skip
    watch = Watch.objects.create(user=owner, connection=mine)
    ids = {
        "pk": mine.pk,
        "table_pk": table.pk,
        "column_pk": Column.objects.filter(table=table).first().pk,
        "revision_pk": DocRevision.objects.get(table=table).pk,
        "waiver_pk": waiver.pk,
        "slug": team.slug,
        "key": "k" * 40,
        "user_pk": leaver.pk,
        "token_pk": ApiToken.objects.get(team=team).pk,
        "change_pk": change.pk,
        "watch_pk": watch.pk,
        "token": "not-a-signed-token",
    }
    return {"owner": owner, "stranger": stranger, "staff": staff, "ids": ids, "theirs": theirs}


def _url(name: str, route: str, ids: dict[str, object]) -> str:
    kwargs = {
        key: value for key, value in ids.items() if f"<{key}>" in route or f":{key}>" in route
    }
    return reverse(name, kwargs=kwargs)


def _expected(rule: str, role: str) -> str:
    if rule == NONE:
        return "405" if role != "anonymous" else "login"
    if rule == NONE_PUBLIC:
        return "405"
    if rule == TOKEN:
        return "401"
    if rule == STAFF:
        return "login" if role == "anonymous" else "allowed" if role == "staff" else "403"
    if rule == PUBLIC:
        return "allowed"
    if rule == SIGN_OUT:
        return "login"
    if role == "anonymous":
        return "login"
    if rule == ANY or role in ("owner", "staff"):
        return "allowed"
    return "403"


def _outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (401, 403, 405):
        return str(response.status_code)
    assert response.status_code < 500, response
    assert response.status_code not in (401, 404), response
    return "allowed"


def test_access_matrix_over_every_url_role_and_method(world):
    failures = []
    checked = 0
    for name, route in project_urls():
        url = _url(name, route, world["ids"])
        get_rule, post_rule = ACCESS[name]
        for role in ("anonymous", "owner", "stranger", "staff"):
            client = Client()
            if role != "anonymous":
                client.force_login(world[role])
            for method, rule in (("GET", get_rule), ("POST", post_rule)):
                response = getattr(client, method.lower())(url)
                got, wanted = _outcome(response), _expected(rule, role)
                checked += 1
                if got != wanted:
                    failures.append(f"{method} {url} ({name}) as {role}: {got}, expected {wanted}")
    assert not failures, "\n".join(failures)
    assert checked >= 8 * len(ACCESS) - 8


def test_ids_of_another_teams_objects_under_ones_own_connection_are_not_found(world):
    """IDOR: the stranger owns connection "theirs"; A's table, column, revision and waiver
    ids under it must not resolve, for reading or writing."""
    client = Client()
    client.force_login(world["stranger"])
    ids = {**world["ids"], "pk": world["theirs"].pk, "slug": "other"}
    probed = 0
    for name, route in project_urls():
        if not any(f"{key}>" in route for key in ("table_pk", "column_pk", "revision_pk",
                                                    "waiver_pk", "key")):  # fmt: skip
            continue
        url = _url(name, route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            probed += 1
            assert response.status_code in (404, 405), f"{method} {url}: {response.status_code}"
    assert probed >= 20
    assert not Waiver.objects.exclude(revoked_at=None).exists()


def test_every_post_is_refused_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])
    refused = []
    for name, route in project_urls():
        if ACCESS[name][1] == NONE or name in CSRF_EXEMPT:
            continue
        response = client.post(_url(name, route, world["ids"]))
        if response.status_code == 403 and b"CSRF" in response.content:
            refused.append(name)
        else:
            pytest.fail(f"POST {name} without a CSRF token answered {response.status_code}")
    assert len(refused) >= 15


def test_the_admin_is_for_staff_only(world):
    url = reverse("admin:index")
    owner = Client()
    owner.force_login(world["owner"])
    staff = Client()
    staff.force_login(world["staff"])

    assert Client().get(url).status_code == 302
    assert owner.get(url)["Location"].startswith(reverse("admin:login"))
    assert staff.get(url).status_code == 200
    assert timezone.now()


BAD_QUERIES = [
    {"page": "abc"}, {"page": "-1"}, {"page": "9" * 5000}, {"depth": "x"}, {"depth": "-5"},
    {"depth": "9" * 5000}, {"format": "exe"}, {"q": "%" * 500}, {"schema": "x" * 10000},
    {"kind": "nope"}, {"engine": "rm -rf"}, {"table": "\\"}, {"severity": "x"}, {"rule": "'"},
    {"download": "1", "scope": "[]"}, {"q": "\x01\x02"}, {"compact": "maybe"}, {"next": "//evil"},
]  # fmt: skip


def test_bad_query_parameters_never_answer_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["owner"])
    errors = []
    for name, route in project_urls():
        if ACCESS[name][0] in (NONE, NONE_PUBLIC):
            continue
        url = _url(name, route, world["ids"])
        for query in BAD_QUERIES:
            status = client.get(url, query).status_code
            if status >= 500:
                errors.append(f"GET {url} {query}: {status}")
    assert not errors, "\n".join(errors)


BAD_POSTS = [
    {"base_version": "9" * 5000, "text": "x"}, {"base_version": "-1", "text": "\x00\x01"},
    {"token": "\x00", "action": "nonsense"}, {"name": "\x00", "dsn": "\x00", "team": "x"},
    {"rule": "\x00", "options": "{" * 5000, "severity": "9" * 5000, "pattern": "\x00"},
    {"expires_on": "99999-99-99", "scope": "x", "reason": "r" * 100_000},
]  # fmt: skip


def test_bad_form_posts_never_answer_500(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["owner"])
    errors = []
    for name, route in project_urls():
        if ACCESS[name][1] in (NONE, SIGN_OUT) or name == "catalog:connection_delete":
            continue
        url = _url(name, route, world["ids"])
        for data in BAD_POSTS:
            status = client.post(url, data).status_code
            if status >= 500:
                errors.append(f"POST {url} {list(data)}: {status}")
    assert not errors, "\n".join(errors)
