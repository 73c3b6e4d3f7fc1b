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
