"""Forms of the back-office pages: which centre and desk, and a mobile unit's new stop."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dost.centres.models import Centre, MobileUnit
from dost.registry.models import Region
from dost.registry.selectors import regions

if TYPE_CHECKING:
    from django.db.models import QuerySet


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Centre) -> str:
        return obj.name


class CentreForm(forms.Form):
    """An administrator's choice of the centre whose pages to see."""

    centre = CentreChoiceField(label=_("DOST centre"),
                               queryset=Centre.objects.filter(active=True).order_by("code"),
                               to_field_name="code", empty_label=_("Choose a centre"))


class DeskForm(forms.Form):
    """The desk the official sits at today: one of the centre's."""

    desk = forms.TypedChoiceField(label=_("Your desk"), coerce=int)

    def __init__(self, *args: Any, desks: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        desk = cast(forms.TypedChoiceField, self.fields["desk"])
        desk.choices = [(number, str(number)) for number in range(1, desks + 1)]
        desk.error_messages["invalid_choice"] = _("This centre has no desk with that number.")
        desk.error_messages["required"] = _("Choose your desk.")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MobileUnit) -> str:
        return obj.name


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class StopForm(forms.Form):
    """A new stop of one of the centre's mobile units. The service checks the rest (past,
    overlapping, end before start) and says why."""

    unit = UnitChoiceField(label=_("Mobile unit"), queryset=MobileUnit.objects.none(),
                           to_field_name="code", empty_label=_("Choose a unit"))
    region = RegionChoiceField(label=_("Region"), queryset=regions(), to_field_name="code",
                               empty_label=_("Choose a region"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label=_("Starts at"),
                                widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    place_az = forms.CharField(label=_("Place (Azerbaijani)"), max_length=300)
    place_en = forms.CharField(label=_("Place (English)"), max_length=300, required=False,
                               help_text=_("Left empty, the Azerbaijani text is shown."))
    place_ru = forms.CharField(label=_("Place (Russian)"), max_length=300, required=False,
                               help_text=_("Left empty, the Azerbaijani text is shown."))

    def __init__(self, *args: Any, units: QuerySet[MobileUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(UnitChoiceField, self.fields["unit"]).queryset = units


# The form field a stop refusal is about; the others are shown above the form.
FIELD_OF_STOP_REFUSAL = {
    "region_unknown": "region",
    "place_missing": "place_az",
    "ends_before_start": "ends_at",
    "in_the_past": "day",
    "overlaps": "starts_at",
    "unit_inactive": "unit",
}
