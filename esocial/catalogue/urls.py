from django.urls import path

from esocial.catalogue import views

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    # Before the detail pattern: "search" is a valid service code too.
    path("services/search/", views.service_search, name="service_search"),
    path("services/<slug:code>/", views.service_detail, name="service_detail"),
]
