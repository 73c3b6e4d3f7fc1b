from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dost.audit.admin_mixins import ListAccessLogMixin
from dost.notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(ListAccessLogMixin, admin.ModelAdmin):
    """Read-only: the outbox changes only through its services.

    The phone number is masked and the person not shown, so that browsing the
    outbox reveals no one's number or identity.
    """

    list_display = ["status", "template", "display_phone", "attempts", "created_at"]
    list_filter = ["status"]
    # A tuple, so that the one value types as both settings (the stubs type them as
    # different kinds of list).
    fields = (
        "status",
        "template",
        "language",
        "display_phone",
        "context",
        "dedupe_key",
        "attempts",
        "next_attempt_at",
        "provider_id",
        "last_error",
        "created_at",
        "sent_at",
        "delivered_at",
    )
    readonly_fields = fields
    search_fields = ["provider_id", "dedupe_key"]
    search_help_text = _("Exact provider's id (Twilio SID) or dedupe key.")
    # The outbox grows without end: no COUNT(*) of it on every page.
    show_full_result_count = False

    @admin.display(description=_("phone"))
    def display_phone(self, message: SmsMessage) -> str:
        return message.masked_phone

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[SmsMessage], search_term: str
    ) -> tuple[QuerySet[SmsMessage], bool]:
        # Exact matches use the indexes; the default case-insensitive search would scan.
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(provider_id=term) | Q(dedupe_key=term)), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SmsMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SmsMessage | None = None) -> bool:
        return False
