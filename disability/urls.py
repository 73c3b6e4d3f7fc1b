"""The citizen's disability pages (``/disability/``)."""

from django.urls import path

from disability.views import citizen

app_name = "disability"
urlpatterns = [
    path("", citizen.my_disability, name="home"),
    path("aids/", citizen.aids, name="aids"),
    path("aids/<slug:code>/request/", citizen.aid_request, name="aid_request"),
]
