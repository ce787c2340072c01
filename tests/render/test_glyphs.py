"""Every script is drawn, and a character no font has is reported at its cell, never as the
renderer's raw warning (`render.fonts.unshown`, the build's use of it, the PDF's `missing`)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from factories import GENERATED_AT
from reportgen.cli import main
from reportgen.config import Settings
from reportgen.domain.scoring import score_review
from reportgen.intake.validation import load
from reportgen.present.view import build_view
from reportgen.render.fonts import drawable, unshown
from reportgen.render.html import render_html
from reportgen.render.pdf import render_pdf
from stress import stress_sheets, write_stress

KHITAN = "\U00018b00"  # KHITAN SMALL SCRIPT CHARACTER-18B00: in no Debian font
PRIVATE = "\U000f0001"  # a private-use character: in no font


@pytest.mark.parametrize("sample", ["株式会社", "김민준", "فاطمة", "כהן", "प्रिया", "สมชาย", "🌸🚀",
                                    "Ωμέγα", "€ → ≥ ▲ ▼ ▬ ● ✓", "✅ ⏱️ 🏛️"])
def test_every_script_of_the_stress_workbook_has_a_font(sample: str) -> None:
    assert all(drawable(char) for char in sample)


def test_spaces_joiners_and_variation_selectors_need_no_glyph() -> None:
    assert all(drawable(char) for char in " \u200b\u200d\u2060\ufe0f\t")
    assert not drawable(KHITAN) and not drawable(PRIVATE)


def _book(tmp_path: Path) -> Path:
    sheets = stress_sheets()
    sheets["KPIs"][3][9] = f"Dana Whitfield {KHITAN}"  # row 4, column J: Owner
    sheets["Risks"][2][6] = f"Joint PMO {KHITAN}"  # Risks!G3
    sheets["Partnership"][1][1] = f"TechDrive {PRIVATE}"  # Partnership!B2: the partner
    return write_stress(tmp_path / "sakura-han-2025-Q3.xlsx", sheets)


def test_a_character_no_font_has_is_located_at_its_first_cell(tmp_path: Path) -> None:
    found = {u.char: u for u in unshown(load(_book(tmp_path)).reviews[0])}
    assert set(found) == {KHITAN, PRIVATE}
    assert (found[PRIVATE].sheet, found[PRIVATE].cell) == ("Partnership", "B2")
    assert (found[KHITAN].sheet, found[KHITAN].cell, found[KHITAN].elsewhere) == ("KPIs", "J4", 1)
    assert str(found[KHITAN]) == (
        "sakura-han-2025-Q3.xlsx: KPIs!J4: no installed font has the character '\U00018b00' "
        "(U+18B00 KHITAN SMALL SCRIPT CHARACTER-18B00), which is also in 1 other cell: the pack "
        "shows an empty box in its place; install a font that has it, or change the text")


def test_the_stress_workbook_has_nothing_unshown(tmp_path: Path) -> None:
    assert unshown(load(write_stress(tmp_path / "book.xlsx")).reviews[0]) == []


def test_build_warns_in_its_own_words_and_builds(tmp_path: Path, capsys) -> None:
    book = _book(tmp_path)
    assert main(["build", str(book), "--out", str(tmp_path / "out"), "--no-archive",
                 "--format", "pdf"]) == 0
    err = capsys.readouterr().err
    assert "  warning: sakura-han-2025-Q3.xlsx: KPIs!J4: no installed font has the character" in err
    assert "  warning: sakura-han-2025-Q3.xlsx: Partnership!B2: no installed font" in err
    assert ".notdef" not in err  # WeasyPrint's own warning never reaches the user
    assert list((tmp_path / "out").rglob("*.pdf"))


def test_strict_build_refuses_the_pack_and_writes_nothing(tmp_path: Path, capsys) -> None:
    book = _book(tmp_path)
    assert main(["build", str(book), "--out", str(tmp_path / "out"), "--no-archive",
                 "--strict"]) == 1
    err = capsys.readouterr().err
    assert "sakura-han-2025-Q3.xlsx: KPIs!J4: no installed font has the character" in err
    assert "failed     Sakura–Han River Payments Alliance 🌸 2025-Q3: nothing written" in err
    assert not (tmp_path / "out").exists()


def test_the_pdf_reports_a_template_character_no_font_has(tmp_path: Path) -> None:
    """Text that comes from a template, not a cell, still never gives a raw warning."""
    review = load(write_stress(tmp_path / "book.xlsx")).reviews[0]
    settings = Settings()
    view = build_view(score_review(review, settings.scoring.rules, settings.risk_bands.rules,
                                   None), settings, GENERATED_AT)
    html = render_html(view).replace("</body>", f"<p>{PRIVATE}</p></body>")
    result = render_pdf(view, html)
    assert result.missing == (PRIVATE,)
    assert not any(".notdef" in w for w in result.warnings)


def test_the_stress_pdf_draws_every_script(tmp_path: Path) -> None:
    review = load(write_stress(tmp_path / "book.xlsx")).reviews[0]
    settings = Settings()
    view = build_view(score_review(review, settings.scoring.rules, settings.risk_bands.rules,
                                   None), settings, GENERATED_AT)
    result = render_pdf(view, render_html(view))
    assert result.missing == () and result.warnings == ()
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    for family in ("Noto-Sans-CJK-JP", "Noto-Sans-Arabic", "Noto-Sans-Hebrew",
                   "Noto-Sans-Devanagari", "Noto-Sans-Thai", "Noto-Color-Emoji"):
        assert any(font.startswith(family) for font in fonts), family
