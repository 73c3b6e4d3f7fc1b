"""Formats of Azerbaijani identifiers, with normalisers for what people type."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 7 characters: digits and uppercase Latin letters without I and O, which
# would be confused with 1 and 0.
FIN_RE = re.compile(r"^[0-9A-HJ-NP-Z]{7}\Z")
FIN_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MOBILE_CODES = ("10", "50", "51", "55", "60", "70", "77", "99")
PHONE_RE = re.compile(r"^\+994(" + "|".join(MOBILE_CODES) + r")[0-9]{7}\Z")
IBAN_RE = re.compile(r"^AZ[0-9]{2}[A-Z]{4}[0-9A-Z]{20}\Z")
# What people put between the digits of a phone number.
_PHONE_SEPARATORS = re.compile(r"[\s().+-]")


def normalize_fin(value: str) -> str:
    return (value or "").strip().upper()


def validate_fin(value: str) -> None:
    if not FIN_RE.match(value or ""):
        raise ValidationError(
            _(
                "A FIN has 7 characters: digits and capital Latin letters "
                "except I and O (for example 5ZK2M7T)."
            ),
            code="invalid_fin",
        )


def normalize_phone(value: str) -> str:
    """Turn ``050 123 45 67``, ``994501234567`` or ``+994 50 123-45-67`` into E.164.

    Only separators are dropped: anything else, such as digits of another script
    (``٠٥٠``), stays for ``validate_phone`` to refuse rather than vanish unseen.
    """
    digits = _PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("994"):
        digits = digits[3:]
    elif digits.startswith("0"):
        digits = digits[1:]
    return f"+994{digits}" if digits else ""


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError(
            _("Enter an Azerbaijani mobile number, for example +994 50 123 45 67."),
            code="invalid_phone",
        )


def validate_iban(value: str) -> None:
    if value and not IBAN_RE.match(value):
        raise ValidationError(
            _("Enter an Azerbaijani IBAN: AZ, 2 digits, 4 letters and 20 characters."),
            code="invalid_iban",
        )
    if value and not _iban_checksum_ok(value):
        raise ValidationError(_("This IBAN's check digits are wrong."), code="invalid_iban")


def _iban_checksum_ok(iban: str) -> bool:
    rearranged = iban[4:] + iban[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def iban_with_checksum(country_and_bban: tuple[str, str]) -> str:
    country, bban = country_and_bban
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


# A name key folds every usual spelling of an Azerbaijani name to one string, so that
# the passport's Latin (Məmmədov), the ASCII and English forms (Mammadov, Memmedov),
# the Russian form in Cyrillic (Мамедов) and its transliteration (Mamedov) meet exactly.
# It is a search key, never shown: it may merge letters a reader would keep apart.
#
# 1. Cyrillic is transliterated first, as Russian writes Azerbaijani sounds: "дж" is c
#    (Джафаров = Cəfərov), and я, ю, ё after a consonant are ə, ü, ö (Кязимов = Kazımov,
#    Гюльнара = Gülnarə); the soft and hard signs carry no letter.
# 2. Letters lose their marks (ş, ç, ğ, ö, ü and any other), then English and Russian
#    digraphs become one letter (kh = x, sh = s, ch = c, zh = j, dj = c).
# 3. Letters that the spellings exchange share one letter:
#    - a, e, ə: Russian and English write ə as e or a (Məmmədov, Mamedov, Mammadov);
#    - g, q, ğ, h, x: Russian writes h as г or х (Hüseynov = Гусейнов, Əhməd = Ахмед),
#      q as г (Quliyev = Гулиев) and ğ as г;
#    - c, j: English writes c as j (Jafarov), Russian writes j as ж.
# 4. A y between vowels is dropped: Russian spells -iyev, -ayev, -ayıl as -иев, -аев,
#    -аил (Əliyev = Алиев, İsmayılov = Исмаилов).
# 5. A doubled letter counts once: Russian drops one (Мамедов), and doubling a letter
#    is a common typing slip.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ç",
    "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "ь": "", "э": "e",
    # Azerbaijani Cyrillic (1939-1991) letters still seen in old records.
    "ә": "ə", "ғ": "ğ", "ҹ": "c", "һ": "h", "ө": "ö", "ү": "ü", "ҝ": "g", "ј": "y",
}
# Iotated vowels: after a consonant they soften it (the Azerbaijani vowel), elsewhere
# they are y + vowel.
_IOTATED = {"я": ("ə", "ya"), "ю": ("ü", "yu"), "ё": ("ö", "yo"), "е": ("e", "e")}
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяәөү")
_DIGRAPHS = (("kh", "x"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("dj", "c"))
_FOLD = str.maketrans({"ə": "a", "e": "a", "ı": "i", "j": "c", "q": "g", "h": "g", "x": "g"})
_Y_BETWEEN_VOWELS = re.compile(r"(?<=[aiou])y(?=[aiou])")
_DOUBLED = re.compile(r"(.)\1+")


def _latin(text: str) -> str:
    """Russian (and old Azerbaijani) Cyrillic in Azerbaijani Latin letters."""
    text = text.replace("дж", "c")
    letters = []
    previous = ""
    for ch in text:
        if ch in _IOTATED:
            soft, iotated = _IOTATED[ch]
            after_consonant = previous.isalpha() and previous not in _CYRILLIC_VOWELS
            letters.append(soft if after_consonant else iotated)
        else:
            letters.append(_CYRILLIC.get(ch, ch))
        if ch not in "ьъ":
            previous = ch
    return "".join(letters)


# Names repeat across millions of people (a search ranks hundreds of them), and the
# key is a pure function of the name.
@lru_cache(maxsize=65_536)
def name_key(value: str) -> str:
    """A spelling-insensitive key for a name: lowercase plain Latin letters only.

    See the notes above: every usual spelling of one name has the same key.
    """
    text = _latin((value or "").lower())
    # Marks go first (ş, ç, ğ, ö, ü, and the dot "İ".lower() leaves), so that ş and sh,
    # é and e, fold alike below.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    letters = "".join(ch for ch in text.translate(_FOLD) if "a" <= ch <= "z")
    # Single letters first, so that the y of "iyy" is between vowels too (Ülviyyə = Улвие);
    # dropping a y may bring two vowels together (Ağayev = Агаев).
    letters = _Y_BETWEEN_VOWELS.sub("", _DOUBLED.sub(r"\1", letters))
    return _DOUBLED.sub(r"\1", letters)
