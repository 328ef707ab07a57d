"""Errors of introspection, phrased for the person who owns the connection."""

from __future__ import annotations


class IntrospectionError(Exception):
    """A target could not be read. ``message`` is safe to show: it never holds a password.

    ``transient`` errors (unreachable host, timeout, server gone) are worth a retry;
    the others (wrong password, missing privilege, unsupported server) are not.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
