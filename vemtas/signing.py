"""Social workers' Ed25519 keys, and the signed statement of a home visit.

An administrator issues a worker one key at a time (``key_issue``) and revokes it
(``key_revoke``); a new key is issued only once the old one is revoked, so no key
is ever replaced without a trace. The private key is kept encrypted at rest with
Fernet keys derived from ``FIELD_ENCRYPTION_KEYS`` (the project's key-encryption
secrets: the first encrypts, all decrypt), and leaves this module only as a
signature.

What a worker signs is a canonical JSON manifest (``manifest_for``) of the case,
the worker, the visit's time, the findings and every file's SHA-256. Verification
(``assessment_verify``) checks the signature, then compares the signed manifest
with what is stored now (findings, file rows, the files' bytes) and with the
decision log, which recorded the manifest's hash when it was signed: whatever was
edited, replaced, removed or added since is named.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import Role, User
from dost.audit.models import DecisionEntry, DecisionKind
from dost.errors import DomainError
from dost.formatting import format_datetime
from vemtas.models import Assessment, AssessmentMedia, AssessmentState, SigningKey

MANIFEST_VERSION = 1
# The findings a manifest holds, in the order a person reads them.
FINDINGS = ("members_present", "conditions", "matches_declaration", "disagreement")
# Read in chunks, so a 100 MB video is never held in memory whole.
CHUNK_BYTES = 1024 * 1024
# A fixed label, so these Fernet keys differ from any other key derived from the same
# secrets (disability's field encryption uses them with PBKDF2 and SECRET_KEY).
_KDF_INFO = b"dost vemtas signing-key encryption v1"


def assessment_subject(assessment_id: int) -> str:
    """The decision log's subject for an assessment (its assignment and its signing)."""
    return f"tssa-assessment:{assessment_id}"


# --- the private keys at rest ------------------------------------------------------------


@cache
def _fernet(secrets: tuple[str, ...]) -> MultiFernet:
    keys = []
    for secret in secrets:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=_KDF_INFO).derive(secret.encode())
        keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)


def _key_encryption() -> MultiFernet:
    # Read from the settings on every call (cached per value): a rotation's new first
    # secret takes effect without a restart of the code that imported this module.
    return _fernet(tuple(settings.SALT_KEY))


