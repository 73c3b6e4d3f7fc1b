"""Back-office pages of the register and of requests for aids (``/backoffice/disability/``)."""

from django.urls import path

from disability.views import backoffice

app_name = "disability_backoffice"
urlpatterns = [
    path("", backoffice.register, name="register"),
    path("aids/", backoffice.aid_requests, name="aid_requests"),
    path("aids/<int:pk>/", backoffice.aid_request, name="aid_request"),
    path("aids/<int:pk>/<slug:step>/", backoffice.aid_request_step, name="aid_request_step"),
]
