from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dost.audit.admin_mixins import ListAccessLogMixin
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.http import client_ip
from dost.registry.models import EconomicRegion, Person, Region, Source


@admin.register(Person)
class PersonAdmin(ListAccessLogMixin, admin.ModelAdmin):
    """Read-only: the registry changes through its services and the Digital Bridge."""

    access_person_path = "pk"

    list_display = ["fin", "last_name", "first_name", "birth_date", "region"]
    search_fields = ["=fin", "=phone", "last_name_key", "first_name_key"]
    list_select_related = ["region"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Logged only once the record was actually shown (not for a refusal).
        person = self.get_object(request, object_id) if response.status_code == 200 else None
        if person is not None:
            access_record(
                person_id=person.pk, actor_id=request.user.pk, channel=Channel.ADMIN,
                what=Subject.REGISTRY_RECORD,
                reason=str(_("Opened in the administration site")),
                ip_address=client_ip(request),
            )
        return response


admin.site.register([Source, EconomicRegion, Region])
