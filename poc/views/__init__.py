"""Server-rendered pages. Thin: read through poc.selectors, write through poc.services."""
