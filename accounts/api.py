"""The API's token endpoint, with one rule added: officers, fund managers and superusers get their token only
after the second factor, on the API-token page (accounts/two_factor.py), never for a password alone."""
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from poc.api.auth import ObtainTokenView

from .second_factor import enabled, role_requires


class ObtainTokenAfterSecondFactorView(ObtainTokenView):
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if enabled() and role_requires(serializer.validated_data["user"]):
            return Response({"detail": _("Your role signs in with a second factor: get your API token on the "
                                         "“API token” page after signing in (/accounts/two-factor/token/).")},
                            status=status.HTTP_403_FORBIDDEN)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
