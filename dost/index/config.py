"""The DOST Index's pillars and KPIs, read from the version-controlled ``kpis.yaml``.

The file is checked as a whole when first read (``index_config``): a KPI naming an
unknown pillar, measure, unit or direction stops the app from starting rather than
showing a wrong figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KPIS_PATH = Path(__file__).with_name("kpis.yaml")
LANGUAGES = ("az", "en", "ru")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")

# What each measure counts, per centre (or the whole country) and month. The SQL that
# counts them is dost.index.services._MEASURES_SQL; the names here are the contract.
MEASURES: dict[str, str] = {
    "visits_served": "visits served (e-queue bookings marked served), by the booked day",
    "visits_no_show": "bookings marked as not come, by the booked day",
    "visits_waited": "visits served with a recorded waiting time",
    "visits_waited_15": "visits served that waited 15 minutes or less",
    "waiting_minutes": "minutes waited, summed over visits served",
    "visits_timed": "visits served with a recorded service time",
    "service_minutes": "minutes of service, summed over visits served",
    "ratings_sent": "CareCall rating requests sent in the month",
    "ratings_answered": "of those, answered with a score",
    "rating_points": "the scores, summed",
    "ratings_satisfied": "answers scoring 4 or 5",
    "complaints_received": "complaints received in the month",
    "appeals_received": "appeals against automatic decisions received in the month",
    "complaints_due": "complaints whose answer is due in the month",
    "complaints_due_on_time": "of those, answered or rejected by their due day",
    "complaints_answered": "complaints answered or rejected in the month",
    "complaint_answer_days": "days from receipt to answer, summed over those",
    "awards_proactive": "awards the proactive engine made in the month (not annulled)",
    "applications_approved": "e-applications approved in the month",
    "applications_submitted": "e-applications filed in the month",
    "applications_online": "of those, filed on the portal by the applicant's own account",
}

UNITS: dict[str, StrOrPromise] = {
    "minutes": _("min"),
    "percent": "%",
    "per_1000": _("per 1,000"),
    "days": _("days"),
    "score": _("of 5"),
}
BETTER = {"higher": _("higher is better"), "lower": _("lower is better")}


class ConfigError(Exception):
    """The KPI file is wrong; the message names the entry and what is wrong with it."""


def _localised(texts: dict[str, str]) -> str:
    language = (get_language() or "az")[:2]
    return texts.get(language) or texts["az"]


@dataclass(frozen=True)
class Pillar:
    code: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return _localised(self.names)


@dataclass(frozen=True)
class Kpi:
    code: str
    pillar: str
    unit: str
    better: str
    illustrative: bool
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    scale: Decimal
    names: dict[str, str]
    formulas: dict[str, str]

    @property
    def name(self) -> str:
        return _localised(self.names)

    @property
    def formula(self) -> str:
        return _localised(self.formulas)

    @property
    def unit_label(self) -> StrOrPromise:
        return UNITS[self.unit]

    @property
    def better_label(self) -> StrOrPromise:
        return BETTER[self.better]

    @property
    def higher_is_better(self) -> bool:
        return self.better == "higher"


@dataclass(frozen=True)
class IndexConfig:
    pillars: tuple[Pillar, ...]
    kpis: tuple[Kpi, ...]

    def kpi(self, code: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.code == code:
                return kpi
        raise LookupError(code)

    def kpis_of(self, pillar: str) -> tuple[Kpi, ...]:
        return tuple(kpi for kpi in self.kpis if kpi.pillar == pillar)


def _texts(entry: dict[str, Any], key: str, where: str) -> dict[str, str]:
    texts = entry.get(key)
    if not isinstance(texts, dict) or any(not isinstance(texts.get(language), str)
                                          or not texts[language].strip()
                                          for language in LANGUAGES):
        raise ConfigError(f"{where}: '{key}' needs a text in each of {', '.join(LANGUAGES)}")
    return {language: texts[language].strip() for language in LANGUAGES}


def _code(entry: dict[str, Any], where: str, seen: set[str]) -> str:
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ConfigError(f"{where}: 'code' must be lower-case letters, digits and _ "
                          f"(at most 32), not {code!r}")
    if code in seen:
        raise ConfigError(f"{where}: the code {code!r} is used twice")
    seen.add(code)
    return code


def _measures(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    names = entry.get(key)
    if not isinstance(names, list) or not names:
        raise ConfigError(f"{where}: '{key}' must list one or more measures")
    unknown = [name for name in names if name not in MEASURES]
    if unknown:
        raise ConfigError(f"{where}: unknown measure(s) in '{key}': {', '.join(map(str, unknown))}"
                          f" (known: {', '.join(MEASURES)})")
    return tuple(names)


def _kpi(entry: dict[str, Any], position: int, pillars: set[str], seen: set[str]) -> Kpi:
    where = f"kpis[{position}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a mapping")
    code = _code(entry, where, seen)
    where = f"KPI {code}"
    if entry.get("pillar") not in pillars:
        raise ConfigError(f"{where}: 'pillar' must be one of {', '.join(sorted(pillars))}")
    if entry.get("unit") not in UNITS:
        raise ConfigError(f"{where}: 'unit' must be one of {', '.join(UNITS)}")
    if entry.get("better") not in BETTER:
        raise ConfigError(f"{where}: 'better' must be 'higher' or 'lower'")
    if not isinstance(entry.get("illustrative"), bool):
        raise ConfigError(f"{where}: 'illustrative' must be true or false")
    try:
        scale = Decimal(str(entry.get("scale")))
    except InvalidOperation:
        raise ConfigError(f"{where}: 'scale' must be a number") from None
    if not scale.is_finite() or scale <= 0:
        raise ConfigError(f"{where}: 'scale' must be a positive number")
    return Kpi(code=code, pillar=entry["pillar"], unit=entry["unit"], better=entry["better"],
               illustrative=entry["illustrative"],
               numerator=_measures(entry, "numerator", where),
               denominator=_measures(entry, "denominator", where), scale=scale,
               names=_texts(entry, "name", where), formulas=_texts(entry, "formula", where))


def parse_config(document: Any) -> IndexConfig:
    """The pillars and KPIs of a parsed ``kpis.yaml``; ``ConfigError`` says what is wrong."""
    if not isinstance(document, dict):
        raise ConfigError("the file must hold 'pillars' and 'kpis'")
    pillar_entries, kpi_entries = document.get("pillars"), document.get("kpis")
    if not isinstance(pillar_entries, list) or not pillar_entries:
        raise ConfigError("'pillars' must list one or more pillars")
    if not isinstance(kpi_entries, list) or not kpi_entries:
        raise ConfigError("'kpis' must list one or more KPIs")
    seen: set[str] = set()
    pillars = []
    for position, entry in enumerate(pillar_entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"pillars[{position}]: must be a mapping")
        code = _code(entry, f"pillars[{position}]", seen)
        pillars.append(Pillar(code=code, names=_texts(entry, "name", f"pillar {code}")))
    codes = {pillar.code for pillar in pillars}
    kpis = tuple(_kpi(entry, position, codes, seen) for position, entry in enumerate(kpi_entries))
    empty = [pillar.code for pillar in pillars if not any(kpi.pillar == pillar.code
                                                          for kpi in kpis)]
    if empty:
        raise ConfigError(f"pillar(s) without a KPI: {', '.join(empty)}")
    return IndexConfig(pillars=tuple(pillars), kpis=kpis)


@cache
def index_config(path: Path = KPIS_PATH) -> IndexConfig:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path.name} cannot be read: {error}") from error
    return parse_config(document)
