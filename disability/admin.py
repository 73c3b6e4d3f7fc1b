"""Who assesses and who refers: set up by administrators. Cases are never edited here."""

from __future__ import annotations

from django.contrib import admin

from disability.models import (
    AidItem,
    Commission,
    CommissionMember,
    FacilityDoctor,
    HealthFacility,
)


class CommissionMemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "profile", "economic_region", "active", "open_cases"]
    list_filter = ["profile", "active", "economic_region"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
    # The draw's counter is kept by the services that open and close cases.
    readonly_fields = ["open_cases"]
    inlines = [CommissionMemberInline]


class FacilityDoctorInline(admin.TabularInline):
    model = FacilityDoctor
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(HealthFacility)
class HealthFacilityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "region", "institution"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
    inlines = [FacilityDoctorInline]


@admin.register(AidItem)
class AidItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "category", "minimum_percent", "service_years",
                    "returnable", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name_az", "name_en", "name_ru"]
