from django.urls import path

from employment import views

app_name = "employment"
urlpatterns = [
    path("employer/", views.employer_home, name="employer"),
]
