"""Turn a target database into a SchemaModel: one module per dialect behind one function."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from catalog.introspection.dsn import InvalidDSN, Target, check_target_allowed, parse_dsn
from catalog.introspection.errors import IntrospectionError
from catalog.introspection.limits import Limits
from catalog.introspection.model import SchemaModel

# Each module offers the same three functions: introspect, probe, read_only_role_sql.
# Imported on first use, so a deployment needs only the drivers it uses.
DIALECTS: dict[str, str] = {
    "postgresql": "catalog.introspection.postgres",
    "mysql": "catalog.introspection.mysql",
    "sqlite": "catalog.introspection.sqlite",
}


DEFAULT_LIMITS = Limits()


def dialect_module(dialect: str) -> ModuleType:
    return import_module(DIALECTS[dialect])


@dataclass(frozen=True)
class Probe:
    """What "test connection" reports: who we are on the server and what we could write."""

    server_version: str
    write_privileges: tuple[str, ...]  # human-readable; empty when the role is read-only
    read_only_sql: str  # GRANT statements for a read-only role, for the warning

    @property
    def can_write(self) -> bool:
        return bool(self.write_privileges)


def _target(dsn: str, limits: Limits) -> Target:
    try:
        target = parse_dsn(dsn)
        check_target_allowed(target, limits)
    except InvalidDSN as exc:
        raise IntrospectionError(str(exc)) from None
    return target


def introspect(dsn: str, *, limits: Limits = DEFAULT_LIMITS) -> SchemaModel:
    target = _target(dsn, limits)
    model: SchemaModel = dialect_module(target.dialect).introspect(target, limits=limits)
    return model


def probe(dsn: str, *, limits: Limits = DEFAULT_LIMITS) -> Probe:
    target = _target(dsn, limits)
    module = dialect_module(target.dialect)
    version, privileges = module.probe(target, limits=limits)
    return Probe(
        server_version=version,
        write_privileges=tuple(privileges),
        read_only_sql=module.read_only_role_sql(target),
    )


__all__ = [
    "DIALECTS",
    "dialect_module",
    "IntrospectionError",
    "Limits",
    "Probe",
    "SchemaModel",
    "introspect",
    "probe",
]
