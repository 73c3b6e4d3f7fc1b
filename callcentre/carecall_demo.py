"""CareCall demo data: calls the demo agent took, some rated, one low with a follow-up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from callcentre.models import Topic
from callcentre.services import call_note_add
from dost.accounts.models import User
from dost.carecall.models import RatingRequest
from dost.carecall.services import rating_reply_receive, rating_requests_for_visits
from dost.registry.models import Person

DEMO_AGENT = "agent"
# The replies of the demo callers, in order; None: not answered (yet).
DEMO_SCORES = (5, 4, 5, 3, 1, None, None)
DEMO_OUTCOMES = (
    (Topic.PAYMENT, gettext_lazy("Explained when this month's payment arrives.")),
    (Topic.APPLICATION, gettext_lazy("Told the caller which document is still missing.")),
    (Topic.PENSION, gettext_lazy("Went through the pension capital statement with the caller.")),
    (Topic.QUEUE, gettext_lazy("Moved the caller's centre visit to Thursday.")),
    (Topic.AWARDS, gettext_lazy("The caller disagreed with the amount; explained the rule.")),
    (Topic.DISABILITY, gettext_lazy("Gave the date of the next assessment.")),
    (Topic.COMPLAINT, gettext_lazy("Told the caller how their complaint is going.")),
)


def demo_carecall(today: dt.date) -> list[str]:
    """Once: the demo agent's calls with living adults who have a phone and no account."""
    agent = User.objects.filter(username=DEMO_AGENT).first()
    if agent is None or RatingRequest.objects.exists():
        return []
    callers = list(Person.objects.filter(death_date__isnull=True, user__isnull=True,
                                         birth_date__year__lte=today.year - 18)
                   .exclude(phone="").order_by("id")[:len(DEMO_SCORES)])
    with transaction.atomic():
        for caller, (topic, outcome) in zip(callers, DEMO_OUTCOMES, strict=False):
            call_note_add(person=caller, agent=agent, topic=topic, outcome=str(outcome))
        requests = list(RatingRequest.objects.filter(person__in=callers).order_by("id"))
        low = 0
        for request, score in zip(requests, DEMO_SCORES, strict=False):
            if score is None:
                continue
            result = rating_reply_receive(sid=f"SMdemo{request.pk:010d}",
                                          from_number=request.phone, body=str(score))
            low += result.follow_up is not None
        # Centre visits served in the last hours, if the back-office demo left any.
        visits = rating_requests_for_visits()["requests"]
    answered = sum(score is not None for score in DEMO_SCORES[:len(requests)])
    return [_("CareCall: %(asked)s callers asked to rate their 142 call, %(answered)s answered, "
              "%(low)s low score waiting for a follow-up; %(visits)s visits asked about.")
            % {"asked": len(requests), "answered": answered, "low": low, "visits": visits}]
