"""Text rules: what `clean_text` drops (and keeps), how names are matched."""

from __future__ import annotations

from reportgen.domain.text import clean_text, normalise, right_to_left, unbroken


def test_controls_no_document_shows_are_dropped_tabs_and_line_breaks_kept():
    assert clean_text("a\x00b\x07c\x1b[31md\x7fe\x85f\x9b2Jg") == "abc[31mdef2Jg"
    assert clean_text("line\tone\nline\rtwo") == "line\tone\nline\rtwo"
    assert clean_text("\ud800lone\ufffe\uffff") == "lone"
    assert clean_text("Zürich – 東京 – ٢٠٢٥ – 🚀") == "Zürich – 東京 – ٢٠٢٥ – 🚀"


def test_names_match_ignoring_case_and_spaces():
    assert normalise("  Joint   Revenue\tGrowth ") == normalise("joint revenue growth")
    assert normalise("Acme & Beta") != normalise("Acme/Beta")


def test_text_is_right_to_left_by_its_first_letter_of_a_strong_direction():
    assert right_to_left("تم تحسين زمن الاستجابة.")  # Arabic
    assert right_to_left("יעל כהן-לוי, Alliance Manager")  # Hebrew first, then Latin
    assert right_to_left("2025: ملاحظة")  # digits and punctuation have no strong direction
    assert not right_to_left("Q3: تم التحسين")  # a Latin letter comes first
    assert not right_to_left("顧客満足度")  # Japanese runs left to right
    assert not right_to_left("") and not right_to_left("— 42 %")


def test_a_label_kept_unbroken_has_no_place_a_line_may_break():
    assert unbroken("Q2 2025") == "Q2\u00a02025"
    assert unbroken("2025年第2四半期") == "2025\u2060年\u2060第\u20602\u2060四\u2060半\u2060期"
    assert unbroken("ใจดี") == "ใ\u2060จ\u2060ดี"  # the vowel sign stays on its consonant
    assert unbroken("") == ""
