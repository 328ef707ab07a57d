"""SchemaJoy settings: one file, driven by environment variables.

With nothing set it runs embedded: SQLite under var/, Celery tasks in-process,
e-mail written to files. DATABASE_URL and REDIS_URL switch to the production shape.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCHEMAJOY_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


def secret_from_file(name: str, make: Callable[[], str]) -> str:
    """Embedded mode keeps generated secrets in var/ so they survive restarts."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = env_bool("DEBUG", default="DATABASE_URL" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_from_file(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
# The first key encrypts; every key decrypts, so keys can rotate.
FERNET_KEYS = env_list("SCHEMAJOY_FERNET_KEYS") or [secret_from_file("fernet_key", _fernet_key)]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "catalog",
    "scoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "schemajoy_site.middleware.DatabaseUnavailableMiddleware",
    "schemajoy_site.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "schemajoy_site.urls"
WSGI_APPLICATION = "schemajoy_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schemajoy_site.context_processors.background_work",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'schemajoy.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database is shared by the web process and in-process tasks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Celery: with no REDIS_URL, tasks run in-process (embedded mode).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("SCHEMAJOY_QUEUE", "celery")
# A pool process whose resident memory passed this many KiB is replaced after its task: a
# 5,000-table snapshot leaves ~400 MB of high-water mark behind that Python never returns.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 262144)
CELERY_BEAT_SCHEDULE = {
    "snapshot-due-connections": {
        "task": "catalog.tasks.snapshot_due_connections",
        "schedule": env_int("SCHEMAJOY_BEAT_SECONDS", 60),
    },
    "rescore-lapsed-waivers": {
        "task": "scoring.tasks.rescore_lapsed_waivers",
        "schedule": 3600,
    },
}

# A running snapshot renews its connection's lock every SNAPSHOT_HEARTBEAT_SECONDS; a lock
# not renewed for SNAPSHOT_LOCK_STALE_SECONDS belongs to a dead worker and is taken back.
SNAPSHOT_HEARTBEAT_SECONDS = env_int("SNAPSHOT_HEARTBEAT_SECONDS", 15)
SNAPSHOT_LOCK_STALE_SECONDS = env_int("SNAPSHOT_LOCK_STALE_SECONDS", 90)
# Tasks are acknowledged when they end (acks_late): a task whose worker died is delivered
# again once this many seconds pass. Longer than the longest snapshot, or a run still going
# gets a second delivery (harmless, it waits for the lock and finds the work done, but it
# holds a worker slot). Redis's default, one hour, delays recovery after a crash.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    "unacked_restore_throttle": 1,
}

# Pages ask the broker whether background work runs at most this often (per web process).
BROKER_CHECK_SECONDS = env_int("BROKER_CHECK_SECONDS", 15)

# Target sessions: timeouts in seconds.
TARGET_CONNECT_TIMEOUT = env_int("TARGET_CONNECT_TIMEOUT", 10)
TARGET_STATEMENT_TIMEOUT = env_int("TARGET_STATEMENT_TIMEOUT", 120)
TARGET_LOCK_TIMEOUT = env_int("TARGET_LOCK_TIMEOUT", 5)
# Sampling of values per snapshot (when the connection allows it): total seconds, rows per table.
SAMPLING_BUDGET_SECONDS = env_int("SAMPLING_BUDGET_SECONDS", 30)
SAMPLING_ROWS = env_int("SAMPLING_ROWS", 1000)
# Seconds graphviz may spend on one diagram before it is recorded as failed.
ERD_RENDER_TIMEOUT = env_int("ERD_RENDER_TIMEOUT", 60)

# E-mail: files under var/ unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SchemaJoy <schemajoy@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The release-check API (scoring/api.py) refuses bodies over this many bytes: by their
# Content-Length before reading them, and for gzip bodies by their decompressed size.
RELEASE_API_MAX_BODY_BYTES = env_int("RELEASE_API_MAX_BODY_BYTES", 20 * 1024 * 1024)
# Absolute links in e-mails (watchers' change notices) start with this address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Weekly health e-mails (scoring/mailings.py).
# A send attempt's claim: after this long a SENDING row counts as abandoned (dead worker).
DIGEST_SEND_LEASE_SECONDS = env_int("SCHEMAJOY_DIGEST_LEASE_SECONDS", 600)
# Backoff of failed sends: this, then doubled per attempt, DIGEST_MAX_ATTEMPTS tries in all.
DIGEST_RETRY_SECONDS = env_int("SCHEMAJOY_DIGEST_RETRY_SECONDS", 300)
DIGEST_MAX_ATTEMPTS = env_int("SCHEMAJOY_DIGEST_MAX_ATTEMPTS", 4)
CELERY_BEAT_SCHEDULE["send-weekly-digests"] = {
    "task": "scoring.tasks.send_due_digests",
    "schedule": 900,
}
# Security hardening (issue 15) ------------------------------------------------------
# Longest description or Markdown preview accepted, in characters (forms, dbt import, preview).
SCHEMAJOY_DESCRIPTION_MAX_CHARS = env_int("SCHEMAJOY_DESCRIPTION_MAX_CHARS", 20_000)
# Largest request body accepted (dbt uploads), refused by Content-Length before it is read.
SCHEMAJOY_UPLOAD_MAX_BYTES = env_int("SCHEMAJOY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)

# HTTPS (SECURE_COOKIES=true means "served over HTTPS"): redirects, HSTS and secure cookies
# follow, so that `check --deploy --fail-level WARNING` passes in the production shape.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if env_bool("BEHIND_HTTPS_PROXY", default=False):
    # The proxy terminates TLS and says so; without this SECURE_SSL_REDIRECT would loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# Content-Security-Policy (django-csp): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The vendored svg-pan-zoom sets a style attribute on the diagram it pans; style
        # attributes run no code. Our own templates hold none (tests/test_site_security.py).
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The debug page and error e-mails mask these settings and frame variables (broker URLs
# and DSNs carry passwords).
DEFAULT_EXCEPTION_REPORTER_FILTER = "schemajoy_site.errors.SecretsExceptionReporterFilter"

# Login throttling (schemajoy_site/login.py): failures per account and per address.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# The throttle's counters live in the cache: Redis when there is one, so that every web
# process sees the same counts.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "schemajoy",
    }
}

# Where SQLite targets may live (connection probing must not test arbitrary files), and
# which hosts targets may be on (comma-separated names or addresses; empty: any).
SCHEMAJOY_SQLITE_ROOT = Path(os.environ.get("SCHEMAJOY_SQLITE_ROOT") or VAR_DIR / "demo")
SCHEMAJOY_TARGET_HOSTS = env_list("SCHEMAJOY_TARGET_HOSTS")
