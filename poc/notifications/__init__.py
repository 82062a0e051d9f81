"""Notifications: the in-app inbox, email, reminders, and the outbox that carries background work.

- ``events``: which workflow transitions concern whom (the table); ``recipients``: who those people are.
- ``messages``: what a notification says, in Chinese and in English.
- ``delivery`` / ``emails`` / ``privacy``: writing one notification per (recipient, event) and its email copy.
- ``fanout``: the background job behind a transition; ``reminders``: the periodic deadline checks.
- ``outbox``: tasks enqueued in the user's transaction, published on commit, drained every minute.
- ``receivers``: the signal handlers (poc.signals) that start it all.
- ``views`` / ``forms`` / ``selectors`` / ``services``: the inbox pages (reads and writes of the user's own).

poc never imports review or funding: their models are reached through the instance's attributes or
``apps.get_model``.
"""
