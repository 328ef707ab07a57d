"""dsn_redacted was derived by urlsplit, which showed passwords holding "/" in clear
("app:/S3cret@host" became "app:5432/S3cret@host"): derive it again with the new parser."""

from __future__ import annotations

from django.db import migrations


def redact_again(apps, schema_editor):
    from catalog.crypto import UndecryptableSecret, decrypt
    from catalog.introspection.dsn import redact_dsn

    Connection = apps.get_model("catalog", "Connection")
    for connection in Connection.objects.exclude(dsn_encrypted="").only("pk", "dsn_encrypted"):
        try:
            redacted = redact_dsn(decrypt(connection.dsn_encrypted))
        except UndecryptableSecret:
            redacted = "(connection string not readable with the configured keys)"
        Connection.objects.filter(pk=connection.pk).update(dsn_redacted=redacted)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_dbt_import_preview")]

    operations = [migrations.RunPython(redact_again, migrations.RunPython.noop)]
