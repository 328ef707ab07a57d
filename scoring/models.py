"""Scores, findings, waivers and rule settings: what scoring keeps.

Storage grows with what changes, not with schema size x snapshots:

- ``SnapshotScore``: one small row per scored snapshot (total, theme and rule scores for
  trends, and the top fixes). Per-table scores are kept on the latest one only.
- ``Finding``: one row per *episode* of a (rule, object) failure. It is opened in the
  snapshot where the failure first appears and stays the same row while it persists; it is
  resolved in the snapshot where it disappears. A failure that comes back opens a new row,
  so each row is one opened/resolved interval and the history of a (rule, object) is its
  rows in order. Unchanged findings are never written again.
"""

from __future__ import annotations

import datetime
from fnmatch import fnmatchcase
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from catalog.models import Connection, Snapshot, Team
from scoring.trends import ScorePoint

SEVERITY_CHOICES = [("E", "error"), ("W", "warning"), ("I", "info")]


def _escape_glob(text: str) -> str:
    """A literal name as an fnmatch pattern ([ ] * ? match themselves)."""
    return "".join(f"[{ch}]" if ch in "[]*?" else ch for ch in text)


class RuleSetting(models.Model):
    """A team's setting for one rule, or a connection's override of it.

    Empty fields inherit: ``enabled`` None and ``severity`` "" take the team's value (or
    the rule's default); ``options`` are merged key by key over the team's and the rule's.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rule_settings")
    connection = models.ForeignKey(
        Connection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rule_settings",
    )
    rule = models.CharField(max_length=100)
    enabled = models.BooleanField(null=True, blank=True)
    severity = models.CharField(max_length=1, blank=True, choices=SEVERITY_CHOICES)
    options = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "rule"],
                condition=Q(connection__isnull=True),
                name="rulesetting_one_per_team_rule",
            ),
            models.UniqueConstraint(
                fields=["connection", "rule"],
                condition=Q(connection__isnull=False),
                name="rulesetting_one_per_connection_rule",
            ),
        ]

    def __str__(self) -> str:
        scope = self.connection.name if self.connection_id else str(self.team)  # type: ignore[union-attr]
        return f"{self.rule} @ {scope}"


class WaiverQuerySet(models.QuerySet["Waiver"]):
    def active(self, today: datetime.date | None = None) -> WaiverQuerySet:
        """Not revoked, and not expired: a waiver counts until the day before ``expires_on``."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gt=today)
        )


class Waiver(models.Model):
    """A team member's decision that some failures pass, with who, when and why.

    Never deleted: revoking one keeps the row (revoked_at, revoked_by) for the record.
    """

    class Scope(models.TextChoices):
        FINDING = "finding", "one finding"
        TABLE = "table", "a table (and its columns)"
        GLOB = "glob", "objects matching a glob"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="waivers")
    # A rule id, or a glob of rule ids ("*", "ts-*") for the glob scope.
    rule = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.FINDING)
    # The object name (finding), the table "schema.table" (table), or a glob (glob).
    pattern = models.TextField()
    reason = models.TextField()
    expires_on = models.DateField(
        null=True, blank=True, help_text="The finding counts again from this day."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WaiverQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.rule} on {self.pattern}"

    def globs(self) -> list[tuple[str, str]]:
        """(rule glob, object glob) pairs, as RuleContext.waivers takes them."""
        if self.scope == self.Scope.FINDING:
            return [(_escape_glob(self.rule), _escape_glob(self.pattern))]
        if self.scope == self.Scope.TABLE:
            table = _escape_glob(self.pattern)
            return [(self.rule, table), (self.rule, table + ".*")]
        return [(self.rule, self.pattern)]

    def covers(self, rule: str, obj: str) -> bool:
        return any(fnmatchcase(rule, r) and fnmatchcase(obj, o) for r, o in self.globs())

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and (self.expires_on is None or self.expires_on > today)


