"""Benchmarks: `make bench` runs every bench_*.py here and prints one table.

Each benchmark runs against its own database (``dost_bench`` on the server of
``DATABASE_URL``, or on the embedded server), so the development data is safe.
Results are written as JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DATABASE = "dost_bench"


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        from dost.embedded_db import embedded_database_url

        base = embedded_database_url(ROOT)
    parts = urlsplit(base)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    connection.close()
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE",
                                                                         1_000_000)))
    parser.add_argument("--only", help="run only the benchmark with this name")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    results = []
    # The registry benchmark seeds the population the others run over.
    paths = sorted(Path(__file__).parent.glob("bench_*.py"),
                   key=lambda path: (path.stem != "bench_registry", path.stem))
    for path in paths:
        name = path.stem.removeprefix("bench_")
        if args.only and args.only != name:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        print(f"== {name}", flush=True)
        results.extend(module.run(people=args.people))

    print()
    print(f"{'benchmark':<44} {'value':>14}  {'unit':<10} {'target':<14} {'ok'}")
    for row in results:
        ok = "" if row.get("met") is None else ("yes" if row["met"] else "NO")
        print(f"{row['name']:<44} {row['value']:>14,.2f}  {row['unit']:<10} "
              f"{row.get('target', ''):<14} {ok}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    payload = {"when": stamp, "people": args.people, "cpus": os.cpu_count(), "results": results}
    for target in (out / f"{stamp}.json", out / "latest.json"):
        target.write_text(json.dumps(payload, indent=2))
    print(f"\nWritten to bench/results/{stamp}.json")


if __name__ == "__main__":
    main()
