"""Redis (the broker) stopped: pages keep serving and say background work is paused; "Snapshot
now" says so and leaves nothing behind; work resumes when Redis returns. A private
redis-server on a free port plays the broker (the shared one is never touched)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from catalog.models import Connection, Snapshot
from schemajoy_site.celery import app as celery_app
from tests.fixtures.tcp import free_port
from tests.fixtures.worker import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PAUSED = "Background work is paused"
UNAVAILABLE = "Background work is unavailable right now; try again shortly."


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _pings(client), timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queue_length(self, queue: str) -> int:
        return redis.Redis.from_url(self.url).llen(queue)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def _use_broker(url: str) -> tuple[object, object, str]:
    """Point the app at another broker; returns what to give back to `_restore_broker`.
    The app's connection and producer pools bind to a broker once: new ones are made."""
    saved = (celery_app._pool, celery_app.amqp._producer_pool, celery_app.conf.broker_url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.broker_url = url
    return saved


def _restore_broker(saved: tuple[object, object, str]) -> None:
    celery_app.pool.force_close_all()  # the private broker's connections only
    celery_app._pool, celery_app.amqp._producer_pool, celery_app.conf.broker_url = saved


@pytest.fixture
def broker(tmp_path: Path, settings) -> Iterator[PrivateRedis]:
    settings.BROKER_CHECK_SECONDS = 0  # ask on every page, so the test sees each change
    private = PrivateRedis(tmp_path)
    private.start()
    saved = _use_broker(private.url)
    celery_app.conf.task_always_eager = False
    try:
        yield private
    finally:
        celery_app.conf.task_always_eager = True
        _restore_broker(saved)
        private.stop()


@pytest.fixture
def shop(make_connection, sqlite_target) -> Connection:
    return make_connection(
        sqlite_target("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);")
    )


def test_with_the_broker_down_pages_serve_and_snapshot_now_says_so_then_work_resumes(
    broker: PrivateRedis, shop: Connection, member_client, settings
) -> None:
    page = member_client.get(shop.get_absolute_url())
    assert page.status_code == 200 and PAUSED not in page.content.decode()

    broker.stop()

    page = member_client.get(shop.get_absolute_url())
    assert page.status_code == 200
    assert PAUSED in page.content.decode()
    assert member_client.get("/").status_code in (200, 302)
    url = f"/connections/{shop.pk}/snapshot/"
    response = member_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    shop.refresh_from_db()
    assert shop.last_status == Connection.Status.NEW  # not left "queued"
    assert not Snapshot.objects.filter(connection=shop).exists()
    response = member_client.post(url)  # without htmx: a message on the page
    assert response.status_code == 302
    assert UNAVAILABLE in member_client.get(response["Location"]).content.decode()

    broker.start()  # Redis is back, on the same port

    page = member_client.get(shop.get_absolute_url())
    assert PAUSED not in page.content.decode()
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    response = member_client.post(url, headers={"HX-Request": "true"})
    assert UNAVAILABLE not in response.content.decode()
    assert broker.queue_length(queue) == 1
    worker = start_worker(queue, REDIS_URL=broker.url)
    try:
        wait_for(lambda: Snapshot.objects.filter(connection=shop, status="succeeded").exists())
    finally:
        stop_worker(worker)
    shop.refresh_from_db()
    assert shop.last_status == Connection.Status.OK
