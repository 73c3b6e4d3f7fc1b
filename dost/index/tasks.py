"""Background work of the DOST Index (thin: it calls services)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dost.index.services import add_months, index_compute, month_start


@shared_task(ignore_result=True)
def compute_last_month() -> dict[str, object]:
    """Compute last month's Index, replacing what it had: run in the first days of a month,
    it takes in ratings answered and complaints closed after the month ended."""
    result = index_compute(first=add_months(month_start(timezone.localdate()), -1))
    return {"month": f"{result.first:%Y-%m}", "values": result.values, "scores": result.scores,
            "seconds": result.seconds}
