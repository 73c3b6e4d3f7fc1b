"""The Index's KPI formulas on the fixed example of ``conftest.march``, computed by hand.

March 2026, Baku No. 1 (district Yasamal):
  visits served 3: waits 10, 20, 5 min; service 15, 5, 10 min; 1 no-show
  ratings sent 4: 5, 4, 2 and one unanswered
  complaints of Yasamal people: received 3 (one an appeal, at 23:30 on 31 March), due 2,
  one answered on time after 7 days, one a day late after 8 days
  awards 1 (an annulled one left out), applications approved 1, filed online 1
Sumgait: 1 visit served (wait 2, service 30 min), 2 no-shows, 1 rating of 3, an award,
  an application filed online; its complaint came at 00:30 on 1 April: April.
The country adds a 142 call rated 5, a Nasimi person's late complaint, award and an
  application an official filed for them (not online).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from dost.errors import DomainError
from dost.index.config import index_config
from dost.index.models import CentreScore, IndexMonth, KpiValue
from dost.index.services import add_months, index_compute
from tests.index.conftest import MARCH

pytestmark = pytest.mark.django_db


def values(month: dt.date = MARCH) -> dict[tuple[str | None, str], KpiValue]:
    return {(value.centre_id, value.kpi): value
            for value in KpiValue.objects.filter(month_id=month)}


def value(centre: str | None, kpi: str, month: dt.date = MARCH) -> float | None:
    return values(month)[(centre, kpi)].value


EXPECTED = {
    # kpi: (Baku No. 1, Sumgait, the country)
    "wait_average": (35 / 3, 2, 37 / 4),
    "wait_within_15": (100 * 2 / 3, 100, 75),
    "service_average": (10, 30, 60 / 4),
    "no_show_rate": (25, 100 * 2 / 3, 100 * 3 / 7),
    "carecall_average": (11 / 3, 3, 19 / 5),
    "carecall_satisfied": (100 * 2 / 3, 0, 60),
    "carecall_response_rate": (75, 100, 100 * 5 / 6),
    "complaints_on_time": (50, None, 100 / 3),
    "complaints_per_1000_visits": (1000, 0, 1000),
    "complaint_answer_days": (7.5, None, 7.5),
    "proactive_share": (50, 100, 75),
    "digital_share": (25, 50, 100 * 2 / 7),
    "appeals_per_1000_awards": (1000, 0, 1000 / 3),
}


@pytest.mark.parametrize("kpi", sorted(EXPECTED))
def test_kpi_formula_on_the_fixed_example(march, kpi):
    index_compute(first=MARCH)

    for centre, expected in zip(("baku-1", "sumgait", None), EXPECTED[kpi], strict=True):
        if expected is None:
            assert value(centre, kpi) is None, (centre, kpi)
        else:
            assert value(centre, kpi) == pytest.approx(expected), (centre, kpi)


def test_every_configured_kpi_is_checked_here():
    assert {kpi.code for kpi in index_config().kpis} == set(EXPECTED)


def test_numerator_and_denominator_are_kept_beside_the_value(march):
    index_compute(first=MARCH)

    waiting = values()[("baku-1", "wait_average")]
    assert (waiting.numerator, waiting.denominator) == (pytest.approx(35), 3)
    share = values()[(None, "digital_share")]
    assert (share.numerator, share.denominator) == (2, 7)


def test_a_row_per_active_centre_and_the_country_for_every_kpi(march):
    result = index_compute(first=MARCH)

    from dost.centres.models import Centre

    units = Centre.objects.filter(active=True).count() + 1
    assert result.values == units * len(index_config().kpis) == len(values())


def test_the_months_either_side_count_their_own_rows(march):
    index_compute(first=dt.date(2026, 2, 1), last=dt.date(2026, 4, 1))

    # February: the visit of the 28th, and an award decided at 23:59 on the 28th.
    assert value("baku-1", "wait_average", dt.date(2026, 2, 1)) == pytest.approx(5000 / 60)
    assert values(dt.date(2026, 2, 1))[(None, "proactive_share")].numerator == 1
    # April: the visit of the 1st, the rating sent at 00:30 and the complaint received at
    # 00:30 Baku time (still 31 March in UTC).
    assert value("baku-1", "wait_average", dt.date(2026, 4, 1)) == pytest.approx(5000 / 60)
    assert value("baku-1", "carecall_average", dt.date(2026, 4, 1)) == 1
    assert values(dt.date(2026, 4, 1))[(None, "complaints_per_1000_visits")].numerator == 1
    # And March is the same as when computed alone.
    assert values()[("baku-1", "complaints_per_1000_visits")].numerator == 3


def test_an_empty_month_has_no_value_and_no_score(march):
    index_compute(first=dt.date(2026, 1, 1))

    january = values(dt.date(2026, 1, 1))
    assert january
    assert all(row.value is None for row in january.values())
    assert all(row.denominator == 0 for row in january.values())
    assert not CentreScore.objects.filter(month_id=dt.date(2026, 1, 1)).exists()
    assert IndexMonth.objects.filter(month=dt.date(2026, 1, 1)).exists()


def scores(pillar: str = "") -> dict[str, tuple[float, int]]:
    return {score.centre_id: (score.score, score.rank)
            for score in CentreScore.objects.filter(month_id=MARCH, pillar=pillar)}


def test_scores_normalise_min_max_the_right_way_round(march):
    index_compute(first=MARCH)

    # Waiting: Sumgait is better on both KPIs.
    assert scores("waiting") == {"sumgait": (100, 1), "baku-1": (0, 2)}
    # Service: Baku No. 1 is quicker and has fewer no-shows (lower is better).
    assert scores("service") == {"baku-1": (100, 1), "sumgait": (0, 2)}
    # Satisfaction: Baku No. 1 better on two of three.
    assert scores("satisfaction") == {"baku-1": (66.67, 1), "sumgait": (33.33, 2)}
    # Complaints: a KPI only Baku No. 1 has counts full for it; Sumgait has one KPI.
    assert scores("complaints") == {"baku-1": (66.67, 2), "sumgait": (100, 1)}
    assert scores("proactive") == {"sumgait": (100, 1), "baku-1": (0, 2)}


def test_ranking_by_the_mean_of_the_pillars(march):
    index_compute(first=MARCH)

    # Baku No. 1: (0 + 1 + 2/3 + 2/3 + 0) / 5; Sumgait: (1 + 0 + 1/3 + 1 + 1) / 5.
    assert scores() == {"sumgait": (66.67, 1), "baku-1": (46.67, 2)}


def test_equal_scores_share_a_rank(example):
    example.visit("baku-1", "2026-03-03", "served", wait=600, service=600)
    example.visit("sumgait", "2026-03-03", "served", wait=600, service=600)

    index_compute(first=MARCH)

    assert scores() == {"baku-1": (100, 1), "sumgait": (100, 1)}


def test_recomputing_replaces_the_months_figures(march):
    index_compute(first=MARCH)
    count = KpiValue.objects.count()
    march.visit("baku-1", "2026-03-20", "served", wait=60, service=60)

    index_compute(first=MARCH)

    assert KpiValue.objects.count() == count
    assert value("baku-1", "wait_average") == pytest.approx(36 / 4)
    assert CentreScore.objects.filter(month_id=MARCH, pillar="").count() == 2


def test_recomputing_a_month_leaves_the_others(march):
    index_compute(first=dt.date(2026, 2, 1), last=MARCH)
    february = KpiValue.objects.filter(month_id=dt.date(2026, 2, 1)).count()

    index_compute(first=MARCH)

    assert KpiValue.objects.filter(month_id=dt.date(2026, 2, 1)).count() == february


def test_a_year_is_computed_in_a_few_statements(march, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        result = index_compute(first=dt.date(2025, 4, 1), last=dt.date(2026, 3, 1))

    assert result.months == 12


def test_an_inactive_centre_counts_only_for_the_country(march):
    from dost.centres.models import Centre

    Centre.objects.filter(code="sumgait").update(active=False)

    index_compute(first=MARCH)

    assert ("sumgait", "wait_average") not in values()
    assert value(None, "wait_average") == pytest.approx(37 / 4)


@pytest.mark.parametrize(("first", "last", "code"), [
    (dt.date(2026, 3, 2), None, "not_a_month"),
    (dt.date(2026, 3, 1), dt.date(2026, 2, 1), "months_reversed"),
    (dt.date(2023, 1, 1), dt.date(2025, 1, 1), "too_many_months"),
])
def test_bad_months_are_refused_and_change_nothing(db, first, last, code):
    with pytest.raises(DomainError) as refusal:
        index_compute(first=first, last=last)

    assert refusal.value.code == code
    assert not IndexMonth.objects.exists()


def test_a_month_that_has_not_begun_is_refused(db):
    from django.utils import timezone

    next_month = add_months(timezone.localdate().replace(day=1), 1)

    with pytest.raises(DomainError) as refusal:
        index_compute(first=next_month)

    assert refusal.value.code == "future_month"
    assert not IndexMonth.objects.exists()


def test_a_value_without_a_denominator_is_refused_by_the_database(march):
    index_compute(first=MARCH)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE index_kpivalue SET value = 1, denominator = 0 "
                       "WHERE kpi = 'wait_average' AND centre_id = 'baku-1'")
