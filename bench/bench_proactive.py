"""The proactive engine over the seeded population, against its SQL floors.

- first scan (backfill, every award with its SMS and bank request), against bare
  SQL writing the same award rows: each rule's selection, then an INSERT of its rows
  (the write floor);
- next-day scan, after a day of life events, against a bare count of the same
  candidates (the read floor): the people each rule rechecks after a completed
  scan; and, for scale, against a count of every rule's candidates over everyone;
- a naive per-person ORM loop over a sample (what most Django code would do),
  against the set-based engine running the same two rules (old-age pension and
  childbirth allowance) over everyone;
- an event-triggered award: birth registered to award + SMS queued, p95; and the same
  birth pushed through the events API, with its token, throttle and plausibility checks;
- a day with 2,000 deaths, half of them pensioners: the scan that stops their
  awards and grants what the deaths give rise to (survivor's shares, funeral grants);
- verifying the whole decision log, in entries per second.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.celery import app as celery_app
from dost.entitlements import engine
from dost.entitlements.engine import PEOPLE_FILTER, RANGE_FILTER, rule_arguments
from dost.entitlements.incremental import people_to_recheck, resumption
from dost.entitlements.models import Award, ScanRun
from dost.entitlements.rules import all_rules, rule_for_code
from dost.entitlements.services import CHUNK_SIZE, entitlements_for_people
from dost.entitlements.tasks import scan_launch
from dost.registry.models import Contribution, FamilyRelation, Person
from dost.registry.services import person_register

NAIVE_SAMPLE = 20_000
EVENTS = 200
# A day of life events between the two scans: births and deaths.
DAY_BIRTHS = 300
DAY_DEATHS = 100
# A hard day: deaths of pensioners and of parents of young children.
HARD_DAY_DEATHS = 2_000
OUTBOX_TABLES = ("entitlements_award", "notifications_smsmessage", "payments_bankrequest",
                 "payments_paymentschedule", "payments_payment", "entitlements_scanrun")


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(OUTBOX_TABLES)} CASCADE")


def _all_people(rule_sql: str) -> str:
    return rule_sql.replace("{population}", RANGE_FILTER)


def _floor(on: dt.date, *, write: bool) -> tuple[float, int]:
    """Bare SQL over the same candidates: INSERT ... SELECT awards only, or a count."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) + 1 FROM registry_person")
        lo, hi = cursor.fetchone()
    rows = 0
    with connection.cursor() as cursor:
        # As the engine runs its statements: without JIT compilation, which costs more
        # than it saves here. The floor is the best a bare statement does.
        cursor.execute("SET jit = off")
    with transaction.atomic():
        if write:
            # The bare rows include a higher pension next to the one it replaces, which the
            # engine ends in the same statement; the floor only inserts, into the same
            # indexes, and is rolled back before the one-pension constraint is checked.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS award_one_labour_pension DEFERRED")
        seconds, rows = _floor_statements(on, lo, hi, write=write)
        transaction.set_rollback(True)
    return seconds, rows


def _floor_statements(on: dt.date, lo: int, hi: int, *, write: bool) -> tuple[float, int]:
    rows = 0
    seconds = 0.0
    for rule in all_rules():
        params = {**rule_arguments(rule, on), "_lo": lo, "_hi": hi}
        candidates = _all_people(rule.sql)
        with connection.cursor() as cursor:
            if write:
                # The floor is the best a bare statement does: with the statistics of the
                # awards written so far (which the engine keeps up itself, in its time).
                cursor.execute("ANALYZE entitlements_award")
            started = time.perf_counter()
            if write:
                # Selected first, then inserted, as the engine does: a selection that looks
                # up awards while its own statement inserts them reads every page it has
                # written for every candidate (minutes at 1M, on an emptied table).
                cursor.execute("DROP TABLE IF EXISTS pg_temp.floor_candidates")
                cursor.execute(f"CREATE TEMP TABLE floor_candidates AS {candidates}", params)
                cursor.execute(
                    "INSERT INTO entitlements_award (person_id, benefit, basis_person_id, rule, "
                    "amount, frequency, period_start, period_end, parameters, facts) "
                    "SELECT person_id, %(_b)s, basis_person_id, %(_r)s, amount, %(_f)s, "
                    "period_start, period_end, '{}'::jsonb, facts FROM floor_candidates",
                    {"_b": rule.benefit, "_r": rule.code, "_f": rule.frequency})
                rows += cursor.rowcount
            else:
                cursor.execute(f"SELECT count(*) FROM ({candidates}) c", params)
                rows += cursor.fetchone()[0]
            seconds += time.perf_counter() - started
    return seconds, rows


