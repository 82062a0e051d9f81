"""Who may view, change and do what with the expert review's objects; and what review adds to poc's policy.

An expert with an active assignment views the application (no grant to keep in step: the assignment
row decides, and voiding it ends the access at once).
"""
from poc.access import policy_for

from .relations import assigned_expert_of_application

policy_for("poc.Application").widen("view", assigned_expert_of_application)
