from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dost.accounts.models import Institution, InstitutionToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "first_name", "last_name", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["person"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Role"), {"fields": ("role", "person")}))


class InstitutionTokenInline(admin.TabularInline):
    model = InstitutionToken
    fields = ["prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "scopes", "created_at", "last_used_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Tokens are made by `manage.py create_institution_token`, which shows the key once.
        return False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "created_at"]
    inlines = [InstitutionTokenInline]
