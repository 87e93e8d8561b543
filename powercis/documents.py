"""PDF documents with an embedded CJK font (bills, receipts, notices).

The font is a TrueType CJK font from Debian (fonts-wqy-microhei, installed by ``make install``);
fpdf2 embeds the subset used, so the PDF reads the same everywhere and its text can be extracted.
"""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF

FONT_CANDIDATES = [
    os.environ.get("POWERCIS_CJK_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]


def cjk_font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError("找不到中文字体：请安装 fonts-wqy-microhei（make install 会自动安装）或设置 POWERCIS_CJK_FONT")


class Document(FPDF):
    """An A4 page set with the CJK font registered as ``cjk``; a title block and simple tables."""

    def __init__(self, title: str, org: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.org = org
        self.add_font("cjk", fname=cjk_font_path())
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("PowerCIS")
        self.add_page()
        self.set_font("cjk", size=10)

    def header(self) -> None:
        self.set_font("cjk", size=9)
        self.cell(0, 5, self.org, new_x="LMARGIN", new_y="NEXT", align="C")
        self.set_font("cjk", size=16)
        self.cell(0, 10, self.doc_title, new_x="LMARGIN", new_y="NEXT", align="C")
        self.set_font("cjk", size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 5, f"第 {self.page_no()} 页 · PowerCIS 电力营销业务系统", align="C")

    def fields(self, pairs: list[tuple[str, str]], columns: int = 2) -> None:
        """Label–value pairs in ``columns`` columns."""
        width = (self.w - self.l_margin - self.r_margin) / columns
        for i, (label, value) in enumerate(pairs):
            last = i % columns == columns - 1 or i == len(pairs) - 1
            self.cell(width, 6, f"{label}：{value}", new_x="LMARGIN" if last else "RIGHT", new_y="NEXT" if last else "TOP")

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float], align: str = "") -> None:
        self.set_fill_color(230, 236, 245)
        for header, w in zip(headers, widths, strict=True):
            self.cell(w, 7, header, border=1, fill=True, align="C")
        self.ln()
        for row in rows:
            for i, (text, w) in enumerate(zip(row, widths, strict=True)):
                a = align[i] if i < len(align) else "L"
                self.cell(w, 6, text, border=1, align={"R": "R", "C": "C"}.get(a, "L"))
            self.ln()

    def section(self, title: str) -> None:
        self.ln(2)
        self.set_font("cjk", size=11)
        self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font("cjk", size=9)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")

    def render(self) -> bytes:
        return bytes(self.output())
