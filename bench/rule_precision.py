"""Findings sampled per rule on real applications' schemas, for a person to judge.

    .venv/bin/python -m bench.rule_precision              # every rule, up to 10 findings each
    .venv/bin/python -m bench.rule_precision 20 ts-       # up to 20, rules starting with ts-
    .venv/bin/python -m bench.rule_precision 10 "" synapse  # sampled from one application

Loads PrestaShop and MediaWiki (tests/corpus_apps) into scratch MariaDB databases, phpBB and
Matrix Synapse (tests/corpus_apps), MusicBrainz and Pagila (the shared corpus) into scratch
PostgreSQL databases, scores each with every rule (no sampling), and prints, per rule, how many
findings there are on each application and a seeded random sample of them (object, message,
fix). Judge each sampled line right or wrong for that application's developers; the
precision table in bench/README.md records the judgement. Not a test: it only prints.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict

from catalog.introspection import introspect
from scoring.engine import Finding, score_schema
from scoring.rules import ALL_RULES
from tests.fixtures import mysql_targets, postgres_targets

APPS = (
    ("prestashop", mysql_targets),
    ("mediawiki", mysql_targets),
    ("phpbb", postgres_targets),
    ("synapse", postgres_targets),
    ("musicbrainz", postgres_targets),
    ("pagila", postgres_targets),
)
SEED = 11


def findings_by_rule(only: str = "") -> dict[str, list[tuple[str, Finding]]]:
    found: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for name, server in APPS:
        if only and name != only:
            continue
        database = server.unique_name(f"precision_{name}")
        server.load_corpus(name, database)
        try:
            card = score_schema(introspect(server.dsn_for(database)))
        finally:
            server.drop_database(database)
        for finding in card.findings:
            found[finding.rule].append((name, finding))
    return found


def main(args: list[str]) -> None:
    per_rule = int(args[0]) if args and args[0].isdigit() else 10
    words = [a for a in args if not a.isdigit()]
    prefix = words[0] if words else ""
    found = findings_by_rule(words[1] if len(words) > 1 else "")
    rnd = random.Random(SEED)
    for rule in ALL_RULES:
        if not rule.id.startswith(prefix):
            continue
        findings = found.get(rule.id, [])
        counts = defaultdict(int)
        for app, _ in findings:
            counts[app] += 1
        spread = ", ".join(f"{app} {n}" for app, n in sorted(counts.items())) or "none"
        print(f"\n== {rule.id} ({rule.severity}): {len(findings)} findings ({spread})")
        for app, f in sorted(rnd.sample(findings, min(per_rule, len(findings)))):
            fix = (f.fix or "").replace("\n", " ")
            print(f"  [{app}] {f.object} | {f.message}" + (f" | {fix[:160]}" if fix else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
