"""Certificates issued to citizens, each checkable by anyone who holds its code."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dost.certificates.codes import CODE_ALPHABET, CODE_LENGTH, group_code
from dost.certificates.registry import certificate_kind


class Certificate(models.Model):
    """A PDF issued to a citizen, with what is needed to verify it later.

    The PDF bytes are kept in the row, not in MEDIA_ROOT: a certificate is a
    few dozen kilobytes (PostgreSQL stores it out of line, so lists that defer
    it stay fast), the bytes and their hash are written in one transaction (a
    failed issue leaves no orphan file, a file can never be swapped behind the
    hash), and the document is covered by the database's backups and
    replication with nothing shared between web and worker hosts.

    ``facts`` holds only what the holder chose to show to whoever checks the
    certificate; ``masked_name`` is shown otherwise.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    holder = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                               related_name="certificates", db_index=False)
    kind = models.CharField(_("kind"), max_length=64)
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True)
    options = models.JSONField(_("options"), default=dict)
    language = models.CharField(_("language"), max_length=2)
    masked_name = models.CharField(_("masked name"), max_length=64)
    shared = models.JSONField(_("shared fields"), default=list)
    facts = models.JSONField(_("shared facts"), default=dict)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.VALID)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["holder", "-issued_at"], name="certificate_holder_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$"),
                name="certificate_code_format",
            ),
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"

    @property
    def grouped_code(self) -> str:
        return group_code(self.code)

    @property
    def title(self) -> str:
        """The kind's title in the active language (the code if the kind is gone)."""
        kind = certificate_kind(self.kind)
        return str(kind.title) if kind else self.kind

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

