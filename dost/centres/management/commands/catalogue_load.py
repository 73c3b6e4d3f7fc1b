"""Load the service catalogue and the DOST centres from their YAML file (upsert by code)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dost.centres.services import CATALOGUE_PATH, CatalogueError, catalogue_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", type=Path, default=CATALOGUE_PATH,
                            help="catalogue file (default: the one in dost/centres)")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            counts = catalogue_load(path=path)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{counts.services} services, {counts.categories} categories, "
                          f"{counts.providers} providers, {counts.centres} centres loaded")
