"""Forms of the agent console: they parse; the services decide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from callcentre.models import Topic
from callcentre.services import OUTCOME_MAX_LENGTH
from dost.complaints.selectors import complaint_categories, complaint_decisions_to_contest
from dost.complaints.services import TEXT_MAX_LENGTH
from dost.equeue.selectors import bookable_services, open_centres
from dost.errors import DomainError
from dost.registry.selectors import PeopleQuery, birth_year_checked, people_query

if TYPE_CHECKING:
    from dost.audit.models import DecisionEntry
    from dost.centres.models import Centre, Service
    from dost.complaints.models import Category

OTHER_REASON = "other"
# Why an agent opens a citizen: what the caller asked about, as the citizen will read it.
REASONS = (
    ("caller_asked_status", _("The citizen called to ask about their case")),
    ("caller_asked_payment", _("The citizen called to ask about a payment")),
    ("caller_complaint", _("The citizen called to make a complaint")),
    ("caller_booking", _("The citizen called to book a centre visit")),
    ("callback", _("Calling the citizen back as agreed")),
    (OTHER_REASON, _("Other (write it below)")),
)


class ConsoleSearchForm(forms.Form):
    """The one box, then what the caller said that narrows it: year, region, father's name.

    ``query`` is the parsed search once the form is valid (see
    ``dost.registry.selectors.people_query``).
    """

    q = forms.CharField(
        label=_("FIN, mobile number or name"), max_length=100,
        help_text=_("A name may carry the year of birth and the patronymic: "
                    "Məmmədov Əli Vaqif oğlu 1985."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autofocus": True, "accesskey": "s",
                                      "type": "search"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False,
        error_messages={"invalid": _("Write the year of birth with four digits, "
                                     "for example 1985.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                                      "size": 4, "maxlength": 4}),
    )
    region = forms.CharField(
        label=_("Region"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "console-regions"}),
    )
    patronymic = forms.CharField(
        label=_("Father's name"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    query: PeopleQuery | None = None

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None:
            try:
                birth_year_checked(year)
            except DomainError as refusal:
                raise forms.ValidationError(refusal.message, code=refusal.code) from refusal
        return year

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.query = people_query(cleaned["q"], birth_year=cleaned.get("birth_year"),
                                      region=cleaned.get("region") or "",
                                      patronymic=cleaned.get("patronymic") or "")
        except DomainError as refusal:
            self.add_error("region" if refusal.code == "unknown_region" else "q",
                           refusal.message)
        return cleaned


class OpenReasonForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you opening this citizen's records?"),
                               choices=(("", "—"), *REASONS),
                               help_text=_("The citizen will see this reason in their "
                                           "access log."))
    other = forms.CharField(label=_("Other reason"), max_length=300, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == OTHER_REASON and not (cleaned.get("other") or "").strip():
            self.add_error("other", _("Write the reason."))
        return cleaned

    def reason_text(self) -> str:
        """The reason as the access log stores it."""
        code = self.cleaned_data["reason"]
        if code == OTHER_REASON:
            return self.cleaned_data["other"].strip()
        return str(dict(REASONS)[code])


class CallNoteForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic of the call"), choices=Topic.choices)
    topic_other = forms.CharField(label=_("Other topic"), max_length=200, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=OUTCOME_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))


class _Select(forms.Select):
    """A select that reads its options from the database once, when it is drawn.

    Django's Select reads the first option to decide on the ``required`` attribute, which
    for a model choice is a query of its own. These selects never carry it: they have no
    empty first option (so Django would leave it out) or are optional.
    """

    def use_required_attribute(self, initial: object) -> bool:
        return False


class _OptionsIterator(ModelChoiceIterator):
    """The options from one plain query, kept with the field's queryset.

    Django reads model choices through a server-side cursor (declare, fetch, close: a
    round trip each), meant for long lists; these are a few dozen rows on a page the
    agent opens for every call.
    """

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class _ModelChoiceField(forms.ModelChoiceField):
    iterator = _OptionsIterator


class AgentComplaintForm(forms.Form):
    category: forms.ModelChoiceField[Category] = _ModelChoiceField(
        label=_("Category"), queryset=None, empty_label=None, widget=_Select)
    text = forms.CharField(label=_("The complaint, as the citizen put it"),
                           max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    decision: forms.ModelChoiceField[DecisionEntry] = _ModelChoiceField(
        label=_("Decision contested"), queryset=None, required=False, empty_label=_("none"),
        widget=_Select)

    def __init__(self, *args, person_id: int, **kwargs) -> None:
        super().__init__(*args, prefix="complaint", **kwargs)
        self.fields["category"].queryset = complaint_categories()  # type: ignore[attr-defined]
        self.fields["decision"].queryset = (  # type: ignore[attr-defined]
            complaint_decisions_to_contest(person_id))


class VisitSearchForm(forms.Form):
    """Step one of booking for the caller: which service, where and which day."""

    service: forms.ModelChoiceField[Service] = _ModelChoiceField(
        label=_("Service"), queryset=None, empty_label=None, widget=_Select)
    centre: forms.ModelChoiceField[Centre] = _ModelChoiceField(
        label=_("Centre"), queryset=None, empty_label=None, to_field_name="code",
        widget=_Select)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The options need only the titles (and booking, whether it is bookable): a
        # service's row also holds its long descriptions and search documents.
        self.fields["service"].queryset = bookable_services().only(  # type: ignore[attr-defined]
            "id", "title_az", "title_en", "title_ru", "active", "bookable")
        self.fields["centre"].queryset = open_centres()  # type: ignore[attr-defined]
