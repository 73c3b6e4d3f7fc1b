"""Employers as the labour subsystem knows them, and who may act for each."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The taxpayer identification number: ten digits.
TIN_VALIDATOR = RegexValidator(r"^[0-9]{10}\Z", _("A TIN is ten digits."))


class Employer(models.Model):
    """An employer, known by its TIN, the key the registry's employment spells carry."""

    tin = models.CharField(_("TIN"), max_length=10, unique=True, validators=[TIN_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.name} ({self.tin})"


class EmployerRepresentative(models.Model):
    """A user account that acts for an employer: sees its personnel record, and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="employer_representative",
                                verbose_name=_("user"))
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE,
                                 related_name="representatives", verbose_name=_("employer"))

    class Meta:
        verbose_name = _("employer's representative")
        verbose_name_plural = _("employer's representatives")

    def __str__(self) -> str:
        return f"{self.user} → {self.employer}"
