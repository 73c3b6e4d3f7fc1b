"""Synthetic registers of other institutions for a seeded country.

``seed_population`` builds people and households; the Digital Bridge's default
adapters (``dost.bridge.sources``) answer from the registers in
``dost.bridge.registers``. This module fills those registers for the people and
households one seed run added, one INSERT ... SELECT per table over the whole
run, so a country of millions costs a few statements, not a loop per person.

Every draw is a hash of a row's id, a salt and the seed
(``hashint8extended``), so the same seed gives the same registers, and a draw
for one purpose is independent of the draws for the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# (label in the seeding summary, table): what ``populate`` counts and analyses.
REGISTER_TABLES: tuple[tuple[str, str], ...] = (
    ("properties", "bridge_realestate"),
    ("vehicles", "bridge_vehicle"),
    ("businesses", "bridge_business"),
    ("large transactions", "bridge_largetransaction"),
    ("utility bills", "bridge_utilitybill"),
    ("job seekers", "bridge_jobseeker"),
    ("absences", "bridge_absence"),
)

# Shares of the synthetic country (plausible for Azerbaijan, not official figures).
SECOND_DWELLING_SHARE = 0.04  # of households
GARAGE_OR_LAND_SHARE = 0.05  # of households
CAR_SHARE = 0.21  # of households; a few of those cars are sold since (deregistered)
CAR_SOLD_SHARE = 0.06  # of the cars drawn
# Of adults with a current finding of 61 % or more: about 0.5 % of households.
REHABILITATION_VEHICLE_SHARE = 0.12
BUSINESS_SHARE = 0.04  # of working-age adults
COMMERCIAL_PREMISES_SHARE = 0.25  # of businesses still open
LARGE_TRANSACTION_SHARE = 0.03  # of adults, in the last TRANSACTION_DAYS
TRANSACTION_DAYS = 730
HIGH_UTILITY_COSTS_SHARE = 0.05  # of households
INTERNET_SHARE = 0.45  # of households
JOB_SEEKER_SHARE = 0.30  # of working-age people without a current job
INSURED_SHARE = 0.8  # of job seekers who lost a job of a year or more through no fault
REFUSED_OFFERS_SHARE = 0.03  # of job seekers
# Per adult; men are most of the prison population.
IMPRISONED_MEN = 0.0054
IMPRISONED_WOMEN = 0.0006
MISSING = 0.0005

# The months of bills the checks read: the 12 calendar months before the one a household
# applies in (an application made on the seed's day).
BILL_MONTHS = 12
# From this many households on, the bills' unique index is rebuilt rather than kept.
REBUILD_INDEXES_FROM_HOUSEHOLDS = 10_000
CAR_MAKES = ("Lada 2107", "Lada Granta", "Lada Niva", "Toyota Prius", "Toyota Prius",
             "Toyota Camry", "Hyundai Accent", "Hyundai Accent", "Hyundai Elantra", "Kia Rio",
             "Kia Sportage", "Chevrolet Cobalt", "Chevrolet Aveo", "Mercedes-Benz E 200",
             "Nissan Sunny", "Opel Astra", "Volkswagen Passat", "BMW 520", "Ford Transit",
             "GAZ Gazelle")
REHABILITATION_MAKES = ("Lada Granta (hand controls)", "Lada Niva (hand controls)")
# Baku's plates carry 10, 90, 99 or 77; Sumgait's 50, Ganja's 20; other districts one each.
BAKU_PLATE_CODES = ("10", "90", "99", "77")
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVXYZ"
ACTIVITIES = ("grocery shop", "taxi", "hairdresser", "building work", "car repair",
              "tailoring", "farming", "catering", "retail clothing", "transport of goods",
              "tutoring", "mobile phone repair")
TRANSACTION_ITEMS = {
    "purchase": ("flat", "house", "car", "land plot", "garage", "gold jewellery"),
    "sale": ("flat", "house", "car", "land plot", "garage", "commercial premises"),
}
# Each service's share of a household's monthly costs (without, with the internet) and how
# strongly it follows the seasons (heating in winter, water in summer).
UTILITY_SERVICES = (
    # service, share without internet, share with internet, winter swing
    ("electricity", 0.34, 0.29, 0.25),
    ("gas", 0.30, 0.26, 0.60),
    ("water", 0.10, 0.09, -0.15),
    ("phone", 0.26, 0.20, 0.0),
    ("internet", 0.0, 0.16, 0.0),
)


def _draw(key: str, salt: int) -> str:
    """SQL for a uniform draw in [0, 1) from an integer key, the seed and a salt."""
    return (f"((hashint8extended(({key})::bigint, %(seed)s::bigint * 1000 + {salt})"
            " & 2147483647)::float8 / 2147483648.0)")


def _pick(key: str, salt: int, count: int) -> str:
    """SQL for a whole number in [0, count)."""
    return f"floor({_draw(key, salt)} * {count})::int"


def _array(values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"(ARRAY[{quoted}])"


def _choice(values: tuple[str, ...], key: str, salt: int) -> str:
    return f"{_array(values)}[1 + {_pick(key, salt, len(values))}]"


def _day_between(start: str, end: str, key: str, salt: int) -> str:
    """SQL for a day in [start, end] (``start`` when the span is empty)."""
    return (f"(({start}) + floor({_draw(key, salt)} * greatest(0, ({end}) - ({start}) + 1)"
            ")::int)")


ADULT_BORN_BY = "(%(today)s::date - interval '18 years')::date"
WORKING_AGE_BORN_AFTER = "(%(today)s::date - interval '65 years')::date"
EIGHTEENTH = "(p.birth_date + interval '18 years')::date"
IN_RUN = "p.id >= %(first_person)s"
LIVING_ADULT = f"{IN_RUN} AND p.death_date IS NULL AND p.birth_date <= {ADULT_BORN_BY}"
WORKING_AGE = f"{LIVING_ADULT} AND p.birth_date > {WORKING_AGE_BORN_AFTER}"
NOT_ABSENT = "NOT EXISTS (SELECT 1 FROM bridge_absence a WHERE a.person_id = p.id)"

_ABSENCES = f"""
INSERT INTO bridge_absence (person_id, kind, since, until, source_id, recorded_at)
SELECT id, kind,
       CASE kind WHEN 'imprisoned' THEN prison_since ELSE missing_since END,
       CASE kind WHEN 'imprisoned'
            THEN (prison_since + make_interval(years => 1 + {_pick("id", 3, 10)}))::date END,
       'justice', %(recorded)s
