from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("poc.api.urls")),
    path("api/v1/", include("review.api.urls")),
    path("api/v1/", include("funding.api.urls")),
    path("api/v1/", include("transfer.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("review/", include("review.urls")),
    path("funding/", include("funding.urls")),
    path("transfer/", include("transfer.urls")),
    path("", include("poc.urls")),
]

handler404 = "poc.views.errors.page_not_found"
