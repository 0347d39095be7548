"""README.md as a new user meets it: the two opening commands are what CI runs, the Python example
runs as written, and what the package imports is what it declares."""
from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = ROOT / ".ci" / "run"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def fenced(language: str, text: str = README) -> list[str]:
    """The bodies of the ```language blocks of `text`, in order."""
    return [m.group(1) for m in re.finditer(rf"^```{language}[ \t]*\n(.*?)\n```[ \t]*$", text, re.MULTILINE | re.DOTALL)]


def ci_commands(script: Path = CI_RUN) -> list[str]:
    out = subprocess.run([str(script), "--print"], capture_output=True, check=True).stdout.decode("utf-8")
    return out.split("\0")[:-1]


def test_ci_runs_the_readme_commands_exactly():
    commands = fenced("sh")[:2]
    assert ci_commands() == commands
    install, tests = commands
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e \".[test]\"")
    assert "onrecord extract examples/" in install
    assert "pytest" in tests and "ruff check ." in tests and "mypy" in tests  # CI lints and type-checks too
    # the venv's own pip, as a new user has it: nothing in CI upgrades it first
    assert "--upgrade" not in CI_RUN.read_text(encoding="utf-8") and "-U pip" not in CI_RUN.read_text(encoding="utf-8")


@pytest.fixture
def fake_project(tmp_path):
    """A git tree holding .ci/run and a README whose two blocks record where and how they ran."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "project"
    (root / ".ci").mkdir(parents=True)
    shutil.copy2(CI_RUN, root / ".ci" / "run")
    (root / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    (root / ".venv").mkdir()  # a developer's venv: CI must not see it
    (root / "tracked.txt").write_text("tracked\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)

    def write_readme(first: str, second: str) -> None:
        (root / "README.md").write_text(f"# x\n\n```sh\n{first}\n```\n\ntext\n\n```sh\n{second}\n```\n\n"
                                        "```sh\necho third >> \"$MARK\"\n```\n", encoding="utf-8")
    return root, write_readme


def test_ci_runs_both_blocks_in_a_clean_copy_and_fails_on_any_error(fake_project, tmp_path):
    root, write_readme = fake_project
    mark = tmp_path / "mark"
    env = {**os.environ, "MARK": str(mark)}
    write_readme('pwd >> "$MARK"; ls -a >> "$MARK"; echo "CI=$CI" >> "$MARK"', 'echo second >> "$MARK"')
    done = subprocess.run([str(root / ".ci" / "run")], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = mark.read_text(encoding="utf-8").splitlines()
    assert lines[0] != str(root)  # a copy, not the developer's tree
    assert "tracked.txt" in lines and "README.md" in lines and ".venv" not in lines
    assert "CI=true" in lines and lines[-1] == "second" and "third" not in lines  # the first two blocks only

    mark.unlink()
    write_readme('echo first >> "$MARK"; false; echo after >> "$MARK"', 'echo second >> "$MARK"')
    failed = subprocess.run([str(root / ".ci" / "run")], env=env, capture_output=True, text=True, check=False)
    assert failed.returncode != 0
    assert mark.read_text(encoding="utf-8").splitlines() == ["first"]


ARTICLE = ("Mayor pledges bridge\n\n\u201cWe will rebuild the bridge by spring, whatever the cost,\u201d "
           "said Mayor Dana Whitfield on Monday.\n")
KIRBY = ("Kirby on the ceasefire\n\n\u201cThe ceasefire is holding and we want it to last,\u201d "
         "National Security Council spokesperson John Kirby told reporters.\n")
REMARKS = "Remarks by Mayor Dana Whitfield\n\nWe will rebuild the bridge by spring, whatever it costs the city.\n"


@pytest.mark.parametrize("kind", ["with a transcript", "without one"])
def test_readme_python_example_runs_as_written(kind, tmp_path, monkeypatch):
    """The README's ```python block, executed unchanged (errors point at README's lines). Its free
    names are the documents it talks about: `text` (an article) and `source_record` (a record of
    extract); `articles/` and `onrecord.db` are in a temporary directory."""
    import onrecord

    (block,) = fenced("python")
    line = README[:README.index(block)].count("\n")
    code = compile("\n" * line + block, str(ROOT / "README.md"), "exec")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "kirby.txt").write_text(KIRBY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = EXAMPLE.read_text(encoding="utf-8") if kind == "with a transcript" else ARTICLE
    printed: list[tuple] = []
    namespace = {"text": text, "source_record": onrecord.extract(REMARKS, doc_id="remarks"),
                 "print": lambda *args: printed.append(args)}
    exec(code, namespace)  # noqa: S102 - running the README is the point
    record, checked = namespace["record"], namespace["checked"]
    assert len(printed) == len(record.quotes) > 0
    if kind == "with a transcript":
        assert {p[3] for p in printed} - {None} and "Adaeze Okafor" in {p[1] for p in printed}
    else:
        assert printed == [("direct", "Dana Whitfield", "We will rebuild the bridge by spring, whatever the cost,", None)]
        assert checked.quotes[0].fidelity.status == "altered"
        assert checked.quotes[0].fidelity.source_doc == "remarks"
    with onrecord.Corpus("onrecord.db", create=False) as corpus:
        assert corpus.counts()["documents"] == 2
        assert [h.doc_id for h in corpus.search("ceasefire", speaker="Kirby")] == ["kirby"]


def test_public_names():
    import onrecord

    assert callable(onrecord.verify) and callable(onrecord.extract)
    import onrecord.verify
    assert callable(onrecord.verify)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", onrecord.__version__)
    assert onrecord.Corpus.__name__ == "Corpus"


def test_the_readme_command_as_a_user_runs_it():
    """The last step of README's first command, as a process: the installed `onrecord` script."""
    script = Path(sys.executable).with_name("onrecord")
    done = subprocess.run([str(script), "extract", "examples/harbour_interview.txt"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert '"schema": "onrecord/1"' in done.stdout and len(done.stdout.splitlines()) == 1


def _third_party_imports(paths=None) -> set[str]:
    names = set()
    for path in paths or (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "onrecord"}


# the Ray engine's modules: imported only once `scale` has found Ray installed
RAY_MODULES = tuple(ROOT / "src" / "onrecord" / "scale" / name for name in ("ray_engine.py", "corpus_steps.py"))


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_import_is_declared():
    """Every import is a dependency, except Ray's: the `ray` extra, imported by the Ray engine's modules alone
    (a base install never needs it), and in the `test` extra too, so that CI runs its tests."""
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    extras = PYPROJECT["project"]["optional-dependencies"]
    ray_extra = {_requirement_name(r) for r in extras["ray"]}
    assert ray_extra == {"ray"} and ray_extra <= {_requirement_name(r) for r in extras["test"]}
    others = [p for p in (ROOT / "src").rglob("*.py") if p not in RAY_MODULES]
    assert "ray" not in _third_party_imports(others)
    distributions = packages_distributions()
    for module in _third_party_imports():
        if module == "ray":
            continue
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        assert owners & declared, f"src imports {module} ({', '.join(owners)}) but pyproject does not declare it"
    # trafilatura's justext imports lxml.html.clean, which pip < 24 does not install by itself
    assert "lxml-html-clean" in declared


def test_license_and_typing_marker_ship():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n\nCopyright (c) 2026 the onrecord authors")
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["onrecord"]
    assert (ROOT / "src" / "onrecord" / "py.typed").is_file()
    requires = PYPROJECT["build-system"]["requires"]
    assert any(r.replace(" ", "").startswith("setuptools>=") and int(r.split(">=")[1].split(".")[0]) >= 77
               for r in requires)  # the SPDX license string needs setuptools 77