FROM (
    SELECT p.id,
           CASE WHEN {_draw("p.id", 1)} < CASE p.sex WHEN 'M' THEN {IMPRISONED_MEN}
                                                      ELSE {IMPRISONED_WOMEN} END
                THEN 'imprisoned' ELSE 'missing' END AS kind,
           {_day_between(f"greatest({EIGHTEENTH}, %(today)s::date - 4 * 365)",
                         "%(today)s::date - 1", "p.id", 2)} AS prison_since,
           -- A court declares someone missing after a year without news.
           {_day_between(f"greatest({EIGHTEENTH}, %(today)s::date - 10 * 365)",
                         "%(today)s::date - 365", "p.id", 4)} AS missing_since
    FROM registry_person p
    WHERE {LIVING_ADULT}
      AND {_draw("p.id", 1)} < CASE p.sex WHEN 'M' THEN {IMPRISONED_MEN + MISSING}
                                             ELSE {IMPRISONED_WOMEN + MISSING} END
) drawn
ORDER BY id
"""  # noqa: S608

_BUSINESSES = f"""
INSERT INTO bridge_business (person_id, tin, name, registered_on, closed_on, monthly_income,
                             source_id, recorded_at)
SELECT id, tin, name, registered_on,
       CASE WHEN {_draw("id", 15)} < 0.15
            THEN {_day_between("registered_on", "%(today)s::date - 1", "id", 16)} END,
       round((300 + 1700 * power({_draw("id", 17)}, 2))::numeric, 2),
       'tax', %(recorded)s
FROM (
    SELECT p.id,
           (1000000000 + floor({_draw("p.id", 12)} * 8999999999)::bigint)::text AS tin,
           'FS ' || p.last_name || ' ' || p.first_name || ' ('
               || {_choice(ACTIVITIES, "p.id", 13)} || ')' AS name,
           {_day_between(f"greatest({EIGHTEENTH}, %(today)s::date - 12 * 365)",
                         "%(today)s::date - 30", "p.id", 14)} AS registered_on
    FROM registry_person p
    WHERE {WORKING_AGE} AND {_draw("p.id", 11)} < {BUSINESS_SHARE} AND {NOT_ABSENT}
) drawn
ORDER BY id
"""  # noqa: S608

# The home of every household, owned by its eldest living member; a few households own
# a second flat elsewhere, a garage or a land plot; some businesses own their premises.
_REAL_ESTATE = f"""
WITH owners AS (
    SELECT DISTINCT ON (p.household_id) p.household_id, p.id AS person_id, p.birth_date,
           h.address, h.region_id
    FROM registry_person p
    JOIN registry_household h ON h.id = p.household_id
    WHERE {IN_RUN} AND p.household_id >= %(first_household)s
    ORDER BY p.household_id, p.death_date IS NOT NULL, p.birth_date, p.id
)
INSERT INTO bridge_realestate (person_id, purpose, address, region_id, registered_on,
                               disposed_on, source_id, recorded_at)
