from django.urls import path

from esocial.index import views

urlpatterns = [
    path("index/", views.index, name="dost_index"),
    path("index/<slug:code>/", views.centre, name="dost_index_centre"),
]
