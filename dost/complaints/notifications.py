"""SMS texts about complaints, rendered when sent, in the citizen's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from dost.complaints.models import Level, Status
from dost.formatting import format_date
from dost.notifications.templates import register_template


def _complaint_received(context: Mapping[str, Any]) -> str:
    return _(
        "DOST: your complaint %(reference)s is registered. The answer is due by %(due)s. "
        "Follow it on e-social.gov.az"
    ) % {"reference": context["reference"], "due": format_date(context["due_on"])}


def _complaint_status(context: Mapping[str, Any]) -> str:
    status = context["status"]
    return _(
        "DOST: your complaint %(reference)s is now: %(status)s. Details: e-social.gov.az"
    ) % {"reference": context["reference"],
         "status": Status(status).label if status in Status.values else status}


def _complaint_escalated(context: Mapping[str, Any]) -> str:
    level = context["level"]
    return _(
        "DOST: your complaint %(reference)s was not answered in time and has been passed to "
        "%(whom)s. Details: e-social.gov.az"
    ) % {"reference": context["reference"],
         "whom": Level(level).label if level in Level.values else level}


def register_templates() -> None:
    register_template("complaint_received", _complaint_received)
    register_template("complaint_status", _complaint_status)
    register_template("complaint_escalated", _complaint_escalated)
