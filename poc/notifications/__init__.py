"""Notifications: the in-app inbox, email, reminders, and the outbox that carries background work.

- ``registry``: where every app (poc included) registers its notification rules and reminders, from its
  ``AppConfig.ready()``; ``rules``: what one notification rule says.
- ``events``: which transitions of poc's models concern whom (poc's table); ``recipients``: who those people are.
- ``messages``: what a notification says, in Chinese and in English.
- ``delivery`` / ``emails`` / ``privacy``: writing one notification per (recipient, event) and its email copy.
- ``fanout``: the background job behind a transition; ``reminders``: poc's periodic deadline checks.
- ``outbox``: tasks enqueued in the user's transaction, published on commit, drained every minute.
- ``receivers``: the signal handlers (poc.signals) that start it all.
- ``views`` / ``forms`` / ``selectors`` / ``services``: the inbox pages (reads and writes of the user's own).

poc never imports review or funding, nor names them: from their own ``AppConfig.ready()`` they register the rules
of their models' events, their reminders and what poc asks of them (``registry``).
"""
