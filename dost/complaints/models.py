"""Complaints and appeals: who answers them, by when, and what the citizen sees meanwhile.

A complaint is routed to the unit its category names, which answers it within
the category's statutory term in working days (``calendar.add_working_days``).
A late one climbs a chain: level 0 the unit's officers (``UnitMember``), level 1
the unit's head, level 2 the centre manager.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dost.registry.models import TranslatedName


class Unit(TranslatedName):
    """A unit of DOST that answers complaints of some categories."""

    code = models.SlugField(primary_key=True, max_length=32)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="units_headed",
                             verbose_name=_("head of the unit"))
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="units_managed",
                                verbose_name=_("centre manager"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]


class UnitMember(models.Model):
    """An officer who answers the unit's complaints (escalation level 0)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="complaint_units")

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")
        constraints = [models.UniqueConstraint(fields=["unit", "user"],
                                               name="unitmember_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.user_id}"


class Category(TranslatedName):
    code = models.SlugField(primary_key=True, max_length=32)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="categories",
                             verbose_name=_("responsible unit"))
    deadline_working_days = models.PositiveSmallIntegerField(_("deadline, working days"))
    legal_basis_az = models.TextField(_("legal basis (Azerbaijani)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    legal_basis_ru = models.TextField(_("legal basis (Russian)"), blank=True)
    # An appeal contests a decision: it must name the decision log entry.
    appeal = models.BooleanField(_("appeal against a decision"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(deadline_working_days__gte=1),
                                              name="category_deadline_positive")]

    @property
    def legal_basis(self) -> str:
        language = (get_language() or "az")[:2]
        return getattr(self, f"legal_basis_{language}", None) or self.legal_basis_az


class Channel(models.TextChoices):
    PHONE = "phone", _("by phone (142)")
    PORTAL = "portal", _("on the portal")
    CENTRE = "centre", _("at a DOST centre")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("being examined")
    ANSWERED = "answered", _("answered")
    REJECTED = "rejected", _("rejected")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Level(models.IntegerChoices):
    UNIT = 0, _("the unit's officers")
    HEAD = 1, _("the head of the unit")
    MANAGER = 2, _("the centre manager")


class Complaint(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="complaints")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints",
                                 verbose_name=_("category"))
    # Copied from the category when received: a later re-routing of the category does
    # not move complaints already being answered.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints",
                             verbose_name=_("responsible unit"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    text = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.RECEIVED)
    # An agent or centre officer who took it for the citizen; none when the citizen filed it.
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    # No database constraint: the decision log is never constrained by what refers to it
    # (its tables only grow, and start again only with the whole population).
    decision_entry = models.ForeignKey("audit.DecisionEntry", on_delete=models.DO_NOTHING,
                                       db_constraint=False, null=True, blank=True,
                                       related_name="+", verbose_name=_("decision contested"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due by"))
    # Past this day a complaint still open at level 1 goes to the centre manager.
    manager_due_on = models.DateField(_("escalated to the centre manager after"))
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"),
                                                        choices=Level.choices, default=Level.UNIT)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["person", "-received_at"], name="complaint_person_idx"),
            # The escalation and the dashboard read only open complaints.
            models.Index(fields=["unit", "escalation_level", "due_on"], name="complaint_open_idx",
                         condition=Q(status__in=["received", "in_progress"])),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""),
                                    name="complaint_reference_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="complaint_status_valid"),
            models.CheckConstraint(condition=Q(escalation_level__in=Level.values),
                                   name="complaint_level_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values),
                                   name="complaint_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StepKind(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("taken up for examination")
    ESCALATED = "escalated", _("late: passed up")
    ANSWERED = "answered", _("answered")
    REJECTED = "rejected", _("rejected")


class ComplaintStep(models.Model):
    """One step of a complaint's timeline, as the citizen sees it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    escalation_level = models.PositiveSmallIntegerField(null=True, blank=True,
                                                        choices=Level.choices)
    note = models.TextField(_("note"), blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        indexes = [models.Index(fields=["complaint", "at"], name="complaintstep_idx")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=StepKind.values),
                                              name="complaintstep_kind_valid")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"
