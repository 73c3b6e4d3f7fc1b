from django.contrib import admin
from django.urls import include, path

from dost import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("dost.api_urls")),
    path("backoffice/citizens/", include("dost.registry.urls")),
    path("backoffice/scans/", include("dost.entitlements.urls")),
    path("backoffice/bridge/", include("dost.bridge.review_urls")),
    path("backoffice/complaints/", include("dost.complaints.backoffice_urls")),
    path("backoffice/index/", include("dost.index.urls")),
    path("backoffice/disability/cases/", include("disability.urls_supervision")),
    path("backoffice/disability/", include("disability.urls_backoffice")),
    path("backoffice/assistance/visits/", include("vemtas.urls_assessments")),
    path("backoffice/assistance/", include("vemtas.urls_staff")),
    # The Django admin, for administrators only (dost.admin_site), under the back-office.
    path("backoffice/admin/", admin.site.urls),
    path("backoffice/", include("dost.backoffice.urls")),
    path("mobile-dost/", include("dost.centres.urls")),
    path("pensions/", include("pensions.urls")),
    path("employment/", include("employment.urls")),
    path("disability/", include("disability.urls")),
    path("referrals/", include("disability.urls_referrals")),
    path("msec/", include("disability.urls_msec")),
    path("complaints/", include("dost.complaints.urls")),
    path("my/assistance/", include("vemtas.urls_citizen")),
    path("kiosk/", include("vemtas.urls_kiosk")),
    path("callcentre/", include("callcentre.urls")),
    path("", include("esocial.urls")),
]

handler403 = "dost.views.permission_denied"
handler404 = "dost.views.not_found"
