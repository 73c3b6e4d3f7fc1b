"""Awards granted by the proactive engine, and the scans that found them."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class ScanRun(models.Model):
    """One pass of every rule over the population, as of a date."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    on = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.RUNNING)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    people_scanned = models.PositiveBigIntegerField(default=0)
    # The rules this scan ran, and those of them it ran only for the people who may
    # have changed since the scan as of ``since`` (see dost.entitlements.incremental).
    rules = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    incremental_rules = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    since = models.DateField(_("changes since"), null=True, blank=True)
    people_rechecked = models.PositiveBigIntegerField(_("people rechecked"), default=0)
    awarded = models.PositiveBigIntegerField(default=0)
    # The wall clock, not the transaction's start: facts recorded earlier in the
    # same transaction must count as seen by this scan.
    started_at = models.DateTimeField(db_default=Func(function="clock_timestamp",
                                                      output_field=models.DateTimeField()))
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"scan {self.pk} as of {self.on}"

    @property
    def progress(self) -> float:
        return self.chunks_done / self.chunks_total if self.chunks_total else 0.0


class Frequency(models.TextChoices):
    ONCE = "once", _("lump sum")
    MONTHLY = "monthly", _("monthly")


class Award(models.Model):
    """A right granted without an application, with everything needed to explain it.

    ``basis_person`` is whom the right arises from when that is not the
    beneficiary (the newborn child, the deceased breadwinner). The unique
    constraint makes a re-run, a retried task or two workers unable to award
    the same right twice.
    """

    class Status(models.TextChoices):
        AWARDED = "awarded", _("awarded")
        SUPERSEDED = "superseded", _("replaced by a better pension")
        STOPPED = "stopped", _("stopped")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="awards", db_index=False)
    benefit = models.CharField(_("benefit"), max_length=64)
    basis_person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", db_index=False)
    rule = models.CharField(_("rule"), max_length=64)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              db_default=Status.AWARDED)
    parameters = models.JSONField(_("parameters used"))
    facts = models.JSONField(_("facts relied on"))
    scan_run = models.ForeignKey(ScanRun, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="awards", db_index=False)
    decided_at = models.DateTimeField(_("decided at"), db_default=Now())

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["person", "benefit", "basis_person"],
                                    nulls_distinct=False, name="award_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["benefit", "basis_person"], name="award_basis_idx",
                         condition=Q(basis_person__isnull=False)),
            models.Index(fields=["scan_run"], name="award_scan_idx",
                         condition=Q(scan_run__isnull=False)),
            # Awards are appended in time order: the awards made since a scan, cheaply.
            BrinIndex(fields=["decided_at"], name="award_decided_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.amount} to {self.person_id}"
