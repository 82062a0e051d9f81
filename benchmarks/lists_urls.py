"""The project's URLs plus the benchmark's bare views: the same rows a list page shows, read in one query and
rendered with a minimal template, through the same middleware (benchmarks/lists.py)."""
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body><table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>"
    "{% endfor %}</tr>{% endfor %}</table></body></html>")
BARE = {}  # name -> (queryset(user), fields, rows)


def bare(request, name):
    queryset, fields, rows = BARE[name]
    return HttpResponse(TEMPLATE.render({"rows": list(queryset(request.user).values_list(*fields)[:rows])}))


urlpatterns = [path("bench/bare/<str:name>/", bare, name="bench-bare"), *project_urlpatterns]
