"""Open data pages: the index and a page per dataset with its chart and table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from esocial.opendata.datasets import all_datasets

CODES = [dataset.code for dataset in all_datasets()]


def test_index_has_its_address():
    assert reverse("esocial:opendata_index") == "/open-data/"
    assert reverse("esocial:opendata_dataset", args=["programme-statistics"]) == \
        "/open-data/programme-statistics/"


def test_index_lists_every_dataset_with_its_downloads(client, db):
    body = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for code in CODES:
        assert f'href="/open-data/{code}/"' in body
        assert f'href="/open-data/{code}.csv"' in body
        assert f'href="/open-data/{code}.json"' in body
    assert "CC BY 4.0" in body


def test_dataset_page_has_a_table_and_explains_withheld_counts(client, awards):
    response = client.get("/open-data/programme-statistics/", HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1>") == 1
    assert '<caption id="table-caption">Benefits and pensions in payment</caption>' in body
    assert "old-age labour pension" in body
    assert "Counts below 5" in body
    assert "One row below is published without its figures." in body
    assert "&lt;5" in body
    assert "not published" in body


def test_dataset_page_of_an_unknown_dataset_is_not_found(client, db):
    assert client.get("/open-data/people/").status_code == 404


@pytest.mark.parametrize("language", ["az", "en", "ru"])
@pytest.mark.parametrize("url", ["/open-data/", *[f"/open-data/{code}/" for code in CODES]])
def test_open_data_pages_render_in_every_language(client, awards, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_a_dataset_page_read_again_costs_no_query(client, awards, django_assert_num_queries):
    client.get("/open-data/awards-by-month-and-region/")

    with django_assert_num_queries(0):
        response = client.get("/open-data/awards-by-month-and-region/")

    assert response.status_code == 200
