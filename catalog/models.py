"""What the connected databases look like, and what people wrote about them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse

from catalog import crypto, diff
from catalog.introspection.dsn import parse_dsn, redact_dsn
from catalog.timespans import describe_interval


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    digest_recipients = models.TextField(
        blank=True, help_text="E-mail addresses for the weekly health report, one per line."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The `changes` theme looks back this many days (RULES.md); a connection may override it.
    changes_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days of change history the changes theme scores."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def recipient_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.digest_recipients.replace(",", "\n").splitlines()
            if line.strip()
        ]

    def can_edit(self, user: User | AnonymousUser) -> bool:
        return bool(user.is_staff or self.members.filter(pk=user.pk).exists())  # type: ignore[misc]

    def require_edit(self, user: User | AnonymousUser, *, to: str) -> None:
        """Refuse (403) a user who may not edit what the team owns; ``to`` names the action."""
        if not self.can_edit(user):
            raise PermissionDenied(f"Only members of the team {self.name} can {to}.")


class Connection(models.Model):
    class Dialect(models.TextChoices):
        POSTGRESQL = "postgresql", "PostgreSQL"
        MYSQL = "mysql", "MySQL / MariaDB"
        SQLITE = "sqlite", "SQLite"

    class Status(models.TextChoices):
        NEW = "new", "Not snapshotted yet"
        QUEUED = "queued", "Snapshot queued"
        RUNNING = "running", "Snapshot running"
        OK = "ok", "OK"
        FAILED = "failed", "Failed"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="connections")
    name = models.CharField(max_length=200, unique=True)
    dialect = models.CharField(max_length=20, choices=Dialect.choices)
    dsn_encrypted = models.TextField(editable=False)
    dsn_redacted = models.CharField(max_length=500, editable=False)
    schedule_interval = models.DurationField(default=timedelta(hours=1))
    sampling_enabled = models.BooleanField(default=True)
    enabled = models.BooleanField(default=True)
    last_status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    last_error = models.TextField(blank=True)
    last_snapshot_at = models.DateTimeField(null=True, blank=True)
    next_snapshot_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Held while a snapshot runs: two snapshots of one connection never run at once.
    snapshot_lock_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last "test connection" result: what the role could write.
    write_privileges = models.JSONField(default=list, blank=True, editable=False)
    read_only_sql = models.TextField(blank=True, editable=False)
    server_version = models.CharField(max_length=200, blank=True, editable=False)
    probed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    changes_window_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Overrides the team's changes window (days)."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:connection_detail", args=[self.pk])

    def set_dsn(self, dsn: str) -> None:
        target = parse_dsn(dsn)  # raises InvalidDSN with a safe message
        self.dialect = target.dialect
        self.dsn_encrypted = crypto.encrypt(dsn.strip())
        self.dsn_redacted = redact_dsn(dsn)

    def get_dsn(self) -> str:
        if not self.dsn_encrypted:
            raise crypto.CredentialsErased()
        return crypto.decrypt(self.dsn_encrypted)

    @property
    def credentials_erased(self) -> bool:
        return not self.dsn_encrypted

    @property
    def schedule_label(self) -> str:
        return describe_interval(self.schedule_interval)

    @property
    def busy(self) -> bool:
        return self.last_status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def changes_window(self) -> timedelta:
        days = self.changes_window_days or self.team.changes_window_days
        return timedelta(days=days)


class SchemaDocument(models.Model):
    """A schema's canonical JSON, stored once per distinct content."""

    fingerprint = models.CharField(max_length=64, primary_key=True)
    document = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.fingerprint[:12]


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def succeeded(self) -> SnapshotQuerySet:
        """Succeeded snapshots, latest first."""
        return self.filter(status=Snapshot.Status.SUCCEEDED).order_by("-started_at", "-pk")

    def latest_succeeded(self) -> Snapshot | None:
        return self.succeeded().first()


