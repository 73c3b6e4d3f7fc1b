"""The registry of certificate kinds that apps plug in from their ``AppConfig.ready()``.

A kind names a certificate the portal can issue (an award statement, an
employment record, a pension capital statement), the template its PDF is
rendered from, and ``build(person, **options)``, which gathers the facts
through the owning app's selectors and returns the template context.

The context holds one reserved key, ``"facts"``: a mapping from fact code to a
plain value (text or a list of texts), every fact the holder may choose to
show on the public verification page. The kind groups them in
``shareable_fields``; the holder ticks groups when issuing, and only the facts
of the ticked groups are stored for verification. Every kind also offers
``HOLDER_NAME`` (the full name; otherwise the page shows a masked name).

``build`` refuses with ``dost.errors.DomainError`` when the options name
something that is not the person's (another citizen's award) or nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dost.registry.models import Person

FACTS = "facts"


@dataclass(frozen=True)
class ShareableField:
    """A group of facts the holder may show to whoever checks the certificate."""

    code: str
    label: str | Promise
    # (fact code, label) pairs; the codes are the keys ``build`` returns under "facts".
    facts: tuple[tuple[str, str | Promise], ...]


@dataclass(frozen=True)
class Choice:
    """Something the citizen picks when asking for the certificate, e.g. which award.

    ``values(person)`` lists the (value, label) pairs the person may pick; the
    picked value is passed to ``build`` as the keyword ``name``.
    """

    name: str
    label: str | Promise
    values: Callable[[Person], list[tuple[str, str]]]
    # Shown instead of the form when there is nothing to pick.
    empty_message: str | Promise


@dataclass(frozen=True)
class CertificateKind:
    code: str
    title: str | Promise
    template: str
    build: Callable[..., dict[str, Any]]
    shareable_fields: tuple[ShareableField, ...] = ()
    description: str | Promise = ""
    choice: Choice | None = None

    @property
    def all_shareable_fields(self) -> tuple[ShareableField, ...]:
        return (HOLDER_NAME, *self.shareable_fields)

    def fact_label(self, fact: str) -> str:
        """The label of a fact code in the active language; the code itself if unknown."""
        for field in self.all_shareable_fields:
            for code, label in field.facts:
                if code == fact:
                    return str(label)
        return fact


HOLDER_NAME_FACT = "holder_name"
HOLDER_NAME = ShareableField("name", _("my full name"), ((HOLDER_NAME_FACT, _("Holder")),))

_KINDS: dict[str, CertificateKind] = {}


def register_certificate_kind(kind: CertificateKind) -> CertificateKind:
    """Add a kind (from an AppConfig.ready()); a code may be registered once."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Certificate kind {kind.code} is registered twice.")
    field_codes = [field.code for field in kind.all_shareable_fields]
    fact_codes = [code for field in kind.all_shareable_fields for code, _label in field.facts]
    for codes, what in ((field_codes, "shareable field"), (fact_codes, "fact")):
        if len(codes) != len(set(codes)):
            raise ValueError(f"Certificate kind {kind.code}: a {what} code is used twice.")
    _KINDS[kind.code] = kind
    return kind


def certificate_kinds() -> list[CertificateKind]:
    return list(_KINDS.values())


def certificate_kind(code: str) -> CertificateKind | None:
    return _KINDS.get(code)
