"""The back-office of DOST centres (mounted at /backoffice/, beside the other back-office
pages; the Django admin is under it at /backoffice/admin/)."""

from __future__ import annotations

from django.urls import path

from dost.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("queue/call/", views.call_next, name="call_next"),
    path("queue/<int:pk>/served/", views.served, name="served"),
    path("queue/<int:pk>/no-show/", views.no_show, name="no_show"),
    path("mobile/", views.mobile, name="mobile"),
    path("mobile/stops/<int:pk>/cancel/", views.stop_cancel, name="stop_cancel"),
]
