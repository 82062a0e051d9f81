"""PostgreSQL accepts connections and never answers: gunicorn with the production settings answers a quick 503
(JSON under /api/, a page otherwise) instead of hanging until its worker timeout.

The "database" is a TCP listener on a private port that accepts and never answers (tests/faults/services.py)."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BOUND = 4.0  # seconds: DB_CONNECT_TIMEOUT (2 s, libpq's least) plus the request


@pytest.fixture
def site_on_a_hung_database(silent_listener, tmp_path):
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "fault-test-" + "k" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "false", "STATIC_MANIFEST": "false", "DB_CONNECT_TIMEOUT": "2",
           "DATABASE_URL": f"postgres://pochub@127.0.0.1:{silent_listener.port}/pochub",
           "DJANGO_SETTINGS_MODULE": "config.settings", "CELERY_BROKER_URL": "", "CELERY_RESULT_BACKEND": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "60", "--error-logfile", str(tmp_path / "gunicorn.log")],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, 30)
        fetch(f"http://127.0.0.1:{port}/static/missing.css")  # warm: the URLconf's first import is not timed
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def fetch(url, headers=None):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            status, body, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, body, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, body, kind, time.monotonic() - started


@pytest.mark.skipif(not (ROOT / "config" / "wsgi.py").exists(), reason="needs the project's WSGI module")
def test_a_hung_database_gives_a_quick_503_json_under_api_and_a_page_elsewhere(site_on_a_hung_database):
    status, body, kind, seconds = fetch(f"{site_on_a_hung_database}/api/v1/applications/",
                                        {"Authorization": "Token " + "0" * 40, "Accept-Language": "en"})
    print(f"hung database, API: {status} in {seconds:.2f} s")
    assert status == 503 and kind.startswith("application/json") and seconds < BOUND
    assert json.loads(body) == {"detail": "The service is briefly unavailable. Please try again in a few minutes."}

    status, body, kind, seconds = fetch(f"{site_on_a_hung_database}/verify/ABCD-EFGH/")
    print(f"hung database, page: {status} in {seconds:.2f} s")
    assert status == 503 and kind.startswith("text/html") and seconds < BOUND
    assert "Service briefly unavailable" in body.decode() and "服务暂时不可用" in body.decode()
