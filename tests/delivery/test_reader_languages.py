"""A recipient who reads another language than the pack's (`Kenji Sato <kenji@…> [ja]` in the
Distribution cell or in `send --to`) is sent the pack in that language: the build writes it
beside the pack's own, from the same review, history, settings and clock, archives its files
with their language, and `send` picks each recipient's files and e-mail words by it. A
language the revision has no pack in stops `send` with nothing sent; a tag reportgen does not
ship is refused where it is written."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from delivery.test_send import SLUG, Serve, settings
from reportgen.archive.repository import Archive
from reportgen.cli import main
from reportgen.config import DeliverySettings
from reportgen.delivery.send import send_pack
from reportgen.domain.addresses import RecipientLanguageError, parse_recipient
from reportgen.domain.model import Recipient
from reportgen.errors import ReportgenError, Severity
from reportgen.intake.validation import load
from workbooks import example_sheets, write

MARCUS = "Marcus Lee <marcus.lee@techdrive.example>"
KENJI = "Kenji Sato <kenji.sato@techdrive.example> [ja]"
ANNA = "Anna Weber <anna.weber@fincorp.example> [de]"
STEM = f"{SLUG}-2025-Q3-qbr"


def workbook(folder: Path, distribution: str) -> Path:
    sheets = example_sheets()
    for row in sheets["Partnership"]:
        if row[0] == "Distribution":
            row[1] = distribution
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "book.xlsx", sheets)


def build(root: Path, distribution: str, language: str = "en") -> Path:
    """The example built into `root`/outputs with `distribution`; its r1 folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1759311000")
        mp.setenv("REPORTGEN_LANGUAGE", language)
        mp.chdir(root)
        book = workbook(root, distribution)
        assert main(["build", str(book), "--out", str(root / "outputs"), "--format",
                     "pdf,docx"]) == 0
    return root / "outputs" / SLUG / "2025-Q3" / "r1"


