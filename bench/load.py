"""Pages under load while a real worker snapshots on a short schedule; then two workers sharing
fifty connections. Traffic goes to 127.0.0.1 only; Redis is a private redis-server.

    python -m bench.load [--users 32] [--seconds 120] [--saturation-users 4]
                         [--saturation-seconds 45] [--phase pages|shared|all]

Phase "pages": gunicorn (2 workers) serves the scorecard, findings, table, search, team and
diagram pages while a Celery worker with beat snapshots 20 connections (corpus schemas and the
5,000-table synthetic one) every SNAPSHOT_INTERVAL seconds. Two runs, one after the other:

- people: N users (threads), each fetching a random page, then thinking 1-3 s; p50/p95/p99
  per page and throughput. The goals hold here: p95 < 300 ms per page, no errors.
- saturation: a few users with no think time: the most requests per second the two web
  workers serve next to the snapshotting worker (latency there is queueing; no errors).

Throughout, the worker's memory (RSS of the worker and its pool processes) is sampled and
reported per snapshot interval; it must stay flat. Every due snapshot must be taken once:
none lost, none twice, none left running or failed.

Phase "shared": two workers on one Redis share 50 connections (SQLite targets, short
interval): every due snapshot must be taken exactly once.

The last line is `goals met`, or `GOALS MISSED:` with the reasons.
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
    """A worker as deployed: its pool processes are replaced past
    CELERY_WORKER_MAX_MEMORY_PER_CHILD (settings), which keeps its memory flat."""
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


def tree_rss(pid: int) -> tuple[float, set[int]]:
    """RSS in MB of a process and its descendants (prefork children), and the children's ids."""
    total, stack, children = 0, [pid], set()
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            below = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        stack += [int(c) for c in below]
        children |= {int(c) for c in below}
    return total / 1024, children


