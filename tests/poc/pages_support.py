"""Helpers shared by the page tests (tests/poc/test_pages*.py)."""
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories import CallFactory, InstitutionFactory, applicant_of, make_application


def browser(user=None, language="en") -> Client:
    """A test client that asks for ``language`` (English: the source texts the assertions read), signed in as ``user``."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class TwoInstitutions:
    """Institution A with an application (and an attachment); institution B with its own applicant."""

    def __init__(self, *, state="draft", call=None, complete=True):
        self.call = call or CallFactory()
        self.inst_a = InstitutionFactory(name="Alpha University")
        self.inst_b = InstitutionFactory(name="Beta Institute")
        self.applicant_a = applicant_of(self.inst_a)
        self.applicant_b = applicant_of(self.inst_b)
        self.app_a = make_application(self.call, self.inst_a, created_by=self.applicant_a, state=state,
                                      complete=complete, title="Alpha secret project")
