"""Deleting a connection: its credentials and all its history, or only its credentials."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from catalog.connections import delete_connection, erase_credentials
from catalog.documentation import set_column_doc
from catalog.models import (
    Column,
    Connection,
    DocRevision,
    SchemaDocument,
    Snapshot,
    Table,
    Team,
)
from catalog.snapshots import take_snapshot
from scoring.models import Finding, SnapshotScore
from scoring.runs import score_snapshot
from tests.catalog.docs_catalog import make_catalog, shop_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(team, member, tmp_path):
    """A connection with two snapshots (a shared and an own schema document), docs, scores."""
    connection = make_catalog(team, shop_model())
    shared = SchemaDocument.objects.create(fingerprint="a" * 64, document="{}")
    own = SchemaDocument.objects.create(fingerprint="b" * 64, document="{}")
    other = make_catalog(Team.objects.create(name="Other", slug="other"), shop_model(), name="o")
    Snapshot.objects.filter(connection=other).update(document=shared)
    snapshot = Snapshot.objects.get(connection=connection)
    Snapshot.objects.filter(pk=snapshot.pk).update(document=own)
    Snapshot.objects.create(
        connection=connection,
        started_at=timezone.now(),
        status=Snapshot.Status.SUCCEEDED,
        document=shared,
    )
    set_column_doc(Column.objects.get(table__connection=connection, name="status"), "Lifecycle",
                   user=member, base_version=0)  # fmt: skip
    SnapshotScore.objects.create(
        connection=connection, snapshot=snapshot, total=50, scored_at=timezone.now()
    )
    return connection


def test_the_confirmation_page_says_exactly_what_goes_and_that_the_target_is_untouched(
    member_client, shop
):
    html = member_client.get(reverse("catalog:connection_delete", args=[shop.pk])).content.decode()

    assert "Nothing in the database shop points at is touched" in html
    assert "2 snapshots, with 1 score and 0 findings" in html
    assert "2 tables and 7 columns" in html
    assert "1 description people wrote, with 1 revision" in html
    assert "its stored connection string (the credentials)" in html


def test_deleting_removes_the_connection_and_all_its_history_but_shared_documents(
    member_client, shop
):
    response = member_client.post(
        reverse("catalog:connection_delete", args=[shop.pk]), {"action": "delete"}
    )

    assert response["Location"] == reverse("catalog:connection_list")
    assert not Connection.objects.filter(pk=shop.pk).exists()
    assert not Snapshot.objects.filter(connection_id=shop.pk).exists()
    assert not Table.objects.filter(connection_id=shop.pk).exists()
    assert not Column.objects.filter(table__connection_id=shop.pk).exists()
    assert not DocRevision.objects.filter(table__connection_id=shop.pk).exists()
    assert not SnapshotScore.objects.filter(connection_id=shop.pk).exists()
    assert not Finding.objects.filter(connection_id=shop.pk).exists()
    assert list(SchemaDocument.objects.values_list("fingerprint", flat=True)) == ["a" * 64]
    assert Connection.objects.filter(name="o").exists()


def test_erasing_keeps_the_history_and_snapshots_then_refuse_clearly(member_client, shop):
    response = member_client.post(
        reverse("catalog:connection_delete", args=[shop.pk]), {"action": "erase"}
    )

    assert response["Location"] == shop.get_absolute_url()
    shop.refresh_from_db()
    assert (shop.dsn_encrypted, shop.dsn_redacted, shop.enabled) == ("", "", False)
    assert Table.objects.filter(connection=shop).count() == 2
    snapshot = take_snapshot(shop)
    assert snapshot.status == Snapshot.Status.FAILED
    assert snapshot.error_message.startswith("This connection's credentials were erased")
    assert "credentials erased" in member_client.get(shop.get_absolute_url()).content.decode()


def test_only_team_members_and_staff_may_delete(outsider_client, client, shop):
    url = reverse("catalog:connection_delete", args=[shop.pk])

    assert outsider_client.get(url).status_code == 403
    assert outsider_client.post(url, {"action": "delete"}).status_code == 403
    assert client.post(url, {"action": "delete"})["Location"].startswith(reverse("login"))
    assert Connection.objects.filter(pk=shop.pk).exists()


def test_a_post_without_a_choice_deletes_nothing(member_client, shop):
    response = member_client.post(reverse("catalog:connection_delete", args=[shop.pk]))

    assert response.status_code == 400
    assert Connection.objects.filter(pk=shop.pk).exists()


def test_the_admin_deletes_a_connection_with_snapshots(client, shop):
    client.force_login(User.objects.create_superuser("root", "r@example.com", "pw-tests-only"))
    url = reverse("admin:catalog_connection_delete", args=[shop.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Connection.objects.filter(pk=shop.pk).exists()


def test_a_lone_snapshot_that_catalog_rows_cite_still_cannot_be_deleted(shop):
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        Snapshot.objects.filter(connection=shop).order_by("started_at").first().delete()


def test_the_service_functions_never_contact_the_target(shop):
    # The DSN points at nothing that answers; neither function reaches for it.
    erase_credentials(shop)
    delete_connection(shop)

    assert not Connection.objects.filter(pk=shop.pk).exists()


def test_scored_connections_delete_with_their_findings(make_connection, sqlite_target):
    connection = make_connection(sqlite_target("CREATE TABLE t (x text)"), name="scored")
    score_snapshot(take_snapshot(connection))
    assert Finding.objects.filter(connection=connection).exists()

    delete_connection(connection)

    assert not Finding.objects.exists() and not SchemaDocument.objects.exists()
