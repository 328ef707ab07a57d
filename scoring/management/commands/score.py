"""`manage.py score NAME [--json]`: the scorecard of a connection's latest snapshot.

The JSON form is a stable interface (see issue 3):
{"connection", "snapshot", "score", "themes": {theme: score},
 "rules": {rule_id: {"severity", "passed", "applicable"}},
 "findings": [{"rule", "object", "severity", "message", "fix"}]}
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Connection
from scoring.forms import THEME_LABELS
from scoring.models import Finding, SnapshotScore
from scoring.rules import ALL_RULES
from scoring.rules.base import THEMES
from scoring.runs import latest_snapshot, score_snapshot

_RULE_ORDER = {rule.id: i for i, rule in enumerate(ALL_RULES)}


def scorecard_json(score: SnapshotScore) -> dict[str, Any]:
    """The stored scorecard of a snapshot, in the engine's order (rule, then object)."""
    findings = sorted(
        Finding.objects.filter(connection_id=score.connection_id)
        .open()
        .values_list("rule", "object", "severity", "message", "fix"),
        key=lambda f: (_RULE_ORDER.get(f[0], len(_RULE_ORDER)), f[1]),
    )
    return {
        "connection": score.connection.name,
        "snapshot": score.snapshot.started_at.isoformat(),
        "score": None if score.total is None else round(score.total, 1),
        "themes": {t: round(s, 1) for t, s in score.themes.items()},
        "rules": {
            rule_id: {k: r[k] for k in ("severity", "passed", "applicable")}
            for rule_id, r in score.rules.items()
        },
        "findings": [
            {"rule": r, "object": o, "severity": s, "message": m, "fix": fix or None}
            for r, o, s, m, fix in findings
        ],
    }


class Command(BaseCommand):
    help = "Print the scorecard of a connection's latest snapshot (scoring it if needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--json", action="store_true", help="the stable JSON form")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.")
        snapshot = latest_snapshot(connection)
        if snapshot is None:
            raise CommandError(
                f"{connection.name} has no successful snapshot yet: run `manage.py snapshot "
                f"{connection.name}` first."
            )
        score = SnapshotScore.objects.filter(snapshot=snapshot).first() or score_snapshot(snapshot)
        data = scorecard_json(score)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        total = "–" if data["score"] is None else f"{data['score']:.1f}"
        self.stdout.write(f"{connection.name}: score {total} / 100 (snapshot {data['snapshot']})")
        for theme in THEMES:
            value = data["themes"].get(theme)
            shown = "–" if value is None else f"{value:5.1f}"
            self.stdout.write(f"  {THEME_LABELS[theme]:<13} {shown}")
        self.stdout.write(f"{len(data['findings'])} open findings. Top fixes:")
        for i, fix in enumerate(score.top_fixes, start=1):
            self.stdout.write(
                f"{i:2}. +{fix['gain']:.2f}  [{fix['severity']}] {fix['rule']} "
                f"{fix['object'] or '(database)'}: {fix['message']}"
            )
            if fix["fix"]:
                self.stdout.write("      " + fix["fix"].replace("\n", "\n      "))
