"""Funded projects after approval: task agreement, milestones, change requests and acceptance, and the
outcome (a center or a project) an approved application creates."""
