"""Settings: defaults < config file (TOML) < environment (`WORLD_TIMER_*`) < command line.

One `Settings` object is built once, at the entry point, and passed down; nothing else reads the
environment. Each value remembers where it came from (`world-timer config show`).
"""

import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from world_timer.errors import WorldTimerError

CONFIG_FILE_NAME = "config.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_CONFIG_BYTES = 256 * 1024


class ConfigError(WorldTimerError):
    """A bad config file or environment variable; str() is one line naming file, line and key."""


class Settings(NamedTuple):
    """The effective settings of one run (units: `timeout` in seconds, `log_backups` in days)."""

    cities: tuple[str, ...] = ()
    source: str = "embedded"
    api_url: str = "http://worldtimeapi.org/api"
    timeout: float = 5.0
    concurrency: int = 8
    format: str | None = None  # None: table on a terminal, plain when piped
    hour12: bool = False
    seconds: bool = False
    log_dir: Path | None = None  # None: the per-user log folder
    log_level: str = "INFO"
    log_backups: int = 30
    log_format: str = "text"
    strict: bool = False  # refuse every guess (misspellings, a country's capital): places/guess.py
    # `plan`'s working hours: {"default": "09:00-17:00", "Tokyo": "10:00-19:00"} (place as typed)
    working_hours: Mapping[str, str] = MappingProxyType({})
    geoip_db: Path | None = None  # `serve`'s MaxMind DB file (None: /api/ip has no geo-IP data)
    origins: Mapping[str, str] = MappingProxyType({})

    def origin(self, name: str) -> str:
        """Where a setting's value came from: `default`, `config file PATH`, `environment
        WORLD_TIMER_X` or `command line`."""
        return self.origins.get(name, "default")

    def override(self, origin: str, **values: Any) -> "Settings":
        """Return a copy with the values that are not None replaced, recording their origin."""
        given = {k: v for k, v in values.items() if v is not None}
        origins = {**self.origins, **dict.fromkeys(given, origin)}
        return self._replace(**given, origins=origins)


def _text(choices: tuple[str, ...] | None = None) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a non-empty string")
        if choices and value.lower() not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return value.lower() if choices else value

    return check


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 300:
        raise ValueError("a number of seconds, more than 0 and at most 300")
    return float(value)