def _recheck_floor(on: dt.date) -> tuple[float, int]:
    """A bare count of each rule's candidates among the people it rechecks on ``on``."""
    resumed = resumption(on)
    population = Person.objects.count()
    lists = []
    for rule in all_rules():
        arguments = rule_arguments(rule, on)
        people = people_to_recheck(rule, resumed, on=on, arguments=arguments,
                                   population=population)
        if people is None:
            raise RuntimeError(f"{rule.code} would not be rechecked incrementally")
        lists.append((rule, arguments, people))
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    started = time.perf_counter()
    for rule, arguments, people in lists:
        candidates = rule.sql.replace("{population}", PEOPLE_FILTER)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({candidates}) c",
                           {**arguments, "_people": people})
            rows += cursor.fetchone()[0]
    return time.perf_counter() - started, rows


def _a_day_of_events(on: dt.date) -> list[int]:
    """Births to mothers of the right age and deaths of the insured, as the registry
    records them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person WHERE sex = 'F' AND death_date IS NULL "
                       "AND birth_date BETWEEN '1990-01-01' AND '2000-12-31' ORDER BY id DESC "
                       "LIMIT %s", [DAY_BIRTHS])
        mothers = [row[0] for row in cursor.fetchall()]
    with transaction.atomic():
        prefix = _fin_prefix("8", count=len(mothers), last="Y")
        for number, mother_id in enumerate(mothers):
            child = person_register(fin=f"{prefix}{number:03d}Y", first_name="Murad",
                                    last_name="Bench", sex="M",
                                    birth_date=on - dt.timedelta(days=1),
                                    source="justice")
            FamilyRelation.objects.create(person=child, relative_id=mother_id, kind="parent",
                                          source_id="justice")
        with connection.cursor() as cursor:
            cursor.execute("""
                UPDATE registry_person SET death_date = %s, updated_at = now()
                WHERE id IN (SELECT DISTINCT c.person_id FROM registry_contribution c
                             JOIN registry_person p ON p.id = c.person_id
                             WHERE p.death_date IS NULL AND p.birth_date < '1980-01-01'
                             ORDER BY c.person_id DESC LIMIT %s)
                RETURNING id""", [on, DAY_DEATHS])
            return [row[0] for row in cursor.fetchall()]


def _undo_deaths(people: list[int]) -> None:
    """The population stays as seeded for the next run."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_person SET death_date = NULL WHERE id = ANY(%s)",
                       [people])


