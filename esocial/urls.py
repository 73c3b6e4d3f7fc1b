from django.urls import include, path

from esocial import views

app_name = "esocial"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/data/", views.my_data, name="my_data"),
    path("my/access-log/", views.my_access_log, name="access_log"),
    path("my/awards/", views.my_awards, name="my_awards"),
    # Each portal area keeps its views and URLs in its own package.
    path("", include("esocial.catalogue.urls")),
    path("", include("esocial.queue.urls")),
    path("", include("esocial.certificates.urls")),
    path("", include("esocial.applications.urls")),
    path("", include("esocial.calculators.urls")),
    path("", include("esocial.opendata.urls")),
    path("", include("esocial.index.urls")),
    path("", include("esocial.phone_pin.urls")),
]
