"""Back-office pages of the review of life events held by the Digital Bridge."""

from __future__ import annotations

from django.urls import path

from dost.bridge import views

app_name = "bridge_review"
urlpatterns = [
    path("", views.held_event_list, name="queue"),
    path("<int:pk>/", views.held_event_detail, name="event"),
    path("<int:pk>/apply/", views.held_event_apply, name="apply"),
    path("<int:pk>/reject/", views.held_event_reject, name="reject"),
]
