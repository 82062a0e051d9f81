"""Reading a dashboard page as its user does: each chart's data table (the figures beside the drawing)."""
import re
from html.parser import HTMLParser

EXTERNAL_URL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


class _Tables(HTMLParser):
    """Per figure id: the headers and rows of its table (text of each cell)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.figure = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "chart" in attrs.get("class", ""):
            self.figure = attrs["id"]
            self.tables[self.figure] = {"headers": [], "rows": [], "caption": ""}
        elif self.figure and tag == "tr":
            self.row = []
        elif self.figure and tag in ("th", "td") and self.row is not None:
            self.cell = []
        elif self.figure and tag == "caption":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure = None
        elif self.figure and tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.figure and tag == "caption" and self.cell is not None:
            self.tables[self.figure]["caption"] = " ".join("".join(self.cell).split())
            self.cell = None
        elif self.figure and tag == "tr" and self.row is not None:
            table = self.tables[self.figure]
            if not table["headers"]:
                table["headers"] = self.row
            else:
                table["rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def chart_tables(html: str) -> dict[str, dict]:
    """{chart key: {"headers": [...], "rows": [[category, cell, …], …], "caption": "…"}}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def table_of(html: str, key: str) -> list[list[str]]:
    """The rows of chart ``key``'s data table, header row first."""
    table = chart_tables(html)[key]
    return [table["headers"], *table["rows"]]


def external_urls(html: str) -> list[str]:
    """Attributes that load or link anything from another host (a CDN, a web font)."""
    return EXTERNAL_URL.findall(html)
