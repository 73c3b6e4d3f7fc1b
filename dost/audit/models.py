"""Who looked at a citizen's data, when, through which channel and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    BACKOFFICE = "backoffice", _("DOST back-office")
    ADMIN = "admin", _("administration site")
    CALLCENTRE = "callcentre", _("142 call centre")
    MSEC = "msec", _("expert commission")
    API = "api", _("institution via the Digital Bridge")


class Subject(models.TextChoices):
    """What was looked at, as the citizen reads it in their access log."""

    REGISTRY_RECORD = "registry_record", _("registry record (identity, family, work, insurance)")
    AWARDS = "awards", _("awards and benefits")


class AccessRecord(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="access_records")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    what = models.CharField(_("what was seen"), max_length=64, choices=Subject.choices)
    reason = models.CharField(_("stated reason"), max_length=500)
    at = models.DateTimeField(_("when"), default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("data access record")
        verbose_name_plural = _("data access records")
        indexes = [models.Index(fields=["person", "-at"], name="access_person_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(institution__isnull=False),
                name="access_has_accessor",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="access_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"

    @property
    def accessor_label(self) -> str:
        if self.institution_id:
            return str(self.institution)
        return self.actor.get_role_display() if self.actor else ""


def channel_for_role(role: str) -> str:
    """The channel a signed-in official's look comes through, as the citizen sees it."""
    return {"agent": Channel.CALLCENTRE, "expert": Channel.MSEC}.get(role, Channel.BACKOFFICE)
