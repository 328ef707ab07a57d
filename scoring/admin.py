from __future__ import annotations

from django.contrib import admin

from scoring.models import (
    DigestSend,
    DigestSettings,
    DigestSubscription,
    Finding,
    RuleSetting,
    SnapshotScore,
    Waiver,
)


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["rule", "team", "connection", "enabled", "severity", "updated_at"]
    list_filter = ["team"]
    search_fields = ["rule"]
    raw_id_fields = ["connection", "updated_by"]


@admin.register(Waiver)
class WaiverAdmin(admin.ModelAdmin):
    list_display = ["rule", "scope", "pattern", "connection", "created_by", "created_at"]
    list_display += ["expires_on", "revoked_at"]
    list_filter = ["scope", "connection"]
    search_fields = ["rule", "pattern", "reason"]
    raw_id_fields = ["connection", "created_by", "revoked_by"]


@admin.register(SnapshotScore)
class SnapshotScoreAdmin(admin.ModelAdmin):
    list_display = ["snapshot", "connection", "total", "open_findings", "scored_at", "duration"]
    list_filter = ["connection"]
    raw_id_fields = ["snapshot", "connection"]
    exclude = ["table_scores"]  # thousands of entries on a big schema


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["rule", "object", "severity", "connection", "waived", "opened_at"]
    list_display += ["resolved_at", "resolution"]
    list_filter = ["severity", "theme", "waived", "resolution", "connection"]
    search_fields = ["rule", "object", "message"]
    raw_id_fields = ["connection", "opened_in", "resolved_in"]


# Weekly health e-mails: schedules, opt-ins, and each week's record as sent (read-only:
# the record is the idempotency lock, and what went out must stay what went out).
@admin.register(DigestSettings)
class DigestSettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "enabled", "weekday", "hour", "time_zone"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "created_at"]
    list_filter = ["team"]
    raw_id_fields = ["user"]


@admin.register(DigestSend)
class DigestSendAdmin(admin.ModelAdmin):
    list_display = ["team", "week", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "team"]
    search_fields = ["team__slug", "week", "subject"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
