"""CareCall: after a 142 call or a centre visit the citizen rates the service by SMS.

A ``RatingRequest`` is one question sent (one per call note, one per visit: its
``subject`` is unique, so a retried or repeated task cannot ask twice). The
citizen answers with one digit, 1 to 5; the reply is matched by phone number to
the latest request sent there and, if that one is unanswered, scores it once, with
a conditional ``UPDATE ... WHERE score IS NULL``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RatingRequest(models.Model):
    """One request for a 1-5 rating of one call or one visit, sent by SMS."""

    class Channel(models.TextChoices):
        CALL = "call", _("142 call")
        VISIT = "visit", _("centre visit")

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="rating_requests", verbose_name=_("citizen"))
    # Where the SMS went: the reply is matched on it, even if the citizen's
    # number in the registry changes later.
    phone = models.CharField(_("phone"), max_length=20)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # The agent who took the call.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("agent"))
    # The centre and service of the visit.
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("centre"))
    service = models.ForeignKey("centres.Service", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("service"))
    # What is rated: "call:<call note id>" or "visit:<booking id>".
    subject = models.CharField(_("rated"), max_length=40, unique=True)
    sent_at = models.DateTimeField(_("sent at"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating request")
        verbose_name_plural = _("rating requests")
        indexes = [
            # Replies are matched to the latest request sent to the number.
            models.Index(fields=["phone", "-sent_at"], name="carecall_request_phone_idx"),
            # At most one call request per person and day.
            models.Index(fields=["person", "-sent_at"], name="carecall_request_person_idx"),
            # The roll-ups read answered requests by month.
            models.Index(fields=["sent_at"], name="carecall_request_scored_idx",
                         condition=Q(score__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True)
                                   | Q(score__gte=1, score__lte=5),
                                   name="carecall_score_1_to_5"),
            models.CheckConstraint(condition=Q(channel__in=["call", "visit"]),
                                   name="carecall_channel_valid"),
            # A score and its time come together.
            models.CheckConstraint(condition=Q(score__isnull=True, answered_at__isnull=True)
                                   | Q(score__isnull=False, answered_at__isnull=False),
                                   name="carecall_answer_complete"),
        ]

    def __str__(self) -> str:
        return self.subject


class ReplyOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    # Not a single digit from 1 to 5.
    MALFORMED = "malformed", _("not a rating")
    # No request was sent to the number within the reply window.
    UNKNOWN = "unknown", _("no request to answer")
    # The latest request to the number was already answered.
    REPEATED = "repeated", _("already answered")


class RatingReply(models.Model):
    """Every SMS that came in on the CareCall number, whatever became of it.

    Twilio may deliver one message twice: the message's id is unique, and a
    second delivery only counts in ``repeats``.
    """

    Outcome = ReplyOutcome

    sid = models.CharField(_("Twilio message id"), max_length=64, unique=True)
    # As Twilio gave it, before normalisation.
    from_number = models.CharField(_("from"), max_length=32)
    body = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReplyOutcome.choices)
    # The request it answered, or would have answered (malformed, repeated); none if unknown.
    request = models.ForeignKey(RatingRequest, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="replies", verbose_name=_("rating request"))
    repeats = models.PositiveIntegerField(_("delivered again"), default=0)

    class Meta:
        verbose_name = _("rating reply")
        verbose_name_plural = _("rating replies")
        indexes = [
            models.Index(fields=["request"], name="carecall_reply_request_idx",
                         condition=Q(request__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=ReplyOutcome.values),
                                   name="carecall_reply_outcome_valid"),
            # An accepted reply always names what it scored.
            models.CheckConstraint(condition=~Q(outcome="accepted") | Q(request__isnull=False),
                                   name="carecall_accepted_reply_has_request"),
        ]

    def __str__(self) -> str:
        return f"{self.sid} {self.outcome}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("waiting for an agent")
    TAKEN = "taken", _("being followed up")
    CLOSED = "closed", _("closed")


class FollowUp(models.Model):
    """A low score (1 or 2): an agent calls the citizen back and closes it with a note."""

    Status = FollowUpStatus

    request = models.OneToOneField(RatingRequest, on_delete=models.PROTECT,
                                   related_name="follow_up", verbose_name=_("rating request"))
    # Copied from the request: every per-person table carries the person.
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="carecall_follow_ups", verbose_name=_("citizen"))
    opened_at = models.DateTimeField(_("opened at"))
    status = models.CharField(_("status"), max_length=8, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("taken by"))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("what came of the call back"), blank=True)

    class Meta:
        verbose_name = _("follow-up of a low rating")
        verbose_name_plural = _("follow-ups of low ratings")
        indexes = [
            # The agents' list reads the tasks not yet closed, oldest first.
            models.Index(fields=["status", "opened_at"], name="carecall_followup_open_idx",
                         condition=~Q(status="closed")),
            models.Index(fields=["person"], name="carecall_followup_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FollowUpStatus.values),
                                   name="carecall_followup_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(taken_by__isnull=False, taken_at__isnull=False),
                name="carecall_followup_taken_by_someone"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(note="")),
                name="carecall_followup_closed_with_note"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"
