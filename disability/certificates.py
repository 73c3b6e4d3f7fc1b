"""The certificate of a disability determination, issued with the decision and on request."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disability.degrees import degree_label
from disability.models import RegisterEntry
from dost.certificates.registry import (
    FACTS,
    CertificateKind,
    Choice,
    ShareableField,
    register_certificate_kind,
)
from dost.errors import DomainError
from dost.formatting import format_date
from dost.registry.models import Person


def _findings_of(person: Person):
    return RegisterEntry.objects.filter(person=person, status__isnull=False) \
        .order_by("-determined_on", "-pk")


def degree_text(entry: RegisterEntry) -> str:
    return degree_label(entry.degree, under_18=entry.under_18)


def _choices(person: Person) -> list[tuple[str, str]]:
    return [(str(entry.pk), f"{format_date(entry.determined_on)} · {entry.percent} % · "
                            f"{degree_text(entry)}")
            for entry in _findings_of(person)]


def build_disability_finding(person: Person, *, entry: str | int | None = None) -> dict[str, Any]:
    """One of the person's determinations; another person's is as if it did not exist."""
    try:
        entry_id = int(entry) if entry is not None else None
    except ValueError:
        entry_id = None
    chosen = _findings_of(person).filter(pk=entry_id).first() if entry_id else None
    if chosen is None:
        raise DomainError(_("Choose one of your disability determinations."), code="no_entry")
    valid_until = (format_date(chosen.next_assessment_on) if chosen.next_assessment_on
                   else _("indefinitely"))
    return {
        "entry": chosen,
        "degree": degree_text(chosen),
        FACTS: {
            "percent": f"{chosen.percent} %",
            "degree": degree_text(chosen),
            "determined_on": format_date(chosen.determined_on),
            "valid_until": valid_until,
        },
    }


DISABILITY_FINDING = CertificateKind(
    code="disability_finding",
    title=gettext_lazy("Disability certificate"),
    description=gettext_lazy("The expert commission's determination of your disability: the "
                             "degree, the percentage of functional impairment and until when "
                             "it holds."),
    template="certificates/disability_finding.html",
    build=build_disability_finding,
    choice=Choice(
        name="entry",
        label=gettext_lazy("Determination"),
        values=_choices,
        empty_message=gettext_lazy("No disability has been determined for you."),
    ),
    shareable_fields=(
        ShareableField("degree", gettext_lazy("the degree and the percentage"), (
            ("degree", gettext_lazy("Degree")),
            ("percent", gettext_lazy("Functional impairment")),
        )),
        ShareableField("period", gettext_lazy("the dates"), (
            ("determined_on", gettext_lazy("Determined on")),
            ("valid_until", gettext_lazy("Valid until")),
        )),
    ),
)


def register_certificates() -> None:
    register_certificate_kind(DISABILITY_FINDING)
