from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from dost.audit.verification import decision_log_verify


class Command(BaseCommand):
    help = ("Recompute every hash in the decision log and check the chain; exit 1 and name "
            "the first altered entry when it is not intact.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="end with one line of JSON: intact, entries, batches, "
                                 "first_altered, seconds, entries_per_second")

    def handle(self, *args, as_json: bool, **options) -> None:
        result = decision_log_verify()
        summary = (f"{result.entries:,} entries in {result.batches:,} batches, "
                   f"checked in {result.seconds:.2f} s "
                   f"({result.entries_per_second:,.0f} entries/s)")
        if result.intact:
            self.stdout.write(f"Decision log intact: {summary}.")
        else:
            where = []
            if result.first_altered is not None:
                where.append(f"first altered entry D-{result.first_altered}")
            if result.first_altered_batch is not None:
                where.append(f"first altered batch {result.first_altered_batch}")
            if not result.head_intact:
                where.append("the chain head does not name the last batch")
            self.stdout.write(f"Decision log ALTERED: {'; '.join(where)}. {summary}.")
        if as_json:
            self.stdout.write(json.dumps(result.as_dict()))
        if not result.intact:
            # Not CommandError: the report above is the output, the status says the rest.
            raise SystemExit(1)
