from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dost.audit.admin_mixins import ListAccessLogMixin
from dost.audit.models import AccessRecord, Channel, DecisionBatch, DecisionEntry, Subject
from dost.audit.services import access_record
from dost.http import client_ip


@admin.register(AccessRecord)
class AccessRecordAdmin(ListAccessLogMixin, admin.ModelAdmin):
    """The log is append-only: nobody edits or deletes what was seen.

    Its list names the citizens looked at, so showing it is itself a look.
    """

    list_display = ["at", "person", "actor", "institution", "channel", "what", "reason"]
    list_filter = ["channel"]
    list_select_related = ["person", "actor", "institution"]
    raw_id_fields = ["person", "actor", "institution"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """The decision log is appended by services only; the database refuses any change."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DecisionEntry)
class DecisionEntryAdmin(ListAccessLogMixin, _ReadOnlyAdmin):
    access_subject = Subject.AWARDS
    list_display = ["id", "recorded_at", "kind", "subject", "person", "award_id", "decided_by"]
    list_filter = ["kind"]
    search_fields = ["=id", "=award_id", "subject", "decided_by"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "batch"]
    # The log grows by millions of rows: no count(*) on every page.
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # A decision about a citizen is their data: opening it is in their access log
        # (only once it was actually shown).
        entry = self.get_object(request, object_id) if response.status_code == 200 else None
        if entry is not None and entry.person_id is not None:
            access_record(
                person_id=entry.person_id, actor_id=request.user.pk, channel=Channel.ADMIN,
                what=Subject.AWARDS, reason=str(_("Opened in the administration site")),
                ip_address=client_ip(request),
            )
        return response


@admin.register(DecisionBatch)
class DecisionBatchAdmin(_ReadOnlyAdmin):
    list_display = ["position", "id", "entries", "closed_at", "batch_hash"]
    search_fields = ["=position", "=id"]
    ordering = ["-position"]
    show_full_result_count = False