@pytest.fixture(scope="session")
def readers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example pack, in English, for Marcus (the pack's language), Kenji (ja), Anna (de)."""
    return build(tmp_path_factory.mktemp("readers"), f"{MARCUS}; {KENJI}; {ANNA}")


@pytest.fixture
def pack(readers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(readers.parents[2], tmp_path / "outputs")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "outputs" / SLUG / "2025-Q3" / "r1"


def archive_of(pack: Path) -> Archive:
    return Archive.open(f"sqlite:///{pack.parents[2] / 'archive.sqlite'}")


def test_a_recipient_s_language_tag_is_read_and_written_back() -> None:
    kenji = parse_recipient(KENJI)
    assert kenji == Recipient("Kenji Sato", "kenji.sato@techdrive.example", "ja")
    assert str(kenji) == "Kenji Sato <kenji.sato@techdrive.example>"  # the To: header's form
    assert kenji.listed == KENJI
    assert parse_recipient("anna@fincorp.example [de-at]").language == "de-AT"
    assert parse_recipient("Anna <anna@fincorp.example>[fr]").listed == (
        "Anna <anna@fincorp.example> [fr]")
    assert parse_recipient(MARCUS).language == "" and parse_recipient(MARCUS).listed == MARCUS
    with pytest.raises(RecipientLanguageError, match="asks for a language reportgen cannot "
                       "write: 'tlh' is not a language reportgen ships; use one of en"):
        parse_recipient("Worf <worf@example.com> [tlh]")
    with pytest.raises(ValueError, match="is not an e-mail address"):  # no space: no tag
        parse_recipient("worf@example.com[de]")


def test_a_tag_reportgen_does_not_ship_is_refused_at_the_distribution_cell(
        tmp_path: Path) -> None:
    book = workbook(tmp_path, f"{MARCUS}; Worf <worf@example.com> [tlh]")
    errors = [str(p) for p in load(book).problems if p.severity is Severity.ERROR]
    assert errors == [
        "book.xlsx: Partnership!B10: 'Worf <worf@example.com> [tlh]' asks for a language "
        "reportgen cannot write: 'tlh' is not a language reportgen ships; use one of en "
        "(English), de (German), fr (French), ja (Japanese)"]


def test_each_reader_s_language_is_built_beside_the_pack_and_archived(readers: Path) -> None:
    names = sorted(p.name for p in readers.iterdir() if p.suffix in (".pdf", ".docx"))
    assert names == sorted(f"{STEM}.{end}" for end in (
        "pdf", "docx", "ja.pdf", "ja.docx", "de.pdf", "de.docx"))
    manifest = json.loads((readers / "manifest.json").read_text(encoding="utf-8"))
    assert {(o["kind"], o.get("language")) for o in manifest["outputs"]} == {
        ("pdf", None), ("docx", None), ("pdf", "ja"), ("docx", "ja"), ("pdf", "de"),
        ("docx", "de")}
    assert manifest["language"] == "en"
    assert manifest["headline"][0].startswith("Overall health is 83 out of 100 (Amber)")
    ja, de = manifest["translations"]
    assert ja["language"] == "ja" and ja["headline"][0].startswith("総合健全性は100点中83点（黄）")
    assert de["language"] == "de" and de["headline"][0].startswith(
        "Der Gesamtzustand liegt bei 83 von 100 (Gelb)")
    assert [d["due"] for d in ja["decisions_requested"]] == ["2025年10月31日", "2025年11月15日"]
    with archive_of(readers) as archive:
        review = archive.find_review("fincorp–techdrive wealth platform", "2025-Q3", 1)
        assert review is not None
        files = {(a.kind, a.language): a.path for a in archive.artifacts(review.id)}
        assert files[("pdf", "ja")].endswith(f"r1/{STEM}.ja.pdf")
        assert files[("docx", "de")].endswith(f"r1/{STEM}.de.docx")
        assert files[("pdf", "")].endswith(f"r1/{STEM}.pdf")
        assert archive.distribution(review.id) == [MARCUS, KENJI, ANNA]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_reader_s_pack_is_the_pack_built_in_their_language(
        readers: Path, tmp_path: Path) -> None:
    """Page for page the pack built with `language = "ja"` from the same workbook; only the
    provenance's digest of the settings differs (the language is a setting there)."""
    japanese = build(tmp_path, f"{MARCUS}; {KENJI}; {ANNA}", language="ja")
    ours, theirs = (pdf_text(p) for p in (readers / f"{STEM}.ja.pdf", japanese / f"{STEM}.pdf"))
    assert "エグゼクティブ・サマリー" in ours and "Executive summary" not in ours
    digests = re.compile(r"[0-9a-f]{16}")  # the provenance's, in groups of 16 hex digits
    assert ours != theirs

    def letters(text: str) -> str:  # extraction spaces letter-spaced capitals either way
        return re.sub(r"\s+", "", digests.sub("", text))

    assert letters(ours) == letters(theirs)


def test_send_gives_each_recipient_the_pack_and_e_mail_in_their_language(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    report = send_pack(pack, to=(), attach_docx=True, dry_run=False, resend=False,
                       settings=settings(port), archive_url=None)
    assert len(report.sent) == 3 and report.exit_code == 0
    got = {rcpt[0]: message for _, rcpt, message in handler.received}
    subjects = {address: message["Subject"] for address, message in got.items()}
    assert subjects["marcus.lee@techdrive.example"].startswith("QBR pack: ")
    assert subjects["kenji.sato@techdrive.example"].startswith("QBR資料：")
    assert subjects["anna.weber@fincorp.example"].startswith("QBR-Unterlage: ")
    for address, end in (("marcus.lee@techdrive.example", ""),
                         ("kenji.sato@techdrive.example", "ja."),
                         ("anna.weber@fincorp.example", "de.")):
        files = {p.get_filename(): p.get_content() for p in got[address].iter_attachments()}
        assert set(files) == {f"{STEM}.{end}pdf", f"{STEM}.{end}docx"}
        for name, data in files.items():
            assert data == (pack / name).read_bytes()
    body = got["kenji.sato@techdrive.example"].get_body(("plain",)).get_content()
    assert "総合健全性は" in body and "Overall health" not in body


def test_a_watermarked_copy_is_marked_in_its_reader_s_language(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    config = settings(port).model_copy(update={"delivery": DeliverySettings(watermark=True)})
    send_pack(pack, to=(KENJI,), attach_docx=False, dry_run=False, resend=False,
              settings=config, archive_url=None)
    (_, _, message), = handler.received
    copy = pack / "kenji.pdf"
    copy.write_bytes(next(p.get_content() for p in message.iter_attachments()))
    text = pdf_text(copy)
    assert "Kenji Sato様（techdrive.example）専用" in text and "社外秘" in text
    assert "Prepared for" not in text


def test_a_language_the_revision_has_no_pack_in_sends_nothing(
        pack: Path, serve: Serve) -> None:
    handler, port = serve()
    with pytest.raises(ReportgenError) as caught:
        send_pack(pack, to=(MARCUS, "Jean Dupont <jean.dupont@fincorp.example> [fr]"),
                  attach_docx=False, dry_run=False, resend=False, settings=settings(port),
                  archive_url=None)
    assert str(caught.value).splitlines() == [
        "FinCorp–TechDrive Wealth Platform 2025-Q3 r1: Jean Dupont "
        "<jean.dupont@fincorp.example> [fr] reads French, and this revision has no pack in fr",
        "a reader's pack is built with the revision: write the tag after their address in the "
        "workbook's Distribution (`Name <addr> [ja]`) and build again, or send to them without "
        "it; nothing was sent"]
    assert handler.received == []
    with archive_of(pack) as archive:
        review = archive.find_review("fincorp–techdrive wealth platform", "2025-Q3", 1)
        assert review is not None and archive.delivery_states(review.id) == {}


def test_verify_names_a_reader_s_pack_and_its_language(
        pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = f"sqlite:///{pack.parents[2] / 'archive.sqlite'}"
    assert main(["verify", str(pack / f"{STEM}.ja.pdf"), "--archive", archive]) == 0
    out = capsys.readouterr().out
    assert ("pack       FinCorp–TechDrive Wealth Platform, 2025-Q3, revision 1 "
            "(pdf in Japanese (ja) as built)") in out
    assert main(["verify", str(pack / f"{STEM}.de.pdf"), "--archive", archive,
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pack"]["language"] == "de"


def test_validate_checks_every_language_the_packs_would_be_written_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The settings' language and each recipient's, besides the Partnership sheet's: a
    catalogue that lacks words is a warning, and with --strict a failure."""
    asked: list[str] = []

    def untranslated(language: str, folder: Path | None = None) -> tuple[str, ...]:
        asked.append(language)
        return ("Executive summary",) if language == "fr" else ()

    monkeypatch.setattr("reportgen.present.language.untranslated", untranslated)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORTGEN_LANGUAGE", "de")
    book = workbook(tmp_path, f"{MARCUS}; {KENJI}; Jean <jean@fincorp.example> [fr]")
    assert main(["validate", str(book)]) == 0
    assert main(["validate", "--strict", str(book)]) == 1
    out = capsys.readouterr().out
    assert set(asked) == {"de", "ja", "fr"}
    assert ("book.xlsx: Partnership: Distribution jean@fincorp.example: warning: language fr: "
            "1 fixed words have no French translation and print in English: "
            "'Executive summary'") in out


def test_the_site_links_each_reader_s_pack_by_its_language(pack: Path) -> None:
    outputs = pack.parents[2]
    assert main(["site", "--out", str(outputs)]) == 0
    page = next((outputs / "site").rglob(f"{SLUG}*.html")).read_text(encoding="utf-8")
    for label, end in (("PDF", "pdf"), ("PDF · ja", "ja.pdf"), ("Word · de", "de.docx")):
        link = re.search(rf'<a [^>]*href="([^"]*{re.escape(STEM)}\.{re.escape(end)})"[^>]*>'
                         rf'\s*{re.escape(label)}\s*<', page)
        assert link is not None, (label, end)
    files = ["PDF", "Word", "PDF · de", "Word · de", "PDF · ja", "Word · ja", "Manifest"]
    labels = re.findall(r'<a [^>]*href="[^"]*"[^>]*>\s*([^<]+?)\s*<', page)
    assert [label for label in labels if label in files] == files  # the manifest last
