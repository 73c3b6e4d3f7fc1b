"""Open datasets: totals computed in SQL, small counts withheld, cached briefly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from dost.entitlements.models import Award
from esocial.opendata.datasets import all_datasets, chart_points, dataset_for_code, table


def rows_by(code: str, key: str) -> dict[str, dict]:
    with translation.override("en"):
        return {row[key]: row for row in table(dataset_for_code(code)).rows}


def test_programme_statistics_count_awards_and_add_amounts(awards):
    old_age = rows_by("programme-statistics", "benefit")["old_age_pension"]

    expected = Award.objects.filter(benefit="old_age_pension")
    assert old_age["awards"] == 7 == expected.count()
    assert old_age["amount"] == sum(award.amount for award in expected)
    assert old_age["average_amount"] == (old_age["amount"] / 7).quantize(Decimal("0.01"))
    assert old_age["benefit_title"] == "old-age labour pension"
    assert old_age["frequency"] == "monthly"


def test_programme_statistics_withhold_a_benefit_given_to_fewer_than_five(awards):
    childbirth = rows_by("programme-statistics", "benefit")["childbirth_allowance"]

    assert childbirth["awards"] is None
    assert childbirth["amount"] is None
    assert childbirth["average_amount"] is None


def test_programme_statistics_leave_out_stopped_awards(awards):
    Award.objects.filter(benefit="old_age_pension", person=awards[0]).update(status="stopped")

    assert rows_by("programme-statistics", "benefit")["old_age_pension"]["awards"] == 6


def test_awards_by_month_and_region_group_by_economic_region(awards):
    month = timezone.localdate().strftime("%Y-%m")

    rows = rows_by("awards-by-month-and-region", "economic_region")

    baku = rows["baku"]
    assert (baku["month"], baku["economic_region_name"], baku["awards"]) == (month, "Baku", 6)
    assert baku["lump_sum_amount"] == Decimal("600")
    assert baku["monthly_amount"] == sum(
        Award.objects.filter(benefit="old_age_pension", person__region="nasimi")
        .values_list("amount", flat=True))


def test_awards_by_month_and_region_withhold_a_region_with_fewer_than_five(awards):
    ganja = rows_by("awards-by-month-and-region", "economic_region")["ganja_dashkasan"]

    assert (ganja["awards"], ganja["monthly_amount"], ganja["lump_sum_amount"]) == (None,) * 3


def test_region_names_follow_the_readers_language(awards):
    with translation.override("az"):
        names = {row["economic_region_name"]
                 for row in table(dataset_for_code("awards-by-month-and-region")).rows}

    assert "Bakı" in names


def test_suppressed_rows_are_counted(awards):
    result = table(dataset_for_code("programme-statistics"))

    assert result.suppressed == 1


def test_aggregates_are_cached_between_requests(awards, django_assert_num_queries):
    dataset = dataset_for_code("awards-by-month-and-region")
    table(dataset)

    with django_assert_num_queries(0):
        table(dataset)


@pytest.mark.parametrize("dataset", all_datasets(), ids=lambda dataset: dataset.code)
def test_every_dataset_is_computed_in_one_or_two_queries(db, dataset,
                                                         django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        table(dataset)


def test_unknown_dataset_is_refused():
    with pytest.raises(LookupError):
        dataset_for_code("people")


def test_charts_add_up_published_values_only(awards):
    with translation.override("en"):
        result = table(dataset_for_code("awards-by-month-and-region"))
    by_month, by_region = result.dataset.charts

    month = timezone.localdate().strftime("%Y-%m")
    assert chart_points(result, by_month) == [(month, 6)]  # Ganja's 2 are withheld
    assert dict(chart_points(result, by_region))["Ganja–Dashkasan"] is None
