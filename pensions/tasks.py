"""Background tasks of the pensions subsystem (thin: they call services)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from dost.errors import DomainError
from pensions.services import pensions_index

logger = logging.getLogger(__name__)


@shared_task
def index_pensions(year: int | None = None) -> int:
    """Apply this year's indexation; returns how many pensions were raised.

    Scheduled every day of January: the decree may come after 1 January, and
    once the year is applied the later runs are refused and do nothing. A
    missing rate is left to fail loudly, so that someone adds it.
    """
    year = year or timezone.localdate().year
    try:
        return pensions_index(year=year).awards_updated
    except DomainError as exc:
        if exc.code != "already_indexed":
            raise
        logger.info("Pensions already indexed for %s.", year)
        return 0
