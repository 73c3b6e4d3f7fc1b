from __future__ import annotations

from django.urls import path

from dost.bridge import api

app_name = "bridge"
urlpatterns = [
    path("events/", api.EventView.as_view(), name="events"),
    path("citizens/<str:fin>/awards/", api.CitizenAwardsView.as_view(), name="citizen-awards"),
]
