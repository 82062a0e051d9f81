"""Relations of the transfer app (成果转化): who an enterprise is, and who was granted a result's detail.

A **verified enterprise** (认证企业) is a user holding the ``enterprise`` role who is an active member of an
institution of type enterprise that the bureau has verified. Both facts are domain rows already: the role
group (``poc.roles.ENTERPRISE``) and the institution's group plus its ``verified`` flag, so no new table
decides it. An enterprise's users act for that institution (post demands, take licences, request detail).

Like every relation (:mod:`poc.access.relations`), each one answers for one object and for a whole list.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from poc.access.relations import EVERYTHING, groups_of, has_role, in_group, relation, signed_in
from poc.models import Institution, InstitutionType
from poc.roles import APPLICANT, ENTERPRISE, SystemActor


def _follow(obj, path):
    for part in (path.split("__") if path else []):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def enterprise_of_user(user):
    """The verified enterprise institution ``user`` acts for, or None (cached on the user for the request)."""
    if not signed_in(user) or isinstance(user, SystemActor) or not has_role(user, ENTERPRISE):
        return None
    if not hasattr(user, "_transfer_enterprise"):
        user._transfer_enterprise = Institution.objects.filter(
            group__in=groups_of(user), type=InstitutionType.ENTERPRISE, verified=True,
            memberships__user=user, memberships__status="active").first()
    return user._transfer_enterprise


verified_enterprise = relation(
    "verified_enterprise",
    test=lambda obj, user: enterprise_of_user(user) is not None,
    query=lambda user: EVERYTHING if enterprise_of_user(user) is not None else None,
    refusal=_("Only verified enterprises can do this."),
)


def enterprise_of(path: str = "enterprise", refusal=None):
    """A verified enterprise's user acting for the institution at ``obj.<path>``."""

    def test(obj, user):
        institution = _follow(obj, path)
        own = enterprise_of_user(user)
        return institution is not None and own is not None and own.pk == institution.pk and in_group(
            user, institution.group_id)

    def query(user):
        own = enterprise_of_user(user)
        return None if own is None else Q(**{f"{path}": own})

    return relation(f"enterprise_of({path})", test=test, query=query,
                    refusal=refusal or _("Only the enterprise itself can do this."))


def _published_result(obj, user):
    return obj is not None and obj.published


published_to_enterprises = relation(
    "published_to_enterprises",
    test=lambda obj, user: enterprise_of_user(user) is not None and _published_result(obj, user),
    query=lambda user: Q(published=True) if enterprise_of_user(user) is not None else None,
    refusal=_("This result is not published."),
)


def _granted_q(user, path=""):
    own = enterprise_of_user(user)
    if own is None:
        return None
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}detail_requests__enterprise": own, f"{prefix}detail_requests__status": "granted"})


def _granted_key(user) -> str:
    return f"detail_granted_to_{user.pk}"


def with_detail_granted(results, user):
    """Results annotated with whether ``user``'s enterprise has been granted each one's detail (a list asks the
    policy about every row; this answers it in the list's own query)."""
    from django.db.models import Exists, OuterRef, Value

    from .models import DetailRequest

    own = enterprise_of_user(user)
    granted = (Exists(DetailRequest.objects.filter(result=OuterRef("pk"), enterprise=own, status="granted"))
               if own is not None else Value(False))
    return results.annotate(**{_granted_key(user): granted})


def _granted(obj, user):
    own = enterprise_of_user(user)
    if obj is None or own is None:
        return False
    known = obj.__dict__.get(_granted_key(user))
    if known is not None:
        return bool(known)
    return obj.detail_requests.filter(enterprise=own, status="granted").exists()


detail_granted = relation(
    "detail_granted", test=_granted, query=_granted_q,
    refusal=_("The owner has not granted you this result's confidential detail."),
)


def _demand_open_to(user):
    return signed_in(user) and (enterprise_of_user(user) is not None or has_role(user, APPLICANT))


class _PublishedOpenly:
    """A published demand disclosed publicly or on the platform (the demand models import this module)."""

    def __init__(self):
        from .models.demands import DemandState, Disclosure

        self.state, self.disclosures = DemandState.PUBLISHED, (Disclosure.PUBLIC, Disclosure.PLATFORM)
        self.q = Q(state=self.state, disclosure__in=self.disclosures)

    def test(self, demand) -> bool:
        return demand.state == self.state and demand.disclosure in self.disclosures


def _published_openly() -> _PublishedOpenly:
    return _PublishedOpenly()


published_demand = relation(
    "published_demand",
    test=lambda obj, user: _demand_open_to(user) and obj is not None and _published_openly().test(obj),
    query=lambda user: _published_openly().q if _demand_open_to(user) else None,
    refusal=_("This demand is not published."),
)
