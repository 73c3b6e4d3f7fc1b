from django.urls import path

from pensions import views

app_name = "pensions"
urlpatterns = [
    path("capital/", views.my_capital, name="capital"),
]
