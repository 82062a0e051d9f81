"""The load test's data: migrate, the demo data, then one more call of N applications under review, assigned
by the optimal assignment (its bulk commit) to the demo expert and 20 more, so queues and lists have rows.

Prints one JSON line: the database, the row counts, and for each persona (a role's signed-in session) the pages
it walks, each checked to answer 200 before the load starts. Run by benchmarks/loadtest.py in a child process.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import timedelta
from decimal import Decimal


def seed(extra: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from poc.models import Application, ApplicationState, Call, Discipline, Institution
    from review import matching
    from review.models import Expert, Review
    from review.services import ensure_plan

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # production serves hashed names
    call_command("seed_demo", verbosity=0)
    User = get_user_model()
    rng = random.Random(20261203)
    officer = User.objects.get(username="officer")
    template = Call.objects.filter(published=True).order_by("pk").first()
    now = timezone.now()
    call = Call.objects.create(
        kind=template.kind, round="2026-load", title="2026年度概念验证项目（负载测试批次）", guideline="-",
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10), budget=Decimal("50000000.00"),
        published=True, eligible_institution_types=template.eligible_institution_types, required_attachment_types=[],
        max_applications_per_institution=10_000)
    plan = ensure_plan(call)
    plan.experts_per_application = 2
    plan.save()
    institutions = list(Institution.objects.filter(verified=True))
    leaves = list(Discipline.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    words = [f"关键词{i}" for i in range(60)]
    applications = Application.objects.bulk_create([
        Application(call=call, institution=institutions[i % len(institutions)], kind=call.kind,
                    number=f"LOAD-{i:05d}", title=f"负载测试项目{i}", keywords=",".join(rng.sample(words, 4)),
                    state=ApplicationState.UNDER_REVIEW, created_by=officer)
        for i in range(extra)])
    through = Application.disciplines.through
    through.objects.bulk_create([through(application_id=a.pk, discipline_id=d) for a in applications
                                 for d in rng.sample(leaves, 2)])
    users = User.objects.bulk_create([User(username=f"load-expert-{j}") for j in range(20)])
    Group.objects.get(name="expert").user_set.add(*users)
    Expert.objects.bulk_create([
        Expert(user=u, name=f"负载专家{j:03d}", affiliation="-", keywords=",".join(rng.sample(words, 5)),
               max_load_per_call=extra, active=True, pledge_signed_on=now.date()) for j, u in enumerate(users)])
    for expert in Expert.objects.filter(active=True):
        expert.disciplines.add(*rng.sample(leaves, 3))
    Expert.objects.filter(user__username="expert").update(max_load_per_call=extra)
    preview = matching.preview_optimal(officer, call)
    matching.commit(officer, call, "optimal", preview.digest)

    def session(username: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client.cookies["sessionid"].value

    review = Review.objects.filter(assignment__expert__user__username="expert").order_by("-pk").first()
    applicant3_app = Application.objects.filter(institution__group__user__username="applicant3").order_by("pk").first()
    personas = [
        {"role": "expert", "user": "expert", "pages": [
            ["expert: review queue", reverse("review:queue")],
            ["expert: review form", reverse("review:review", args=[review.pk])]]},
        {"role": "applicant", "user": "applicant3", "pages": [
            ["applicant: home", reverse("home")],
            ["applicant: application list", reverse("application-list")],
            ["applicant: application", reverse("application-detail", args=[applicant3_app.pk])]]},
        {"role": "officer", "user": "officer", "pages": [
            ["officer: inbox", reverse("inbox")],
            ["officer: application list", reverse("application-list")],
            ["officer: ranking", reverse("review:ranking", args=[call.pk])]]},
        {"role": "fund manager", "user": "fund", "pages": [
            ["fund manager: home", reverse("funding:home")],
            ["fund manager: decisions", reverse("funding:decisions")]]},
        {"role": "API", "user": "officer", "pages": [["API: applications (officer)", "/api/v1/applications/"]]},
        {"role": "API", "user": "expert", "pages": [["API: reviews (expert)", "/api/v1/reviews/"]]},
        {"role": "API", "user": "fund", "pages": [["API: funding decisions (fund manager)",
                                                   "/api/v1/funding-decisions/"]]},
    ]
    for persona in personas:
        persona["session"] = session(persona.pop("user"))
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.cookies["sessionid"] = persona["session"]
        for label, path in persona["pages"]:
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"{label} ({path}) answered {status} before the load")
    rows = (f"{Application.objects.count():,} applications, {Review.objects.count():,} reviews, "
            f"{Expert.objects.count():,} experts; the demo expert holds "
            f"{Review.objects.filter(assignment__expert__user__username='expert').count():,} reviews")
    return {"database": f"{connection.vendor} {connection.Database.__name__}", "rows": rows, "users": personas}


if __name__ == "__main__":
    print(json.dumps(seed(int(sys.argv[1]))))