class Snapshot(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="snapshots")
    trigger = models.CharField(max_length=20, default="manual")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    error_message = models.TextField(blank=True)
    transient_error = models.BooleanField(default=False)
    duration = models.FloatField(null=True, blank=True, help_text="seconds")
    document = models.ForeignKey(
        SchemaDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshots"
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    changed = models.BooleanField(default=False)
    table_count = models.PositiveIntegerField(default=0)
    column_count = models.PositiveIntegerField(default=0)
    server_version = models.CharField(max_length=200, blank=True)
    # Observations, apart from the structure: they never change the fingerprint.
    row_estimates = models.JSONField(default=dict, blank=True)
    # Sampled value profiles and counters (counts and ratios only, never values).
    observations = models.JSONField(default=dict, blank=True)
    # The task delivery that took it ("<task id>:<retry>"): a redelivery finds its work here.
    task_attempt = models.CharField(max_length=100, blank=True, db_index=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["connection", "status", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.connection} @ {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.status == self.Status.SUCCEEDED


class CatalogObject(models.Model):
    """What tables and columns share: identity, docs, and when they were seen.

    Never deleted: an object that leaves the database is marked dropped and keeps its
    documentation, which comes back with it if it reappears.
    """

    ident = models.CharField(max_length=50, blank=True)
    comment = models.TextField(blank=True)  # the database's own COMMENT
    description = models.TextField(blank=True)  # SchemaJoy's own (Markdown)
    # Optimistic concurrency: an edit names the version it started from.
    description_version = models.PositiveIntegerField(default=0)
    description_updated_at = models.DateTimeField(null=True, blank=True)
    description_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dbt_description = models.TextField(blank=True)  # imported from a dbt project
    # RESTRICT, not PROTECT: a snapshot alone stays undeletable while objects cite it, but
    # deleting the connection (which cascades to both) works.
    first_seen = models.ForeignKey(Snapshot, on_delete=models.RESTRICT, related_name="+")
    # Null while present in the latest snapshot; the last snapshot that had it once dropped.
    last_seen = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    dropped_in = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )

    class Meta:
        abstract = True


class Table(CatalogObject):
    """A table or view of the live catalog. Never deleted: a dropped one is marked."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="tables")
    schema = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=30)
    row_estimate = models.BigIntegerField(null=True, blank=True)
    column_count = models.PositiveIntegerField(default=0)
    # Keys, foreign keys, indexes, checks, triggers, partitions: this table's slice of
    # the schema document, so a table page needs no parse of the whole document.
    structure = models.JSONField(default=dict)

    class Meta(CatalogObject.Meta):
        ordering = ["schema", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "schema", "name"], name="table_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.qualified_name

    def get_absolute_url(self) -> str:
        return reverse("catalog:table_detail", args=[self.connection_id, self.pk])

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"


class Column(CatalogObject):
    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=255)
    position = models.PositiveIntegerField()
    data_type = models.CharField(max_length=500)
    type_family = models.CharField(max_length=30)
    nullable = models.BooleanField(default=True)
    default = models.TextField(blank=True)
    identity = models.CharField(max_length=30, blank=True)
    generated = models.TextField(blank=True)

    class Meta(CatalogObject.Meta):
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["table", "name"], name="column_unique_name")]

    def __str__(self) -> str:
        return self.name


class DocRevision(models.Model):
    """One saved change of a table's or a column's description: who, when, before, after."""

    class Source(models.TextChoices):
        WEB = "web", "edited in SchemaJoy"
        REVERT = "revert", "reverted"
        DBT = "dbt", "imported from dbt"

    table = models.ForeignKey(Table, on_delete=models.CASCADE, related_name="doc_revisions")
    column = models.ForeignKey(
        Column, null=True, blank=True, on_delete=models.CASCADE, related_name="doc_revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        target = f"{self.table}.{self.column.name}" if self.column_id else str(self.table)  # type: ignore[union-attr]
        return f"{target} @ {self.created_at:%Y-%m-%d %H:%M}"


class Diagram(models.Model):
    """A rendered ERD, cached by (schema fingerprint, view parameters)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RUNNING = "running", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    cache_key = models.CharField(max_length=64, primary_key=True)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="diagrams")
    fingerprint = models.CharField(max_length=64)
    params = models.JSONField(default=dict)
    format = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    content = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.connection} {self.params} ({self.status})"


CHANGE_KIND_CHOICES = [(kind, kind.replace("_", " ")) for kind in diff.KINDS]


