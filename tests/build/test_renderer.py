"""One pack's render as `build` runs it: the time limit covers all of it (templates, PDF, Word),
a user's template error is reported as theirs, by file and line, and the Word reference found in
the template folder must lie inside it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from factories import GENERATED_AT, example_review
from reportgen.build.renderer import Renderer
from reportgen.cli import main
from reportgen.config import Settings
from reportgen.errors import RenderError
from reportgen.render.limits import paused, time_limit
from reportgen.render.word import pack as word_pack
from workbooks import write_example

SLUG = "fincorp-techdrive-wealth-platform"
ENDLESS = ('{% extends "default:pack.html.j2" %}{% block governance %}'
           "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
           "{% endblock %}")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759311000")


def render(settings: Settings, formats: tuple[str, ...]) -> None:
    Renderer(settings).render(example_review(3), [], b"", formats, GENERATED_AT)


# --- the time limit covers the whole pack ----------------------------------------------------

@pytest.mark.parametrize("formats", [("pdf",), ("html",)])
def test_a_template_that_never_ends_is_stopped_by_the_time_limit(
        tmp_path: Path, formats: tuple[str, ...]) -> None:
    (tmp_path / "pack.html.j2").write_text(ENDLESS, encoding="utf-8")
    settings = Settings(templates=tmp_path, render_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"took longer than render_timeout \(0\.5 seconds\)"):
        render(settings, formats)
    assert time.monotonic() - started < 60  # unstopped, the loop would run for hours


def test_the_word_pack_is_inside_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_docx(*args: object, **kwargs: object) -> bytes:
        time.sleep(120)  # a Word pack that takes far longer than the limit
        return b""

    monkeypatch.setattr(word_pack, "render_docx", slow_docx)
    started = time.monotonic()
    with pytest.raises(RenderError, match="render_timeout"):
        render(Settings(render_timeout=0.3), ("docx",))
    assert time.monotonic() - started < 60


def test_the_renderers_are_imported_before_the_clock_starts(tmp_path: Path) -> None:
    """In a fresh process the first pack imports WeasyPrint (~0.6 s): that is not the pack's
    time, and an alarm must not cut the import short."""
    (tmp_path / "pack.html.j2").write_text(ENDLESS, encoding="utf-8")
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parents[1])!r})
from factories import GENERATED_AT, example_review
from reportgen.build.renderer import Renderer
from reportgen.config import Settings
from reportgen.domain.history import HistoryEntry
from reportgen.domain.model import Status
from reportgen.errors import RenderError
from reportgen.render.limits import paused, time_limit
assert "weasyprint" not in sys.modules and "matplotlib" not in sys.modules
settings = Settings(templates={str(tmp_path)!r}, render_timeout=0.2)
history = [HistoryEntry("2025-Q2", 88, Status.GREEN)]  # a trend: the Word pack draws a chart
try:
    Renderer(settings).render(example_review(3), history, b"", ("pdf", "docx"), GENERATED_AT)
except RenderError as exc:
    print(exc)
print(sorted(m for m in ("weasyprint", "matplotlib", "docx") if m in sys.modules))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, check=True)
    assert run.stdout.splitlines() == [
        "rendering the pack took longer than render_timeout (0.2 seconds) and was stopped",
        "['docx', 'matplotlib', 'weasyprint']",
    ]


def test_a_build_stopped_by_the_time_limit_names_the_workbook_and_the_limit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_example(tmp_path / "q3.xlsx")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "pack.html.j2").write_text(ENDLESS, encoding="utf-8")
    (tmp_path / "reportgen.toml").write_text('templates = "templates"\nrender_timeout = 1\n',
                                             encoding="utf-8")
    out = tmp_path / "out"
    code = main(["build", str(source), "--out", str(out), "--format", "pdf",
                 "--config", str(tmp_path / "reportgen.toml")])
    assert code == 1
    err = capsys.readouterr().err
    assert ("q3.xlsx: FinCorp–TechDrive Wealth Platform: rendering the pack took longer than "
            "render_timeout (1 second) and was stopped") in err
    assert not (out / SLUG).exists()


# --- the user's template errors --------------------------------------------------------------

@pytest.mark.parametrize(("text", "says"), [
    ("<p>\n{{ view.__class__.__init__.__globals__ }}</p>", "unsafe"),
    ("<p>\n{% if %}</p>", "syntax error"),
    ("<p>\n{{ view.no_such_field }}</p>", "no_such_field"),
    ("<p>\n{% include 'partials/missing.html.j2' %}</p>", "partials/missing.html.j2"),
])
def test_a_template_error_fails_the_pack_as_the_users_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str) -> None:
    source = write_example(tmp_path / "q3.xlsx")
    partial = tmp_path / "templates" / "partials" / "governance.html.j2"
    partial.parent.mkdir(parents=True)
    partial.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--format", "pdf",
                 "--templates", str(tmp_path / "templates")]) == 1
    err = capsys.readouterr().err
    assert f"q3.xlsx: FinCorp–TechDrive Wealth Platform: {partial}:2: " in err
    assert says in err
    assert "please report it" not in err and "unexpected error" not in err
    assert not (out / SLUG).exists()


# --- the Word reference in the template folder -----------------------------------------------

def test_a_reference_docx_linked_outside_the_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.docx"
    elsewhere.write_bytes((Path(word_pack.__file__).parents[2] / "templates" /
                           "reference.docx").read_bytes())
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "reference.docx").symlink_to(elsewhere)
    with pytest.raises(RenderError, match=r"reference\.docx: refused: it is a link to"):
        render(Settings(templates=folder), ("docx",))


def test_a_file_linked_outside_the_folder_does_not_shape_the_digest(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("one", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "notes.txt").symlink_to(outside)
    first = Renderer(Settings(templates=folder)).digest(("pdf",))
    outside.write_text("two", encoding="utf-8")  # not the folder's: never read
    assert Renderer(Settings(templates=folder)).digest(("pdf",)) == first
    (folder / "pack.html.j2").write_text('{% extends "default:pack.html.j2" %}',
                                         encoding="utf-8")
    assert Renderer(Settings(templates=folder)).digest(("pdf",)) != first


def test_a_paused_limit_does_not_count_the_wait_and_still_stops_the_rest() -> None:
    with pytest.raises(RenderError, match="the rest ran out"), \
            time_limit(0.5, "the rest ran out"):
        with paused():
            time.sleep(1)  # a wait that is not the pack's own time (the layout process's import)
        time.sleep(60)
