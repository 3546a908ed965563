"""The Celery application: SQLite broker by default, Redis through KSLARS_BROKER_URL."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kslars.web.settings")

app = Celery("kslars")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["kslars.web.jobs"])