SELECT person_id, purpose, address, region_id, registered_on, NULL, 'property', %(recorded)s
FROM (
    SELECT o.person_id, 'residential' AS purpose, o.address, o.region_id,
           {_day_between("greatest((o.birth_date + interval '18 years')::date, "
                         "%(today)s::date - 30 * 365)", "%(today)s::date - 30",
                         "o.household_id", 21)} AS registered_on, 1 AS unit
    FROM owners o
    UNION ALL
    SELECT o.person_id, 'residential', other.address || ', m. '
               || (1 + {_pick("o.household_id", 24, 90)}), other.region_id,
           {_day_between("greatest((o.birth_date + interval '18 years')::date, "
                         "%(today)s::date - 20 * 365)", "%(today)s::date - 30",
                         "o.household_id", 25)}, 2
    FROM owners o
    JOIN registry_household other
      ON other.id = %(first_household)s
                    + floor({_draw("o.household_id", 23)} * %(households)s)::int
    WHERE {_draw("o.household_id", 22)} < {SECOND_DWELLING_SHARE}
    UNION ALL
    SELECT o.person_id, CASE WHEN {_draw("o.household_id", 27)} < 0.5 THEN 'garage'
                             ELSE 'land' END,
           CASE WHEN {_draw("o.household_id", 27)} < 0.5
                THEN o.address || ', qaraj ' || (1 + {_pick("o.household_id", 28, 120)})
                ELSE 'torpaq sahəsi ' || (1 + {_pick("o.household_id", 28, 2000)}) END,
           o.region_id,
           {_day_between("greatest((o.birth_date + interval '18 years')::date, "
                         "%(today)s::date - 25 * 365)", "%(today)s::date - 30",
                         "o.household_id", 29)}, 3
    FROM owners o
    WHERE {_draw("o.household_id", 26)} < {GARAGE_OR_LAND_SHARE}
    UNION ALL
    SELECT b.person_id, 'commercial',
           h.address || ', obyekt ' || (1 + {_pick("b.person_id", 31, 40)}), h.region_id,
           b.registered_on, 4
    FROM bridge_business b
    JOIN registry_person p ON p.id = b.person_id
    JOIN registry_household h ON h.id = p.household_id
    WHERE b.person_id >= %(first_person)s AND b.closed_on IS NULL
      AND {_draw("b.person_id", 30)} < {COMMERCIAL_PREMISES_SHARE}
) units
ORDER BY person_id, unit
"""  # noqa: S608

_PLATE = (
    "CASE WHEN r.economic_region_id = 'baku' THEN "
    f"{_choice(BAKU_PLATE_CODES, 'p.id', 41)} "
    "WHEN r.code = 'sumgait' THEN '50' WHEN r.code = 'ganja' THEN '20' "
    "ELSE lpad((1 + mod(abs(hashtext(r.code)), 72))::text, 2, '0') END"
    f" || '-' || substr('{PLATE_LETTERS}', 1 + {_pick('p.id', 42, len(PLATE_LETTERS))}, 1)"
    f" || substr('{PLATE_LETTERS}', 1 + {_pick('p.id', 43, len(PLATE_LETTERS))}, 1)"
    f" || '-' || lpad({_pick('p.id', 44, 1000)}::text, 3, '0')"
)

# One adult of a fifth of households has a car (a few sold since); some adults with a
# severe disability drive a car the state gave them.
_VEHICLES = f"""
INSERT INTO bridge_vehicle (person_id, plate, make, registered_on, deregistered_on,
                            given_by_state, source_id, recorded_at)
SELECT person_id, plate, make, registered_on,
       CASE WHEN NOT given_by_state AND {_draw("person_id", 48)} < {CAR_SOLD_SHARE}
            THEN {_day_between("registered_on", "%(today)s::date - 1", "person_id", 49)} END,
       given_by_state, 'vehicles', %(recorded)s
