"""SMS texts of the register (reassessment reminders) and of requests for aids.

Rendered when sent, in the recipient's language. Names (the facility, the aid)
travel in the context in every language, so rendering reads nothing from the
database and a message says what was true when it was queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dost.formatting import format_date
from dost.notifications.templates import register_template

REVIEW_DUE_TEMPLATE = "disability_review_due"
AID_STEP_TEMPLATE = "disability_aid_step"


def names_in_every_language(named: Any) -> dict[str, str]:
    """A ``TranslatedName``'s names by language code, for a message's context."""
    return {"az": named.name_az, "en": named.name_en, "ru": named.name_ru}


def _in_language(names: Mapping[str, str] | None) -> str:
    if not names:
        return ""
    language = (get_language() or "az")[:2]
    return names.get(language) or names.get("az") or ""


def _review_due(context: Mapping[str, Any]) -> str:
    date = format_date(context["date"])
    facility = _in_language(context.get("facility"))
    if facility:
        return _("DOST: your disability is due to be reassessed by %(date)s. %(facility)s will "
                 "refer you to the expert commission; you need not apply. Details: "
                 "e-social.gov.az") % {"date": date, "facility": facility}
    return _("DOST: your disability is due to be reassessed by %(date)s. Your health facility "
             "will refer you to the expert commission; you need not apply. Details: "
             "e-social.gov.az") % {"date": date}


def _aid_step(context: Mapping[str, Any]) -> str:
    item = _in_language(context.get("item"))
    texts = {
        "approved": _("DOST: your request for “%(item)s” has been approved. We will tell you "
                      "when it is delivered. Details: e-social.gov.az"),
        "refused": _("DOST: your request for “%(item)s” has been refused. The reason: "
                     "e-social.gov.az"),
        "delivered": _("DOST: “%(item)s” has been delivered to you. Details: e-social.gov.az"),
        "returned": _("DOST: the return of “%(item)s” has been recorded. Thank you. Details: "
                      "e-social.gov.az"),
    }
    text = texts.get(context.get("state", ""))
    if text is None:
        return _("DOST: your request for “%(item)s” has changed. Details: e-social.gov.az") % {
            "item": item}
    return text % {"item": item}


def register_sms_templates() -> None:
    register_template(REVIEW_DUE_TEMPLATE, _review_due)
    register_template(AID_STEP_TEMPLATE, _aid_step)
