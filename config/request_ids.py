"""One id per request, in every log line of that request and of the tasks it starts.

``RequestIdMiddleware`` takes the ``X-Request-ID`` header a proxy sent (letters, digits, ``.``, ``_``, ``-``;
at most 64) or makes one, keeps it for the request (a context variable) and returns it in the response's
``X-Request-ID``. ``RequestIdFilter`` puts it on every log record as ``request_id``; ``JsonFormatter`` writes
one JSON object per line. Celery tasks published during the request carry it in a message header and the
worker logs it with the task's lines (config/celery.py connects the signals below)."""
import contextvars
import json
import logging
import re
import uuid

from django.core.signals import request_finished

HEADER = "X-Request-ID"
TASK_HEADER = "pochub_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
current = contextvars.ContextVar("request_id", default="-")


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(forget_after_request, weak=False, dispatch_uid="pochub-request-id")

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _VALID.match(given) else new_id()
        # Kept until the response is closed (request_finished), so Django's own "django.request" line, written
        # after the middleware returns, carries it too.
        current.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


def forget_after_request(**kwargs) -> None:
    """request_finished: lines written between requests carry no id."""
    current.set("-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message (and the traceback, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "request_id": getattr(record, "request_id", "-"),
                 "message": record.getMessage()}
        if getattr(record, "status_code", None):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# ---------------------------------------------------------------- Celery: the id travels with the task
def add_to_task_headers(headers=None, **kwargs) -> None:
    """before_task_publish: a task published during a request carries the request's id."""
    if headers is not None and TASK_HEADER not in headers:
        headers[TASK_HEADER] = current.get()


_task_tokens: dict[str, contextvars.Token] = {}


def adopt_in_task(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the id of the request that started it (or the task's own)."""
    given = getattr(task.request, TASK_HEADER, None) if task is not None else None
    _task_tokens[task_id] = current.set(given if given and given != "-" else f"task-{task_id}")


def forget_in_task(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current.reset(token)
