"""The base of the funding API (DESIGN §4): thin viewsets. Reads through :mod:`funding.selectors`, writes through
:mod:`funding.services`; the rules live in the models' transitions and the services.

Who sees what (DESIGN §3), one queryset per list and the same one for each detail, so a hidden object
answers 404 exactly as a missing one:

* officers see everything;
* a fund manager sees its funds and their decisions, investments, tranches, rounds, exits, marks,
  reports, events, risks and insurance, and the obligations of the projects its funds decided on;
* an applicant sees the decisions on its own institution's applications (read-only, without the fund
  internals), the quarterly reports and material events it files for them, and its projects' obligations
  and technology contracts; never a fund, an investment, a holding, a tranche, a round or a risk.

Writes answer 201/200 with the object, 403 when the caller may not, 409 when not possible now (the body
says why, naming the amounts), 400 on bad input.

Access is the policy's (funding/policies.py), asked by the API's one permission class
(:class:`poc.access.api.PolicyPermission`): a viewset declares ``policy_actions``, a relation for what is
checked before any input is read (who may create at all), an action name for what is checked on the object;
the services check the object again with ``require``.

This module holds the shared viewset base; one module per resource holds the views.
"""
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status, viewsets
from rest_framework.response import Response

from poc.errors import BadInput

from ..relations import fund_staff  # noqa: F401  (re-exported: the class-level check of the fund's records)

# The multipart envelope around a file adds a little; anything far beyond the limit is refused unread.
MULTIPART_SLACK_BYTES = 64 * 1024


class FundingViewSet(viewsets.GenericViewSet):
    lookup_value_converter = "int"
    policy_actions: dict = {}
    output_serializer = None

    def _detail(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.output_serializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def refuse_oversized(request):
    limit = settings.ATTACHMENT_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + MULTIPART_SLACK_BYTES:
        raise BadInput(_("The file is larger than the limit of %(limit)s MB.") % {"limit": f"{limit / 1048576:.0f}"},
                       field_errors={"agreement": [_("Too large.")]})
