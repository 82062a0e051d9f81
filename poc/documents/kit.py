"""The PDF kit: an embedded CJK font, letterhead, page x of y, verification code and QR code.

The font is WenQuanYi Micro Hei (Apache-2.0, licence beside it), a TrueType collection that ReportLab embeds
as a subset, so a document looks the same on any computer. Paragraphs wrap with ReportLab's CJK rules
(wordWrap="CJK"), which keep closing punctuation off the start of a line.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from itertools import groupby
from pathlib import Path

from django.conf import settings
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Streams are Flate-compressed binary, not ASCII85 on top: a quarter smaller and faster to write; every PDF
# reader reads binary streams (ASCII85 only matters for 7-bit channels). ReportLab reads this when it writes.
rl_config.useA85 = 0

FONT = "WQYMicroHei"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
ISSUER = "温州市科学技术局"


# ReportLab keeps only ASCII and Japanese closing punctuation off the start of a line; Chinese full-width commas,
# semicolons, colons and closing quotes would start a line. Add them (a character that cannot start a line hangs
# at the end of the previous one). Both modules hold the string: textsplit (one-run paragraphs) and paragraph.
CHINESE_CANNOT_START = "，；：？！”’》〉」』】〕〗）．…％‰"


def _chinese_line_breaking() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(c for c in CHINESE_CANNOT_START if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


_chinese_line_breaking()


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=17, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=13),
        "cell_head": ParagraphStyle("cell_head", parent=base, fontSize=9, leading=13, textColor=colors.white),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4 * mm),
        "number": ParagraphStyle("number", parent=base, fontSize=10.5, alignment=TA_CENTER, spaceAfter=6 * mm),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=20, spaceBefore=4 * mm,
                                  spaceAfter=2 * mm, keepWithNext=1),  # never alone at the foot of a page
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=9, leading=13, alignment=2),
        "right": ParagraphStyle("right", parent=base, alignment=2),
        "para": ParagraphStyle("para", parent=base, firstLineIndent=21),  # two characters, as official texts do
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


# ------------------------------------------------------------------ formatting

def yuan(value) -> str:
    """¥1,234,567.00"""
    return f"¥{Decimal(value):,.2f}"


def wan(value) -> str:
    """123.46 万元 (ten-thousands of yuan, two decimals)."""
    return f"{Decimal(value) / Decimal(10000):,.2f} 万元"


def cn_date(day) -> str:
    """2026年11月25日"""
    return f"{day.year}年{day.month}月{day.day}日"


def esc(text) -> str:
    from xml.sax.saxutils import escape

    return escape(str(text if text is not None else ""))


# ------------------------------------------------------------------ building

@dataclass
class Letterhead:
    title: str
    document_number: str = ""
    verification_code: str = ""
    verify_url: str = ""
    issuer: str = ISSUER
    landscape: bool = False
    extra_footer: str = ""
    meta: dict = field(default_factory=dict)


class _NumberedCanvas(pdfcanvas.Canvas):
    """Draws the footer after the whole document is laid out, so it knows the page count (第 x 页 共 y 页)."""

    def __init__(self, *args, letterhead: Letterhead, **kwargs):
        # Start in the embedded font: no standard (non-embedded) font may end up in the file.
        # (The doc template passes initialFontName=None, which setdefault would keep: ReportLab then falls back
        # to Helvetica, a standard font that is never embedded.)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
        super().__init__(*args, **kwargs)
        self._saved = []
        self._letterhead = letterhead

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_frame(total)
            super().showPage()
        super().save()

    def _draw_frame(self, total: int) -> None:
        lh = self._letterhead
        width, height = self._pagesize
        self.saveState()
        # Letterhead: the issuing body in red over a red rule (红头), on every page.
        self.setFillColor(colors.HexColor("#C0161B"))
        self.setFont(FONT, 15)
        self.drawCentredString(width / 2, height - 16 * mm, lh.issuer)
        self.setStrokeColor(colors.HexColor("#C0161B"))
        self.setLineWidth(1.2)
        self.line(18 * mm, height - 20 * mm, width - 18 * mm, height - 20 * mm)
        # Footer: page x of y, verification code and QR.
        self.setFillColor(colors.black)
        self.setFont(FONT, 8.5)
        self.drawCentredString(width / 2, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
        if lh.verification_code:
            self.drawString(18 * mm, 10 * mm, f"验证码 {lh.verification_code}")
            if lh.verify_url:
                self.setFont(FONT, 7)
                self.drawString(18 * mm, 6.5 * mm, lh.verify_url)
                size = 18 * mm
                draw_qr(self, lh.verify_url, width - 18 * mm - size, 4 * mm, size)
        if lh.extra_footer:
            self.setFont(FONT, 7.5)
            self.drawRightString(width - 40 * mm, 10 * mm, lh.extra_footer)
        self.restoreState()


@lru_cache(maxsize=256)
def qr_path(value: str, level: str = "M") -> tuple[int, str]:
    """The QR code of ``value`` (ReportLab's encoder, best mask) as (module count, PDF path operators).

    The operators fill the dark runs of each row, one module = one unit, row 0 at the top (y = count - 1);
    :func:`draw_qr` scales them. Cached per value: every page of a document repeats the same code, and
    building thousands of rectangles through the canvas API costs more than the whole page text."""
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    ops = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in groupby(bool(m) for m in row):
            n = sum(1 for _ in group)
            if dark:
                ops.append(f"{c} {count - 1 - r} {n} 1 re")
            c += n
    ops.append("f")
    return count, "\n".join(ops)


def draw_qr(canv, value: str, x: float, y: float, size: float, border: int = 4) -> None:
    """Draw the QR code of ``value`` (with a quiet zone of ``border`` modules) in a ``size`` square at (x, y)."""
    count, ops = qr_path(value)
    box = size / (count + 2 * border)
    canv.saveState()
    canv.setFillColor(colors.black)
    canv.transform(box, 0, 0, box, x + border * box, y + border * box)
    canv.addLiteral(ops)
    canv.restoreState()


def build_pdf(letterhead: Letterhead, story: list) -> bytes:
    """Lay out ``story`` (platypus flowables) on A4 (or A4 landscape) with the letterhead and footer."""
    register_fonts()
    buffer = BytesIO()
    pagesize = landscape(A4) if letterhead.landscape else A4
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=28 * mm, bottomMargin=26 * mm, title=letterhead.title,
                            author=letterhead.issuer, subject=letterhead.document_number or letterhead.title,
                            creator="PoC Hub", invariant=1)
    doc.build(story, canvasmaker=lambda *a, **k: _NumberedCanvas(*a, letterhead=letterhead, **k))
    return buffer.getvalue()


def heading_block(letterhead: Letterhead) -> list:
    st = styles()
    out = [Paragraph(esc(letterhead.title), st["title"])]
    if letterhead.document_number:
        out.append(Paragraph(esc(letterhead.document_number), st["number"]))
    else:
        out.append(Spacer(1, 4 * mm))
    return out


def table(rows: list[list], col_widths=None, header=True, zebra=True) -> Table:
    """A table whose cells wrap Chinese text; the first row is a header when ``header``."""
    st = styles()
    data = []
    for r, row in enumerate(rows):
        style = st["cell_head"] if header and r == 0 else st["cell"]
        data.append([c if hasattr(c, "wrap") else Paragraph(esc(c), style) for c in row])
    t = Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the cell font, even where no text is drawn (default: Helvetica)
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F3A5F")))
    if zebra:
        for r in range(1 if header else 0, len(rows)):
            if r % 2 == 0:
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F2F5F8")))
    t.setStyle(TableStyle(commands))
    return t


def facts(pairs: list[tuple[str, str]], widths=(42 * mm, 124 * mm)) -> Table:
    """A two-column label/value table."""
    st = styles()
    rows = [[Paragraph(esc(k), st["cell"]), Paragraph(esc(v), st["cell"])] for k, v in pairs]
    t = Table(rows, colWidths=list(widths))
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF2F6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return t


def facts_grid(pairs: list[tuple[str, str]], width=166 * mm, per_row: int = 2, label_width=26 * mm) -> Table:
    """Label/value pairs, ``per_row`` pairs a row (a compact :func:`facts` for short values)."""
    st = styles()
    rows = []
    for i in range(0, len(pairs), per_row):
        row = []
        for k, v in pairs[i:i + per_row]:
            row += [Paragraph(esc(k), st["cell"]), Paragraph(esc(v), st["cell"])]
        row += [""] * (2 * per_row - len(row))
        rows.append(row)
    t = Table(rows, colWidths=[label_width, width / per_row - label_width] * per_row)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    commands += [("BACKGROUND", (2 * j, 0), (2 * j, -1), colors.HexColor("#EEF2F6")) for j in range(per_row)]
    t.setStyle(TableStyle(commands))
    return t


def signature_block(issuer: str, day) -> list:
    st = styles()
    return [Spacer(1, 12 * mm), Paragraph(esc(issuer), st["right"]), Paragraph(cn_date(day), st["right"])]


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
