"""The disability panel of the 142 agent's 360° view (``dost.citizen_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disability.selectors import register_entries_of, register_finding_in_force
from dost.citizen_view import Panel, register_panel

if TYPE_CHECKING:
    from dost.registry.models import Person


def _disability(person: Person) -> dict[str, Any]:
    entries = register_entries_of(person.pk)
    return {
        "finding": register_finding_in_force(person.pk, timezone.localdate()),
        "latest_entry": entries[0] if entries else None,
    }


def register_panels() -> None:
    register_panel(Panel("disability", _("Disability status"), 40,
                         "disability/citizen_view_status.html", _disability))
