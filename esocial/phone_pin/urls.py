from django.urls import path

from esocial.phone_pin import views

urlpatterns = [
    path("my/phone-pin/", views.phone_pin, name="phone_pin"),
]