class Announcement(models.Model):
    """ "This change is coming": recorded by a release check's --announce, before it ships.

    A later snapshot that sees the same kind of change to the same object, within the
    connection's changes window, marks its change announced by this row.
    """

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="announcements"
    )
    kind = models.CharField(max_length=30, choices=CHANGE_KIND_CHOICES)
    object = models.CharField(max_length=800)
    table = models.CharField(max_length=520)
    breaking = models.BooleanField(default=False)
    # "" stands for None (nothing before an addition, nothing after a drop).
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    message = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a snapshot saw the change (its SchemaChange rows point here).
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["connection", "kind", "object"], name="announcement_match"),
            models.Index(fields=["connection", "-created_at"], name="announcement_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object} (announced {self.created_at:%Y-%m-%d})"


class SchemaChange(models.Model):
    """One change a snapshot saw, against the connection's previous good snapshot."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="changes")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="changes")
    detected_at = models.DateTimeField()
    kind = models.CharField(max_length=30, choices=CHANGE_KIND_CHOICES)
    object = models.CharField(max_length=800)  # schema.table or schema.table.column
    table = models.CharField(max_length=520)  # the unit: schema.table
    schema = models.CharField(max_length=255)
    # "" stands for None (nothing before an addition, nothing after a drop).
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    breaking = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    # A guessed rename (MySQL, SQLite): shown as such, and a person may undo it.
    probable = models.BooleanField(default=False)
    # A rename that kept the old name readable (a view or column of the old name).
    transition = models.BooleanField(default=False)
    announcement = models.ForeignKey(
        Announcement, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    # Position in diff order within the snapshot (breaking first), for a stable listing.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-detected_at", "-snapshot_id", "position"]
        indexes = [
            models.Index(fields=["connection", "-detected_at"], name="change_history"),
            models.Index(fields=["connection", "breaking", "-detected_at"], name="change_breaking"),
            models.Index(fields=["connection", "table", "-detected_at"], name="change_table"),
            models.Index(fields=["connection", "kind", "object"], name="change_kind_object"),
            models.Index(
                fields=["-detected_at"], condition=Q(breaking=True), name="change_breaking_feed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object}"

    @property
    def announced(self) -> bool:
        return self.announcement_id is not None

    def as_change(self) -> diff.Change:
        return diff.Change(
            kind=self.kind,
            object=self.object,
            table=self.table,
            before=self.before or None,
            after=self.after or None,
            breaking=self.breaking,
            reason=self.reason,
            probable=self.probable,
            transition=self.transition,
        )


class Watch(models.Model):
    """A user watching a connection, or one table or column of its live catalog.

    Table and column rows follow renames, so a watch does too.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="watches")
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    column = models.ForeignKey(
        Column, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "connection"],
                condition=Q(table__isnull=True, column__isnull=True),
                name="watch_one_per_connection",
            ),
            models.UniqueConstraint(
                fields=["user", "table"],
                condition=Q(table__isnull=False, column__isnull=True),
                name="watch_one_per_table",
            ),
            models.UniqueConstraint(
                fields=["user", "column"],
                condition=Q(column__isnull=False),
                name="watch_one_per_column",
            ),
            models.CheckConstraint(
                condition=Q(column__isnull=True) | Q(table__isnull=False),
                name="watch_column_has_table",
            ),
        ]
        indexes = [models.Index(fields=["connection"], name="watch_connection")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.column_id:
            return f"{self.connection.name}: {self.table.qualified_name}.{self.column.name}"  # type: ignore[union-attr]
        if self.table_id:
            return f"{self.connection.name}: {self.table.qualified_name}"  # type: ignore[union-attr]
        return self.connection.name


class DbtLineage(models.Model):
    """The lineage of a connection's last uploaded dbt manifest (see catalog/lineage.py)."""

    connection = models.OneToOneField(
        Connection, on_delete=models.CASCADE, related_name="dbt_lineage"
    )
    # {"generated_at", "tables": {"schema.table": {"sources": [...], "models": [...]}}}
    document = models.JSONField(default=dict)
    file_name = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"dbt lineage of {self.connection}"

    @property
    def table_count(self) -> int:
        return len(self.document.get("tables") or {})


class ApiToken(models.Model):
    """A team's token for the release-check API. Only a hash is stored: the token itself is
    shown once, when it is created (see catalog/tokens.py)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first characters of the token, to tell tokens apart on the page and in logs.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class DbtImportPreview(models.Model):
    """A dbt import plan between its preview and "Apply": kept here, not in the session
    (whose row every request reads), for one user and one connection, for an hour."""

    token = models.CharField(max_length=64, primary_key=True)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"dbt import preview for {self.connection_id} by {self.user_id}"
