"""Charts drawn by pygal on the server: well-formed, labelled for assistive technology,
escaped, and with nothing the content policy would refuse (no script, no inline style)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from dost.charts import Point, Series, bar_chart, line_chart, standalone_style_source
from esocial.opendata.datasets import all_datasets

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str | bytes) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def draw(kind, points, **options):
    common = {"chart_id": "c", "title": "Awards <by> benefit", "description": "A & B",
              "missing_label": "fewer than 5", "empty_label": "No data yet.", **options}
    if kind == "bar":
        return bar_chart(points=points, **common)
    return line_chart(labels=[point.label for point in points],
                      series=[Series("Awards", [point.value for point in points])], **common)


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "reactive" in rect.get("class", "")]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_is_an_accessible_image(kind):
    root = parse(draw(kind, [Point("2026-01", 12), Point("2026-02", Decimal("30.5"))]))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Awards <by> benefit"
    assert root.find(f"{SVG}title").get("id") == "c-title"
    assert root.find(f"{SVG}desc").text.startswith("A & B")
    assert root.get("id") == "c"


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_in_a_page_has_no_script_and_no_inline_style(kind):
    svg = draw(kind, [Point("2026-01", 12), Point("2026-02", 3)])
    root = parse(svg)

    assert not [element for element in root.iter() if element.tag in {f"{SVG}script",
                                                                      f"{SVG}style"}]
    assert not [element for element in root.iter() if "style" in element.attrib]
    assert "<script" not in svg and "style=" not in svg


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_chart_escapes_its_labels(kind):
    svg = draw(kind, [Point('<script>alert("x")</script> & co', 3), Point("b", 4)])

    assert "<script>" not in svg
    assert any("<script>" in (element.text or "") for element in parse(svg).iter())


def test_bar_chart_draws_a_bar_per_value_and_none_for_a_withheld_one():
    root = parse(draw("bar", [Point("Pensions", 40), Point("Allowance", None),
                              Point("Survivors", 20)]))

    drawn = bars(root)
    assert len(drawn) == 2
    widths = sorted(float(rect.get("width")) for rect in drawn)
    assert widths[1] == pytest.approx(2 * widths[0])
    assert "Allowance (fewer than 5)" in "".join(root.itertext())


def test_bar_chart_lists_the_first_point_at_the_top():
    root = parse(draw("bar", [Point("First", 10), Point("Second", 30)]))

    tips = {tip.text: tip for tip in root.iter(f"{SVG}title") if tip.get("id") is None}
    assert set(tips) == {"First: 10", "Second: 30"}
    top = {text: float(group_rect(root, tip).get("y")) for text, tip in tips.items()}
    assert top["First: 10"] < top["Second: 30"]


def group_rect(root: ET.Element, tip: ET.Element) -> ET.Element:
    for group in root.iter(f"{SVG}g"):
        if tip in list(group):
            return group.find(f"{SVG}rect")
    raise AssertionError("no bar for the tooltip")


def test_each_bar_says_its_label_and_value_on_hover():
    root = parse(draw("bar", [Point("Pensions", 1234)]))

    tips = [tip.text for tip in root.iter(f"{SVG}title") if tip.get("id") is None]
    # The default language writes thousands with a space (az).
    assert tips == ["Pensions: 1\xa0234"] or tips == ["Pensions: 1 234"]


def test_line_chart_breaks_at_a_withheld_point():
    root = parse(draw("line", [Point("2026-01", 10), Point("2026-02", None),
                               Point("2026-03", 12), Point("2026-04", 14)]))

    # The single point before the gap is a dot without a line; the two after it a line.
    lines = [path for path in root.iter(f"{SVG}path") if "line reactive" in path.get("class", "")]
    assert len(lines) == 1
    assert len(lines[0].get("d").split("L")) == 2
    assert "fewer than 5" in root.find(f"{SVG}desc").text


def test_line_chart_with_several_series_names_them_in_a_legend():
    svg = line_chart(chart_id="t", title="Trend", description="Scores", labels=["a", "b"],
                     series=[Series("Barda", [1, 2]), Series("Sumgait", [2, 1])],
                     missing_label="no data", empty_label="No data yet.")

    root = parse(svg)
    legend = [element.text for element in root.iter(f"{SVG}text")]
    assert "Barda" in legend and "Sumgait" in legend
    tips = {tip.text for tip in root.iter(f"{SVG}title") if tip.get("id") is None}
    assert {"Barda, a: 1", "Sumgait, b: 1"} <= tips
    assert "data-serie" not in svg


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_empty_chart_says_so(kind):
    root = parse(draw(kind, []))

    assert "No data yet." in "".join(root.itertext())
    assert not bars(root)


def test_standalone_chart_carries_its_stylesheet_and_a_declaration():
    svg = draw("bar", [Point("Pensions", 4)], standalone=True)

    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = parse(svg.encode())
    styles = root.findall(f"{SVG}style")
    assert len(styles) == 1 and "svg.chart" in styles[0].text
    assert root.get("width") == "720"
    assert not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize("code", [dataset.code for dataset in all_datasets()])
def test_chart_file_of_every_dataset_is_well_formed(client, awards, code):
    response = client.get(reverse("esocial:opendata_chart", args=[code]))

    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert parse(response.content).get("role") == "img"


def test_chart_file_allows_its_own_stylesheet_by_hash_and_no_more(client, db):
    response = client.get(reverse("esocial:opendata_chart", args=["programme-statistics"]))

    policy = dict(directive.strip().split(" ", 1)
                  for directive in response["Content-Security-Policy"].split(";"))
    assert policy["style-src"] == f"'self' {standalone_style_source()}"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_dataset_page_keeps_the_strict_policy(client, db):
    response = client.get(reverse("esocial:opendata_dataset", args=["programme-statistics"]))

    assert "sha256" not in response["Content-Security-Policy"]
    assert "css/charts.css" in response.content.decode()


@pytest.mark.parametrize("code", [dataset.code for dataset in all_datasets()])
def test_chart_in_the_page_is_well_formed(client, awards, code):
    body = client.get(reverse("esocial:opendata_dataset", args=[code])).content.decode()

    charts = re.findall(r"<svg .*?</svg>", body, flags=re.S)
    assert charts
    for svg in charts:
        root = parse(svg)
        assert root.find(f"{SVG}desc").text
        assert not list(root.iter(f"{SVG}style"))
