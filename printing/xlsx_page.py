"""How every sheet the app writes prints (the register, Biểu 06, a figure's dossiers): A4 landscape, one page wide,
the header rows repeated on each printed page, "Trang x/y" in the footer, the header kept in view on screen."""

from __future__ import annotations

from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet


def landscape_fit_to_width(ws: Worksheet, *, title_rows: str, freeze: str) -> None:
    ws.freeze_panes = freeze
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter = HeaderFooterItem(center=_HeaderFooterPart(text="Trang &P/&N"))
