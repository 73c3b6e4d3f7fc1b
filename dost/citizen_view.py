"""The registry of panels that make up the 142 agent's 360° view of a citizen.

The core registers its panels here (``register_core_panels``, from ``DostConfig.ready``),
and each subsystem registers its own from its ``AppConfig.ready()``: the call centre
renders whatever is registered, in ``order``, and never imports a subsystem.

``build(person)`` gathers what the panel shows through its app's selectors and
returns the context its ``template`` is rendered with. It must stay cheap (a few
queries): the view runs every panel for each opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dost.registry.models import Person

# How many items of a kind a panel lists: the console is for a phone call, not an archive.
PANEL_ITEMS = 10


@dataclass(frozen=True)
class Panel:
    code: str
    title: str | Promise
    order: int
    template: str
    build: Callable[[Person], dict[str, Any]]


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Add a panel; registering the same code again replaces it (a reloaded app)."""
    _PANELS[panel.code] = panel


def panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.code))


def today() -> dt.date:
    return timezone.localdate()


# --- the core's panels -----------------------------------------------------------------------

def _awards(person: Person) -> dict[str, Any]:
    from dost.entitlements.selectors import award_explanation, awards_of_person

    awards = list(awards_of_person(person.pk)[:PANEL_ITEMS])
    return {"awards": [(award, award_explanation(award)) for award in awards]}


def _applications(person: Person) -> dict[str, Any]:
    from dost.applications.selectors import application_title, applications_of_person

    applications = list(applications_of_person(person.pk)
                        .prefetch_related("events")[:PANEL_ITEMS])
    return {"applications": [(application, application_title(application.type_code))
                             for application in applications]}


def _bookings(person: Person) -> dict[str, Any]:
    from dost.equeue.selectors import bookings_of_person

    return {"bookings": list(bookings_of_person(person.pk).filter(day__gte=today()))[:PANEL_ITEMS]}


def _complaints(person: Person) -> dict[str, Any]:
    from dost.complaints.selectors import complaints_of_person

    return {"complaints": list(complaints_of_person(person.pk)[:PANEL_ITEMS])}


def _sms(person: Person) -> dict[str, Any]:
    from dost.notifications.selectors import sms_messages_of_person

    return {"sms_messages": list(sms_messages_of_person(person_id=person.pk)[:PANEL_ITEMS])}


def _payments(person: Person) -> dict[str, Any]:
    from dost.payments.selectors import payments_for_person

    return {"schedules": list(payments_for_person(person.pk)[:PANEL_ITEMS])}


def register_core_panels() -> None:
    for panel in (
        Panel("awards", _("Awards and why"), 10, "citizen_view/awards.html", _awards),
        Panel("applications", _("Applications"), 20, "citizen_view/applications.html",
              _applications),
        Panel("bookings", _("Queue tickets"), 50, "citizen_view/bookings.html", _bookings),
        Panel("complaints", _("Complaints and appeals"), 60, "citizen_view/complaints.html",
              _complaints),
        Panel("sms", _("Text messages sent"), 70, "citizen_view/sms.html", _sms),
        Panel("payments", _("Payments"), 80, "citizen_view/payments.html", _payments),
    ):
        register_panel(panel)
