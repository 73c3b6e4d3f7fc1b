"""Forms of the e-queue pages: choose a service, centre, day and free time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from dost.equeue.selectors import bookable_services, open_centres

if TYPE_CHECKING:
    from dost.centres.models import Centre, Service
    from dost.equeue.models import Slot


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Centre) -> str:
        return f"{obj.name} — {obj.address}"


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        return obj.title


class SlotPicker(forms.Form):
    """Centre, day and a free time there; the times are filled in by the view."""

    centre = CentreChoiceField(label=_("DOST centre"), queryset=open_centres(),
                               to_field_name="code", empty_label=_("Choose a centre"))
    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat)
    # Any id is accepted here; the booking service says why a time cannot be
    # taken (full, passed), which a list of choices could only call "invalid".
    slot = forms.IntegerField(label=_("Time"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, days: Iterable[dt.date], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", _("Choose a day"))] + [
            (day.isoformat(), formats.date_format(day, "l, j F")) for day in days
        ]

    def show_slots(self, slots: Iterable[Slot]) -> None:
        self.fields["slot"].widget.choices = [
            (slot.pk, f"{slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}") for slot in slots
        ]


class BookingForm(SlotPicker):
    service = ServiceChoiceField(label=_("Service"), queryset=bookable_services(),
                                 to_field_name="code", empty_label=_("Choose a service"))
    field_order = ["service", "centre", "day", "slot"]


class MoveForm(SlotPicker):
    pass
