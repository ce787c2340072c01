"""The `[delivery]` and `[signing]` settings: located one-line errors, and a settings digest that
changes with the signing set-up (never with its passphrase or the delivery settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.config import DeliverySettings, Settings, SigningSettings, load_settings
from reportgen.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "reportgen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_password_sources_are_one_located_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[delivery]\nencrypt = true\npassword_env = "A"\n'
                           'password_command = "pass show qbr"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(caught.value) == (f"{path}: delivery: set one of password_env and "
                                 "password_command, not both")


def test_a_missing_certificate_is_named_by_its_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '[signing]\npkcs12 = "nowhere/signer.p12"\n')
    assert main(["build", "x.xlsx", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: signing.pkcs12: ") and "does not exist" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_the_passphrase_comes_from_the_variable_the_settings_name(tmp_path: Path) -> None:
    (tmp_path / "signer.p12").write_bytes(b"x")
    path = write(tmp_path, '[signing]\npkcs12 = "signer.p12"\npassphrase_env = "QBR_SIGN"\n')
    settings = load_settings(path, env={"QBR_SIGN": "Pa55-phrase"})
    assert settings.signing.passphrase == "Pa55-phrase"
    assert settings.signing.pkcs12 == (tmp_path / "signer.p12").resolve()
    assert "Pa55-phrase" not in repr(settings) and "Pa55-phrase" not in settings.digest()
    assert load_settings(path, env={}).signing.passphrase == ""


def test_the_digest_follows_the_signing_set_up_but_not_delivery_or_the_passphrase(
        tmp_path: Path) -> None:
    plain = Settings()
    assert Settings(delivery=DeliverySettings(watermark=True, encrypt=True)).digest() == \
        plain.digest()
    (tmp_path / "a.p12").write_bytes(b"a")
    signed = Settings(signing=SigningSettings(pkcs12=tmp_path / "a.p12", passphrase="one"))
    assert signed.digest() != plain.digest()
    assert signed.digest() == Settings(signing=SigningSettings(
        pkcs12=tmp_path / "a.p12", passphrase="two")).digest()
