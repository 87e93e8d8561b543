"""The bill PDF carries correct Chinese text (embedded CJK font) and every bill line."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from powercis.billing.documents import bill_pdf
from powercis.billing.models import Bill
from powercis.billing.services import run_billing
from tests.factories import PERIOD, business_day, read, world

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_bill_pdf_has_every_line_in_chinese_with_embedded_font():
    w = world()
    read(w, w.book_a, PERIOD)
    run_billing(w.station_a, PERIOD, [w.book_a], w.user("billing"), on=business_day(PERIOD))
    bill = Bill.objects.get(account__number="I001")
    pdf = bill_pdf(bill)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [
        f.get_object()
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    ]
    assert any("/FontFile2" in str(f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()) for f in fonts)
    text = _text(pdf)
    assert "电费通知单" in text and "城关供电所" in text and bill.account.number in text
    for line in bill.lines.all():
        assert line.label.replace(" ", "") in text
        assert f"{line.amount:,.2f}" in text
    assert f"{bill.total:,.2f}" in text
    assert "人民币" in text and "倍率" in text and "3000" in text
