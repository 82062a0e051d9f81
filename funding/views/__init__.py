"""Pages of the funding app (server-rendered), one small module per subject; URLs in funding/urls.py."""
