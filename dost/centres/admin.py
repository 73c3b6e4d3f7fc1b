"""DOST centres as administrators keep them: services offered, weekday hours, desks and
staff; and the mobile units. The catalogue itself is loaded from its file."""

from __future__ import annotations

from django.contrib import admin

from dost.centres.models import Centre, CentreStaff, MobileUnit, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    ordering = ["weekday"]


class CentreStaffInline(admin.TabularInline):
    model = CentreStaff
    extra = 0
    autocomplete_fields = ["user"]


class MobileUnitInline(admin.TabularInline):
    model = MobileUnit
    extra = 0
    fields = ["code", "name_az", "name_en", "name_ru", "active"]


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "region", "desks", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
    filter_horizontal = ["services"]
    inlines = [OpeningHoursInline, CentreStaffInline, MobileUnitInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region")


@admin.register(MobileUnit)
class MobileUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "centre", "active"]
    list_filter = ["active", "centre"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
