from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from dost.accounts.models import Institution, InstitutionToken, User
from dost.accounts.services import ROTATION_GRACE_DEFAULT, institution_token_rotate
from dost.audit.admin_mixins import ListAccessLogMixin
from dost.errors import DomainError


@admin.register(User)
class UserAdmin(ListAccessLogMixin, BaseUserAdmin):
    # A citizen's login is their FIN, shown with their name: the list is their data.
    list_display = ["username", "role", "first_name", "last_name", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["person"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Role"), {"fields": ("role", "person")}))


class InstitutionTokenInline(admin.TabularInline):
    model = InstitutionToken
    fields = ["prefix", "scopes", "created_at", "expires_at", "last_used_at", "rate",
              "revoked_at"]
    readonly_fields = ["prefix", "scopes", "created_at", "expires_at", "last_used_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Tokens are made by `manage.py create_institution_token`, which shows the key once.
        return False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "event_types", "created_at"]
    inlines = [InstitutionTokenInline]


@admin.register(InstitutionToken)
class InstitutionTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "institution", "scopes", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["institution"]
    search_fields = ["prefix", "institution__name"]
    fields = ["institution", "prefix", "scopes", "created_at", "expires_at", "last_used_at",
              "rate", "revoked_at"]
    readonly_fields = ["institution", "prefix", "scopes", "created_at", "expires_at",
                       "last_used_at"]
    actions = ["rotate"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoke instead: the row keeps saying which token made which call.
        return False

    @admin.action(description=_("Rotate: new tokens; the old ones work 24 hours more"),
                  permissions=["change"])
    def rotate(self, request, queryset) -> TemplateResponse | None:
        rotated = []
        for token in queryset.select_related("institution"):
            try:
                rotated.append(institution_token_rotate(token=token,
                                                        grace=ROTATION_GRACE_DEFAULT))
            except DomainError as exc:
                self.message_user(request, f"{token.prefix}…: {exc.message}", messages.ERROR)
        if not rotated:
            return None
        # The keys are rendered into this one answer only: never into a message, which
        # would keep them in the session or a cookie.
        return TemplateResponse(request, "admin/accounts/institutiontoken/rotated.html", {
            **self.admin_site.each_context(request),
            "title": _("New institution tokens"),
            "opts": self.model._meta,
            "rotated": rotated,
        })
