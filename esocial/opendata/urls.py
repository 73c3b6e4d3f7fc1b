from django.urls import path

from esocial.opendata import views

# The downloads come first: a dataset code is a slug, which never holds a dot.
urlpatterns = [
    path("open-data/", views.index, name="opendata_index"),
    path("open-data/<slug:dataset>.csv", views.dataset_csv, name="opendata_csv"),
    path("open-data/<slug:dataset>.json", views.dataset_json, name="opendata_json"),
    path("open-data/<slug:dataset>.svg", views.dataset_chart, name="opendata_chart"),
    path("open-data/<slug:dataset>/", views.dataset_page, name="opendata_dataset"),
]
