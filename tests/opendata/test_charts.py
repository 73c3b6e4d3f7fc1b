"""Server-drawn SVG charts: well-formed, labelled for assistive technology, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from esocial.opendata.charts import Point, bar_chart, line_chart, nice_ticks
from esocial.opendata.datasets import all_datasets

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def draw(kind, points):
    chart = bar_chart if kind == "bar" else line_chart
    return chart(chart_id="c", title="Awards <by> benefit", description="A & B",
                 points=points, missing_label="fewer than 5", empty_label="No data yet.")


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_is_an_accessible_image(kind):
    root = parse(draw(kind, [Point("2026-01", 12), Point("2026-02", Decimal("30.5"))]))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Awards <by> benefit"
    assert root.find(f"{SVG}title").get("id") == "c-title"
    assert root.find(f"{SVG}desc").text == "A & B"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_escapes_its_labels(kind):
    svg = draw(kind, [Point('<script>alert("x")</script> & co', 3)])

    assert "<script>" not in svg
    assert any("<script>" in (element.text or "") for element in parse(svg).iter())


def test_bar_chart_draws_a_bar_per_value_and_none_for_a_withheld_one():
    root = parse(draw("bar", [Point("Pensions", 40), Point("Allowance", None),
                              Point("Survivors", 20)]))

    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == "#00558c"]
    assert len(bars) == 2
    assert float(bars[0].get("width")) == pytest.approx(2 * float(bars[1].get("width")))
    assert "fewer than 5" in "".join(root.itertext())


def test_line_chart_breaks_at_a_withheld_point():
    root = parse(draw("line", [Point("2026-01", 10), Point("2026-02", None),
                               Point("2026-03", 12), Point("2026-04", 14)]))

    path = root.find(f"{SVG}path").get("d")
    assert path.count("M") == 2


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_empty_chart_says_so(kind):
    root = parse(draw(kind, []))

    assert "No data yet." in "".join(root.itertext())


def test_axis_ticks_are_round_numbers_covering_the_top():
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1234)[-1] >= 1234
    assert nice_ticks(0) == [0, 1]


@pytest.mark.parametrize("code", [dataset.code for dataset in all_datasets()])
def test_chart_file_of_every_dataset_is_well_formed(client, awards, code):
    response = client.get(reverse("esocial:opendata_chart", args=[code]))

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert parse(response.content).get("role") == "img"


@pytest.mark.parametrize("code", [dataset.code for dataset in all_datasets()])
def test_chart_in_the_page_is_well_formed(client, awards, code):
    body = client.get(reverse("esocial:opendata_dataset", args=[code])).content.decode()

    charts = re.findall(r"<svg .*?</svg>", body, flags=re.S)
    assert charts
    for svg in charts:
        assert parse(svg).find(f"{SVG}desc").text
