"""Events other parts listen to (inbox, email, documents), without poc importing them."""
from django.dispatch import Signal

# Sent after a workflow object changed state and the audit row was written (inside the transaction;
# receivers that talk to the outside world should use transaction.on_commit).
# kwargs: instance, transition, source, target, actor, comment, log
state_changed = Signal()

# Sent by poc.workflow.record_creation after a workflow object's first audit row ("create") was written
# (inside the transaction, like state_changed). kwargs: instance, actor, comment, log
created = Signal()

# Sent by poc.workflow.record_creations after many workflow objects of one model were created together (a
# whole call's assignments in one commit) and their audit rows written in one statement (inside the
# transaction). kwargs: pks (the objects' ids), actor, log_ids (their audit rows, in the same order)
created_in_bulk = Signal()

# Sent by `manage.py seed_demo` after poc's demo data are in place, so higher apps add theirs.
# kwargs: seeder (poc.demo.DemoSeeder: .users, .institutions, .calls, .now, .today)
demo_seeded = Signal()

# Sent when facts the automatic conflicts of interest are read from changed on applications (their team, their
# institution, the experts they asked to exclude), inside the transaction of the change, so the review re-checks
# the active assignments of those applications. kwargs: application_ids, actor, cause (a readable text)
conflict_facts_changed = Signal()
