"""Small charts drawn on the server as SVG: they need no JavaScript and print as they show.

Each chart is an image with a title and a description (``role="img"``,
``aria-labelledby``); the page puts the same numbers in a table beside it for
screen readers, so the drawing itself stays simple. Every text that reaches the
markup is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1a1a1a"
MUTED = "#4a4f57"
BRAND = "#00558c"
GRID = "#c9ced6"
WIDTH = 720
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


@dataclass(frozen=True)
class Point:
    label: str
    # None: not published (a small count) or not known.
    value: Decimal | int | None


def nice_ticks(top: float, *, count: int = 5) -> list[float]:
    """Round axis ticks from 0 covering ``top``: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(factor * power for factor in (1, 2, 2.5, 5, 10) if factor * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _number(value: float | Decimal | int) -> str:
    places = 0 if float(value).is_integer() else 2
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" {FONT}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]


def _empty(chart_id: str, title: str, description: str, message: str) -> SafeString:
    parts = _open(chart_id, title, description, 80)
    parts.append(f'<text x="16" y="44" fill="{MUTED}">{escape(message)}</text></svg>')
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def bar_chart(*, chart_id: str, title: str, description: str, points: Sequence[Point],
              missing_label: str, empty_label: str) -> SafeString:
    """Horizontal bars, one per point, labelled on the left and valued at their end.

    A point without a value gets no bar but ``missing_label``.
    """
    if not points:
        return _empty(chart_id, title, description, empty_label)
    label_chars = min(max(len(point.label) for point in points), 34)
    left = 16 + label_chars * 7
    right, top, row = 64, 28, 30
    height = top + row * len(points) + 12
    values = [float(point.value) for point in points if point.value is not None]
    ticks = nice_ticks(max(values, default=0))
    scale = (WIDTH - left - right) / ticks[-1]
    parts = _open(chart_id, title, description, height)
    for tick in ticks:
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" '
                     f'fill="{MUTED}">{escape(_number(tick))}</text>')
    for index, point in enumerate(points):
        y = top + index * row
        label = escape(_shorten(point.label, label_chars))
        shown = missing_label if point.value is None else _number(point.value)
        parts.append(f"<g><title>{escape(point.label)}: {escape(shown)}</title>")
        parts.append(f'<text x="{left - 8}" y="{y + 19}" text-anchor="end" '
                     f'fill="{INK}">{label}</text>')
        width = 0.0 if point.value is None else float(point.value) * scale
        if width > 0:
            parts.append(f'<rect x="{left}" y="{y + 5}" width="{width:.1f}" height="20" '
                         f'fill="{BRAND}"/>')
        parts.append(f'<text x="{left + width + 6:.1f}" y="{y + 19}" '
                     f'fill="{INK}">{escape(shown)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def line_chart(*, chart_id: str, title: str, description: str, points: Sequence[Point],
               missing_label: str, empty_label: str) -> SafeString:
    """A line through the points in order (months, say); a point without a value breaks it
    and is marked on the axis with ``missing_label``."""
    if not points:
        return _empty(chart_id, title, description, empty_label)
    left, right, top, bottom, height = 64, 24, 20, 56, 320
    values = [float(point.value) for point in points if point.value is not None]
    ticks = nice_ticks(max(values, default=0))
    plot_height = height - top - bottom
    step = (WIDTH - left - right) / max(len(points) - 1, 1)

    def x_of(index: int) -> float:
        return left + (index * step if len(points) > 1 else (WIDTH - left - right) / 2)

    def y_of(value: float) -> float:
        return top + plot_height - value / ticks[-1] * plot_height

    parts = _open(chart_id, title, description, height)
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="{MUTED}">{escape(_number(tick))}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_height}" x2="{WIDTH - right}" '
                 f'y2="{top + plot_height}" stroke="{INK}" stroke-width="1"/>')
    # Label at most ten points along the axis, so that the labels never overlap.
    every = max(1, math.ceil(len(points) / 10))
    for index, point in enumerate(points):
        if index % every == 0 or index == len(points) - 1:
            parts.append(f'<text x="{x_of(index):.1f}" y="{height - bottom + 20}" '
                         f'text-anchor="middle" fill="{INK}">{escape(point.label)}</text>')
    path, pen_down = [], False
    for index, point in enumerate(points):
        if point.value is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{x_of(index):.1f},{y_of(float(point.value)):.1f}")
        pen_down = True
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{BRAND}" '
                     f'stroke-width="2.5" stroke-linejoin="round"/>')
    for index, point in enumerate(points):
        if point.value is None:
            parts.append(f'<circle cx="{x_of(index):.1f}" cy="{top + plot_height}" r="4" '
                         f'fill="#ffffff" stroke="{MUTED}" stroke-width="1.5">'
                         f"<title>{escape(point.label)}: {escape(missing_label)}</title></circle>")
            continue
        parts.append(f'<circle cx="{x_of(index):.1f}" cy="{y_of(float(point.value)):.1f}" r="4" '
                     f'fill="{BRAND}"><title>{escape(point.label)}: '
                     f"{escape(_number(point.value))}</title></circle>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
