"""The registry of application types that subsystems plug in from their ``AppConfig.ready()``.

An application type is a service a citizen applies for on the portal. The
state never asks for what it already holds:

* ``prefill(person)`` returns the facts the registry holds that the decision
  relies on, each with the institution it came from. They are shown read-only
  and stored with the application as a snapshot.
* ``form_class`` asks only for the rest. It is an ``ApplicationForm`` built
  with the person, so it can drop a field the state already knows (no IBAN
  field when a bank account is on file).
* ``documents(person)`` lists papers only where the state lacks the data.
* ``on_submit(application)`` runs in the submitting transaction (its refusal
  saves nothing); ``decide(application)`` may settle the application at once
  when a rule can, returning a ``Decision``, or ``None`` to leave it to staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from dost.applications.form_base import ApplicationForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from dost.applications.models import Application
    from dost.registry.models import Person

FactValue = str | Promise | int | Decimal | dt.date


@dataclass(frozen=True)
class PrefilledFact:
    """A fact the state holds: shown to the citizen, never asked of them."""

    label: StrOrPromise
    value: FactValue
    # Code of the ``dost.registry.Source`` institution the fact came from.
    source: str
    recorded_at: dt.datetime | dt.date | None = None


@dataclass(frozen=True)
class DocumentRequirement:
    """A paper the citizen uploads because the state does not hold the fact it proves."""

    code: str
    title: StrOrPromise
    required: bool = True
    help_text: StrOrPromise = ""


@dataclass(frozen=True)
class Decision:
    """What a rule decided: ``status`` is "approved" or "rejected"; ``note`` says why."""

    status: str
    note: str


def _no_documents(person: Person) -> list[DocumentRequirement]:
    return []


@dataclass(frozen=True)
class ApplicationType:
    code: str
    title: StrOrPromise
    form_class: type[ApplicationForm]
    prefill: Callable[[Person], dict[str, PrefilledFact]]
    documents: Callable[[Person], list[DocumentRequirement]] = _no_documents
    on_submit: Callable[[Application], None] | None = None
    decide: Callable[[Application], Decision | None] | None = None
    description: StrOrPromise = ""

    def __post_init__(self) -> None:
        if not self.code.replace("_", "").isalnum() or self.code != self.code.lower():
            raise ValueError(f"Application type code {self.code!r}: lowercase letters, digits, _")
        if not issubclass(self.form_class, ApplicationForm):
            raise TypeError(f"{self.code}: form_class must be an ApplicationForm")


_TYPES: dict[str, ApplicationType] = {}


def register_application_type(application_type: ApplicationType) -> ApplicationType:
    """Add a type (from an AppConfig.ready()); a code may be registered once.

    Registering the same definition again does nothing, so a ``ready()`` run
    twice (as in some test set-ups) is harmless.
    """
    existing = _TYPES.get(application_type.code)
    if existing is not None and existing != application_type:
        raise ValueError(f"Application type {application_type.code} is registered twice.")
    _TYPES[application_type.code] = application_type
    return application_type


def unregister_application_type(code: str) -> None:
    """Remove a type; for tests that register their own."""
    _TYPES.pop(code, None)


def application_type(code: str) -> ApplicationType:
    try:
        return _TYPES[code]
    except KeyError as exc:
        raise LookupError(f"No application type {code} is registered.") from exc


def application_types() -> list[ApplicationType]:
    """Every registered type, in the order the apps registered them."""
    return list(_TYPES.values())
