"""printing.paragraph: reportlab's Paragraph with its parse shared and its lines kept per width, drawing the same."""

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph as ReportlabParagraph
from reportlab.platypus import SimpleDocTemplate, Table

from printing.paragraph import Paragraph
from printing.styles import styles

TEXTS = (
    "Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ của: <b>Nguyễn Thị Hồng Nhung</b>",
    "5. Thời gian trả kết quả giải quyết hồ sơ: <b>10 giờ 05 phút, ngày 25/02/2026</b>",
    "<u>Độc lập - Tự do - Hạnh phúc</u>",
    "Quyển số: 02&nbsp;&nbsp;&nbsp;Số thứ tự: 37",
    "TRUNG TÂM PHỤC VỤ<br/>HÀNH CHÍNH CÔNG",
    "Công ty A &amp; B &lt;Việt Nam&gt; " * 6,
)


def pdf_of(paragraph, story_of) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story_of(paragraph))
    return out.getvalue()


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_pdf_as_reportlabs_paragraph(text):
    body = styles().body
    for story_of in (lambda make: [make(text, body)],  # in the frame
                     lambda make: [Table([[make(text, styles().cell), "x"]], colWidths=[60, 40])]):  # in a cell
        assert pdf_of(Paragraph, story_of) == pdf_of(ReportlabParagraph, story_of)


def test_each_paragraph_has_its_own_fragments():
    first, second = Paragraph(TEXTS[0], styles().body), Paragraph(TEXTS[0], styles().body)
    assert [frag.text for frag in first.frags] == [frag.text for frag in second.frags]
    assert not set(map(id, first.frags)) & set(map(id, second.frags))


def test_lines_are_broken_again_at_another_width_and_after_a_failed_split():
    paragraph = Paragraph(TEXTS[-1], styles().body)
    wide, narrow = paragraph.wrap(400, 1000), paragraph.wrap(150, 1000)
    assert narrow[1] > wide[1]
    assert paragraph.wrap(400, 1000) == wide
    assert paragraph.split(400, 1) == []  # no room for two lines: reportlab drops the lines it broke
    assert paragraph.wrap(400, 1000) == wide and paragraph.blPara is not None


def test_bad_markup_is_refused_as_reportlab_refuses_it():
    with pytest.raises(ValueError):
        Paragraph("<b>not closed", styles().body)
