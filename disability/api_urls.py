"""The disability subsystem's API (``/api/v1/disability/``)."""

from __future__ import annotations

from django.urls import path

from disability import api

urlpatterns = [
    path("referrals/", api.ReferralsView.as_view(), name="api-referrals"),
    path("referrals/<str:case_number>/", api.ReferralDetailView.as_view(), name="api-referral"),
]
