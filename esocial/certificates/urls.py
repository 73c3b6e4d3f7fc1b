from django.urls import path

from esocial.certificates import views

urlpatterns = [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>/download/", views.certificate_download,
         name="certificate_download"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    # Public: no sign-in, the address printed on every certificate and in its QR code.
    path("verify/", views.certificate_verify, name="certificate_verify"),
    path("verify/<str:code>/", views.certificate_verify_code, name="certificate_verify_code"),
]
