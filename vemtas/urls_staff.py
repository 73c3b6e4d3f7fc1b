"""Back-office pages of targeted social assistance cases (included under /backoffice/assistance/;
the home visits are under /backoffice/assistance/visits/, ``vemtas.urls_assessments``)."""

from __future__ import annotations

from django.urls import path

from vemtas.views import staff

app_name = "vemtas_staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("<int:pk>/", staff.case_page, name="case"),
    path("<int:pk>/overturn/", staff.overturn, name="overturn"),
    path("<int:pk>/assign/", staff.assign, name="assign"),
]
