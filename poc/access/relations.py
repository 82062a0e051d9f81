"""Relations between a user and an object: the predicates of the access policy.

A :class:`Relation` is a :class:`poc.rules.Rule` (``check(obj, user) -> None | refusal``), so it can
be a transition's ``permission=`` as it is, and it also knows the same relation as a query:
``q(user)`` returns the ``Q`` that selects every object the relation holds for (``Q()`` for all,
``None`` for none). Object checks and list filters are thus one declaration, never two.

Relations are decided from the domain's own rows:

* roles are Django groups with fixed codes (:mod:`poc.roles`); superusers and the scheduler
  (:data:`poc.roles.SYSTEM`) act with an officer's rights;
* an institution's members are the users of its group, and they must hold the applicant role;
* a fund's managers are the users of its group, with the fund-manager role;
* higher apps define their own relations with :func:`relation` (review: the assigned expert).

Refusals are lazy translations; ``relation.refusing(message)`` gives the same relation with the
words a particular step should use ("only the applicant institution can resubmit").
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from poc.roles import APPLICANT, DISTRICT_OFFICER, EXPERT, FUND_MANAGER, OFFICER, ROLES, SystemActor
from poc.rules import Rule

# ----------------------------------------------------------------------------- roles

def role_codes(user) -> frozenset[str]:
    """The role codes a user holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated or isinstance(user, SystemActor):
        return frozenset()
    cached = getattr(user, "_pochub_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._pochub_roles = cached
    return cached


def has_role(user, code: str) -> bool:
    return code in role_codes(user)


def is_officer(user) -> bool:
    """Bureau officers, superusers and the scheduler acting on its own."""
    if isinstance(user, SystemActor):
        return True
    return has_role(user, OFFICER) or bool(getattr(user, "is_superuser", False))


def forget_roles(user) -> None:
    """Drop the cached roles (and the request's group ids) after a change of group membership."""
    for cached in ("_pochub_roles", "_pochub_districts"):
        if hasattr(user, cached):
            delattr(user, cached)
    forget_groups()


def signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


# During a request, each user's group ids are read once (a list asks about every row); any change of group
# membership forgets them (connected in poc/apps.py). Outside a request nothing is kept.
_request_groups: ContextVar[dict | None] = ContextVar("pochub_request_groups", default=None)


def start_request_cache(**kwargs) -> None:
    _request_groups.set({})


def end_request_cache(**kwargs) -> None:
    _request_groups.set(None)


def forget_groups(**kwargs) -> None:
    known = _request_groups.get()
    if known:
        known.clear()


def in_group(user, group_id) -> bool:
    """The user is a member of the group (the institution's or the fund's)."""
    if group_id is None or not signed_in(user) or isinstance(user, SystemActor):
        return False
    known = _request_groups.get()
    if known is None:
        return user.groups.filter(pk=group_id).exists()
    if user.pk not in known:
        known[user.pk] = frozenset(user.groups.values_list("pk", flat=True))
    return group_id in known[user.pk]


def groups_of(user):
    """The user's groups, as a subquery for list filters."""
    return Group.objects.filter(user=user).values("pk")


# ------------------------------------------------------------------------- relations

EVERYTHING = Q()


def _follow(obj, path: str | None):
    """``obj`` followed along a ``__`` path of foreign keys (``decision__fund``); None if a link is missing."""
    if not path:
        return obj
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


class Relation(Rule):
    """A predicate about (object, user) that can say why not, and select the objects it holds for.

    ``test(obj, user) -> bool`` decides one object; ``query(user) -> Q | None`` selects them all
    (``None``: nothing). Role-only relations ignore the object and answer ``EVERYTHING`` or ``None``.
    """

    def __init__(self, name: str, test: Callable, query: Callable | None, refusal, label=None):
        self.test = test
        self.query = query
        self.refusal = refusal
        self.label = label or name  # who, in words (workflow diagrams)
        super().__init__(self._check, name)

    def _check(self, obj, user=None):
        return None if self.test(obj, user) else self.refusal

    def holds(self, user, obj=None) -> bool:
        """Actor first, like services: does the relation hold between ``user`` and ``obj``?"""
        return bool(self.test(obj, user))

    def q(self, user) -> Q | None:
        if self.query is None:
            raise TypeError(f"{self.name} decides single objects only; it cannot filter a list")
        return self.query(user)

    def refusing(self, refusal) -> Relation:
        """The same relation, refusing with other words."""
        return Relation(self.name, self.test, self.query, refusal, self.label)

    def __or__(self, other: Relation) -> Relation:
        return any_of(self, other)

    def __and__(self, other: Relation) -> Relation:
        return all_of(self, other)

    def __repr__(self) -> str:
        return f"<Relation {self.name}>"


def relation(name: str, *, test: Callable, query: Callable | None = None, refusal=None, label=None) -> Relation:
    """Declare a relation: ``test(obj, user) -> bool``, ``query(user) -> Q | None``, and who it is in words."""
    return Relation(name, test, query, refusal or _("You are not allowed to do this."), label)


class _LabelJoin:
    """The labels of combined relations, joined when shown (so each is translated in the reader's language)."""

    def __init__(self, relations, separator):
        self.relations, self.separator = list(relations), separator

    def __str__(self):
        return self.separator.join(str(r.label) for r in self.relations)


def _or_q(parts):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if any(not p for p in parts):  # Q() selects everything
        return EVERYTHING
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _and_q(parts):
    if any(p is None for p in parts):
        return None
    combined = EVERYTHING
    for part in parts:
        combined &= part
    return combined


def any_of(*relations: Relation) -> Relation:
    """Holds when any holds; refuses with the first one's words."""
    flat = []
    for r in relations:
        flat.extend(getattr(r, "members", None) or [r]) if getattr(r, "kind", "") == "any" else flat.append(r)
    queries = [r.query for r in flat]
    combined = Relation(
        " | ".join(r.name for r in flat),
        lambda obj, user: any(r.test(obj, user) for r in flat),
        None if any(q is None for q in queries) else (lambda user: _or_q([q(user) for q in queries])),
        flat[0].refusal,
        _LabelJoin(flat, " / "),
    )
    combined.kind, combined.members = "any", flat
    return combined


def all_of(*relations: Relation) -> Relation:
    """Holds when all hold; refuses with the first failing one's words."""
    queries = [r.query for r in relations]

    def check(obj, user=None):
        for r in relations:
            if not r.test(obj, user):
                return r.refusal
        return None

    combined = Relation(
        " & ".join(r.name for r in relations),
        lambda obj, user: all(r.test(obj, user) for r in relations),
        None if any(q is None for q in queries) else (lambda user: _and_q([q(user) for q in queries])),
        relations[0].refusal,
        _LabelJoin(relations, " & "),
    )
    combined.check = check
    return combined


def _role(code: str, refusal) -> Relation:
    from poc.roles import ROLE_NAMES

    return relation(code, test=lambda obj, user: has_role(user, code),
                    query=lambda user: EVERYTHING if has_role(user, code) else None, refusal=refusal,
                    label=ROLE_NAMES[code])


officer = relation(
    "officer", test=lambda obj, user: is_officer(user),
    query=lambda user: EVERYTHING if is_officer(user) else None,
    refusal=_("Only bureau officers can do this."), label=_("Bureau officers"),
)
applicant = _role(APPLICANT, _("Only applicants can do this."))
expert = _role(EXPERT, _("Only experts can do this."))
fund_manager = _role(FUND_MANAGER, _("Only fund managers can do this."))
district_officer = _role(DISTRICT_OFFICER, _("Only district officers can do this."))
ANYONE = relation("anyone", test=lambda obj, user: True, query=lambda user: EVERYTHING)
SIGNED_IN = relation("signed_in", test=lambda obj, user: signed_in(user),
                     query=lambda user: EVERYTHING if signed_in(user) else None,
                     refusal=_("Please sign in."))
# Each role code's own relation (the group alone: a superuser holds ``officer`` but not the officer role).
ROLE_RELATIONS = {APPLICANT: applicant, EXPERT: expert, FUND_MANAGER: fund_manager,
                  DISTRICT_OFFICER: district_officer, OFFICER: _role(OFFICER, _("Only bureau officers can do this."))}


def roles_held(user) -> frozenset[str]:
    """The role codes ``user`` holds (for showing them, e.g. in the page header)."""
    return role_codes(user)


nobody = relation("nobody", test=lambda obj, user: False, query=lambda user: None)


def member_of(path: str = "institution", refusal=None) -> Relation:
    """An applicant who is a member of the institution at ``obj.<path>`` (``""``: the object itself)."""

    def test(obj, user):
        institution = _follow(obj, path)
        return institution is not None and has_role(user, APPLICANT) and in_group(user, institution.group_id)

    def query(user):
        if not has_role(user, APPLICANT):
            return None
        return Q(**{f"{path}__group__in" if path else "group__in": groups_of(user)})

    return relation(f"member_of({path})", test=test, query=query,
                    refusal=refusal or _("Only members of the institution can do this."),
                    label=_("The institution's members"))


def admin_of(path: str = "institution", refusal=None) -> Relation:
    """An active member of the institution at ``obj.<path>`` with its administrator flag."""

    def test(obj, user):
        institution = _follow(obj, path)
        if institution is None or not signed_in(user) or isinstance(user, SystemActor):
            return False
        from poc.models import Membership

        return Membership.objects.filter(institution=institution, user=user, status=Membership.Status.ACTIVE,
                                         is_admin=True).exists()

    def query(user):
        if not signed_in(user) or isinstance(user, SystemActor):
            return None
        from poc.models import Membership

        administered = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE, is_admin=True)
        return Q(**{f"{path}__in" if path else "pk__in": administered.values("institution_id")})

    return relation(f"admin_of({path})", test=test, query=query,
                    refusal=refusal or _("Only the institution's administrators can do this."),
                    label=_("The institution's administrators"))


