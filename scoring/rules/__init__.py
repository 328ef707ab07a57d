"""Every rule of RULES.md, by id. Ids are part of the product's interface: never rename one."""

from __future__ import annotations

from scoring.rules import changes, documentation, keys, naming, soft_delete, timestamps, types
from scoring.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *keys.RULES,
    *timestamps.RULES,
    *naming.RULES,
    *soft_delete.RULES,
    *types.RULES,
    *changes.RULES,
    *documentation.RULES,
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_ID", "Rule"]
