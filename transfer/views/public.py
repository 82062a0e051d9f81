"""The public catalogue ("温州好成果"): published results and public demands, searchable without signing in.

Public fields only: the templates are given no confidential detail to show.
"""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .. import selectors


def catalogue(request):
    query = request.GET.get("q", "")
    results = Paginator(selectors.search(selectors.catalogue_results(), query).order_by("-id"), 30)
    demands = selectors.search(selectors.catalogue_demands(), query).order_by("-id")[:30]
    page = results.get_page(request.GET.get("page"))
    return render(request, "transfer/catalogue.html", {"page": page, "demands": demands, "q": query})


def catalogue_result(request, pk):
    result = get_object_or_404(selectors.catalogue_results(), pk=pk)
    return render(request, "transfer/catalogue_result.html", {"result": result})
