"""The release check: a candidate schema (a CI database after its migrations ran, or a
dump_schema file) against a connection's latest good snapshot.

``run_release_check`` returns the stable JSON of ``manage.py check_release --format json``
and of ``POST /api/connections/<id>/release-check``: the changes (breaking first, each
with the dbt sources and models downstream of its table), the findings the release adds
and fixes, the score before and after (both models scored with the connection's rule
context), and the verdict. ``announce_release`` records the candidate's changes as
announced (catalog.changes.announce, which e-mails the watchers of the objects named and
the team's recipients). Nothing else here writes: a check stores nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from catalog import introspection
from catalog.changes import InvalidAnnouncement, announce
from catalog.diff import Change, diff_schemas, sort_changes
from catalog.dumps import SchemaFileError, model_without_idents, parse_schema_document
from catalog.introspection.dsn import InvalidDSN, parse_dsn
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.model import to_document
from catalog.lineage import connection_lineage, downstream_of_change
from catalog.models import Announcement, Connection, SchemaDocument, Snapshot
from catalog.snapshots import target_limits
from scoring.context import rule_context, snapshot_observations
from scoring.engine import Finding, score_schema
from scoring.rules.base import ChangeFact
from scoring.runs import latest_snapshot

PASS, FAIL = "pass", "fail"


class ReleaseCheckError(Exception):
    """The check cannot run (unknown connection, no snapshot, unreadable candidate).

    The message is safe to show: it never holds a password.
    """


# The candidate ---------------------------------------------------------------


def load_candidate(spec: str) -> dict[str, Any]:
    """The candidate's schema document as checked plain data: from a dump_schema file, or
    a connection string introspected read-only."""
    path = Path(spec)
    if "://" not in spec or path.is_file():
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise ReleaseCheckError(f"Cannot read the candidate {spec}: {exc.strerror}.") from None
        try:
            return parse_schema_document(text)
        except SchemaFileError as exc:
            raise ReleaseCheckError(
                f"{spec} is not a dump_schema file: {exc} Write one with "
                "`manage.py dump_schema DSN -o schema.json`."
            ) from None
    try:
        shown = parse_dsn(spec).redacted()
    except InvalidDSN as exc:
        raise ReleaseCheckError(f"The candidate connection string is unusable: {exc}") from None
    try:
        model = introspection.introspect(spec, limits=target_limits())
    except IntrospectionError as exc:
        raise ReleaseCheckError(f"Cannot read the candidate {shown}: {exc}") from None
    return orjson.loads(to_document(model))


def baseline_of(connection: Connection) -> Snapshot:
    snapshot = latest_snapshot(connection)
    if snapshot is None:
        raise ReleaseCheckError(
            f"{connection.name} has no successful snapshot to compare with: run "
            f"`manage.py snapshot {connection.name}` first."
        )
    return snapshot


# The check ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseCheck:
    connection: Connection
    baseline: Snapshot
    changes: list[Change]
    result: dict[str, Any]  # the stable JSON


def run_release_check(
    connection: Connection, candidate: dict[str, Any], *, max_drop: float = 0.0
) -> ReleaseCheck:
    """Compare ``candidate`` (a checked schema document, as plain data) with the
    connection's latest good snapshot. Stores nothing."""
    baseline = baseline_of(connection)
    stored = orjson.loads(
        SchemaDocument.objects.values_list("document", flat=True).get(pk=baseline.document_id)
    )
    if candidate["dialect"] != stored["dialect"]:
        raise ReleaseCheckError(
            f"The candidate is a {candidate['dialect']} schema; {connection.name} is "
            f"{stored['dialect']}: compare like with like."
        )
    # The candidate is another database: oids and attnums compare nothing (no rule reads them).
    current, new = model_without_idents(stored), model_without_idents(candidate)
    changes = sort_changes(diff_schemas(current, new))
    # The same settings, waivers and descriptions judge before and after; after, the
    # changes theme also sees the release's breaking changes as if a snapshot saw them now.
    now = timezone.now()
    context = rule_context(connection, observations=snapshot_observations(baseline), at=now)
    after_context = replace(
        context, changes=context.changes + pending_facts(connection, changes, at=now)
    )
    before, after = score_schema(current, context), score_schema(new, after_context)
    score_before, score_after = _round(before.total), _round(after.total)
    was = {(f.rule, f.object) for f in before.findings}
    still = {(f.rule, f.object) for f in after.findings}
    lineage = connection_lineage(connection)

    reasons: list[str] = []
    breaking = [c for c in changes if c.breaking]
    for change in breaking:
        reasons.append(f"breaking: {change.kind} {change.object}: {change.reason}")
    drop = (
        round(score_before - score_after, 1)
        if score_before is not None and score_after is not None
        else 0.0
    )
    if drop > max_drop:
        reasons.append(
            f"the score drops by {drop:.1f} points ({score_before:.1f} -> {score_after:.1f}), "
            f"more than the {max_drop:g} allowed"
        )
    result = {
        "connection": connection.name,
        "baseline_snapshot": baseline.started_at.isoformat(),
        "changes": [_change_json(c, lineage) for c in changes],
        "findings_added": [
            _finding_json(f) for f in after.findings if (f.rule, f.object) not in was
        ],
        "findings_fixed": [
            _finding_json(f) for f in before.findings if (f.rule, f.object) not in still
        ],
        "score_before": score_before,
        "score_after": score_after,
        "verdict": FAIL if reasons else PASS,
        "reasons": reasons,
    }
    return ReleaseCheck(connection=connection, baseline=baseline, changes=changes, result=result)


