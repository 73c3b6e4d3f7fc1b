"""Back-office pages of home visits (included under /backoffice/assistance/visits/)."""

from django.urls import path

from vemtas.views import assessments as views

app_name = "vemtas_visits"

urlpatterns = [
    path("", views.visits, name="visits"),
    path("<int:pk>/", views.assessment_page, name="assessment"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/media/", views.media_add, name="media_add"),
    path("<int:pk>/media/<int:media_pk>/", views.media_file, name="media_file"),
    path("<int:pk>/submit/", views.submit, name="submit"),
]
