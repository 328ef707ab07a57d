from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms

from catalog import diff
from catalog.crypto import UndecryptableSecret, decrypt, encrypt
from catalog.introspection.dsn import InvalidDSN, check_target_allowed, parse_dsn, redact_dsn
from catalog.models import Connection, Team
from catalog.snapshots import target_limits

NAME_MAX_LENGTH = 80
INTERVALS = [
    (timedelta(minutes=15), "every 15 minutes"),
    (timedelta(hours=1), "hourly"),
    (timedelta(hours=6), "every 6 hours"),
    (timedelta(days=1), "daily"),
    (timedelta(weeks=1), "weekly"),
]


class ConnectionForm(forms.ModelForm):
    """Creates or edits a connection. The connection string is write-only: it is never
    rendered back; left blank on edit, the stored one is kept."""

    dsn = forms.CharField(
        label="Connection string",
        required=False,
        widget=forms.PasswordInput(
            render_value=False,
            attrs={
                "autocomplete": "off",
                "placeholder": "postgresql://user:password@host:5432/dbname",
            },
        ),
        help_text="postgresql://, mysql:// (MariaDB too) or sqlite:////absolute/path.db. "
        "Stored encrypted; never shown again.",
    )
    # The typed connection string, encrypted, when another field failed: the form comes
    # back with it kept (shown masked) instead of asking for the password again.
    dsn_kept = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        max_length=NAME_MAX_LENGTH,
        help_text=f"Up to {NAME_MAX_LENGTH} characters; it names the connection on every page.",
    )
    schedule_interval = forms.TypedChoiceField(
        choices=[(str(int(v.total_seconds())), label) for v, label in INTERVALS],
        coerce=lambda s: timedelta(seconds=int(s)),
        initial=str(3600),
        label="Snapshot",
    )

    class Meta:
        model = Connection
        fields = [
            "name",
            "team",
            "schedule_interval",
            "sampling_enabled",
            "enabled",
            "changes_window_days",
        ]
        labels = {"changes_window_days": "Changes window (days)"}

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"].queryset = teams  # type: ignore[attr-defined]
            if not self.instance.pk and len(teams) == 1:
                self.initial["team"] = teams[0].pk
        if self.instance.pk:
            self.initial["schedule_interval"] = str(
                int(self.instance.schedule_interval.total_seconds())
            )
            self.fields["dsn"].help_text = "Leave blank to keep the stored connection string."
        self.fields["team"].empty_label = "Choose a team"  # type: ignore[attr-defined]
        self.kept_token = ""
        self.kept_redacted = ""

    def clean_changes_window_days(self) -> int | None:
        days = self.cleaned_data.get("changes_window_days")
        if days is not None and not 1 <= days <= 3660:
            raise forms.ValidationError("A window of 1 to 3,660 days, or blank for the team's.")
        return days

    def clean_dsn(self) -> str:
        dsn = self.cleaned_data["dsn"].strip()
        if not dsn:
            dsn = self._kept_dsn()
        if dsn:
            try:
                check_target_allowed(parse_dsn(dsn), target_limits())
            except InvalidDSN as exc:
                raise forms.ValidationError(str(exc)) from None
            self.kept_token, self.kept_redacted = encrypt(dsn), redact_dsn(dsn)
        elif not self.instance.pk:
            raise forms.ValidationError("Enter the connection string.")
        return dsn

    def _kept_dsn(self) -> str:
        token = (self.data.get("dsn_kept") or "").strip() if self.is_bound else ""
        try:
            return decrypt(token) if token else ""
        except UndecryptableSecret:
            return ""

    def save(self, commit: bool = True) -> Connection:
        connection = super().save(commit=False)
        if self.cleaned_data.get("dsn"):
            connection.set_dsn(self.cleaned_data["dsn"])
        if commit and connection.pk:
            # Only what the form edits: a snapshot may be writing the status right now.
            connection.save(
                update_fields=[
                    *self.Meta.fields,
                    "dialect",
                    "dsn_encrypted",
                    "dsn_redacted",
                    "updated_at",
                ]
            )
        elif commit:
            connection.save()
        return connection


class TableFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Filter")
    schema = forms.CharField(required=False)
    kind = forms.ChoiceField(
        required=False,
        choices=[
            ("", "all kinds"),
            ("table", "tables"),
            ("partitioned", "partitioned"),
            ("view", "views"),
            ("materialized_view", "materialized views"),
            ("foreign", "foreign"),
        ],
    )
    dropped = forms.BooleanField(required=False, label="show dropped")


def teams_for(user: Any) -> Any:
    return Team.objects.all() if user.is_staff else Team.objects.filter(members=user)


class ChangeFilterForm(forms.Form):
    """Filters of a connection's change history (all optional)."""

    breaking = forms.BooleanField(required=False, label="breaking only")
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "all kinds"), *((k, k.replace("_", " ")) for k in diff.KINDS)],
    )
    schema = forms.CharField(required=False, max_length=255)
    table = forms.CharField(required=False, max_length=520, label="Table")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The start date is after the end date.")
        return data
