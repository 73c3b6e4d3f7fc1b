"""The citizen's complaint pages on the portal."""

from __future__ import annotations

from django.urls import path

from dost.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.my_complaints, name="mine"),
    path("new/", views.complaint_new, name="new"),
    path("<int:pk>/", views.my_complaint, name="detail"),
]
