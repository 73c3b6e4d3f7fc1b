"""Message templates, rendered when a message is sent, in the recipient's language.

Rows in the outbox store a template code and a JSON context, not a text: the
engine writes them with raw SQL, where no translation is available, and a text
rendered at send time follows the recipient's current language.

Two small registries, filled at import time or from an app's ``ready()``:

* templates: a code and a function of the context returning the text;
* benefit titles: a benefit code and its lazily translated title, so that
  ``award_granted`` names the benefit in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dost.errors import DomainError

MessageRenderer = Callable[[Mapping[str, Any]], str]

_templates: dict[str, MessageRenderer] = {}
_benefit_titles: dict[str, str | Promise] = {}


def register_template(code: str, render: MessageRenderer) -> None:
    """Make ``code`` renderable; registering the same renderer again does nothing.

    A different renderer under a taken code is refused: two apps silently
    overriding each other's messages would send citizens the wrong text.
    """
    existing = _templates.get(code)
    if existing is not None and existing is not render:
        raise ValueError(f"SMS template {code!r} is already registered.")
    _templates[code] = render


def register_benefit_title(code: str, title: str | Promise) -> None:
    """Name a benefit in messages; ``title`` should be lazy (``gettext_lazy``)."""
    _benefit_titles[code] = title


def benefit_title(code: str) -> str:
    """The benefit's title in the active language, or its code when none was registered."""
    return str(_benefit_titles.get(code, code))


def template_renderer(code: str) -> MessageRenderer:
    try:
        return _templates[code]
    except KeyError:
        raise DomainError(
            _("Unknown message template “%(template)s”.") % {"template": code},
            code="unknown_template",
        ) from None


def render_message(template: str, context: Mapping[str, Any], language: str) -> str:
    """The text of ``template`` for ``context``, translated into ``language``.

    An unsupported or empty language falls back to the site's default, so that a
    stray value in the outbox never stops a message.
    """
    render = template_renderer(template)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return str(render(context))


def format_amount(amount: Any) -> str:
    """``150`` → "150", ``150.5`` → "150,50" in az/ru: short, in the reader's notation."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    decimals = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, decimal_pos=decimals)


def _award_granted(context: Mapping[str, Any]) -> str:
    return _(
        "DOST: you have been granted %(benefit)s, %(amount)s AZN. "
        "Reasons and details: e-social.gov.az"
    ) % {"benefit": benefit_title(context["benefit"]), "amount": format_amount(context["amount"])}


def _award_switched(context: Mapping[str, Any]) -> str:
    return _(
        "DOST: from %(date)s you receive %(benefit)s, %(amount)s AZN a month, instead of your "
        "%(replaced)s, as it is higher. Reasons and details: e-social.gov.az"
    ) % {"benefit": benefit_title(context["benefit"]), "amount": format_amount(context["amount"]),
         "replaced": benefit_title(context.get("replaced") or ""),
         "date": context.get("from", "")}


def _test(context: Mapping[str, Any]) -> str:
    return str(_("DOST: this is a test message. No action is needed."))


register_template("award_granted", _award_granted)
register_template("award_switched", _award_switched)
register_template("test", _test)
