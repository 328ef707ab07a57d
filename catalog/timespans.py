"""Human intervals for the command line: 15m, 1h, 6h, 1d, 1w."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_interval(text: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text.lower())
    if not match or int(match[1]) == 0:
        raise ValueError(f"{text!r} is not an interval; write it like 15m, 1h, 6h, 1d or 1w.")
    interval = timedelta(**{_UNITS[match[2]]: int(match[1])})
    if interval < timedelta(minutes=5):
        raise ValueError("Snapshot at most every 5 minutes: catalog reads are cheap, but not free.")
    return interval


def describe_interval(interval: timedelta) -> str:
    """`every hour`, `every 6 hours`, `every 15 minutes`: how pages say a schedule."""
    seconds = int(interval.total_seconds())
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {seconds} seconds"
