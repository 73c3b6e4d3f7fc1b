"""Public pages of the DOST centres (no sign-in): the mobile units' schedule."""

from __future__ import annotations

from django.urls import path

from dost.centres import views

app_name = "centres"
urlpatterns = [
    path("", views.mobile_stops, name="mobile_stops"),
]