class SnapshotScoreQuerySet(models.QuerySet["SnapshotScore"]):
    def newest_first(self) -> SnapshotScoreQuerySet:
        """By the snapshot's start, newest first (the snapshot id breaks a tie)."""
        return self.order_by("-snapshot__started_at", "-snapshot_id")

    def newest_of(self, connection: Any) -> SnapshotScoreQuerySet:
        """A connection's scores, newest first; ``connection`` may be an OuterRef."""
        return self.filter(connection=connection).newest_first()

    def latest_of(self, connection: Connection | int) -> SnapshotScore | None:
        """The connection's current score: that of its latest scored snapshot."""
        return self.newest_of(connection).first()

    def score_points(
        self,
        connection_ids: list[int],
        *,
        since: datetime.datetime,
        until: datetime.datetime | None = None,
        with_baseline: bool = False,
        with_rules: bool = True,
    ) -> list[ScorePoint]:
        """The scored snapshots of these connections from ``since`` (to ``until``), oldest
        first: one query. ``with_baseline`` adds each connection's last point before
        ``since``, so a trend starts from where the databases stood rather than from
        nothing. Without ``with_rules`` the points' rules are left empty (and unread: the
        bulk of each row)."""
        window = Q(snapshot__started_at__gte=since)
        if with_baseline:
            before = (
                SnapshotScore.objects.newest_of(OuterRef("connection"))
                .filter(snapshot__started_at__lt=since)
                .values("snapshot_id")[:1]
            )
            window |= Q(snapshot_id=Subquery(before))
        rows = self.filter(window, connection_id__in=connection_ids)
        if until is not None:
            rows = rows.filter(snapshot__started_at__lte=until)
        fields = ["connection_id", "snapshot__started_at", "total", "snapshot__table_count"]
        rows = rows.order_by("snapshot__started_at", "snapshot_id")
        if not with_rules:
            return [ScorePoint(*row, {}) for row in rows.values_list(*fields)]  # type: ignore[call-arg]
        return [ScorePoint(*row) for row in rows.values_list(*fields, "rules")]


class SnapshotScore(models.Model):
    """The scores of one snapshot: a small row, kept for trends."""

    snapshot = models.OneToOneField(
        Snapshot, on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="scores")
    scored_at = models.DateTimeField()
    duration = models.FloatField(default=0.0, help_text="seconds")
    total = models.FloatField(null=True, blank=True)  # None: nothing applied
    themes = models.JSONField(default=dict)  # theme -> score
    # rule id -> {"severity", "passed", "applicable", "waived", "rate"}; a disabled rule
    # is absent, a rule with nothing to apply to has applicable 0 and rate None.
    rules = models.JSONField(default=dict)
    open_findings = models.PositiveIntegerField(default=0)
    waived_findings = models.PositiveIntegerField(default=0)
    # The open findings whose fix raises the score most, best first, with their gains.
    top_fixes = models.JSONField(default=list)
    # "schema.table" -> score: on the latest scored snapshot only (emptied on older ones).
    table_scores = models.JSONField(default=dict, blank=True)
    # sha256 of everything the scores are a function of (schema, row estimates, effective
    # settings, descriptions, active waivers, observations, the scoring code): the next
    # snapshot with the same inputs copies this row instead of running the engine again.
    inputs_digest = models.CharField(max_length=64, blank=True)

    objects = SnapshotScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-scored_at"]
        indexes = [models.Index(fields=["connection", "-scored_at"])]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.total}"


class FindingQuerySet(models.QuerySet["Finding"]):
    def current(self) -> FindingQuerySet:
        """Failing in the latest scored snapshot (open or waived)."""
        return self.filter(resolved_in__isnull=True)

    def open(self) -> FindingQuerySet:
        return self.filter(resolved_in__isnull=True, waived=False)

    def waived(self) -> FindingQuerySet:
        return self.filter(resolved_in__isnull=True, waived=True)

    def resolved(self) -> FindingQuerySet:
        return self.filter(resolved_in__isnull=False)

    def new_since(self, when: datetime.datetime) -> FindingQuerySet:
        """Opened (first appeared, or came back) in a snapshot taken at or after ``when``."""
        return self.filter(opened_at__gte=when)

    def fixed_since(self, when: datetime.datetime) -> FindingQuerySet:
        """Resolved because the schema changed (not because a rule was switched off)."""
        return self.filter(resolved_at__gte=when, resolution=Finding.Resolution.FIXED)


