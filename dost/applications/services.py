"""Writes to applications: submit, withdraw, staff decisions and the message thread.

Statuses move only along ``models.TRANSITIONS``; every move is a timeline event.
The citizen is told by SMS when staff need something from them, when a
decision is made and when staff write to them (queued in the same transaction).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Role
from dost.applications.form_base import ApplicationForm
from dost.applications.forms import MESSAGE_MAX_DOCUMENTS, MESSAGE_MAX_LENGTH
from dost.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationMessage,
)
from dost.applications.registry import ApplicationType, application_type
from dost.applications.selectors import prefilled_facts
from dost.applications.statuses import OPEN_STATUSES, TRANSITIONS, Status
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind, Subject, channel_for_role
from dost.audit.services import access_record
from dost.errors import DomainError
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.evidence import evidence_content_type, validate_evidence_file
from dost.registry.models import Person

if TYPE_CHECKING:
    from dost.accounts.models import User

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
# The citizen is told of these by SMS; "in review" is only on the portal.
_NOTIFIED_STATUSES = frozenset({Status.NEEDS_INFORMATION, Status.APPROVED, Status.REJECTED})
_NOTE_REQUIRED = frozenset({Status.NEEDS_INFORMATION, Status.REJECTED})
# Decisions on the application itself: appended to the hash-chained decision log.
_DECISIONS = frozenset({Status.APPROVED, Status.REJECTED})


class InvalidApplication(DomainError):
    """The type's form refused the answers; ``form`` holds the errors, field by field."""

    def __init__(self, form: ApplicationForm) -> None:
        super().__init__(_("Please correct the errors below."), code="invalid_form")
        self.form = form


def application_form(*, kind: ApplicationType, person: Person, data: Any = None,
                     files: Any = None) -> ApplicationForm:
    """The type's form for ``person``: only what the state lacks, plus the papers it needs."""
    return kind.form_class(data=data, files=files, person=person,
                           documents=kind.documents(person))


def _is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES or user.is_superuser


def application_submit(*, person: Person, type_code: str, data: Any, files: Any = None,
                       submitted_by: User) -> Application:
    """Validate the answers with the type's form and file the application.

    Stores the answers, a snapshot of the pre-filled facts and the papers,
    writes the first timeline event and runs the type's ``on_submit`` and
    ``decide`` hooks, all in one transaction: a refused form, a refusing hook
    or any failure saves nothing (files already stored are removed again).
    Raises ``InvalidApplication`` (with the bound form) for bad answers.
    """
    try:
        kind = application_type(type_code)
    except LookupError:
        raise DomainError(_("There is no such service to apply for."),
                          code="unknown_type") from None
    if submitted_by.person_id != person.pk:
        raise DomainError(_("You can apply only for yourself."), code="not_applicant")
    if not person.is_alive:
        raise DomainError(_("The registry records this person as deceased."), code="deceased")
    form = application_form(kind=kind, person=person, data=data, files=files)
    if not form.is_valid():
        raise InvalidApplication(form)
    _refuse_second_open(person=person, kind=kind)
    facts = prefilled_facts(kind, person)

    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            application = Application.objects.create(
                person=person, type_code=kind.code, status=Status.SUBMITTED,
                data=form.application_data(), prefilled=facts,
                created_at=now, submitted_at=now, status_changed_at=now,
            )
            application.reference = f"{timezone.localtime(now):%Y}-{application.pk:07d}"
            application.save(update_fields=["reference"])
            ApplicationEvent.objects.create(application=application, status_to=Status.SUBMITTED,
                                            actor=submitted_by, at=now)
            for requirement, upload in form.uploaded_documents():
                _store_document(application, upload, stored=stored,
                                requirement=requirement.code)
            if kind.on_submit is not None:
                kind.on_submit(application)
            if kind.decide is not None:
                decision = kind.decide(application)
                if decision is not None:
                    _move(application, to=decision.status, actor=None, note=decision.note)
    except IntegrityError as exc:
        _remove_files(stored)
        # Two submissions at once: the partial unique constraint let one through.
        _refuse_second_open(person=person, kind=kind)
        raise DomainError(_("The application could not be saved. Please try again."),
                          code="not_saved") from exc
    except BaseException:
        _remove_files(stored)
        raise
    return application


def _refuse_second_open(*, person: Person, kind: ApplicationType) -> None:
    existing = Application.objects.filter(person=person, type_code=kind.code,
                                          status__in=sorted(OPEN_STATUSES)).first()
    if existing is not None:
        raise DomainError(
            _("You already have an open application for this service (%(reference)s). "
              "Follow it on its page, or withdraw it first.") % {"reference": existing.reference},
            code="already_open",
        )


