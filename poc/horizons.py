"""Warning horizons of life after approval: how far ahead a deadline counts as coming up.

One definition each, read by the pages that flag deadlines (``poc.centers.selectors``, ``poc.projects.selectors``) and by the reminders that
notify about them (``poc.notifications.reminders``), so a page never warns of what no reminder mentions.
"""

# A project's conversion obligation (技术合同登记) is "due soon" within this many days, its due day included.
OBLIGATION_WARNING_DAYS = 30

# A center's designation is "expiring" within this many days of its last valid day, that day included.
EXPIRY_WARNING_DAYS = 90
