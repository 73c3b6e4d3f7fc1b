"""The DOST Index, precomputed: KPI values per centre (or the country) and month, and the
scores and ranks made of them. Pages only read these; ``dost.index.services`` writes them,
a month at a time or a year at a time, replacing what was there."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IndexMonth(models.Model):
    """A month the Index has been computed for, and when."""

    # The first day of the calendar month (Baku time).
    month = models.DateField(_("month"), primary_key=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("Index month")
        verbose_name_plural = _("Index months")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="index_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class KpiValue(models.Model):
    """One KPI for one centre (none: the whole country) and month.

    ``value`` is ``scale × numerator ÷ denominator`` (see ``kpis.yaml``), and empty when
    the denominator is 0: no data, never a division by zero.
    """

    month = models.ForeignKey(IndexMonth, on_delete=models.CASCADE, related_name="values",
                              db_column="month")
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+", verbose_name=_("centre"))
    kpi = models.CharField(_("KPI"), max_length=32)
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"))
    denominator = models.FloatField(_("denominator"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [
            models.UniqueConstraint(fields=["month", "centre", "kpi"], nulls_distinct=False,
                                    name="index_kpivalue_once"),
            models.CheckConstraint(condition=Q(denominator__gte=0),
                                   name="index_kpivalue_denominator_gte_0"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(denominator__gt=0),
                                   name="index_kpivalue_value_needs_denominator"),
        ]
        indexes = [
            # A centre's trend: its values over months.
            models.Index(fields=["centre", "kpi", "month"], name="index_kpivalue_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.month_id:%Y-%m} {self.centre_id or 'national'} {self.kpi}"


class CentreScore(models.Model):
    """A centre's score (0–100) and rank in a month: overall (``pillar`` empty) or in one
    pillar. Centres with no value in any KPI of it have no row."""

    month = models.ForeignKey(IndexMonth, on_delete=models.CASCADE, related_name="scores",
                              db_column="month")
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("centre"))
    pillar = models.CharField(_("pillar"), max_length=32, blank=True)
    score = models.FloatField(_("score"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("centre score")
        verbose_name_plural = _("centre scores")
        constraints = [
            models.UniqueConstraint(fields=["month", "centre", "pillar"],
                                    name="index_centrescore_once"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100),
                                   name="index_centrescore_0_to_100"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="index_centrescore_rank"),
        ]
        indexes = [
            models.Index(fields=["centre", "pillar", "month"], name="index_centrescore_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.month_id:%Y-%m} {self.centre_id} {self.pillar or 'overall'}"
