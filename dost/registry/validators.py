"""Formats of Azerbaijani identifiers, with normalisers for what people type."""

from __future__ import annotations

import re
import unicodedata

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


# Azerbaijani letters folded to plain Latin as passports spell them (Ə as A), so
# "Mammadov", "Məmmədov" and "Мамедов" land on nearby keys.
_FOLD = str.maketrans(
    {
        "ə": "a", "Ə": "a", "ı": "i", "I": "i", "İ": "i", "ş": "s", "Ş": "s",
        "ç": "c", "Ç": "c", "ğ": "g", "Ğ": "g", "ö": "o", "Ö": "o", "ü": "u", "Ü": "u",
    }
)
_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
        "ч": "c", "ш": "s", "щ": "s", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)


def name_key(value: str) -> str:
    """A spelling-insensitive key for a name: lowercase plain Latin letters only."""
    folded = (value or "").translate(_FOLD).lower().translate(_CYRILLIC)
    decomposed = unicodedata.normalize("NFKD", folded)
    letters = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    for digraph, letter in _DIGRAPHS:
        letters = letters.replace(digraph, letter)
    return letters.replace("q", "g")


# English and Russian spellings of Azerbaijani sounds (Khalilov = Xəlilov).
_DIGRAPHS = (("kh", "x"), ("sh", "s"), ("ch", "c"), ("gh", "g"), ("zh", "j"))