def _a_day_of_deaths(on: dt.date) -> list[int]:
    """Half the deaths among people drawing a pension, half among parents of children under
    18 (survivor's shares); every death may give rise to a funeral grant or allowance."""
    half = HARD_DAY_DEATHS // 2
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH pensioners AS (
                SELECT DISTINCT a.person_id AS id FROM entitlements_award a
                JOIN registry_person p ON p.id = a.person_id
                WHERE a.status = 'awarded' AND a.frequency = 'monthly' AND p.death_date IS NULL
                ORDER BY 1 LIMIT %(half)s
            ),
            parents AS (
                SELECT DISTINCT r.relative_id AS id FROM registry_familyrelation r
                JOIN registry_person c ON c.id = r.person_id
                JOIN registry_person p ON p.id = r.relative_id
                WHERE r.kind = 'parent' AND c.birth_date > %(on)s::date - interval '17 years'
                  AND p.death_date IS NULL
                  AND r.relative_id NOT IN (SELECT id FROM pensioners)
                ORDER BY 1 DESC LIMIT %(half)s
            )
            UPDATE registry_person SET death_date = %(on)s, updated_at = now()
            WHERE id IN (SELECT id FROM pensioners UNION SELECT id FROM parents)
            RETURNING id""", {"on": on, "half": half})
        return [row[0] for row in cursor.fetchall()]


def _scan(on: dt.date) -> tuple[float, int]:
    started = time.perf_counter()
    with transaction.atomic():
        scan = scan_launch(on=on)
    scan.refresh_from_db()
    return time.perf_counter() - started, scan.awarded


def _naive(on: dt.date, people: list[int]) -> float:
    """Per person: load them, their contributions and children, check, create an award."""
    started = time.perf_counter()
    with transaction.atomic():
        for person in Person.objects.filter(id__in=people):
            if person.death_date is not None:
                continue
            age_months = (on.year - person.birth_date.year) * 12 + on.month - \
                person.birth_date.month
            if age_months >= 780 or (person.sex == "F" and age_months >= 768):
                capital = sum(c.amount for c in Contribution.objects.filter(person=person))
                # One labour pension at a time.
                if not Award.objects.filter(person=person, status="awarded", benefit__in=(
                        "old_age_pension", "disability_pension", "survivor_pension")).exists():
                    Award.objects.create(person=person, benefit="old_age_pension",
                                         rule="naive", amount=max(capital / 144, 349),
                                         frequency="monthly", period_start=on, parameters={},
                                         facts={})
            for relation in FamilyRelation.objects.filter(relative=person, kind="parent"):
                child = Person.objects.get(pk=relation.person_id)
                if (on - child.birth_date).days < 365 and not Award.objects.filter(
                        person=person, benefit="childbirth_allowance",
                        basis_person=child).exists():
                    Award.objects.create(person=person, benefit="childbirth_allowance",
                                         basis_person=child, rule="naive", amount=600,
                                         frequency="once", period_start=child.birth_date,
                                         parameters={}, facts={})
        transaction.set_rollback(True)
    return time.perf_counter() - started


def _same_rules_set_based(on: dt.date) -> float:
    """The engine running only the rules the naive loop implements, over everyone."""
    _reset()
    rules = [rule_for_code("pensions.old_age"), rule_for_code("pensions.childbirth_allowance")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) + 1 FROM registry_person")
        first, end = cursor.fetchone()
    started = time.perf_counter()
    for rule in rules:
        arguments = rule_arguments(rule, on)
        for lo in range(first, end, CHUNK_SIZE):
            engine.run_rule(rule, on=on, lo=lo, hi=min(lo + CHUNK_SIZE, end),
                            arguments=arguments)
    return time.perf_counter() - started


def _remove_event_children() -> None:
    """Remove the children earlier runs registered, except those a decision in the
    append-only log names (their parent died on the benchmark's hard day): those stay,
    and later runs register theirs under other FINs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person p WHERE last_name = 'Bench' AND NOT "
                       "EXISTS (SELECT 1 FROM audit_decisionentry e WHERE e.person_id = p.id)")
        children = [row[0] for row in cursor.fetchall()]
    Award.objects.filter(basis_person__in=children).delete()
    Award.objects.filter(person__in=children).delete()
    Person.objects.filter(pk__in=children).delete()


# Letters a FIN may hold (no I or O).
_FIN_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _fin_prefix(first: str, *, count: int, last: str) -> str:
    """Three FIN characters under which ``count`` numbered FINs ending in ``last`` are all
    free."""
    for second in _FIN_LETTERS:
        for third in _FIN_LETTERS:
            prefix = first + second + third
            fins = [f"{prefix}{number:03d}{last}" for number in range(count)]
            if not Person.objects.filter(fin__in=fins).exists():
                return prefix
    raise RuntimeError("no free FIN prefix left for benchmark children")


def _event_awards(on: dt.date) -> list[float]:
    _remove_event_children()
    mothers = list(Person.objects.filter(sex="F", death_date__isnull=True,
                                         birth_date__year__range=(1990, 2000))
                   .values_list("id", flat=True)[:EVENTS])
    timings = []
    prefix = _fin_prefix("9", count=len(mothers), last="Z")
    for number, mother_id in enumerate(mothers):
        started = time.perf_counter()
        with transaction.atomic():
            child = person_register(fin=f"{prefix}{number:03d}Z", first_name="Aylin",
                                    last_name="Bench", sex="F", birth_date=on, source="justice")
            FamilyRelation.objects.create(person=child, relative_id=mother_id, kind="parent",
                                          source_id="justice")
            awarded = entitlements_for_people(people=[mother_id, child.pk], on=on)
        timings.append((time.perf_counter() - started) * 1000)
        # The childbirth allowance, and for a mother of many children a new period of her
        # benefit.
        if awarded < 1:
            raise RuntimeError("a birth should award the childbirth allowance")
    _remove_event_children()
    return timings


