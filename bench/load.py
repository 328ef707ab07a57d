"""Pages under load while a real worker snapshots on a short schedule; then two workers sharing
fifty connections. Traffic goes to 127.0.0.1 only; Redis is a private redis-server.

    python -m bench.load [--users 16] [--seconds 60] [--phase pages|shared|all]

Phase "pages": gunicorn (2 workers) serves the scorecard, findings, table, search, team and
diagram pages to N users (threads with keep-alive connections, no think time) while a Celery
worker with beat snapshots 20 connections (corpus schemas and the 5,000-table synthetic one)
every SNAPSHOT_INTERVAL seconds. Reports throughput and p50/p95/p99 per page, errors, the
worker's memory (RSS of the worker and its children, sampled), and whether any due snapshot
was lost or taken twice.

Phase "shared": two workers on one Redis share 50 connections (SQLite targets, short
interval): every due snapshot must be taken exactly once.

Goals: p95 < 300 ms per page on this 2-core machine, no errors, nothing lost or duplicated,
worker memory flat.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from bench.scratch import django_app
from bench.synthetic import build_database
from tests.fixtures.postgres_targets import create_database, dsn_for, load_corpus, unique_name
from tests.fixtures.tcp import free_port

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ("pagila", "chinook_pg", "northwind", "gisia", "openstreetmap", "musicbrainz")
SYNTHETIC_TABLES = 5000
SNAPSHOT_INTERVAL = 30  # seconds, phase "pages"
SHARED_INTERVAL = 10  # seconds, phase "shared"
BEAT_SECONDS = 2


# Processes ------------------------------------------------------------------


def start_redis(directory: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def environment(redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "SCHEMAJOY_BEAT_SECONDS": str(BEAT_SECONDS),
        **extra,
    }


def start_worker(env: dict[str, str], *, beat: Path | None, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "schemajoy_site", "worker"]
    # -l info: every received task is logged with its id, the count of due snapshots sent.
    command += ["--concurrency", "2", "-l", "info", "--without-gossip", "--without-mingle"]
    if beat is not None:
        command += ["--beat", "--schedule", str(beat)]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and its descendants (prefork children), from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        stack += [int(c) for c in children]
    return total / 1024


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.samples.append(tree_rss_mb(self.pid))


# Load -------------------------------------------------------------------------


def load(port: int, cookie: str, pages: dict[str, list[str]], users: int, seconds: float):
    """`users` threads, each on one keep-alive connection, fetch random pages until time's up."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            name = rng.choice(list(pages))
            path = rng.choice(pages[name])
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                error = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies[name].append(elapsed)
                else:
                    errors[name].append(f"{status} {path}" if status else error)
        conn.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def report_pages(latencies, errors, seconds: float) -> bool:
    ok = True
    total = sum(len(v) for v in latencies.values())
    print(
        f"\n{'page':<12}{'req':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    for name in sorted(set(latencies) | set(errors)):
        values = latencies.get(name, [])
        p = [percentile(values, q) * 1000 if values else float("nan") for q in (50, 95, 99)]
        n_err = len(errors.get(name, []))
        print(
            f"{name:<12}{len(values):>7}{len(values) / seconds:>8.1f}"
            f"{p[0]:>9.0f}{p[1]:>9.0f}{p[2]:>9.0f}{n_err:>8}"
        )
        ok &= bool(values) and p[1] < 300 and n_err == 0
    print(f"{'all':<12}{total:>7}{total / seconds:>8.1f}")
    for name, items in errors.items():
        print(f"  {name} errors, first: {items[:3]}")
    return ok


# Snapshot accounting -----------------------------------------------------------


RECEIVED = re.compile(r"Task catalog\.tasks\.snapshot_connection\[([0-9a-f-]+)\] received")


def check_schedule(connection_ids: list[int], interval: int, logs: list[Path]) -> bool:
    """Every due snapshot taken once. Beat sends one task per due connection (its id is in
    the workers' logs); each task's attempt must have made exactly one snapshot, finished.
    A task that found the connection's previous snapshot still running (a backlog) stops
    at once: counted as coalesced, not lost."""
    from catalog.models import Snapshot

    sent = set()
    for log in logs:
        sent |= set(RECEIVED.findall(log.read_text(errors="replace")))
    snapshots = list(
        Snapshot.objects.filter(connection_id__in=connection_ids, trigger="schedule")
        .order_by("connection_id", "started_at")
        .values("connection_id", "started_at", "status", "task_attempt", "error_message")
    )
    made: dict[str, int] = defaultdict(int)
    for s in snapshots:
        made[s["task_attempt"].split(":")[0]] += 1
    twice = sum(n > 1 for n in made.values())
    unknown = set(made) - sent
    coalesced = len(sent - set(made))
    running = sum(s["status"] == "running" for s in snapshots)
    failed = [s["error_message"][:80] for s in snapshots if s["status"] == "failed"]
    per_connection = defaultdict(int)
    for s in snapshots:
        per_connection[s["connection_id"]] += 1
    never = [pk for pk in connection_ids if pk not in per_connection]
    print(
        f"\ndue snapshots sent by beat: {len(sent)}; snapshots taken: {len(snapshots)} over "
        f"{len(per_connection)} connections (never: {len(never)}); taken twice: {twice}; "
        f"coalesced into a running one: {coalesced}; left running: {running}; failed: "
        f"{len(failed)}; without a sent task: {len(unknown)}"
    )
    counts = sorted(per_connection.values())
    if counts:
        print(
            f"snapshots per connection: min {counts[0]}, max {counts[-1]} (interval {interval} s)"
        )
    for message in sorted(set(failed))[:5]:
        print(f"  failed: {message}")
    return not (never or running or failed or twice or unknown)


# Phases ------------------------------------------------------------------------


def make_user_cookie() -> str:
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_user("bench", password=secrets.token_urlsafe())
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def phase_pages(targets: dict[str, str], users: int, seconds: int, tmp: Path) -> bool:
    from django.db import connection as db

    from catalog.models import Connection, Table, Team
    from catalog.snapshots import take_snapshot
    from scoring.runs import score_snapshot

    team = Team.objects.create(name="Load", slug="load")
    names = list(targets)
    connections = []
    for i in range(20):
        target = names[i % len(names)]
        connection = Connection(
            name=f"{target}-{i:02d}", team=team, schedule_interval=timedelta(seconds=10**6)
        )
        connection.set_dsn(targets[target])
        connection.save()
        connections.append(connection)
    started = time.perf_counter()
    for connection in connections[: len(names)]:  # one snapshot per target, so pages have data
        snapshot = take_snapshot(connection, trigger="setup")
        assert snapshot.succeeded, snapshot.error_message
        score_snapshot(snapshot)
    print(f"setup: {len(names)} targets snapshotted in {time.perf_counter() - started:.0f} s")

    pages: dict[str, list[str]] = defaultdict(list)
    for connection in connections[: len(names)]:
        pk = connection.pk
        pages["scorecard"].append(f"/scores/connections/{pk}/")
        pages["findings"].append(f"/scores/connections/{pk}/findings/")
        table = Table.objects.filter(connection=connection).order_by("?").first()
        pages["table"].append(f"/connections/{pk}/tables/{table.pk}/")
        if not connection.name.startswith("synthetic"):
            pages["diagram"].append(f"/connections/{pk}/diagram/")
    pages["search"] = [f"/search/?q={q}" for q in ("customer", "order", "artist", "node")]
    pages["team"] = ["/scores/teams/load/"]
    cookie = make_user_cookie()

    redis, redis_url = start_redis(tmp)
    port = free_port()
    env = environment(redis_url)
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
        + ["schemajoy_site.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=(tmp / "web.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    worker = start_worker(env, beat=tmp / "beat", log=tmp / "worker.log")
    sampler = RssSampler(worker.pid)
    try:
        time.sleep(4)
        # Warm: each page once (diagrams render and are cached, as in steady use).
        load(port, cookie, {k: v for k, v in pages.items()}, users=1, seconds=5)
        # From now on every connection is due every SNAPSHOT_INTERVAL seconds.
        Connection.objects.filter(team=team).update(
            schedule_interval=timedelta(seconds=SNAPSHOT_INTERVAL), next_snapshot_at=None
        )
        db.close()
        sampler.start()
        latencies, errors = load(port, cookie, pages, users, seconds)
        sampler.done.set()
        Connection.objects.filter(team=team).update(enabled=False)  # no new due snapshots
        drain(connections)
    finally:
        stop(worker)
        stop(web)
        redis.terminate()
    print(f"\nphase pages: {users} users for {seconds} s on gunicorn -w 2 (one shared 2-core box)")
    pages_ok = report_pages(latencies, errors, seconds)
    samples = sampler.samples
    if samples:
        third = max(1, len(samples) // 3)
        first, last = statistics.mean(samples[:third]), statistics.mean(samples[-third:])
        print(
            f"\nworker RSS (worker + children, {len(samples)} samples): first third "
            f"{first:.0f} MB, last third {last:.0f} MB, max {max(samples):.0f} MB"
        )
    schedule_ok = check_schedule(
        [c.pk for c in connections], SNAPSHOT_INTERVAL, [tmp / "worker.log"]
    )
    return pages_ok and schedule_ok


def drain(connections, timeout: float = 300) -> None:
    """Wait until no snapshot is running or queued for these connections."""
    from django.db import connection as db

    from catalog.models import Snapshot

    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        db.close()
        running = Snapshot.objects.filter(connection__in=connections, status="running").exists()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 10:
            return
        time.sleep(1)


def phase_shared(seconds: int, tmp: Path) -> bool:
    from catalog.models import Connection, Team

    team = Team.objects.create(name="Shared", slug="shared")
    connections = []
    for i in range(50):
        path = tmp / f"shop{i}.db"
        db = sqlite3.connect(path)
        db.executescript(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, created_at TIMESTAMP);"
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER "
            "REFERENCES customers(id), total TEXT);"
        )
        db.close()
        connection = Connection(
            name=f"shared-{i:02d}",
            team=team,
            schedule_interval=timedelta(seconds=SHARED_INTERVAL),
            enabled=False,
        )
        connection.set_dsn(f"sqlite:///{path}")
        connection.save()
        connections.append(connection)
    redis, redis_url = start_redis(tmp)
    env = environment(redis_url, SCHEMAJOY_SQLITE_ROOT=str(tmp))
    first = start_worker(env, beat=tmp / "beat-shared", log=tmp / "worker1.log")
    second = start_worker(env, beat=None, log=tmp / "worker2.log")
    try:
        time.sleep(4)
        Connection.objects.filter(team=team).update(enabled=True)
        time.sleep(seconds)
        Connection.objects.filter(team=team).update(enabled=False)
        drain(connections)
    finally:
        stop(first)
        stop(second)
        redis.terminate()
    print(
        f"\nphase shared: 2 workers, 1 beat, 50 connections every {SHARED_INTERVAL} s for {seconds} s"
    )
    return check_schedule(
        [c.pk for c in connections], SHARED_INTERVAL, [tmp / "worker1.log", tmp / "worker2.log"]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--phase", choices=("pages", "shared", "all"), default="all")
    args = parser.parse_args()
    databases: dict[str, str] = {}
    if args.phase in ("pages", "all"):
        for name in CORPUS:
            databases[name] = unique_name(f"load_{name}")
        databases["synthetic"] = unique_name("load_synthetic")
    with django_app(*databases.values()), tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        ok = True
        if args.phase in ("pages", "all"):
            started = time.perf_counter()
            for name, database in databases.items():
                if name == "synthetic":
                    create_database(database)
                    build_database(dsn_for(database), SYNTHETIC_TABLES)
                else:
                    load_corpus(name, database)
            print(f"targets loaded in {time.perf_counter() - started:.0f} s")
            targets = {name: dsn_for(database) for name, database in databases.items()}
            ok &= phase_pages(targets, args.users, args.seconds, tmp)
        if args.phase in ("shared", "all"):
            ok &= phase_shared(args.seconds, tmp)
        print(f"\nload: {'goals met' if ok else 'GOALS MISSED'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