FROM (
    (SELECT DISTINCT ON (p.household_id) p.id AS person_id, {_PLATE} AS plate,
           {_choice(CAR_MAKES, "p.id", 45)} AS make,
           {_day_between(f"greatest({EIGHTEENTH}, %(today)s::date - 15 * 365)",
                         "%(today)s::date - 1", "p.id", 46)} AS registered_on,
           FALSE AS given_by_state
    FROM registry_person p
    JOIN registry_region r ON r.code = p.region_id
    WHERE {LIVING_ADULT} AND p.birth_date > (%(today)s::date - interval '76 years')::date
      AND {_draw("p.household_id", 40)} < {CAR_SHARE}
    ORDER BY p.household_id, {_draw("p.id", 47)})
    UNION ALL
    SELECT p.id, {_PLATE}, {_choice(REHABILITATION_MAKES, "p.id", 51)},
           {_day_between(f"greatest({EIGHTEENTH}, d.determined_on)", "%(today)s::date - 1",
                         "p.id", 52)},
           TRUE
    FROM registry_person p
    JOIN registry_region r ON r.code = p.region_id
    JOIN (SELECT person_id, max(determined_on) AS determined_on
          FROM registry_disabilitystatus
          WHERE person_id >= %(first_person)s AND percent >= 61
            AND determined_on < %(today)s::date
            AND (valid_until IS NULL OR valid_until > %(today)s::date)
          GROUP BY person_id) d ON d.person_id = p.id
    WHERE {LIVING_ADULT} AND {_draw("p.id", 50)} < {REHABILITATION_VEHICLE_SHARE}
) drawn
ORDER BY person_id, given_by_state
"""  # noqa: S608

_TRANSACTIONS = f"""
INSERT INTO bridge_largetransaction (person_id, kind, item, amount, "on", source_id,
                                     recorded_at)
SELECT id, kind,
       CASE kind WHEN 'purchase' THEN {_choice(TRANSACTION_ITEMS["purchase"], "id", 63)}
                 ELSE {_choice(TRANSACTION_ITEMS["sale"], "id", 63)} END,
       round((4000 + 56000 * power({_draw("id", 64)}, 2))::numeric, -1),
       {_day_between(f"greatest(adult_on, %(today)s::date - {TRANSACTION_DAYS})",
                     "%(today)s::date - 1", "id", 65)},
       'notary', %(recorded)s
FROM (
    SELECT p.id, {EIGHTEENTH} AS adult_on,
           CASE WHEN {_draw("p.id", 62)} < 0.6 THEN 'purchase' ELSE 'sale' END AS kind
    FROM registry_person p
    WHERE {LIVING_ADULT} AND {_draw("p.id", 61)} < {LARGE_TRANSACTION_SHARE}
) drawn
ORDER BY id
"""  # noqa: S608


_SERVICE_VALUES = ", ".join(f"('{service}', {number}, {share}, {share_online}, {swing})"
                            for number, (service, share, share_online, swing)
                            in enumerate(UTILITY_SERVICES))

# Every household's bills for the last complete months: a per-person budget (usually
# 10-40 AZN a month, high for a few), split by service, heavier in winter for gas. Each
# service's share of the budget in each month is worked out once (``s``), so a row costs
# one multiplication and one hash; households come in id order, which keeps the unique
# index's inserts local.
_UTILITY_BILLS = f"""
INSERT INTO bridge_utilitybill (household_id, service, month, amount, source_id, recorded_at)
SELECT h.id, s.service, s.month,
       -- Whole qəpiks first: casting a float to numeric directly costs several times more.
       (h.living * h.budget * CASE WHEN h.internet THEN s.share_online ELSE s.share END
        * CASE WHEN s.service = 'internet' THEN 100
               ELSE 90 + 20 * {_draw("h.id * 1024 + s.key", 75)} END)::bigint::numeric
       * 0.01,
       'utilities', %(recorded)s
