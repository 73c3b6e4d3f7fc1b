"""Rows of the CareCall pages: numbers and names as the reader reads them.

The selectors give counts, averages and model objects; these small dataclasses
hold what a table cell shows, formatted in the active language, so that views
only choose and templates only lay out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dost.carecall.models import FollowUp, RatingRequest
from dost.carecall.selectors import ScoreGroup
from dost.formatting import format_datetime, format_number, format_percent


@dataclass(frozen=True)
class ScoreRow:
    label: str
    count: str
    average: str
    good_share: str
    # The reader's own line (an agent's), marked in the table.
    own: bool = False


def _user_name(user) -> str:
    if user is None:
        return _("(unknown)")
    return user.get_full_name() or user.username


def _row(group: ScoreGroup, label: str, *, own: bool = False) -> ScoreRow:
    return ScoreRow(label=label, count=format_number(group.count),
                    average=format_number(group.average, places=1),
                    good_share=format_percent(round(group.good_share, 3)), own=own)


def agent_rows(groups: list[ScoreGroup], *, reader_id: int | None = None) -> list[ScoreRow]:
    return [_row(group, _user_name(group.subject), own=group.key == reader_id)
            for group in groups]


def centre_rows(groups: list[ScoreGroup]) -> list[ScoreRow]:
    return [_row(group, group.subject.name if group.subject else str(group.key))
            for group in groups]


def service_rows(groups: list[ScoreGroup]) -> list[ScoreRow]:
    return [_row(group, group.subject.title if group.subject else str(group.key))
            for group in groups]


def month_rows(groups: list[ScoreGroup]) -> list[ScoreRow]:
    # "noyabr 2026", "November 2026", "Ноябрь 2026 г.": the language's month and year.
    return [_row(group, date_format(group.key, "YEAR_MONTH_FORMAT")) for group in groups]


@dataclass(frozen=True)
class FollowUpRow:
    pk: int
    citizen: str
    channel: str
    served_by: str
    score: int | None
    answered_at: str
    status: str
    taken_by: str
    mine: bool
    can_take: bool


def served_by(request: RatingRequest) -> str:
    """Who gave the rated service: the agent of a call, the centre and service of a visit."""
    if request.channel == RatingRequest.Channel.CALL:
        return _user_name(request.agent)
    parts = [str(part) for part in (request.centre, request.service) if part is not None]
    return " · ".join(parts) or "—"


def follow_up_rows(follow_ups: list[FollowUp], *, reader_id: int) -> list[FollowUpRow]:
    return [
        FollowUpRow(
            pk=follow_up.pk, citizen=follow_up.person.full_name,
            channel=follow_up.request.get_channel_display(),
            served_by=served_by(follow_up.request), score=follow_up.request.score,
            answered_at=(format_datetime(follow_up.request.answered_at)
                         if follow_up.request.answered_at else ""),
            status=follow_up.get_status_display(),
            taken_by=_user_name(follow_up.taken_by) if follow_up.taken_by_id else "",
            mine=follow_up.taken_by_id == reader_id,
            can_take=follow_up.status == FollowUp.Status.OPEN,
        )
        for follow_up in follow_ups
    ]
