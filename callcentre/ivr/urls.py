"""The voice webhooks, under /callcentre/ivr/: the number's "a call comes in" webhook is
``ivr/``; each question posts its answer to the next address."""

from django.urls import path

from callcentre.ivr import views

urlpatterns = [
    path("ivr/", views.ivr_start, name="ivr_start"),
    path("ivr/language/", views.ivr_language, name="ivr_language"),
    path("ivr/fin/", views.ivr_fin, name="ivr_fin"),
    path("ivr/pin/", views.ivr_pin, name="ivr_pin"),
    path("ivr/menu/", views.ivr_menu, name="ivr_menu"),
]
