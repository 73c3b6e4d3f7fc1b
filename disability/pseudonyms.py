"""Keyed hashes: find a pseudonymised person's or facility's records without storing who.

HMAC-SHA256 under ``settings.PSEUDONYM_KEY``: without the key, nobody holding the
table can test a FIN against it (a plain hash of a 7-character FIN is broken by
trying them all).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pseudonym(value: str, *, purpose: str) -> str:
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()


def person_pseudonym(fin: str) -> str:
    return pseudonym(fin.upper(), purpose="person")


def facility_pseudonym(code: str) -> str:
    return pseudonym(code, purpose="facility")
