"""Settings of the test suite: the production settings (config/settings.py) with what tests need.

The suite exercises production behaviour (DEBUG off), over plain HTTP through Django's test client,
with a throwaway key and fast password hashing. Nothing in config/settings.py looks for the test
runner: everything test-only is set here, and pyproject.toml points pytest at this module.
"""
import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# Fast hashing in the test suite only; real deployments keep Django's PBKDF2 default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files from the finders: the suite does not run collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Login lockout off: the suite signs in thousands of times (tests/security/test_auth_lockout.py turns it on).
AXES_ENABLED = False
# Second factor off: thousands of tests sign officers in with force_login (tests/security/test_auth_2fa.py
# turns it on).
REQUIRE_SECOND_FACTOR = False
