"""The 142 agent's console over the seeded population: finding the caller, and the 360° view.

Agent search: SEARCHES random living people with a phone, each looked up three ways, as
the console does it (``people_query`` parses the box and the narrowing fields, then
``find_people``): by FIN, by mobile number as said on the phone (050 123 45 67), and by a
misspelt name with what the agent would know besides: the year of birth always, the
region for 30 % of callers, the father's name for 30 %. The same misspelt names are also
looked up alone, for information.

The misspellings, drawn with a fixed seed:
- 40 % one typing slip in the surname (a letter dropped, doubled or two swapped);
- 10 % one slip in the first name; 10 % a slip in each;
- 25 % the whole name in an ASCII spelling: ə as e (or, for half of them, as a), ı as i,
  q as g, x as kh, ş as sh, ç as ch, ğ as gh, ö as o, ü as u;
- 15 % the whole name in Russian Cyrillic as Russian writes Azerbaijani names (Мамедов,
  Гусейнов, Алиев, Джафаров): ə as е or а, h as г or х, q as г, c as дж, ı as ы,
  -yev as -ев, some doubled letters single.
A fifth of the names are typed first name first. The father's name, when given, is spelt
as the name is; the region is named in Azerbaijani, English or Russian.

The 360° view: VIEWS people of pension age with insured years, each given what the
agent's view shows (the engine awards what they are entitled to, with its SMS and payment
schedule; an application, a complaint, a queue ticket and a call note made through the
services), then opened with a reason by an agent through the Django test client and
rendered; its time and its number of queries are measured. The citizen accounts made
for them (and the applications they filed) are removed afterwards, so that the registry
benchmark may seed again.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import random
import secrets
import statistics
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from dost.registry.selectors import LOOKUP_LIMIT, find_people, people_query

SEARCHES = 400
VIEWS = 200
WARM_VIEWS = 10
BOOKING_DAYS = 14
SEARCH_TARGET_MS = 30
HIT_TARGET = 95.0
VIEW_TARGET_MS = 150
REGION_SHARE = 0.3
PATRONYMIC_SHARE = 0.3

_ASCII = {"ı": "i", "I": "I", "İ": "I", "q": "g", "Q": "G", "x": "kh", "X": "Kh", "ş": "sh",
          "Ş": "Sh", "ç": "ch", "Ç": "Ch", "ğ": "gh", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"}
_RUSSIAN = {"a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "f": "ф", "g": "г",
            "ğ": "г", "i": "и", "ı": "ы", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н",
            "o": "о", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "v": "в",
            "x": "х", "z": "з"}
_VOWELS = set("aeəıioöuü")
_SOFT_AFTER_CONSONANT = {"ö": "ё", "ü": "ю"}
_IOTATED = {"a": "я", "u": "ю", "e": "е", "ə": "е", "o": "ё"}


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[94]


def _slip(word: str, rng: random.Random) -> str:
    """One typing slip inside the word: a letter dropped, doubled, or two swapped."""
    if len(word) < 3:
        return word + word[-1]
    position = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return word[:position] + word[position + 1:]
    if slip == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position - 1] + word[position] + word[position - 1] + word[position + 1:]


def _ascii(word: str, schwa: str) -> str:
    word = word.replace("ə", schwa).replace("Ə", schwa.upper())
    return "".join(_ASCII.get(ch, ch) for ch in word)


def _russian(word: str, rng: random.Random) -> str:
    """The name as Russian usually writes it (Мамедов, Гусейнов, Алиев, Джафаров)."""
    letters = word.lower().replace("i̇", "i")
    out: list[str] = []
    position = 0
    while position < len(letters):
        ch = letters[position]
        after = letters[position + 1] if position + 1 < len(letters) else ""
        before = letters[position - 1] if position else ""
        if ch == "y" and after in _IOTATED:
            # ya, yu, ye, yo are one Russian letter; -iyev and -ayev lose the y (Алиев).
            out.append("е" if after in "eə" else _IOTATED[after])
            position += 2
            continue
        if ch == "y":
            out.append("и" if after == "ı" else "й")
            position += 2 if after == "ı" else 1
            continue
        if ch == after and ch not in _VOWELS and rng.random() < 0.5:
            position += 1  # Мамедов: one of the doubled letters
            continue
        if ch == "ə":
            out.append("а" if not before or rng.random() < 0.5 else "е")
        elif ch in _SOFT_AFTER_CONSONANT:
            out.append(_SOFT_AFTER_CONSONANT[ch] if before and before not in _VOWELS
                       else _RUSSIAN.get({"ö": "o", "ü": "u"}[ch], ch))
        elif ch == "h":
            out.append("г" if not before or rng.random() < 0.5 else "х")
        elif ch == "q":
            out.append("х" if not after else "г")
        elif ch == "e" and not before:
            out.append("э")
        else:
            out.append(_RUSSIAN.get(ch, ch))
        position += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _misspelt(last: str, first: str, father: str, rng: random.Random
              ) -> tuple[str, str, str]:
    """The name as the agent types it, the father's name spelt alike, and the kind of slip."""
    draw = rng.random()
    if draw < 0.40:
        kind, last = "surname slip", _slip(last, rng)
    elif draw < 0.50:
        kind, first = "first-name slip", _slip(first, rng)
    elif draw < 0.60:
        kind, last, first = "slip in each", _slip(last, rng), _slip(first, rng)
    elif draw < 0.85:
        schwa = rng.choice("ea")
        kind = "ASCII spelling"
        last, first, father = (_ascii(word, schwa) for word in (last, first, father))
    else:
        kind = "Russian Cyrillic"
        last, first, father = (_russian(word, rng) for word in (last, first, father))
    name = f"{first} {last}" if rng.random() < 0.2 else f"{last} {first}"
    return name, father, kind


