from __future__ import annotations

import datetime as dt
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from dost.registry.seeding import populate


class Command(BaseCommand):
    help = (
        "Build a synthetic country: households, people, relations, jobs, contributions, "
        "disabilities and other institutions' registers (property, vehicles, businesses, "
        "large transactions, utility bills, job seekers, absences). The same --seed (and "
        "--today) gives the same country."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the day the country is dated from (default: today)")
        parser.add_argument("--replace", action="store_true",
                            help="delete the registry's people first (refused otherwise)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, people: int, seed: int, today: dt.date | None, replace: bool,
               no_progress: bool, **options) -> None:
        if people < 1:
            raise CommandError("--people must be at least 1.")
        started = time.perf_counter()
        with tqdm(total=people, unit=" people", disable=no_progress or None,
                  file=sys.stderr) as bar:
            try:
                counts = populate(people=people, seed=seed, today=today or timezone.localdate(),
                                  replace=replace, progress=bar.update)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"Seeded {summary} in {seconds:.1f} s.")
