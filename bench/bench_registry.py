"""Seeding a country and looking citizens up by FIN, phone and (misspelt) name."""

from __future__ import annotations

import random
import statistics
import time

from django.db import connection, transaction
from django.utils import timezone

from dost.bridge.seeding import REGISTER_TABLES, derive_registers
from dost.registry.seeding import populate
from dost.registry.selectors import people_by_name, people_by_phone, person_by_fin

LOOKUPS = 1000
SEED_TARGET_SECONDS = 180
LOOKUP_TARGET_MS = 20


def _misspell(word: str, rng: random.Random) -> str:
    """One typing slip: a dropped, doubled or swapped letter, or a Latin spelling."""
    if rng.random() < 0.3:
        return word.replace("ə", "a").replace("Ə", "A").replace("ş", "sh").replace("x", "kh")
    position = rng.randrange(1, max(2, len(word) - 1))
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return word[:position] + word[position + 1:]
    if slip == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position - 1] + word[position] + word[position - 1] + word[position + 1:]


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[94]


def _timed(calls) -> list[float]:
    timings = []
    for call in calls:
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(*, people: int) -> list[dict]:
    from dost.accounts.models import User

    User.objects.filter(person__isnull=False).delete()
    started = time.perf_counter()
    counts = populate(people=people, seed=1, today=timezone.localdate(), replace=True,
                      registers=False)
    seed_seconds = time.perf_counter() - started
    print(f"seeded {counts} in {seed_seconds:.1f} s", flush=True)
    # Other institutions' registers about the same people, timed apart: they are not the
    # registry, and the registry's target predates them.
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        derive_registers(cursor, first_person_id=1, first_household_id=1,
                         today=timezone.localdate(), seed=1,
                         recorded=timezone.now().isoformat())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(table for _label, table in REGISTER_TABLES)}")
    registers_seconds = time.perf_counter() - started
    print(f"derived the registers in {registers_seconds:.1f} s", flush=True)

    rng = random.Random(42)  # noqa: S311
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT fin, phone, first_name, last_name FROM registry_person "
            "TABLESAMPLE SYSTEM (1) REPEATABLE (42) WHERE phone <> '' LIMIT %s", [LOOKUPS])
        sample = cursor.fetchall()
    fins = [row[0] for row in sample]
    phones = [row[1] for row in sample]
    names = [f"{_misspell(row[3], rng)} {row[2]}" for row in sample]

    # Warm the caches as a running server would be.
    for fin in fins[:50]:
        person_by_fin(fin)
    fin_ms = _timed(lambda fin=fin: person_by_fin(fin) for fin in fins)
    phone_ms = _timed(lambda phone=phone: list(people_by_phone(phone)[:20]) for phone in phones)
    name_ms = _timed(lambda name=name: people_by_name(name) for name in names)
    hits = sum(
        1 for name, row in zip(names, sample, strict=True)
        if any(person.fin == row[0] for person in people_by_name(name))
    )

    rate = people / seed_seconds
    rows = [
        {"name": f"seed {people:,} people", "value": seed_seconds, "unit": "s",
         "target": f"< {SEED_TARGET_SECONDS} s", "met": seed_seconds < SEED_TARGET_SECONDS},
        {"name": "seed rate", "value": rate, "unit": "people/s"},
        {"name": "other institutions' registers", "value": registers_seconds, "unit": "s"},
    ]
    for label, timings in (("FIN", fin_ms), ("phone", phone_ms), ("misspelt name", name_ms)):
        p95 = _p95(timings)
        rows.append({"name": f"look-up by {label} p50", "value": statistics.median(timings),
                     "unit": "ms"})
        rows.append({"name": f"look-up by {label} p95", "value": p95, "unit": "ms",
                     "target": f"< {LOOKUP_TARGET_MS} ms", "met": p95 < LOOKUP_TARGET_MS})
    rows.append({"name": "misspelt name found in top 20", "value": 100 * hits / len(names),
                 "unit": "%"})
    return rows
