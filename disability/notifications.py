"""SMS texts of the disability subsystem, rendered when sent, in the recipient's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from disability.degrees import roman
from dost.formatting import format_date
from dost.notifications.templates import register_template


def _decision(context: Mapping[str, Any]) -> str:
    percent = context["percent"]
    if percent <= 30:  # noqa: PLR2004 - 30 % or less is no disability (criteria of 2022)
        return _("DOST: the expert commission found %(percent)s%% functional impairment: no "
                 "disability. The decision and how to contest it: e-social.gov.az") % {
            "percent": percent}
    if context.get("under_18"):
        found = _("disability under 18, %(percent)s%%") % {"percent": percent}
    else:
        found = _("degree %(degree)s disability, %(percent)s%%") % {
            "degree": roman(context.get("degree")), "percent": percent}
    until = context.get("valid_until")
    if until:
        period = _("until %(date)s") % {"date": format_date(dt.date.fromisoformat(until))}
    else:
        period = _("indefinitely")
    return _("DOST: the expert commission determined %(found)s, %(period)s. Your certificate "
             "and benefits: e-social.gov.az") % {"found": found, "period": period}


def register_templates() -> None:
    register_template("disability_decision", _decision)
