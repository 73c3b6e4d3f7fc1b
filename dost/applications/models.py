"""E-applications: what a citizen asked for, its timeline, its messages and its papers.

Every type of application shares these tables; what differs (the form, the
facts pre-filled from the registry, the papers) is registered by the subsystem
that owns the service (see ``registry``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dost.applications.statuses import OPEN_STATUSES, TRANSITIONS, Status


class Application(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="applications", db_index=False)
    type_code = models.CharField(_("service"), max_length=64)
    # Given once the row exists (it is built from the id): year and number.
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    # What the citizen entered, as the type's form cleaned it (JSON-safe values).
    data = models.JSONField(_("submitted data"), default=dict, blank=True)
    # The facts the state held when the citizen applied, each with its source
    # and the labels in every language: the decision is explained from these.
    prefilled = models.JSONField(_("pre-filled facts"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["person", "-created_at"], name="application_person_idx"),
            # The staff queue reads open applications, oldest first.
            models.Index(fields=["status_changed_at"], name="application_open_idx",
                         condition=Q(status__in=sorted(OPEN_STATUSES))),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="application_status_valid"),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""),
                                    name="application_reference_unique"),
            # One open application per service: a second would be decided twice.
            models.UniqueConstraint(fields=["person", "type_code"],
                                    condition=Q(status__in=sorted(OPEN_STATUSES)),
                                    name="application_one_open_per_type"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return Status.WITHDRAWN in TRANSITIONS[self.status]


class ApplicationEvent(models.Model):
    """One step of the status timeline. ``actor`` is empty for a decision made by a rule."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="events", db_index=False)
    status_from = models.CharField(_("from"), max_length=20, choices=Status.choices,
                                   blank=True)
    status_to = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["application", "at"], name="application_event_idx")]

    def __str__(self) -> str:
        return f"{self.status_from}→{self.status_to}"

    @property
    def by_rule(self) -> bool:
        return self.actor_id is None


class ApplicationMessage(models.Model):
    """The thread between the citizen and the staff handling the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="messages", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    from_staff = models.BooleanField(_("from staff"))
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("application message")
        verbose_name_plural = _("application messages")
        indexes = [models.Index(fields=["application", "at"], name="application_message_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="application_message_not_empty"),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class ApplicationDocument(models.Model):
    """A paper filed with the application, or sent later with a message of the thread
    (the applicant's answer to a request for information)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents", db_index=False)
    message = models.ForeignKey(ApplicationMessage, on_delete=models.CASCADE, null=True,
                                blank=True, related_name="documents", db_index=False)
    # Which of the type's ``DocumentRequirement`` this paper answers; empty when it came
    # with a message.
    requirement = models.CharField(_("document"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        indexes = [
            models.Index(fields=["application"], name="application_document_idx"),
            models.Index(fields=["message"], name="application_doc_message_idx",
                         condition=Q(message__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.original_name


def localised(text: object) -> str:
    """Text stored in every language (``{"az": ..., "en": ...}``) in the active one."""
    if isinstance(text, dict):
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return text.get(language) or text.get(settings.LANGUAGE_CODE) or next(
            iter(text.values()), "")
    return "" if text is None else str(text)
