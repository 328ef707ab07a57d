"""The rule ids, severities and themes are RULES.md's, exactly (they are an interface)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from scoring.rules import ALL_RULES, RULES_BY_ID
from scoring.rules.base import THEMES

BASE = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SCHEMAJOY_CORPUS", BASE / "../shared/corpus")).parent
ROW = re.compile(r"^\| `([a-z-]+)`((?:, `-[a-z]+`)*) \| ([EWI]) \|")
THEME = re.compile(r"^## Theme `([a-z_]+)`")


def catalogue() -> dict[str, tuple[str, str]]:
    path = SHARED / "RULES.md"
    if not path.exists():
        pytest.skip(f"{path} not found")
    rules: dict[str, tuple[str, str]] = {}
    theme = ""
    for line in path.read_text().splitlines():
        if match := THEME.match(line):
            theme = match.group(1)
        elif match := ROW.match(line):
            rule_id, variants, severity = match.groups()
            rules[rule_id] = (theme, severity)
            for suffix in re.findall(r"`(-[a-z]+)`", variants):
                rules[rule_id.rsplit("-", 1)[0] + suffix] = (theme, severity)
    return rules


def test_every_rule_of_the_catalogue_exists_with_its_severity_and_theme() -> None:
    expected = catalogue()
    assert len(expected) == 48
    assert {rule.id: (rule.theme, str(rule.severity)) for rule in ALL_RULES} == expected


def test_rule_ids_are_unique_and_every_rule_explains_itself() -> None:
    assert len(RULES_BY_ID) == len(ALL_RULES)
    for rule in ALL_RULES:
        assert rule.theme in THEMES
        assert len(rule.rationale) > 80, rule.id
        assert rule.applies_to in {"table", "column", "database", "relation"}
