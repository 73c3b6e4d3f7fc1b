from django.urls import path

from esocial.applications import views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/<slug:code>/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/messages/", views.application_message,
         name="application_message"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw_view,
         name="application_withdraw"),
    path("applications/<int:pk>/documents/<int:document_pk>/",
         views.application_document_download, name="application_document"),
    path("applications/staff/", views.staff_queue_view, name="staff_applications"),
    path("applications/staff/<int:pk>/", views.staff_application, name="staff_application"),
    path("applications/staff/<int:pk>/status/", views.staff_status_change,
         name="staff_application_status"),
    path("applications/staff/<int:pk>/messages/", views.staff_message,
         name="staff_application_message"),
    path("applications/staff/<int:pk>/documents/<int:document_pk>/",
         views.staff_document_download, name="staff_application_document"),
    path("applications/staff/corrections/", views.staff_corrections, name="staff_corrections"),
    path("applications/staff/corrections/<int:pk>/", views.staff_correction,
         name="staff_correction"),
    path("applications/staff/corrections/<int:pk>/document/", views.staff_correction_document,
         name="staff_correction_document"),
]
