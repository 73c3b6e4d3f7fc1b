from django.urls import path

from callcentre import views

app_name = "callcentre"

urlpatterns = [
    path("", views.console, name="console"),
    path("citizens/<str:fin>/open/", views.open_citizen, name="open"),
    path("citizens/<str:fin>/", views.citizen_view, name="view"),
    path("citizens/<str:fin>/notes/", views.note_add, name="note_add"),
    path("citizens/<str:fin>/complaints/", views.complaint_add, name="complaint_add"),
    path("citizens/<str:fin>/visit/", views.visit_book, name="visit"),
]
