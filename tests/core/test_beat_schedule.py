"""Every task the beat schedule names is one the workers know: a typo would fail silently."""

from __future__ import annotations

import pytest
from django.conf import settings

from dost.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_the_beat_schedule_names_a_registered_task(entry):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
