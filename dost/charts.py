"""Charts drawn on the server by pygal, as SVG that needs no script and no inline style.

pygal draws well-kept, accessible SVG, but it writes a ``<script>`` (its
configuration for the tooltips script), a ``<style>`` and a ``style``
attribute into every chart, and the site's content policy allows none of
them (``style-src 'self'``, ``script-src 'self'``). Of the ways around that
(a nonce, an ``<img>`` per chart, our own stylesheet) we take the stylesheet:

- A chart is drawn with ``no_prefix`` (plain class names, no per-chart id in
  the selectors) and ``js=[]``; ``_Finish`` (a pygal ``xml_filter``) then takes
  the script, the style, every ``style`` attribute and the tooltip overlay out.
  ``static/css/charts.css`` styles what is left, scoped to ``svg.chart``. The
  chart stays inline in the page: one request, real text that zooms and
  translates, and no policy relaxed. A nonce would make every chart page
  depend on the request, and an ``<img>`` would hide the chart's title and
  description from assistive technology behind a single ``alt``.
- A chart downloaded as a file (``standalone=True``) must draw on its own,
  even inside an ``<img>`` on another site, where no outside stylesheet loads:
  it carries the same stylesheet in a ``<style>``, and its response allows
  exactly that stylesheet by hash (``STANDALONE_STYLE_SOURCE``).

Every chart is an image (``role="img"``) labelled by its ``<title>`` and
``<desc>``; the page shows the figures in a table beside it. Texts reach the
markup through ElementTree, which escapes them.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import pygal
from django.conf import settings
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

Number = Decimal | int | float

WIDTH = 720
STYLESHEET = "css/charts.css"
# Series colours, each at least 4.5:1 against white, and told apart by the dash
# patterns of charts.css too (a reader need not tell colours apart).
COLOURS = ("#00558c", "#a33f00", "#2e6b30", "#6a3d9a", "#a4161a", "#00695c", "#4a4f57",
           "#7a4b00")
LABEL_CHARS = 34
MARGIN = 12
LEGEND_COLUMNS = 2
# Text sizes pygal lays the chart out by; charts.css gives the text the same sizes.
_STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a",
    foreground_strong="#1a1a1a", foreground_subtle="#4a4f57", colors=COLOURS,
    font_family="system-ui, sans-serif", label_font_size=13, major_label_font_size=13,
    value_font_size=13, value_label_font_size=13, legend_font_size=13, title_font_size=16,
    no_data_font_size=16, tooltip_font_size=13,
)


@dataclass(frozen=True)
class Point:
    label: str
    # None: not published (a small count) or not known.
    value: Number | None


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value (or None) for each label of the chart."""

    title: str
    values: Sequence[Number | None]


def _number(value: Number) -> str:
    places = 0 if float(value).is_integer() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def _stylesheet() -> str:
    return (settings.BASE_DIR / "static" / STYLESHEET).read_text(encoding="utf-8")


