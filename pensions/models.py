"""Records of the pensions subsystem that the engine's awards do not hold."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class PensionIndexation(models.Model):
    """One yearly indexation of the pensions in payment.

    The unique year is what makes an indexation impossible to apply twice,
    even by two workers at once: the second insert waits for the first and fails.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    awards_updated = models.PositiveIntegerField(_("pensions raised"), default=0)
    applied_at = models.DateTimeField(_("applied at"), db_default=Now())

    class Meta:
        verbose_name = _("pension indexation")
        verbose_name_plural = _("pension indexations")

    def __str__(self) -> str:
        return f"{self.year}: +{self.rate}"
