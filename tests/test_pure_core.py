"""The pure core imports nothing from Django, nor from the ORM side of the apps."""

from __future__ import annotations

import ast
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]

PURE = {
    "catalog.introspection.model": "catalog/introspection/model.py",
    "catalog.inflection": "catalog/inflection.py",
    "catalog.diff": "catalog/diff.py",
    "catalog.dumps": "catalog/dumps.py",
    "catalog.relations": "catalog/relations.py",
    "catalog.sql": "catalog/sql.py",
    "scoring.engine": "scoring/engine.py",
    "scoring.fixes": "scoring/fixes.py",
    "scoring.observations": "scoring/observations.py",
    "scoring.options": "scoring/options.py",
    "scoring.scorecards": "scoring/scorecards.py",
    "scoring.trends": "scoring/trends.py",
    "scoring.digests": "scoring/digests.py",
    "scoring.charts": "scoring/charts.py",
    "catalog.sampling.parsing": "catalog/sampling/parsing.py",
    "catalog.erd.graph": "catalog/erd/graph.py",
    "catalog.erd.areas": "catalog/erd/areas.py",
    "catalog.erd.dot": "catalog/erd/dot.py",
    **{
        f"scoring.rules.{path.stem}".removesuffix(".__init__"): f"scoring/rules/{path.name}"
        for path in (BASE / "scoring/rules").glob("*.py")
    },
}
PROJECT = ("catalog", "scoring", "schemajoy_site")
FORBIDDEN = ("django", "catalog.models", "scoring.models", "celery")


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_pure_modules_import_nothing_from_django_or_the_orm() -> None:
    for module, path in PURE.items():
        for name in imports(BASE / path):
            assert not name.startswith(FORBIDDEN), f"{module} imports {name}"


def test_pure_modules_import_only_other_pure_modules_of_the_project() -> None:
    pure_packages = {name.rsplit(".", 1)[0] for name in PURE} | {"scoring", "catalog"}
    for module, path in PURE.items():
        for name in imports(BASE / path):
            if not name.startswith(PROJECT):
                continue
            assert name in PURE or name in pure_packages or name.rsplit(".", 1)[0] in PURE, (
                f"{module} imports {name}, which is not part of the pure core"
            )
