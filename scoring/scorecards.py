"""A Scorecard as a SnapshotScore row keeps it: plain JSON, rounded (pure)."""

from __future__ import annotations

from typing import Any

from scoring.engine import Scorecard

TOP_FIXES = 10


def stored_scores(card: Scorecard) -> dict[str, Any]:
    """The SnapshotScore fields that come from the scorecard (per-table scores aside)."""
    return {
        "total": None if card.total is None else round(card.total, 2),
        "themes": {t: round(s, 2) for t, s in card.themes.items()},
        "rules": rules_json(card),
        "open_findings": len(card.findings),
        "waived_findings": len(card.waived),
        "top_fixes": top_fixes_json(card),
    }


def rules_json(card: Scorecard) -> dict[str, dict[str, Any]]:
    # Score points each rule costs (the gains of its open findings): what team pages
    # compare week on week to say which rules moved a score.
    lost: dict[str, float] = {}
    for f in card.findings:
        if not f.waived:
            lost[f.rule] = lost.get(f.rule, 0.0) + f.gain
    return {
        rule_id: {
            "severity": str(r.severity),
            "passed": r.passed,
            "applicable": r.applicable,
            "waived": r.waived,
            "rate": None if r.rate is None else round(r.rate, 4),
            "lost": round(lost.get(rule_id, 0.0), 3),
        }
        for rule_id, r in card.rules.items()
    }


def top_fixes_json(card: Scorecard) -> list[dict[str, Any]]:
    return [
        {
            "rule": f.rule,
            "object": f.object,
            "table": f.table,
            "theme": f.theme,
            "severity": str(f.severity),
            "message": f.message,
            "fix": f.fix,
            "gain": round(f.gain, 3),
        }
        for f in card.top_fixes(TOP_FIXES)
    ]
