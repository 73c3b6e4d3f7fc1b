from __future__ import annotations

from django.urls import path

from dost.notifications import views

app_name = "notifications"
urlpatterns = [
    path("twilio/status/", views.twilio_status, name="twilio-status"),
]
