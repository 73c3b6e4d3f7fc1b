"""Verification codes: random, unguessable, and forgiving when typed by hand."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or retyped from paper
# survives; 12 characters carry 60 random bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def group_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read out and to type."""
    return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalize_code(typed: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one.

    Spaces, dashes and case are ignored, and letters that look like digits are
    read as those digits, as Crockford's alphabet intends.
    """
    code = "".join(typed.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code
