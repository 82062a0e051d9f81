"""Serializers of the funding API, one module per resource: JSON to Python values and back, nothing more.

Input serializers only parse (types, lengths, choices); every rule and write lives in
:mod:`funding.services`. Output serializers show what :mod:`funding.selectors` lets the caller see.
A funding decision is shown to the applicant institution too, but its fund internals (expected
valuation, rationale, who approved, caps, tranches, holdings) are ``null`` unless the access policy lets the
caller ``view_equity_terms`` of the decision (officers and the managers of its fund, funding/policies.py).
"""
