"""Settings: `reportgen.toml` (optional) + `REPORTGEN_*` environment → a frozen `Settings`.

Every key has a default, so no file is needed. All bad keys are reported at once, each by name
and by where its value came from: the file, or the environment variable that overrode it.
Secrets (the SMTP password) are read from the environment only, never from the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shlex
import tomllib
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.functional_validators import BeforeValidator

from .domain.language import language_tag
from .domain.rules import RiskBands, Scoring
from .errors import ConfigError, ReportgenError

CONFIG_NAME = "reportgen.toml"
MAX_RENDER_TIMEOUT = 3600  # an hour a pack: beyond it a stuck render is never stopped in practice


def _factor(value: Any) -> float:
    """Accept 1, 0.75, "1/3" or "33.3%"; keep fractions like 1/3 exact enough."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return float(text[:-1]) / 100
        return float(Fraction(text))
    return float(value)


Factor = Annotated[float, BeforeValidator(_factor), Field(ge=0, le=1)]


def _exact(value: float) -> Fraction:
    """A factor as an exact fraction (0.3333… is ⅓)."""
    return Fraction(value).limit_denominator(1000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScoringSettings(_Strict):
    green: Factor = 1.0
    amber: Factor = 0.75
    red: Factor = 1 / 3
    no_data: Factor = 0.0
    green_from: float = Field(85, ge=0, le=100, description="overall score that is Green")
    amber_from: float = Field(70, ge=0, le=100, description="overall score that is Amber")

    @model_validator(mode="after")
    def _ordered(self) -> ScoringSettings:
        if self.amber_from > self.green_from:
            raise ValueError("amber_from must not be above green_from")
        return self

    @cached_property
    def rules(self) -> Scoring:
        """The scoring rules these settings give, with each factor an exact fraction."""
        return Scoring(_exact(self.green), _exact(self.amber), _exact(self.red),
                       _exact(self.no_data), self.green_from, self.amber_from)


class RiskBandSettings(_Strict):
    medium_from: int = Field(5, ge=1, le=25)
    high_from: int = Field(10, ge=1, le=25)
    critical_from: int = Field(15, ge=1, le=25)

    @model_validator(mode="after")
    def _ordered(self) -> RiskBandSettings:
        if not self.medium_from <= self.high_from <= self.critical_from:
            raise ValueError("risk bands must rise: medium_from ≤ high_from ≤ critical_from")
        return self

    @cached_property
    def rules(self) -> RiskBands:
        return RiskBands(self.medium_from, self.high_from, self.critical_from)


class Branding(_Strict):
    organisation: str = ""
    logo: Path | None = None
    primary_colour: str = "#1F3A5F"
    accent_colour: str = "#2E7D8C"
    font: str = "Inter"

    @field_validator("primary_colour", "accent_colour")
    @classmethod
    def _hex(cls, value: str) -> str:
        text = value.strip()
        if not (len(text) == 7 and text.startswith("#") and all(
            c in "0123456789abcdefABCDEF" for c in text[1:]
        )):
            raise ValueError(f"{value!r} is not a colour like #1F3A5F")
        return text.upper()

    @field_validator("logo")
    @classmethod
    def _logo_exists(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if value.suffix.lower() not in {".png", ".jpg", ".jpeg", ".svg"}:
            raise ValueError(f"{value} must be a .png, .jpg or .svg image")
        if not value.is_file():
            raise ValueError(f"{value} does not exist")
        return value.resolve()


class Page(_Strict):
    size: Literal["A4", "Letter", "A3", "Legal"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"


class Smtp(_Strict):
    host: str = "localhost"
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str = ""
    sender: str = ""
    timeout: float = Field(30, gt=0)
    password: str = Field("", exclude=True, repr=False)


class DeliverySettings(_Strict):
    """How `send` protects each recipient's copy (docs/email.md)."""

    watermark: bool = False  # "Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL" per page
    encrypt: bool = False  # AES-256 (R6), printing allowed, changes not
    password_env: str = Field("", description="environment variable holding every recipient's "
                              "password (default: one generated per recipient)")
    password_command: str = Field("", description="command printing a recipient's password "
                                  "(REPORTGEN_RECIPIENT holds the address)")
    password_file: str = Field("passwords.txt", description="where generated passwords go, "
                               "0600, in the pack's r<N> folder")

    @model_validator(mode="after")
    def _one_source(self) -> DeliverySettings:
        if self.password_env and self.password_command:
            raise ValueError("set one of password_env and password_command, not both")
        try:
            shlex.split(self.password_command)
        except ValueError as exc:
            raise ValueError(f"password_command {self.password_command!r} is not a command "
                             f"line ({exc})") from None
        if Path(self.password_file).name != self.password_file or not self.password_file:
            raise ValueError(f"password_file {self.password_file!r} must be a file name, not a "
                             "path (it is written in the pack's r<N> folder)")
        return self


class SigningSettings(_Strict):
    """The certificate that signs every issued PDF (PAdES), and its passphrase's variable."""

    pkcs12: Path | None = None
    passphrase_env: str = "REPORTGEN_SIGNING_PASSPHRASE"
    trust: Path | None = None  # the CA certificate `verify` trusts (PEM or DER)
    passphrase: str = Field("", exclude=True, repr=False)  # read from passphrase_env only

    @field_validator("pkcs12", "trust")
    @classmethod
    def _exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{value} does not exist")
        return value.resolve() if value is not None else None


class Settings(_Strict):
    scoring: ScoringSettings = ScoringSettings()
    risk_bands: RiskBandSettings = RiskBandSettings()
    branding: Branding = Branding()
    page: Page = Page()
    smtp: Smtp = Smtp()
    delivery: DeliverySettings = DeliverySettings()
    signing: SigningSettings = SigningSettings()
    archive: str | None = None
    templates: Path | None = None
    word_reference: Path | None = None
    render_timeout: float = Field(120, gt=0, le=MAX_RENDER_TIMEOUT,
                                  description="seconds one pack may take to render")
    date_format: str = Field("%-d %b %Y", description="how the pack writes dates (strftime)")
    language: str = Field("en", description="the packs' language, a BCP 47 tag (en, de, fr, "
                          "ja; a region such as de-AT sets number and date habits); a "
                          "workbook's Language key overrides it per partnership")
    attention_limit: int = Field(7, ge=1, le=8, description="attention items on the summary "
                                 "page (at most 8, so that it stays one page); the rest go to "
                                 "Appendix A")

    @field_validator("date_format")
    @classmethod
    def _date_pattern(cls, value: str) -> str:
        sample = dt.date(2025, 10, 14).strftime(value)
        if "%" not in value or not sample.strip() or sample == value:
            raise ValueError(f"{value!r} is not a date pattern; write it like \"%-d %b %Y\" "
                             "(14 Oct 2025) or \"%Y-%m-%d\"")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return language_tag(value)

    @field_validator("templates")
    @classmethod
    def _folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    def digest(self) -> str:
        """SHA-256 of everything that changes a pack (not the SMTP or delivery settings, nor
        secrets); the signing set-up only when there is one, so unsigned packs keep theirs."""
        unshaping = {"smtp", "archive", "delivery"} | (
            {"signing"} if self.signing.pkcs12 is None else set())
        data = self.model_dump(mode="json", exclude=unshaping)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    def archive_url(self, out: Path, given: str | None = None, *, existing: bool = False) -> str:
        """The archive to use: `given` (--archive), else the configured one, else
        `<out>/archive.sqlite`. With `existing`, that default file must already be there (reading
        commands never start an empty archive)."""
        if given or self.archive:
            return given or str(self.archive)
        default = out / "archive.sqlite"
        if existing and not default.is_file():
            raise ReportgenError(f"{default}: no archive here yet (was the pack built with "
                                 "--no-archive?); build a pack first or name the archive with "
                                 "--archive")
        return f"sqlite:///{default.resolve()}"


_ENV = {
    "REPORTGEN_ARCHIVE": ("archive",),
    "REPORTGEN_LANGUAGE": ("language",),
    "REPORTGEN_SMTP_HOST": ("smtp", "host"),
    "REPORTGEN_SMTP_PORT": ("smtp", "port"),
    "REPORTGEN_SMTP_SECURITY": ("smtp", "security"),
    "REPORTGEN_SMTP_USER": ("smtp", "user"),
    "REPORTGEN_SMTP_PASSWORD": ("smtp", "password"),
    "REPORTGEN_SMTP_FROM": ("smtp", "sender"),
}


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read `path` (or ./reportgen.toml if present), apply the environment, validate everything."""
    env = dict(os.environ if env is None else env)
    source = str(path) if path else CONFIG_NAME
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    if path is not None and not path.is_file():
        raise ConfigError([(source, "the configuration file does not exist")])
    candidate = path or Path(CONFIG_NAME)
    if candidate.is_file():
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError([(source, f"not valid TOML: {exc}")]) from None
        smtp = data.get("smtp")
        if isinstance(smtp, dict) and "password" in smtp:
            del smtp["password"]  # refused below with the other problems; its value never shown
            problems.append((source, "smtp.password: keep the password out of the file; "
                                     "set REPORTGEN_SMTP_PASSWORD"))
        signing = data.get("signing")
        if isinstance(signing, dict) and "passphrase" in signing:
            del signing["passphrase"]  # refused below with the other problems; never shown
            variable = signing.get("passphrase_env", SigningSettings().passphrase_env)
            problems.append((source, "signing.passphrase: keep the passphrase out of the "
                                     "file; set the variable signing.passphrase_env names "
                                     f"({variable})"))
        _resolve_paths(data, candidate.resolve().parent)
    given = _apply_environment(data, env)
    _signing_passphrase(data, env)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems += [(_source(err["loc"], given, source), _describe(err)) for err in exc.errors()]
    if problems:
        raise ConfigError(problems)
    return settings


def _apply_environment(data: dict[str, Any], env: dict[str, str]) -> dict[tuple[str, ...], str]:
    """Put each set `REPORTGEN_*` variable's value in `data`; return {key path: variable}.

    A variable under a table the file gives as something else (`smtp = 5`) is left out: the
    file's value is then reported as it stands."""
    given: dict[tuple[str, ...], str] = {}
    for var, keys in _ENV.items():
        if not env.get(var):
            continue
        target = data
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        if isinstance(target, dict):
            target[keys[-1]] = env[var]
            given[keys] = var
    return given


def _signing_passphrase(data: dict[str, Any], env: dict[str, str]) -> None:
    """The signing passphrase, from the variable `signing.passphrase_env` names (never the file)."""
    signing = data.get("signing")
    if not isinstance(signing, dict):
        return
    variable = signing.get("passphrase_env", SigningSettings().passphrase_env)
    if isinstance(variable, str) and env.get(variable):
        signing["passphrase"] = env[variable]


def _source(loc: tuple[int | str, ...], given: dict[tuple[str, ...], str], file: str) -> str:
    """The variable that gave the value at `loc`, else the file."""
    for keys, var in given.items():
        if tuple(loc[:len(keys)]) == keys:
            return var
    return file


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Relative paths in the file are relative to the file's folder."""
    signing = data.get("signing", {})
    places = ((data.get("branding", {}), "logo"), (data, "templates"), (data, "word_reference"),
              (signing, "pkcs12"), (signing, "trust"))
    for holder, key in places:
        if isinstance(holder, dict) and isinstance(holder.get(key), str):
            holder[key] = str(base / holder[key])


def _describe(err: Any) -> str:
    key = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{key}: unknown setting"
    message = err["msg"].removeprefix("Value error, ")
    return f"{key}: {message}"