def _sample(people: int) -> list[tuple]:
    # TABLESAMPLE reads a share of the table's pages, not the whole table.
    share = min(100.0, max(0.05, 100 * SEARCHES * 20 / people))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.fin, p.phone, p.first_name, p.last_name, p.patronymic, p.birth_date, "
            "r.name_az, r.name_en, r.name_ru FROM registry_person p "
            f"TABLESAMPLE SYSTEM ({share}) REPEATABLE (11) "  # noqa: S608 - a number
            "JOIN registry_region r ON r.code = p.region_id "
            "WHERE p.phone <> '' AND p.death_date IS NULL LIMIT %s", [SEARCHES])
        return cursor.fetchall()


def _local_phone(phone: str) -> str:
    digits = phone.removeprefix("+994")
    return f"0{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"


def _timed(box: str, **narrowing) -> tuple[float, list[str]]:
    started = time.perf_counter()
    found = find_people(people_query(box, **narrowing))
    return (time.perf_counter() - started) * 1000, [person.fin for person in found]


def _search_rows(people: int) -> list[dict]:
    rng = random.Random(142)  # noqa: S311 - reproducible, not secret
    sample = _sample(people)
    cases = []
    for fin, phone, first, last, patronymic, born, *region_names in sample:
        father = patronymic.split()[0] if patronymic else ""
        name, father_typed, kind = _misspelt(last, first, father, rng)
        narrowing: dict = {"birth_year": born.year}
        if rng.random() < REGION_SHARE:
            narrowing["region"] = rng.choice(region_names)
        if father_typed and rng.random() < PATRONYMIC_SHARE:
            narrowing["patronymic"] = father_typed
        cases.append((fin, phone, name, narrowing, kind))

    # Warm the caches as a running server would be.
    for fin, phone, name, narrowing, _kind in cases[:50]:
        _timed(fin)
        _timed(_local_phone(phone))
        _timed(name, **narrowing)

    timings: dict[str, list[float]] = {"FIN": [], "phone": [], "name": [], "name alone": []}
    hits = Counter()
    tried = Counter()
    alone_hits = 0
    for fin, phone, name, narrowing, kind in cases:
        ms, _found = _timed(fin.lower() if rng.random() < 0.3 else fin)
        timings["FIN"].append(ms)
        ms, found = _timed(_local_phone(phone))
        timings["phone"].append(ms)
        if fin not in found:
            raise RuntimeError(f"the phone look-up should find {fin}")
        ms, found = _timed(name, **narrowing)
        timings["name"].append(ms)
        tried[kind] += 1
        hits[kind] += fin in found
        ms, found = _timed(name)
        timings["name alone"].append(ms)
        alone_hits += fin in found

    searches = timings["FIN"] + timings["phone"] + timings["name"]
    hit_rate = 100 * sum(hits.values()) / len(cases)
    for kind in sorted(tried):
        print(f"  {kind:<18} {tried[kind]:>4} names, {100 * hits[kind] / tried[kind]:5.1f} % "
              "in the top 20", flush=True)
    rows = []
    for label, samples in timings.items():
        title = {"FIN": "by FIN", "phone": "by phone",
                 "name": "by misspelt name + year (region, father)",
                 "name alone": "by misspelt name alone"}[label]
        rows.append({"name": f"agent search {title} p50", "value": statistics.median(samples),
                     "unit": "ms"})
        p95 = _p95(samples)
        row = {"name": f"agent search {title} p95", "value": p95, "unit": "ms"}
        if label != "name alone":
            row.update(target=f"< {SEARCH_TARGET_MS} ms", met=p95 < SEARCH_TARGET_MS)
        rows.append(row)
    every = _p95(searches)
    rows.append({"name": "agent search p95 (FIN, phone, name)", "value": every, "unit": "ms",
                 "target": f"< {SEARCH_TARGET_MS} ms", "met": every < SEARCH_TARGET_MS})
    rows.append({"name": f"misspelt name + year: right person in top {LOOKUP_LIMIT}",
                 "value": hit_rate, "unit": "%", "target": f">= {HIT_TARGET:.0f} %",
                 "met": hit_rate >= HIT_TARGET})
    rows.append({"name": f"misspelt name alone: in top {LOOKUP_LIMIT}",
                 "value": 100 * alone_hits / len(cases), "unit": "%"})
    return rows


