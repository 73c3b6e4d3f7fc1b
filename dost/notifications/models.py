"""The SMS outbox.

The proactive engine inserts rows with raw ``INSERT ... SELECT`` in the
transaction that awards a benefit, supplying only person, phone, language,
template, context and dedupe key. Every other column therefore has a database
default (``db_default``), and the statuses are enforced by a check constraint,
which Django's ``choices`` alone are not. The text is rendered only when the
message is sent, in the recipient's language.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

# Digits of a phone number left visible wherever staff see a list of messages.
VISIBLE_PHONE_DIGITS = 4


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    # Twilio's own intermediate state; reported by callbacks, which we ignore.
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    UNDELIVERED = "undelivered", _("undelivered")


class SmsMessage(models.Model):
    """One SMS to one person, delivered by ``sms_deliver_due`` and never deleted."""

    Status = SmsStatus

    # Covered by the (person, created_at) index below.
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="sms_messages", db_index=False
    )
    # Copied from the person when queued, so a later change of number does not
    # redirect a message about an earlier decision.
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=2)
    template = models.CharField(_("template"), max_length=64)
    context = models.JSONField(_("context"))
    # The caller's idempotency key (``award:123``): a retried award queues nothing twice.
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, db_default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), db_default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    # The provider's message id (Twilio's SID), by which delivery reports find the message.
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True, db_default="")
    last_error = models.TextField(_("last error"), blank=True, db_default="")
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        indexes = [
            # The sender's "what is due" query reads only queued rows, a small slice.
            models.Index(
                fields=["next_attempt_at"], name="smsmessage_due_idx", condition=Q(status="queued")
            ),
            # Delivery reports look messages up by the provider's id; unsent rows have none.
            models.Index(
                fields=["provider_id"],
                name="smsmessage_provider_id_idx",
                condition=~Q(provider_id=""),
            ),
            models.Index(fields=["person", "created_at"], name="smsmessage_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SmsStatus.values), name="smsmessage_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dedupe_key} {self.template} {self.status}"

    @property
    def masked_phone(self) -> str:
        """The number with all but its last digits hidden, for lists and logs."""
        hidden = max(len(self.phone) - VISIBLE_PHONE_DIGITS, 0)
        return "*" * hidden + self.phone[hidden:]
