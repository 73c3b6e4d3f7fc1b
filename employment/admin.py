"""Employers and the accounts that act for them: set up by administrators."""

from __future__ import annotations

from django.contrib import admin

from employment.models import Employer, EmployerRepresentative


class EmployerRepresentativeInline(admin.TabularInline):
    model = EmployerRepresentative
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "tin"]
    search_fields = ["name", "tin"]
    inlines = [EmployerRepresentativeInline]
