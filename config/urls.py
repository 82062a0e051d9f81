from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import ObtainTokenAfterSecondFactorView
from config.api_docs import OfflineRedocView
from config.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before poc's own: the token endpoint that asks officers, fund managers and superusers for a second factor.
    path("api/v1/auth/token/", ObtainTokenAfterSecondFactorView.as_view(), name="auth-token"),
    path("api/v1/", include("poc.api.urls")),
    path("api/v1/", include("review.api.urls")),
    path("api/v1/", include("funding.api.urls")),
    path("api/v1/", include("transfer.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("accounts/", include("accounts.urls")),
    path("review/", include("review.urls")),
    path("funding/", include("funding.urls")),
    path("transfer/", include("transfer.urls")),
    path("", include("poc.urls")),
]

handler404 = "poc.views.errors.page_not_found"
handler500 = "config.errors.server_error"