def _store_document(application: Application, upload: UploadedFile, *, stored: list[str],
                    requirement: str = "",
                    message: ApplicationMessage | None = None) -> ApplicationDocument:
    """Save one checked paper; its stored name is added to ``stored`` for the cleanup."""
    document = ApplicationDocument(
        application=application, message=message, requirement=requirement,
        original_name=PurePath(upload.name or "").name[:255],
        content_type=evidence_content_type(upload), size=upload.size or 0,
    )
    # A random name: the citizen's file name stays out of paths and URLs.
    suffix = PurePath(upload.name or "").suffix.lower()
    document.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    if document.file.name is None:  # saving names the file as the storage stored it
        raise RuntimeError("The stored document has no name.")
    stored.append(document.file.name)
    document.save()
    return document


def _remove_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _move(application: Application, *, to: str, actor: User | None,
          note: str = "") -> ApplicationEvent:
    """Change the status along an allowed transition and record it; the caller holds the row."""
    current = application.status
    if to not in TRANSITIONS.get(current, frozenset()):
        raise DomainError(
            _("An application that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Status(current).label, "new": _status_label(to)},
            code="transition_forbidden",
        )
    now = timezone.now()
    application.status = to
    application.status_changed_at = now
    application.save(update_fields=["status", "status_changed_at"])
    event = ApplicationEvent.objects.create(application=application, status_from=current,
                                            status_to=to, actor=actor, note=note, at=now)
    if to in _NOTIFIED_STATUSES:
        _tell_citizen(application, template="application_status",
                      dedupe_key=f"application-event:{event.pk}")
    if to in _DECISIONS:
        _log_decision(application, status_from=current, actor=actor, note=note)
    return event


def _log_decision(application: Application, *, status_from: str, actor: User | None,
                  note: str) -> None:
    # Who decided: the officer, or the type's rule (its code) when it settled the
    # application at once. The facts it was decided on are only hashed: they stay
    # with the application, out of the permanent log.
    decision_record(
        kind=DecisionKind.APPLICATION, subject=application.reference,
        decided_by=f"official:{actor.pk}" if actor is not None else application.type_code,
        person_id=application.person_id,
        details={"application": application.pk, "type": application.type_code,
                 "status_from": status_from, "status": application.status, "reason": note},
        facts={"prefilled": application.prefilled, "answers": application.data},
    )


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _tell_citizen(application: Application, *, template: str, dedupe_key: str) -> None:
    message = sms_enqueue(
        person=application.person, template=template, dedupe_key=dedupe_key,
        context={"reference": application.reference, "type": application.type_code,
                 "status": application.status},
    )
    if message is not None:
        schedule_delivery()


def _locked(application: Application) -> Application:
    """The application re-read under a row lock, so two decisions cannot cross."""
    return Application.objects.select_for_update(of=("self",)).select_related("person").get(
        pk=application.pk)


def application_status_change(*, application: Application, status: str, actor: User,
                              note: str = "", ip_address: str | None = None) -> ApplicationEvent:
    """Staff move an application on; a refusal or a request for information needs a note.

    Writes the timeline event, an access record in the citizen's log (the
    officer worked with their data) and, for a decision or a request, an SMS.
    """
    if not _is_staff(actor):
        raise DomainError(_("Only DOST staff can decide on applications."), code="not_staff")
    note = (note or "").strip()
    if status in _NOTE_REQUIRED and not note:
        raise DomainError(_("Tell the citizen what is needed or why the application is refused."),
                          code="note_required")
    with transaction.atomic():
        locked = _locked(application)
        event = _move(locked, to=status, actor=actor, note=note)
        _log_staff_access(locked, actor=actor, ip_address=ip_address,
                          reason=gettext_lazy("Decision on application %(reference)s"))
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    return event


def application_open_for_staff(*, application: Application, actor: User,
                               ip_address: str | None = None) -> None:
    """Record in the citizen's access log that an officer opened their application."""
    if not _is_staff(actor):
        raise DomainError(_("Only DOST staff can process applications."), code="not_staff")
    _log_staff_access(application, actor=actor, ip_address=ip_address,
                      reason=gettext_lazy("Processing application %(reference)s"))


def _log_staff_access(application: Application, *, actor: User, ip_address: str | None,
                      reason: Promise) -> None:
    # Stored in the citizen's own language: the log is theirs to read.
    with translation.override(application.person.language):
        text = str(reason) % {"reference": application.reference}
    access_record(
        person_id=application.person_id, actor_id=actor.pk, channel=channel_for_role(actor.role),
        # The page shows the facts taken from the registry record with the answers.
        what=Subject.REGISTRY_RECORD, reason=text, ip_address=ip_address,
    )


def application_withdraw(*, application: Application, user: User,
                         note: str = "") -> ApplicationEvent:
    """The citizen takes back their own application while it is still open."""
    if user.person_id != application.person_id:
        raise DomainError(_("Only the applicant can withdraw an application."),
                          code="not_applicant")
    with transaction.atomic():
        locked = _locked(application)
        event = _move(locked, to=Status.WITHDRAWN, actor=user, note=(note or "").strip())
    application.status = locked.status
    application.status_changed_at = locked.status_changed_at
    return event


def application_message_post(*, application: Application, author: User, body: str,
                             documents: Sequence[UploadedFile] = ()) -> ApplicationMessage:
    """Add a message to the thread, with up to ``MESSAGE_MAX_DOCUMENTS`` papers.

    A citizen's answer to a request for information puts the application back
    in review, and only that answer may carry papers (checked by their content;
    one bad file refuses the whole message and nothing is stored); a message
    from staff is announced to the citizen by SMS.
    """
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), code="empty_message")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise DomainError(
            _("A message may be at most %(limit)s characters.") % {"limit": MESSAGE_MAX_LENGTH},
            code="message_too_long")
    from_staff = _is_staff(author)
    if not from_staff and author.person_id != application.person_id:
        raise DomainError(_("Only the applicant and DOST staff can write here."),
                          code="not_participant")
    documents = list(documents)
    if documents:
        _check_reply_documents(documents, from_staff=from_staff)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(application)
            if locked.status == Status.WITHDRAWN:
                raise DomainError(_("This application was withdrawn; messages are closed."),
                                  code="withdrawn")
            if documents and locked.status != Status.NEEDS_INFORMATION:
                raise DomainError(
                    _("Documents can be sent only in answer to a request for information."),
                    code="documents_not_requested")
            message = ApplicationMessage.objects.create(application=locked, author=author,
                                                        from_staff=from_staff, body=body)
            for upload in documents:
                _store_document(locked, upload, stored=stored, message=message)
            if from_staff:
                _tell_citizen(locked, template="application_message",
                              dedupe_key=f"application-message:{message.pk}")
            elif locked.status == Status.NEEDS_INFORMATION:
                _move(locked, to=Status.IN_REVIEW, actor=author,
                      note=_("The applicant answered."))
    except BaseException:
        _remove_files(stored)
        raise
    application.status = locked.status
    return message


