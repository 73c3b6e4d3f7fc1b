"""The Index's pages: the portal's ranking and centre pages, the back-office's, and an
administrator's recomputation; bad months get a clear message and change nothing."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from dost.index.models import IndexMonth, KpiValue
from dost.index.services import add_months, index_compute
from tests.index.conftest import MARCH

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def computed(march):
    index_compute(first=dt.date(2026, 2, 1), last=MARCH)
    return march


def body(response) -> str:
    return response.content.decode()


def test_addresses():
    assert reverse("esocial:dost_index") == "/index/"
    assert reverse("esocial:dost_index_centre", args=["baku-1"]) == "/index/baku-1/"
    assert reverse("index_backoffice:dashboard") == "/backoffice/index/"


def test_public_page_ranks_the_centres_of_the_latest_month(client, computed):
    response = client.get("/index/", **EN)

    page = body(response)
    assert response.status_code == 200
    assert "Ranking of the centres, March 2026" in page
    ranking = page[page.index('id="ranking-caption"'):page.index("</table>")]
    assert ranking.index("Sumgayit") < ranking.index("Baku DOST centre No. 1")
    assert "66.7" in ranking and "46.7" in ranking
    assert "not ranked" in ranking  # centres without any value that month


def test_each_kpi_shows_its_formula_and_the_illustrative_marker(client, computed):
    page = body(client.get("/index/", **EN))

    assert "Average waiting time" in page
    assert "Minutes from the booked time" in page
    assert page.count(">illustrative<") == 13
    assert "Illustrative indicators." in page
    assert "lower is better" in page and "higher is better" in page
    # The country's average wait, 37 / 4 minutes.
    assert "9.3" in page


def test_values_without_a_denominator_are_shown_as_no_data(client, computed):
    page = body(client.get("/index/?month=2026-02", **EN))

    assert "Indicators, February 2026" in page
    assert "no data" in page


def test_an_empty_month_ranks_no_one(client, march):
    index_compute(first=dt.date(2026, 1, 1))

    page = body(client.get("/index/", **EN))

    assert "No centre has a score this month." in page
    assert "no data" in page


def test_charts_are_pygal_svg_inline_with_title_and_description(client, computed):
    page = body(client.get("/index/", **EN))

    charts = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(charts) == 2
    for svg in charts:
        root = ET.fromstring(svg)  # noqa: S314 (our own page)
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
        assert not list(root.iter(f"{SVG}style")) and not list(root.iter(f"{SVG}script"))
    assert "css/charts.css" in page


def test_the_trend_table_gives_the_figures_of_the_chart(client, computed):
    page = body(client.get("/index/", **EN))

    trend = page[page.index('id="trend-caption"'):]
    trend = trend[:trend.index("</table>")]
    assert "Mar 2026" in trend and "Apr 2025" in trend
    assert "66.7" in trend


def test_nothing_computed_yet_says_so(client, db):
    response = client.get("/index/", **EN)

    assert response.status_code == 200
    assert "The Index has not been computed yet." in body(response)


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-03-01", "2025-03", "٢٠٢٦-٠٣"])
def test_a_month_not_computed_or_malformed_is_a_clear_400(client, computed, month):
    response = client.get(f"/index/?month={month}", **EN)

    assert response.status_code == 400
    assert "Choose one of the months the Index has been computed for." in body(response)
    assert "Ranking of the centres" not in body(response)


def test_centre_page_shows_its_values_beside_the_country(client, computed):
    response = client.get("/index/baku-1/?month=2026-03", **EN)

    page = body(response)
    assert response.status_code == 200
    assert "46.7 out of 100, rank 2" in page
    assert "11.7" in page and "9.3" in page  # its average wait, and the country's
    assert "Scores over twelve months" in page


def test_centre_page_of_an_unknown_or_closed_centre_is_not_found(client, computed):
    from dost.centres.models import Centre

    Centre.objects.filter(code="barda").update(active=False)

    assert client.get("/index/nowhere/").status_code == 404
    assert client.get("/index/barda/").status_code == 404


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_pages_render_in_every_language(client, computed, language):
    for url in ("/index/", "/index/sumgait/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

        assert response.status_code == 200
        assert f'<html lang="{language}">' in body(response)
    names = {"az": "Orta gözləmə müddəti", "en": "Average waiting time",
             "ru": "Среднее время ожидания"}
    assert names[language] in body(client.get("/index/", HTTP_ACCEPT_LANGUAGE=language))


def test_public_page_reads_a_few_queries(client, computed, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/index/")


def test_public_page_names_no_one(client, computed):
    from dost.registry.models import Person

    page = body(client.get("/index/")) + body(client.get("/index/baku-1/"))

    for person in Person.objects.all():
        assert person.fin not in page


# --- the back-office ------------------------------------------------------------------------


def sign_in(client, user):
    client.force_login(user)
    return client


def test_officials_see_numerators_and_denominators(client, computed, charlie):
    page = body(sign_in(client, charlie).get("/backoffice/index/", **EN))

    assert "35 ÷ 3" in page  # Baku No. 1's minutes waited over visits waited
    assert "Compute a month" not in page


def test_backoffice_centre_page_shows_the_fractions(client, computed, charlie):
    page = body(sign_in(client, charlie).get("/backoffice/index/centres/baku-1/", **EN))

    assert "35 ÷ 3" in page and "37 ÷ 4" in page


def test_an_administrator_recomputes_a_month(client, computed, administrator):
    computed.visit("baku-1", "2026-03-20", "served", wait=60, service=60)
    sign_in(client, administrator)

    response = client.post("/backoffice/index/compute/", {"month": "2026-03"}, **EN)

    assert response.status_code == 302
    assert response["Location"] == "/backoffice/index/?month=2026-03"
    wait = KpiValue.objects.get(month_id=MARCH, centre_id="baku-1", kpi="wait_average")
    assert wait.value == pytest.approx(36 / 4)
    assert "The Index of March 2026 has been computed." in body(client.get(response["Location"],
                                                                           **EN))


@pytest.mark.parametrize(("month", "message"), [
    ("", "This field is required."),
    ("03/2026", "Give the month as year and month, like 2026-03."),
    ("2026-00", "Give the month as year and month, like 2026-03."),
    ("٢٠٢٦-٠٣", "Give the month as year and month, like 2026-03."),
])
def test_a_malformed_month_to_compute_is_refused(client, computed, administrator, month,
                                                 message):
    before = {row.pk: row.computed_at for row in IndexMonth.objects.all()}

    response = sign_in(client, administrator).post("/backoffice/index/compute/",
                                                   {"month": month}, **EN)

    assert response.status_code == 400
    assert message in body(response)
    assert {row.pk: row.computed_at for row in IndexMonth.objects.all()} == before


def test_a_month_that_has_not_begun_is_refused(client, computed, administrator):
    next_month = add_months(timezone.localdate().replace(day=1), 1)

    response = sign_in(client, administrator).post(
        "/backoffice/index/compute/", {"month": f"{next_month:%Y-%m}"}, **EN)

    assert response.status_code == 400
    assert "cannot be computed for a month that has not begun" in body(response)
    assert not IndexMonth.objects.filter(month=next_month).exists()


def test_centre_staff_cannot_recompute(client, computed, charlie):
    response = sign_in(client, charlie).post("/backoffice/index/compute/", {"month": "2026-03"})

    assert response.status_code == 403


def test_the_compute_command_computes_a_year_up_to_this_month(db, capsys):
    from django.core.management import call_command

    call_command("compute_dost_index", "--year", str(timezone.localdate().year), "--json")

    this_month = timezone.localdate().replace(day=1)
    assert IndexMonth.objects.filter(month=this_month).exists()
    assert IndexMonth.objects.count() == this_month.month
    assert '"months": ' in capsys.readouterr().out


@pytest.mark.parametrize("arguments", [["--year", "20x6"], ["--month", "2026-3"], []])
def test_the_compute_command_refuses_bad_arguments(db, arguments):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("compute_dost_index", *arguments)
    assert not IndexMonth.objects.exists()


def test_the_monthly_task_computes_last_month(db):
    from dost.index.tasks import compute_last_month

    compute_last_month()

    last_month = add_months(timezone.localdate().replace(day=1), -1)
    assert list(IndexMonth.objects.values_list("month", flat=True)) == [last_month]
