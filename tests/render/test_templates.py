"""A user's template folder: nothing outside it is ever read (symbolic links are refused), a
broken or hostile template is the user's error located by file and line, and the sandbox keeps
single operations from building values no time limit could stop."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from factories import GENERATED_AT, example_review
from reportgen.config import Settings
from reportgen.errors import RenderError
from reportgen.present.portfolio import PortfolioLine, portfolio_view
from reportgen.present.view import PackView, build_view
from reportgen.render.html import (
    render_html,
    render_portfolio_html,
    render_template,
    template_environment,
)

SECRET = "TOP-SECRET-CANARY-31f7"


@pytest.fixture(scope="module")
def view() -> PackView:
    return build_view(example_review(3), Settings(), GENERATED_AT)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the template folder, holding a canary."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    return tmp_path / "templates"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- nothing outside the folder ------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "pack.html.j2", "partials/governance.html.j2", "pack.css", "partials/macros.html.j2",
])
def test_a_template_linked_to_a_file_outside_the_folder_is_refused(
        view: PackView, folder: Path, outside: Path, name: str) -> None:
    link = folder / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    with pytest.raises(RenderError) as caught:
        render_html(view, template_environment(folder))
    message = str(caught.value)
    assert name in message and "outside the template folder" in message
    assert SECRET not in message


def test_an_include_of_a_link_to_etc_passwd_is_refused(view: PackView, folder: Path) -> None:
    write(folder, "pack.html.j2", '{% extends "default:pack.html.j2" %}'
                                  '{% block governance %}{% include "passwd" %}{% endblock %}')
    (folder / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(RenderError, match="passwd: refused: it is a link to /etc/passwd"):
        render_html(view, template_environment(folder))


def test_a_linked_folder_leading_outside_is_refused(view: PackView, folder: Path,
                                                    outside: Path) -> None:
    write(outside.parent, "governance.html.j2", SECRET)
    (folder / "partials").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(RenderError, match="outside the template folder"):
        render_html(view, template_environment(folder))


def test_a_link_that_stays_inside_the_folder_is_followed(view: PackView, folder: Path) -> None:
    write(folder, "house/governance.html.j2",
          '<section class="sheet" id="governance"><h1>Governance, linked</h1></section>')
    (folder / "partials").mkdir()
    (folder / "partials" / "governance.html.j2").symlink_to(
        Path("..") / "house" / "governance.html.j2")
    assert "Governance, linked" in render_html(view, template_environment(folder))


def test_the_template_folder_may_itself_be_a_link(view: PackView, tmp_path: Path,
                                                  folder: Path) -> None:
    write(folder, "partials/governance.html.j2",
          '<section class="sheet" id="governance"><h1>Governance via a linked folder</h1>'
          "</section>")
    (tmp_path / "alias").symlink_to(folder, target_is_directory=True)
    html = render_html(view, template_environment(tmp_path / "alias"))
    assert "Governance via a linked folder" in html


def test_the_portfolio_template_is_held_to_the_folder_too(folder: Path, outside: Path) -> None:
    (folder / "portfolio.html.j2").symlink_to(outside)
    lines = [PortfolioLine.of(example_review(3), Settings().date_format)]
    pf = portfolio_view(lines, "Q3 2025", GENERATED_AT, Settings())
    with pytest.raises(RenderError, match=r"portfolio\.html\.j2: refused"):
        render_portfolio_html(pf, template_environment(folder))


def test_an_email_template_linked_outside_is_refused(folder: Path, outside: Path) -> None:
    (folder / "email").mkdir()
    (folder / "email" / "subject.txt.j2").symlink_to(outside)
    with pytest.raises(RenderError, match=r"email/subject\.txt\.j2: refused"):
        render_template(template_environment(folder), "email/subject.txt.j2", message=None)


# --- the user's template errors, located -----------------------------------------------------

@pytest.mark.parametrize(("text", "line", "says"), [
    ("<p>\n{{ view.__class__.__mro__ }}\n", 2, "unsafe"),
    ("<p>\n\n{% for x in %}\n", 3, "syntax error"),
    ("<p>\n{{ view.no_such_field }}\n", 2, "no_such_field"),
    ("<p>\n<p>\n<p>\n{% include 'partials/nowhere.html.j2' %}\n", 4, "partials/nowhere.html.j2"),
    ("{{ 1 // 0 }}", 1, "ZeroDivisionError"),
    ("{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}", 1, "RecursionError"),
])
def test_a_template_error_names_the_users_file_and_line(
        view: PackView, folder: Path, text: str, line: int, says: str) -> None:
    write(folder, "pack.html.j2", '{% extends "default:pack.html.j2" %}'
                                  '{% block governance %}{% include "partials/ours.html.j2" %}'
                                  "{% endblock %}")
    path = write(folder, "partials/ours.html.j2", text)
    with pytest.raises(RenderError) as caught:
        render_html(view, template_environment(folder))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert says in message
    assert "\n" not in message


def test_an_error_in_a_built_in_template_stays_reportgens_bug(view: PackView,
                                                               folder: Path) -> None:
    broken = dataclasses.replace(view, kpis=None)  # no user template is involved
    with pytest.raises(TypeError):
        render_html(broken, template_environment(folder))


def test_a_template_error_is_shown_relative_to_the_working_folder(
        view: PackView, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder.parent)
    write(folder, "pack.html.j2", "<p>{{ nothing }}</p>")
    with pytest.raises(RenderError, match=r"^templates/pack\.html\.j2:1: 'nothing' is undefined"):
        render_html(view, template_environment(folder))


def test_a_template_that_is_not_utf8_is_the_users_error(view: PackView, folder: Path) -> None:
    (folder / "pack.html.j2").write_bytes(b"<p>caf\xe9</p>")
    with pytest.raises(RenderError, match=r"pack\.html\.j2: .*not UTF-8"):
        render_html(view, template_environment(folder))


# --- values too large to build ---------------------------------------------------------------

@pytest.mark.parametrize("expression", [
    "7 ** 1000000",
    "'x' * 10000000",
    "[0] * 10000000",
    "(2 ** 5000) * (2 ** 5000)",
])
def test_the_sandbox_refuses_operations_that_build_huge_values(
        folder: Path, expression: str) -> None:
    path = write(folder, "big.j2", "{{ (" + expression + ") is defined }}")
    with pytest.raises(RenderError, match=f"^{path}:1: .*too large"):
        render_template(template_environment(folder), "big.j2")


MILLION = "{% set s = 'x' * 1000000 %}"


@pytest.mark.parametrize("source", [
    "{% set n = namespace(v='x') %}{% for i in range(40) %}{% set n.v = n.v ~ n.v %}"
    "{% endfor %}{{ n.v|length }}",
    MILLION + "{{ " + " ~ ".join("s" * 21) + " }}",
    "{% set n = namespace(v='x') %}{% for i in range(40) %}{% set n.v = n.v + n.v %}"
    "{% endfor %}{{ n.v|length }}",
    MILLION + "{{ (range(100000)|map('string')|list|join(s))|length }}",
    MILLION + "{{ s.join(range(100000)|map('string'))|length }}",
    "{{ ('x'|center(2000000000))|length }}",
    "{{ 'x'.ljust(2000000000)|length }}",
    MILLION + "{{ s.replace('x', 'x' * 1000)|length }}",
    MILLION + "{{ (s|replace('x', 'y' * 30))|length }}",
    MILLION + "{% set t %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endset %}"
    "{{ t|length }}",
    MILLION + "{% macro m() %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endmacro %}"
    "{{ m()|length }}",
    "{{ '{:>2000000000}'.format(1)|length }}",
    "{{ '{:>{}}'.format(1, 2000000000)|length }}",
    "{{ ('%2000000000s' % 1)|length }}",
    "{{ ('%2000000000s'|format(1))|length }}",
    "{{ (('x\n' * 500000)|indent(1000))|length }}",
    "{{ ([1]|batch(2000000000, 0)|list)|length }}",
    MILLION + "{% set n = namespace(v=[]) %}{% for i in range(200) %}"
    "{% set n.v = n.v + [s ~ i] %}{% endfor %}{{ n.v|length }}",
])
def test_no_template_can_grow_a_value_beyond_what_memory_allows(
        folder: Path, source: str) -> None:
    """Each of these would take from 100 MB to gigabytes; each is refused, in one line naming
    the template and its line, before it takes more than a few hundred MB."""
    path = write(folder, "bomb.j2", source)
    with pytest.raises(RenderError, match=rf"^{path}:\d: .*too large for a template"):
        render_template(template_environment(folder), "bomb.j2")


def test_ordinary_string_operations_still_work(folder: Path) -> None:
    write(folder, "ok.j2", "{% set n = namespace(v='a') %}{% set n.v = n.v ~ 'b' + 'c' %}"
          "{{ n.v }} {{ [1, 2]|join(',') }} {{ ', '.join(['x', 'y']) }} {{ '%05.1f' % 3.14159 }} "
          "{{ '{:,}'.format(1234567) }} [{{ 'ab'|center(6) }}] {{ 'a-b'.replace('-', '+') }} "
          "{% set t %}<{{ 'z' * 3 }}>{% endset %}{{ t }} {{ 'q\nr'|indent(2) }} "
          "{{ [1, 2, 3]|batch(2)|list|length }}")
    assert render_template(template_environment(folder), "ok.j2") == (
        "abc 1,2 x, y 003.1 1,234,567 [  ab  ] a+b <zzz> q\n  r 2")


def test_ordinary_arithmetic_and_repetition_still_work(folder: Path) -> None:
    write(folder, "small.j2", "{{ 2 ** 10 }} {{ '-' * 3 }} {{ 6 * 7 }} {{ 1.5 * 2 }}")
    assert render_template(template_environment(folder), "small.j2") == "1024 --- 42 3.0"


def test_a_loop_that_prints_without_end_is_stopped_before_it_exhausts_memory(
        folder: Path) -> None:
    write(folder, "loop.j2",
          "{% for i in range(100000) %}{% for j in range(300) %}x{% endfor %}{% endfor %}")
    with pytest.raises(RenderError, match="output passed 20,000,000 characters"):
        render_template(template_environment(folder), "loop.j2")


def test_the_example_pack_is_far_below_the_output_limit(view: PackView, folder: Path) -> None:
    write(folder, "pack.html.j2", '{% extends "default:pack.html.j2" %}')
    assert len(render_html(view, template_environment(folder))) < 1_000_000