def _private_key(key: SigningKey) -> Ed25519PrivateKey:
    try:
        raw = _key_encryption().decrypt(bytes(key.private_key_encrypted))
    except InvalidToken:
        raise DomainError(_("The signing key cannot be read with the server's key-encryption "
                            "secrets; ask an administrator to issue a new key."),
                          code="key_unreadable") from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def fingerprint_of(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()


def signing_keys_reencrypt() -> int:
    """Encrypt every private key again under the first secret; returns the keys rewritten.

    Run after putting a new secret first in ``FIELD_ENCRYPTION_KEYS``, before the old
    one is dropped (``manage.py rotate_signing_key_encryption``).
    """
    rewritten = 0
    with transaction.atomic():
        for key in SigningKey.objects.select_for_update().order_by("pk"):
            key.private_key_encrypted = _key_encryption().rotate(
                bytes(key.private_key_encrypted))
            key.save(update_fields=["private_key_encrypted"])
            rewritten += 1
    return rewritten


# --- issue and revoke --------------------------------------------------------------------


def _require_administrator(user: User) -> None:
    if not (user.is_active and (user.role == Role.ADMIN or user.is_superuser)):
        raise DomainError(_("Only an administrator issues and revokes signing keys."),
                          code="not_administrator")


def is_social_worker(user: User) -> bool:
    """Home visits are made by DOST centre staff (the social workers)."""
    return user.is_active and user.role == Role.STAFF


def key_in_force(worker: User) -> SigningKey | None:
    return SigningKey.objects.filter(worker=worker, revoked_at__isnull=True).first()


def key_issue(*, worker: User, issued_by: User) -> SigningKey:
    """Make a new Ed25519 key for ``worker``; refused while they have one in force.

    A key is replaced only by revoking it first (``key_revoke``): nothing is revoked
    silently. The private key is stored encrypted; the public key and its SHA-256
    fingerprint in the clear.
    """
    _require_administrator(issued_by)
    if not is_social_worker(worker):
        raise DomainError(_("Signing keys are issued only to social workers of DOST centres "
                            "(active centre staff)."), code="not_social_worker")
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw)
    private_raw = private.private_bytes(serialization.Encoding.Raw,
                                        serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    try:
        with transaction.atomic():
            # One issue at a time per worker: the second waits, then sees the first key.
            User.objects.select_for_update().filter(pk=worker.pk).first()
            if key_in_force(worker) is not None:
                raise DomainError(
                    _("%(worker)s already has a signing key in force: revoke it first to "
                      "issue a new one.") % {"worker": worker.get_full_name() or worker.username},
                    code="key_in_force")
            return SigningKey.objects.create(
                worker=worker, public_key=public_raw,
                private_key_encrypted=_key_encryption().encrypt(private_raw),
                fingerprint=fingerprint_of(public_raw), issued_by=issued_by)
    except IntegrityError:
        # The one-key-in-force constraint, if a writer bypassed the lock above.
        raise DomainError(_("This worker already has a signing key in force."),
                          code="key_in_force") from None


def key_revoke(*, key: SigningKey, revoked_by: User) -> SigningKey:
    """Revoke ``key`` now: it signs nothing more; what it signed before stays valid."""
    _require_administrator(revoked_by)
    with transaction.atomic():
        # Waits for a signing with this key that is under way: it commits first.
        locked = SigningKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            raise DomainError(_("This key was already revoked on %(at)s.")
                              % {"at": format_datetime(locked.revoked_at)},
                              code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.revoked_by = revoked_by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


# --- the manifest and the signature ------------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _media_entry(media: AssessmentMedia) -> dict[str, Any]:
    return {"id": media.pk, "kind": media.kind, "name": media.original_name,
            "size": media.size, "sha256": media.sha256}


def manifest_data(assessment: Assessment) -> dict[str, Any]:
    media = sorted((_media_entry(row) for row in assessment.media.all()),
                   key=lambda entry: entry["id"])
    return {
        "version": MANIFEST_VERSION,
        "assessment": assessment.pk,
        "case": assessment.case_id,
        "applicant": assessment.case.applicant_id,
        "worker": assessment.worker_id,
        "visit_at": _moment(assessment.visit_at),
        **{name: getattr(assessment, name) for name in FINDINGS},
        "media": media,
    }


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def manifest_for(assessment: Assessment) -> str:
    """The canonical JSON of what the worker signs: the same bytes for the same facts."""
    return canonical_json(manifest_data(assessment))


def manifest_sha256(manifest: str) -> str:
    return hashlib.sha256(manifest.encode()).hexdigest()


@dataclass(frozen=True)
class Signed:
    manifest: str
    signature: bytes
    key: SigningKey


def assessment_sign(*, assessment: Assessment, worker: User) -> Signed:
    """Sign the assessment's manifest with ``worker``'s key in force; saves nothing.

    Runs inside the caller's transaction and locks the key until it ends, so a
    revocation waits for the signing to commit (and is then later than it).
    """
    key = (SigningKey.objects.select_for_update()
           .filter(worker=worker, revoked_at__isnull=True).first())
    if key is None:
        revoked = (SigningKey.objects.filter(worker=worker, revoked_at__isnull=False)
                   .order_by("-revoked_at").first())
        if revoked is not None and revoked.revoked_at is not None:
            raise DomainError(
                _("Your signing key was revoked on %(at)s and can sign nothing more: ask an "
                  "administrator for a new key.") % {"at": format_datetime(revoked.revoked_at)},
                code="key_revoked")
        raise DomainError(_("You have no signing key: ask an administrator to issue one."),
                          code="no_key")
    manifest = manifest_for(assessment)
    signature = _private_key(key).sign(manifest.encode())
    return Signed(manifest=manifest, signature=signature, key=key)


# --- verification ------------------------------------------------------------------------


@dataclass
class Verification:
    """``ok`` when nothing is wrong. ``problems`` say what is; ``notes`` what a reader
    should know although the signature holds (a key revoked after the signing)."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def file_sha256(media: AssessmentMedia) -> str | None:
    """The SHA-256 of the stored file's bytes, or None when the file is gone."""
    digest = hashlib.sha256()
    try:
        with media.file.storage.open(media.file.name, "rb") as stored:
            for chunk in iter(lambda: stored.read(CHUNK_BYTES), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def _signature_holds(assessment: Assessment, key: SigningKey) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes(key.public_key)).verify(
            bytes(assessment.signature or b""), assessment.manifest.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def _field_label(name: str) -> str:
    return str(Assessment._meta.get_field(name).verbose_name)


def _facts_problems(signed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    changed = [name for name in ("case", "applicant", "worker", "visit_at", *FINDINGS)
               if signed.get(name) != current.get(name)]
    if not changed:
        return []
    labels = {"case": _("case"), "applicant": _("applicant"), "worker": _("social worker"),
              "visit_at": _("visit at")}
    names = ", ".join(labels.get(name) or _field_label(name) for name in changed)
    return [_("The findings differ from the signed statement (changed after signing): "
              "%(fields)s.") % {"fields": names}]


def _media_problems(signed: list[dict[str, Any]],
                    rows: list[AssessmentMedia]) -> list[str]:
    problems = []
    signed_by_id = {entry.get("id"): entry for entry in signed}
    for row in rows:
        entry = signed_by_id.pop(row.pk, None)
        if entry is None:
            problems.append(_("File “%(name)s” was added after signing.")
                            % {"name": row.original_name})
            continue
        name = entry.get("name", row.original_name)
        if _media_entry(row) != entry:
            problems.append(_("The record of file “%(name)s” differs from the signed "
                              "statement.") % {"name": name})
        stored = file_sha256(row)
        if stored is None:
            problems.append(_("File “%(name)s” is missing from storage.") % {"name": name})
        elif stored != entry.get("sha256"):
            problems.append(_("File “%(name)s” has changed since signing: its SHA-256 is not "
                              "the one signed.") % {"name": name})
    for entry in signed_by_id.values():
        problems.append(_("File “%(name)s”, listed in the signed statement, is missing.")
                        % {"name": entry.get("name", "?")})
    return problems


def _logged_signing(assessment: Assessment) -> DecisionEntry | None:
    return (DecisionEntry.objects.filter(kind=DecisionKind.HOME_VISIT,
                                         subject=assessment_subject(assessment.pk))
            .order_by("-id").first())


def _log_problems(assessment: Assessment, key: SigningKey) -> list[str]:
    entry = _logged_signing(assessment)
    if entry is None:
        return [_("The signing is not in the decision log.")]
    details = entry.details or {}
    problems = []
    if details.get("manifest_sha256") != manifest_sha256(assessment.manifest):
        problems.append(_("The signed statement is not the one recorded in the decision log "
                          "when it was signed."))
    if details.get("key") != key.fingerprint:
        problems.append(_("The signing key is not the one recorded in the decision log."))
    return problems


def _key_problems(assessment: Assessment, key: SigningKey) -> tuple[list[str], list[str]]:
    problems, notes = [], []
    if fingerprint_of(bytes(key.public_key)) != key.fingerprint:
        problems.append(_("The signing key's public key does not match its fingerprint."))
    if key.worker_id != assessment.worker_id:
        problems.append(_("The assessment was signed with another worker's key."))
    if key.revoked_at is not None:
        at = format_datetime(key.revoked_at)
        if assessment.signed_at is not None and assessment.signed_at < key.revoked_at:
            notes.append(_("The signing key was revoked on %(at)s, after this signing: the "
                           "signature made before the revocation stays valid.") % {"at": at})
        else:
            problems.append(_("The signing key was revoked on %(at)s, before this signing.")
                            % {"at": at})
    return problems, notes


def assessment_verify(assessment: Assessment) -> Verification:
    """Check the signature and everything it covers; each finding in the active language."""
    key = assessment.signing_key
    if assessment.state != AssessmentState.SIGNED or key is None or not assessment.manifest:
        return Verification(ok=False, problems=[_("The assessment has not been signed yet.")])
    problems: list[str] = []
    if not _signature_holds(assessment, key):
        problems.append(_("The signature is not valid for the signed statement: the "
                          "statement or the signature was altered."))
    key_problems, notes = _key_problems(assessment, key)
    problems += key_problems
    problems += _log_problems(assessment, key)
    try:
        signed = json.loads(assessment.manifest)
    except ValueError:
        signed = None
    if not isinstance(signed, dict):
        problems.append(_("The signed statement cannot be read."))
        return Verification(ok=False, problems=problems, notes=notes)
    current = manifest_data(assessment)
    problems += _facts_problems(signed, current)
    rows = sorted(assessment.media.all(), key=lambda row: row.pk)
    problems += _media_problems(list(signed.get("media") or []), rows)
    return Verification(ok=not problems, problems=problems, notes=notes)
