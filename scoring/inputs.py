"""inputs_digest(): what a snapshot's scorecard is a function of, as one sha256.

A snapshot whose digest equals that of the connection's latest score copies that score
instead of running the engine (see runs.py): the usual unchanged re-snapshot.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from catalog.models import Snapshot
from scoring.rules.base import RuleContext

# Every module whose source decides a scorecard from its inputs: a deploy that changes any
# of them must rescore rather than copy. scoring.rules stands for all its modules.
_SCORING_CODE = (
    "scoring.rules",
    "scoring.engine",
    "scoring.fixes",
    "scoring.observations",
    "scoring.context",
    "scoring.scorecards",
    "scoring.runs",
    "catalog.relations",
    "catalog.inflection",
    "catalog.introspection.model",
    "catalog.sampling.parsing",
)


def scoring_code_files() -> list[Path]:
    paths: list[Path] = []
    for name in _SCORING_CODE:
        path = Path(str(importlib.import_module(name).__file__))
        paths += sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]
    return paths


@functools.cache
def scoring_code_digest() -> str:
    """sha256 of the scoring code's source files, read once per process."""
    digest = hashlib.sha256()
    for path in scoring_code_files():
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    # What orjson cannot serialise itself, in a canonical order.
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot digest {type(value).__name__}")


def inputs_digest(snapshot: Snapshot, context: RuleContext) -> str:
    """sha256 of everything a snapshot's scorecard is a function of.

    The schema (by its fingerprint; row estimates are not read), the whole RuleContext (settings,
    descriptions, the waivers active today, observations...) and the scoring code.
    """
    payload = {
        "code": scoring_code_digest(),
        "schema": snapshot.fingerprint,
        "context": context,
    }
    options = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    return hashlib.sha256(orjson.dumps(payload, default=_plain, option=options)).hexdigest()
