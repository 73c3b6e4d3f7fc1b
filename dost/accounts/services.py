"""Writes to accounts and institution tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dost.accounts.models import (
    KNOWN_EVENT_TYPES,
    Institution,
    InstitutionToken,
    Role,
    Scope,
    User,
    hash_token,
    validate_rate,
)
from dost.errors import DomainError
from dost.registry.models import Person
from dost.registry.validators import FIN_RE, normalize_fin

# How long a rotated token keeps working: time for the institution to switch to the new key.
ROTATION_GRACE_DEFAULT = dt.timedelta(hours=24)


def citizen_account_create(*, person: Person, password: str) -> User:
    """Give a registered person a portal account; the FIN is the login."""
    if User.objects.filter(person=person).exists():
        raise DomainError(_("This person already has an account."), code="duplicate_account")
    user = User(username=person.fin, role=Role.CITIZEN, person=person,
                first_name=person.first_name, last_name=person.last_name)
    user.set_password(password)
    user.save()
    return user


# Accounts an administrator creates: every role but the citizen's (from the registry) and
# the employer's (not yet served).
OFFICIAL_ROLES = (Role.STAFF, Role.AGENT, Role.EXPERT, Role.DOCTOR, Role.ADMIN)


@dataclass(frozen=True)
class SecondFactor:
    """What the new account's holder types into an authenticator app, shown once."""

    secret: str
    uri: str
    recovery_codes: list[str]


def official_account_check(*, username: str, role: str, email: str = "") -> None:
    """Refuse, before any password is asked for, an account that could not be created."""
    if role not in OFFICIAL_ROLES:
        raise DomainError(
            _("Unknown role %(role)s. Known roles: %(known)s.")
            % {"role": role, "known": ", ".join(OFFICIAL_ROLES)}, code="unknown_role")
    if not username:
        raise DomainError(_("Give the account a username."), code="username_required")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_username") from None
    if FIN_RE.match(normalize_fin(username)):
        # The sign-in form reads seven such characters as a FIN: the account would take
        # the login of the citizen who has that FIN.
        raise DomainError(_("%(username)s could be a citizen's FIN: choose a username that "
                            "is not 7 letters and digits.") % {"username": username},
                          code="username_like_fin")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("There is already an account named %(username)s.")
                          % {"username": username}, code="duplicate_account")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("%(email)s is not an e-mail address.") % {"email": email},
                              code="invalid_email") from None


def official_account_create(
    *, username: str, role: str, password: str, first_name: str = "", last_name: str = "",
    email: str = "",
) -> tuple[User, SecondFactor | None]:
    """An official's account, with its second factor set up when the role needs one.

    An administrator is a superuser with access to the Django admin. Nothing is created
    when anything is refused: the role, the username, the e-mail or the password.
    """
    username, email = username.strip(), email.strip()
    official_account_check(username=username, role=role, email=email)
    administrator = role == Role.ADMIN
    user = User(username=username, role=role, first_name=first_name.strip(),
                last_name=last_name.strip(), email=email,
                is_staff=administrator, is_superuser=administrator)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password") from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        second_factor = None
        if role in settings.TWO_FACTOR_ROLES or administrator:
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            codes = RecoveryCodes.activate(user).get_unused_codes()
            second_factor = SecondFactor(secret=secret,
                                         uri=get_mfa_adapter().build_totp_url(user, secret),
                                         recovery_codes=codes)
    return user, second_factor


def institution_token_create(
    *, name: str, scopes: list[str], event_types: list[str] | None = None, rate: str = "",
) -> tuple[InstitutionToken, str]:
    """Make a new API token for an institution (created if new).

    ``event_types``, when given, become the institution's (for all its tokens);
    when not, it keeps those it has (none, if new: it may push no event).
    ``rate`` overrides the default request rate for this token. The token
    works ``INSTITUTION_TOKEN_DAYS`` days. Returns the token row and the raw
    key, which is shown once and never stored.
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
    if event_types is not None:
        _check_event_types(event_types)
    _check_rate(rate)
    with transaction.atomic():
        institution, _created = Institution.objects.get_or_create(
            name=name, defaults={"code": slugify(name)[:64] or "institution"}
        )
        if event_types is not None:
            institution.event_types = sorted(set(event_types))
            institution.save(update_fields=["event_types"])
        return _token_issue(institution=institution, scopes=sorted(set(scopes)), rate=rate)


def institution_token_rotate(
    *, token: InstitutionToken, grace: dt.timedelta
) -> tuple[InstitutionToken, str]:
    """Replace ``token`` by a new one.

    The new token has the same institution, scopes and rate, and a full
    lifetime; the old one keeps working for ``grace`` only (never longer than
    it would have), so the institution can switch keys without downtime.
    Returns the new token row and its raw key, shown once.
    """
    if grace < dt.timedelta(0):
        raise DomainError(_("The grace period cannot be negative."), code="negative_grace")
    with transaction.atomic():
        # Locked: two rotations at once must not both find the token without a successor.
        old = (InstitutionToken.objects.select_for_update(of=("self",))
               .select_related("institution").get(pk=token.pk))
        if old.revoked_at is not None:
            raise DomainError(_("A revoked token cannot be rotated."), code="token_revoked")
        successor = InstitutionToken.objects.filter(rotated_from=old).first()
        if successor is not None:
            raise DomainError(
                _("This token was already rotated: rotate its successor %(prefix)s instead.")
                % {"prefix": successor.prefix},
                code="token_already_rotated",
            )
        now = timezone.now()
        if grace < old.expires_at - now:  # compared, not added: a huge grace cannot overflow
            old.expires_at = now + grace
            old.save(update_fields=["expires_at"])
        return _token_issue(institution=old.institution, scopes=old.scopes, rate=old.rate,
                            rotated_from=old)


def _token_issue(
    *, institution: Institution, scopes: list[str], rate: str,
    rotated_from: InstitutionToken | None = None,
) -> tuple[InstitutionToken, str]:
    raw_key = InstitutionToken.new_raw_key()
    now = timezone.now()
    token = InstitutionToken.objects.create(
        institution=institution,
        key_hash=hash_token(raw_key),
        prefix=raw_key[:8],
        scopes=scopes,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.INSTITUTION_TOKEN_DAYS),
        rate=rate,
        rotated_from=rotated_from,
    )
    return token, raw_key


def _check_event_types(event_types: list[str]) -> None:
    unknown = sorted(set(event_types) - set(KNOWN_EVENT_TYPES))
    if unknown:
        raise DomainError(
            _("Unknown event types: %(types)s. Known types: %(known)s.")
            % {"types": ", ".join(unknown), "known": ", ".join(KNOWN_EVENT_TYPES)},
            code="unknown_event_type",
        )


def _check_rate(rate: str) -> None:
    if not rate:
        return
    try:
        validate_rate(rate)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_rate") from exc
