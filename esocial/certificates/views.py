"""E-certificates: the citizen issues and downloads them; anyone can check one."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dost.accounts.decorators import own_person, role_required
from dost.accounts.models import Role
from dost.certificates import services
from dost.certificates.registry import CertificateKind, certificate_kind, certificate_kinds
from dost.certificates.selectors import (
    Verification,
    certificate_of_holder,
    certificate_verification,
    certificates_of,
)
from dost.errors import DomainError
from dost.http import client_ip
from esocial.certificates.forms import IssueForm, VerifyForm

if TYPE_CHECKING:
    from dost.registry.models import Person

# Codes carry 60 random bits, so guessing is hopeless anyway; the limit keeps the
# public page from being used to probe or scrape at volume.
VERIFICATIONS_PER_WINDOW = getattr(settings, "CERTIFICATE_VERIFICATIONS_PER_WINDOW", 30)
VERIFICATION_WINDOW_SECONDS = getattr(settings, "CERTIFICATE_VERIFICATION_WINDOW_SECONDS", 300)


@dataclass(frozen=True)
class Offer:
    kind: CertificateKind
    form: IssueForm | None  # None when there is nothing to certify (no awards yet)




def _offers(person: Person, bound: IssueForm | None = None) -> list[Offer]:
    offers = []
    for kind in certificate_kinds():
        if bound is not None and bound.kind == kind:
            offers.append(Offer(kind, bound))
            continue
        choices = kind.choice.values(person) if kind.choice else None
        if kind.choice is not None and not choices:
            offers.append(Offer(kind, None))
        else:
            offers.append(Offer(kind, IssueForm(kind=kind, choices=choices)))
    return offers


def _list_page(request: HttpRequest, person: Person, *, bound: IssueForm | None = None,
               status: int = 200) -> HttpResponse:
    return render(request, "esocial/certificates/list.html", {
        "offers": _offers(person, bound),
        "certificates": certificates_of(person.pk),
    }, status=status)


@role_required(Role.CITIZEN)
def certificate_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, own_person(request))


@role_required(Role.CITIZEN)
@require_POST
def certificate_issue(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    kind = certificate_kind(request.POST.get("kind", ""))
    if kind is None:
        messages.error(request, _("There is no such certificate."))
        return _list_page(request, person, status=400)
    choices = kind.choice.values(person) if kind.choice else None
    form = IssueForm(request.POST, kind=kind, choices=choices)
    if form.is_valid():
        try:
            certificate = services.certificate_issue(
                person=person, kind=kind.code, options=form.options,
                shared=form.cleaned_data["share"], language=request.LANGUAGE_CODE,
                base_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            form.add_error("choice" if "choice" in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your certificate is ready. Its verification code is "
                                        "%(code)s.") % {"code": certificate.grouped_code})
            return redirect("esocial:certificate_list")
    return _list_page(request, person, bound=form, status=400)


@role_required(Role.CITIZEN)
@never_cache
def certificate_download(request: HttpRequest, pk: int) -> FileResponse:
    certificate = certificate_of_holder(person_id=own_person(request).pk, pk=pk)
    if certificate is None:
        raise Http404
    return FileResponse(io.BytesIO(bytes(certificate.pdf)), as_attachment=True,
                        filename=f"dost-{certificate.kind}-{certificate.grouped_code}.pdf",
                        content_type="application/pdf")


@role_required(Role.CITIZEN)
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = certificate_of_holder(person_id=own_person(request).pk, pk=pk)
    if certificate is None:
        raise Http404
    services.certificate_revoke(certificate=certificate)
    messages.success(request, _("Certificate %(code)s is revoked: checking it now says so.")
                     % {"code": certificate.grouped_code})
    return redirect("esocial:certificate_list")


def _over_the_limit(request: HttpRequest) -> bool:
    """Count one check for the caller's address; True once the window's allowance is spent."""
    key = f"certificate-verify:{client_ip(request) or ''}"
    cache.add(key, 0, timeout=VERIFICATION_WINDOW_SECONDS)
    try:
        checks = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=VERIFICATION_WINDOW_SECONDS)
        checks = 1
    return checks > VERIFICATIONS_PER_WINDOW


def _verify_page(request: HttpRequest, form: VerifyForm, *,
                 verification: Verification | None = None, too_many: bool = False,
                 status: int = 200) -> HttpResponse:
    return render(request, "esocial/certificates/verify.html",
                  {"form": form, "verification": verification, "too_many": too_many},
                  status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _verify_page(request, VerifyForm(), too_many=True, status=429)


@never_cache
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Public: check a code, and optionally that an uploaded PDF is the issued file."""
    if request.method != "POST":
        return _verify_page(request, VerifyForm())
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verify_page(request, form, status=400)
    if _over_the_limit(request):
        return _too_many(request)
    verification = certificate_verification(code=form.cleaned_data["code"],
                                            pdf_chunks=form.pdf_chunks())
    return _verify_page(request, form, verification=verification)


@never_cache
def certificate_verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Public: where the QR code leads; says whether the certificate is genuine and valid."""
    if _over_the_limit(request):
        return _too_many(request)
    verification = certificate_verification(code=code)
    form = VerifyForm(initial={"code": code})
    return _verify_page(request, form, verification=verification,
                        status=200 if verification.found else 404)
