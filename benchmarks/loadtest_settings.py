"""The production settings, plus one URL: the bare view the load test measures the pages against."""
from config.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.loadtest_urls"
