"""TwiML answers of the voice menu, built with twilio's ``VoiceResponse``.

Every sentence is said with the voice of the language it is in; every question
is a ``<Gather>`` that posts to the next step even when the caller says or keys
nothing (``actionOnEmptyResult``), so a silence is answered like any other input.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from twilio.twiml.voice_response import Gather, VoiceResponse

from callcentre.ivr import prompts
from callcentre.ivr.prompts import LANGUAGE_KEYS, VOICES

# Seconds Twilio waits for the first key or word.
ANSWER_TIMEOUT = 8
# An E.164 number in IVR_AGENT_QUEUE is dialled; anything else is the name of a Twilio queue.
PHONE_NUMBER_PREFIX = "+"


def _language() -> str:
    language = (translation.get_language() or "az")[:2]
    return language if language in VOICES else "az"


def say(parent: VoiceResponse | Gather, sentences: Iterable[str]) -> None:
    """Say ``sentences`` with the voice of the active language."""
    voice = VOICES[_language()]
    for sentence in sentences:
        parent.say(sentence, language=voice.say_language, voice=voice.voice)


def as_http(response: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def language_menu(*, again: bool = False) -> HttpResponse:
    """Greet the caller and ask for a language, each choice said in its own language;
    ``again`` after an answer that chose none."""
    response = VoiceResponse()
    gather = response.gather(input="dtmf", num_digits=1, timeout=ANSWER_TIMEOUT,
                             action=reverse("callcentre:ivr_language"), method="POST",
                             action_on_empty_result=True)
    for digit, language in LANGUAGE_KEYS.items():
        with translation.override(language):
            lines = [prompts.no_language_chosen()] if again else []
            if language == "az" and not again:
                lines.append(prompts.welcome())
            say(gather, [*lines, prompts.choose_language(digit)])
    return as_http(response)


def ask(sentences: Iterable[str], *, step_url: str, speech: bool = False,
        num_digits: int | None = None) -> HttpResponse:
    """Say ``sentences`` while waiting for keys (and words, with ``speech``)."""
    response = VoiceResponse()
    options: dict[str, object] = {"timeout": ANSWER_TIMEOUT, "action": step_url,
                                  "method": "POST", "action_on_empty_result": True}
    if speech:
        options.update(input="dtmf speech", language=VOICES[_language()].hear_language,
                       speech_timeout="auto")
    else:
        options.update(input="dtmf")
    if num_digits:
        options["num_digits"] = num_digits
    else:
        options["finish_on_key"] = "#"
    gather = response.gather(**options)
    say(gather, sentences)
    return as_http(response)


def to_agents(sentences: Iterable[str]) -> HttpResponse:
    """Say ``sentences`` and put the caller through to the agents: into the Twilio queue
    named by ``IVR_AGENT_QUEUE``, or to the number it holds."""
    response = VoiceResponse()
    say(response, [*sentences, prompts.hold_for_agent()])
    target = settings.IVR_AGENT_QUEUE
    if target.startswith(PHONE_NUMBER_PREFIX):
        response.dial(target)
    else:
        response.enqueue(target)
    return as_http(response)


def hang_up(sentences: Iterable[str]) -> HttpResponse:
    response = VoiceResponse()
    say(response, sentences)
    response.hangup()
    return as_http(response)