def _check_reply_documents(documents: list[UploadedFile], *, from_staff: bool) -> None:
    if from_staff:
        raise DomainError(_("Only the applicant can attach documents to a message."),
                          code="documents_not_requested")
    if len(documents) > MESSAGE_MAX_DOCUMENTS:
        raise DomainError(
            _("Attach at most %(limit)s documents to one message.")
            % {"limit": MESSAGE_MAX_DOCUMENTS}, code="too_many_documents")
    for upload in documents:
        try:
            validate_evidence_file(upload)
        except ValidationError as exc:
            raise DomainError(
                _("“%(name)s” was not accepted: %(problem)s")
                % {"name": PurePath(upload.name or "").name, "problem": " ".join(exc.messages)},
                code="bad_document") from None


def applications_settle_by_rule(*, cursor: Any, settled_sql: str,
                                params: dict[str, Any] | None = None) -> int:
    """Settle many applications at once, as their type's rule decided them.

    ``settled_sql`` selects ``application_id``, ``status`` ("approved" or "rejected")
    and ``note``. Only applications still open move; each gets its timeline event
    (no actor: a rule decided). One statement, whatever the number. The type that
    decided tells the citizen and writes the decision log itself, in its own words.
    Returns how many applications moved.
    """
    cursor.execute(
        f"""
        WITH settled AS ({settled_sql}),
        moved AS (
            UPDATE applications_application a
            SET status = s.status, status_changed_at = statement_timestamp()
            FROM settled s, applications_application old
            WHERE a.id = s.application_id AND old.id = a.id AND a.status = ANY(%(_open)s)
              AND s.status = ANY(%(_decisions)s)
            RETURNING a.id, s.note, old.status AS status_from, a.status AS status_to
        )
        INSERT INTO applications_applicationevent
            (application_id, status_from, status_to, actor_id, note, at)
        SELECT id, status_from, status_to, NULL, coalesce(note, ''), statement_timestamp()
        FROM moved
        """,  # noqa: S608 (the caller's own SQL)
        {**(params or {}), "_open": sorted(OPEN_STATUSES), "_decisions": sorted(_DECISIONS)},
    )
    return cursor.rowcount
