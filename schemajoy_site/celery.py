from __future__ import annotations

import os
import threading
import time

import redis
from celery import Celery
from kombu.exceptions import OperationalError as KombuOperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schemajoy_site.settings")

app = Celery("schemajoy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# What sending a task raises when the broker cannot be reached.
BROKER_ERRORS = (KombuOperationalError, OSError)
BACKGROUND_UNAVAILABLE = "Background work is unavailable right now; try again shortly."

_checked: dict[str, tuple[float, bool]] = {}
_checked_lock = threading.Lock()


def broker_available(*, max_age: float) -> bool:
    """Whether the broker answers, asked at most every `max_age` seconds per process.

    Pages call this on every render (the background-work banner), so a cached answer keeps it
    cheap, and a down broker costs one short connect attempt per interval, not per page.
    """
    url = app.conf.broker_url
    if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return True  # embedded mode: tasks run in-process
    now = time.monotonic()
    with _checked_lock:
        cached = _checked.get(url)
    if cached is not None and now - cached[0] < max_age:
        return cached[1]
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        with client:
            available = bool(client.ping())
    except (redis.RedisError, OSError):
        available = False
    with _checked_lock:
        _checked[url] = (now, available)
    return available