# --- the 360° view ---------------------------------------------------------------------------

def _view_people(today: dt.date) -> list[int]:
    """People of pension age with insured years: the engine has something to award them.

    Each run takes people no earlier run gave a case (none has a call note yet), so that
    every run builds the same cases and reads records that are not already in memory, as
    when a new caller's record opens.
    """
    share = 1.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM registry_person p "
            f"TABLESAMPLE SYSTEM ({share}) REPEATABLE (360) "  # noqa: S608 - a number
            "WHERE p.death_date IS NULL AND p.birth_date <= %s "
            "AND EXISTS (SELECT 1 FROM registry_contribution c WHERE c.person_id = p.id) "
            "AND NOT EXISTS (SELECT 1 FROM callcentre_callnote n WHERE n.person_id = p.id) "
            "ORDER BY p.id LIMIT %s",
            [today.replace(year=today.year - 66), VIEWS])
        return [row[0] for row in cursor.fetchall()]


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def _give_them_a_case(person_ids: list[int], today: dt.date) -> Counter:
    """What the view shows, made through the services as citizens and agents would."""
    from callcentre.models import Topic
    from callcentre.services import call_note_add
    from dost.accounts.models import User
    from dost.accounts.services import citizen_account_create
    from dost.applications.services import application_submit
    from dost.complaints.models import Category, Channel
    from dost.complaints.services import complaint_open
    from dost.entitlements.services import entitlements_for_people
    from dost.equeue.selectors import bookable_services, free_slots, open_centres
    from dost.equeue.services import booking_create, slots_open
    from dost.errors import DomainError
    from dost.registry.models import Person
    from dost.registry.validators import iban_with_checksum

    made: Counter = Counter()
    made["awards"] = entitlements_for_people(people=person_ids, on=today)
    slots_open(start=today + dt.timedelta(days=1), days=BOOKING_DAYS)
    # Free places wherever the service is offered: earlier runs took some (a reseed
    # removes the bookings with the people, but not the slots' counts).
    service = bookable_services().first()
    slots = []
    for centre in open_centres().filter(services=service):
        for day in range(1, BOOKING_DAYS + 1):
            slots += list(free_slots(centre_code=centre.code, day=today + dt.timedelta(days=day),
                                     service=service))
    if not Category.objects.exists():
        # Reseeding the registry truncates it with CASCADE, which reaches the accounts
        # (a user has a person) and from them the complaint units and their categories:
        # put the reference data back as its migration wrote it.
        from django.apps import apps

        importlib.import_module("dost.complaints.migrations.0002_seed_categories").seed(
            apps, None)
        print("  complaint categories were missing (removed by the registry reseed): "
              "restored from their migration", flush=True)
    category = Category.objects.order_by("code").first()
    agent = _agent()
    for number, person in enumerate(Person.objects.filter(pk__in=person_ids).order_by("pk")):
        user = (User.objects.filter(person=person).first()
                or citizen_account_create(person=person, password=secrets.token_urlsafe(16)))
        try:
            application_submit(
                person=person, type_code="targeted_social_assistance",
                data={"monthly_income": "250.00", "truthful": "on",
                      "bank_account": iban_with_checksum(("AZ", f"NABZ{person.pk:020d}"))},
                submitted_by=user)
            made["applications"] += 1
        except DomainError:
            pass  # an open one from an earlier run
        if category:
            complaint_open(person=person, category=category, channel=Channel.PORTAL,
                           text="The queue at the centre was too long.")
            made["complaints"] += 1
        if slots:
            try:
                booking_create(person_id=person.pk, service_id=service.pk,
                               slot_id=slots[number % len(slots)].pk)
                made["bookings"] += 1
            except DomainError:
                pass
        call_note_add(person=person, agent=agent, topic=Topic.PAYMENT,
                      outcome="Told the payment date.")
        made["call notes"] += 1
    return made


