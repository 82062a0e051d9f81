"""The router every app's API uses.

Routes use Django path converters (``use_regex_path=False``); the transition endpoints of
:mod:`poc.api.transitions` rely on them (``transitions/<str:transition_name>/``).

Each app mounts its own router under ``/api/v1/`` (config/urls.py); only poc's serves the API root
view, so another app's router is made with ``root_view=False`` (two roots would compete for ``/api/v1/``).
"""
from rest_framework.routers import DefaultRouter


def make_router(*, root_view: bool = True) -> DefaultRouter:
    router = DefaultRouter(use_regex_path=False)
    router.include_format_suffixes = False
    router.include_root_view = root_view
    return router