def fund_manager_of(path: str = "fund", refusal=None) -> Relation:
    """A fund manager in the group of the fund at ``obj.<path>`` (a former manager left in the group: no)."""

    def test(obj, user):
        fund = _follow(obj, path)
        return fund is not None and has_role(user, FUND_MANAGER) and in_group(user, fund.group_id)

    def query(user):
        if not has_role(user, FUND_MANAGER):
            return None
        return Q(**{f"{path}__group__in" if path else "group__in": groups_of(user)})

    return relation(f"fund_manager_of({path})", test=test, query=query,
                    refusal=refusal or _("Only the fund's managers can do this."), label=_("The fund's managers"))


def owner(path: str = "owner", refusal=None) -> Relation:
    """The user the object belongs to (``obj.<path>`` is the user): a background job, a notification."""

    def test(obj, user):
        return signed_in(user) and getattr(obj, f"{path}_id", None) == user.pk

    def query(user):
        return Q(**{path: user}) if signed_in(user) and not isinstance(user, SystemActor) else None

    return relation(f"owner({path})", test=test, query=query, refusal=refusal or _("This is not yours."),
                    label=_("Its owner"))


def districts_of(user) -> frozenset[str]:
    """The names of the districts whose science bureau ``user`` serves (the district's group and the
    district-officer role), cached on the user object for the request."""
    if not has_role(user, DISTRICT_OFFICER):
        return frozenset()
    cached = getattr(user, "_pochub_districts", None)
    if cached is None:
        from poc.institutions.models import District

        cached = frozenset(District.objects.filter(group__in=groups_of(user)).values_list("name", flat=True))
        user._pochub_districts = cached
    return cached


def district_officer_of(path: str = "institution", refusal=None) -> Relation:
    """A district officer of the district of the institution at ``obj.<path>`` (区县科技局: scoped to its district).

    The institution records its district by name (``Institution.district``); the district's officers are the
    users of its group holding the district-officer role (a former officer left in the group: no)."""

    def test(obj, user):
        institution = _follow(obj, path)
        return institution is not None and institution.district in districts_of(user)

    def query(user):
        if not has_role(user, DISTRICT_OFFICER):
            return None
        from poc.institutions.models import District

        names = District.objects.filter(group__in=groups_of(user)).values("name")
        return Q(**{f"{path}__district__in" if path else "district__in": names})

    return relation(f"district_officer_of({path})", test=test, query=query,
                    refusal=refusal or _("Only the science bureau of the institution's district can do this."),
                    label=_("The district's officers"))
