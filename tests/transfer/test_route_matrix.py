"""Every transfer route × role × ownership: the status each answers (pages and API).

Roles: anonymous, the result's owner (an applicant of its institution), another institution's applicant, the
demand's enterprise (which is also the licensee), another verified enterprise, an officer, an expert and a fund
manager. A new route without a row here fails ``test_every_route_is_in_the_matrix``.
"""
import pytest
from django.test import Client
from django.urls import get_resolver
from rest_framework.test import APIClient

from tests.factories import InstitutionFactory, applicant_of, expert, fund_manager, officer

from .factories import enterprise, enterprise_user, make_demand, make_licence, make_result, make_roadshow

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other_applicant", "enterprise", "other_enterprise", "officer", "expert", "fund")
LOGIN = 302


def row(anonymous, owner, other_applicant, enterprise, other_enterprise, officer, expert, fund):
    return dict(zip(ROLES, (anonymous, owner, other_applicant, enterprise, other_enterprise, officer, expert, fund),
                    strict=True))


ALL = row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
PUBLIC = row(200, 200, 200, 200, 200, 200, 200, 200)

# name, path (formatted with the world's ids), expected GET statuses
PAGES = [
    ("results", "/transfer/", ALL),
    ("result-create", "/transfer/results/new/", row(LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    ("result-import", "/transfer/results/import/", row(LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    ("result", "/transfer/results/{result}/", row(LOGIN, 200, 404, 200, 200, 200, 404, 404)),
    ("result", "/transfer/results/{hidden}/", row(LOGIN, 200, 404, 404, 404, 200, 404, 404)),
    ("result-edit", "/transfer/results/{result}/edit/", row(LOGIN, 200, 404, 403, 403, 403, 404, 404)),
    ("demands", "/transfer/demands/", ALL),
    ("demand-create", "/transfer/demands/new/", row(LOGIN, 403, 403, 200, 200, 403, 403, 403)),
    ("demand", "/transfer/demands/{demand}/", row(LOGIN, 200, 200, 200, 200, 200, 404, 404)),
    ("demand", "/transfer/demands/{draft}/", row(LOGIN, 404, 404, 200, 404, 200, 404, 404)),
    ("demand-edit", "/transfer/demands/{draft}/edit/", row(LOGIN, 404, 404, 200, 404, 403, 404, 404)),
    ("roadshows", "/transfer/roadshows/", ALL),
    ("roadshow", "/transfer/roadshows/{roadshow}/", ALL),
    ("licences", "/transfer/licences/", ALL),
    ("licence", "/transfer/licences/{licence}/", row(LOGIN, 200, 404, 200, 404, 200, 404, 404)),
    ("board", "/transfer/board/", row(LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    ("catalogue", "/transfer/catalogue/", PUBLIC),
    ("catalogue-result", "/transfer/catalogue/results/{result}/", PUBLIC),
    ("catalogue-result", "/transfer/catalogue/results/{hidden}/", row(404, 404, 404, 404, 404, 404, 404, 404)),
]
# POST-only routes: a caller who may not see the object gets 404 and nothing changes; the anonymous are sent to
# sign in; the others are redirected back with the service's answer (asserted in the other test modules).
SEEN = 302
POSTS = [
    ("result-publish", "/transfer/results/{hidden}/publish/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("result-request-detail", "/transfer/results/{hidden}/request-detail/",
     row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("result-evidence", "/transfer/results/{hidden}/evidence/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("result-validation", "/transfer/results/{hidden}/validation/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("result-licence", "/transfer/results/{hidden}/licence/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("detail-decide", "/transfer/detail-requests/{detail}/decide/", row(LOGIN, SEEN, 404, SEEN, 404, SEEN, 404, 404)),
    ("interest", "/transfer/interest/{hidden}/{demand}/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
    ("roadshow-register", "/transfer/roadshows/{roadshow}/register/",
     row(LOGIN, SEEN, SEEN, SEEN, SEEN, SEEN, SEEN, SEEN)),
    ("roadshow-feedback", "/transfer/roadshows/{roadshow}/feedback/",
     row(LOGIN, SEEN, SEEN, SEEN, SEEN, SEEN, SEEN, SEEN)),
    ("step", "/transfer/results/{hidden}/steps/shelve/", row(LOGIN, SEEN, 404, 404, 404, SEEN, 404, 404)),
]
API_LOGIN = 401
API = [
    ("result-list", "/api/v1/results/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("result-detail", "/api/v1/results/{hidden}/", row(API_LOGIN, 200, 404, 404, 404, 200, 404, 404)),
    ("result-transitions", "/api/v1/results/{result}/transitions/", row(API_LOGIN, 200, 404, 200, 200, 200, 404, 404)),
    ("detail-request-list", "/api/v1/detail-requests/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("detail-request-detail", "/api/v1/detail-requests/{detail}/", row(API_LOGIN, 200, 404, 200, 404, 200, 404, 404)),
    ("match-list", "/api/v1/matches/?result={result}", row(API_LOGIN, 200, 404, 200, 200, 200, 404, 404)),
    ("demand-list", "/api/v1/demands/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("demand-detail", "/api/v1/demands/{draft}/", row(API_LOGIN, 404, 404, 200, 404, 200, 404, 404)),
    ("demand-transitions", "/api/v1/demands/{demand}/transitions/", row(API_LOGIN, 200, 200, 200, 200, 200, 404, 404)),
    ("roadshow-list", "/api/v1/roadshows/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("roadshow-detail", "/api/v1/roadshows/{roadshow}/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("roadshow-transitions", "/api/v1/roadshows/{roadshow}/transitions/",
     row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("licence-list", "/api/v1/licences/", row(API_LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("licence-detail", "/api/v1/licences/{licence}/", row(API_LOGIN, 200, 404, 200, 404, 200, 404, 404)),
    ("licence-transitions", "/api/v1/licences/{licence}/transitions/", row(API_LOGIN, 200, 404, 200, 404, 200, 404, 404)),
    ("board-list", "/api/v1/transfer-board/", row(API_LOGIN, 403, 403, 403, 403, 200, 403, 403)),
    ("public-result-list", "/api/v1/public/results/", PUBLIC),
    ("public-result-detail", "/api/v1/public/results/{hidden}/", row(404, 404, 404, 404, 404, 404, 404, 404)),
    ("public-demand-list", "/api/v1/public/demands/", PUBLIC),
    ("public-demand-detail", "/api/v1/public/demands/{demand}/", PUBLIC),
]
# Routes exercised by POST in other modules (writes with their refusals): listed so the coverage check knows them.
API_WRITES = {"result-publish", "result-request-detail", "result-evidence", "result-validation", "result-interest",
              "result-import", "result-run-transition", "detail-request-decide", "demand-run-transition",
              "demand-interest", "roadshow-run-transition", "roadshow-register", "roadshow-feedback",
              "licence-run-transition"}


@pytest.fixture
def world():
    owner_institution = InstitutionFactory()
    owner = applicant_of(owner_institution)
    licensee = enterprise()
    ent_user = enterprise_user(licensee)
    result = make_result(owner_institution, created_by=owner, published=True)
    hidden = make_result(owner_institution, created_by=owner, published=False, registration_number="ZL-H")
    demand = make_demand(licensee, created_by=ent_user)
    draft = make_demand(licensee, created_by=ent_user, state="draft")
    detail = result.detail_requests.create(enterprise=licensee, requested_by=ent_user)
    users = {"anonymous": None, "owner": owner, "other_applicant": applicant_of(InstitutionFactory()),
             "enterprise": ent_user, "other_enterprise": enterprise_user(), "officer": officer(), "expert": expert(),
             "fund": fund_manager()}
    ids = {"result": result.pk, "hidden": hidden.pk, "demand": demand.pk, "draft": draft.pk, "detail": detail.pk,
           "roadshow": make_roadshow([result]).pk, "licence": make_licence(result, licensee).pk}
    return users, ids


def _client(user, api=False):
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_pages(world, role):
    users, ids = world
    client = _client(users[role])
    got = {path: client.get(path.format(**ids)).status_code for _, path, _ in PAGES}
    assert got == {path: expected[role] for _, path, expected in PAGES}
    got = {path: client.post(path.format(**ids)).status_code for _, path, _ in POSTS}
    assert got == {path: expected[role] for _, path, expected in POSTS}


@pytest.mark.parametrize("role", ROLES)
def test_api(world, role):
    users, ids = world
    client = _client(users[role], api=True)
    got = {path: client.get(path.format(**ids)).status_code for _, path, _ in API}
    assert got == {path: expected[role] for _, path, expected in API}


def test_every_route_is_in_the_matrix():
    pages = {name for name, _, _ in PAGES + POSTS}
    declared = {p.name for p in get_resolver("transfer.urls").url_patterns}
    assert declared == pages
    api = {name for name, _, _ in API} | API_WRITES
    from transfer.api.urls import urlpatterns

    assert {p.name for p in urlpatterns} == api
