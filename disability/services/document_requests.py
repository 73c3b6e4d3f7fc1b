"""An expert asks the referring facility for more documents; the facility answers.

Neither learns who the other is: the request goes to the facility whose keyed
hash the referral holds, and the answer's documents are stripped like the first
ones. While a request is open the case waits (``documents_requested``); an
answer puts it back before the commission.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from disability.documents import clean_document, documents_refused_for_size
from disability.models import (
    DocumentRequest,
    HealthFacility,
    MedicalDocument,
    Referral,
    ReferralState,
)
from disability.pseudonyms import facility_pseudonym
from dost.accounts.models import User
from dost.errors import DomainError

MAX_QUESTION_LENGTH = 2000


def document_request_ask(*, referral: Referral, expert: User, question: str) -> DocumentRequest:
    """Ask for more documents on an open case; one open request a case at a time."""
    question = question.strip()
    if not question:
        raise DomainError(_("Say which documents are needed."), code="question_missing")
    if len(question) > MAX_QUESTION_LENGTH:
        raise DomainError(_("Keep the request under %(count)s characters.")
                          % {"count": MAX_QUESTION_LENGTH}, code="question_too_long")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.state != ReferralState.ASSIGNED:
            raise DomainError(_("Documents can be requested only while the case waits for an "
                                "assessment."), code="case_not_waiting")
        request = DocumentRequest.objects.create(referral=referral, asked_by=expert,
                                                 question=question)
        referral.state = ReferralState.DOCUMENTS_REQUESTED
        referral.save(update_fields=["state"])
    return request


def document_request_answer(*, request: DocumentRequest, facility: HealthFacility,
                            documents: Sequence[UploadedFile], answer: str = "") -> DocumentRequest:
    """The facility's answer with its documents; refuses another facility's request."""
    if request.referral.facility_key != facility_pseudonym(facility.code):
        # Indistinguishable from a request that does not exist.
        raise DomainError(_("No such request."), code="not_found")
    if not documents:
        raise DomainError(_("Attach the documents the commission asked for."),
                          code="documents_missing")
    if refused := documents_refused_for_size(list(documents)):
        raise DomainError(refused.messages[0], code=refused.code or "documents")
    cleaned = []
    for upload in documents:
        try:
            cleaned.append(clean_document(upload))
        except ValidationError as error:
            raise DomainError(error.messages[0], code=error.code or "document") from error
    with transaction.atomic():
        request = DocumentRequest.objects.select_for_update().get(pk=request.pk)
        if request.answered_at is not None:
            raise DomainError(_("This request has already been answered."), code="answered")
        referral = Referral.objects.select_for_update().get(pk=request.referral_id)
        last = referral.documents.aggregate(last=Max("number"))["last"] or 0
        MedicalDocument.objects.bulk_create([
            MedicalDocument(referral=referral, number=last + offset,
                            content_type=document.content_type, content=document.content,
                            size=len(document.content), sha256=document.sha256)
            for offset, document in enumerate(cleaned, start=1)
        ])
        request.answered_at = timezone.now()
        request.answer = answer.strip()
        request.save(update_fields=["answered_at", "answer"])
        if referral.state == ReferralState.DOCUMENTS_REQUESTED:
            referral.state = ReferralState.ASSIGNED
            referral.save(update_fields=["state"])
    return request
