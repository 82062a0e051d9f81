"""Serializers of the review API, one module per resource: JSON to Python values and back, nothing more.

Input serializers only parse; every rule and every write lives in :mod:`review.services` and
:mod:`review.matching`. Output serializers show what the selectors let the caller see; fields only
officers may read (affinity, seed, who assigned, reasons, expert identities) are ``null`` for others.
"""
