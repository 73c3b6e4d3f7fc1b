from django.urls import path

from dost.entitlements import views

app_name = "entitlements"
urlpatterns = [
    path("", views.scan_list, name="scan_list"),
    path("start/", views.scan_create, name="scan_create"),
    path("<int:pk>/", views.scan_detail, name="scan_detail"),
    path("<int:pk>/resume/", views.scan_resume, name="scan_resume"),
]
