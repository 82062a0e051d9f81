"""Applicant institutions and their members: accounts, join requests, verification, and the ownership rule
(an applicant sees and acts for its own institution) the later aggregates share."""
