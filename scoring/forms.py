"""Forms of the scoring pages: findings filters, waivers, rule settings."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from scoring.models import SEVERITY_CHOICES, Waiver
from scoring.rules import ALL_RULES, RULES_BY_ID
from scoring.rules.base import CHANGES, THEMES

THEME_LABELS = {
    "keys": "Keys",
    "time": "Time",
    "naming": "Naming",
    "soft_delete": "Soft deletes",
    "types": "Types",
    "changes": "Changes",
    "docs": "Docs",
}
STATUS_CHOICES = [
    ("open", "open"),
    ("waived", "waived"),
    ("resolved", "resolved"),
    ("all", "all"),
]


def _rule_choices(*, allow_any: bool = False) -> list[tuple[str, str]]:
    choices = [("*", "every rule")] if allow_any else []
    return choices + [(rule.id, rule.id) for rule in ALL_RULES]


class FindingFilterForm(forms.Form):
    theme = forms.ChoiceField(
        required=False,
        choices=[("", "every theme")] + [(t, THEME_LABELS[t]) for t in THEMES if t != CHANGES],
    )
    rule = forms.ChoiceField(required=False, choices=[("", "every rule"), *_rule_choices()])
    severity = forms.ChoiceField(
        required=False, choices=[("", "every severity"), *SEVERITY_CHOICES]
    )
    table = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "schema.table", "type": "search"}),
    )
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)


class WaiverForm(forms.ModelForm):
    rule = forms.ChoiceField(choices=_rule_choices(allow_any=True))

    class Meta:
        model = Waiver
        fields = ["rule", "scope", "pattern", "reason", "expires_on"]
        widgets = {
            "pattern": forms.TextInput(attrs={"placeholder": "public.orders.shipped_at"}),
            "reason": forms.TextInput(attrs={"placeholder": "why this is fine"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why: the reason is kept with the waiver.")
        return reason

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rule") == "*" and data.get("scope") == Waiver.Scope.FINDING:
            self.add_error("rule", "A single finding belongs to one rule.")
        return data


ENABLED_CHOICES = [("", "inherit"), ("on", "enabled"), ("off", "disabled")]


def _check_value(name: str, value: Any, default: Any) -> None:
    """An option's value must have its default's shape."""

    def fail(expected: str) -> None:
        raise forms.ValidationError(f"Option {name!r} takes {expected}.")

    if isinstance(default, tuple | list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail("a list of strings")
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            fail("true or false")
    elif isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            fail("a number")
        if isinstance(default, float) and not 0 <= value <= 1:
            fail("a number between 0 and 1")
    elif isinstance(default, str):
        if not isinstance(value, str):
            fail("a string")
    elif isinstance(default, dict):
        if not isinstance(value, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()
        ):
            fail("an object of lists of strings")
    elif default is None and value is not None and not isinstance(value, str):
        fail("a string or null")


class RuleSettingForm(forms.Form):
    rule = forms.ChoiceField(choices=_rule_choices())
    enabled = forms.ChoiceField(required=False, choices=ENABLED_CHOICES)
    severity = forms.ChoiceField(required=False, choices=[("", "inherit"), *SEVERITY_CHOICES])
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="JSON object; only the rule's own options, each shaped like its default.",
    )

    def clean_options(self) -> dict[str, Any]:
        text = self.cleaned_data["options"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not JSON: {exc.msg} (line {exc.lineno}).") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError('Options are a JSON object: {"name": value}.')
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule = RULES_BY_ID.get(data.get("rule", ""))
        options = data.get("options") or {}
        if rule is None:
            return data
        unknown = sorted(set(options) - set(rule.options))
        if unknown:
            known = ", ".join(sorted(rule.options)) or "none"
            self.add_error("options", f"Unknown option {unknown[0]!r}; {rule.id} takes: {known}.")
            return data
        for name, value in options.items():
            try:
                _check_value(name, value, rule.options[name])
            except forms.ValidationError as exc:
                self.add_error("options", exc)
        return data

    @property
    def enabled_value(self) -> bool | None:
        return {"on": True, "off": False}.get(self.cleaned_data.get("enabled") or "")
