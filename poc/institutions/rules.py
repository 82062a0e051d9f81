"""Who belongs to an institution: decided by the access policy (``poc.access.member_of``).

The two names below are kept for review and funding, which still import them from here.
"""
from poc.access.compat import institution_member, is_member_of  # noqa: F401  (kept for review and funding)
