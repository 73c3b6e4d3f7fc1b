"""Background tasks of the registry (thin: they call selectors and services)."""

from __future__ import annotations

from celery import shared_task

from dost.registry.models import Person


@shared_task
def registry_size() -> int:
    """How many people the registry holds: a task that proves a worker reaches the database."""
    return Person.objects.count()
