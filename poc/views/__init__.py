"""Server-rendered pages. Thin: read through the aggregates' selectors, write through their services
(``poc.applications``, ``poc.institutions``, ``poc.centers``, ``poc.projects``)."""
