"""The API's documentation pages work offline: nothing is loaded from another site (no web font, no CDN)."""
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_api_docs_load_nothing_from_another_site(path):
    response = Client().get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_redoc_is_served_from_the_sidecar_and_its_policy_blocks_other_sites():
    response = Client().get("/api/redoc/")
    html = response.content.decode()
    assert "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy and "https:" not in policy
    assert Client().get("/static/js/redoc-init.js").status_code == 200
