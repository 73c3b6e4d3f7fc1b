"""Twilio's voice webhooks for the 142 line: language → FIN → PIN → main menu, or an agent.

Twilio signs in with nothing but its signature (``X-Twilio-Signature``) over the
address and the form: a request without a valid one is refused (403) before
anything is read or written. Like Twilio's other webhooks, these views are exempt
from CSRF protection, which a signed server-to-server request has no use for.

The call's state is kept by its CallSid (``IvrCall``). Each step answers only
at its own step: a request for another step repeats the question the call is
at, so nobody reaches the menu without the PIN.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from callcentre.ivr import answers, prompts, twiml
from callcentre.ivr.caller_input import (
    AGENT_KEY,
    FinGiven,
    fin_from_keys,
    fin_from_speech,
    keyed_pin,
)
from callcentre.ivr.selectors import ivr_call
from callcentre.ivr.services import (
    ivr_call_begin,
    ivr_call_identified,
    ivr_call_move,
    ivr_call_try_failed,
    ivr_handover_request,
)
from callcentre.models import IvrCall, IvrStep
from dost.accounts.phone_pin import MAX_KEYPAD_CANDIDATES, Outcome, phone_pin_check
from dost.accounts.selectors import phone_pins_for_fin, phone_pins_for_keypad
from dost.http import client_ip
from dost.notifications.twilio_signature import posted_form, signed_by_twilio
from dost.registry.selectors import person_by_fin

logger = logging.getLogger(__name__)

# Answers at one step that could not be used before the menu gives up on it.
MAX_TRIES = 3
CALL_SID_MAX_LENGTH = 64

StepView = Callable[[HttpRequest, dict[str, str], IvrCall], HttpResponse]


def _verified(request: HttpRequest) -> tuple[dict[str, str], str] | HttpResponse:
    """The form and CallSid of a request Twilio signed, or the refusal to answer."""
    form = posted_form(request)
    if not signed_by_twilio(request, form):
        logger.warning("Refused an unsigned or wrongly signed Twilio voice request from %s",
                       client_ip(request))
        return HttpResponseForbidden(_("The request is not signed by Twilio."),
                                     content_type="text/plain; charset=utf-8")
    call_sid = form.get("CallSid", "").strip()
    if not call_sid or len(call_sid) > CALL_SID_MAX_LENGTH:
        return HttpResponseBadRequest(_("The request names no call."),
                                      content_type="text/plain; charset=utf-8")
    return form, call_sid


def twilio_webhook(step: str) -> Callable[[StepView], Callable[[HttpRequest], HttpResponse]]:
    """Refuse what Twilio did not sign; find the call; answer in its language.

    ``step`` is the step the view answers; a call elsewhere is asked its own
    question again. A call the menu does not know starts at the language choice.
    """

    def decorator(view: StepView) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @require_POST
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            verified = _verified(request)
            if isinstance(verified, HttpResponse):
                return verified
            form, call_sid = verified
            call = ivr_call(call_sid)
            if call is None:
                ivr_call_begin(call_sid=call_sid)
                return twiml.language_menu()
            with translation.override(call.language or "az"):
                if call.step == IvrStep.ENDED:
                    return twiml.hang_up([])
                if timezone.now() - call.started_at > dt.timedelta(
                        minutes=settings.IVR_CALL_MINUTES):
                    return _end(call, [prompts.call_too_long()])
                if call.step != step:
                    return _question_of(call)
                return view(request, form, call)

        return wrapper

    return decorator


# --- the questions -----------------------------------------------------------------------------


def _ask_fin(before: Iterable[str] = ()) -> HttpResponse:
    return twiml.ask([*before, prompts.ask_fin()], step_url=reverse("callcentre:ivr_fin"),
                     speech=True, num_digits=7)


def _ask_pin(before: Iterable[str] = ()) -> HttpResponse:
    return twiml.ask([*before, prompts.ask_pin()], step_url=reverse("callcentre:ivr_pin"))


def _menu(before: Iterable[str] = ()) -> HttpResponse:
    return twiml.ask([*before, prompts.main_menu()], step_url=reverse("callcentre:ivr_menu"),
                     num_digits=1)


def _question_of(call: IvrCall) -> HttpResponse:
    """The question of the step the call is at."""
    if call.step == IvrStep.LANGUAGE:
        return twiml.language_menu()
    if call.step == IvrStep.FIN:
        return _ask_fin()
    if call.step == IvrStep.PIN:
        return _ask_pin()
    if call.step == IvrStep.MENU:
        return _menu()
    return twiml.to_agents([])


def _hand_over(call: IvrCall, before: Iterable[str] = ()) -> HttpResponse:
    ivr_handover_request(call)
    return twiml.to_agents(before)


def _end(call: IvrCall, sentences: Iterable[str]) -> HttpResponse:
    ivr_call_move(call, step=IvrStep.ENDED, forget_caller=True)
    return twiml.hang_up(sentences)


# --- the steps ---------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def ivr_start(request: HttpRequest) -> HttpResponse:
    """A call comes in (the number's voice webhook): greet, and ask for a language."""
    verified = _verified(request)
    if isinstance(verified, HttpResponse):
        return verified
    _form, call_sid = verified
    ivr_call_begin(call_sid=call_sid)
    return twiml.language_menu()


@twilio_webhook(step=IvrStep.LANGUAGE)
def ivr_language(request: HttpRequest, form: dict[str, str], call: IvrCall) -> HttpResponse:
    language = prompts.LANGUAGE_KEYS.get(form.get("Digits", "").strip())
    if language is None:
        if ivr_call_try_failed(call) >= MAX_TRIES:
            return _end(call, [prompts.goodbye()])
        return twiml.language_menu(again=True)
    ivr_call_move(call, step=IvrStep.FIN, language=language)
    with translation.override(language):
        return _ask_fin()


def _pins_of(given: FinGiven) -> tuple[list[int], str]:
    """The PINs the FIN given points to (ids), or why there are none to check."""
    if given.keyed:
        pins = phone_pins_for_keypad(given.value, limit=MAX_KEYPAD_CANDIDATES + 1)
        if len(pins) > MAX_KEYPAD_CANDIDATES:
            return [], prompts.say_fin_instead()
    else:
        pins = phone_pins_for_fin(given.value)
    if not pins:
        # Keys are a FIN too (one of digits alone): either way, a person without a PIN is
        # told to set one.
        if person_by_fin(given.value) is not None:
            return [], prompts.no_pin_set()
        return [], prompts.no_pin_for_keys() if given.keyed else prompts.unknown_fin()
    if all(pin.locked for pin in pins):
        return [], prompts.pin_locked()
    return [pin.pk for pin in pins], ""


def _fin_not_usable(call: IvrCall, problem: str) -> HttpResponse:
    if ivr_call_try_failed(call) >= MAX_TRIES:
        return _hand_over(call, [problem, prompts.not_identified()])
    return _ask_fin([problem])


@twilio_webhook(step=IvrStep.FIN)
def ivr_fin(request: HttpRequest, form: dict[str, str], call: IvrCall) -> HttpResponse:
    """The FIN, keyed (each letter as its key's digit) or said."""
    digits = form.get("Digits", "").strip()
    speech = form.get("SpeechResult", "").strip()
    if digits == AGENT_KEY:
        return _hand_over(call)
    if not digits and not speech:
        return _fin_not_usable(call, prompts.nothing_heard())
    given = fin_from_keys(digits) if digits else fin_from_speech(speech)
    if given is None:
        return _fin_not_usable(call, prompts.not_a_fin())
    _pin_ids, problem = _pins_of(given)
    if problem:
        return _fin_not_usable(call, problem)
    ivr_call_move(call, step=IvrStep.PIN, fin_given=given.value, fin_keyed=given.keyed)
    return _ask_pin()


def _pin_not_usable(call: IvrCall, problem: str) -> HttpResponse:
    if ivr_call_try_failed(call) >= MAX_TRIES:
        return _hand_over(call, [problem, prompts.not_identified()])
    return _ask_pin([problem])


@twilio_webhook(step=IvrStep.PIN)
def ivr_pin(request: HttpRequest, form: dict[str, str], call: IvrCall) -> HttpResponse:
    """The PIN, keyed and ended with the hash key. Only a PIN of 4–6 digits is checked: a
    silence or a stray key costs none of the three tries."""
    digits = form.get("Digits", "").strip()
    if digits == AGENT_KEY:
        return _hand_over(call)
    if not digits:
        return _pin_not_usable(call, prompts.nothing_heard())
    pin = keyed_pin(digits)
    if pin is None:
        return _pin_not_usable(call, prompts.not_a_pin())
    pin_ids, problem = _pins_of(FinGiven(call.fin_given, keyed=call.fin_keyed))
    if problem:
        # The PIN was changed or locked since the FIN was given.
        ivr_call_move(call, step=IvrStep.FIN)
        return _ask_fin([problem])
    check = phone_pin_check(candidate_ids=pin_ids, pin=pin)
    if check.outcome == Outcome.IDENTIFIED and check.person is not None and check.user_id:
        ivr_call_identified(call, person=check.person, user_id=check.user_id)
        return _menu([prompts.thank_you(check.person.first_name)])
    if check.outcome == Outcome.WRONG:
        ivr_call_try_failed(call)
        return _ask_pin([prompts.wrong_pin(check.tries_left)])
    if check.outcome == Outcome.AMBIGUOUS:
        ivr_call_move(call, step=IvrStep.FIN)
        return _ask_fin([prompts.who_of_several()])
    # Locked, by this PIN or before it.
    return _hand_over(call, [prompts.pin_locked(), prompts.not_identified()])


@twilio_webhook(step=IvrStep.MENU)
def ivr_menu(request: HttpRequest, form: dict[str, str], call: IvrCall) -> HttpResponse:
    """The identified caller's choice: their applications, disability assessment, payments,
    next centre visit, or an agent."""
    if call.person_id is None:
        ivr_call_move(call, step=IvrStep.FIN, forget_caller=True)
        return _ask_fin()
    digit = form.get("Digits", "").strip()
    if digit == AGENT_KEY:
        return _hand_over(call)
    answer = answers.MENU.get(digit)
    if answer is None:
        if ivr_call_try_failed(call) >= MAX_TRIES:
            return _end(call, [prompts.goodbye()])
        return _menu([prompts.not_on_menu() if digit else prompts.nothing_heard()])
    if call.step_tries:
        ivr_call_move(call, step=IvrStep.MENU)
    return _menu(answer(call.person_id))
