"""Admin lists that show citizens' data write each citizen shown to their access log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from dost.audit.models import Channel, Subject
from dost.audit.services import access_records_for_list
from dost.http import client_ip


class ListAccessLogMixin:
    """For a ModelAdmin whose list shows citizens' data: the citizens on the page shown are logged.

    Only the rows of the page actually shown count, not the whole filtered
    queryset: a list of a million payments shows a hundred. The stated reason
    is the list's name, or the search that found them. Opening one record is
    logged by the ModelAdmin's own ``change_view``, as before.
    """

    # What the citizen reads was seen (Subject), and the attribute path from a row
    # of the list to the citizen's Person id.
    access_subject: str = Subject.REGISTRY_RECORD
    access_person_path: str = "person_id"

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl") if response.status_code == 200 else None
        if changelist is not None:
            self._log_listed(request, changelist)
        return response

    def _log_listed(self, request: HttpRequest, changelist: Any) -> None:
        # Reading the page's rows here fills the queryset the template then renders:
        # no second query for them.
        person_ids = (self._person_id(row) for row in changelist.result_list)
        listed = self.model._meta.verbose_name_plural  # type: ignore[attr-defined]
        if changelist.query:
            reason = _("Found by the search “%(query)s” in the administration site: %(list)s")
            params = {"query": changelist.query, "list": listed}
        else:
            reason = _("Listed in the administration site: %(list)s")
            params = {"list": listed}
        access_records_for_list(
            person_ids=person_ids,
            what=self.access_subject, reason=reason, reason_params=params,
            channel=Channel.ADMIN, actor_id=request.user.pk, ip_address=client_ip(request),
        )

    def _person_id(self, row: object) -> int | None:
        value: Any = row
        for name in self.access_person_path.split("."):
            value = getattr(value, name, None)
            if value is None:
                return None
        return value
