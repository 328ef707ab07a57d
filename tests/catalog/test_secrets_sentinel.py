"""A sentinel password in a connection's DSN goes everywhere the DSN does, and is never seen:
not in a response, a log line, an e-mail, a Celery message, Redis, or SchemaJoy's database
in clear (issue 13, "Permissions and secrets")."""

from __future__ import annotations

import logging
import secrets

import pytest
import redis
from celery.signals import before_task_publish
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection as db_connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Connection, Snapshot
from catalog.tasks import snapshot_connection
from schemajoy_site.celery import app as celery_app
from tests.catalog import test_worker
from tests.fixtures import worker as worker_process

pytestmark = pytest.mark.django_db(transaction=True)

worker = test_worker.worker  # the real Celery worker on Redis (SCHEMAJOY_TEST_REDIS)


def all_text_in_the_database() -> str:
    """Every row of every table of SchemaJoy's database, as text."""
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        chunks = []
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} t")  # names from the catalog
            chunks += [row[0] for row in cursor.fetchall()]
    assert len(tables) > 10
    return "\n".join(chunks)


def all_of_redis(url: str) -> str:
    client = redis.Redis.from_url(url)
    out = []
    for key in client.scan_iter(count=1000):
        kind = client.type(key).decode()
        if kind == "string":
            out.append(client.get(key))
        elif kind == "list":
            out += client.lrange(key, 0, -1)
        elif kind == "hash":
            out += [k + b"=" + v for k, v in client.hgetall(key).items()]
        elif kind in ("set", "zset"):
            out += list(client.smembers(key) if kind == "set" else client.zrange(key, 0, -1))
        out.append(key)
    return b"\n".join(out).decode("utf-8", "replace")


def test_a_sentinel_password_is_never_seen_anywhere(
    worker, pg_target, team, caplog, settings, make_connection
):
    sentinel = f"Sentinel-{secrets.token_hex(8)}"
    role = pg_target.create_role("app", password=sentinel)
    pg_target.execute("CREATE TABLE orders (id bigint PRIMARY KEY, status text)")
    pg_target.execute(f'GRANT SELECT ON orders TO "{role}"')
    member = User.objects.create_user("alice-s", password="correct horse battery")
    team.members.add(member)
    staff = User.objects.create_superuser("root-s", "root@example.com", "correct horse battery")
    client, admin = Client(), Client()
    client.force_login(member)
    admin.force_login(staff)
    caplog.set_level(logging.DEBUG)
    published: list[str] = []

    def capture(body=None, headers=None, **kwargs):
        published.append(repr(body) + repr(headers))

    before_task_publish.connect(capture)
    # "Snapshot now" enqueues too: onto the worker's queue.
    default_queue, celery_app.conf.task_default_queue = celery_app.conf.task_default_queue, worker
    responses = []
    try:
        with CaptureQueriesContext(db_connection) as queries:
            good = pg_target.dsn_as(role, password=sentinel)
            responses.append(
                client.post(
                    reverse("catalog:connection_create"),
                    {"name": "app", "team": team.pk, "dsn": good, "schedule_interval": "3600"},
                )
            )
            connection = Connection.objects.get(name="app")
            assert connection.get_dsn() == good
            # A bad DSN, an unreachable one, and a reserved character: the error paths.
            for bad in (
                good.replace("@127.0.0.1:5432", "@127.0.0.1:notaport"),
                good.replace("@127.0.0.1:5432", "@127.0.0.1:1"),
                f"postgresql://app:/{sentinel}@127.0.0.1:1/db",
            ):
                responses.append(
                    client.post(
                        reverse("catalog:connection_create"),
                        {"name": "bad", "team": team.pk, "dsn": bad, "schedule_interval": "3600"},
                    )
                )
            unreachable = make_connection(
                good.replace("@127.0.0.1:5432", "@127.0.0.1:1"), name="down"
            )
            for target in (connection, unreachable):
                responses.append(client.post(reverse("catalog:connection_test", args=[target.pk])))
                responses.append(client.post(reverse("catalog:snapshot_now", args=[target.pk])))
                responses.append(client.get(target.get_absolute_url()))
                responses.append(client.get(reverse("catalog:connection_edit", args=[target.pk])))
                responses.append(
                    admin.get(reverse("admin:catalog_connection_change", args=[target.pk]))
                )
            responses.append(admin.get(reverse("admin:catalog_connection_changelist")))
            responses.append(admin.get(reverse("admin:catalog_snapshot_changelist")))
            responses.append(client.get(reverse("catalog:connection_list")))
            # And scheduled ones, also through the real worker on Redis, once the manual ones
            # are done (one arriving while its connection's snapshot runs is refused).
            worker_process.wait_for(
                lambda: (
                    Snapshot.objects.exclude(status="running").count() >= 2
                    and not Connection.objects.filter(snapshot_lock_at__isnull=False).exists()
                )
            )
            snapshot_connection.apply_async((connection.pk, "schedule"), queue=worker)
            snapshot_connection.apply_async((unreachable.pk, "schedule"), queue=worker)
            worker_process.wait_for(lambda: Snapshot.objects.exclude(status="running").count() >= 4)
            responses.append(client.get(connection.get_absolute_url()))
            responses.append(client.get(unreachable.get_absolute_url()))
    finally:
        before_task_publish.disconnect(capture)
        celery_app.conf.task_default_queue = default_queue

    assert Snapshot.objects.filter(connection=connection, status="succeeded").count() == 2
    # At least: on a slow run, a retry of an unreachable target's attempt (30 s later) adds one.
    assert Snapshot.objects.filter(connection=unreachable, status="failed").count() >= 2
    seen = {
        "responses": "\n".join(r.content.decode() + str(r.headers) for r in responses),
        "log records": "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records),
        "e-mails": "\n".join(m.message().as_string() for m in mail.outbox),
        "Celery messages": "\n".join(published),
        "Redis": all_of_redis(worker_process.REDIS),
        "SQL sent to SchemaJoy's database": "\n".join(q["sql"] for q in queries.captured_queries),
        "SchemaJoy's database": all_text_in_the_database(),
    }
    assert len(published) >= 2 and len(queries.captured_queries) > 20
    assert "Could not reach" in seen["responses"]  # the error paths did run
    leaks = [where for where, text in seen.items() if sentinel in text]
    assert not leaks, f"the sentinel password appeared in: {leaks}"
