"""The DOST Index in the back-office."""

from __future__ import annotations

from django.urls import path

from dost.index import views

app_name = "index_backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compute/", views.compute, name="compute"),
    path("centres/<slug:code>/", views.centre, name="centre"),
]
