"""The e-mail speaks its pack's language: a pack built from a workbook whose Partnership sheet
says `Language: ja` (or `de`) goes out with its subject, greeting, labels and headline in that
language, its `lang` marked; the manifest records the language, `send` reads it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from delivery.test_send import SLUG, Serve, settings
from reportgen.cli import main
from reportgen.delivery.send import send_pack
from workbooks import example_sheets, write


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("de", "QBR-Unterlage: FinCorp–TechDrive Wealth Platform, Q3 2025 (83/100, Gelb)",
     ("Guten Tag Marcus Lee,", "in Kürze:", "Der Gesamtzustand", "Mit freundlichen Grüßen")),
    ("ja", "QBR資料：FinCorp–TechDrive Wealth Platform、2025年第3四半期（83/100、黄）",
     ("Marcus Lee 様", "の概要：", "総合健全性は", "よろしくお願いいたします。")),
])
def test_the_message_is_in_the_packs_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              serve: Serve, language: str, subject: str,
                                              words: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")
    sheets = example_sheets()
    sheets["Partnership"].append(["Language", language])
    workbook = write(tmp_path / "book.xlsx", sheets)
    assert main(["build", str(workbook), "--out", str(tmp_path / "outputs")]) == 0
    folder = tmp_path / "outputs" / SLUG / "2025-Q3" / "r1"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["language"] == (
        language)
    handler, port = serve()
    send_pack(folder, to=("Marcus Lee <marcus.lee@techdrive.example>",), attach_docx=False,
              dry_run=False, resend=False, settings=settings(port), archive_url=None)
    (_, _, message), = handler.received
    assert message["Subject"] == subject
    text = message.get_body(("plain",)).get_content()
    assert all(w in text for w in words), text
    html = message.get_body(("html",)).get_content()
    assert f'<html lang="{language}">' in html
    assert "Dear" not in text and "Attached" not in text
