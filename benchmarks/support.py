"""What the database-backed sections share: a throwaway PostgreSQL database on the server ``DATABASE_URL`` names."""

from __future__ import annotations

import os
import time


def throwaway_postgres(url: str, prefix: str = "pochub_bench"):
    """Create an empty database beside the one ``url`` names; return its URL and a function that drops it."""
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"{prefix}_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop
