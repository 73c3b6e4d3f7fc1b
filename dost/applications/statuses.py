"""The states of an e-application and the moves between them.

Their own module, apart from the models, so that forms, notifications and the
types subsystems register can name them without importing the tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    NEEDS_INFORMATION = "needs_information", _("more information needed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Where each status may go next. Approved, rejected and withdrawn are final:
# a citizen who disagrees with a decision applies again or appeals.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.NEEDS_INFORMATION, Status.APPROVED,
                                 Status.REJECTED, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_INFORMATION, Status.APPROVED, Status.REJECTED,
                                 Status.WITHDRAWN}),
    Status.NEEDS_INFORMATION: frozenset({Status.IN_REVIEW, Status.REJECTED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFORMATION})
