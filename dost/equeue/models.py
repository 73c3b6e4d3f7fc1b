"""The e-queue of DOST centres: time slots with a capacity, and citizens' bookings.

A slot keeps its own count of places taken (``booked``): a booking takes a
place with one conditional ``UPDATE ... WHERE booked < capacity``, so two
citizens racing for the last place are serialised by the row lock and only
one of them gets it. The check constraint is the last line of defence.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Slot(models.Model):
    """A time at a centre when up to ``capacity`` citizens can be received."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="slots",
                               verbose_name=_("centre"), db_index=False)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("places taken"), default=0)
    # Tickets issued for this slot so far, never decreased: numbers stay unique
    # when a cancelled place is taken again.
    issued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["centre", "day", "starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["centre", "day", "starts_at"],
                                    name="equeue_slot_unique_time"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")),
                                   name="equeue_slot_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day} {self.starts_at:%H:%M}"

    @property
    def starts(self) -> dt.datetime:
        """The start as an aware datetime in the project's time zone (the centres' time)."""
        return timezone.make_aware(dt.datetime.combine(self.day, self.starts_at),
                                   timezone.get_default_timezone())

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Booking(models.Model):
    """A citizen's place in a slot, for one service; its ticket code is shown at the centre."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CANCELLED = "cancelled", _("cancelled")
        # Called to a desk at the centre and being served now.
        CALLED = "called", _("called to a desk")
        SERVED = "served", _("served")
        NO_SHOW = "no_show", _("did not come")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="queue_bookings", verbose_name=_("citizen"))
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("centre"), db_index=False)
    service = models.ForeignKey("centres.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"), db_index=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("time slot"))
    # The slot's day, kept on the booking so the database can hold a citizen to
    # one active booking per service and day.
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.BOOKED)
    ticket_code = models.CharField(_("ticket"), max_length=80, unique=True)
    # When the current place was taken (creation or the last move): the order
    # of the queue within a slot.
    placed_at = models.DateTimeField(_("place taken at"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    # At the centre: which desk called the ticket, who sat there, and when.
    desk = models.PositiveSmallIntegerField(_("desk"), null=True, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True,
                                  verbose_name=_("called by"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    # When the visit ended: served, or marked as not come.
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Recorded once, so that the DOST Index sums them: from the later of the slot's
    # start and the booking to the call; from the call to the end of service.
    wait_seconds = models.PositiveIntegerField(_("waiting time (seconds)"), null=True,
                                               blank=True)
    service_seconds = models.PositiveIntegerField(_("service time (seconds)"), null=True,
                                                  blank=True)

    class Meta:
        ordering = ["day", "slot__starts_at", "placed_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["person", "service", "day"],
                                    condition=Q(status="booked"),
                                    name="equeue_one_active_booking_per_service_day"),
            # A desk serves one ticket at a time: the last line of defence behind
            # desk_call_next's own check, for one desk calling twice at once.
            models.UniqueConstraint(fields=["centre", "day", "desk"],
                                    condition=Q(status="called"),
                                    name="equeue_one_ticket_per_desk"),
            models.CheckConstraint(
                condition=~Q(status="called")
                | Q(desk__isnull=False, called_at__isnull=False),
                name="equeue_called_at_a_desk"),
        ]
        indexes = [
            models.Index(fields=["centre", "day"], condition=Q(status="booked"),
                         name="equeue_booking_day_queue"),
            # Visits that ended, by centre and day: what the DOST Index sums.
            models.Index(fields=["centre", "day"], condition=Q(finished_at__isnull=False),
                         name="equeue_booking_finished"),
        ]

    def __str__(self) -> str:
        return self.ticket_code

    @property
    def active(self) -> bool:
        """Waiting in the queue: the citizen may still move or cancel it."""
        return self.status == self.Status.BOOKED

    @property
    def at_desk(self) -> bool:
        """Called to a desk and being served now."""
        return self.status == self.Status.CALLED

    @property
    def finished(self) -> bool:
        """The visit has ended: served, or the citizen did not come when called."""
        return self.status in (self.Status.SERVED, self.Status.NO_SHOW)
