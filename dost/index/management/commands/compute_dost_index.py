"""``manage.py compute_dost_index --year 2026`` or ``--month 2026-03``: compute the DOST Index
of those months (replacing what they had) and print a summary."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dost.errors import DomainError
from dost.index.forms import parse_month
from dost.index.services import add_months, index_compute, month_start


class Command(BaseCommand):
    help = ("Compute the DOST Index (every KPI, score and rank of every centre and the country) "
            "for a year or a month, replacing what those months had.")

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--year", help="a year, YYYY: its months up to this one")
        which.add_argument("--month", help="one month, YYYY-MM")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="end with one line of JSON: first, last, months, values, "
                                 "scores, seconds")

    def handle(self, *args: Any, year: str | None, month: str | None, as_json: bool,
               **options: Any) -> None:
        if year is not None:
            if not re.fullmatch(r"[0-9]{4}", year) or int(year) < 1900:
                raise CommandError("Give --year as four digits, like 2026.")
            first = dt.date(int(year), 1, 1)
            last = min(add_months(first, 11), month_start(timezone.localdate()))
        elif month is not None:
            parsed = parse_month(month)
            if parsed is None:
                raise CommandError("Give --month as year and month, like 2026-03.")
            first = last = parsed
        else:
            raise CommandError("Give --year YYYY or --month YYYY-MM.")
        try:
            result = index_compute(first=first, last=last)
        except DomainError as refusal:
            raise CommandError(str(refusal.message)) from refusal
        self.stdout.write(f"DOST Index {result.first:%Y-%m} to {result.last:%Y-%m}: "
                          f"{result.months} months, {result.values:,} KPI values, "
                          f"{result.scores:,} scores in {result.seconds:.2f} s")
        if as_json:
            self.stdout.write(json.dumps({
                "first": f"{result.first:%Y-%m}", "last": f"{result.last:%Y-%m}",
                "months": result.months, "values": result.values, "scores": result.scores,
                "seconds": result.seconds}))
