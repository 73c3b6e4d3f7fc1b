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
from dost.entitlements.tasks import scan_launch, scan_relaunch
from dost.errors import DomainError

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
        parser.add_argument("--resume", type=int, default=None, metavar="SCAN_ID",
                            help="run again the chunks not done of a failed (or stalled) "
                                 "scan, as of its own date, and finish it")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, on: dt.date | None, as_json: bool, full: bool,
               resume: int | None, no_progress: bool, **options):
        if resume is not None and (on or full):
            raise CommandError("--resume runs a scan as it was started: no --on or --full.")
        started = time.perf_counter()
        scan = None
        try:
            with transaction.atomic():
                if resume is None:
                    scan = scan_launch(on=on or timezone.localdate(), full=full)
                else:
                    scan_relaunch(scan_run_id=resume)
                    scan = ScanRun.objects.get(pk=resume)
        except DomainError as refusal:
            raise CommandError(refusal.message) from refusal
        except Exception:
            # Without a broker the chunks run in-process at the commit, and a chunk that
            # failed for good raises here, its failure recorded: reported below.
            if scan is None or not ScanRun.objects.filter(
                    pk=scan.pk, status=ScanRun.Status.FAILED).exists():
                raise
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
            raise CommandError(f"Scan {scan.pk} failed: {scan.error}\n"
                               f"Run its chunks not done again with --resume {scan.pk}.")
        summary = {"scan": scan.pk, "on": scan.on.isoformat(), "scanned": scan.people_scanned,
                   "awarded": scan.awarded, "stopped": scan.stopped,
                   "chunks": scan.chunks_total,
                   "since": scan.since.isoformat() if scan.since else None,
                   "incremental_rules": scan.incremental_rules,
                   "rechecked": scan.people_rechecked,
                   "skipped_rules": scan.skipped_rules, "held_rules": scan.held_rules,
                   "missing_parameters": scan.missing_parameters,
                   "seconds": round(seconds, 3)}
        self.stdout.write(f"Scan {scan.pk} as of {scan.on}: {scan.people_scanned:,} people, "
                          f"{scan.awarded:,} awards, {scan.stopped:,} stopped on death, "
                          f"{seconds:.1f} s.")
        if scan.incremental_rules:
            self.stdout.write(f"{len(scan.incremental_rules)} of {len(scan.rules)} rules looked "
                              f"only at the {scan.people_rechecked:,} people who may have "
                              f"changed since the scan as of {scan.since}.")
        if scan.skipped_rules:
            self.stdout.write(f"Not in force yet on {scan.on}, skipped: "
                              f"{', '.join(scan.skipped_rules)}.")
        if scan.held_rules:
            self.stdout.write(f"Held until the law gives what they need "
                              f"({'; '.join(scan.missing_parameters)}): "
                              f"{', '.join(scan.held_rules)}.")
        if as_json:
            self.stdout.write(_json_line(summary))


def _json_line(summary: dict) -> str:
    return jsonlib.dumps(summary)
