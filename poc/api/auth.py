"""The token login of the API."""
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.throttling import ScopedRateThrottle

from poc.api.serializers.institutions import TokenRequestSerializer, TokenSerializer

from .errors import error_responses


@extend_schema(
    tags=["auth"], request=TokenRequestSerializer,
    responses={200: TokenSerializer, **error_responses(400, e400="Wrong or inactive credentials.")},
    summary="Exchange a username and password for an API token", auth=[],
)
class ObtainTokenView(ObtainAuthToken):
    """``POST auth/token/`` with username and password → ``{"token": …}``."""

    authentication_classes: list = []  # a login: no session (and so no CSRF) involved
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_classes = [ScopedRateThrottle]  # no password guessing at speed
    throttle_scope = "auth"
