"""Helpers for the API tests: token-authenticated clients and raw multipart bodies."""
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

API = "/api/v1"


def api_client(user=None, language="en") -> APIClient:
    """An APIClient that authenticates ``user`` with a real token (``None``: anonymous)."""
    client = APIClient()
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    client.credentials(**headers)
    return client


def app_url(application, *rest) -> str:
    pk = getattr(application, "pk", application)
    return "/".join([f"{API}/applications/{pk}", *[str(r) for r in rest]]) + "/"


BOUNDARY = "----pochub-test-boundary-7MA4YWxkTrZu0gW"


def multipart_body(fields: dict, *, filename: str, content: bytes, content_type="application/octet-stream",
                   file_field="file") -> tuple[bytes, str]:
    """A multipart/form-data body built by hand, so the file name reaches the server exactly as written.

    (Django's test client keeps only the base name of a file, which would hide ``../`` from the server.)
    """
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"
