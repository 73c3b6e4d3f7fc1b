"""The other institutions' registers, read-only: they change only at their institutions.

Every row is about a citizen (or a household), so showing a list logs the
citizens on the page, and opening a row logs its citizen, as the registry's
own admin does.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from dost.audit.admin_mixins import ListAccessLogMixin
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.bridge.registers import (
    Absence,
    Business,
    JobSeeker,
    LargeTransaction,
    RealEstate,
    UtilityBill,
    Vehicle,
)
from dost.http import client_ip
from dost.registry.models import Person


class RegisterAdmin(ListAccessLogMixin, admin.ModelAdmin):
    """Read-only, found by the citizen's FIN (exact, so the index on FIN answers)."""

    access_subject = Subject.REGISTERS
    search_fields = ["=person__fin"]
    search_help_text = _("The citizen's FIN.")
    list_select_related = ["person", "source"]
    # Registers of a whole country: no count(*) of them on every page.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # Logged only once the row was actually shown (not for a refusal).
        row = self.get_object(request, object_id) if response.status_code == 200 else None
        if row is not None:
            for person_id in self._people_of(row):
                access_record(
                    person_id=person_id, actor_id=request.user.pk, channel=Channel.ADMIN,
                    what=Subject.REGISTERS,
                    reason=str(_("Opened in the administration site")),
                    ip_address=client_ip(request),
                )
        return response

    def _people_of(self, row: Any) -> list[int]:
        return [row.person_id]


@admin.register(RealEstate)
class RealEstateAdmin(RegisterAdmin):
    list_display = ["person", "purpose", "address", "region", "registered_on", "disposed_on",
                    "source"]
    list_filter = ["purpose"]
    list_select_related = ["person", "region", "source"]


@admin.register(Vehicle)
class VehicleAdmin(RegisterAdmin):
    list_display = ["person", "plate", "make", "registered_on", "deregistered_on",
                    "given_by_state", "source"]
    list_filter = ["given_by_state"]


@admin.register(Business)
class BusinessAdmin(RegisterAdmin):
    list_display = ["person", "tin", "name", "registered_on", "closed_on", "monthly_income",
                    "source"]
    search_fields = ["=person__fin", "=tin"]
    search_help_text = _("The citizen's FIN or the business's TIN.")


@admin.register(LargeTransaction)
class LargeTransactionAdmin(RegisterAdmin):
    list_display = ["person", "kind", "item", "amount", "on", "source"]
    list_filter = ["kind"]


@admin.register(JobSeeker)
class JobSeekerAdmin(RegisterAdmin):
    list_display = ["person", "registered_on", "ended_on", "insurance_monthly",
                    "insurance_until", "suitable_offers_refused", "last_refusal_on", "source"]


@admin.register(Absence)
class AbsenceAdmin(RegisterAdmin):
    list_display = ["person", "kind", "since", "until", "source"]
    list_filter = ["kind"]


@admin.register(UtilityBill)
class UtilityBillAdmin(RegisterAdmin):
    """A household's bills: what they show is about every member of the household."""

    list_display = ["household", "service", "month", "amount", "source"]
    list_filter = ["service"]
    list_select_related = ["household", "source"]
    # Found by a member's FIN: the bills of their household.
    search_fields = ["=household__members__fin"]
    search_help_text = _("The FIN of a member of the household.")

    def _people_of(self, row: Any) -> list[int]:
        return list(Person.objects.filter(household_id=row.household_id)
                    .values_list("pk", flat=True))

    def _log_listed(self, request: HttpRequest, changelist: Any) -> None:
        # The mixin logs one citizen per row; a bill is every member's, so the members of
        # the households on the page are logged instead (one query for all of them).
        households = {bill.household_id for bill in changelist.result_list}
        members = Person.objects.filter(household_id__in=households).values_list("pk", flat=True)
        listed = SimpleNamespace(result_list=[SimpleNamespace(person_id=pk) for pk in members],
                                 query=changelist.query)
        super()._log_listed(request, listed)