def _whole(low: int, high: int, unit: str) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"a whole number of {unit} from {low} to {high}")
        return value

    return check


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _cities(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError('a list of place names, e.g. ["Tokyo", "Paris, TX"]')
    return tuple(value)


def parse_hours(text: str) -> tuple[int, int]:
    """Parse a daily window of wall time, `HH:MM-HH:MM` (`9-17`, `09:00-17:30`, `22:00-06:00`;
    `24:00` as an end), into (start, end) in minutes after midnight: start 0 … 1439, end 1 …
    1440 (an end <= start wraps past midnight). The syntax of the `working_hours` setting and of
    `plan --hours` (`planning.intervals.parse_window` builds its DailyWindow from this).

    Raises ValueError with a one-line message.
    """
    start_text, dash, end_text = text.strip().partition("-")
    if not dash:
        raise ValueError(f"bad hours {text.strip()!r}: use HH:MM-HH:MM, e.g. 09:00-17:00")
    start, end = _minute(start_text), _minute(end_text)
    if start == 1440:
        raise ValueError(f"bad hours {text.strip()!r}: a start of 24:00 is 00:00")
    if start == end:
        raise ValueError(f"bad hours {text.strip()!r}: start and end must differ")
    return start, end


def _minute(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or (minutes and not (minutes.isdigit() and len(minutes) == 2)):
        raise ValueError(f"bad time {text.strip()!r}: use HH:MM")
    value = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) > 59 or value > 1440:
        raise ValueError(f"bad time {text.strip()!r}: use 00:00 to 24:00")
    return value


def _working_hours(value: object) -> Mapping[str, str]:
    """A window for everyone (`"09:00-17:00"`) or a table of place → window (`default` for
    everyone else); each window checked by `parse_hours`."""
    table = {"default": value} if isinstance(value, str) else value
    expected = 'HH:MM-HH:MM, or a table like {default = "09:00-17:00", Tokyo = "10:00-19:00"}'
    if not isinstance(table, dict) or not table:
        raise ValueError(expected)
    for place, window in table.items():
        if not isinstance(window, str) or not place.strip():
            raise ValueError(expected)
        try:
            parse_hours(window)
        except ValueError as exc:
            raise ValueError(f"{expected} ({place}: {exc})") from None
    return MappingProxyType({place.strip(): window.strip() for place, window in table.items()})


def _url(value: object) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("an http:// or https:// URL")
    return value.rstrip("/")


def _level(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
        raise ValueError("one of " + ", ".join(LOG_LEVELS))
    return value.upper()


def _path(value: object, what: str = "a folder path") -> Path:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError(what)
    return _expand(value)


def _file(value: object) -> Path | None:
    """A file path; None (from a blank WORLD_TIMER_GEOIP_DB: `_from_environment`) stays None."""
    return None if value is None else _path(value, "a file path")


def _expand(value: str) -> Path:
    """`~/logs` → `/home/me/logs`; raises ValueError for `~nobody/x` (no such user)."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        raise ValueError(f"a path whose ~ can be expanded ({value[:60]!r} cannot)") from None


# name: (check, what the starter file says about it)
KEYS: dict[str, tuple[Callable[[object], Any], str]] = {
    "cities": (_cities, "places shown when none are given on the command line"),
    "source": (_text(("embedded", "api")), '"embedded" (offline) or "api" (a worldtimeapi server)'),
    "api_url": (_url, "base URL of a worldtimeapi-compatible API"),
    "timeout": (_number, "overall deadline of an API call, in seconds"),
    "concurrency": (_whole(1, 64, "requests"), "API requests in flight at most"),
    "format": (_text(("table", "plain", "json")), '"table", "plain" or "json"'),
    "hour12": (_flag, "12-hour clock with AM/PM"),
    "seconds": (_flag, "show seconds"),
    "log_dir": (_path, "folder of world-timer.log"),
    "log_level": (_level, "DEBUG, INFO, WARNING or ERROR"),
    "log_backups": (_whole(0, 3650, "days"), "dated log files kept"),
    "log_format": (_text(("text", "json")), '"text" lines or "json" lines'),
    "working_hours": (_working_hours, "`plan`'s working hours, for everyone or per place"),
    "strict": (_flag, "refuse guesses (a misspelling, a country's capital): as --strict"),
    "geoip_db": (_file, "`serve`: MaxMind DB file placing /api/ip callers (GeoLite2-City)"),
}


def _near(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, KEYS, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (settings: {', '.join(KEYS)})"


def _key_line(text: str, key: str) -> str:
    """`line N: ` of the first `key = ...` in a TOML text, or '' when it cannot be found."""
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.M)
    match = pattern.search(text)
    return f"line {text.count(chr(10), 0, match.start()) + 1}: " if match else ""


def config_file_exists(path: Path) -> bool:
    """Whether something is at `path` (False for nothing there, or a dangling symlink).

    Raises ConfigError when that cannot be known: a folder on the way that cannot be searched
    (EACCES), a name too long for the file system. pathlib's exists() raises those as they are.
    """
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"{path}: cannot read the config file: {reason}") from None
    return True


def read_config_file(path: Path, limit: int = MAX_CONFIG_BYTES) -> dict[str, Any]:
    """Read and check a config file (at most `limit` bytes); return {key: checked value}.

    A byte order mark at the start is skipped (Windows editors write one). A relative `log_dir`
    is taken from the file's own folder, not from wherever the program runs. Raises ConfigError
    naming the file, the line (where TOML or the key gives it), the key and what is expected.
    """
    import tomllib

    try:
        if path.exists() and not path.is_file():
            raise ConfigError(f"{path}: not a regular file")
        if path.stat().st_size > limit:
            raise ConfigError(f"{path}: over {limit // 1024} KiB: not a config file")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"{path}: cannot read the config file: {reason}") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        reason = re.sub(r"\s*\(at .*?\)", "", str(exc))
        place = f"line {where[1]}, column {where[2]}: " if where else ""
        if "(at end of document)" in str(exc):
            place = "end of file: "
        raise ConfigError(f"{path}: {place}invalid TOML: {reason}") from None
    checked = {}
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{path}: {_key_line(text, key)}unknown key '{key}'{_near(key)}")
        try:
            checked[key] = KEYS[key][0](value)
        except ValueError as exc:
            raise ConfigError(
                f"{path}: {_key_line(text, key)}'{key}' must be {exc}, not {value!r}"
            ) from None
    for key in ("log_dir", "geoip_db"):
        if key in checked:
            checked[key] = path.absolute().parent / checked[key]
    return checked


_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True} | {
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _from_environment(name: str, raw: str) -> Any:
    """Turn an environment string into the type the key's check expects (`cities` split on `;`,
    since place names hold commas); a string that does not convert is passed on for the check
    to reject with its message."""
    converters: dict[str, Callable[[str], Any]] = {
        "cities": lambda text: [part.strip() for part in text.split(";") if part.strip()],
        # `09:00-17:00;Tokyo=10:00-19:00`: a window without a place is everyone's.
        "working_hours": lambda text: {
            (place.strip() if sep else "default"): hours.strip()
            for place, sep, hours in (
                part.rpartition("=") for part in text.split(";") if part.strip()
            )
        },
        "hour12": lambda text: _BOOLEANS[text.strip().lower()],
        "seconds": lambda text: _BOOLEANS[text.strip().lower()],
        "strict": lambda text: _BOOLEANS[text.strip().lower()],
        "timeout": float,
        "concurrency": int,
        "log_backups": int,
        # blank: as if unset (compose passes `${WT_GEOIP_DB:-}` when no database is mounted)
        "geoip_db": lambda text: text if text.strip() else None,
    }
    try:
        return converters.get(name, str)(raw)
    except (KeyError, ValueError):
        return raw


def default_config_path() -> Path:
    """The per-user config file: `~/.config/world-timer/config.toml` on Linux (XDG)."""
    from world_timer.ops.paths import user_config_dir

    return user_config_dir() / CONFIG_FILE_NAME


def config_path(option: Path | None, environ: Mapping[str, str]) -> tuple[Path, bool]:
    """Return (config file path, whether it was asked for explicitly): --config, then
    $WORLD_TIMER_CONFIG, then the per-user default."""
    if option is not None:
        if not str(option).strip() or str(option) == ".":
            raise ConfigError("--config: an empty path")
        return option, True
    if environ.get("WORLD_TIMER_CONFIG"):
        try:
            return _expand(environ["WORLD_TIMER_CONFIG"]), True
        except ValueError as exc:
            raise ConfigError(f"WORLD_TIMER_CONFIG must be {exc}") from None
    return default_config_path(), False


def load_settings(environ: Mapping[str, str], option: Path | None = None) -> Settings:
    """Build the settings from defaults, the config file and the environment.

    A config file asked for explicitly must exist; the default one may be absent. Raises
    ConfigError for a bad file or a bad `WORLD_TIMER_*` value.
    """
    path, explicit = config_path(option, environ)
    settings = Settings()
    if not config_file_exists(path):
        if explicit:
            raise ConfigError(
                f"{path}: no such config file (create one with `world-timer config init`)"
            )
    elif explicit or path.is_file():
        settings = settings.override(f"config file {path}", **read_config_file(path))
    else:
        # A folder or FIFO where the config file should be: ignored (a FIFO is never opened,
        # it could hang the run), but never silently.
        print(f"warning: {path}: not a regular file: config file ignored", file=sys.stderr)
    for name in KEYS:
        variable = "WORLD_TIMER_" + name.upper()
        if variable in environ:
            try:
                value = KEYS[name][0](_from_environment(name, environ[variable]))
            except ValueError as exc:
                raise ConfigError(f"{variable} must be {exc}, not {environ[variable]!r}") from None
            settings = settings.override(f"environment {variable}", **{name: value})
    return settings


def show_settings(settings: Settings) -> list[str]:
    """Lines `key = value  # origin` for every setting, in TOML syntax where a value is set."""
    import json

    rows: list[tuple[str, str]] = []
    for name in Settings._fields:
        if name == "origins":
            continue
        value = getattr(settings, name)
        if value is None:
            shown = "(unset)"
        elif isinstance(value, Path):
            shown = json.dumps(str(value))
        elif isinstance(value, Mapping):
            pairs = (f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
            shown = "{" + ", ".join(pairs) + "}"
        else:
            shown = json.dumps(
                list(value) if isinstance(value, tuple) else value, ensure_ascii=False
            )
        rows.append((name, shown))
    width = max(len(name) for name, _ in rows)
    return [f"{name:<{width}} = {shown:<32} # {settings.origin(name)}" for name, shown in rows]
