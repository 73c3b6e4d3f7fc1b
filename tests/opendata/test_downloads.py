"""CSV and JSON downloads: well-formed, described, and free of personal data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from esocial.opendata.datasets import all_datasets

CODES = [dataset.code for dataset in all_datasets()]


def download(client, code: str, fmt: str, language: str = "en"):
    return client.get(reverse(f"esocial:opendata_{fmt}", args=[code]),
                      HTTP_ACCEPT_LANGUAGE=language)


def test_downloads_have_their_addresses():
    assert reverse("esocial:opendata_csv", args=["programme-statistics"]) == \
        "/open-data/programme-statistics.csv"
    assert reverse("esocial:opendata_json", args=["programme-statistics"]) == \
        "/open-data/programme-statistics.json"


def test_csv_is_utf8_with_a_header_row(client, awards):
    response = download(client, "awards-by-month-and-region", "csv", language="az")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == \
        'attachment; filename="awards-by-month-and-region.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["month", "economic_region", "economic_region_name", "awards",
                       "monthly_amount", "lump_sum_amount"]
    baku = next(row for row in rows[1:] if row[1] == "baku")
    assert baku[2] == "Bakı"
    assert baku[3] == "6"
    assert baku[5] == "600.00"


def test_csv_leaves_withheld_values_empty(client, awards):
    response = download(client, "awards-by-month-and-region", "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    ganja = next(row for row in rows[1:] if row[1] == "ganja_dashkasan")
    assert ganja[3:] == ["", "", ""]


def test_json_carries_metadata_and_rows(client, awards):
    response = download(client, "programme-statistics", "json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["title"] == "Benefits and pensions in payment"
    assert document["licence"]["name"] == "CC BY 4.0"
    assert document["generated_at"]
    assert document["suppression"]["below"] == 5
    assert [column["name"] for column in document["columns"]] == [
        "benefit", "benefit_title", "frequency", "awards", "amount", "average_amount"]
    by_benefit = {row["benefit"]: row for row in document["rows"]}
    assert by_benefit["old_age_pension"]["awards"] == 7
    assert isinstance(by_benefit["old_age_pension"]["amount"], float)
    assert by_benefit["childbirth_allowance"]["awards"] is None


def test_downloads_may_be_fetched_from_other_sites(client, db):
    response = download(client, "programme-statistics", "json")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["csv", "json", "chart", "dataset"])
def test_no_fin_or_name_appears_in_any_output(client, awards, fmt):
    for code in CODES:
        body = download(client, code, fmt).content.decode()
        for person in awards:
            assert person.fin not in body
            assert person.first_name not in body
            assert person.last_name not in body


@pytest.mark.parametrize("fmt", ["csv", "json", "chart", "dataset"])
def test_unknown_dataset_is_not_found(client, db, fmt):
    assert download(client, "people", fmt).status_code == 404


@pytest.mark.parametrize("code", CODES)
def test_every_dataset_downloads_without_data(client, db, code):
    rows = list(csv.reader(io.StringIO(download(client, code, "csv").content.decode())))

    assert len(rows) >= 1
    assert json.loads(download(client, code, "json").content)["columns"]
