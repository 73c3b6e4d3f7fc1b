"""Units, who works in them, and the categories with their deadlines: set up by
administrators. Complaints themselves change only through their pages."""

from __future__ import annotations

from django.contrib import admin

from dost.complaints.models import Category, Unit, UnitMember


class UnitMemberInline(admin.TabularInline):
    model = UnitMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "head", "manager"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
    autocomplete_fields = ["head", "manager"]
    inlines = [UnitMemberInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "unit", "deadline_working_days", "appeal", "active"]
    list_filter = ["unit", "appeal", "active"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
