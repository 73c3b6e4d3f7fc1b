"""Writes to accounts and institution tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dost.accounts.models import Institution, InstitutionToken, Role, Scope, User, hash_token
from dost.errors import DomainError
from dost.registry.models import Person


def citizen_account_create(*, person: Person, password: str) -> User:
    """Give a registered person a portal account; the FIN is the login."""
    if User.objects.filter(person=person).exists():
        raise DomainError(_("This person already has an account."), code="duplicate_account")
    user = User(username=person.fin, role=Role.CITIZEN, person=person,
                first_name=person.first_name, last_name=person.last_name)
    user.set_password(password)
    user.save()
    return user


def institution_token_create(*, name: str, scopes: list[str]) -> tuple[InstitutionToken, str]:
    """Make a new API token for an institution (created if new).

    Returns the token row and the raw key, which is shown once and never stored.
    """
    name = name.strip()
    if not name:
        raise DomainError(_("Name the institution."), code="name_required")
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise DomainError(
            _("Unknown scopes: %(scopes)s. Known scopes: %(known)s.")
            % {"scopes": ", ".join(unknown), "known": ", ".join(Scope.values)},
            code="unknown_scope",
        )
    if not scopes:
        raise DomainError(_("Give the token at least one scope."), code="scope_required")
    raw_key = InstitutionToken.new_raw_key()
    with transaction.atomic():
        institution, _created = Institution.objects.get_or_create(
            name=name, defaults={"code": slugify(name)[:64] or "institution"}
        )
        token = InstitutionToken.objects.create(
            institution=institution,
            key_hash=hash_token(raw_key),
            prefix=raw_key[:8],
            scopes=sorted(set(scopes)),
        )
    return token, raw_key
