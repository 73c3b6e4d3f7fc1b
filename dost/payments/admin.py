from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dost.audit.admin_mixins import ListAccessLogMixin
from dost.audit.models import Subject
from dost.payments.models import BankRequest, Payment, PaymentSchedule


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records change only through the services, which keep their history straight."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BankRequest)
class BankRequestAdmin(ListAccessLogMixin, ReadOnlyAdmin):
    access_subject = Subject.AWARDS
    list_display = ["reference", "person", "kind", "amount", "status", "attempts",
                    "next_attempt_at", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["person"]
    search_fields = ["reference", "bank_reference", "person__fin"]
    raw_id_fields = ["person"]


@admin.register(PaymentSchedule)
class PaymentScheduleAdmin(ListAccessLogMixin, ReadOnlyAdmin):
    access_subject = Subject.AWARDS
    list_display = ["reference", "person", "monthly_amount", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    list_select_related = ["person"]
    search_fields = ["reference", "person__fin"]
    raw_id_fields = ["person"]


@admin.register(Payment)
class PaymentAdmin(ListAccessLogMixin, ReadOnlyAdmin):
    access_subject = Subject.AWARDS
    access_person_path = "schedule.person_id"
    list_display = ["schedule", "month", "amount", "status", "bank_reference", "created_at"]
    list_filter = ["status", "month"]
    list_select_related = ["schedule"]
    search_fields = ["schedule__reference", "bank_reference"]
    raw_id_fields = ["schedule"]
