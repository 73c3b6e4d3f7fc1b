"""Forms of the home-visit pages. They parse; the services in ``vemtas.assessments`` decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dost.accounts.models import User
from vemtas.assessment_selectors import social_workers
from vemtas.assessments import MAX_MEMBERS, MAX_TEXT
from vemtas.media import ACCEPT
from vemtas.models import MediaKind


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    worker = WorkerChoiceField(label=_("Social worker"), queryset=User.objects.none(),
                               empty_label=_("Choose a social worker"))
    day = forms.DateField(label=_("Day of the visit"),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time of the visit"),
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_workers()  # type: ignore[attr-defined]

    @property
    def visit_at(self) -> dt.datetime:
        """The visit's moment in the site's time zone (Baku)."""
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["day"],
                                                       self.cleaned_data["time"]))


YES_NO = [("yes", _("Yes, they agree")), ("no", _("No, something disagrees"))]


class FindingsForm(forms.Form):
    members_present = forms.IntegerField(
        label=_("Members of the household found living there"), min_value=0,
        max_value=MAX_MEMBERS)
    conditions = forms.CharField(
        label=_("Living conditions"), max_length=MAX_TEXT,
        help_text=_("The home, its rooms and amenities, what the household owns and uses."),
        widget=forms.Textarea(attrs={"rows": 5}))
    matches_declaration = forms.TypedChoiceField(
        label=_("Do the conditions agree with the declaration?"), choices=YES_NO,
        coerce=lambda value: value == "yes", widget=forms.RadioSelect)
    disagreement = forms.CharField(
        label=_("What disagrees"), max_length=MAX_TEXT, required=False,
        help_text=_("Required when something disagrees with the declaration."),
        widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def of(cls, assessment: Any) -> FindingsForm:
        """The form with what the worker recorded so far."""
        initial: dict[str, Any] = {"members_present": assessment.members_present,
                                   "conditions": assessment.conditions,
                                   "disagreement": assessment.disagreement}
        if assessment.matches_declaration is not None:
            initial["matches_declaration"] = "yes" if assessment.matches_declaration else "no"
        return cls(initial=initial)


_FILE_LABELS = {
    MediaKind.PHOTO: _("Photo (JPEG or PNG)"),
    MediaKind.VIDEO: _("Video (MP4 or WebM)"),
    MediaKind.AUDIO: _("Sound recording (MP3, M4A, OGG or WAV)"),
}


class MediaForm(forms.Form):
    """One file of one kind. Each kind has its own form on the page (its own ``accept``),
    told apart by its prefix; the kind itself is posted beside it, as ``kind``."""

    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"].label = _FILE_LABELS[kind]
        self.fields["file"].widget.attrs["accept"] = ACCEPT[kind]


def media_forms(posted: MediaForm | None = None) -> list[MediaForm]:
    """A form per kind, with the one just posted (and its errors) in its place."""
    return [posted if posted is not None and posted.kind == kind else MediaForm(kind=kind)
            for kind in MediaKind.values]
