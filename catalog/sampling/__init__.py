"""The optional sampling phase: what a schema's values really are, read-only and bounded.

``sample()`` opens its own read-only session on the target (the one introspection opens),
reads a bounded sample per table within a total time budget, and returns counts and ratios
only, keyed by object name (``schema.table``, ``schema.table.column``). Never a sampled
value. scoring.observations.observations_from_json() turns the result into the rules' input.

Sampling never raises for the target's sake: an unreachable server, a timeout or a spent
budget ends the run early, and the result says so (``"partial": true`` and a ``"reason"``)
beside whatever was read before.

The result::

    {"version": 1, "dialect": "postgresql", "rows": 1000, "budget": 30.0, "elapsed": 0.41,
     "columns": {"public.orders.total": {"sampled": 812, "distinct": 640,
                 "parses": {"decimal": 812, "int": 790}, "leading_zero": 0, "date_only": 0,
                 "source": "sample"}},           # or "stats": read from pg_stats alone
     "tables": {"public.orders": {"sampled_rows": 1000, "updated_before_created": 3,
                "future_timestamps": 0, "marker_disagreements": 2,
                "deletes_before": 10, "deletes_now": 14, "relid": 16384}},
     "counts": {"from_stats": 40, "sampled_columns": 8, "sampled_tables": 12, "queries": 15},
     "partial": false}                           # true with a "reason" when cut short

A row-level count is present only when its check applies to the table (the columns exist).
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from catalog.introspection.dsn import InvalidDSN, check_target_allowed, parse_dsn
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel
from catalog.sampling.plan import Clock, Recorder

log = logging.getLogger(__name__)

DEFAULT_ROWS = 1000

# Each module offers sample(target, model, recorder, *, limits): it fills the recorder.
DIALECTS: dict[str, str] = {
    "postgresql": "catalog.sampling.postgres",
    "mysql": "catalog.sampling.mysql",
    "sqlite": "catalog.sampling.sqlite",
}


def sample(
    dsn: str,
    model: SchemaModel,
    *,
    limits: Limits,
    budget: float,
    previous: dict[str, Any] | None = None,
    rows: int = DEFAULT_ROWS,
) -> dict[str, Any]:
    """Counts over a bounded sample of ``model``'s tables, within ``budget`` seconds.

    ``previous`` is the last snapshot's result: its delete counters become this one's
    ``deletes_before``. ``rows`` is the sample size per table.
    """
    clock = Clock(budget)
    try:
        target = parse_dsn(dsn)
        check_target_allowed(target, limits)
    except InvalidDSN as exc:
        recorder = Recorder(model.dialect, rows=rows, clock=clock)
        recorder.stop(str(exc))
        return recorder.to_json()
    recorder = Recorder(target.dialect, rows=rows, clock=clock)
    if not recorder.out_of_time():
        module = import_module(DIALECTS[target.dialect])
        try:
            module.sample(target, model, recorder, limits=limits)
        except IntrospectionError as exc:
            recorder.stop(exc.message)
        except Exception:
            # A bug here must not cost the snapshot, nor what was sampled before it.
            log.exception("sampling %s failed", target.redacted())
            recorder.stop("sampling failed (an internal error, logged for the administrators)")
    result = recorder.to_json()
    carry_counters(result, previous)
    return result


def carry_counters(result: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Set each table's ``deletes_before`` from the previous result, where it is comparable.

    Not comparable, so left unknown: the statistics were reset in between (``stats_reset``
    moved), or the table is another relation under the same name (``relid`` differs).
    """
    if not previous or previous.get("stats_reset") != result.get("stats_reset"):
        return
    before = previous.get("tables") or {}
    for name, entry in result["tables"].items():
        if "deletes_now" not in entry:
            continue
        old = before.get(name) or {}
        if old.get("deletes_now") is not None and old.get("relid") == entry.get("relid"):
            entry["deletes_before"] = old["deletes_now"]


__all__ = ["DEFAULT_ROWS", "DIALECTS", "carry_counters", "sample"]
