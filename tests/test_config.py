"""Settings: defaults, every bad key named at once, environment overrides, no secrets in files."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import example_review
from reportgen.config import load_settings
from reportgen.errors import ConfigError
from reportgen.examples.settings import SETTINGS_TEMPLATE
from reportgen.present.view import build_view


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.scoring.amber == 0.75
    assert settings.scoring.red == pytest.approx(1 / 3)
    assert settings.page.orientation == "landscape"
    assert settings.smtp.security == "starttls"


def test_the_commented_file_init_writes_loads_to_the_defaults(tmp_path, monkeypatch):
    path = tmp_path / "reportgen.toml"
    path.write_text(SETTINGS_TEMPLATE)
    monkeypatch.chdir(tmp_path / "..")
    assert load_settings(path, env={}) == load_settings(None, env={})


def test_every_bad_key_is_named(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('[scoring]\namber = 1.5\ngreen_from = "high"\n[branding]\n'
                    'primary_colour = "blue"\ncolour = "#000000"\n[page]\nsize = "A9"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    text = str(caught.value)
    for key in ("scoring.amber", "scoring.green_from", "branding.primary_colour",
                "branding.colour: unknown setting", "page.size"):
        assert key in text
    assert len(caught.value.messages) == 5


def test_bands_must_rise(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text("[risk_bands]\nmedium_from = 12\nhigh_from = 10\n")
    with pytest.raises(ConfigError, match="risk bands must rise"):
        load_settings(path, env={})


def test_password_in_the_file_is_refused(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('[smtp]\npassword = "hunter2"\n')
    with pytest.raises(ConfigError, match="REPORTGEN_SMTP_PASSWORD") as caught:
        load_settings(path, env={})
    assert "hunter2" not in str(caught.value)


def test_a_password_in_the_file_does_not_hide_the_other_problems(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('render_timeout = 1e12\n[smtp]\npassword = "hunter2"\nport = 0\n'
                    '[page]\nsize = "A9"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    text = str(caught.value)
    for key in ("smtp.password", "render_timeout", "smtp.port", "page.size"):
        assert key in text
    assert len(caught.value.messages) == 4
    assert "hunter2" not in text


def test_a_signing_passphrase_in_the_file_is_listed_with_the_other_problems_never_shown(
        tmp_path):
    """The passphrase belongs in the environment: in the file it is one more settings problem,
    named by its key (with the variable to use), and its value is in no message, even when the
    environment gives a passphrase too."""
    secret = "correct-horse-battery-staple"
    path = tmp_path / "reportgen.toml"
    path.write_text(f'[signing]\npassphrase = "{secret}"\n[page]\nsize = "A9"\n')
    for env in ({}, {"REPORTGEN_SIGNING_PASSPHRASE": "from-the-environment"}):
        with pytest.raises(ConfigError) as caught:
            load_settings(path, env=env)
        lines = str(caught.value).splitlines()
        assert len(lines) == 2 and any("page.size" in line for line in lines)
        line = next(line for line in lines if "signing.passphrase" in line)
        assert line.startswith(f"{path}: signing.passphrase: ")
        assert "REPORTGEN_SIGNING_PASSPHRASE" in line
        assert all(secret not in text for text in (
            str(caught.value), repr(caught.value), *caught.value.messages,
            *(source for source, _ in caught.value.problems)))
    path.write_text(f'[signing]\npassphrase = "{secret}"\npassphrase_env = "QBR_SIGNING"\n')
    with pytest.raises(ConfigError, match=r"signing.passphrase: .* names \(QBR_SIGNING\)$"):
        load_settings(path, env={})


def test_a_render_timeout_beyond_an_hour_is_refused(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text("render_timeout = 3601\n")
    with pytest.raises(ConfigError, match=r"render_timeout: .*3600"):
        load_settings(path, env={})
    path.write_text("render_timeout = 3600\n")
    assert load_settings(path, env={}).render_timeout == 3600


def test_environment_overrides_the_file(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('[smtp]\nhost = "mail.example.com"\nport = 587\n')
    settings = load_settings(path, env={"REPORTGEN_SMTP_HOST": "relay", "REPORTGEN_SMTP_PORT":
                                        "25", "REPORTGEN_SMTP_SECURITY": "none",
                                        "REPORTGEN_SMTP_PASSWORD": "s3cret",
                                        "REPORTGEN_ARCHIVE": "sqlite:///x.db"})
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == ("relay", 25, "none")
    assert settings.smtp.password == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.archive == "sqlite:///x.db"


def test_fraction_factors_and_missing_file(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('[scoring]\nred = "1/4"\n')
    assert load_settings(path, env={}).scoring.red == 0.25
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})


def test_relative_logo_is_resolved_against_the_file(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = tmp_path / "reportgen.toml"
    path.write_text('[branding]\nlogo = "logo.png"\n')
    assert load_settings(path, env={}).branding.logo == tmp_path / "logo.png"


def test_a_bad_environment_value_is_blamed_on_its_variable_not_on_a_missing_file(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no reportgen.toml here
    with pytest.raises(ConfigError) as caught:
        load_settings(env={"REPORTGEN_SMTP_SECURITY": "tls", "REPORTGEN_SMTP_PORT": "abc"})
    lines = str(caught.value).splitlines()
    assert lines == [
        "REPORTGEN_SMTP_PORT: smtp.port: Input should be a valid integer, unable to parse "
        "string as an integer",
        "REPORTGEN_SMTP_SECURITY: smtp.security: Input should be 'starttls', 'ssl' or 'none'",
    ]


def test_each_bad_value_names_where_it_came_from(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text('[smtp]\nport = 70000\nsecurity = "ssl"\ntimeout = -1\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={"REPORTGEN_SMTP_SECURITY": "tls"})
    text = str(caught.value)
    assert f"{path}: smtp.port: Input should be less than or equal to 65535" in text
    assert f"{path}: smtp.timeout:" in text
    assert "REPORTGEN_SMTP_SECURITY: smtp.security:" in text  # the variable overrode the file
    assert f"{path}: smtp.security" not in text


@pytest.mark.parametrize("smtp", ['"mail.example.com"', "5", "[1, 2]"])
def test_an_smtp_setting_that_is_not_a_table_is_named_not_a_traceback(tmp_path, smtp):
    path = tmp_path / "reportgen.toml"
    path.write_text(f"smtp = {smtp}\n")
    with pytest.raises(ConfigError, match=rf"^{path}: smtp: "):
        load_settings(path, env={"REPORTGEN_SMTP_HOST": "relay.example.com"})
    with pytest.raises(ConfigError, match=rf"^{path}: smtp: "):
        load_settings(path, env={})


def test_a_template_folder_that_is_not_there_is_named(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('templates = "my-templates"\n')
    with pytest.raises(ConfigError, match=r"templates: .*my-templates is not a folder"):
        load_settings(path, env={})
    (tmp_path / "my-templates").mkdir()
    assert load_settings(path, env={}).templates == tmp_path / "my-templates"


def test_dates_default_to_day_month_year_and_follow_the_setting(tmp_path):
    generated = dt.datetime(2025, 10, 1, tzinfo=dt.UTC)
    assert build_view(example_review(3), load_settings(None, {}), generated).review_date == (
        "14 Oct 2025")
    path = tmp_path / "reportgen.toml"
    path.write_text('date_format = "%Y-%m-%d"\n', encoding="utf-8")
    view = build_view(example_review(3), load_settings(path, {}), generated)
    assert (view.review_date, view.next_review) == ("2025-10-14", "2026-01-20")
    assert view.decisions[1].due == "2025-10-31"
    assert "the earliest due 2025-10-31 (D-02)" in view.summary.headline[-1]


def test_a_date_format_without_a_pattern_is_refused(tmp_path):
    path = tmp_path / "reportgen.toml"
    path.write_text('date_format = "soon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="date_format: 'soon' is not a date pattern"):
        load_settings(path, {})


def test_attention_limit_defaults_to_7_and_stays_between_1_and_8(tmp_path):
    assert load_settings(None, {}).attention_limit == 7
    path = tmp_path / "reportgen.toml"
    path.write_text("attention_limit = 5\n", encoding="utf-8")
    assert load_settings(path, {}).attention_limit == 5
    for value in (0, 9):
        path.write_text(f"attention_limit = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="attention_limit"):
            load_settings(path, {})
