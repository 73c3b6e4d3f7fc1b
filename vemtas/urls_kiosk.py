"""The kiosk at DOST centres, under /kiosk/: applying for targeted social assistance."""

from __future__ import annotations

from django.urls import path

from vemtas.views import kiosk

app_name = "kiosk"
urlpatterns = [
    path("assistance/", kiosk.start, name="start"),
    path("assistance/code/", kiosk.code, name="code"),
    path("assistance/code/new/", kiosk.code_again, name="code_again"),
    path("assistance/apply/", kiosk.apply, name="apply"),
    path("assistance/done/", kiosk.done, name="done"),
    path("assistance/restart/", kiosk.restart, name="restart"),
]
