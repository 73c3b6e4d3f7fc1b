"""SMS texts of targeted social assistance, rendered when sent, in the recipient's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dost.formatting import format_date
from dost.notifications.templates import register_template


def _refused(context: Mapping[str, Any]) -> str:
    grounds = int(context.get("grounds") or 0)
    return ngettext(
        "DOST: your application for targeted social assistance was refused on %(count)s "
        "ground found in other institutions' records. The ground, its source and how to "
        "contest it: e-social.gov.az",
        "DOST: your application for targeted social assistance was refused on %(count)s "
        "grounds found in other institutions' records. The grounds, their sources and how to "
        "contest them: e-social.gov.az", grounds) % {"count": grounds}


def _overturned(context: Mapping[str, Any]) -> str:
    if context.get("to") == "awarded":
        return _("DOST: on review, your targeted social assistance has been awarded. The "
                 "reason and the amount: e-social.gov.az")
    return _("DOST: on review, your targeted social assistance has been stopped. The reason "
             "and how to contest it: e-social.gov.az")


def _renewal(context: Mapping[str, Any]) -> str:
    return _("DOST: your targeted social assistance ends on %(date)s. Renew it on "
             "e-social.gov.az or at a DOST centre: your application is pre-filled.") % {
        "date": format_date(context["until"])}


def _stopped(context: Mapping[str, Any]) -> str:
    return _("DOST: after a change in your household your targeted social assistance stops "
             "after %(date)s. The reason and how to contest it: e-social.gov.az") % {
        "date": format_date(context["last_day"])}


def register_templates() -> None:
    register_template("tssa_refused", _refused)
    register_template("tssa_overturned", _overturned)
    register_template("tssa_renewal", _renewal)
    register_template("tssa_stopped", _stopped)
