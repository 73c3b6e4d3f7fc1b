"""Reads of applications, and the citizen's dashboard built from several core apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.utils import formats, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from dost.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationMessage,
    localised,
)
from dost.applications.registry import ApplicationType, PrefilledFact, application_type
from dost.applications.statuses import OPEN_STATUSES
from dost.errors import DomainError
from dost.notifications.selectors import sms_messages_of_person
from dost.notifications.templates import render_message
from dost.registry.models import Person, Source

LANGUAGES = ("az", "en", "ru")
DASHBOARD_NOTIFICATIONS = 10


@dataclass(frozen=True)
class FactShown:
    """A pre-filled fact as the citizen reads it, in the active language."""

    label: str
    value: str
    source: Source | None
    recorded_at: dt.date | None


def _in_each_language(value: object) -> dict[str, str]:
    """The value as text in every language, so a snapshot reads right whatever is chosen later."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            if isinstance(value, dt.date):
                texts[language] = formats.date_format(value, "SHORT_DATE_FORMAT")
            elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                texts[language] = formats.number_format(value)
            else:
                texts[language] = str(value)
    return texts


def facts_snapshot(facts: dict[str, PrefilledFact]) -> list[dict[str, Any]]:
    """Pre-filled facts as stored with an application (JSON)."""
    snapshot = []
    for key, fact in facts.items():
        recorded = fact.recorded_at
        if isinstance(recorded, dt.datetime):
            recorded = recorded.date()
        snapshot.append({
            "key": key,
            "label": _in_each_language(fact.label),
            "value": _in_each_language(fact.value),
            "source": fact.source,
            "recorded_at": recorded.isoformat() if recorded else None,
        })
    return snapshot


def facts_shown(snapshot: list[dict[str, Any]]) -> list[FactShown]:
    """A stored snapshot in the active language, with the source institutions (one query)."""
    sources = Source.objects.in_bulk({fact["source"] for fact in snapshot if fact["source"]})
    return [
        FactShown(
            label=localised(fact["label"]),
            value=localised(fact["value"]),
            source=sources.get(fact["source"]),
            recorded_at=parse_date(fact["recorded_at"]) if fact["recorded_at"] else None,
        )
        for fact in snapshot
    ]


def prefilled_facts(kind: ApplicationType, person: Person) -> list[dict[str, Any]]:
    """What the state holds for ``kind``, ready to show and to store."""
    return facts_snapshot(kind.prefill(person))


def applications_of_person(person_id: int) -> QuerySet[Application]:
    return Application.objects.filter(person_id=person_id).order_by("-created_at", "-id")


def application_of_person(*, person_id: int, pk: int) -> Application | None:
    """One of the person's own applications; None for anyone else's, so views answer 404."""
    return applications_of_person(person_id).filter(pk=pk).first()


def open_application_of_type(*, person_id: int, type_code: str) -> Application | None:
    """The person's application for this service still being handled, if any."""
    return applications_of_person(person_id).filter(type_code=type_code,
                                                    status__in=sorted(OPEN_STATUSES)).first()


def application_for_staff(pk: int) -> Application | None:
    return Application.objects.select_related("person").filter(pk=pk).first()


def application_with_history(application: Application) -> Application:
    """The application with its timeline, its messages with the papers each carried, and
    the papers filed with it as ``papers`` (four queries at most).
    """
    documents = ApplicationDocument.objects.order_by("uploaded_at", "id")
    prefetch_related_objects(
        [application],
        Prefetch("events", ApplicationEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("messages",
                 ApplicationMessage.objects.select_related("author").order_by("at", "id")
                 .prefetch_related(Prefetch("documents", documents))),
        Prefetch("documents", documents.filter(message__isnull=True), to_attr="papers"),
    )
    return application


def application_document(*, application: Application, pk: int) -> ApplicationDocument | None:
    return application.documents.filter(pk=pk).first()


def staff_queue(*, status: str | None = None) -> QuerySet[Application]:
    """Open applications, the longest waiting first."""
    statuses = [status] if status in OPEN_STATUSES else sorted(OPEN_STATUSES)
    return (
        Application.objects.filter(status__in=statuses)
        .select_related("person")
        .order_by("status_changed_at", "id")
    )


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


def submitted_answers(application: Application) -> list[Answer]:
    """The citizen's answers with the labels of the type's form, in the active language."""
    try:
        fields = application_type(application.type_code).form_class.base_fields
    except LookupError:
        fields = {}
    answers = []
    for name, value in application.data.items():
        field = fields.get(name)
        answers.append(Answer(str(field.label) if field and field.label else name,
                              _answer_text(field, value)))
    return answers


def _answer_text(field: forms.Field | None, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.ChoiceField):
        # The stubs give the getter the setter's type (a callable, a mapping...): Django
        # has normalised the choices to (value, label) pairs by the time they are read.
        return str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
    return str(value)


@dataclass(frozen=True)
class Notification:
    text: str
    at: dt.datetime
    status: str


def notifications_of_person(person_id: int, *,
                            limit: int = DASHBOARD_NOTIFICATIONS) -> list[Notification]:
    """The SMS messages sent to the person, newest first, in the active language."""
    language = (translation.get_language() or "az")[:2]
    notifications = []
    for message in sms_messages_of_person(person_id=person_id)[:limit]:
        try:
            text = render_message(message.template, message.context, language)
        except (DomainError, KeyError):
            # A template since retired: the citizen still sees that a message was sent.
            text = str(_("A message from DOST."))
        notifications.append(Notification(text, message.created_at,
                                          message.get_status_display()))
    return notifications


def application_title(type_code: str) -> str:
    """The service's title in the reader's language; its code once no subsystem registers it
    (an application outlives the type it was made under)."""
    try:
        return str(application_type(type_code).title)
    except LookupError:
        return type_code


@dataclass(frozen=True)
class TypeApplications:
    """Applications submitted for one service, whatever became of them."""

    type_code: str
    applications: int

    @property
    def title(self) -> str:
        # Looked up on reading, in the reader's language: totals are cached and shared.
        return application_title(self.type_code)


def application_totals_by_type() -> list[TypeApplications]:
    """How many applications have been submitted for each service, in one query; drafts
    never sent are left out."""
    rows = (Application.objects.filter(submitted_at__isnull=False).values("type_code")
            .annotate(applications=Count("id")).order_by("type_code"))
    return [TypeApplications(row["type_code"], row["applications"]) for row in rows]