def standalone_style_source() -> str:
    """The content-policy source that lets a standalone chart's ``<style>`` apply: its hash."""
    digest = hashlib.sha256(_stylesheet().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _local(tag: Any) -> str:
    # Comments and processing instructions have a function for a tag.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


class _Finish:
    """pygal's ``xml_filter``: what the content policy and assistive technology need.

    Takes out the script, the style (put back as our stylesheet when standalone), every
    ``style`` attribute, the tooltip overlay, the tooltips' data and pygal's comments;
    labels the image with its title and description; gives each bar or point a native
    tooltip (``<title>``) saying its label and value.
    """

    def __init__(self, *, chart_id: str, title: str, description: str, standalone: bool,
                 series: Sequence[str] = ()) -> None:
        self.chart_id = chart_id
        self.title = title
        self.description = description
        self.standalone = standalone
        # Named in each point's tooltip when there are several.
        self.series = list(series) if len(series) > 1 else []

    def __call__(self, root: Any) -> Any:
        namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        make = pygal.etree.etree.Element
        for group in list(root.iter()):
            serie = next((name for name in _classes(group) if name.startswith("serie-")), None)
            if serie is not None and int(serie[6:]) < len(self.series):
                for element in group.iter():
                    element.set("data-serie", self.series[int(serie[6:])])
        for parent in list(root.iter()):
            for child in list(parent):
                tag = _local(child.tag)
                if (tag in {"script", "style", ""} or "tooltip-overlay" in _classes(child)
                        or (tag == "title" and parent is not root)):
                    parent.remove(child)
                elif tag == "desc" and parent is not root:
                    self._tooltip(parent, child, make, namespace)
            parent.attrib.pop("style", None)
        for element in root.iter():
            element.attrib.pop("data-serie", None)
        for child in list(root):
            if _local(child.tag) == "title":
                root.remove(child)
        title = make(f"{namespace}title", id=f"{self.chart_id}-title")
        title.text = self.title
        desc = make(f"{namespace}desc", id=f"{self.chart_id}-desc")
        desc.text = self.description
        root.insert(0, desc)
        root.insert(0, title)
        if self.standalone:
            style = make(f"{namespace}style")
            style.text = _stylesheet()
            root.insert(2, style)
        root.set("id", self.chart_id)
        root.set("role", "img")
        root.set("aria-labelledby", f"{self.chart_id}-title {self.chart_id}-desc")
        return root

    @staticmethod
    def _tooltip(parent: Any, desc: Any, make: Callable[..., Any], namespace: str) -> None:
        """pygal keeps a point's label and value in ``<desc>`` for its script's tooltips;
        they become the point's ``<title>``, which browsers show on hover."""
        parent.remove(desc)
        kinds = _classes(desc)
        if "value" in kinds:
            parent.set("data-value", desc.text or "")
        elif "x_label" in kinds:
            parent.set("data-label", desc.text or "")
        label, value = parent.get("data-label"), parent.get("data-value")
        if label is not None and value is not None:
            serie = parent.get("data-serie")
            tip = make(f"{namespace}title")
            tip.text = f"{serie}, {label}: {value}" if serie else f"{label}: {value}"
            parent.insert(0, tip)
            del parent.attrib["data-label"], parent.attrib["data-value"]


def _config(*, title: str, empty_label: str, standalone: bool, height: int,
            formatter: Callable[[Any], str]) -> dict[str, Any]:
    return {
        "width": WIDTH, "height": height, "style": _STYLE, "classes": ["chart"],
        # Drawn into the picture only when it travels alone: on a page the figure's
        # caption says it.
        "title": title if standalone else None,
        "explicit_size": standalone, "disable_xml_declaration": not standalone,
        "no_prefix": True, "js": [], "css": [], "no_data_text": empty_label,
        "value_formatter": formatter, "margin": MARGIN, "truncate_label": -1,
        # A few round ticks, not pygal's up to sixteen.
        "min_scale": 3, "max_scale": 6,
    }


def _render(chart: Any, *, chart_id: str, title: str, description: str, standalone: bool,
            series: Sequence[str] = ()) -> SafeString:
    chart.add_xml_filter(_Finish(chart_id=chart_id, title=title, description=description,
                                 standalone=standalone, series=series))
    svg = chart.render(is_unicode=True)
    if standalone:
        svg = svg.replace("<?xml version='1.0' encoding='utf-8'?>",
                          '<?xml version="1.0" encoding="UTF-8"?>', 1)
    return mark_safe(svg)  # noqa: S308 (ElementTree escapes every text of the chart)


def _formatter(value: Any) -> str:
    return "" if value is None else _number(value)


def bar_chart(*, chart_id: str, title: str, description: str, points: Sequence[Point],
              missing_label: str, empty_label: str, standalone: bool = False,
              formatter: Callable[[Any], str] = _formatter) -> SafeString:
    """Horizontal bars, one per point from the top down, each valued at its end.

    A point without a value gets no bar; its label says ``missing_label``.
    """
    labels = [_shorten(point.label) if point.value is not None
              else f"{_shorten(point.label)} ({missing_label})" for point in points]
    values = [None if point.value is None else float(point.value) for point in points]
    drawn = any(value is not None for value in values)
    chart = pygal.HorizontalBar(
        **_config(title=title, empty_label=empty_label, standalone=standalone,
                  height=60 + 34 * max(len(points), 1) + (30 if standalone else 0),
                  formatter=formatter),
        print_values=True, print_values_position="top",
        range=(0, _top(values)) if drawn else None, show_legend=False,
        show_y_guides=False, show_x_guides=True, show_x_labels=drawn, show_y_labels=drawn,
    )
    # pygal lays a horizontal chart's first label at the bottom; a ranking reads down.
    chart.x_labels = list(reversed(labels))
    if drawn:
        chart.add(title, list(reversed(values)))
    return _render(chart, chart_id=chart_id, title=title, description=description,
                   standalone=standalone)


def line_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
               series: Sequence[Series], missing_label: str, empty_label: str,
               standalone: bool = False,
               formatter: Callable[[Any], str] = _formatter) -> SafeString:
    """A line per series through its values in label order (months, say); a value that is
    None breaks the line. With more than one series a legend names them.

    ``missing_label`` is said in the description for charts with a gap.
    """
    has_gap = any(value is None for line in series for value in line.values)
    if has_gap:
        description = f"{description} {missing_label}"
    drawn = [line for line in series if any(value is not None for value in line.values)]
    legend = len(drawn) > 1
    rows = math.ceil(len(drawn) / LEGEND_COLUMNS) if legend else 0
    # pygal 3.1 keeps room for (series // columns) rows of legend, a row short when they
    # do not divide: the bottom margin makes up the difference.
    short = rows - len(drawn) // LEGEND_COLUMNS if legend else 0
    every = max(1, math.ceil(len(labels) / 10))
    chart = pygal.Line(
        **_config(title=title, empty_label=empty_label, standalone=standalone,
                  height=330 + 22 * rows + (30 if standalone else 0), formatter=formatter),
        allow_interruptions=True, show_legend=legend, legend_at_bottom=True,
        legend_at_bottom_columns=LEGEND_COLUMNS, truncate_legend=-1,
        margin_bottom=MARGIN + math.ceil(short * 1.5 * _STYLE.legend_font_size),
        include_x_axis=True, dots_size=4, x_labels_major_every=every, show_minor_x_labels=False,
    )
    chart.x_labels = list(labels)
    for line in drawn:
        chart.add(_shorten(line.title),
                  [None if value is None else float(value) for value in line.values])
    return _render(chart, chart_id=chart_id, title=title, description=description,
                   standalone=standalone, series=[line.title for line in drawn])


def _top(values: Sequence[float | None]) -> float:
    """Room at the right of the longest bar for its value."""
    top = max((value for value in values if value is not None), default=0.0)
    return top * 1.15 if top > 0 else 1.0
