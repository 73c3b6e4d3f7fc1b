"""A synthetic country for demos, tests and benchmarks.

People are generated household by household (a couple, their children, maybe a
grandparent; people living alone; single parents), so family relations, ages
and surnames fit together. Names, streets and employers come from Faker's
``az_AZ`` locale; regions are the real districts weighted by population.

Everything is drawn from one ``random.Random(seed)`` and dated relative to
``today``: the same seed and day give the same country. Rows are written to
tab-separated buffers for PostgreSQL's COPY; contributions are then derived
from employment spells in SQL.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from faker import Faker
from faker.providers.person.az_AZ import Provider as AzPersonProvider

from dost.registry.reference import REGIONS
from dost.registry.validators import FIN_ALPHABET, iban_with_checksum, name_key

FIN_SPACE = len(FIN_ALPHABET) ** 7
# An odd multiplier coprime with 33 (= 3 x 11) makes i -> (a*i + b) mod 33^7 a
# bijection, so sequential ids give distinct, random-looking FINs.
_FIN_MULTIPLIER = 3_119_546_017
MOBILE_CODES = ("50", "51", "55", "70", "77", "10", "99", "60")
MOBILE_WEIGHTS = (30, 12, 25, 15, 10, 3, 4, 1)
BANK_CODES = ("IBAZ", "PAHA", "KAPT", "ABBA", "UBAZ", "AIIB")
OCCUPATIONS = (
    "2221", "2330", "2341", "2411", "2512", "2611", "3313", "3322", "4110", "4120", "4311",
    "5120", "5141", "5223", "5414", "6111", "6121", "7112", "7115", "7126", "7231", "7411",
    "8111", "8322", "8332", "9112", "9313", "9333", "1120", "1211", "2141", "2211", "3221",
)
END_REASONS = ("resignation", "staff_cut", "liquidation", "fixed_term_end", "dismissal")
END_REASON_WEIGHTS = (45, 20, 10, 20, 5)
# Household shapes and their shares (census-like: most people live in families).
HOUSEHOLD_KINDS = ("couple_children", "three_generations", "couple", "single_parent",
                   "single_adult", "single_elder")
HOUSEHOLD_WEIGHTS = (48, 20, 11, 7, 8, 6)
# Age of the head of household, in bands with weights.
HEAD_AGE_BANDS = ((22, 29, 14), (30, 39, 28), (40, 49, 24), (50, 59, 18), (60, 69, 11),
                  (70, 84, 5))
STREET_COUNT = 400
EMPLOYER_COUNT = 3000

PERSON_COLUMNS = (
    "id", "fin", "first_name", "last_name", "patronymic", "first_name_key", "last_name_key",
    "sex", "birth_date", "death_date", "phone", "phone_source_id", "region_id", "address",
    "address_source_id", "language", "bank_account", "bank_account_source_id", "household_id",
    "source_id", "recorded_at", "updated_at",
)
HOUSEHOLD_COLUMNS = ("id", "region_id", "address", "source_id", "recorded_at")
RELATION_COLUMNS = ("person_id", "relative_id", "kind", "since", "until", "source_id",
                    "recorded_at")
SPELL_COLUMNS = ("person_id", "employer_name", "employer_tin", "occupation_code", "started_on",
                 "ended_on", "end_reason", "monthly_wage", "source_id", "recorded_at")
DISABILITY_COLUMNS = ("person_id", "percent", "determined_on", "valid_until", "cause",
                      "source_id", "recorded_at")
DISABILITY_CAUSES = ("general illness", "occupational disease", "work injury",
                     "since childhood", "war injury")

# Faker's az_AZ lists file a few names under the wrong sex or under both (Yaqub, a man's
# name, among the women's names): who bears each of them here.
MISFILED_NAMES = {
    "Yaqub": "M", "Turan": "M", "Seyran": "M", "Zəkəriyyə": "M",
    "Münəvvər": "F", "Nihal": "F", "Laçın": "F", "Sədaqət": "F", "Fimar": "F",
}


def _first_names(sex: str) -> tuple[str, ...]:
    """Faker's first names for ``sex``, corrected by MISFILED_NAMES, in Faker's order."""
    listed = (AzPersonProvider.first_names_male if sex == "M"
              else AzPersonProvider.first_names_female)
    # Some entries carry a stray space ("Famil ").
    names = [name.strip() for name in listed]
    names += [name for name, name_sex in MISFILED_NAMES.items() if name_sex == sex]
    return tuple(dict.fromkeys(name for name in names if MISFILED_NAMES.get(name, sex) == sex))


FIRST_NAMES_MALE = _first_names("M")
FIRST_NAMES_FEMALE = _first_names("F")

NULL = r"\N"


def fin_for(number: int, seed: int) -> str:
    value = (_FIN_MULTIPLIER * number + seed * 7_919 + 104_729) % FIN_SPACE
    chars = []
    for _position in range(7):
        value, digit = divmod(value, len(FIN_ALPHABET))
        chars.append(FIN_ALPHABET[digit])
    return "".join(reversed(chars))


def female_surname(male: str) -> str:
    """A man's surname as a woman bears it: Əliyev → Əliyeva, Vəlioğlu (son of) → Vəliqızı."""
    if male.endswith("oğlu"):
        return male.removesuffix("oğlu") + "qızı"
    # -li, -lı, -lu, -zadə and the like are the same for both.
    return male + "a" if male.endswith(("ov", "ev", "in")) else male


