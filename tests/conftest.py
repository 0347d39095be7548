"""Shared fixtures: the founding document and the eval sets are read from ../shared at run time, never copied.

Outside CI a missing ../shared skips the tests that need it (a fresh clone can still run the
rest). Under CI (the environment variable ``CI`` set to true, as GitHub Actions and most CI
services do) a missing file fails the test, naming the path: a green run must mean every test ran.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "harbour_interview.txt"
FOUNDING_GLOB = "000_*.txt"
pytest_plugins = ("pytester",)  # tests/test_load.py runs this conftest in a tree without ../shared


def in_ci() -> bool:
    """True when the environment says this is a CI run (CI=true/1/yes)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing(path: Path, what: str) -> None:
    """Stop a test that needs `path`: a failure under CI, a skip elsewhere. Never returns."""
    message = f"{what} ({path}) is not here"
    if in_ci():
        pytest.fail(f"{message}; CI must run every test (../shared holds the founding document and eval sets)",
                    pytrace=False)
    pytest.skip(message)


def shared_file(relative: str, what: str) -> Path:
    """A file under ../shared; see `missing` for what happens when it is absent."""
    path = SHARED / relative
    if not path.is_file():
        missing(path, what)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a test that skips at run time (pytest.skip, importorskip) fails instead, with the
    skip's reason: only a declared `skipif` condition may skip there."""
    report = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("skipif") is None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI ({reason}); CI must run every test"
    return report


@pytest.fixture(scope="session")
def founding_path() -> Path:
    corpus = SHARED / "corpus"
    path = next(iter(sorted(corpus.glob(FOUNDING_GLOB))), None) if corpus.is_dir() else None
    if path is None:
        missing(corpus / FOUNDING_GLOB, "the founding document")
    return path


@pytest.fixture(scope="session")
def founding_record(founding_path):
    import onrecord

    return onrecord.extract(founding_path.read_text(encoding="utf-8"), doc_id=founding_path.stem)


@pytest.fixture(scope="session")
def example_record():
    import onrecord

    return onrecord.extract(EXAMPLE.read_text(encoding="utf-8"), doc_id="harbour_interview")


@pytest.fixture(scope="session")
def contract_check():
    """shared/tools/check_record.py's check(text, record_dict) -> list of problems."""
    path = shared_file("tools/check_record.py", "the record checker")
    spec = importlib.util.spec_from_file_location("check_record", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check
