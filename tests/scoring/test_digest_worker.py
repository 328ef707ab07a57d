"""A worker killed mid-send (a real Celery worker on Redis, SIGKILL): one e-mail each.

The SMTP server holds the second recipient's message without answering; the worker is
killed while it waits. That message was never accepted (no 250 reached the sender), so a
new worker that resumes the abandoned send (after the claim's lease) sends it, and only
it: the first recipient, marked delivered before the kill, gets nothing more.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.utils import timezone

from schemajoy_site.celery import app as celery_app
from scoring.digests import local_week
from scoring.mailings import team_schedule
from scoring.models import DigestSend
from scoring.tasks import send_digest_task, send_due_digests
from tests.catalog.test_worker import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS = os.environ.get("SCHEMAJOY_TEST_REDIS", "redis://127.0.0.1:6379/15")
LEASE_SECONDS = 3


class StallingServer:
    """Accepts messages, except that it holds the ``stall_at``-th without answering until
    released, then refuses it (451): what a sender that died meanwhile never hears."""

    def __init__(self, stall_at: int) -> None:
        self.stall_at = stall_at
        self.seen = 0
        self.accepted: list[str] = []
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.seen += 1
        if self.seen == self.stall_at:
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.accepted.append(message["To"])
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_worker(queue: str, smtp_port: int) -> subprocess.Popen[bytes]:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS,
        "SCHEMAJOY_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": "http://testserver",
        "SCHEMAJOY_DIGEST_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "schemajoy_site", "worker", "-Q", queue,
         "--concurrency", "1", "--pool", "threads", "-l", "warning",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_worker_killed_mid_send_leads_to_one_email_per_recipient(team):
    team.digest_recipients = "first@example.com\nsecond@example.com"
    team.save()
    week = local_week(team_schedule(team), timezone.now())
    server = StallingServer(stall_at=2)
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"sjt-digest-{secrets.token_hex(4)}"
    workers = [start_worker(queue, port)]
    celery_app.conf.task_always_eager = False
    try:
        send_digest_task.apply_async((team.pk, week), queue=queue)
        assert server.stalled.wait(60), "the worker never reached the second message"
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(10)
        server.release.set()

        row = DigestSend.objects.get(team=team, week=week)
        assert row.status == DigestSend.Status.SENDING  # abandoned mid-send
        assert [bool(r["sent_at"]) for r in row.recipients] == [True, False]
        assert server.accepted == ["first@example.com"]

        time.sleep(LEASE_SECONDS + 0.5)
        workers.append(start_worker(queue, port))
        send_due_digests.apply_async(queue=queue)  # the next beat finds it abandoned
        wait_for(lambda: DigestSend.objects.get(pk=row.pk).status == DigestSend.Status.SENT)
        time.sleep(1.0)  # anything more would arrive now

        assert sorted(server.accepted) == ["first@example.com", "second@example.com"]
        assert DigestSend.objects.get(pk=row.pk).attempts == 2
    finally:
        celery_app.conf.task_always_eager = True
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        server.release.set()
        controller.stop()
