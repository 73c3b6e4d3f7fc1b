"""Writes to the data-access log."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dost.audit.models import AccessRecord, Channel, Subject
from dost.errors import DomainError


def access_record(
    *,
    person_id: int,
    what: str,
    reason: str,
    channel: str,
    actor_id: int | None = None,
    institution_id: int | None = None,
    ip_address: str | None = None,
) -> AccessRecord:
    """Log one look at a citizen's data. Refuses a look without a stated reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("State why you need to see this person's data."),
                          code="reason_required")
    if channel not in Channel.values:
        raise DomainError(_("Unknown access channel."), code="invalid_channel")
    if what not in Subject.values:
        raise DomainError(_("Unknown kind of data."), code="invalid_subject")
    return AccessRecord.objects.create(
        person_id=person_id,
        actor_id=actor_id,
        institution_id=institution_id,
        channel=channel,
        what=what,
        reason=reason[:500],
        ip_address=ip_address,
    )