FROM (
    SELECT h.id, greatest(1, count(*) FILTER (WHERE p.death_date IS NULL)) AS living,
           CASE WHEN {_draw("h.id", 71)} < {HIGH_UTILITY_COSTS_SHARE}
                THEN 60 + 90 * {_draw("h.id", 72)}
                ELSE 10 + 30 * {_draw("h.id", 72)} END AS budget,
           {_draw("h.id", 73)} < {INTERNET_SHARE} AS internet
    FROM registry_household h
    JOIN registry_person p ON p.household_id = h.id
    WHERE h.id >= %(first_household)s AND {IN_RUN}
    GROUP BY h.id
    ORDER BY h.id
) h
CROSS JOIN LATERAL (
    SELECT v.service, v.number * 32 + n AS key, m.month,
           v.share * m.season, v.share_online * m.season
    FROM (VALUES {_SERVICE_VALUES}) v (service, number, share, share_online, swing)
    CROSS JOIN generate_series(0, {BILL_MONTHS - 1}) n
    CROSS JOIN LATERAL (
        SELECT (%(first_month)s::date + make_interval(months => n))::date AS month
    ) d
    CROSS JOIN LATERAL (
        SELECT d.month, 1 + v.swing * cos(2 * pi() * (extract(month FROM d.month) - 1) / 12)
                            AS season
    ) m
    WHERE v.service <> 'internet' OR h.internet
) s (service, key, month, share, share_online)
"""  # noqa: S608

# Three in ten working-age people without a job are registered with the employment agency:
# those who lost a job of a year or more through no fault of their own draw unemployment
# insurance for six months; a few turned down suitable jobs.
_JOB_SEEKERS = f"""
WITH last_spell AS (
    SELECT DISTINCT ON (person_id) person_id, started_on, ended_on, end_reason, monthly_wage
    FROM registry_employmentspell
    WHERE person_id >= %(first_person)s
    ORDER BY person_id, ended_on DESC NULLS FIRST
), seekers AS (
    SELECT p.id, l.ended_on, l.monthly_wage,
           l.end_reason IN ('staff_cut', 'liquidation', 'fixed_term_end')
               AND l.ended_on - l.started_on >= 365
               AND l.ended_on >= %(today)s::date - 2 * 365
               AND {_draw("p.id", 82)} < {INSURED_SHARE} AS insured,
           CASE WHEN l.ended_on >= %(today)s::date - 2 * 365
                THEN least(%(today)s::date, l.ended_on + 1 + {_pick("p.id", 83, 30)})
                -- After their last job, if any (greatest() passes over a NULL).
                ELSE {_day_between(f"greatest({EIGHTEENTH}, %(today)s::date - 3 * 365, "
                                   "l.ended_on + 1)", "%(today)s::date", "p.id", 84)}
           END AS registered_on
    FROM registry_person p
    LEFT JOIN last_spell l ON l.person_id = p.id
    WHERE {WORKING_AGE} AND {_draw("p.id", 81)} < {JOB_SEEKER_SHARE}
      AND (l.person_id IS NULL OR l.ended_on <= %(today)s::date) AND {NOT_ABSENT}
)
INSERT INTO bridge_jobseeker (person_id, registered_on, ended_on, insurance_monthly,
                              insurance_until, suitable_offers_refused, last_refusal_on,
                              source_id, recorded_at)
SELECT id, registered_on, NULL,
       CASE WHEN insured THEN round(least(600, greatest(200, monthly_wage * 0.55)), 2)
            ELSE 0 END,
       CASE WHEN insured
            THEN (registered_on + interval '6 months' - interval '1 day')::date END,
       CASE WHEN refused THEN 1 + {_pick("id", 86, 3)} ELSE 0 END,
       CASE WHEN refused
            THEN {_day_between("greatest(registered_on, %(today)s::date - 364)",
                               "%(today)s::date", "id", 87)} END,
       'employment_service', %(recorded)s
FROM (SELECT *, {_draw("id", 85)} < {REFUSED_OFFERS_SHARE} AS refused FROM seekers) drawn
ORDER BY id
"""  # noqa: S608


def derive_registers(cursor: Any, *, first_person_id: int, first_household_id: int,
                     today: dt.date, seed: int, recorded: str) -> None:
    """Fill the other institutions' registers for the people and households of one seed run.

    Only people from ``first_person_id`` and households from ``first_household_id`` on
    get rows, so an earlier run's people are left as they are. One statement per
    register; the order matters only where one register reads another (the absent
    neither work nor trade; some businesses own premises).
    """
    cursor.execute("SELECT count(*) FROM registry_household WHERE id >= %s",
                   [first_household_id])
    households = cursor.fetchone()[0]
    if not households:
        return
    this_month = today.replace(day=1)
    months_back = this_month.year * 12 + this_month.month - 1 - BILL_MONTHS
    first_month = dt.date(months_back // 12, months_back % 12 + 1, 1)
    # Bills are most of the rows: for a large run, one sort to build their unique index
    # costs far less than keeping it up to date row by row.
    rebuilt = _drop_unique_constraints(cursor, "bridge_utilitybill") \
        if households >= REBUILD_INDEXES_FROM_HOUSEHOLDS else []
    params = {
        "first_person": first_person_id, "first_household": first_household_id,
        "households": households, "today": today, "seed": seed, "recorded": recorded,
        "first_month": first_month,
    }
    for statement in (_ABSENCES, _BUSINESSES, _REAL_ESTATE, _VEHICLES, _TRANSACTIONS,
                      _UTILITY_BILLS, _JOB_SEEKERS):
        cursor.execute(statement, params)
    for definition in rebuilt:
        cursor.execute(definition)


def _drop_unique_constraints(cursor: Any, table: str) -> list[str]:
    """Drop ``table``'s unique constraints; return the statements that add them back."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'", [table])
    constraints = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for name, definition in constraints]
