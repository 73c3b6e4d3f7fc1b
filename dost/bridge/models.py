"""Life events that other institutions push through the Digital Bridge.

Each event is stored once per institution and event id: a resend finds the
stored row and its outcome, so a retry after a lost reply changes nothing.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    BIRTH = "birth", _("birth")
    DEATH = "death", _("death")
    # The civil registry's correction of a death recorded by mistake.
    DEATH_ANNULLED = "death_annulled", _("death record annulled")
    MARRIAGE = "marriage", _("marriage")
    DISABILITY = "disability", _("disability finding")
    EMPLOYMENT_START = "employment_start", _("start of employment")
    EMPLOYMENT_END = "employment_end", _("end of employment")


class InboundEvent(models.Model):
    """One life event as an institution sent it, with what applying it did.

    ``payload`` is the event's validated ``data`` (dates as ISO strings), so
    that a resend can be compared with what was applied. ``people`` are the
    registry ids the event touched and ``awards_made`` the awards the
    proactive engine made for them when the event was applied.
    """

    # Covered by the unique constraint, which starts with the institution.
    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT,
                                    related_name="inbound_events", db_index=False,
                                    verbose_name=_("institution"))
    event_id = models.CharField(_("institution's event id"), max_length=100)
    type = models.CharField(_("type"), max_length=32, choices=EventType.choices)
    occurred_on = models.DateField(_("occurred on"))
    payload = models.JSONField(_("data"), encoder=DjangoJSONEncoder)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    people = ArrayField(models.BigIntegerField(), default=list, blank=True,
                        verbose_name=_("people touched"))
    awards_made = models.PositiveIntegerField(_("awards made"), default=0)

    class Meta:
        verbose_name = _("inbound life event")
        verbose_name_plural = _("inbound life events")
        constraints = [
            models.UniqueConstraint(fields=["institution", "event_id"],
                                    name="inbound_event_once_per_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id} ({self.occurred_on})"