def pending_facts(
    connection: Connection, changes: list[Change], *, at: datetime.datetime
) -> tuple[ChangeFact, ...]:
    """The release's breaking changes as the changes theme would see them shipped at ``at``:
    announced by the earliest announcement of the window that names them (as a snapshot
    would match it), unannounced otherwise."""
    breaking = [c for c in changes if c.breaking]
    if not breaking:
        return ()
    announced: dict[tuple[str, str], datetime.datetime] = {}
    for kind, obj, created_at in (
        Announcement.objects.filter(
            connection=connection,
            object__in={c.object for c in breaking},
            created_at__gte=at - connection.changes_window,
            created_at__lte=at,
        )
        .order_by("created_at", "pk")
        .values_list("kind", "object", "created_at")
    ):
        announced.setdefault((kind, obj), created_at)
    return tuple(
        ChangeFact(
            kind=c.kind,
            object=c.object,
            table=c.table,
            detected_at=at,
            announced_at=announced.get((c.kind, c.object)),
            transition=c.transition,
        )
        for c in breaking
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _change_json(change: Change, lineage: dict[str, Any]) -> dict[str, Any]:
    sources, models = downstream_of_change(
        lineage, kind=change.kind, table=change.table, before=change.before
    )
    return {
        "kind": change.kind,
        "object": change.object,
        "breaking": change.breaking,
        "reason": change.reason,
        "before": change.before,
        "after": change.after,
        # Who reads the changed table in dbt (empty without an uploaded manifest).
        "downstream": {"sources": sources, "models": models},
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "object": finding.object,
        "severity": str(finding.severity),
        "message": finding.message,
        "fix": finding.fix,
    }


# Announcing ----------------------------------------------------------------------


def announce_release(
    check: ReleaseCheck,
    *,
    message: str,
    author: AbstractBaseUser | None,
    author_label: str,
) -> dict[str, Any]:
    """Record the candidate's changes as announced; once committed, catalog.changes e-mails
    the watchers of the objects named and the team's recipients (one e-mail each).

    Raises ReleaseCheckError when there is nothing to announce or no message; nothing is
    stored then. Returns the "announcement" part of the JSON.
    """
    try:
        rows = announce(check.connection, check.changes, message=message, author=author)
    except InvalidAnnouncement as exc:
        raise ReleaseCheckError(str(exc)) from None
    return {
        "message": message.strip(),
        "author": author_label,
        "announced_at": rows[0].created_at.isoformat(),
        "changes": len(rows),
    }


# Text and Markdown ---------------------------------------------------------------


def _downstream_text(change: dict[str, Any]) -> str:
    sources, models = change["downstream"]["sources"], change["downstream"]["models"]
    if not sources:
        return ""
    text = f"read by {len(sources)} dbt source{'s' if len(sources) != 1 else ''} ({', '.join(sources)})"
    if models:
        text += f", {len(models)} model{'s' if len(models) != 1 else ''} downstream: " + ", ".join(
            models
        )
    return text


def _score_line(result: dict[str, Any]) -> str:
    before, after = result["score_before"], result["score_after"]
    if before is None or after is None:
        return "score: not scored"
    return f"score {before:.1f} -> {after:.1f} ({after - before:+.1f})"


def format_text(result: dict[str, Any]) -> str:
    lines = [
        f"{result['connection']}: release check {result['verdict'].upper()} "
        f"(baseline snapshot {result['baseline_snapshot']}), {_score_line(result)}"
    ]
    lines += [f"  ! {reason}" for reason in result["reasons"]]
    lines.append(f"{len(result['changes'])} changes:")
    for change in result["changes"]:
        mark = "BREAKING " if change["breaking"] else ""
        lines.append(f"  {mark}{change['kind']} {change['object']}: {change['reason']}")
        downstream = _downstream_text(change)
        if downstream:
            lines.append(f"      {downstream}")
    for key, label in (("findings_added", "added"), ("findings_fixed", "fixed")):
        lines.append(f"{len(result[key])} findings {label}:")
        lines += [
            f"  [{f['severity']}] {f['rule']} {f['object'] or '(database)'}: {f['message']}"
            for f in result[key]
        ]
    if "announcement" in result:
        a = result["announcement"]
        lines.append(
            f"Announced {a['changes']} changes ({a['author']}, {a['announced_at']}): "
            "watchers and the team's recipients get an e-mail."
        )
    return "\n".join(lines)


def _cell(text: Any) -> str:
    # Table cells: a pipe or a newline would end the cell, a backtick the code span.
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _code(text: Any) -> str:
    inner = _cell(text).replace("`", "'")
    return f"`{inner}`"


# Rows per list in the folded part: a pull-request comment holds at most 65,536 characters.
MARKDOWN_ROWS = 100


def _more(rows: list[Any]) -> list[str]:
    hidden = len(rows) - MARKDOWN_ROWS
    return ["", f"… and {hidden} more (the JSON form lists them all)."] if hidden > 0 else []


def format_markdown(result: dict[str, Any]) -> str:
    """A pull-request comment a reviewer reads in ten seconds."""
    changes = result["changes"]
    breaking = [c for c in changes if c["breaking"]]
    icon = "✅" if result["verdict"] == PASS else "❌"
    verdict = "passes" if result["verdict"] == PASS else "fails"
    head = [
        f"### {icon} SchemaJoy release check {verdict}: {_cell(result['connection'])}",
        "",
        f"**{len(breaking)} breaking change{'s' if len(breaking) != 1 else ''}** of "
        f"{len(changes)} · {_score_line(result)} · "
        f"{len(result['findings_added'])} findings added, "
        f"{len(result['findings_fixed'])} fixed",
        "",
    ]
    if breaking:
        head += [
            "| Change | Object | Why it breaks | Downstream in dbt |",
            "|---|---|---|---|",
        ]
        for c in breaking:
            head.append(
                f"| {c['kind']} | {_code(c['object'])} | {_cell(c['reason'])} | "
                f"{_cell(_downstream_text(c)) or '–'} |"
            )
        head.append("")
    other_reasons = [r for r in result["reasons"] if not r.startswith("breaking: ")]
    head += [f"> {_cell(r)}" for r in other_reasons]
    if "announcement" in result:
        a = result["announcement"]
        head.append(f"📣 Announced by {_cell(a['author'])}: “{_cell(a['message'])}”.")
    details = ["", "<details><summary>All changes and findings</summary>", ""]
    if changes:
        details += [
            "| Change | Object | Breaking | Before | After | Reason |",
            "|---|---|---|---|---|---|",
        ]
        details += [
            f"| {c['kind']} | {_code(c['object'])} | {'yes' if c['breaking'] else 'no'} | "
            f"{_code(c['before']) if c['before'] else ''} | "
            f"{_code(c['after']) if c['after'] else ''} | {_cell(c['reason'])} |"
            for c in changes[:MARKDOWN_ROWS]
        ]
        details += _more(changes)
    else:
        details.append("No changes to the schema.")
    for key, label in (("findings_added", "Findings added"), ("findings_fixed", "Findings fixed")):
        details += ["", f"**{label}** ({len(result[key])})", ""]
        details += [
            f"- `{f['rule']}` {_code(f['object'] or '(database)')}: {_cell(f['message'])}"
            for f in result[key][:MARKDOWN_ROWS]
        ]
        details += _more(result[key])
    details += [
        "",
        f"Baseline: snapshot of {result['baseline_snapshot']}.",
        "",
        "</details>",
    ]
    return "\n".join(head + details) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown}
