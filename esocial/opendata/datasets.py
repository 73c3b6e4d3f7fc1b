"""The open datasets the portal publishes, and how each becomes a table, a file and a chart.

A dataset is an aggregate, never a list of people: its ``query`` returns
totals computed in SQL by the owning app's selectors, and ``present`` turns
them into rows for the reader's language. The totals are cached briefly and
shared by every language, since anyone may ask for them.

Privacy: a row that counts fewer than ``SMALL_COUNT`` people (a dataset may ask
for more, ``small_count``) is published without its count and without the amounts
derived from it (they would tell one person's award), both as empty values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from disability.selectors import UNDER_18, register_counts_by_region_and_degree
from dost.applications.selectors import application_totals_by_type
from dost.entitlements.selectors import (
    award_totals_by_benefit,
    award_totals_by_month_and_region,
)
from dost.equeue.selectors import booking_totals_by_centre

SMALL_COUNT = 5
CACHE_SECONDS = 600
# Bump the version when the shape of a dataset's totals changes, so that a new release
# never reads totals pickled by the old one.
CACHE_KEY = "opendata:v1:{code}"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}

Row = dict[str, Any]


class Kind:
    TEXT = "text"
    INTEGER = "integer"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Column:
    # Machine name: the CSV header and the JSON key, the same in every language.
    name: str
    title: str | Promise
    kind: str = Kind.TEXT


@dataclass(frozen=True)
class ChartSpec:
    kind: str  # "bar" or "line"
    title: str | Promise
    # The column naming each bar or point, and the column giving its value. Rows that
    # share a label are added up (unpublished values left out).
    label: str
    value: str
    # Only the rows whose column (first) holds the value (second), when given.
    only: tuple[str, str] | None = None


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str | Promise
    description: str | Promise
    source: str | Promise
    columns: tuple[Column, ...]
    # The totals, language-neutral and picklable (they are cached).
    query: Callable[[], Any]
    # The totals as rows of the columns, in the active language.
    present: Callable[[Any], list[Row]]
    # The first chart is the dataset's own, also published as an SVG file.
    charts: tuple[ChartSpec, ...]
    # The count that decides whether a row is published, and what it hides besides itself.
    count_column: str
    derived_columns: tuple[str, ...] = ()
    # Counts below this are withheld; health data asks for more than the default.
    small_count: int = SMALL_COUNT

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


@dataclass(frozen=True)
class Table:
    dataset: Dataset
    rows: list[Row]
    generated_at: dt.datetime
    # Rows published without their count.
    suppressed: int


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.code in _DATASETS:
        raise ValueError(f"Dataset {dataset.code} is registered twice.")
    _DATASETS[dataset.code] = dataset
    return dataset


def all_datasets() -> list[Dataset]:
    return list(_DATASETS.values())


def dataset_for_code(code: str) -> Dataset:
    try:
        return _DATASETS[code]
    except KeyError as exc:
        raise LookupError(f"No dataset {code}.") from exc


def table(dataset: Dataset) -> Table:
    """The dataset's rows in the active language, small counts withheld."""
    totals = cache.get_or_set(CACHE_KEY.format(code=dataset.code), lambda: {
        "generated_at": timezone.now(), "totals": dataset.query()}, CACHE_SECONDS)
    rows, suppressed = [], 0
    for row in dataset.present(totals["totals"]):
        count = row[dataset.count_column]
        if count is not None and count < dataset.small_count:
            row = {**row, **dict.fromkeys((dataset.count_column, *dataset.derived_columns))}
            suppressed += 1
        rows.append(row)
    return Table(dataset, rows, totals["generated_at"], suppressed)


def chart_points(result: Table, spec: ChartSpec) -> list[tuple[str, Decimal | int | None]]:
    """(label, value) pairs for a chart, in the table's order; rows sharing a label add up.

    Only published values are added, so a chart tells nothing the table does not.
    """
    totals: dict[str, Decimal | int | None] = {}
    for row in result.rows:
        if spec.only is not None and row[spec.only[0]] != spec.only[1]:
            continue
        label, value = str(row[spec.label]), row[spec.value]
        if value is None:
            totals.setdefault(label, None)
        else:
            totals[label] = (totals.get(label) or 0) + value
    return list(totals.items())


def _language() -> str:
    language = (get_language() or "az")[:2]
    return language if language in ("az", "en", "ru") else "az"


def _average(amount: Decimal, count: int) -> Decimal:
    return (amount / count).quantize(Decimal("0.01")) if count else Decimal(0)


# Programme statistics -------------------------------------------------------------------


def _programme_totals() -> list[Any]:
    return award_totals_by_benefit(on=timezone.localdate())


def _programme_rows(totals: Sequence[Any]) -> list[Row]:
    return [
        {"benefit": total.benefit, "benefit_title": total.title,
         "frequency": total.frequency_label, "awards": total.awards,
         "amount": total.amount, "average_amount": _average(total.amount, total.awards)}
        for total in totals
    ]


register(Dataset(
    code="programme-statistics",
    title=_("Benefits and pensions in payment"),
    description=_(
        "Awards in force today, by benefit: how many there are and their amounts added up. "
        "For a monthly benefit the amount is one month's payments; for a lump sum it is what "
        "has been paid. Stopped awards and pensions replaced by a better one are not counted."
    ),
    source=_("Proactive engine's awards (DOST Centralised Electronic Information System)"),
    columns=(
        Column("benefit", _("Benefit code")),
        Column("benefit_title", _("Benefit")),
        Column("frequency", _("Paid")),
        Column("awards", _("Awards"), Kind.INTEGER),
        Column("amount", _("Amount, AZN"), Kind.AMOUNT),
        Column("average_amount", _("Average amount, AZN"), Kind.AMOUNT),
    ),
    query=_programme_totals,
    present=_programme_rows,
    charts=(ChartSpec("bar", _("Awards in force, by benefit"), "benefit_title", "awards"),),
    count_column="awards",
    derived_columns=("amount", "average_amount"),
))


