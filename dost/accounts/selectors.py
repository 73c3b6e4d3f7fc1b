"""Reads of accounts and institution tokens."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dost.accounts.models import InstitutionToken
from dost.errors import DomainError


def unrevoked_token_by_prefix(prefix: str) -> InstitutionToken:
    """The one unrevoked token whose key starts with ``prefix``, as operators name tokens.

    Refuses (``DomainError``) when none or several match: a prefix is 8 random
    characters, so two tokens may share one, and guessing between them is not ours.
    """
    prefix = prefix.strip()
    matches = list(InstitutionToken.objects.select_related("institution")
                   .filter(prefix=prefix, revoked_at__isnull=True)[:2])
    if not matches:
        raise DomainError(_("No unrevoked token starts with %(prefix)s.") % {"prefix": prefix},
                          code="token_not_found")
    if len(matches) > 1:
        raise DomainError(
            _("Several tokens start with %(prefix)s: revoke one in the back office.")
            % {"prefix": prefix},
            code="token_prefix_ambiguous",
        )
    return matches[0]
