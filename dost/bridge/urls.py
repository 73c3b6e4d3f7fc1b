from __future__ import annotations

from django.urls import path

from dost.bridge import api

app_name = "bridge"
urlpatterns = [
    path("events/", api.EventView.as_view(), name="events"),
    # An institution's event id may hold any character, a slash too.
    path("events/<path:event_id>/", api.EventDetailView.as_view(), name="event"),
    path("citizens/<str:fin>/awards/", api.CitizenAwardsView.as_view(), name="citizen-awards"),
]
