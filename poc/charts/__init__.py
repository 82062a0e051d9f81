"""Charts with their data tables: the dashboards' registry (:mod:`.registry`) and poc's own charts."""
from .chart import Chart, Series
from .registry import CALL, PROGRAMME, charts_for, register_chart

__all__ = ["CALL", "PROGRAMME", "Chart", "Series", "charts_for", "register_chart"]
