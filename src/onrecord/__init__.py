"""onrecord: who said what, to whom, when, and how faithfully it was quoted.

    import onrecord
    record = onrecord.extract(text, doc_id="a1", title="…")      # quotes, speakers, turns
    record = onrecord.verify(record, [source_record])            # fidelity against sources
    corpus = onrecord.Corpus("onrecord.db")                       # the searchable store
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import (
    ConfigError,
    InputError,
    OnrecordError,
    OutputError,
    ProcessingError,
    StoreError,
)
from .pipeline import extract, extract_files
from .record import Change, Fidelity, Quote, Record, Section, Span, Speaker, Turn

# Bound here, after the submodule loads, so that `onrecord.verify` is the function: a later
# `import onrecord.verify` (the pipeline does one) finds the module in sys.modules and leaves it.
from .verify import verify

try:
    __version__ = version("onrecord")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Change",
    "ConfigError",
    "Corpus",
    "Fidelity",
    "InputError",
    "OnrecordError",
    "OutputError",
    "ProcessingError",
    "Quote",
    "Record",
    "Section",
    "Span",
    "Speaker",
    "StoreError",
    "Turn",
    "__version__",
    "extract",
    "extract_files",
    "verify",
]


def __getattr__(name: str):
    """Corpus loads on first use: extracting does not need the store."""
    if name == "Corpus":
        from .store import Corpus

        return Corpus
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
