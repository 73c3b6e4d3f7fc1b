"""The expert commission's anonymised review of its cases."""

from __future__ import annotations

from django.urls import path

from disability.views import msec

app_name = "msec"
urlpatterns = [
    path("", msec.case_list, name="index"),
    path("combine/", msec.combine, name="combine"),
    path("cases/<str:case_number>/", msec.case_detail, name="case"),
    path("cases/<str:case_number>/documents/<int:number>/", msec.case_document, name="document"),
    path("cases/<str:case_number>/assessment/", msec.assessment_create, name="propose"),
    path("cases/<str:case_number>/assessments/<int:pk>/confirm/", msec.assessment_confirm_view,
         name="confirm"),
    path("cases/<str:case_number>/assessments/<int:pk>/withdraw/",
         msec.assessment_withdraw_view, name="withdraw"),
    path("cases/<str:case_number>/requests/", msec.documents_request, name="request_documents"),
]
