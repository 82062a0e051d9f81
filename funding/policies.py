"""Who may view, change and do what with funding's objects; and what funding adds to poc's policy.

The managers of the fund asked to invest view the project's application from the moment a decision
is proposed (the decision row decides, no grant to keep in step).
"""
from poc.access import policy_for

from .relations import fund_manager_of_application

policy_for("poc.Application").widen("view", fund_manager_of_application)
