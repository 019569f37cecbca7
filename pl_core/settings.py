"""Settings, declared once: each has a name, an environment variable, a default and help text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str
    kind: type = str
    choices: tuple[str, ...] = ()  # when set, the only values accepted


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "PL_DATA_DIR",
        str(Path.home() / ".local" / "share" / "pl-diagnostics"),
        "Folder for the embedded SQLite database and the respondent-key secret (created if missing).",
    ),
    Setting(
        "database_url",
        "PL_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database; empty means SQLite at <data_dir>/pl-diagnostics.db. "
        "For PostgreSQL: postgresql+psycopg://user@host:5432/dbname",
    ),
    Setting(
        "respondent_secret",
        "PL_RESPONDENT_SECRET",
        "",
        "Secret for pseudonymous respondent keys; empty means the file <data_dir>/respondent.key "
        "(generated with mode 0600 on first use). Keep it out of the database and back it up.",
    ),
    Setting(
        "min_group_size",
        "PL_MIN_GROUP_SIZE",
        "5",
        "Breakdowns (by role, grade band) with fewer respondents than this are suppressed.",
        int,
    ),
    Setting(
        "frameworks_path",
        "PL_FRAMEWORKS_PATH",
        "",
        "Extra folders (separated by ':') searched for framework YAML files.",
    ),
    Setting(
        "local_network_access",
        "PL_LOCAL_NETWORK_ACCESS",
        "join",
        "Local mode (sign-in off): what other machines that reach the app get. 'join': only Join a workshop "
        "(the full app stays on the machine it runs on); 'full': the whole app, every school, with a warning.",
        choices=("join", "full"),
    ),
    Setting(
        "trusted_proxies",
        "PL_TRUSTED_PROXIES",
        "",
        "Addresses (separated by ',') of reverse proxies whose X-Forwarded-For names the real client, so wrong "
        "workshop codes are counted per client behind a proxy; empty trusts no forwarded address.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    pass


def get(name: str):
    """Current value of a setting, read from its environment variable or its default."""
    try:
        setting = _BY_NAME[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}") from None
    raw = os.environ.get(setting.env, setting.default)
    if setting.kind is int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingError(f"{setting.env}={raw!r} is not a whole number ({setting.help})") from None
        if value < 1:
            raise SettingError(f"{setting.env} must be at least 1, got {value}")
        return value
    if setting.choices and raw not in setting.choices:
        raise SettingError(f"{setting.env}={raw!r} is not one of {', '.join(setting.choices)} ({setting.help})")
    return raw


def data_dir() -> Path:
    path = Path(get("data_dir")).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    return get("database_url") or f"sqlite:///{data_dir() / 'pl-diagnostics.db'}"


def respondent_secret() -> bytes:
    """The per-install secret behind respondent keys; generated on first use, never stored in the database."""
    configured = get("respondent_secret")
    if configured:
        return configured.encode("utf-8")
    path = data_dir() / "respondent.key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")
