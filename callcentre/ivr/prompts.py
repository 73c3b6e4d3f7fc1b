"""What the voice menu says, in the caller's language (the active one when called).

Each prompt is a gettext string, so the three languages are kept in the project's
catalogue like every page; the views call these with the call's language active.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LANGUAGES = ("az", "en", "ru")
# The key that chooses each language in the first menu.
LANGUAGE_KEYS = {"1": "az", "2": "en", "3": "ru"}


@dataclass(frozen=True)
class Voice:
    """How Twilio speaks and hears one of our languages."""

    # <Say language> and <Say voice>: a voice of Twilio's text-to-speech providers.
    say_language: str
    voice: str
    # <Gather language>: the speech recogniser's language (BCP-47).
    hear_language: str


VOICES = {
    # Neither of Twilio's text-to-speech providers (Amazon Polly, Google) has an Azerbaijani
    # voice. Turkish is the closest one they have, and it reads Azerbaijani's Latin spelling
    # nearly right (not "ə", "x" or "q"); recorded prompts played with <Play> are the way to
    # a native voice. Google's recogniser does hear Azerbaijani, so the FIN said is heard as
    # az-AZ.
    "az": Voice(say_language="tr-TR", voice="Google.tr-TR-Standard-A", hear_language="az-AZ"),
    "en": Voice(say_language="en-GB", voice="Google.en-GB-Standard-A", hear_language="en-GB"),
    "ru": Voice(say_language="ru-RU", voice="Google.ru-RU-Standard-A", hear_language="ru-RU"),
}


# --- the language menu (said in each language in turn) ----------------------------------------


def welcome() -> str:
    return _("Welcome to the 142 line of DOST.")


def choose_language(digit: str) -> str:
    # Translated in each catalogue as "To continue in <that language>".
    return _("To continue in English, press %(digit)s.") % {"digit": digit}


def no_language_chosen() -> str:
    return _("We did not get your choice.")


# --- the FIN -----------------------------------------------------------------------------------


def ask_fin() -> str:
    return _("Say your FIN, the seven characters on your identity card, one by one. Or key it: "
             "for a letter, press the key it is on. To talk to an agent, press 0 and then the "
             "hash key.")


def nothing_heard() -> str:
    return _("We did not hear anything.")


def not_a_fin() -> str:
    return _("That was not a FIN. A FIN has seven characters: digits and Latin letters.")


def unknown_fin() -> str:
    return _("We found no one with that FIN. Please check it and try again.")


def no_pin_for_keys() -> str:
    return _("We found no phone PIN for that FIN. Check it and try again. If you have not set "
             "a PIN yet, set one on the e-Social portal, under My phone PIN.")


def no_pin_set() -> str:
    return _("You have not set a phone PIN yet. Set one on the e-Social portal, "
             "e-social.gov.az, under My phone PIN, then call again.")


def say_fin_instead() -> str:
    return _("Several FINs are keyed this way. Please say your FIN instead.")


def pin_locked() -> str:
    return _("Your phone PIN is locked after three wrong tries. Even the right PIN is refused "
             "until you set a new PIN on the e-Social portal, e-social.gov.az.")


# --- the PIN -----------------------------------------------------------------------------------


def ask_pin() -> str:
    return _("Key your phone PIN, four to six digits, then the hash key.")


def not_a_pin() -> str:
    return _("A phone PIN has four to six digits.")


def wrong_pin(tries_left: int) -> str:
    return ngettext("That PIN is wrong. You have %(count)d more try.",
                    "That PIN is wrong. You have %(count)d more tries.",
                    tries_left) % {"count": tries_left}


def who_of_several() -> str:
    return _("We cannot tell who you are from the keys alone. Please say your FIN.")


def thank_you(name: str) -> str:
    return _("Thank you, %(name)s.") % {"name": name}


# --- the main menu -----------------------------------------------------------------------------


def main_menu() -> str:
    return _("For the status of your applications, press 1. For your disability assessment, "
             "press 2. For your payments, press 3. For your next visit to a DOST centre, press "
             "4. To talk to an agent, press 0.")


def not_on_menu() -> str:
    return _("That is not on the menu.")


# --- the end of the menu -----------------------------------------------------------------------


def not_identified() -> str:
    return _("We could not identify you.")


def hold_for_agent() -> str:
    return _("Please hold: we are putting you through to an agent.")


def goodbye() -> str:
    return _("Thank you for calling. Goodbye.")


def call_too_long() -> str:
    return _("This call has gone on too long for the menu. Please call again.")
