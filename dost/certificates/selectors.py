"""Reads of certificates: a holder's own, and the public check of a code or a PDF."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from dost.certificates.codes import normalize_code
from dost.certificates.models import Certificate
from dost.certificates.registry import HOLDER_NAME_FACT, CertificateKind, certificate_kind

# Compared against when no certificate has the code, so that an unknown code
# costs the same work as a known one.
_NO_HASH = "0" * 64


def certificates_of(person_id: int) -> QuerySet[Certificate]:
    """A holder's certificates, newest first, without the PDF bytes."""
    return (Certificate.objects.filter(holder_id=person_id).defer("pdf")
            .order_by("-issued_at", "-id"))


def certificate_of_holder(*, person_id: int, pk: int) -> Certificate | None:
    """The certificate ``pk`` with its PDF, only if ``person_id`` holds it."""
    return Certificate.objects.filter(holder_id=person_id, pk=pk).first()


@dataclass(frozen=True)
class Verification:
    certificate: Certificate | None
    # None when no PDF was given to compare.
    pdf_matches: bool | None

    @property
    def found(self) -> bool:
        return self.certificate is not None

    @property
    def kind(self) -> CertificateKind | None:
        return certificate_kind(self.certificate.kind) if self.certificate else None

    @property
    def holder(self) -> str:
        """The holder's full name if they chose to show it, else their initials."""
        if self.certificate is None:
            return ""
        return self.certificate.facts.get(HOLDER_NAME_FACT) or self.certificate.masked_name

    @property
    def shared_facts(self) -> list[tuple[str, list[str]]]:
        """(label, lines) of the other facts the holder chose to show, labels translated."""
        if self.certificate is None:
            return []
        kind = self.kind
        return [(kind.fact_label(code) if kind else code,
                 [str(line) for line in value] if isinstance(value, list) else [str(value)])
                for code, value in self.certificate.facts.items() if code != HOLDER_NAME_FACT]


def certificate_verification(*, code: str, pdf_chunks: Iterable[bytes] | None = None
                             ) -> Verification:
    """Whether ``code`` names a certificate, and whether the given PDF is that very file.

    The PDF is hashed and compared in constant time whether or not the code is
    known: the answer is the only thing that differs.
    """
    normalized = normalize_code(code)
    certificate = (Certificate.objects.defer("pdf").filter(code=normalized).first()
                   if normalized else None)
    if pdf_chunks is None:
        return Verification(certificate, None)
    digest = hashlib.sha256()
    for chunk in pdf_chunks:
        digest.update(chunk)
    expected = certificate.pdf_sha256 if certificate else _NO_HASH
    matches = hmac.compare_digest(digest.hexdigest(), expected)
    return Verification(certificate, matches if certificate else None)
