from __future__ import annotations

import datetime as dt

from celery import shared_task

from dost.entitlements.services import scan_chunk_run, scan_fail, scan_start


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def scan_chunk(scan_run_id: int, rule_code: str, on: str, lo: int | None, hi: int | None,
               people: list[int] | None = None) -> int:
    try:
        return scan_chunk_run(scan_run_id=scan_run_id, rule_code=rule_code,
                              on=dt.date.fromisoformat(on), lo=lo, hi=hi, people=people)
    except Exception as exc:
        where = f"[{lo}, {hi})" if people is None else f"{len(people)} people"
        scan_fail(scan_run_id=scan_run_id, error=f"{rule_code} {where}: {exc!r}")
        raise


@shared_task
def nightly_scan() -> int:
    from django.utils import timezone

    return scan_start(on=timezone.localdate()).pk
