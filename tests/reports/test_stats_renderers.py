"""One computation, several renderers: the JSON, the PDF's text and the workbook's cells show the same figures."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from counter.office.profile import get_office
from counter.reports.periods import parse_period
from counter.reports.records import STATS_COLUMNS
from counter.reports.stats import as_json, compute_stats
from db.models import Procedure
from printing.stats_pdf import build_stats_pdf
from printing.stats_xlsx import FIRST_LINE, build_stats_xlsx
from tests.printing.pdf import page_texts
from tests.reports import stats_history as h


@pytest.fixture
def stats(bare_ctx):
    h.october(bare_ctx)
    return compute_stats(bare_ctx, parse_period("2026-10")), get_office(bare_ctx)


EXPECTED = {"Chứng thực": [8, 0, 7, 1, 2, 2, 0, 0, 6, 2, 4], "Hộ tịch": [7, 1, 5, 1, 7, 2, 3, 2, 0, 0, 0],
            "Tổng cộng": [15, 1, 12, 2, 9, 4, 3, 2, 6, 2, 4]}


def test_json(stats):
    data = json.loads(json.dumps(as_json(stats[0]), ensure_ascii=False))
    lines = {r["label"]: [r["columns"][str(i)] for i in range(3, 14)] for r in [*data["rows"], data["total"]]}
    assert lines == EXPECTED
    assert [r["stt"] for r in data["rows"]] == [1, 2]
    assert {name: data["total"][name] for name in STATS_COLUMNS} == dict(zip(STATS_COLUMNS, EXPECTED["Tổng cộng"],
                                                                             strict=True))
    assert (data["refused"], data["apologies"], data["satisfaction"]["satisfied_share"]) == (1, 1, 50.0)
    assert data["digitisation"]["papers_scanned_share"] == 15.4 and data["sync"]["synced_share"] == 7.7
    assert data["period"] == {"label": "Tháng 10 năm 2026", "from": "2026-10-01", "to": "2026-10-31"}


def test_pdf_text(stats):
    texts = page_texts(build_stats_pdf(*stats))
    text = " ".join(texts)
    for label, numbers in EXPECTED.items():
        assert f"{label} {' '.join(map(str, numbers))}" in text
    first = texts[0]
    assert "Biểu số 06" in first and "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI TRUNG TÂM" in first
    assert "Kỳ báo cáo: Tháng 10 năm 2026 (Từ ngày 01/10/2026 đến ngày 31/10/2026)" in first
    assert " ".join(f"({i})" for i in range(1, 14)) in first
    assert "Trực tiếp, dịch vụ bưu chính" in first and "Từ kỳ trước" in first
    assert "không tính vào các cột trên: 1" in text and "Không hài lòng: 1/2 (50,0 %)" in text
    assert "so đến từng phút" in text and "NGƯỜI LÀM BÁO CÁO" in text


def test_pdf_header_repeats_on_every_page(bare_ctx):
    """Many fields: the table runs over pages, each starting with the three header rows and the column numbers."""
    with bare_ctx.bound():
        h.office()
        for i in range(60):
            name = f"Lĩnh vực số {i:02d} có một cái tên khá dài để xuống dòng"
            proc = h.procedure(f"8.{i:06d}", f"Thủ tục {i}", name)
            h.dossier(proc, "2026-10-05 08:00", "2026-10-09 10:00")
    pdf = build_stats_pdf(compute_stats(bare_ctx, parse_period("2026-10")), get_office(bare_ctx))
    texts = page_texts(pdf)
    assert len(texts) >= 3
    numbers = " ".join(f"({i})" for i in range(1, 14))
    assert all(numbers in t and "Số hồ sơ nhận giải quyết" in t for t in texts[:-1])
    assert all(f"Trang {i}/{len(texts)}" in t for i, t in enumerate(texts, start=1))
    assert "Tổng cộng 60 0 60 0 0 0 0 0 60 0 60" in " ".join(texts)


def test_xlsx_cells(stats):
    wb = openpyxl.load_workbook(io.BytesIO(build_stats_xlsx(*stats)))
    ws = wb["Biểu 06"]
    lines = {}
    for row in ws.iter_rows(min_row=FIRST_LINE, max_row=FIRST_LINE + 2, values_only=True):
        lines[row[1]] = list(row[2:13])
    assert lines == EXPECTED
    assert all(isinstance(v, int) for v in lines["Tổng cộng"])
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A8:A10", "B8:B10", "C8:F8", "G8:J8", "K8:M8", "C9:C10", "D9:F9"} <= merged
    assert [ws.cell(row=11, column=c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    assert ws.freeze_panes == f"C{FIRST_LINE}" and ws.print_title_rows == "$8:$11"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["A4"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    shares = {row[1]: row[2:5] for row in ws.iter_rows(min_row=FIRST_LINE + 4, values_only=True) if row[1]}
    assert shares["Hồ sơ từ chối tiếp nhận (Mẫu 03), không tính vào các cột trên:"][0] == 1
    part, whole, share = shares["Hồ sơ tiếp nhận có toàn bộ thành phần đã số hóa:"]
    assert (part, whole, round(share, 3)) == (2, 13, 0.154)


def test_an_empty_period_says_so_in_every_renderer(bare_ctx):
    with bare_ctx.bound():
        h.office()
    stats = compute_stats(bare_ctx, parse_period("2025-03")), get_office(bare_ctx)
    assert as_json(stats[0])["empty"] is True
    assert "Kỳ báo cáo không có hồ sơ nào." in " ".join(page_texts(build_stats_pdf(*stats)))
    ws = openpyxl.load_workbook(io.BytesIO(build_stats_xlsx(*stats))).active
    assert ws.cell(row=FIRST_LINE, column=2).value == "Không có hồ sơ nào trong kỳ báo cáo."


def test_refusals_are_listed_by_field_in_every_renderer(bare_ctx):
    """Beside the table, the refused dossiers (Mẫu 03) one line per field, with the same counts everywhere."""
    h.october(bare_ctx)
    with bare_ctx.bound():
        ht = Procedure.get(Procedure.code == "9.000001")
        for day in ("2026-10-14 08:00", "2026-10-21 09:00"):
            h.dossier(ht, day, None, status=3)
        h.dossier(ht, "2026-09-30 16:00", None, status=3)  # refused in September: not in October's lines
    stats = compute_stats(bare_ctx, parse_period("2026-10"))
    assert [(r.key, r.label, r.count) for r in stats.refused_by] == [
        ("Chứng thực", "Chứng thực", 1), ("Hộ tịch", "Hộ tịch", 2)]
    assert sum(r.count for r in stats.refused_by) == stats.refused == 3
    assert as_json(stats)["refused_by"] == [{"key": "Chứng thực", "label": "Chứng thực", "count": 1},
                                            {"key": "Hộ tịch", "label": "Hộ tịch", "count": 2}]
    office = get_office(bare_ctx)
    text = " ".join(page_texts(build_stats_pdf(stats, office)))
    assert "không tính vào các cột trên: 3" in text
    assert "– lĩnh vực Chứng thực: 1" in text and "– lĩnh vực Hộ tịch: 2" in text
    ws = openpyxl.load_workbook(io.BytesIO(build_stats_xlsx(stats, office)))["Biểu 06"]
    cells = {row[1]: row[2] for row in ws.iter_rows(min_row=FIRST_LINE + 4, values_only=True) if row[1]}
    assert cells["– lĩnh vực Chứng thực:"] == 1 and cells["– lĩnh vực Hộ tịch:"] == 2
    by_clerk = compute_stats(bare_ctx, parse_period("2026-10"), "clerk")
    assert [(r.label, r.count) for r in by_clerk.refused_by] == [("Không rõ người tiếp nhận", 2), ("Trần Văn Minh", 1)]