def _event_api_awards(on: dt.date) -> list[float]:
    """Births pushed through the events API as the civil registry sends them: token,
    throttle, validation, the plausibility checks against the registry, the event stored
    and applied, and the engine's awards, SMS and bank requests, all in one request."""
    _remove_event_children()
    _token, key = institution_token_create(
        name="Bench civil registry", scopes=[Scope.EVENTS_WRITE],
        event_types=["birth", "death", "death_annulled", "marriage"], rate="100000/min")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {key}")
    mothers = list(Person.objects.filter(sex="F", death_date__isnull=True,
                                         birth_date__year__range=(1990, 2000))
                   .values_list("fin", flat=True)[EVENTS:2 * EVENTS])
    prefix = _fin_prefix("7", count=len(mothers), last="Z")
    run_id = uuid.uuid4().hex[:12]
    timings = []
    for number, mother_fin in enumerate(mothers):
        body = {"event_id": f"bench-{run_id}-{number}", "type": "birth",
                "occurred_on": on.isoformat(),
                "data": {"mother_fin": mother_fin,
                         "child": {"fin": f"{prefix}{number:03d}Z", "first_name": "Aylin",
                                   "last_name": "Bench", "sex": "F",
                                   "birth_date": on.isoformat()}}}
        started = time.perf_counter()
        response = client.post("/api/v1/bridge/events/", body, content_type="application/json")
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 201 or response.json()["awards"] < 1:
            raise RuntimeError(f"a birth should be applied and awarded: {response.status_code} "
                               f"{response.content[:300]!r}")
    _remove_event_children()
    return timings


