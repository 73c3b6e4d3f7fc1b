"""Users with one role each, and the institutions that call the API."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
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


class Scope(models.TextChoices):
    EVENTS_WRITE = "events:write", _("push life events")
    AWARDS_READ = "awards:read", _("read citizens' awards")
    REGISTRY_READ = "registry:read", _("read citizens' registry records")


class Institution(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InstitutionToken(models.Model):
    """An API token. Only its SHA-256 is stored: a leaked table leaks no token."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scopes = ArrayField(models.CharField(max_length=32, choices=Scope.choices))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("institution token")
        verbose_name_plural = _("institution tokens")

    def __str__(self) -> str:
        return f"{self.institution} {self.prefix}…"

    @staticmethod
    def new_raw_key() -> str:
        return secrets.token_urlsafe(32)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
