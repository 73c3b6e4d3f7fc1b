"""The SMS asking for a rating, rendered when sent, in the citizen's language.

The visit requests are written by one ``INSERT ... SELECT``: the centre's name
travels in the context in every language, and the message picks the reader's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dost.notifications.templates import register_template

RATING_TEMPLATE = "carecall_rating"


def _in_language(names: Any) -> str:
    if not isinstance(names, Mapping):
        return ""
    language = (get_language() or "az")[:2]
    return str(names.get(language) or names.get("az") or "")


def _rating_asked(context: Mapping[str, Any]) -> str:
    centre = _in_language(context.get("centre"))
    if context.get("channel") == "visit" and centre:
        return _(
            "DOST: please rate your visit to %(centre)s. Reply to this message with one digit, "
            "from 1 (very poor) to 5 (excellent)."
        ) % {"centre": centre}
    if context.get("channel") == "visit":
        return _("DOST: please rate your visit to the DOST centre. Reply to this message with "
                 "one digit, from 1 (very poor) to 5 (excellent).")
    return _("DOST: please rate your call to 142. Reply to this message with one digit, "
             "from 1 (very poor) to 5 (excellent).")


def register_templates() -> None:
    register_template(RATING_TEMPLATE, _rating_asked)
