"""Waivers over time: they follow renamed objects, and lapsed ones call for a rescore."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from catalog.models import SchemaChange, Snapshot
from scoring.models import SnapshotScore, Waiver


def follow_renames(snapshot: Snapshot) -> int:
    """Point the connection's waivers at the new names of what this snapshot saw renamed.

    Waivers name objects; a renamed table or column keeps its waivers as it keeps its
    documentation. Glob waivers are patterns a person wrote: left as written. Safe to run
    twice (a moved waiver no longer names the old object). Returns the waivers moved.
    """
    renames = SchemaChange.objects.filter(
        snapshot=snapshot, kind__in=("table_renamed", "column_renamed")
    ).values_list("kind", "object", "table", "before")
    return sum(
        move_waivers(
            snapshot.connection_id,
            before if kind == "table_renamed" else f"{table}.{before}",
            obj,
            table=kind == "table_renamed",
        )
        for kind, obj, table, before in renames
    )


def move_waivers(connection_id: int, old: str, new: str, *, table: bool) -> int:
    """Waivers of object ``old`` (and, for a table, of its columns) now name ``new``."""
    waivers = Waiver.objects.filter(connection_id=connection_id)
    if not table:
        return waivers.filter(scope=Waiver.Scope.FINDING, pattern=old).update(pattern=new)
    moved = waivers.filter(
        scope__in=(Waiver.Scope.FINDING, Waiver.Scope.TABLE), pattern=old
    ).update(pattern=new)
    for waiver in waivers.filter(scope=Waiver.Scope.FINDING, pattern__startswith=f"{old}."):
        waiver.pattern = new + waiver.pattern[len(old) :]
        waiver.save(update_fields=["pattern"])
        moved += 1
    return moved


def connections_with_lapsed_waivers(today: datetime.date | None = None) -> list[int]:
    """Connections holding a waiver that expired since their latest score: they must be
    rescored for the waived findings to come back (one query)."""
    today = today or timezone.localdate()
    scored_at = (
        SnapshotScore.objects.filter(connection=OuterRef("connection"))
        .order_by("-scored_at")
        .values("scored_at")[:1]
    )
    lapsed = (
        Waiver.objects.filter(revoked_at__isnull=True, expires_on__lte=today)
        .annotate(scored_at=Subquery(scored_at))
        .filter(scored_at__date__lt=F("expires_on"))
    )
    return sorted(set(lapsed.values_list("connection_id", flat=True)))
