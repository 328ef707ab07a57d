"""The production shape (docker-compose.yml, Dockerfile, .env.example) agrees with the code.

There is no Docker engine where the suite runs, so nothing here starts a container:
the files are parsed and checked against what settings.py reads and what the
Celery and WSGI modules really are, and the environment compose would give the
app is fed to a real settings import in a subprocess.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from cryptography.fernet import Fernet

BASE = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
SECRETS = ("SECRET_KEY", "SCHEMAJOY_FERNET_KEYS")
_SETTINGS_READERS = {"env_bool", "env_int", "env_list", "get"}
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def settings_variables() -> set[str]:
    """Every environment variable settings.py reads, found in its source."""
    tree = ast.parse((BASE / "schemajoy_site" / "settings.py").read_text())
    names = {"DATABASE_URL"}  # read by dj_database_url.config() itself
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in _SETTINGS_READERS and isinstance(first, ast.Constant):
                names.add(first.value)
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant):
            names.add(node.left.value)  # "DATABASE_URL" not in os.environ
    return {n for n in names if isinstance(n, str) and n.isupper()}


def env_example() -> dict[str, str]:
    """NAME -> value for every NAME=value line of .env.example, commented out or not."""
    values = {}
    for line in (BASE / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2].strip().strip('"')
    return values


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, as `docker compose` expands them."""

    def expand(match: re.Match[str]) -> str:
        current = env.get(match["name"], "")
        if match["op"] == ":?" and not current:
            raise LookupError(match["arg"])
        return current or (match["arg"] if match["op"] == ":-" else "")

    return _VARIABLE.sub(expand, value)


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def test_compose_has_the_production_services(services: dict[str, Any]) -> None:
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")


def test_web_worker_and_beat_run_one_image_built_from_the_dockerfile(
    services: dict[str, Any],
) -> None:
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", name
    assert len({services[name]["image"] for name in APP_SERVICES}) == 1
    assert (BASE / "Dockerfile").is_file()


def test_every_variable_settings_reads_is_passed_to_every_app_service(
    services: dict[str, Any],
) -> None:
    wanted = settings_variables()
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SCHEMAJOY_FERNET_KEYS"} <= wanted
    for name in APP_SERVICES:
        missing = wanted - set(services[name]["environment"])
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_env_example_documents_every_variable_settings_reads() -> None:
    text = (BASE / ".env.example").read_text()
    documented = env_example()
    for name in settings_variables():
        assert name in documented, name
        # Each variable has a comment right above it (or above its group).
        line = next(i for i, ln in enumerate(text.splitlines()) if re.match(rf"^#?\s*{name}=", ln))
        assert any(
            ln.startswith("# ") and "=" not in ln.split()[1]
            for ln in text.splitlines()[max(0, line - 6) : line]
        ), name


def test_secrets_are_required_and_not_committed(services: dict[str, Any]) -> None:
    example = env_example()
    for secret in SECRETS:
        assert example[secret] == "", f".env.example must not ship a value for {secret}"
        for name in APP_SERVICES:
            with pytest.raises(LookupError, match=secret):
                interpolate(services[name]["environment"][secret], {})
    ignored = (BASE / ".dockerignore").read_text().split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


def test_urls_point_at_the_compose_services(services: dict[str, Any]) -> None:
    env = services["web"]["environment"]
    database = urlsplit(env["DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert database.scheme == "postgres"
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert (database.username, database.password, database.path) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        "/" + postgres["POSTGRES_DB"],
    )
    assert env["DATABASE_URL"] == "postgres://schemajoy:schemajoy@postgres:5432/schemajoy"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert interpolate(env["EMAIL_HOST"], {}) == "mailpit"
    assert interpolate(env["EMAIL_PORT"], {}) == "1025"
    assert "1025" in [str(p) for p in services["mailpit"]["expose"]]
    assert "8025:8025" in services["mailpit"]["ports"]


def test_app_services_wait_for_healthy_postgres_and_redis(services: dict[str, Any]) -> None:
    for backing in ("postgres", "redis"):
        assert services[backing]["healthcheck"]["test"], backing
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_web_migrates_then_serves_the_real_wsgi_module(services: dict[str, Any]) -> None:
    command = command_of(services["web"])
    assert command.index("manage.py migrate") < command.index("gunicorn schemajoy_site.wsgi")
    assert "0.0.0.0:8000" in command
    assert "8000:8000" in services["web"]["ports"]
    from schemajoy_site import wsgi

    assert callable(wsgi.application)


@pytest.mark.parametrize("role", ["worker", "beat"])
def test_worker_and_beat_point_at_the_real_celery_app(services: dict[str, Any], role: str) -> None:
    argv = shlex.split(command_of(services[role]))
    assert argv[0] == "celery"
    app_name = argv[argv.index("-A") + 1]
    assert app_name == "schemajoy_site"
    assert role in argv
    # What `celery -A schemajoy_site` resolves to, by Celery's own lookup.
    from schemajoy_site.celery import app

    found = find_app(app_name)
    assert isinstance(found, Celery)
    assert found is app


def test_beat_keeps_its_schedule_where_the_app_user_may_write(services: dict[str, Any]) -> None:
    argv = shlex.split(command_of(services["beat"]))
    schedule = argv[argv.index("--schedule") + 1]
    var_dir = services["beat"]["environment"]["SCHEMAJOY_VAR_DIR"]
    assert schedule.startswith(var_dir + "/")
    assert "chown -R schemajoy:schemajoy /app/var" in (BASE / "Dockerfile").read_text()


def test_dockerfile_builds_a_non_root_gunicorn_image() -> None:
    text = (BASE / "Dockerfile").read_text()
    instructions = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim-bookworm"
    assert "apt-get install -y --no-install-recommends graphviz" in text
    assert "pip install -r /tmp/requirements.txt" in text  # the pins of pyproject.toml
    assert "python manage.py collectstatic --noinput" in text
    users = [ln.split()[1] for ln in instructions if ln.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "EXPOSE 8000" in instructions
    assert instructions[-1].startswith('CMD ["gunicorn", "schemajoy_site.wsgi"')


def test_dockerfiles_build_time_fernet_key_is_a_valid_key() -> None:
    match = re.search(r"SCHEMAJOY_FERNET_KEYS=(\S+)", (BASE / "Dockerfile").read_text())
    assert match is not None
    Fernet(match[1].encode())  # raises if collectstatic would get a malformed key


def test_settings_load_the_production_shape_from_the_compose_environment(
    services: dict[str, Any], tmp_path: Path
) -> None:
    # The environment compose gives the worker, with .env.example's values and
    # generated secrets standing in for .env; settings are imported for real.
    dotenv = env_example() | {
        "SECRET_KEY": "test-secret-key-" + "x" * 40,
        "SCHEMAJOY_FERNET_KEYS": Fernet.generate_key().decode(),
    }
    environment = {
        name: interpolate(str(value), dotenv)
        for name, value in services["worker"]["environment"].items()
    }
    environment["SCHEMAJOY_VAR_DIR"] = str(tmp_path)  # /app/var does not exist here
    probe = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, s.EMAIL_BACKEND, "
        "s.EMAIL_HOST, s.EMAIL_PORT, len(s.FERNET_KEYS), ','.join(s.ALLOWED_HOSTS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "schemajoy_site.settings",
        }
        | environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "postgres",
        "redis://redis:6379/0",
        "False",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "mailpit",
        "1025",
        "1",
        "localhost,127.0.0.1",
    ]
    assert not list(tmp_path.glob("*key*"))  # no generated secret files: the env had them
