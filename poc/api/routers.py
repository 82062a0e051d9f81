"""The router every app's API uses.

Routes use Django path converters (``use_regex_path=False``); the transition endpoints of
:mod:`poc.api.transitions` rely on them (``transitions/<str:transition_name>/``).
"""
from rest_framework.routers import DefaultRouter


def make_router() -> DefaultRouter:
    router = DefaultRouter(use_regex_path=False)
    router.include_format_suffixes = False
    return router