# Proactive awards by month and region ---------------------------------------------------


def _month_region_rows(totals: Sequence[Any]) -> list[Row]:
    language = _language()
    return [
        {"month": total.month.strftime("%Y-%m"),
         "economic_region": total.economic_region or "unknown",
         "economic_region_name": total.names[language] or str(_("Not recorded")),
         "awards": total.awards, "monthly_amount": total.monthly_amount,
         "lump_sum_amount": total.lump_sum_amount}
        for total in totals
    ]


register(Dataset(
    code="awards-by-month-and-region",
    title=_("Proactive awards by month and region"),
    description=_(
        "Benefits and pensions granted without an application, by the month of the decision "
        "and the economic region where the beneficiary lives (economic regions of the decree "
        "of 7 July 2021). Monthly amounts are the monthly payments granted that month; lump "
        "sums are one-off payments."
    ),
    source=_("Proactive engine's awards and the citizen registry's addresses"),
    columns=(
        Column("month", _("Month of decision")),
        Column("economic_region", _("Economic region code")),
        Column("economic_region_name", _("Economic region")),
        Column("awards", _("Awards"), Kind.INTEGER),
        Column("monthly_amount", _("Monthly amounts granted, AZN"), Kind.AMOUNT),
        Column("lump_sum_amount", _("Lump sums granted, AZN"), Kind.AMOUNT),
    ),
    query=award_totals_by_month_and_region,
    present=_month_region_rows,
    charts=(
        ChartSpec("line", _("Proactive awards by month, all regions"), "month", "awards"),
        ChartSpec("bar", _("Proactive awards by economic region, all months"),
                  "economic_region_name", "awards"),
    ),
    count_column="awards",
    derived_columns=("monthly_amount", "lump_sum_amount"),
))


# Service usage ----------------------------------------------------------------------------

APPLICATIONS = "e_application"
BOOKINGS = "equeue_booking"


def _usage_totals() -> dict[str, list[Any]]:
    return {"applications": application_totals_by_type(), "bookings": booking_totals_by_centre()}


def _usage_rows(totals: dict[str, list[Any]]) -> list[Row]:
    language = _language()
    applications = [
        {"channel": APPLICATIONS, "channel_title": str(_("e-applications")),
         "code": kind.type_code, "name": kind.title, "count": kind.applications}
        for kind in totals["applications"]
    ]
    bookings = [
        {"channel": BOOKINGS, "channel_title": str(_("e-queue bookings")),
         "code": centre.centre, "name": centre.names[language], "count": centre.bookings}
        for centre in totals["bookings"]
    ]
    return applications + bookings


register(Dataset(
    code="service-usage",
    title=_("Use of online services"),
    description=_(
        "How many e-applications have been submitted on the portal for each service, and how "
        "many visits have been booked in the e-queue of each DOST centre, since they opened, "
        "whatever became of them. Drafts never sent are not counted."
    ),
    source=_("e-Social portal applications and the DOST e-queue"),
    columns=(
        Column("channel", _("Channel code")),
        Column("channel_title", _("Channel")),
        Column("code", _("Centre or service code")),
        Column("name", _("Centre or service")),
        Column("count", _("Number"), Kind.INTEGER),
    ),
    query=_usage_totals,
    present=_usage_rows,
    charts=(
        ChartSpec("bar", _("E-applications by service"), "name", "count",
                  only=("channel", APPLICATIONS)),
        ChartSpec("bar", _("E-queue bookings by DOST centre"), "name", "count",
                  only=("channel", BOOKINGS)),
    ),
    count_column="count",
))


# Persons with disabilities -----------------------------------------------------------------

DISABILITY_SMALL_COUNT = 10
DEGREE_TITLES: dict[str, str | Promise] = {
    "1": _("degree I"),
    "2": _("degree II"),
    "3": _("degree III"),
    UNDER_18: _("disability under 18"),
}


def _disability_rows(totals: Sequence[Any]) -> list[Row]:
    language = _language()
    return [
        {"economic_region": total.economic_region or "unknown",
         "economic_region_name": total.names[language] or str(_("Not recorded")),
         "degree": total.degree,
         "degree_title": str(DEGREE_TITLES.get(total.degree, total.degree)),
         "people": total.people}
        for total in totals
    ]


register(Dataset(
    code="disability-by-region-and-degree",
    title=_("Persons with disabilities by economic region and degree"),
    description=_(
        "Living persons whose latest determination by a medical-social expert commission is a "
        "disability in force today, by the economic region where they live (economic regions "
        "of the decree of 7 July 2021) and the degree: I (81 to 100 per cent functional "
        "impairment), II (61 to 80), III (31 to 60), or a disability under 18, for which no "
        "degree is set."
    ),
    source=_("Register of persons with disabilities and the citizen registry's addresses"),
    columns=(
        Column("economic_region", _("Economic region code")),
        Column("economic_region_name", _("Economic region")),
        Column("degree", _("Degree code")),
        Column("degree_title", _("Degree")),
        Column("people", _("People"), Kind.INTEGER),
    ),
    query=register_counts_by_region_and_degree,
    present=_disability_rows,
    charts=(
        ChartSpec("bar", _("Persons with disabilities by degree, all regions"), "degree_title",
                  "people"),
        ChartSpec("bar", _("Persons with disabilities by economic region, all degrees"),
                  "economic_region_name", "people"),
    ),
    count_column="people",
    # A health condition: fewer people in a cell would be easier to recognise.
    small_count=DISABILITY_SMALL_COUNT,
))
