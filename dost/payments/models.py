"""Bank requests (an outbox) and monthly payment schedules.

The proactive engine writes these tables with raw ``INSERT ... SELECT`` in the
transaction that awards a benefit, supplying only the business columns. Every
other column therefore has a database default (``db_default``), and the choices
are enforced by check constraints, which Django's ``choices`` alone are not.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class BankRequest(models.Model):
    """One request to the paying bank, delivered by ``bank_requests_deliver_due``."""

    class Kind(models.TextChoices):
        # The citizen has no account: the bank opens a card account and reports its IBAN.
        OPEN_ACCOUNT = "open_account", _("open a card account")
        PAYMENT = "payment", _("one-off payment")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        # Accepted by the bank, which will report the outcome later.
        SENT = "sent", _("sent to the bank")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected by the bank")
        FAILED = "failed", _("failed")
        # Not sent, because the award it paid was annulled.
        CANCELLED = "cancelled", _("cancelled")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="bank_requests")
    # The caller's idempotency key (``award:123``); also sent to the bank so that a
    # retry after a lost reply cannot open a second account or pay twice.
    reference = models.CharField(_("reference"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    iban = models.CharField(_("IBAN"), max_length=28, blank=True, db_default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              db_default=Status.QUEUED)
    # Every try counts, the successful one included.
    attempts = models.PositiveSmallIntegerField(_("attempts"), db_default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    bank_reference = models.CharField(_("bank's reference"), max_length=64, blank=True,
                                      db_default="")
    # An operator's log, in English like the bank's own messages, so not translated.
    last_error = models.TextField(_("last error"), blank=True, db_default="")
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank request")
        verbose_name_plural = _("bank requests")
        indexes = [
            # The sender's "what is due" query reads only queued rows, a small slice.
            models.Index(fields=["next_attempt_at"], name="bankrequest_due_idx",
                         condition=Q(status="queued")),
        ]
        constraints = [
            # A constraint rather than unique=True, which on PostgreSQL adds a second,
            # LIKE-pattern index that no query uses and every bulk insert would pay for.
            models.UniqueConstraint(fields=["reference"], name="bankrequest_reference_unique"),
            models.CheckConstraint(condition=Q(kind__in=["open_account", "payment"]),
                                   name="bankrequest_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "done", "rejected", "failed",
                                         "cancelled"]),
                name="bankrequest_status_valid",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bankrequest_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} {self.status}"


class PaymentSchedule(models.Model):
    """A monthly benefit paid from ``starts_on``'s month to ``ends_on``'s month inclusive."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        STOPPED = "stopped", _("stopped")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="payment_schedules")
    reference = models.CharField(_("reference"), max_length=120)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("first month paid"))
    # The last day of entitlement; its month is still paid in full.
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              db_default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    class Meta:
        verbose_name = _("payment schedule")
        verbose_name_plural = _("payment schedules")
        constraints = [
            # Not unique=True, for the reason given on BankRequest.
            models.UniqueConstraint(fields=["reference"],
                                    name="paymentschedule_reference_unique"),
            models.CheckConstraint(condition=Q(status__in=["active", "stopped"]),
                                   name="paymentschedule_status_valid"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0),
                                   name="paymentschedule_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.monthly_amount}/month"


class Payment(models.Model):
    """One month's payment of a schedule, planned by ``payments_plan_month``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent to the bank")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")

    # Money records outlive any clean-up of schedules.
    schedule = models.ForeignKey(PaymentSchedule, on_delete=models.PROTECT,
                                 related_name="payments", db_index=False)
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              db_default=Status.QUEUED)
    bank_reference = models.CharField(_("bank's reference"), max_length=64, blank=True,
                                      db_default="")
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # Makes re-planning a month, or two planners at once, unable to pay twice.
            # Its index also serves look-ups by schedule.
            models.UniqueConstraint(fields=["schedule", "month"], name="payment_schedule_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payment_month_first_day"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sent", "paid", "failed"]),
                name="payment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.month:%Y-%m} {self.amount}"
