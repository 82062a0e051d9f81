"""Integer path parameters (``/api/v1/applications/<int:id>/``) beyond what the database stores.

Django's ``int`` converter accepts any number of digits; looking up ``99999999999999999999`` would then fail
deep in the database driver (a 500). ``PathIdMiddleware`` checks every integer the URL resolved to, once for
every route: out of range, the API answers 400 naming the parameter; a page answers its 404 (no such
record can exist)."""
from django.http import Http404, JsonResponse

from poc.api.filters import ID_MAX, ID_MIN, range_message


class PathIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        errors = {
            # The schema publishes a ``pk`` in the path as ``id`` (drf-spectacular), so the API names it so.
            ("id" if name == "pk" else name): [range_message(ID_MIN, ID_MAX)]
            for name, value in view_kwargs.items()
            if isinstance(value, int) and not isinstance(value, bool) and not ID_MIN <= value <= ID_MAX
        }
        if not errors:
            return None
        if not request.path.startswith("/api/"):
            raise Http404
        detail = " ".join(f"{name}: {messages[0]}" for name, messages in errors.items())
        return JsonResponse({"detail": detail, "errors": errors}, status=400)
