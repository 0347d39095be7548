"""Shared fixtures: the founding document and the eval sets are read from ../shared at run time, never copied."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "harbour_interview.txt"


@pytest.fixture(scope="session")
def founding_path() -> Path:
    path = next(iter(sorted((SHARED / "corpus").glob("000_*.txt"))), None) if (SHARED / "corpus").is_dir() else None
    if path is None:
        pytest.skip("the founding document (../shared/corpus/000_*.txt) is not here")
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
    path = SHARED / "tools" / "check_record.py"
    if not path.exists():
        pytest.skip("../shared/tools/check_record.py is not here")
    spec = importlib.util.spec_from_file_location("check_record", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check
