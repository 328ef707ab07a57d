"""Change history: the ORM edge of catalog/diff.py.

``record_changes`` stores what a snapshot changed (called by snapshots._store, inside its
transaction), marks the changes an announcement named, and queues the watchers' e-mails.
``announce`` records "this change is coming" for a release check's ``--announce``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from catalog import diff
from catalog.models import Announcement, Connection


class InvalidAnnouncement(ValueError):
    """An announcement that cannot be recorded (no message, nothing to announce)."""


def announce(
    connection: Connection,
    changes: Iterable[diff.Change],
    *,
    message: str,
    author: Any = None,
) -> list[Announcement]:
    """Record each change as announced: one Announcement per change, with who, when, why.

    A later snapshot that sees the same kind of change to the same object within the
    connection's changes window marks its change announced (see ``match_announcements``).
    Raises InvalidAnnouncement for a blank message or no changes; nothing is stored then.
    """
    text = (message or "").strip()
    if not text:
        raise InvalidAnnouncement("An announcement needs a message saying what changes and when.")
    items: Sequence[diff.Change] = list(changes)
    if not items:
        raise InvalidAnnouncement("There is nothing to announce: the candidate changes nothing.")
    user = author if getattr(author, "pk", None) is not None else None
    with transaction.atomic():
        rows = Announcement.objects.bulk_create(
            Announcement(
                connection=connection,
                kind=change.kind,
                object=change.object,
                table=change.table,
                breaking=change.breaking,
                before=change.before or "",
                after=change.after or "",
                reason=change.reason,
                message=text,
                created_by=user,
            )
            for change in items
        )
    return rows