class RssSampler(threading.Thread):
    """Samples (seconds since start, MB) every `every` seconds; notes every pool process seen."""

    def __init__(self, pid: int, every: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []
        self.children: set[int] = set()
        self.done = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.done.wait(self.every):
            rss, children = tree_rss(self.pid)
            self.samples.append((time.monotonic() - started, rss))
            self.children |= children


def analyze() -> None:
    """Fresh planner statistics after setup, as autovacuum would have them in steady use."""
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("ANALYZE")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# Load -------------------------------------------------------------------------


def load(
    port: int,
    cookie: str,
    pages: dict[str, list[str]],
    users: int,
    seconds: float,
    think: tuple[float, float] = (0.0, 0.0),
):
    """`users` threads, each on its own connection, fetch a random page, then think for a
    uniform random time in `think` seconds, until time's up."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    timeline: list[tuple[float, float]] = []  # (seconds into the run, latency) of every answer
    lock = threading.Lock()
    begin = time.monotonic()
    deadline = begin + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        # People arrive over the first think time, not all in the same instant.
        time.sleep(rng.uniform(0, think[1]))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            name = rng.choice(list(pages))
            path = rng.choice(pages[name])
            started = time.perf_counter()
            error = ""
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
                timeline.append((time.monotonic() - begin, elapsed))
                if status == 200:
                    latencies[name].append(elapsed)
                else:
                    errors[name].append(f"{status} {path}" if status else error)
            if think[1]:
                time.sleep(rng.uniform(*think))
        conn.close()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, timeline


def warm(port: int, cookie: str, pages: dict[str, list[str]], connections) -> list[str]:
    """Every page once; then wait for the diagrams those requests queued (as in steady use,
    where a schema's diagram is rendered once and then cached). Returns problems found."""
    from django.db import connection as db

    from catalog.models import Diagram

    problems = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for name, paths in pages.items():
        for path in paths:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                problems.append(f"warm-up: {name} {path} answered {response.status}")
    conn.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        db.close()
        waiting = Diagram.objects.filter(
            connection__in=connections, status__in=[Diagram.Status.PENDING, Diagram.Status.RUNNING]
        ).count()
        if not waiting:
            break
        time.sleep(1)
    failed = Diagram.objects.filter(connection__in=connections).exclude(status=Diagram.Status.READY)
    problems += [
        f"diagram of {d.connection.name} not ready: {d.status} {d.error[:80]}" for d in failed
    ]
    return problems


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def report_pages(run: str, latencies, errors, seconds: float, *, p95_goal: bool) -> list[str]:
    """The per-page table; the goals missed (p95 < 300 ms only if `p95_goal`, no errors)."""
    missed = []
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
        if not values:
            missed.append(f"{run}: no {name} page answered")
        elif p95_goal and not p[1] < 300:
            missed.append(f"{run}: {name} p95 {p[1]:.0f} ms (goal < 300 ms)")
        if n_err:
            missed.append(f"{run}: {n_err} {name} errors")
    n_errors = sum(len(v) for v in errors.values())
    print(f"{'all':<12}{total:>7}{total / seconds:>8.1f}{'':>27}{n_errors:>8}")
    for name, items in errors.items():
        print(f"  {name} errors, first: {items[:3]}")
    return missed


def report_timeline(timeline: list[tuple[float, float]], interval: int) -> None:
    """All pages' p95 per snapshot interval: whether latency follows the worker's work."""
    windows: dict[int, list[float]] = defaultdict(list)
    for at, elapsed in timeline:
        windows[int(at // interval)].append(elapsed)
    print(
        f"p95 ms per {interval} s, all pages: "
        + ", ".join(f"{percentile(v, 95) * 1000:.0f}" for _, v in sorted(windows.items()))
    )


def report_memory(sampler: RssSampler, interval: int, children: int) -> list[str]:
    """Worker RSS per snapshot interval (floor, mean, peak). Flat: after the first interval
    (the pool's first big snapshots), the later half's floors and peaks are within 20% (plus
    20 MB) of the earlier half's. A leak raises the floors; a kept high-water mark, the peaks."""
    windows: dict[int, list[float]] = defaultdict(list)
    for at, rss in sampler.samples:
        windows[int(at // interval)].append(rss)
    print(f"\nworker RSS (worker + pool processes, MB) per {interval} s snapshot interval:")
    print(f"{'interval':<12}{'samples':>8}{'floor':>8}{'mean':>8}{'peak':>8}")
    rows = []
    for index in sorted(windows):
        values = windows[index]
        rows.append((min(values), sum(values) / len(values), max(values)))
        start = index * interval
        print(
            f"{f'{start}-{start + interval} s':<12}{len(values):>8}"
            f"{rows[-1][0]:>8.0f}{rows[-1][1]:>8.0f}{rows[-1][2]:>8.0f}"
        )
    print(
        f"processes seen under the worker: {len(sampler.children)} ({children} at a time: "
        f"the pool and beat; the others were pool processes replaced past "
        f"CELERY_WORKER_MAX_MEMORY_PER_CHILD)"
    )
    steady = rows[1:]
    if len(steady) < 2:
        return ["memory: too few intervals sampled to judge"]
    half = len(steady) // 2
    early, late = steady[:half], steady[half:]
    missed = []
    for what, index in (("floor", 0), ("peak", 2)):
        before = sum(r[index] for r in early) / len(early)
        after = sum(r[index] for r in late) / len(late)
        flat = after <= before * 1.2 + 20
        print(
            f"memory {what}: {before:.0f} MB earlier, {after:.0f} MB later: "
            f"{'flat' if flat else 'GROWING'}"
        )
        if not flat:
            missed.append(f"memory: worker {what} grew from {before:.0f} to {after:.0f} MB")
    return missed


# Snapshot accounting -----------------------------------------------------------


RECEIVED = re.compile(r"Task catalog\.tasks\.snapshot_connection\[([0-9a-f-]+)\] received")


def check_schedule(connection_ids: list[int], interval: int, logs: list[Path]) -> list[str]:
    """Every due snapshot taken once. Beat sends one task per due connection (its id is in
    the workers' logs); each task's attempt must have made exactly one snapshot, finished.
    A task that found the connection's previous snapshot still running (a backlog) stops
    at once: counted as coalesced, not lost. Returns the goals missed."""
    from catalog.models import Snapshot
    from scoring.models import ScoringFailure

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
    scoring_failed = ScoringFailure.objects.filter(connection_id__in=connection_ids).count()
    per_connection: dict[int, int] = defaultdict(int)
    for s in snapshots:
        per_connection[s["connection_id"]] += 1
    never = [pk for pk in connection_ids if pk not in per_connection]
    print(
        f"\ndue snapshots sent by beat: {len(sent)}; snapshots taken: {len(snapshots)} over "
        f"{len(per_connection)} connections (never: {len(never)}); taken twice: {twice}; "
        f"coalesced into a running one: {coalesced}; left running: {running}; failed: "
        f"{len(failed)}; without a sent task: {len(unknown)}; scoring failures: {scoring_failed}"
    )
    counts = sorted(per_connection.values())
    if counts:
        print(
            f"snapshots per connection: min {counts[0]}, max {counts[-1]} (interval {interval} s)"
        )
    for message in sorted(set(failed))[:5]:
        print(f"  failed: {message}")
    problems = {
        "connections never snapshotted": len(never),
        "snapshots left running": running,
        "snapshots failed": len(failed),
        "due snapshots taken twice": twice,
        "snapshots without a sent task": len(unknown),
        "scoring failures": scoring_failed,
    }
    return [f"schedule: {n} {what}" for what, n in problems.items() if n]


# Phases ------------------------------------------------------------------------


def make_user_cookie() -> str:
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_user("bench", password=secrets.token_urlsafe())
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def phase_pages(targets: dict[str, str], args: argparse.Namespace, tmp: Path) -> list[str]:
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
    # Every connection snapshotted and scored once, as in steady use: the runs measure the
    # pages next to the scheduled re-snapshots, not each connection's one-off first scoring.
    for connection in connections:
        snapshot = take_snapshot(connection, trigger="setup")
        assert snapshot.succeeded, snapshot.error_message
        score_snapshot(snapshot)
    analyze()
    print(
        f"setup: {len(connections)} connections snapshotted and scored in "
        f"{time.perf_counter() - started:.0f} s; ANALYZE done"
    )

    pages: dict[str, list[str]] = defaultdict(list)
    for connection in connections[: len(names)]:
        pk = connection.pk
        pages["scorecard"].append(f"/scores/connections/{pk}/")
        pages["findings"].append(f"/scores/connections/{pk}/findings/")
        table = Table.objects.filter(connection=connection).order_by("?").first()
        pages["table"].append(f"/connections/{pk}/tables/{table.pk}/")
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
    missed: list[str] = []
    try:
        time.sleep(4)
        missed += warm(port, cookie, pages, connections)
        # From now on every connection is due every SNAPSHOT_INTERVAL seconds.
        Connection.objects.filter(team=team).update(
            schedule_interval=timedelta(seconds=SNAPSHOT_INTERVAL), next_snapshot_at=None
        )
        db.close()
        sampler.start()
        runs = []
        for run, users, seconds, think in (
            ("people", args.users, args.seconds, (1.0, 3.0)),
            ("saturation", args.saturation_users, args.saturation_seconds, (0.0, 0.0)),
        ):
            before = load_average()
            measured = load(port, cookie, pages, users, seconds, think)
            runs.append((run, users, seconds, think, before, load_average(), *measured))
        sampler.done.set()
        Connection.objects.filter(team=team).update(enabled=False)  # no new due snapshots
        drain(connections)
    finally:
        stop(worker)
        stop(web)
        redis.terminate()
    for run, users, seconds, think, before, after, latencies, errors, timeline in runs:
        thinking = f"think {think[0]:.0f}-{think[1]:.0f} s" if think[1] else "no think time"
        print(
            f"\nrun {run}: {users} users, {thinking}, {seconds} s, gunicorn -w 2, one shared "
            f"2-core machine (load average before {before}, after {after})"
        )
        missed += report_pages(run, latencies, errors, seconds, p95_goal=run == "people")
        report_timeline(timeline, SNAPSHOT_INTERVAL)
    missed += report_memory(sampler, SNAPSHOT_INTERVAL, children=3)  # 2 pool processes, beat
    missed += check_schedule([c.pk for c in connections], SNAPSHOT_INTERVAL, [tmp / "worker.log"])
    return missed


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


def phase_shared(seconds: int, tmp: Path) -> list[str]:
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
    analyze()
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
    missed = check_schedule(
        [c.pk for c in connections], SHARED_INTERVAL, [tmp / "worker1.log", tmp / "worker2.log"]
    )
    taken = {}
    for n, log in enumerate((tmp / "worker1.log", tmp / "worker2.log"), 1):
        taken[n] = len(RECEIVED.findall(log.read_text(errors="replace")))
    print(f"due snapshots received by worker 1: {taken[1]}, by worker 2: {taken[2]}")
    return [f"shared {m}" for m in missed]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=32, help="people run: users")
    parser.add_argument("--seconds", type=int, default=120, help="people run: seconds")
    parser.add_argument("--saturation-users", type=int, default=4)
    parser.add_argument("--saturation-seconds", type=int, default=45)
    parser.add_argument("--shared-seconds", type=int, default=60)
    parser.add_argument("--phase", choices=("pages", "shared", "all"), default="all")
    args = parser.parse_args()
    databases: dict[str, str] = {}
    if args.phase in ("pages", "all"):
        for name in CORPUS:
            databases[name] = unique_name(f"load_{name}")
        databases["synthetic"] = unique_name("load_synthetic")
    with django_app(*databases.values()), tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        missed: list[str] = []
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
            missed += phase_pages(targets, args, tmp)
        if args.phase in ("shared", "all"):
            missed += phase_shared(args.shared_seconds, tmp)
        print()
        print("goals met" if not missed else "GOALS MISSED: " + "; ".join(missed))
        return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
