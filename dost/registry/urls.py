from django.urls import path

from dost.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.citizen_search, name="citizen_search"),
    path("<str:fin>/", views.citizen_record, name="citizen_record"),
]
