"""How a determination's degree reads: one wording for pages, certificates and messages."""

from __future__ import annotations

from django.utils.translation import gettext as _

_ROMAN = {1: "I", 2: "II", 3: "III"}


def roman(degree: int | None) -> str:
    """The degree as the criteria write it (I, II, III); "?" for none."""
    return _ROMAN.get(degree or 0, "?")


def degree_label(degree: int | None, *, under_18: bool = False) -> str:
    """"degree II", "disability under 18" (no degree is given), or "no disability"."""
    if under_18:
        return _("disability under 18")
    if degree:
        return _("degree %(degree)s") % {"degree": roman(degree)}
    return _("no disability")
