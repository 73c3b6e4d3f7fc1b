"""Celery application: Redis broker when REDIS_URL is set, eager otherwise."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dost.settings")

app = Celery("dost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
