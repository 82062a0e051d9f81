"""Helpers of the review API tests: one review-ready scene, URLs, and a full score sheet.

The scene: a PoC-project call (default 100-point project rubric: technology 25 and maturity 20 with a comment
required, market 20, team 15, budget 10, transfer 10) with two applications under review from two
institutions, three qualified experts in ENG.MAT, an officer, an applicant of the first institution and a
fund manager. Expert 1 is assigned to application 1; expert 2 to applications 1 and 2.
"""
from dataclasses import dataclass

from poc.models import Application, Call
from review.models import Assignment, Expert
from tests.factories import InstitutionFactory, applicant_of, fund_manager, officer
from tests.poc.api_support import API, api_client  # noqa: F401  (re-exported for the tests)
from tests.review.factories import ExpertFactory, assign, review_call, under_review

FULL_SCORES = {
    "technology": {"score": "22", "comment": "Granted invention patents."},
    "maturity": {"score": "15.5", "comment": "TRL 3 to 5 in 18 months is plausible."},
    "market": {"score": 16, "comment": ""},
    "team": {"score": 12},
    "budget": {"score": "8"},
    "transfer": {"score": "7"},
}
FULL_TOTAL = "80.50"


def url(*parts) -> str:
    return "/".join([API, *[str(getattr(p, "pk", p)) for p in parts]]) + "/"


@dataclass
class Scene:
    call: Call
    app1: Application
    app2: Application
    officer: object
    applicant: object
    fund_manager: object
    e1: Expert
    e2: Expert
    e3: Expert
    a11: Assignment
    a21: Assignment
    a22: Assignment

    def client(self, who):
        return api_client(who if not isinstance(who, Expert) else who.user)


def make_scene(**call_kw) -> Scene:
    call = review_call(**call_kw)
    inst1, inst2 = InstitutionFactory(name="温州大学"), InstitutionFactory(name="温州理工学院")
    applicant = applicant_of(inst1)
    app1 = under_review(call, inst1, created_by=applicant)
    app2 = under_review(call, inst2)
    off = officer(first_name="Officer", last_name="Wang")
    e1, e2, e3 = (ExpertFactory(name=name) for name in ("刘教授", "孙研究员", "钱高工"))
    return Scene(call=call, app1=app1, app2=app2, officer=off, applicant=applicant, fund_manager=fund_manager(),
                 e1=e1, e2=e2, e3=e3, a11=assign(app1, e1, off), a21=assign(app1, e2, off), a22=assign(app2, e2, off))
