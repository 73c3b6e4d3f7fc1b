"""Writes to the data-access log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dost.audit.models import AccessRecord, Channel, Subject
from dost.errors import DomainError


def _checked_kind(*, channel: str, what: str) -> None:
    if channel not in Channel.values:
        raise DomainError(_("Unknown access channel."), code="invalid_channel")
    if what not in Subject.values:
        raise DomainError(_("Unknown kind of data."), code="invalid_subject")


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
    _checked_kind(channel=channel, what=what)
    return AccessRecord.objects.create(
        person_id=person_id,
        actor_id=actor_id,
        institution_id=institution_id,
        channel=channel,
        what=what,
        reason=reason[:500],
        ip_address=ip_address,
    )


def access_records_for_list(
    *,
    person_ids: Iterable[int | None],
    what: str,
    reason: str | Promise,
    channel: str,
    reason_params: Mapping[str, object] | None = None,
    actor_id: int | None = None,
    institution_id: int | None = None,
    ip_address: str | None = None,
) -> int:
    """Log that a list or search result showed these people: one record each, one statement.

    A person shown twice on the page gets one record. ``reason`` (with
    ``reason_params``, which may be lazy translations too) is stored in each
    person's own language, since the log is theirs to read: the INSERT picks it
    by the person's language, so nothing is read first. Returns how many
    records were written. Refuses an empty reason, like ``access_record``.
    """
    _checked_kind(channel=channel, what=what)
    ids = sorted({person_id for person_id in person_ids if person_id is not None})
    if not ids:
        return 0
    reasons: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            params = {key: str(value) for key, value in (reason_params or {}).items()}
            text = str(reason) % params if params else str(reason)
        reasons[language] = text.strip()[:500]
    if not all(reasons.values()):
        raise DomainError(_("State why you need to see this person's data."),
                          code="reason_required")
    person_table = AccessRecord._meta.get_field("person").related_model._meta.db_table
    in_language = " ".join("WHEN %s THEN %s" for _language in reasons)
    by_language = [value for pair in reasons.items() for value in pair]
    default = reasons.get(settings.LANGUAGE_CODE, next(iter(reasons.values())))
    with connection.cursor() as cursor:
        # Table and column names are the models' own; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {AccessRecord._meta.db_table} "  # noqa: S608
            "(person_id, actor_id, institution_id, channel, what, reason, at, ip_address) "
            f"SELECT person.id, %s, %s, %s, %s, CASE person.language {in_language} ELSE %s END, "
            f"%s, %s FROM {person_table} AS person WHERE person.id = ANY(%s)",
            [actor_id, institution_id, channel, what, *by_language, default, timezone.now(),
             ip_address, ids],
        )
        return cursor.rowcount
