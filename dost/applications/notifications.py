"""SMS texts about applications, rendered when sent, in the citizen's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from dost.applications.registry import application_type
from dost.applications.statuses import Status
from dost.notifications.templates import register_template


def _service_title(code: str) -> str:
    try:
        return str(application_type(code).title)
    except LookupError:
        return code


def _application_status(context: Mapping[str, Any]) -> str:
    status = context["status"]
    return _(
        "DOST: your application %(reference)s (%(service)s) is now: %(status)s. "
        "Details: e-social.gov.az"
    ) % {
        "reference": context["reference"],
        "service": _service_title(context["type"]),
        "status": Status(status).label if status in Status.values else status,
    }


def _application_message(context: Mapping[str, Any]) -> str:
    return _(
        "DOST: a new message about your application %(reference)s. Read it on e-social.gov.az"
    ) % {"reference": context["reference"]}


def register_templates() -> None:
    register_template("application_status", _application_status)
    register_template("application_message", _application_message)