class Finding(models.Model):
    """One episode of a failing (rule, object): opened in one snapshot, resolved in another."""

    class Resolution(models.TextChoices):
        FIXED = "fixed", "fixed"  # a new snapshot passes, or the object is gone
        SETTINGS = "settings", "settings changed"  # a rule switched off, options changed
        DOCUMENTED = "documented", "documented"  # a description written in SchemaJoy

    # Every query on findings is per connection, and the composite indexes below lead with
    # it: its own index would only slow down the first scoring's 100,000-row insert.
    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="findings", db_index=False
    )
    rule = models.CharField(max_length=100)
    theme = models.CharField(max_length=20)
    object = models.TextField()  # schema.table, schema.table.column, or "" (the database)
    table = models.TextField(blank=True)  # schema.table, or "" for database-level findings
    severity = models.CharField(max_length=1, choices=SEVERITY_CHOICES)
    message = models.TextField()
    fix = models.TextField(blank=True)
    waived = models.BooleanField(default=False)
    opened_in = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()  # the opening snapshot's start
    # Indexed where set only (see Meta): open findings, most rows, skip the index.
    resolved_in = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, blank=True, choices=Resolution.choices)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "object", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "rule", "object"],
                condition=Q(resolved_in__isnull=True),
                name="finding_one_current_episode",
            )
        ]
        # What the pages ask: a table's findings and the findings page's table filter,
        # "new this week", "fixed this week"; opened_in's own index serves deleting a
        # snapshot. Resolved findings are the minority: the indexes on resolution skip
        # the rest (a query for a resolved_at or resolved_in value implies NOT NULL).
        indexes = [
            models.Index(fields=["connection", "table"], name="finding_table"),
            models.Index(fields=["connection", "opened_at"], name="finding_opened"),
            models.Index(
                fields=["connection", "resolved_at"],
                condition=Q(resolved_at__isnull=False),
                name="finding_resolved",
            ),
            models.Index(
                fields=["resolved_in"],
                condition=Q(resolved_in__isnull=False),
                name="finding_resolved_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.object or '(database)'}"

    @property
    def status(self) -> str:
        if self.resolved_in_id is not None:
            return "resolved"
        return "waived" if self.waived else "open"


# Weekly health e-mails ------------------------------------------------------------


def validate_time_zone(value: str) -> None:
    """An IANA name (``Europe/London``) that zoneinfo knows."""
    from django.core.exceptions import ValidationError

    from scoring.digests import parse_time_zone

    try:
        parse_time_zone(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class DigestSettings(models.Model):
    """When a team's weekly e-mail goes out: a weekday and hour in the team's own time zone.

    A team without a row gets the defaults (Monday 08:00 Europe/London). The extra
    addresses are the team's ``digest_recipients``.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, primary_key=True, related_name="digest_settings"
    )
    enabled = models.BooleanField(default=True)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    hour = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name_plural = "digest settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__gte=0, hour__lte=23) & Q(weekday__gte=0, weekday__lte=6),
                name="digestsettings_valid_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_weekday_display()} {self.hour:02d}:00 {self.time_zone}"


class DigestSubscription(models.Model):
    """A member who asked for a team's weekly e-mail (on their account page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="digest_subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="digestsubscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} <- {self.team}"


class DigestSend(models.Model):
    """One team's e-mail of one ISO week: claimed (recorded) before anything is sent.

    The unique (team, week) row is the lock: whoever inserts it composes the e-mail, and a
    send attempt runs only after a conditional update moved the row to SENDING. Each
    recipient's delivery is marked as soon as the SMTP server accepted it, so a retry or
    a recovery after a dead worker sends only to those not marked (see scoring/mailings.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Failed, will retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "No recipients"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="digest_sends")
    week = models.CharField(max_length=8, help_text="ISO week, 2026-W49")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    # [{"address", "user_id", "sent_at"}]: who gets it, and who has it already.
    recipients = models.JSONField(default=list)
    subject = models.TextField()
    html = models.TextField()
    text = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    forced = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the content was composed (again, with --force): part of each Message-ID, so a
    # forced resend is a new message while a resumed attempt is the same one.
    composed_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "team"]
        constraints = [
            models.UniqueConstraint(fields=["team", "week"], name="digestsend_one_per_team_week")
        ]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=~Q(status__in=["sent", "failed", "skipped"]),
                name="digestsend_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.week} ({self.status})"

    @property
    def delivered(self) -> int:
        return sum(1 for r in self.recipients if r.get("sent_at"))


class ScoringFailure(models.Model):
    """A connection's last scoring run that raised, shown on its pages until a run succeeds
    (a failure in a worker would otherwise only reach its log)."""

    connection = models.OneToOneField(
        Connection, on_delete=models.CASCADE, related_name="scoring_failure"
    )
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed_at = models.DateTimeField()
    error = models.TextField()

    def __str__(self) -> str:
        return f"{self.connection}: {self.error[:60]}"
