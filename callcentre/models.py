"""What a 142 agent records about a call."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    AWARDS = "awards", _("awards and benefits")
    APPLICATION = "application", _("an application")
    PENSION = "pension", _("pension")
    DISABILITY = "disability", _("disability assessment")
    PAYMENT = "payment", _("a payment")
    QUEUE = "queue", _("a centre visit")
    COMPLAINT = "complaint", _("a complaint")
    OTHER = "other", _("other")


class CallNote(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="call_notes")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="call_notes")
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    # What "other" means, or any detail of the topic.
    topic_other = models.CharField(_("other topic"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("call note")
        verbose_name_plural = _("call notes")
        indexes = [models.Index(fields=["person", "-at"], name="callnote_person_at_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(outcome=""),
                                              name="callnote_has_outcome")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.topic}"


class IvrStep(models.TextChoices):
    """Where a call to the 142 voice menu is: what its next answer is taken as."""

    LANGUAGE = "language", _("choosing a language")
    FIN = "fin", _("giving the FIN")
    PIN = "pin", _("keying the PIN")
    MENU = "menu", _("in the main menu")
    AGENT = "agent", _("handed over to an agent")
    ENDED = "ended", _("ended")


class IvrCall(models.Model):
    """The state of one call to the voice menu, kept across Twilio's requests by its CallSid."""

    call_sid = models.CharField(_("Twilio call id"), max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    step = models.CharField(_("step"), max_length=16, choices=IvrStep.choices,
                            default=IvrStep.LANGUAGE)
    # What the caller gave as their FIN: the FIN itself when said, its keys when keyed.
    fin_given = models.CharField(_("FIN given"), max_length=7, blank=True)
    fin_keyed = models.BooleanField(_("FIN keyed on the keypad"), default=False)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+", verbose_name=_("caller"))
    # Answers at the current step that could not be used (none, malformed, unknown, wrong).
    step_tries = models.PositiveSmallIntegerField(_("tries at this step"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    identified_at = models.DateTimeField(_("identified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voice menu call")
        verbose_name_plural = _("voice menu calls")
        constraints = [
            models.CheckConstraint(condition=models.Q(step__in=IvrStep.values),
                                   name="ivrcall_step_valid"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) | models.Q(identified_at__isnull=False),
                name="ivrcall_identified_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.step}"


class IvrHandover(models.Model):
    """A caller of the voice menu put through to the agents, with their FIN once identified.

    Taken by the first agent who opens it from the console; a conditional update
    lets only one of two agents clicking at once have it.
    """

    call_sid = models.CharField(_("Twilio call id"), max_length=64, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+", verbose_name=_("caller"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    requested_at = models.DateTimeField(_("asked for an agent at"), default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("taken by"))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("handover to an agent")
        verbose_name_plural = _("handovers to agents")
        indexes = [models.Index(fields=["requested_at"], condition=models.Q(taken_at__isnull=True),
                                name="ivrhandover_waiting_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken_by__isnull=True, taken_at__isnull=True)
                | models.Q(taken_by__isnull=False, taken_at__isnull=False),
                name="ivrhandover_taken_by_and_at"),
        ]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.requested_at:%Y-%m-%d %H:%M}"
