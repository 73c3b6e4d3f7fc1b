"""Users with one role each, and the institutions that call the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    STAFF = "staff", _("DOST centre staff")
    AGENT = "agent", _("142 call-centre agent")
    EXPERT = "expert", _("MSEC expert")
    DOCTOR = "doctor", _("doctor")
    EMPLOYER = "employer", _("employer")
    ADMIN = "admin", _("administrator")


class User(AbstractUser):
    """A person who signs in. A citizen's username is their FIN."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CITIZEN)
    person = models.OneToOneField(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True,
        related_name="user", verbose_name=_("person in the registry"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="citizen") | Q(person__isnull=False),
                name="citizen_has_person",
            ),
        ]

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN

    @property
    def is_administrator(self) -> bool:
        """May use the Django admin: an administrator's account (by role or as superuser)
        that Django also lets into its admin (active and ``is_staff``)."""
        return (self.is_active and self.is_staff
                and (self.role == Role.ADMIN or self.is_superuser))


class Scope(models.TextChoices):
    EVENTS_WRITE = "events:write", _("push life events")
    AWARDS_READ = "awards:read", _("read citizens' awards")
    REGISTRY_READ = "registry:read", _("read citizens' registry records")
    REFERRALS_WRITE = "referrals:write", _("submit disability referrals (health facilities)")


class InstitutionKind(models.TextChoices):
    """Presets of the life events an institution reports (``create_institution_token --kind``)."""

    CIVIL_REGISTRY = "civil_registry", _("civil registry")
    EXPERT_COMMISSION = "expert_commission", _("medical-social expert commission (MSEC)")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("labour inspectorate")


# The bridge's event type codes, kept here as plain strings: the bridge depends on accounts,
# never the other way round. A bridge test checks that together they are the bridge's types.
EVENT_TYPES_OF_KIND: dict[str, tuple[str, ...]] = {
    # death_annulled is the civil registry's correction of a death it recorded by mistake.
    InstitutionKind.CIVIL_REGISTRY: ("birth", "death", "death_annulled", "marriage"),
    InstitutionKind.EXPERT_COMMISSION: ("disability",),
    InstitutionKind.LABOUR_INSPECTORATE: ("employment_start", "employment_end"),
}
KNOWN_EVENT_TYPES: tuple[str, ...] = tuple(
    sorted({kind for kinds in EVENT_TYPES_OF_KIND.values() for kind in kinds})
)


def validate_event_type(value: str) -> None:
    if value not in KNOWN_EVENT_TYPES:
        raise ValidationError(
            _("Unknown event type %(type)s. Known types: %(known)s."),
            code="unknown_event_type",
            params={"type": value, "known": ", ".join(KNOWN_EVENT_TYPES)},
        )


class Institution(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # What it may push through the bridge: anything else is refused, whatever its token's scopes.
    event_types = ArrayField(
        models.CharField(max_length=32, validators=[validate_event_type]),
        default=list, blank=True, verbose_name=_("event types it sends"),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry_default() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INSTITUTION_TOKEN_DAYS)


# DRF's rate notation: a count per second, minute, hour or day ("600/min").
RATE_PATTERN = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def validate_rate(value: str) -> None:
    if not RATE_PATTERN.match(value):
        raise ValidationError(
            _("A rate is a number of requests per s, min, hour or day, like 600/min."),
            code="invalid_rate",
        )


class InstitutionToken(models.Model):
    """An API token. Only its SHA-256 is stored: a leaked table leaks no token."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scopes = ArrayField(models.CharField(max_length=32, choices=Scope.choices))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=token_expiry_default)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Empty: the rate of REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["institution"].
    rate = models.CharField(
        _("request rate"), max_length=32, blank=True, default="", validators=[validate_rate],
        help_text=_("requests allowed, like 600/min; empty for the default rate"),
    )
    # One successor at most: a token is rotated once, then its successor is.
    rotated_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="successor", verbose_name=_("rotated from"),
    )

    class Meta:
        verbose_name = _("institution token")
        verbose_name_plural = _("institution tokens")

    def __str__(self) -> str:
        return f"{self.institution} {self.prefix}…"

    @staticmethod
    def new_raw_key() -> str:
        # Never starting with "-": operators pass the prefix to commands, which would
        # take it for an option.
        while (raw := secrets.token_urlsafe(32)).startswith("-"):
            pass
        return raw

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_expired(self, *, at: dt.datetime) -> bool:
        return self.expires_at <= at


class PhonePin(models.Model):
    """The PIN a citizen sets on the portal to identify themselves on the 142 phone line.

    Only its hash is stored (Django's password hashers). ``keypad_fin`` is the FIN
    as keyed on a phone (each letter as its key's digit): the IVR finds the few
    people who share those keys through its index, and the PIN tells them apart.
    Three wrong PINs in a row lock it (``locked_at``) until a new PIN is set.
    """

    person = models.OneToOneField("registry.Person", on_delete=models.CASCADE,
                                  related_name="phone_pin", verbose_name=_("person"))
    pin_hash = models.CharField(_("PIN hash"), max_length=128)
    keypad_fin = models.CharField(_("FIN on the phone keypad"), max_length=7, db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong PINs in a row"), default=0)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("phone PIN")
        verbose_name_plural = _("phone PINs")
        constraints = [
            models.CheckConstraint(condition=Q(keypad_fin__regex=r"^[0-9]{7}$"),
                                   name="phonepin_keypad_fin_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.keypad_fin} {'locked' if self.locked_at else 'active'}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None
