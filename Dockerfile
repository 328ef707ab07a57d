# syntax=docker/dockerfile:1
# SchemaJoy's application image. docker-compose.yml runs it three ways: web
# (gunicorn), worker and beat (Celery). Configuration comes from the
# environment at run time (see .env.example); nothing secret is baked in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SCHEMAJOY_VAR_DIR=/app/var

# graphviz's `dot` renders the ERDs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, exactly as pinned in pyproject.toml, so that a code
# change rebuilds only the layers below this one.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so the code that runs is the tree under /app: settings find
# templates/ and static/ beside the packages, as they do in a checkout.
RUN pip install --no-deps --editable .

# Static files are collected at build time; whitenoise serves them. Settings
# need a SECRET_KEY and Fernet keys to load: these dummies exist only in this
# step, so settings never writes generated secrets into the image.
RUN SECRET_KEY=collectstatic-only \
    SCHEMAJOY_FERNET_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; it owns only var/ (the Celery beat schedule).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home schemajoy \
    && chown -R schemajoy:schemajoy /app/var
USER schemajoy

EXPOSE 8000
# Workers: gunicorn reads WEB_CONCURRENCY (docker-compose.yml sets it). One
# process per container needs no gunicornc control socket (it would go in $HOME).
CMD ["gunicorn", "schemajoy_site.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--no-control-socket"]
