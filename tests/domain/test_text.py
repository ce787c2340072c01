"""Text rules: what `clean_text` drops (and keeps), how names are matched."""

from __future__ import annotations

from reportgen.domain.text import clean_text, normalise


def test_controls_no_document_shows_are_dropped_tabs_and_line_breaks_kept():
    assert clean_text("a\x00b\x07c\x1b[31md\x7fe\x85f\x9b2Jg") == "abc[31mdef2Jg"
    assert clean_text("line\tone\nline\rtwo") == "line\tone\nline\rtwo"
    assert clean_text("\ud800lone\ufffe\uffff") == "lone"
    assert clean_text("Zürich – 東京 – ٢٠٢٥ – 🚀") == "Zürich – 東京 – ٢٠٢٥ – 🚀"


def test_names_match_ignoring_case_and_spaces():
    assert normalise("  Joint   Revenue\tGrowth ") == normalise("joint revenue growth")
    assert normalise("Acme & Beta") != normalise("Acme/Beta")
