from django.urls import path

from esocial import views

app_name = "esocial"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/access-log/", views.my_access_log, name="access_log"),
    path("my/awards/", views.my_awards, name="my_awards"),
]
