"""Supervision of the expert commissions (back-office)."""

from __future__ import annotations

from django.urls import path

from disability.views import supervision

app_name = "disability_supervision"
urlpatterns = [
    path("", supervision.open_cases, name="open_cases"),
    path("<str:case_number>/reassign/", supervision.reassign, name="reassign"),
]
