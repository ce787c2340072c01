"""Write the default Word reference document, `src/reportgen/templates/reference.docx`.

Input: the constants and XML below (page, fonts, colours, styles, header and footer).
Output: a small .docx whose styles, page set-up, header and footer `reportgen.render.word.pack`
builds every Word pack on, the way pandoc uses a reference docx. Every part is written here
by hand, so the file holds nothing that is not reviewed in this script (no theme, no
leftover styles). A user may replace the file with a corporate template (`word_reference` in
reportgen.toml); styles it lacks are taken from this one.

The font is Arial, which every Office install has (the PDF's Inter is not, and Word cannot
embed an OpenType CFF font); no East Asian font is named, so Word sets Chinese, Japanese and
Korean in the reader's own East Asian font, and Arabic, Hebrew, Devanagari and Thai through its
font fallback. The colours are the pack's (`present/palette.py` and the branding defaults). The
header and footer are empty: the renderer writes its own lines there, under whatever a
corporate reference's header and footer hold.

Run it after changing a style:  python scripts/make_reference_docx.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from reportgen.config import Branding
from reportgen.present.palette import PALETTE, hex_digits

OUT = Path(__file__).resolve().parent.parent / "src" / "reportgen" / "templates" / "reference.docx"

FONT = "Arial"
PRIMARY = hex_digits(Branding().primary_colour)
ACCENT = hex_digits(Branding().accent_colour)
TEXT = hex_digits(PALETTE.ink)
MUTED = hex_digits(PALETTE.muted)
RULE = hex_digits(PALETTE.rule)

# A4 landscape with the PDF's margins (pack.css @page: 17, 15, 14 and 15 mm), so that a table
# is as wide in both packs; in twentieths of a point (1 mm = 56.7)
PAGE_W, PAGE_H = 16838, 11906
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 964, 794, 850
HEADER_AT, FOOTER_AT = 567, 454

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}"/>'


def _para_style(style_id: str, name: str, ppr: str = "", rpr: str = "", *,
                based_on: str = "Normal", next_style: str = "Normal", priority: int = 99,
                custom: bool = False) -> str:
    custom_attr = ' w:customStyle="1"' if custom else ""
    return (
        f'<w:style w:type="paragraph"{custom_attr} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/><w:next w:val="{next_style}"/>'
        f'<w:uiPriority w:val="{priority}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _border(side: str, colour: str, eighths: int, space: int = 4) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{colour}"/>'


STYLES = (
    HEAD + f'<w:styles xmlns:w="{W}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'{_fonts(FONT)}<w:color w:val="{TEXT}"/>{_size(10)}'
    '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
    # Word's defaults: every document has these four
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
    '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    # the pack's paragraph styles
    + _para_style("Title", "Title", '<w:spacing w:before="0" w:after="120"/>',
                  f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/><w:kern w:val="28"/>{_size(32)}',
                  priority=10)
    + _para_style("Subtitle", "Subtitle", '<w:spacing w:before="0" w:after="360"/>',
                  f'<w:color w:val="{ACCENT}"/>{_size(18)}', priority=11)
    + _para_style("Heading1", "heading 1",
                  "<w:keepNext/><w:keepLines/>"
                  f"<w:pBdr>{_border('bottom', ACCENT, 8)}</w:pBdr>"
                  '<w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="0"/>',
                  f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/>{_size(18)}', priority=9)
    + _para_style("Heading2", "heading 2",
                  '<w:keepNext/><w:keepLines/><w:spacing w:before="280" w:after="100"/>'
                  '<w:outlineLvl w:val="1"/>',
                  f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/>{_size(12)}', priority=9)
    + _para_style("Caption", "caption", '<w:spacing w:before="80" w:after="200"/>',
                  f'<w:i/><w:iCs/><w:color w:val="{MUTED}"/>{_size(8.5)}', priority=35)
    + _para_style("Header", "header",
                  f"<w:pBdr>{_border('bottom', RULE, 4)}</w:pBdr>"
                  '<w:spacing w:before="0" w:after="0"/>',
                  f'<w:color w:val="{MUTED}"/>{_size(8.5)}')
    + _para_style("Footer", "footer", '<w:spacing w:before="0" w:after="0"/><w:jc w:val="right"/>',
                  f'<w:color w:val="{MUTED}"/>{_size(8.5)}')
    + _para_style("TOCHeading", "TOC Heading", '<w:outlineLvl w:val="9"/>',
                  based_on="Heading1", priority=39)
    + _para_style("TOC1", "toc 1", '<w:spacing w:before="120" w:after="60"/>',
                  f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/>{_size(11)}', priority=39)
    + _para_style("TableText", "Table Text",
                  '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
                  _size(8.5), custom=True, next_style="TableText")  # the PDF's table text
    # the pack's table style: rules between rows, none between columns; the header row's
    # fill comes from the branding colour and is set by the renderer on each table
    + '<w:style w:type="table" w:customStyle="1" w:styleId="PackTable">'
    '<w:name w:val="Pack Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/>'
    '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    f"<w:rPr>{_size(8.5)}</w:rPr>"
    "<w:tblPr><w:tblBorders>"
    f"{_border('top', PRIMARY, 8, 0)}{_border('bottom', PRIMARY, 8, 0)}"
    f"{_border('insideH', RULE, 4, 0)}"
    '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
    '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    "</w:style>"
    "</w:styles>"
)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(style: str, content: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{content}</w:p>'


# Sample content, so that whoever opens the reference in Word sees every style at work.
# The renderer deletes the body and keeps the section settings, header and footer.
_SAMPLE_CELL = '<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{p}</w:tc>'
_SAMPLE_TABLE = (
    '<w:tbl><w:tblPr><w:tblStyle w:val="PackTable"/><w:tblW w:w="9000" w:type="dxa"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
    'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    '<w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>'
    + "".join(
        "<w:tr>" + "".join(_SAMPLE_CELL.format(w=4500, p=_p("TableText", _run(text)))
                           for text in row) + "</w:tr>"
        for row in (("Pack Table", "rules between rows"), ("Table Text", "8.5 pt, no spacing"))
    )
    + "</w:tbl>"
)
DOCUMENT = (
    HEAD + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
    + _p("Title", _run("Title"))
    + _p("Subtitle", _run("Subtitle"))
    + _p("Heading1", _run("Heading 1"))
    + _p("Normal", _run("Normal text."))
    + _p("Heading2", _run("Heading 2"))
    + _SAMPLE_TABLE
    + _p("Caption", _run("Caption"))
    + "<w:sectPr>"
    f'<w:headerReference w:type="default" r:id="rIdHeader"/>'
    f'<w:footerReference w:type="default" r:id="rIdFooter"/>'
    f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}" w:orient="landscape"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_SIDE}" w:header="{HEADER_AT}" w:footer="{FOOTER_AT}" w:gutter="0"/>'
    '<w:cols w:space="720"/></w:sectPr>'
    "</w:body></w:document>"
)
HEADER = HEAD + f'<w:hdr xmlns:w="{W}" xmlns:r="{R}">' + _p("Header", "") + "</w:hdr>"
FOOTER = HEAD + f'<w:ftr xmlns:w="{W}" xmlns:r="{R}">' + _p("Footer", "") + "</w:ftr>"
SETTINGS = (
    HEAD + f'<w:settings xmlns:w="{W}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-GB"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
    "</w:settings>"
)
FONT_TABLE = (
    HEAD + f'<w:fonts xmlns:w="{W}">'
    f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
)
CORE = (
    HEAD + '<cp:coreProperties '
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>reportgen reference document</dc:title><dc:creator>reportgen</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
APP = (
    HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>reportgen</Application></Properties>'
)
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = (
    HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WML}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WML}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_WML}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_WML}.fontTable+xml"/>'
    f'<Override PartName="/word/header1.xml" ContentType="{_WML}.header+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_WML}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    HEAD + f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    HEAD + f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rIdStyles" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{DOC_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{DOC_REL}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdHeader" Type="{DOC_REL}/header" Target="header1.xml"/>'
    f'<Relationship Id="rIdFooter" Type="{DOC_REL}/footer" Target="footer1.xml"/>'
    "</Relationships>"
)
PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": PACKAGE_RELS,
    "docProps/core.xml": CORE,
    "docProps/app.xml": APP,
    "word/document.xml": DOCUMENT,
    "word/_rels/document.xml.rels": DOCUMENT_RELS,
    "word/styles.xml": STYLES,
    "word/settings.xml": SETTINGS,
    "word/fontTable.xml": FONT_TABLE,
    "word/header1.xml": HEADER,
    "word/footer1.xml": FOOTER,
}


def main() -> None:
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in PARTS.items():  # fixed timestamps: the same script gives the same bytes
            package.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), xml,
                             compress_type=zipfile.ZIP_DEFLATED)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
