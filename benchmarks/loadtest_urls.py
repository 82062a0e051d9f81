"""The project's URLs and ``/bench/bare/``: 50 applications through a minimal template, the load test's reference.

It runs through the same middleware (sessions, locale, security headers) and reads the same table as the
application list, so the ratio between the two measures what the pages themselves cost."""
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urls
from poc.models import Application

BARE = engines["django"].from_string(
    "<!doctype html><title>bare</title><table>{% for a in rows %}"
    "<tr><td>{{ a.number }}</td><td>{{ a.title }}</td><td>{{ a.state }}</td></tr>{% endfor %}</table>")


def bare(request):
    rows = Application.objects.order_by("-pk").values("number", "title", "state")[:50]
    return HttpResponse(BARE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare), *project_urls]