def run(*, people: int) -> list[dict]:
    # Scan chunks run in this process; we measure up to "award, SMS and bank
    # request queued": draining the outboxes is the workers' job afterwards.
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    engine._deliver_after_commit = lambda: None
    # The seeded facts were all written before the first scan began and no transaction
    # is left open: the margin for late commits would only make every fact look new.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0
    on = timezone.localdate()
    population = Person.objects.count()
    print(f"population: {population:,}", flush=True)

    _reset()
    write_floor, floor_rows = _floor(on, write=True)
    _reset()
    first_seconds, awarded = _scan(on)
    print(f"first scan {first_seconds:.1f} s, {awarded:,} awards; floor {write_floor:.1f} s "
          f"for {floor_rows:,} rows", flush=True)

    next_day = on + dt.timedelta(days=1)
    _remove_event_children()
    died = _a_day_of_events(next_day)
    everyone_floor, everyone_candidates = _floor(next_day, write=False)
    read_floor, candidates = _recheck_floor(next_day)
    next_seconds, next_awarded = _scan(next_day)
    rechecked = ScanRun.objects.latest("started_at").people_rechecked
    print(f"next-day scan {next_seconds:.2f} s ({next_awarded} awards, {rechecked:,} people "
          f"rechecked); read floor {read_floor:.2f} s for {candidates} candidates; counting "
          f"every rule's candidates over everyone {everyone_floor:.2f} s "
          f"({everyone_candidates})", flush=True)

    # After a completed scan, as a real day's scan is: incremental.
    hard_day = next_day + dt.timedelta(days=1)
    hard_died = _a_day_of_deaths(hard_day)
    hard_seconds, hard_awarded = _scan(hard_day)
    hard_scan = ScanRun.objects.latest("started_at")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FILTER (WHERE end_reason = 'death'),
                                 count(*) FILTER (WHERE benefit = 'survivor_pension'
                                                  AND scan_run_id = %(scan)s),
                                 count(*) FILTER (WHERE benefit IN ('funeral_grant',
                                                                   'funeral_allowance')
                                                  AND scan_run_id = %(scan)s)
                          FROM entitlements_award
                          WHERE person_id = ANY(%(died)s) OR scan_run_id = %(scan)s""",
                       {"scan": hard_scan.pk, "died": hard_died})
        stopped, survivors, funerals = cursor.fetchone()
    print(f"a day of {len(hard_died):,} deaths: scan {hard_seconds:.2f} s, {stopped:,} awards "
          f"stopped, {survivors:,} survivor's shares, {funerals:,} funeral grants", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM registry_person ORDER BY id LIMIT %s", [NAIVE_SAMPLE])
        sample = [row[0] for row in cursor.fetchall()]
    naive_seconds = _naive(on, sample)
    naive_per_person = naive_seconds / len(sample) * 1000
    scan_per_person = first_seconds / population * 1000
    same_rules_per_person = _same_rules_set_based(on) / population * 1000
    event_ms = _event_awards(on)
    event_p95 = statistics.quantiles(event_ms, n=100)[94]
    api_event_ms = _event_api_awards(on)
    api_event_p95 = statistics.quantiles(api_event_ms, n=100)[94]
    print(f"event-triggered award p95 {event_p95:.0f} ms; through the events API, with "
          f"its checks, p95 {api_event_p95:.0f} ms", flush=True)

    _undo_deaths(died + hard_died)

    from dost.audit.verification import decision_log_verify

    verification = decision_log_verify()
    print(f"decision log: {verification.entries:,} entries verified in "
          f"{verification.seconds:.2f} s, intact: {verification.intact}", flush=True)

    return [
        {"name": "first scan", "value": first_seconds, "unit": "s", "target": "< 60 s",
         "met": first_seconds < 60},
        {"name": "first scan people/s", "value": population / first_seconds, "unit": "people/s"},
        {"name": "first scan awards/s", "value": awarded / first_seconds, "unit": "awards/s"},
        {"name": "first scan ÷ write floor", "value": first_seconds / write_floor, "unit": "x",
         "target": "< 3x", "met": first_seconds / write_floor < 3},
        {"name": "next-day scan", "value": next_seconds, "unit": "s", "target": "< 10 s",
         "met": next_seconds < 10},
        {"name": "next-day scan ÷ read floor", "value": next_seconds / read_floor, "unit": "x",
         "target": "< 5x", "met": next_seconds / read_floor < 5},
        {"name": "next-day people rechecked", "value": rechecked, "unit": "people"},
        # Every candidate a count over everyone finds, the incremental scan awards.
        {"name": "next-day candidates not awarded", "value": everyone_candidates - next_awarded,
         "unit": "awards", "target": "0", "met": everyone_candidates == next_awarded},
        {"name": "count of all candidates, everyone", "value": everyone_floor, "unit": "s"},
        {"name": "next-day scan ÷ count over everyone", "value": next_seconds / everyone_floor,
         "unit": "x"},
        {"name": "naive ORM loop per person", "value": naive_per_person, "unit": "ms"},
        {"name": "set-based, same 2 rules, per person", "value": same_rules_per_person,
         "unit": "ms"},
        {"name": "naive ÷ set-based (same rules)", "unit": "x", "target": "> 50x",
         "value": naive_per_person / same_rules_per_person,
         "met": naive_per_person / same_rules_per_person > 50},
        {"name": "first scan (every rule) per person", "value": scan_per_person, "unit": "ms"},
        {"name": "naive (2 rules) ÷ first scan (every rule)",
         "value": naive_per_person / scan_per_person, "unit": "x"},
        {"name": "event-triggered award p95", "value": event_p95, "unit": "ms",
         "target": "< 300 ms", "met": event_p95 < 300},
        {"name": "birth pushed to the events API p95", "value": api_event_p95, "unit": "ms",
         "target": "< 300 ms", "met": api_event_p95 < 300},
        {"name": f"a day of {len(hard_died):,} deaths: scan", "value": hard_seconds,
         "unit": "s", "target": "< 30 s", "met": hard_seconds < 30},
        {"name": "  awards stopped on death", "value": stopped, "unit": "awards"},
        {"name": "  survivor's shares awarded", "value": survivors, "unit": "awards"},
        {"name": "  funeral grants and allowances", "value": funerals, "unit": "awards"},
        {"name": "  all awards of that scan", "value": hard_awarded, "unit": "awards"},
        {"name": "decision log verified", "value": verification.entries,
         "unit": "entries", "target": "intact", "met": verification.intact},
        {"name": "decision log verification", "unit": "entries/s",
         "value": verification.entries / max(verification.seconds, 1e-9)},
    ]
