"""The citizen's targeted social assistance pages, under /my/assistance/."""

from __future__ import annotations

from django.urls import path

from vemtas.views import citizen

app_name = "assistance"
urlpatterns = [
    path("", citizen.case_list, name="case_list"),
    path("<int:pk>/", citizen.case_detail, name="case_detail"),
]