def _remove_citizen_accounts(person_ids: list[int]) -> None:
    """The citizen accounts made here go, with the applications they filed (their events
    name the account): the registry benchmark can then seed a new country."""
    from dost.accounts.models import User
    from dost.applications.models import Application

    Application.objects.filter(person_id__in=person_ids).delete()
    User.objects.filter(person_id__in=person_ids).delete()


def _agent():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from dost.accounts.models import Role, User

    user, _created = User.objects.get_or_create(username="bench-agent-142",
                                                defaults={"role": Role.AGENT})
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def _view_rows() -> list[dict]:
    today = timezone.localdate()
    person_ids = _view_people(today)
    if not person_ids:
        raise RuntimeError("no people of pension age with insured years: seed first")
    # Each SMS sent and each task run is logged at INFO: thousands of lines here.
    quiet = [logging.getLogger(name) for name in ("dost.sms", "celery")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        try:
            made = _give_them_a_case(person_ids, today)
        finally:
            for logger, level in zip(quiet, levels, strict=True):
                logger.setLevel(level)
        print(f"  360° view over {len(person_ids)} people; made {dict(made)}", flush=True)
        return _timed_views(person_ids)
    finally:
        _remove_citizen_accounts(person_ids)


def _timed_views(person_ids: list[int]) -> list[dict]:
    from dost.registry.models import Person

    fins = list(Person.objects.filter(pk__in=person_ids).order_by("pk")
                .values_list("fin", flat=True))
    with connection.cursor() as cursor:
        # The tables the cases were just written to, as autovacuum would soon leave them
        # (other benchmarks may have left dead rows there too: 700,000 in the queue once).
        cursor.execute("VACUUM (ANALYZE) entitlements_award, applications_application, "
                       "complaints_complaint, equeue_booking, notifications_smsmessage, "
                       "payments_paymentschedule, callcentre_callnote")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_agent())
    for fin in fins:
        response = client.post(reverse("callcentre:open", args=[fin]),
                               {"reason": "caller_asked_status"})
        if response.status_code != 302:
            raise RuntimeError(f"opening {fin} should succeed: {response.status_code}")
    # A running server has its templates loaded and compiled.
    for fin in fins[:WARM_VIEWS]:
        client.get(reverse("callcentre:view", args=[fin]))
    timings = []
    # This process's own CPU time per view: on a shared machine, the wall time also holds
    # the waits for a core the others are using.
    cpu = []
    database = []
    queries = []
    for fin in fins:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(reverse("callcentre:view", args=[fin]))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the view of {fin} should open: {response.status_code}")
        queries.append(len(captured))
        database.append(1000 * sum(float(query["time"]) for query in captured.captured_queries))
    p95 = _p95(timings)
    print(f"  queries per view: min {min(queries)}, median {statistics.median(queries):.0f}, "
          f"max {max(queries)}; time in the database per view: median "
          f"{statistics.median(database):.1f} ms, p95 {_p95(database):.1f} ms; slowest views "
          f"{', '.join(f'{ms:.0f}' for ms in sorted(timings)[-5:])} ms", flush=True)
    with open("/proc/loadavg") as load:
        print(f"  load average after the views: {load.read().split()[0]} on "
              f"{os.cpu_count()} cores", flush=True)
    return [
        {"name": "360° view p50", "value": statistics.median(timings), "unit": "ms"},
        {"name": "360° view p95", "value": p95, "unit": "ms",
         "target": f"< {VIEW_TARGET_MS} ms", "met": p95 < VIEW_TARGET_MS},
        {"name": "360° view, this process's CPU p50", "value": statistics.median(cpu),
         "unit": "ms"},
        {"name": "360° view, this process's CPU p95", "value": _p95(cpu), "unit": "ms"},
        {"name": "360° view queries (median)", "value": statistics.median(queries),
         "unit": "queries"},
        {"name": "360° view queries (most)", "value": max(queries), "unit": "queries"},
    ]


def run(*, people: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_person")
        seeded = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE state = 'active'")
        active = len(cursor.fetchall())
    if seeded < people * 0.99:
        raise RuntimeError(f"the registry holds {seeded:,} people, not {people:,}: "
                           "run the registry benchmark first")
    with open("/proc/loadavg") as load:
        print(f"  over {seeded:,} people; {active} active database sessions and load average "
              f"{load.read().split()[0]} on {os.cpu_count()} cores at the start", flush=True)
    return _search_rows(people) + _view_rows()
