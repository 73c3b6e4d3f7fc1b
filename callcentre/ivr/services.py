"""Writes of the voice menu: a call's state between Twilio's requests, the caller once
identified (with the access to their data logged), and handovers to the agents."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from callcentre.models import IvrCall, IvrHandover, IvrStep
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.errors import DomainError

if TYPE_CHECKING:
    from dost.accounts.models import User
    from dost.registry.models import Person


def ivr_call_begin(*, call_sid: str) -> IvrCall:
    """The state of a call that has just reached the menu: at the language choice, nobody
    identified. A call that reaches the start again starts over."""
    call, created = IvrCall.objects.get_or_create(call_sid=call_sid)
    if not created:
        ivr_call_move(call, step=IvrStep.LANGUAGE, forget_caller=True)
    return call


def ivr_call_move(call: IvrCall, *, step: str, language: str | None = None,
                  fin_given: str | None = None, fin_keyed: bool | None = None,
                  forget_caller: bool = False) -> IvrCall:
    """Move the call to ``step``, its tries there starting from none."""
    call.step = step
    call.step_tries = 0
    fields = ["step", "step_tries"]
    if language is not None:
        call.language = language
        fields.append("language")
    if fin_given is not None:
        call.fin_given = fin_given
        fields.append("fin_given")
    if fin_keyed is not None:
        call.fin_keyed = fin_keyed
        fields.append("fin_keyed")
    if forget_caller:
        call.person = None
        call.identified_at = None
        call.fin_given = ""
        fields += ["person", "identified_at", "fin_given"]
    call.save(update_fields=sorted(set(fields)))
    return call


def ivr_call_try_failed(call: IvrCall) -> int:
    """Count an answer at the current step that could not be used; returns the count."""
    call.step_tries += 1
    call.save(update_fields=["step_tries"])
    return call.step_tries


@transaction.atomic
def ivr_call_identified(call: IvrCall, *, person: Person, user_id: int) -> IvrCall:
    """The caller gave the right PIN for their FIN: they are ``person`` for the rest of the call.

    Writes the access record the citizen sees in their log ("you, by phone"), in
    their own language, in the same transaction.
    """
    call.person = person
    call.identified_at = timezone.now()
    call.step = IvrStep.MENU
    call.step_tries = 0
    call.save(update_fields=["person", "identified_at", "step", "step_tries"])
    with translation.override(person.language or None):
        reason = _("You called the 142 line and identified yourself with your FIN and phone "
                   "PIN.")
    access_record(person_id=person.pk, actor_id=user_id, channel=Channel.IVR,
                  what=Subject.CITIZEN_VIEW, reason=reason)
    return call


@transaction.atomic
def ivr_handover_request(call: IvrCall) -> IvrHandover:
    """Put the caller through to the agents, with who they are once identified. Asked twice in
    one call, the handover is the first one."""
    handover, _created = IvrHandover.objects.get_or_create(
        call_sid=call.call_sid,
        defaults={"person": call.person, "language": call.language})
    ivr_call_move(call, step=IvrStep.AGENT)
    return handover


def ivr_handover_take(*, handover_id: int, agent: User) -> IvrHandover:
    """The agent answers the caller. One statement decides between two agents at once: the
    other is refused, and so is a handover already taken."""
    taken = (IvrHandover.objects.filter(pk=handover_id, taken_at__isnull=True)
             .update(taken_by=agent, taken_at=timezone.now()))
    if not taken:
        raise DomainError(_("Another agent has already taken this caller."), code="taken")
    return IvrHandover.objects.select_related("person").get(pk=handover_id)


def ivr_calls_forget(*, started_before: dt.datetime) -> int:
    """Delete the state of calls that started before ``started_before``, in one statement.

    A call's state holds the FIN the caller gave and who they turned out to be; once the
    call is over it serves nothing (the access log keeps the identification, the
    handover its own row), so it is not kept. Returns how many calls were forgotten.
    """
    deleted, _by_model = IvrCall.objects.filter(started_at__lt=started_before).delete()
    return deleted
