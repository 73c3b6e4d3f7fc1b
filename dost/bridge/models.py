"""Life events that other institutions push through the Digital Bridge.

Each event is stored once per institution and event id: a resend finds the
stored row and its outcome, so a retry after a lost reply changes nothing.
An impossible event is refused and not stored at all; an unusual one is stored
but held until staff apply or reject it (``dost.bridge.plausibility``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
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


class EventState(models.TextChoices):
    # Applied to the registry, at once or after review.
    APPLIED = "applied", _("applied")
    # Unusual: stored, not applied, until staff decide.
    HELD = "held", _("held for review")
    # Staff decided it was wrong: never applied.
    REJECTED = "rejected", _("rejected")


class InboundEvent(models.Model):
    """One life event as an institution sent it, with what applying it did.

    ``payload`` is the event's validated ``data`` (dates as ISO strings), so
    that a resend can be compared with what was applied. ``people`` are the
    registry ids the event touched and ``awards_made`` the awards the
    proactive engine made for them when the event was applied.

    ``hold_reasons`` are why the event was held (``code``, ``message`` as first
    said, ``params`` to say it again in another language); they stay after the
    review. ``reviewed_by``, ``reviewed_at`` and ``review_note`` record the
    staff decision on a held event; the note is required for a rejection, as
    the institution reads it.
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
    state = models.CharField(_("state"), max_length=16, choices=EventState.choices,
                             default=EventState.APPLIED)
    hold_reasons = models.JSONField(_("why it was held"), default=list, blank=True,
                                    encoder=DjangoJSONEncoder)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("inbound life event")
        verbose_name_plural = _("inbound life events")
        constraints = [
            models.UniqueConstraint(fields=["institution", "event_id"],
                                    name="inbound_event_once_per_institution"),
            models.CheckConstraint(condition=Q(state__in=EventState.values),
                                   name="inbound_event_state_valid"),
            # The institution is told why its event was rejected.
            models.CheckConstraint(condition=~Q(state=EventState.REJECTED) | ~Q(review_note=""),
                                   name="inbound_event_rejection_has_reason"),
        ]
        indexes = [
            # The review queue: held events, the oldest first.
            models.Index(fields=["received_at"], name="inbound_event_held_idx",
                         condition=Q(state=EventState.HELD)),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id} ({self.occurred_on})"


# The registers the source adapters read (``dost.bridge.sources``).
from dost.bridge.registers import (  # noqa: E402
    Absence,
    Business,
    JobSeeker,
    LargeTransaction,
    RealEstate,
    UtilityBill,
    Vehicle,
)

__all__ = ["Absence", "Business", "EventState", "EventType", "InboundEvent", "JobSeeker",
           "LargeTransaction", "RealEstate", "UtilityBill", "Vehicle"]
