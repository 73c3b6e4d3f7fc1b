"""Writes of the call centre: call notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from callcentre.models import CallNote, Topic
from dost.carecall.services import rating_request_for_call
from dost.errors import DomainError

if TYPE_CHECKING:
    from dost.accounts.models import User
    from dost.registry.models import Person

OUTCOME_MAX_LENGTH = 4000


def call_note_add(*, person: Person, agent: User, topic: str, outcome: str,
                  topic_other: str = "") -> CallNote:
    """Record a call's topic and outcome, and ask the citizen by SMS to rate the call
    (CareCall). Refuses an unknown topic, an "other" topic left unnamed or an empty
    outcome, saving nothing."""
    if topic not in Topic.values:
        raise DomainError(_("Choose the topic of the call."), code="invalid_topic")
    topic_other = (topic_other or "").strip()[:200]
    if topic == Topic.OTHER and not topic_other:
        raise DomainError(_("Say what the call was about."), code="topic_required")
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError(_("Write what came of the call."), code="outcome_required")
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise DomainError(_("Keep it within %(limit)d characters.")
                          % {"limit": OUTCOME_MAX_LENGTH}, code="too_long")
    with transaction.atomic():
        note = CallNote.objects.create(person=person, agent=agent, topic=topic,
                                       topic_other=topic_other, outcome=outcome)
        # CareCall: the citizen is asked by SMS to rate the call, in the note's transaction
        # (at most once a day, and never a citizen without a phone: see the service).
        rating_request_for_call(person=person, agent_id=agent.pk, call_note_id=note.pk)
    return note
