from __future__ import annotations

import datetime as dt
import json as jsonlib
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from dost.entitlements.models import ScanRun
from dost.entitlements.services import scan_start

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = ("Run every entitlement rule over the population as of a date, in chunks that "
            "Celery workers share, and print a summary.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None,
                            help="the date to scan as of (default: today)")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="end with one line of JSON: scanned, awarded, seconds...")
        parser.add_argument("--full", action="store_true",
                            help="run every rule over everyone, even after a completed scan "
                                 "earlier this year (by default only who may have changed)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, on: dt.date | None, as_json: bool, full: bool, no_progress: bool,
               **options):
        on = on or timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            scan = scan_start(on=on, full=full)
        with tqdm(total=scan.chunks_total, unit=" chunks", file=sys.stderr,
                  disable=no_progress or as_json or None) as bar:
            while True:
                scan.refresh_from_db()
                bar.update(scan.chunks_done - bar.n)
                if scan.status != ScanRun.Status.RUNNING:
                    break
                time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        if scan.status == ScanRun.Status.FAILED:
            raise CommandError(f"Scan {scan.pk} failed: {scan.error}")
        summary = {"scan": scan.pk, "on": on.isoformat(), "scanned": scan.people_scanned,
                   "awarded": scan.awarded, "chunks": scan.chunks_total,
                   "since": scan.since.isoformat() if scan.since else None,
                   "incremental_rules": scan.incremental_rules,
                   "rechecked": scan.people_rechecked, "seconds": round(seconds, 3)}
        self.stdout.write(f"Scan {scan.pk} as of {on}: {scan.people_scanned:,} people, "
                          f"{scan.awarded:,} awards, {seconds:.1f} s.")
        if scan.incremental_rules:
            self.stdout.write(f"{len(scan.incremental_rules)} of {len(scan.rules)} rules looked "
                              f"only at the {scan.people_rechecked:,} people who may have "
                              f"changed since the scan as of {scan.since}.")
        if as_json:
            self.stdout.write(_json_line(summary))


def _json_line(summary: dict) -> str:
    return jsonlib.dumps(summary)