def retirement_age(sex: str) -> int:
    return 65 if sex == "M" else 64


@dataclass
class Batch:
    """COPY buffers for one chunk of households."""

    people: io.StringIO = field(default_factory=io.StringIO)
    households: io.StringIO = field(default_factory=io.StringIO)
    relations: io.StringIO = field(default_factory=io.StringIO)
    spells: io.StringIO = field(default_factory=io.StringIO)
    disabilities: io.StringIO = field(default_factory=io.StringIO)
    people_count: int = 0

    def buffers(self) -> list[tuple[str, tuple[str, ...], io.StringIO]]:
        return [
            ("registry_household", HOUSEHOLD_COLUMNS, self.households),
            ("registry_person", PERSON_COLUMNS, self.people),
            ("registry_familyrelation", RELATION_COLUMNS, self.relations),
            ("registry_employmentspell", SPELL_COLUMNS, self.spells),
            ("registry_disabilitystatus", DISABILITY_COLUMNS, self.disabilities),
        ]


@dataclass
class _Member:
    id: int
    sex: str
    birth: dt.date
    first_name: str
    last_name: str
    father_name: str
    alive: bool = True


class CountryGenerator:
    def __init__(self, *, seed: int, today: dt.date, first_person_id: int = 1,
                 first_household_id: int = 1) -> None:
        self.seed = seed
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
        self.next_person_id = first_person_id
        self.next_household_id = first_household_id
        self.recorded = f"{today.isoformat()} 09:00:00+04"

        faker = Faker("az_AZ")
        faker.seed_instance(seed)
        self.male_names = list(FIRST_NAMES_MALE)
        self.female_names = list(FIRST_NAMES_FEMALE)
        self.surnames = sorted(set(AzPersonProvider.last_names_male)
                               | set(AzPersonProvider.last_names_unisex))
        self.streets = [faker.street_name() for _ in range(STREET_COUNT)]
        self.employers = [
            (faker.company(), f"{1_000_000_000 + self.rng.randrange(8_999_999_999):010d}")
            for _ in range(EMPLOYER_COUNT)
        ]
        self.region_codes = [code for code, *_rest in REGIONS]
        self.region_cumulative = list(itertools.accumulate(row[-1] for row in REGIONS))
        self.head_bands = [(low, high) for low, high, _w in HEAD_AGE_BANDS]
        self.head_weights = [weight for *_band, weight in HEAD_AGE_BANDS]

    # -- small draws -------------------------------------------------------
    def _region(self) -> str:
        point = self.rng.random() * self.region_cumulative[-1]
        return self.region_codes[bisect.bisect_right(self.region_cumulative, point)]

    def _birth(self, age: int) -> dt.date:
        """A birth date for someone who is ``age`` full years old today."""
        latest = self.today.replace(year=self.today.year - age) if not (
            self.today.month == 2 and self.today.day == 29) else dt.date(
            self.today.year - age, 2, 28)
        return latest - dt.timedelta(days=self.rng.randrange(365))

    def _age(self, birth: dt.date) -> int:
        years = self.today.year - birth.year
        return years - ((self.today.month, self.today.day) < (birth.month, birth.day))

    def _phone(self) -> str:
        code = self.rng.choices(MOBILE_CODES, MOBILE_WEIGHTS)[0]
        return f"+994{code}{self.rng.randrange(2_000_000, 9_999_999)}"

    def _iban(self, person_id: int) -> str:
        bank = BANK_CODES[person_id % len(BANK_CODES)]
        return iban_with_checksum(("AZ", f"{bank}{person_id:020d}"))

    def _first_name(self, sex: str) -> str:
        return self.rng.choice(self.male_names if sex == "M" else self.female_names)

    # -- people ------------------------------------------------------------
    def _person(self, batch: Batch, household_id: int, region: str, address: str, *, sex: str,
                age: int, surname: str, father_name: str | None, birth: dt.date | None = None,
                first_name: str | None = None) -> _Member:
        rng = self.rng
        person_id = self.next_person_id
        self.next_person_id += 1
        birth = birth or self._birth(age)
        age = self._age(birth)
        first_name = first_name or self._first_name(sex)
        last_name = surname if sex == "M" else female_surname(surname)
        father = father_name or rng.choice(self.male_names)
        patronymic = f"{father} {'oğlu' if sex == 'M' else 'qızı'}"

        death = NULL
        death_chance = 0.05 if age >= 75 else 0.015 if age >= 60 else 0.001
        if rng.random() < death_chance:
            died = self.today - dt.timedelta(days=rng.randrange(1, 3 * 365))
            death = max(died, birth).isoformat()
        alive = death == NULL

        phone = self._phone() if age >= 16 and rng.random() < 0.9 else ""
        bank = self._iban(person_id) if age >= 18 and rng.random() < 0.6 else ""
        language = rng.choices(("az", "ru", "en"), (92, 7, 1))[0]
        batch.people.write("\t".join((
            str(person_id), fin_for(person_id, self.seed), first_name, last_name, patronymic,
            name_key(first_name), name_key(last_name), sex, birth.isoformat(), death,
            phone, "mobile" if phone else NULL, region, address, "migration", language, bank,
            "bank" if bank else NULL, str(household_id), "justice", self.recorded, self.recorded,
        )))
        batch.people.write("\n")
        batch.people_count += 1
        member = _Member(person_id, sex, birth, first_name, last_name, father, alive)
        if alive:
            self._work_history(batch, member, age)
        self._disability(batch, member, age)
        return member

    def _work_history(self, batch: Batch, member: _Member, age: int) -> None:
        rng = self.rng
        if age < 18:
            return
        working_age = age < retirement_age(member.sex)
        employment_rate = 0.7 if member.sex == "M" else 0.5
        eighteen = member.birth.replace(year=member.birth.year + 18) if not (
            member.birth.month == 2 and member.birth.day == 29) else dt.date(
            member.birth.year + 18, 3, 1)
        wage = round(rng.lognormvariate(6.7, 0.45), 2)
        if working_age and rng.random() < employment_rate:
            span = max(1, (self.today - eighteen).days)
            start = eighteen + dt.timedelta(days=rng.randrange(span))
            if rng.random() < 0.4 and (start - eighteen).days > 400:
                earlier_start = eighteen + dt.timedelta(days=rng.randrange((start - eighteen).days
                                                                           - 365))
                earlier_end = start - dt.timedelta(days=rng.randrange(1, 365))
                if earlier_end > earlier_start:
                    self._spell(batch, member, earlier_start, earlier_end,
                                rng.choices(END_REASONS, END_REASON_WEIGHTS)[0], wage * 0.8)
            self._spell(batch, member, start, None, "", wage)
        elif working_age and rng.random() < 0.35:
            # Out of work now, after a job that ended in the last two years.
            end = self.today - dt.timedelta(days=rng.randrange(1, 730))
            start = max(eighteen, end - dt.timedelta(days=rng.randrange(200, 4000)))
            if end > start:
                self._spell(batch, member, start, end,
                            rng.choices(END_REASONS, END_REASON_WEIGHTS)[0], wage)
        elif not working_age and rng.random() < 0.75:
            retired = member.birth.replace(year=member.birth.year + retirement_age(member.sex),
                                           day=min(member.birth.day, 28))
            start = max(eighteen, retired - dt.timedelta(days=365 * rng.randrange(10, 40)))
            if retired > start:
                self._spell(batch, member, start, retired, "retirement", wage)

    def _spell(self, batch: Batch, member: _Member, start: dt.date, end: dt.date | None,
               reason: str, wage: float) -> None:
        employer, tin = self.rng.choice(self.employers)
        batch.spells.write("\t".join((
            str(member.id), employer, tin, self.rng.choice(OCCUPATIONS), start.isoformat(),
            end.isoformat() if end else NULL, reason, f"{max(wage, 345):.2f}", "labour",
            self.recorded,
        )))
        batch.spells.write("\n")

    def _disability(self, batch: Batch, member: _Member, age: int) -> None:
        rng = self.rng
        prevalence = 0.02 if age < 18 else 0.04 if age < 50 else 0.09 if age < 70 else 0.15
        if rng.random() >= prevalence:
            return
        percent = rng.choices((35, 40, 50, 60, 70, 80, 90, 100), (18, 14, 16, 14, 12, 10, 8, 8))[0]
        years_ago = rng.randrange(0, min(age, 12) + 1)
        determined = max(member.birth + dt.timedelta(days=30),
                         self.today - dt.timedelta(days=365 * years_ago + rng.randrange(365)))
        if determined >= self.today:
            determined = self.today - dt.timedelta(days=1)
        indefinite = age >= 60 or rng.random() < 0.3
        valid_until = NULL if indefinite else (
            determined + dt.timedelta(days=365 * rng.choice((1, 2, 5)))).isoformat()
        cause = "since childhood" if age < 18 else rng.choice(DISABILITY_CAUSES)
        batch.disabilities.write("\t".join((
            str(member.id), str(percent), determined.isoformat(), valid_until, cause, "msec",
            self.recorded,
        )))
        batch.disabilities.write("\n")

    def _relate(self, batch: Batch, person: _Member, relative: _Member, kind: str,
                since: dt.date | None) -> None:
        batch.relations.write("\t".join((
            str(person.id), str(relative.id), kind, since.isoformat() if since else NULL, NULL,
            "justice", self.recorded,
        )))
        batch.relations.write("\n")

    def _marry(self, batch: Batch, husband: _Member, wife: _Member) -> None:
        youngest = max(husband.birth, wife.birth)
        wedding = youngest.replace(year=youngest.year + 18 + self.rng.randrange(0, 12),
                                   day=min(youngest.day, 28))
        wedding = min(wedding, self.today - dt.timedelta(days=1))
        self._relate(batch, husband, wife, "spouse", wedding)
        self._relate(batch, wife, husband, "spouse", wedding)

    # -- households --------------------------------------------------------
    def household(self, batch: Batch, *, room: int = 100) -> None:
        """Add one household; with little ``room`` left, a person living alone."""
        rng = self.rng
        household_id = self.next_household_id
        self.next_household_id += 1
        region = self._region()
        address = f"{rng.choice(self.streets)} {rng.randrange(1, 250)}"
        batch.households.write(f"{household_id}\t{region}\t{address}\tmigration\t"
                               f"{self.recorded}\n")
        kind = rng.choices(HOUSEHOLD_KINDS, HOUSEHOLD_WEIGHTS)[0] if room > 9 else "single_adult"
        surname = rng.choice(self.surnames)

        def adult(sex: str, age: int) -> _Member:
            return self._person(batch, household_id, region, address, sex=sex, age=age,
                                surname=surname if sex == "M" else rng.choice(self.surnames),
                                father_name=None)

        if kind == "single_elder":
            adult(rng.choice("FFM"), rng.randrange(65, 95))
            return
        low, high = rng.choices(self.head_bands, self.head_weights)[0]
        head_age = rng.randrange(low, high + 1)
        if kind == "single_adult":
            adult(rng.choice("FM"), head_age)
            return

        if kind == "single_parent":
            mother = adult("F", max(head_age, 20))
            father = None
        else:
            father = adult("M", max(head_age, 20))
            mother = adult("F", max(18, head_age - rng.randrange(0, 9)))
            self._marry(batch, father, mother)
        if kind == "three_generations" and father is not None:
            grandfather_age = self._age(father.birth) + rng.randrange(22, 36)
            grandmother = self._person(
                batch, household_id, region, address, sex="F",
                age=grandfather_age - rng.randrange(0, 6), surname=surname,
                father_name=None)
            self._relate(batch, father, grandmother, "parent", father.birth)
            if rng.random() < 0.55:
                # The name the father's patronymic already gave him.
                grandfather = self._person(batch, household_id, region, address, sex="M",
                                           age=grandfather_age, surname=surname, father_name=None,
                                           first_name=father.father_name)
                self._relate(batch, father, grandfather, "parent", father.birth)
                self._marry(batch, grandfather, grandmother)
        if kind == "couple":
            return

        mother_age = self._age(mother.birth)
        children = rng.choices((1, 2, 3, 4, 5), (28, 38, 22, 8, 4))[0]
        child_surname = surname if father else rng.choice(self.surnames)
        oldest = min(mother_age - 18, 25)
        if oldest < 0:
            return
        for _child in range(children):
            age = rng.randrange(0, oldest + 1)
            sex = rng.choice("FM")
            # Spread this year's births over the months before today.
            birth = self.today - dt.timedelta(days=rng.randrange(0, 365)) if age == 0 else None
            child = self._person(batch, household_id, region, address, sex=sex, age=age,
                                 surname=child_surname,
                                 father_name=father.first_name if father else None, birth=birth)
            self._relate(batch, child, mother, "parent", child.birth)
            if father:
                self._relate(batch, child, father, "parent", child.birth)

    def batches(self, people: int, batch_size: int = 50_000) -> Iterator[Batch]:
        """Yield batches of whole households until ``people`` people are generated."""
        made = 0
        while made < people:
            batch = Batch()
            while batch.people_count < batch_size and made + batch.people_count < people:
                self.household(batch, room=people - made - batch.people_count)
            made += batch.people_count
            yield batch
