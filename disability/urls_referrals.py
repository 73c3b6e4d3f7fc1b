"""The doctor's pages of a health facility (``/referrals/``)."""

from __future__ import annotations

from django.urls import path

from disability.views import referrals

app_name = "referrals"
urlpatterns = [
    path("", referrals.referral_list, name="index"),
    path("new/", referrals.referral_new, name="new"),
    path("icd/", referrals.icd_search, name="icd_search"),
    path("<str:case_number>/", referrals.referral_detail, name="detail"),
    path("<str:case_number>/documents/<int:number>/", referrals.referral_document,
         name="document"),
    path("<str:case_number>/requests/<int:pk>/answer/", referrals.request_answer,
         name="answer"),
]
