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
    path.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new folder is private: it holds the secret
    return path


def database_url() -> str:
    return get("database_url") or f"sqlite:///{data_dir() / 'pl-diagnostics.db'}"


SECRET_FILE = "respondent.key"
MIN_SECRET_CHARS = 32  # a generated secret has 64 (32 random bytes in hex)


def respondent_secret() -> bytes:
    """The per-install secret behind respondent keys; generated on first use, never stored in the database.

    Never empty: a configured secret or key file that is empty or too short is an error, since respondent keys
    made with it could be recomputed by anyone with a staff list.
    """
    configured = get("respondent_secret")
    if configured:
        if len(configured.strip()) < MIN_SECRET_CHARS:
            raise SettingError(
                f"PL_RESPONDENT_SECRET is {len(configured.strip())} characters long; it needs at least "
                f"{MIN_SECRET_CHARS} (e.g. the output of: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        return configured.encode("utf-8")
    path = data_dir() / SECRET_FILE
    if not path.exists():
        _create_secret_file(path)
    return _read_secret_file(path)


def _create_secret_file(path: Path) -> None:
    """Write a new secret to a private temporary file, then link it into place: exactly one writer wins.

    `os.link` refuses to replace an existing file, so processes racing on a fresh install all end up reading
    the one complete file that won, never a file still being written.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:  # another process won: its secret is the install's
            return
        except OSError as exc:
            raise SettingError(
                f"cannot create the respondent-key secret at {path} ({exc.strerror}); set PL_RESPONDENT_SECRET "
                "or PL_DATA_DIR to a folder on a local disk"
            ) from None
        _fsync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make a new directory entry durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_secret_file(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < MIN_SECRET_CHARS:
        raise SettingError(
            f"the respondent-key secret {path} is {'empty' if not text else f'only {len(text)} characters'}: "
            "it was damaged. Restore it from your backup (keys made with another secret no longer match earlier "
            "rounds' respondents); if nothing has been imported yet, delete it and a new secret is made on next use."
        )
    return text.encode("utf-8")
