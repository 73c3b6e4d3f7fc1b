from __future__ import annotations

from django.contrib import admin

from dost.applications.models import Application, ApplicationEvent
from dost.applications.services import application_open_for_staff
from dost.audit.admin_mixins import ListAccessLogMixin
from dost.http import client_ip


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    fields = ("at", "status_from", "status_to", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ListAccessLogMixin, admin.ModelAdmin):
    """Read-only: applications move through the staff pages (``applications/staff/``)."""

    list_display = ["reference", "type_code", "status", "submitted_at", "status_changed_at"]
    list_filter = ["status", "type_code"]
    search_fields = ["=reference", "=person__fin"]
    inlines = [ApplicationEventInline]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        application = self.get_object(request, object_id) if response.status_code == 200 else None
        if application is not None:
            application_open_for_staff(application=application, actor=request.user,
                                       ip_address=client_ip(request))
        return response
