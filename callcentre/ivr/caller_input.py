"""What a caller keyed or said, made into a FIN, a PIN or a menu choice.

A FIN has letters. Said, it comes back from Twilio's speech recognition as text
in the caller's language: spaces between the characters, digits as words
("beş", "five", "пять"), and Cyrillic letters that look like the Latin ones.
Keyed, each letter is its key's digit (``5ALC7E1`` → ``5252731``), which several
FINs may share: the PIN tells them apart (``dost.accounts.phone_pin``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dost.registry.validators import FIN_RE

AGENT_KEY = "0"
KEYED_FIN_RE = re.compile(r"^[0-9]{7}\Z")
KEYED_PIN_RE = re.compile(r"^[0-9]{4,6}\Z")

# Digits said as words, in the three languages of the line (and "oh" for zero in English).
_NUMBER_WORDS = {
    **dict.fromkeys(("zero", "oh", "sıfır", "sifir", "ноль", "нуль"), "0"),
    **dict.fromkeys(("one", "bir", "один", "одна", "раз"), "1"),
    **dict.fromkeys(("two", "iki", "два", "две"), "2"),
    **dict.fromkeys(("three", "üç", "uc", "три"), "3"),
    **dict.fromkeys(("four", "dörd", "dord", "четыре"), "4"),
    **dict.fromkeys(("five", "beş", "bes", "пять"), "5"),
    **dict.fromkeys(("six", "altı", "alti", "шесть"), "6"),
    **dict.fromkeys(("seven", "yeddi", "семь"), "7"),
    **dict.fromkeys(("eight", "səkkiz", "sekkiz", "восемь"), "8"),
    **dict.fromkeys(("nine", "doqquz", "девять"), "9"),
}
# Cyrillic letters that look like Latin ones or digits, as a recogniser set to Russian writes
# them; and the Latin I and O, which no FIN has, for the 1 and 0 they were meant as.
_LOOK_ALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "О": "0", "З": "3", "І": "1", "O": "0", "I": "1",
})
_SEPARATORS = re.compile(r"[\s.,;:!?\-_/]+")


@dataclass(frozen=True)
class FinGiven:
    """A FIN as the caller gave it: ``keyed`` means ``value`` holds the keys, not the FIN."""

    value: str
    keyed: bool


def fin_from_keys(digits: str) -> FinGiven | None:
    digits = (digits or "").strip()
    return FinGiven(digits, keyed=True) if KEYED_FIN_RE.match(digits) else None


def fin_from_speech(speech: str) -> FinGiven | None:
    """The FIN in what the recogniser heard, or None when it does not make one."""
    characters = []
    for word in _SEPARATORS.split((speech or "").strip()):
        if not word:
            continue
        # Python lowers "İ" to "i" and a combining dot: Azerbaijani's dotted capital.
        digit = _NUMBER_WORDS.get(word.replace("İ", "i").lower())
        characters.append(digit if digit is not None else word.upper().translate(_LOOK_ALIKES))
    fin = "".join(characters)
    return FinGiven(fin, keyed=False) if FIN_RE.match(fin) else None


def keyed_pin(digits: str) -> str | None:
    digits = (digits or "").strip()
    return digits if KEYED_PIN_RE.match(digits) else None
