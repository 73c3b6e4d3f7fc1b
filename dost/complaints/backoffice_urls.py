"""The back-office pages of the units that answer complaints."""

from __future__ import annotations

from django.urls import path

from dost.complaints import views

app_name = "complaints_backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.centre_new, name="new"),
    path("units/<slug:code>/", views.unit_complaints, name="unit"),
    path("<int:pk>/", views.staff_complaint, name="complaint"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
