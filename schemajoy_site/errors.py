"""What the debug page and error e-mails may show: no broker URL, DSN or password."""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class SecretsExceptionReporterFilter(SafeExceptionReporterFilter):
    # Django's names, plus SchemaJoy's URLs that carry passwords (REDIS_URL,
    # CELERY_BROKER_URL, DATABASE_URL in request.META) and any variable holding a DSN.
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|REDIS|BROKER|RESULT_BACKEND"
        "|DATABASE_URL|DSN|CREDENTIAL",
        flags=re.IGNORECASE,
    )

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        # Local variables too, by name: a frame's `dsn` or `password` is as secret as a setting.
        return [
            (name, self.cleanse_setting(name, value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
