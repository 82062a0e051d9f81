"""The numbers of a funded project's acceptance review, in one place (the Guangdong 100-point form).

The model's validators, the service, the page's form, the API's serializer and the 验收意见 PDF all read
these; the pass and rectification thresholds are the call's own (``Call.acceptance_pass_from``,
``acceptance_rectify_from``).
"""
from decimal import Decimal

# Each item's maximum score: task completion 70 (content 20, technical 20, economic 10, deliverables 20),
# use of funds 20, other 10.
ACCEPTANCE_MAXIMA = {
    "content_score": 20,
    "technical_score": 20,
    "economic_score": 10,
    "deliverables_score": 20,
    "funds_score": 20,
    "other_score": 10,
}
SCORE_FIELDS = tuple(ACCEPTANCE_MAXIMA)

# The 80 % rule: an acceptance with less than this share of the tasks done fails automatically.
MIN_TASKS_DONE_PERCENT = Decimal("80")


def too_few_tasks_done(tasks_done_percent) -> bool:
    """Less than :data:`MIN_TASKS_DONE_PERCENT` of the tasks done (an automatic fail)."""
    return Decimal(str(tasks_done_percent)) < MIN_TASKS_DONE_PERCENT
