"""Open data: aggregate statistics anyone may read, download and reuse.

Every page and file is built from ``datasets.table``, which withholds small
counts; nothing here reads a person.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dost.charts import Point, Series, bar_chart, line_chart, standalone_style_source
from esocial.opendata.datasets import (
    CACHE_SECONDS,
    LICENCE,
    SMALL_COUNT,
    Dataset,
    Kind,
    Table,
    all_datasets,
    chart_points,
    dataset_for_code,
    table,
)


def _dataset(code: str) -> Dataset:
    try:
        return dataset_for_code(code)
    except LookupError:
        raise Http404(_("There is no such dataset.")) from None


def _suppression_note(limit: int = SMALL_COUNT) -> str:
    return _("Counts below %(limit)s, and the amounts that go with them, are not published, "
             "so that no one can be recognised.") % {"limit": limit}


def chart_svg(result: Table, position: int = 0, *, standalone: bool = False) -> SafeString:
    """One of the dataset's charts, drawn by pygal (``dost.charts``); a line of a single
    point is drawn as a bar. ``standalone``: the file, which carries its own stylesheet."""
    spec = result.dataset.charts[position]
    points = [Point(label, value) for label, value in chart_points(result, spec)]
    description = _("%(value)s by %(label)s. The same figures are in the table and the "
                    "downloads of this dataset. %(note)s") % {
        "value": result.dataset.column(spec.value).title,
        "label": str(result.dataset.column(spec.label).title).lower(),
        "note": _suppression_note(result.dataset.small_count)}
    common = {
        "chart_id": f"chart-{result.dataset.code}-{position}", "title": str(spec.title),
        "description": description, "standalone": standalone,
        "missing_label": _("fewer than %(limit)s") % {"limit": result.dataset.small_count},
        "empty_label": _("No data yet."),
    }
    if spec.kind == "line" and len(points) > 1:
        return line_chart(labels=[point.label for point in points],
                          series=[Series(str(spec.title), [point.value for point in points])],
                          **common)
    return bar_chart(points=points, **common)


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "esocial/opendata/index.html", {
        "datasets": all_datasets(), "licence": LICENCE, "suppression": _suppression_note(),
    })


def dataset_page(request: HttpRequest, dataset: str) -> HttpResponse:
    result = table(_dataset(dataset))
    columns = result.dataset.columns
    rows = [[(row[column.name], column.kind) for column in columns] for row in result.rows]
    return render(request, "esocial/opendata/dataset.html", {
        "dataset": result.dataset, "result": result, "rows": rows,
        "charts": [(spec.title, chart_svg(result, position))
                   for position, spec in enumerate(result.dataset.charts)],
        "licence": LICENCE, "suppression": _suppression_note(result.dataset.small_count),
        "small_count": result.dataset.small_count,
    })


def _public(response: HttpResponse) -> HttpResponse:
    """Aggregates are public: any site may fetch them, any cache may keep them briefly."""
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    # The language may come from a cookie, so the cookie is part of what the file depends on.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == Kind.AMOUNT:
        return f"{Decimal(value):.2f}"
    return str(value)


def dataset_csv(request: HttpRequest, dataset: str) -> HttpResponse:
    """UTF-8, comma-separated, one header row of column names; withheld values are empty."""
    result = table(_dataset(dataset))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{result.dataset.code}.csv"'
    writer = csv.writer(response)
    writer.writerow([column.name for column in result.dataset.columns])
    for row in result.rows:
        writer.writerow([_csv_value(row[column.name], column.kind)
                         for column in result.dataset.columns])
    return _public(response)


def _json_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == Kind.AMOUNT:
        return float(Decimal(value).quantize(Decimal("0.01")))
    if kind == Kind.INTEGER:
        return int(value)
    return str(value)


def dataset_json(request: HttpRequest, dataset: str) -> HttpResponse:
    """The rows with what a reuser needs to cite and read them: title, licence, time, columns."""
    result = table(_dataset(dataset))
    columns = result.dataset.columns
    document = {
        "dataset": result.dataset.code,
        "title": str(result.dataset.title),
        "description": str(result.dataset.description),
        "source": str(result.dataset.source),
        "publisher": _("DOST Agency, Ministry of Labour and Social Protection of Population"),
        "licence": LICENCE,
        "language": get_language(),
        "generated_at": result.generated_at.isoformat(),
        "suppression": {"below": result.dataset.small_count,
                        "note": _suppression_note(result.dataset.small_count),
                        "rows_suppressed": result.suppressed},
        "columns": [{"name": column.name, "title": str(column.title), "type": column.kind}
                    for column in columns],
        "rows": [{column.name: _json_value(row[column.name], column.kind) for column in columns}
                 for row in result.rows],
    }
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    return _public(response)


# The chart file's content policy: the site's, plus its own stylesheet by hash.
@csp_update({"style-src": [standalone_style_source()]})
def dataset_chart(request: HttpRequest, dataset: str) -> HttpResponse:
    """The dataset's first chart as an SVG file, for embedding elsewhere.

    The file carries its stylesheet (it may be shown where ours cannot load), and its
    content policy allows that one stylesheet by its hash, nothing more.
    """
    result = table(_dataset(dataset))
    response = HttpResponse(chart_svg(result, standalone=True),
                            content_type="image/svg+xml; charset=utf-8")
    return _public(response)
