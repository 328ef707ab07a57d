from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.dbt import DbtImportError, ImportPlan, apply_dbt_import, plan_dbt_import
from catalog.lineage import LineageError, read_lineage, store_lineage
from catalog.models import Connection

# dbt's own configuration files, and folders of installed packages and build output.
NOT_SCHEMA_FILES = {"dbt_project.yml", "packages.yml", "profiles.yml", "selectors.yml",
                    "dependencies.yml", "package-lock.yml"}  # fmt: skip
SKIPPED_DIRS = {"target", "dbt_packages", "dbt_modules", "logs", ".venv", "node_modules"}


def project_files(path: Path) -> list[Path]:
    """The schema files of a dbt project directory; its target/manifest.json when it has none."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CommandError(f"{path} is neither a file nor a directory.")
    found = sorted(
        p
        for p in path.rglob("*")
        if p.suffix in (".yml", ".yaml")
        and p.name not in NOT_SCHEMA_FILES
        and not SKIPPED_DIRS.intersection(p.relative_to(path).parts[:-1])
    )
    manifest = path / "target" / "manifest.json"
    if not found and manifest.is_file():
        return [manifest]
    if not found:
        raise CommandError(f"No dbt schema files or target/manifest.json under {path}.")
    return found


def describe(plan: ImportPlan) -> list[str]:
    lines = [
        f"{len(plan.changes)} descriptions to import, {plan.unchanged} already up to date, "
        f"{len(plan.unmatched)} not found in this connection."
    ]
    lines += [f"  note: {n}" for n in plan.notes]
    for change in plan.changes:
        lines.append(f"  {change.label}: {change.after[:70]!r}")
        if change.note:
            lines.append(f"    ! {change.note}")
    lines += [f"  not found: {u}" for u in plan.unmatched[:50]]
    return lines


def describe_lineage(lineage: dict[str, Any]) -> str:
    tables = lineage["tables"]
    models = {m for entry in tables.values() for m in entry["models"]}
    return f"Lineage: {len(tables)} tables read by dbt sources, {len(models)} models downstream."


class Command(BaseCommand):
    help = "Import dbt source descriptions (schema.yml/sources.yml or manifest.json) into a connection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the connection's name")
        parser.add_argument(
            "path", help="a schema.yml, sources.yml, manifest.json, or a dbt project"
        )
        parser.add_argument(
            "--apply", action="store_true", help="apply the plan (default: show it)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(name=options["name"]).first()
        if connection is None:
            raise CommandError(f"No connection named {options['name']!r}.")
        files = project_files(Path(options["path"]))
        try:
            plan = plan_dbt_import(connection, [(str(p), p.read_bytes()) for p in files])
        except DbtImportError as exc:
            raise CommandError(str(exc)) from exc
        # A manifest also carries lineage (which models read each table): kept on --apply.
        # A project's own target/manifest.json counts too, beside its schema files.
        built = Path(options["path"]) / "target" / "manifest.json"
        manifest = next((p for p in files if p.suffix.lower() == ".json"), None) or (
            built if built.is_file() else None
        )
        lineage = None
        if manifest is not None:
            try:
                lineage = read_lineage(manifest.read_bytes(), name=str(manifest))
            except LineageError as exc:
                raise CommandError(str(exc)) from exc
        for line in describe(plan):
            self.stdout.write(line)
        if lineage is not None:
            self.stdout.write(describe_lineage(lineage))
        if not options["apply"]:
            self.stdout.write("Nothing changed: run again with --apply to import.")
            return
        result = apply_dbt_import(plan, user=None)
        self.stdout.write(f"Imported {result.applied} descriptions.")
        for label in result.stale:
            self.stdout.write(f"  skipped (changed meanwhile): {label}")
        if lineage is not None and manifest is not None:
            store_lineage(connection, lineage, file_name=manifest.name)
            self.stdout.write("Kept the manifest's lineage.")
