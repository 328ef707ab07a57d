"""SQL queries per page on a 10-table and a 1,000-table schema: they must be equal.

    python -m bench.pages

SchemaJoy's own data in a scratch PostgreSQL database; the targets are SQLite files.
"""

from __future__ import annotations

import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.scratch import django_app


def target(path: Path, tables: int) -> str:
    db = sqlite3.connect(path)
    for i in range(tables):
        parent = f" REFERENCES t{i - 1:04d}(id)" if i else ""
        db.execute(
            f"CREATE TABLE t{i:04d} (id INTEGER PRIMARY KEY, name TEXT, parent_id INTEGER{parent},"
            " created_at TIMESTAMP, updated_at TIMESTAMP)"
        )
    db.commit()
    db.close()
    return f"sqlite:///{path}"


def main() -> None:
    with django_app():
        from django.contrib.auth.models import User
        from django.db import connection as db
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from catalog.models import Connection, Table, Team
        from catalog.snapshots import take_snapshot
        from scoring.runs import score_snapshot

        user = User.objects.create_user("bench", password=secrets.token_urlsafe())
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        results: dict[str, dict[int, tuple[int, float]]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            from django.conf import settings

            settings.SCHEMAJOY_SQLITE_ROOT = tmp  # SQLite targets must lie under the root
            for n in (10, 1000):
                team = Team.objects.create(name=f"Team {n}", slug=f"team-{n}")
                team.members.add(user)
                connection = Connection(name=f"db{n}", team=team)
                connection.set_dsn(target(Path(tmp) / f"{n}.db", n))
                connection.save()
                for _ in range(2):
                    score_snapshot(take_snapshot(connection))
                table = Table.objects.get(connection=connection, name="t0005")
                pages = {
                    "connection list": reverse("catalog:connection_list"),
                    "connection": connection.get_absolute_url(),
                    "table": table.get_absolute_url(),
                    "table findings": reverse(
                        "scoring:table_findings", args=[connection.pk, table.pk]
                    ),
                    "diagram": reverse("catalog:connection_diagram", args=[connection.pk]),
                    "scorecard": reverse("scoring:scorecard", args=[connection.pk]),
                    "findings": reverse("scoring:findings", args=[connection.pk]),
                    "team": reverse("scoring:team_detail", args=[team.slug]),
                    "search": reverse("catalog:search") + "?q=name",
                    "overview": reverse("overview"),
                    "rule settings": reverse("scoring:connection_rules", args=[connection.pk]),
                }
                for page, url in pages.items():
                    client.get(url)  # warm caches
                    with CaptureQueriesContext(db) as ctx:
                        started = time.perf_counter()
                        status = client.get(url).status_code
                        elapsed = time.perf_counter() - started
                    assert status == 200, (page, status)
                    results.setdefault(page, {})[n] = (len(ctx.captured_queries), elapsed)
        print(f"{'page':<16} {'10 tables':>16} {'1,000 tables':>16}  same?")
        for page, by_size in results.items():
            (q10, t10), (q1k, t1k) = by_size[10], by_size[1000]
            print(
                f"{page:<16} {q10:>4} q {t10 * 1000:>6.0f} ms {q1k:>4} q {t1k * 1000:>6.0f} ms  "
                f"{'yes' if q10 == q1k else 'NO'}"
            )


if __name__ == "__main__":
    main()
