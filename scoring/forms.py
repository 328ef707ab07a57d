"""Forms of the scoring pages: findings filters, waivers, rule settings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from catalog.models import Team
from scoring.models import SEVERITY_CHOICES, Waiver
from scoring.options import (
    BOOL,
    INT,
    LIST,
    MAPPING,
    SHARE,
    OptionError,
    check_options,
    field_text,
    kind_of,
    parse_field,
    parse_json,
)
from scoring.rules import ALL_RULES, RULES_BY_ID
from scoring.rules.base import CHANGES, THEMES, Choice

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
            value = parse_json(text)
        except OptionError as exc:
            raise forms.ValidationError(exc.message) from None
        if not isinstance(value, dict):
            raise forms.ValidationError('Options are a JSON object: {"name": value}.')
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule = RULES_BY_ID.get(data.get("rule", ""))
        if rule is None:
            return data
        for name, message in check_options(
            data.get("options") or {}, rule.options, rule.option_kinds
        ).items():
            self.add_error("options", f"{name}: {message}" if name else message)
        return data

    @property
    def enabled_value(self) -> bool | None:
        return {"on": True, "off": False}.get(self.cleaned_data.get("enabled") or "")


class RuleSettingsPageForm(forms.Form):
    """Every rule's setting on one page, saved by one button.

    Per rule: enabled and severity (empty inherits) and one typed field per option
    (numbers, lists one name a line, yes/no); options without a typed field (objects)
    and anything else go in the rule's "advanced" JSON field. A typed field that is
    filled wins over the same option in the JSON. ``inherited`` maps rule id to the
    options the page inherits (the rule's defaults, under the team's for a connection).
    """

    def __init__(
        self,
        data: Any = None,
        *,
        own: Mapping[str, Any],
        inherited: Mapping[str, Mapping[str, Any]],
    ) -> None:
        super().__init__(data)
        self.inherited = inherited
        for rule in ALL_RULES:
            row = own.get(rule.id)
            enabled = "" if row is None or row.enabled is None else ("on" if row.enabled else "off")
            self.fields[f"{rule.id}__enabled"] = forms.ChoiceField(
                required=False, choices=ENABLED_CHOICES, initial=enabled, label="Enabled"
            )
            self.fields[f"{rule.id}__severity"] = forms.ChoiceField(
                required=False,
                choices=[("", "inherit"), *SEVERITY_CHOICES],
                initial=(row.severity if row is not None else "") or "",
                label="Severity",
            )
            options = dict(row.options) if row is not None and row.options else {}
            advanced = {}
            for name, default in rule.options.items():
                declared = rule.option_kinds.get(name)
                kind = kind_of(name, default, declared)
                if kind == MAPPING:
                    if name in options:
                        advanced[name] = options[name]
                    continue
                value = options.get(name)
                initial = field_text(value, name, default, declared) if name in options else ""
                self.fields[f"{rule.id}__opt__{name}"] = _option_field(
                    name, kind, initial, declared
                )
            self.fields[f"{rule.id}__json"] = forms.CharField(
                required=False,
                label="Advanced: options as JSON",
                initial=json.dumps(advanced, default=list, sort_keys=True) if advanced else "",
                widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """What the template draws per rule: its bound fields and inherited values."""
        rows = []
        for rule in ALL_RULES:
            inherited = self.inherited.get(rule.id, rule.options)
            options = [
                {
                    "name": name,
                    "field": self[f"{rule.id}__opt__{name}"],
                    "inherited": field_text(
                        inherited.get(name), name, default, rule.option_kinds.get(name)
                    )
                    or "(none)",
                }
                for name, default in rule.options.items()
                if f"{rule.id}__opt__{name}" in self.fields
            ]
            rows.append(
                {
                    "rule": rule,
                    "theme_label": THEME_LABELS.get(rule.theme, rule.theme),
                    "enabled": self[f"{rule.id}__enabled"],
                    "severity": self[f"{rule.id}__severity"],
                    "options": options,
                    "json": self[f"{rule.id}__json"],
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.settings: dict[str, tuple[bool | None, str, dict[str, Any]]] = {}
        for rule in ALL_RULES:
            options: dict[str, Any] = {}
            text = (data.get(f"{rule.id}__json") or "").strip()
            if text:
                try:
                    value = parse_json(text)
                except OptionError as exc:
                    self.add_error(f"{rule.id}__json", exc.message)
                    value = {}
                errors = check_options(value, rule.options, rule.option_kinds)
                for name, message in errors.items():
                    label = f"{name}: {message}" if name else message
                    self.add_error(f"{rule.id}__json", label)
                if not errors and isinstance(value, dict):
                    options.update(value)
            for name, default in rule.options.items():
                key = f"{rule.id}__opt__{name}"
                raw = (data.get(key) or "").strip()
                if key not in self.fields or not raw:
                    continue
                try:
                    options[name] = parse_field(raw, name, default, rule.option_kinds.get(name))
                except OptionError as exc:
                    self.add_error(key, exc.message)
            enabled = {"on": True, "off": False}.get(data.get(f"{rule.id}__enabled") or "")
            self.settings[rule.id] = (enabled, data.get(f"{rule.id}__severity") or "", options)
        return data


def _option_field(name: str, kind: str, initial: str, declared: Choice | None) -> forms.Field:
    label = name.replace("_", " ")
    if declared is not None:
        return forms.ChoiceField(
            required=False,
            choices=[("", "inherit"), *((value, value) for value in declared.values)],
            initial=initial,
            label=label,
        )
    if kind == BOOL:
        return forms.ChoiceField(
            required=False,
            choices=[("", "inherit"), ("true", "yes"), ("false", "no")],
            initial=initial,
            label=label,
        )
    if kind in (INT, SHARE):
        attrs = {"inputmode": "decimal" if kind == SHARE else "numeric", "class": "number"}
        return forms.CharField(
            required=False, initial=initial, label=label, widget=forms.TextInput(attrs=attrs)
        )
    if kind == LIST:
        return forms.CharField(
            required=False,
            initial=initial,
            label=label,
            help_text="one name a line",
            widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        )
    return forms.CharField(
        required=False,
        initial=initial,
        label=label,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class TeamForm(forms.ModelForm):
    """A new team (staff): its name, and a slug for its addresses made from the name."""

    slug = forms.SlugField(
        required=False, max_length=100, help_text="Used in addresses; made from the name if empty."
    )

    class Meta:
        model = Team
        fields = ["name", "slug"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name") or "")[:100]
        if not slug:
            raise forms.ValidationError("Give the team a name with letters or digits.")
        if Team.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another team already uses the address {slug!r}.")
        return slug


class MemberForm(forms.Form):
    """Add a member to a team by user name or e-mail address."""

    user = forms.CharField(max_length=254, label="User name or e-mail")

    def clean_user(self) -> Any:
        text = self.cleaned_data["user"].strip()
        User = get_user_model()
        found = User.objects.filter(username__iexact=text).first() or (
            User.objects.filter(email__iexact=text).first() if "@" in text else None
        )
        if found is None:
            raise forms.ValidationError(
                f"No user {text!r}: they sign in once, or staff add them in the admin."
            )
        return found
