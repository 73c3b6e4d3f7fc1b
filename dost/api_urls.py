from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from dost.registry import api as registry_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("me/", registry_api.MeView.as_view(), name="api-me"),
    path("bridge/", include("dost.bridge.urls")),
    path("notifications/", include("dost.notifications.urls")),
    path("payments/", include("dost.payments.urls")),
    path("disability/", include("disability.api_urls")),
    path("registry/persons/<str:fin>/", registry_api.PersonDetailView.as_view(),
         name="api-person"),
]
