"""A one-glyph font for the manat sign (₼, U+20BC) in PDF certificates.

Amounts in Azerbaijani read "102 560,69 ₼", but DejaVu, the certificates' font
(it covers Azerbaijani Latin and Cyrillic), has no manat sign, and neither has
any other font the server is sure to hold: WeasyPrint would print a missing-glyph
box. This font draws the sign alone, in DejaVu Sans's proportions (2048 units to
the em, 184-unit stems, the cap height of 1493), and the certificate's style
names it after DejaVu, so it is used for that one character. It is built in
memory with fontTools, which WeasyPrint already depends on, and embedded in the
page as a data URL: nothing to install, nothing to fetch.
"""

from __future__ import annotations

import base64
import io
from functools import cache

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._g_l_y_f import Glyph

FAMILY = "DOST Manat"
MANAT_SIGN = 0x20BC
_EM = 2048
_ADVANCE = 1303          # DejaVu Sans's currency signs (€, ₽, ₺)
_CAP_HEIGHT = 1493
_STEM = 184
# tan(22.5°) and cos(45°): two quadratic segments per quarter circle.
_T, _C = 0.4142, 0.7071


def _arc(pen: TTGlyphPen, cx: float, cy: float, radius: float, *, rightwards: bool) -> None:
    """Half a circle over (cx, cy), from one side to the other, the pen at its start."""
    side = 1 if rightwards else -1
    points = [
        ((cx - side * radius, cy + radius * _T), (cx - side * radius * _C, cy + radius * _C)),
        ((cx - side * radius * _T, cy + radius), (cx, cy + radius)),
        ((cx + side * radius * _T, cy + radius), (cx + side * radius * _C, cy + radius * _C)),
        ((cx + side * radius, cy + radius * _T), (cx + side * radius, cy)),
    ]
    for off_curve, on_curve in points:
        pen.qCurveTo(off_curve, on_curve)


def _manat_glyph() -> Glyph:
    """An arch standing on the baseline with a stem through its top, drawn clockwise (the
    two contours overlap and fill as one)."""
    pen = TTGlyphPen(None)
    centre, shoulder, outer = _ADVANCE // 2, 780, 520
    inner = outer - _STEM
    pen.moveTo((centre - outer, 0))
    pen.lineTo((centre - outer, shoulder))
    _arc(pen, centre, shoulder, outer, rightwards=True)
    pen.lineTo((centre + outer, 0))
    pen.lineTo((centre + inner, 0))
    pen.lineTo((centre + inner, shoulder))
    _arc(pen, centre, shoulder, inner, rightwards=False)
    pen.lineTo((centre - inner, 0))
    pen.closePath()
    half = _STEM // 2
    pen.moveTo((centre - half, 0))
    pen.lineTo((centre - half, _CAP_HEIGHT))
    pen.lineTo((centre + half, _CAP_HEIGHT))
    pen.lineTo((centre + half, 0))
    pen.closePath()
    return pen.glyph()


@cache
def manat_font() -> bytes:
    """The TrueType font, built once per process (a few hundred bytes)."""
    builder = FontBuilder(_EM, isTTF=True)
    builder.setupGlyphOrder([".notdef", "manat"])
    builder.setupCharacterMap({MANAT_SIGN: "manat"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "manat": _manat_glyph()})
    builder.setupHorizontalMetrics({".notdef": (_ADVANCE, 0), "manat": (_ADVANCE, 131)})
    builder.setupHorizontalHeader(ascent=1901, descent=-483)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=1556, sTypoDescender=-492, usWinAscent=1901,
                     usWinDescent=483)
    builder.setupPost()
    output = io.BytesIO()
    builder.save(output)
    return output.getvalue()


def manat_font_face() -> str:
    """The CSS rule that makes the font available to a page as ``FAMILY``."""
    data = base64.b64encode(manat_font()).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; '
            f"src: url(data:font/ttf;base64,{data}) format(\"truetype\"); "
            f"unicode-range: U+20BC; }}")
