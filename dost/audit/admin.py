from __future__ import annotations

from django.contrib import admin

from dost.audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The log is append-only: nobody edits or deletes what was seen."""

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
