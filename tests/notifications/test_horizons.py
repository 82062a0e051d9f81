"""The reminder and the page use one horizon for a conversion obligation coming due (poc.horizons)."""
from datetime import date, timedelta

import pytest
import time_machine

from poc import horizons
from poc.centers import selectors as center_selectors
from poc.models import Project
from poc.notifications import reminders
from poc.projects import selectors as project_selectors
from tests.factories import InstitutionFactory, applicant_of
from tests.notifications.support import kinds
from tests.poc.after_approval_factories import make_project
from tests.review.factories import local_moment


def test_one_definition_of_each_horizon():
    assert project_selectors.OBLIGATION_WARNING_DAYS == horizons.OBLIGATION_WARNING_DAYS == 30
    assert center_selectors.EXPIRY_WARNING_DAYS == horizons.EXPIRY_WARNING_DAYS == 90


@pytest.mark.django_db
@pytest.mark.parametrize(("days_ahead", "flagged"), [(horizons.OBLIGATION_WARNING_DAYS, True),
                                                     (horizons.OBLIGATION_WARNING_DAYS + 1, False)])
def test_the_page_flags_an_obligation_exactly_when_the_reminder_is_sent(days_ahead, flagged):
    today = date(2027, 3, 1)
    institution = InstitutionFactory()
    member = applicant_of(institution)
    project = make_project(institution=institution, state="in_progress")
    Project.objects.filter(pk=project.pk).update(obligation_due_on=today + timedelta(days=days_ahead))
    projects = Project.objects.filter(pk=project.pk)

    on_page = list(project_selectors.obligations_due_soon(projects, today)) == [project]
    assert project_selectors.obligation_status(projects.get(), today) == ("due_soon" if flagged else "open")
    with time_machine.travel(local_moment(today.year, today.month, today.day, 8), tick=False):
        reminders.run("obligations")
    assert on_page is flagged
    assert kinds(member) == (["obligation_due"] if flagged else [])
