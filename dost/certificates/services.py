"""Issuing and revoking certificates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dost.certificates.codes import group_code, new_code
from dost.certificates.models import Certificate
from dost.certificates.registry import (
    FACTS,
    HOLDER_NAME_FACT,
    CertificateKind,
    certificate_kind,
)
from dost.errors import DomainError
from dost.registry.models import Person

_NEW_CODE_ATTEMPTS = 5


def certificate_issue(
    *,
    person: Person,
    kind: str,
    options: Mapping[str, Any] | None = None,
    shared: Iterable[str] = (),
    language: str | None = None,
    base_url: str = "",
) -> Certificate:
    """Render a certificate of ``kind`` for ``person`` as a PDF and store it.

    ``options`` go to the kind's ``build`` (e.g. which award); ``shared`` names
    the shareable fields the holder agrees to show on the public verification
    page. The PDF is in ``language`` (the person's own by default) and carries
    the verification code and a QR code for the verification page under
    ``settings.PUBLIC_BASE_URL``, or ``base_url`` when that is not set.

    Side effects: one Certificate row holding the PDF, its SHA-256 and the
    shared facts. Refuses with DomainError, storing nothing, an unknown kind,
    field or language, or options the kind refuses.
    """
    certificate_type = _kind_or_refuse(kind)
    shared = sorted(set(shared))
    offered = {field.code for field in certificate_type.all_shareable_fields}
    if unknown := [code for code in shared if code not in offered]:
        raise DomainError(_("This certificate cannot share “%(field)s”.") % {"field": unknown[0]})
    language = language or person.language
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Certificates are issued in Azerbaijani, English or Russian."))
    code = _unused_code()
    issued_at = timezone.now()
    with translation.override(language):
        context = certificate_type.build(person, **dict(options or {}))
        facts = {HOLDER_NAME_FACT: person.full_name, **context.pop(FACTS, {})}
        verify_url = _public_url(reverse("esocial:certificate_verify_code",
                                         kwargs={"code": group_code(code)}), base_url)
        html = render_to_string(certificate_type.template, {
            **context,
            "kind": certificate_type,
            "holder": person,
            "code": group_code(code),
            "issued_at": issued_at,
            "verify_url": verify_url,
            "verify_page": _public_url(reverse("esocial:certificate_verify"), base_url),
            "qr_code": segno.make(verify_url, error="m").svg_data_uri(scale=4, border=0),
        })
    pdf = _render_pdf(html)
    return Certificate.objects.create(
        holder=person,
        kind=certificate_type.code,
        code=code,
        options={name: str(value) for name, value in (options or {}).items()},
        language=language,
        masked_name=masked_name(person),
        shared=shared,
        facts=_shared_facts(certificate_type, shared, facts),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=issued_at,
    )


def certificate_revoke(*, certificate: Certificate) -> Certificate:
    """Mark a certificate revoked: verification then says so. Revoking twice changes nothing."""
    if certificate.status != Certificate.Status.REVOKED:
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["status", "revoked_at"])
    return certificate


def masked_name(person: Person) -> str:
    """Initials only, with a fixed mask so the length of the name is not given away."""
    return " ".join(f"{name[0]}***" for name in (person.first_name, person.last_name) if name)


def _kind_or_refuse(code: str) -> CertificateKind:
    certificate_type = certificate_kind(code)
    if certificate_type is None:
        raise DomainError(_("There is no such certificate."), code="unknown_kind")
    return certificate_type


def _unused_code() -> str:
    # 60 random bits make a clash rare, not impossible over a country's years of
    # certificates; the unique constraint stays the last word.
    for _attempt in range(_NEW_CODE_ATTEMPTS):
        code = new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise DomainError(_("The certificate could not be issued; please try again."))


def _public_url(path: str, base_url: str) -> str:
    # The configured public address wins: a certificate must point to where
    # anyone can reach it, not to the host an internal request came through.
    return (settings.PUBLIC_BASE_URL or base_url).rstrip("/") + path


def _render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint takes a while to load and parses its default
    # stylesheets on import, which every other process (workers, commands) can skip.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Everything the PDF needs is inline (fonts come from the system); refusing
    # other URLs keeps rendering from fetching anything a template might name.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def _shared_facts(certificate_type: CertificateKind, shared: list[str],
                  facts: Mapping[str, Any]) -> dict[str, Any]:
    chosen = {code for field in certificate_type.all_shareable_fields if field.code in shared
              for code, _label in field.facts}
    return {code: value for code, value in facts.items() if code in chosen}
