"""The API's ReDoc page, offline: ReDoc from drf-spectacular-sidecar, no web font, and a Content-Security-Policy
that lets the browser fetch nothing from another site (ReDoc's bundle would load a logo from its makers' CDN)."""
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'")


class OfflineRedocView(SpectacularRedocView):
    template_name = "api/redoc.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = CSP
        return response
