"""Awards granted by the proactive engine, and the scans that found them."""

from __future__ import annotations

import datetime as dt

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
    # Awards stopped because the beneficiary died (the ``stops.death`` chunks).
    stopped = models.PositiveBigIntegerField(_("awards stopped"), default=0)
    # Rules not run: not yet in force on the scan date (skipped), or waiting for a
    # parameter the law has not given yet, such as a year's indexation rate (held).
    skipped_rules = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    held_rules = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    missing_parameters = ArrayField(models.CharField(max_length=200), default=list, blank=True)
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


class ScanChunk(models.Model):
    """One rule over one slice of the population: the unit a worker runs, retries and resumes.

    A chunk is marked done in the transaction that makes its awards, so a retried or
    resumed chunk that already committed is recognised and never counted twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scan_run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    rule = models.CharField(max_length=64)
    lo = models.BigIntegerField(null=True, blank=True)
    hi = models.BigIntegerField(null=True, blank=True)
    people = ArrayField(models.BigIntegerField(), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    awarded = models.PositiveBigIntegerField(default=0)
    stopped = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scan chunk")
        verbose_name_plural = _("scan chunks")
        constraints = [
            models.UniqueConstraint(fields=["scan_run", "number"], name="scanchunk_number"),
        ]

    def __str__(self) -> str:
        return f"scan {self.scan_run_id} chunk {self.number} ({self.rule})"


class Frequency(models.TextChoices):
    ONCE = "once", _("lump sum")
    MONTHLY = "monthly", _("monthly")


class Award(models.Model):
    """A right granted without an application, with everything needed to explain it.

    ``basis_person`` is whom the right arises from when that is not the
    beneficiary (the newborn child, the deceased breadwinner). A right may be
    awarded for several periods (a renewed disability finding, a survivor's
    share re-split when a dependant leaves): the unique constraint on the
    period's first day makes a re-run, a retried task or two workers unable to
    award the same period twice. When a later period of the same right is
    awarded, the engine ends the earlier one the day before.
    """

    class Status(models.TextChoices):
        AWARDED = "awarded", _("awarded")
        SUPERSEDED = "superseded", _("replaced by a better pension")
        STOPPED = "stopped", _("stopped")
        # Made on a fact later annulled (a death recorded by mistake): never owed.
        ANNULLED = "annulled", _("annulled")

    class EndReason(models.TextChoices):
        NONE = "", _("not ended early")
        DEATH = "death", _("death of the beneficiary")
        NEW_PERIOD = "new_period", _("a new period of the same right began")
        SWITCH = "switch", _("replaced by a higher labour pension")
        ANNULLED = "annulled", _("the fact it rested on was annulled")
        FACT_ENDED = "fact_ended", _("the fact it rested on ended early")

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
    end_reason = models.CharField(_("ended because"), max_length=16, choices=EndReason.choices,
                                  blank=True, db_default="")
    # The end the period had before it was cut short, restored if the cause is undone
    # (a death annulled by the civil registry).
    period_end_before = models.DateField(_("end before it was cut short"), null=True,
                                         blank=True)
    # Months already due when the award was decided (it started earlier, or a stop was
    # undone): paid at once as a lump sum.
    arrears = models.DecimalField(_("arrears"), max_digits=12, decimal_places=2, db_default=0)
    scan_run = models.ForeignKey(ScanRun, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="awards", db_index=False)
    decided_at = models.DateTimeField(_("decided at"), db_default=Now())

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["person", "benefit", "basis_person", "period_start"],
                                    nulls_distinct=False, name="award_period_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_positive"),
            # An ended period may be empty (ended the day before it began: replaced before
            # it was ever paid), never inverted further.
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start") - dt.timedelta(days=1)),
                name="award_period_ordered",
            ),
            models.CheckConstraint(condition=Q(arrears__gte=0), name="award_arrears_gte_0"),
        ]
        indexes = [
            # Basis person first: with the benefit first, a rule's "already awarded to this
            # person?" look-up, planned on statistics taken before its benefit had rows,
            # walked every award of the benefit for each candidate (a 1 s chunk took 12 s).
            models.Index(fields=["basis_person", "benefit"], name="award_basis_benefit_idx",
                         condition=Q(basis_person__isnull=False)),
            models.Index(fields=["scan_run"], name="award_scan_idx",
                         condition=Q(scan_run__isnull=False)),
            # Awards are appended in time order: the awards made since a scan, cheaply.
            BrinIndex(fields=["decided_at"], name="award_decided_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} {self.amount} to {self.person_id}"
